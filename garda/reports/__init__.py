"""Figures: dashboards per role from snapshots a periodic job computes, public
statistics with small-cell suppression, exports (docs/reports.md). Reads every app
below it; writes only its own snapshots."""
