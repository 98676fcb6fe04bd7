"""Private file storage for uploaded documents (docs/security.md, Files).

Files are encrypted (garda.crypto.seal, AES-GCM under GARDA_FIELD_KEY) and written
under a random name in settings.GARDA_FILES_DIR, outside any static root. The name
the user gave is never part of the path: a name like `../../etc/passwd` is only ever
stored as text in DocumentFile.original_name. The storage name is bound into the
ciphertext as associated data, so a file copied or renamed on disk fails to decrypt
instead of showing another person's document.

The name shards into a two-character subdirectory so that no directory grows past
a few thousand entries at national volumes.
"""

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from garda.crypto import reseal as reseal_bytes
from garda.crypto import seal, sealed_needs_rotation, unseal

_NAME = re.compile(r"^[0-9a-f]{32}$")
SUBDIR = "documents"


def _context(name: str) -> str:
    return f"documents.file:{name}"


def _path(name: str) -> Path:
    if not _NAME.match(name):
        # Only names this module made are ever read or deleted.
        raise ValueError("not a storage name")
    return Path(settings.GARDA_FILES_DIR) / SUBDIR / name[:2] / name


def save(data: bytes) -> str:
    """Encrypt and store `data`; returns the new random storage name."""
    name = secrets.token_hex(16)
    path = _path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write(path, name, seal(data, context=_context(name)))
    return name


def _write(path: Path, name: str, sealed: bytes) -> None:
    # Write to a temporary name and rename: a reader never sees half a file, and a
    # crash leaves only a stray .tmp behind.
    tmp = path.with_name(f"{name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(sealed)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def reseal(name: str) -> bool:
    """Encrypt a stored file again under the current field key (`garda
    rotate_field_key`); False when it already was. Atomic, like `save`."""
    path = _path(name)
    sealed = reseal_bytes(path.read_bytes(), context=_context(name))
    if sealed is None:
        return False
    path.with_name(f"{name}.tmp").unlink(missing_ok=True)  # a stray from a crash
    _write(path, name, sealed)
    return True


def stored_names() -> Iterator[str]:
    """The name of every stored file on disk, whoever stored it (documents, case
    files), in a stable order; half-written `.tmp` files left out."""
    root = Path(settings.GARDA_FILES_DIR) / SUBDIR
    if not root.is_dir():
        return
    for shard in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(shard.iterdir()):
            if _NAME.match(path.name) and path.is_file():
                yield path.name


def needs_reseal(name: str) -> bool:
    return sealed_needs_rotation(_path(name).read_bytes())


def read(name: str) -> bytes:
    """The decrypted bytes of a stored file (DecryptionError if it was tampered with)."""
    return unseal(_path(name).read_bytes(), context=_context(name))


def delete(name: str) -> None:
    """Remove a stored file; a missing file is not an error."""
    _path(name).unlink(missing_ok=True)


def exists(name: str) -> bool:
    return _path(name).exists()
