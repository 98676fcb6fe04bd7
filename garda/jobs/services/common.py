"""What the jobs services share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class VersionConflict(Exception):
    """The row changed since the caller read it (optimistic locking)."""

    def __init__(self, current):
        super().__init__(str(current))
        self.current = current


def error(field: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise error(field, _("Say why (a few words)."), "required")
    if len(reason) > 500:
        raise error(field, _("Keep it under 500 characters."), "max_length")
    return reason
