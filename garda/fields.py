"""Model fields shared by the apps."""

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
