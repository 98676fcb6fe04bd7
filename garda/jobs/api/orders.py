"""Stub."""

from ninja import Router

router = Router(tags=["jobs"])
