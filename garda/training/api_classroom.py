"""API operations of this part of training (registered by garda/api.py)."""

from ninja import Router

router = Router(tags=["training"])
