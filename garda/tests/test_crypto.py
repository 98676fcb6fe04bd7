"""Field encryption and blind indexes (docs/security.md, test 15)."""

import base64

import pytest
from django.db import connection

from garda import crypto
from garda.crypto import DecryptionError


def test_round_trip_and_random_nonce():
    a = crypto.encrypt("3171014101900001", context="people.person.nik")
    b = crypto.encrypt("3171014101900001", context="people.person.nik")
    assert a != b
    assert crypto.decrypt(a, context="people.person.nik") == "3171014101900001"


def test_a_flipped_byte_raises_never_garbage():
    token = crypto.encrypt("3171014101900001", context="people.person.nik")
    version, key_id, payload = token.split(".", 2)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[20] ^= 0x01
    tampered = f"{version}.{key_id}.{base64.urlsafe_b64encode(bytes(raw)).decode()}"
    with pytest.raises(DecryptionError):
        crypto.decrypt(tampered, context="people.person.nik")


def test_a_value_moved_to_another_column_does_not_decrypt():
    token = crypto.encrypt("A1234567", context="people.person.passport_number")
    with pytest.raises(DecryptionError):
        crypto.decrypt(token, context="people.person.nik")


def test_old_keys_still_decrypt_after_rotation(settings):
    old_token = crypto.encrypt("3171014101900001", context="c")
    settings.FIELD_ENCRYPTION_KEYS_OLD = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = bytes(32)
    assert crypto.needs_rotation(old_token)
    assert crypto.decrypt(old_token, context="c") == "3171014101900001"
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    with pytest.raises(DecryptionError, match="not configured"):
        crypto.decrypt(old_token, context="c")


def test_blind_index_is_keyed_not_a_plain_hash():
    import hashlib

    index = crypto.blind_index("3171014101900001", context="people.person.nik")
    assert index == crypto.blind_index("3171014101900001", context="people.person.nik")
    assert index != hashlib.sha256(b"3171014101900001").hexdigest()
    assert index != crypto.blind_index("3171014101900001", context="other")


@pytest.mark.django_db
def test_tampered_column_raises_on_read():
    from garda.people.models import Person
    from garda.people.tests.factories import register

    person = register(serial=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM people_person WHERE id = %s", [person.pk])
        token = cursor.fetchone()[0]
        forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
        cursor.execute("UPDATE people_person SET nik = %s WHERE id = %s", [forged, person.pk])
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


def test_encrypted_fields_cannot_be_filtered():
    from garda.people.models import Person

    with pytest.raises(TypeError):
        Person.objects.filter(nik="3171014101900001")
