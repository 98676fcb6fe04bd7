"""Helpers for API operations in every app (kept apart from garda/api.py, which
imports the apps' routers)."""

from django.core.exceptions import ValidationError
from ninja import Router


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    """The one error format: {"detail": str, "errors": [{"field", "code", "message"}]}."""
    return {"detail": detail, "errors": errors or []}


def form_errors(form) -> ValidationError:
    """A bound, invalid Django form's errors as one ValidationError keyed by field,
    which the API's handler turns into a 422 in the error format."""
    return ValidationError({field: list(errors) for field, errors in form.errors.as_data().items()})


def combine_routers(*parts: Router) -> Router:
    """An app's one router (what `garda/api.py` mounts) made of its parts' routers,
    in order: each part keeps its own tags and paths."""
    router = Router()
    for part in parts:
        router.add_router("", part)
    return router
