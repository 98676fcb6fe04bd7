"""Every write of the cases app (docs/style.md): `intake` (a report from any channel,
the person concerned matched to the registry), `handling` (workflow moves, assignment,
severity, closing approvals, duplicates, reopening), `record` (notes, messages, tasks,
services, screening, documents) and `escalation` (the clocks' periodic job)."""
