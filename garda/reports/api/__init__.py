"""The reports API: one router (garda/api.py mounts it), one module per part."""

from ninja import Router

router = Router(tags=["reports"])
