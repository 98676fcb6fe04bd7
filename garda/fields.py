"""Model and form fields shared by the apps."""

from django import forms
from django.db import models

from garda import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted (AES-GCM, see garda/crypto.py), bound to its column.

    Reads decrypt transparently; a tampered value raises DecryptionError. Encrypted
    values cannot be filtered on: pair the field with a blind index for lookups.
    Empty strings are stored as empty strings (nothing to protect).
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value, context=self.crypto_context)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"encrypted field {self.name} cannot be filtered with {lookup_name}")
        return super().get_lookup(lookup_name)


# --- form fields ------------------------------------------------------------------------
# A posted id beyond the database's integer range made Django's model choice fields
# raise OverflowError (SQLite) or DataError (PostgreSQL): a 500 instead of "choose
# from the list". These check the range first (tests: garda/tests/test_huge_ids.py).

_ID_LIMIT = 2**63


def _out_of_range(field, value) -> bool:
    if field.to_field_name not in (None, "pk", "id"):
        return False
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return False  # Django's own check explains it
    return not 0 < number < _ID_LIMIT


class IdModelChoiceField(forms.ModelChoiceField):
    """ModelChoiceField whose out-of-range id is an invalid choice, not a 500."""

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(self, value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose out-of-range ids are invalid choices, not a 500."""

    def _check_values(self, value):
        for item in value:
            if _out_of_range(self, item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
