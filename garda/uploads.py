"""Uploads checked before their body is read (docs/security.md, test 14), for every app
that takes files: the declared length first (413 without reading), then the files
kept in memory, never in a plain temporary file (they hold personal data)."""

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest


class WholeUploadInMemory(MemoryFileUploadHandler):
    """Keep every uploaded file in memory (bounded by `declared_length_over`, checked
    first): Django's default writes files over 2.5 MB to a plain temporary file."""

    def handle_raw_input(self, *args, **kwargs):
        super().handle_raw_input(*args, **kwargs)
        self.activated = True


def declared_length_over(request: HttpRequest, limit: int) -> bool:
    """True when the request declares a body longer than `limit` bytes (or a length
    that is not a number)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit


def keep_uploads_in_memory(request: HttpRequest) -> None:
    request.upload_handlers = [WholeUploadInMemory(request)]
