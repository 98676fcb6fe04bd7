"""The figures' one table: snapshots a periodic job computes, so that no page view
scans the live tables (docs/reports.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """One figure set as the job left it: a dashboard's (or the public page's) tables
    for one period. `data` is plain JSON: lists of rows per table, each with the
    dimensions it is cut by (city included, so a page filters without a query)."""

    name = models.CharField(_("figures"), max_length=40)
    # "2026" (a year), "2026-11" (a month) or "all".
    period = models.CharField(_("period"), max_length=10)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds to compute"), default=0)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="snapshot_name_period"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"
