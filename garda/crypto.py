"""Field encryption and blind indexes (docs/security.md, "Encryption at rest").

- `encrypt`/`decrypt`: AES-256-GCM under a key derived from GARDA_FIELD_KEY. The
  stored text is `v1.<key id>.<base64(nonce + ciphertext + tag)>`; the key id lets
  old rows be read after a rotation (old keys in GARDA_FIELD_KEYS_OLD). The column's
  name is bound as associated data, so a ciphertext copied into another column (or
  a flipped byte) fails to decrypt instead of yielding garbage.
- `blind_index`: HMAC-SHA256 under a separate derived key. A NIK has little entropy
  (region, birth date, serial): a plain hash could be reversed by enumeration, a
  keyed one cannot without the key.
- `mask`: what a user who may not reveal an identity number sees of it (nothing).
"""

import base64
import hashlib
import hmac
import os
from contextlib import contextmanager
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

VERSION = "v1"


class DecryptionError(ValueError):
    """The stored value was tampered with, belongs to another column, or its key is gone."""


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"garda-key-id" + key).hexdigest()[:8]


@lru_cache(maxsize=8)
def _keys(current: bytes, old: tuple[bytes, ...]) -> tuple[str, dict[str, AESGCM]]:
    ring = {_key_id(k): AESGCM(k) for k in (current, *old)}
    return _key_id(current), ring


def _keyring() -> tuple[str, dict[str, AESGCM]]:
    return _keys(settings.FIELD_ENCRYPTION_KEY, tuple(settings.FIELD_ENCRYPTION_KEYS_OLD))


def encrypt(plaintext: str, *, context: str) -> str:
    current, ring = _keyring()
    nonce = os.urandom(12)
    sealed = ring[current].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}.{current}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


@contextmanager
def _opening():
    """What goes wrong while opening a sealed value, as a DecryptionError."""
    try:
        yield
    except DecryptionError:
        raise
    except KeyError:
        raise DecryptionError("the key that encrypted this value is not configured") from None
    except (ValueError, InvalidTag, UnicodeDecodeError) as exc:
        raise DecryptionError("the stored value is corrupt or was tampered with") from exc


def decrypt(token: str, *, context: str) -> str:
    with _opening():
        version, key_id, payload = token.split(".", 2)
        if version != VERSION:
            raise DecryptionError(f"unknown format {version!r}")
        aead = _keyring()[1][key_id]
        raw = base64.urlsafe_b64decode(payload.encode())
        return aead.decrypt(raw[:12], raw[12:], context.encode()).decode()


def seal(data: bytes, *, context: str) -> bytes:
    """`encrypt` for bytes (uploaded files kept on disk): `v1.<key id>.` + nonce +
    ciphertext + tag, the context bound as associated data."""
    current, ring = _keyring()
    nonce = os.urandom(12)
    return (
        f"{VERSION}.{current}.".encode()
        + nonce
        + ring[current].encrypt(nonce, data, context.encode())
    )


def unseal(blob: bytes, *, context: str) -> bytes:
    with _opening():
        version, key_id, raw = blob.split(b".", 2)
        if version.decode() != VERSION:
            raise DecryptionError(f"unknown format {version!r}")
        aead = _keyring()[1][key_id.decode()]
        return aead.decrypt(raw[:12], raw[12:], context.encode())


def needs_rotation(token: str) -> bool:
    """True when `token` was encrypted under an old key."""
    return token.split(".", 2)[1] != _keyring()[0]


def current_key_id() -> str:
    """The id of the newest field key (not secret: a hash of the key)."""
    return _keyring()[0]


def sealed_needs_rotation(blob: bytes) -> bool:
    """`needs_rotation` for bytes made by `seal`."""
    return blob.split(b".", 2)[1].decode("ascii", "replace") != _keyring()[0]


def reseal(blob: bytes, *, context: str) -> bytes | None:
    """`blob` sealed again under the current key, or None when it already is
    (`garda rotate_field_key`)."""
    if not sealed_needs_rotation(blob):
        return None
    return seal(unseal(blob, context=context), context=context)


def blind_index(value: str, *, context: str) -> str:
    """A keyed, deterministic index of `value` for exact lookup and uniqueness."""
    digest = hmac.new(settings.BLIND_INDEX_KEY, f"{context}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()


# What every masked identity number looks like (NIK, KK, passport, a document's number).
MASKED = "*" * 16


def mask(value: str) -> str:
    """An identity number as shown to someone who may not reveal it: `MASKED`, the
    same for every number, or "" when there is none.

    No digit is shown. A NIK is 6 digits of region (the district of issue), 6 of birth
    date (day + 40 for women) and 4 of serial: beside the birth date, sex and domicile
    that pages show anyway, the region and date digits add nothing, and the serial
    digits (the only part nobody can derive) turned the old "last four" mask into the
    missing piece: an outside test rebuilt a third of the NIKs of a CSV export from it,
    and the rest by trying districts in the search box. Nor is the length told (a
    passport's differs). To confirm a number a person reads out, compare it with the
    record (people.services.lookups.identity_check): audited and rate-limited; the
    number itself only through the audited reveal (docs/security.md, issue 19).
    """
    return MASKED if value else ""
