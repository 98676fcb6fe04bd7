"""The reports API, part public."""

from ninja import Router

router = Router(tags=["reports"])
