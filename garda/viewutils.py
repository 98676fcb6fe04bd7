"""Helpers for page views in every app (the pages' counterpart of apiutils.py)."""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """An HTMX request for a fragment. A history restore (back button after
    hx-push-url) wants the whole page."""
    return bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
