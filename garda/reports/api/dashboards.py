"""The reports API, part dashboards."""

from ninja import Router

router = Router(tags=["reports"])
