"""What the outreach services share."""

from django.core.exceptions import ValidationError


def error(name: str, message, code: str) -> ValidationError:
    """A refusal on one field, in the shape forms and the API turn into words."""
    return ValidationError({name: ValidationError(message, code=code)})
