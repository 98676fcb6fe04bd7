"""Checking uploaded document files (docs/security.md, Files; test 14).

- The size is limited per file (settings.GARDA_DOCUMENT_MAX_BYTES) and per upload
  (MAX_TOTAL, the pages of one document together). A request whose declared length
  is over the upload limit is refused with 413 before its body is read
  (`body_too_large`, `api_upload_guard`); what is read is kept in memory, never in a
  plain temporary file (these are passports and medical results).
- The type comes from the bytes, never from the name or the browser's content type:
  PDF (`%PDF-`), JPEG (FF D8 FF) or PNG (89 50 4E 47...). Anything else is refused with
  a message naming the file and what it really is (a renamed program, a web page...).
- Images are measured from their header before anything is decoded: more than
  MAX_PIXELS pixels in one image, or MAX_TOTAL_PIXELS in all images of one upload, is
  refused (a decompression bomb: a few KB of PNG can claim gigabytes of pixels). Then
  they are decoded with Pillow (a damaged or truncated image is refused), turned
  upright by their EXIF orientation and re-encoded without any metadata: EXIF (GPS
  position, camera), XMP, comments and ICC profiles are dropped.
- A PDF is kept byte for byte (re-rendering it would need a PDF engine), but parsed
  with pypdf first: refused when it is incomplete (no `%%EOF`), cannot be parsed, is
  locked with a password, or carries actions or active content anywhere in its objects
  (also inside compressed object streams, whatever their filters): JavaScript, launch,
  URI and other actions, an open action other than going to a page, additional
  actions (/AA), embedded files, rich media, XFA forms.
- A document is either one PDF or one or more images (its pages, in order).
"""

import hashlib
import re
import unicodedata
import warnings
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, wraps
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from garda.uploads import declared_length_over, keep_uploads_in_memory

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

MAX_FILES = 20  # pages of one document as separate photos
# Pixels of one image, and of all images of one upload together, read from the
# headers before anything is decoded (issue 19: twenty 60-megapixel PNGs in 3.7 MB cost
# a worker 31 s of CPU and 659 MB). A phone photo is 12 to 16 megapixels (a 200
# megapixel sensor saves 12 by default); a document page needs far less.
MAX_PIXELS = 25_000_000
MAX_TOTAL_PIXELS = 100_000_000
# Pillow's own guard, for any image opened elsewhere: it warns past this and refuses
# past twice this (the uploads' own check above comes first and is stricter).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Room for the multipart envelope and the text fields around the files.
ENVELOPE = 64 * 1024
# Decoded PDF streams (other than images) looked through for active content, at most;
# a PDF that needs more is refused as too complex.
_INFLATE_BUDGET = 64 * 1024 * 1024
# Objects (dictionaries, arrays, values) of one PDF walked, at most.
_PDF_NODE_BUDGET = 2_000_000

TOO_LARGE = "too_large"


def max_file_bytes() -> int:
    return settings.GARDA_DOCUMENT_MAX_BYTES


def max_total_bytes() -> int:
    """All files of one upload together: a few phone photos of a multi-page document."""
    return getattr(settings, "GARDA_DOCUMENT_MAX_TOTAL_BYTES", 3 * max_file_bytes())


def _mb(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.2f}"


def size_error() -> str:
    """The message of a 413 (page and API)."""
    return _(
        "The upload is too large: at most %(file)s MB per file and %(total)s MB for all "
        "pages of one document."
    ) % {"file": _mb(max_file_bytes()), "total": _mb(max_total_bytes())}


# --- the request, before its body is read ---------------------------------------------


def body_too_large(request: HttpRequest) -> bool:
    """True when the declared body is larger than an upload may be (or unreadable)."""
    return declared_length_over(request, max_total_bytes() + ENVELOPE)


def prepare_upload(request: HttpRequest) -> bool:
    """Call before anything reads the body: False when it is too large (answer 413
    without reading it); otherwise uploads will be kept in memory."""
    if body_too_large(request):
        return False
    keep_uploads_in_memory(request)
    return True


def page_upload_refusal(request: HttpRequest):
    """prepare_upload for a page view: None to go on, else the 413 error page."""
    if prepare_upload(request):
        return None
    from django.shortcuts import render

    return render(request, "error.html", {"status": 413, "detail": size_error()}, status=413)


def api_upload_guard(run: Callable) -> Callable:
    """For ninja's `decorate_view`: wraps the operation before authentication and
    parsing, which read the body."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not prepare_upload(request):
            return JsonResponse({"detail": size_error(), "errors": []}, status=413)
        return run(request, *args, **kwargs)

    return wrapper


# --- the files ------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanFile:
    """One checked page: the bytes to store (images re-encoded), the sniffed type."""

    data: bytes
    content_type: str
    original_name: str

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def display_name(name: str | None) -> str:
    """The uploaded file's name made safe to store and show: the last path part, no
    control characters, at most 200 characters. Never used for a path."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200]


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes: PDF, JPEG, PNG, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _what_it_is(data: bytes) -> str:
    """Words for what a refused file really is, for the message."""
    head = data[:64]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith(b"MZ")
        or head.startswith(b"\x7fELF")
        or head[:4]
        in (
            b"\xcf\xfa\xed\xfe",
            b"\xca\xfe\xba\xbe",
        )
    ):
        return _("a program (executable)")
    if head.startswith(b"#!"):
        return _("a script")
    if stripped.startswith(b"<"):  # HTML, SVG, XML
        return _("a web page or an SVG image")
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or an Office document")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WebP image")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return _("a HEIC photo (set the camera to JPEG, or take a screenshot)")
    return _("of an unknown type")


def _error(message: str, code: str, name: str) -> ValidationError:
    return ValidationError(message, code=code, params={"name": name})


def clean_uploads(uploads: Iterable) -> list[CleanFile]:
    """Check and clean the files of one document (Django UploadedFiles, or anything
    with .name, .size and .read()), pages in the order given. Raises ValidationError
    with code TOO_LARGE (the caller answers 413) or another code per rule."""
    uploads = list(uploads)
    if not uploads:
        raise ValidationError(_("Choose at least one file."), code="required")
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            _("At most %(max)d files (pages) per document.") % {"max": MAX_FILES},
            code="too_many_files",
        )
    total = 0
    for upload in uploads:
        name = display_name(upload.name)
        if upload.size > max_file_bytes():
            raise _error(
                _("“%(name)s” is larger than %(max)s MB.")
                % {"name": name, "max": _mb(max_file_bytes())},
                TOO_LARGE,
                name,
            )
        total += upload.size
    if total > max_total_bytes():
        raise ValidationError(size_error(), code=TOO_LARGE)

    read = []
    for upload in uploads:
        name = display_name(upload.name)
        data = upload.read()
        if not data:
            raise _error(_("“%(name)s” is empty.") % {"name": name}, "empty", name)
        kind = sniff(data)
        if kind is None:
            raise _error(
                _(
                    "“%(name)s” is not a PDF, JPEG or PNG file: its content is %(kind)s. "
                    "Only PDF, JPEG and PNG files are accepted (the content is checked, "
                    "not the file name)."
                )
                % {"name": name, "kind": _what_it_is(data)},
                "unsupported_type",
                name,
            )
        if kind == PDF and len(uploads) > 1:
            raise _error(
                _(
                    "“%(name)s” is a PDF: a PDF must be uploaded alone. Put all pages "
                    "in one PDF, or upload photos (JPEG/PNG) of the pages."
                )
                % {"name": name},
                "pdf_not_alone",
                name,
            )
        read.append((name, data, kind))

    if read[0][2] == PDF:
        name, data, _kind = read[0]
        _check_pdf(data, name)
        return [CleanFile(data=data, content_type=PDF, original_name=name)]
    # Every image's size from its header, before any is decoded.
    images = [(name, kind, _image_header(data, kind, name)) for name, data, kind in read]
    total = sum(image.width * image.height for _name, _kind, image in images)
    if total > MAX_TOTAL_PIXELS:
        raise ValidationError(
            _(
                "The pictures of this upload have too many pixels together (at most "
                "%(max)d megapixels for all pages). Take the photos at a lower resolution "
                "or upload fewer pages."
            )
            % {"max": MAX_TOTAL_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    cleaned = []
    while images:
        name, kind, image = images.pop(0)  # decoded one at a time, then let go
        cleaned.append(
            CleanFile(data=_clean_image(image, kind, name), content_type=kind, original_name=name)
        )
    return cleaned


# --- images ---------------------------------------------------------------------------


def _too_many_pixels(name: str) -> ValidationError:
    return _error(
        _("“%(name)s” has too many pixels (at most %(max)d megapixels).")
        % {"name": name, "max": MAX_PIXELS // 1_000_000},
        "too_many_pixels",
        name,
    )


def _damaged(name: str) -> ValidationError:
    return _error(
        _("“%(name)s” is damaged or incomplete: it cannot be opened as an image.") % {"name": name},
        "damaged",
        name,
    )


def _image_header(data: bytes, kind: str, name: str) -> Image.Image:
    """The image opened lazily: Pillow reads the header (format, size), no pixels."""
    fmt = "JPEG" if kind == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit, fails) on decompression bombs.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except Exception:  # Pillow raises many kinds on damaged data (OSError, SyntaxError...)
        raise _damaged(name) from None
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(name)
    return image


def _clean_image(image: Image.Image, kind: str, name: str) -> bytes:
    fmt = "JPEG" if kind == JPEG else "PNG"
    try:
        image.load()
    except Exception:  # Pillow raises many kinds on damaged data (OSError, SyntaxError...)
        raise _damaged(name) from None
    # Upright by its EXIF orientation before the EXIF goes.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt == "PNG":
        if image.mode == "P" and "transparency" in image.info:
            image = image.convert("RGBA")
        elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
    # Nothing of the original's metadata is carried over: Pillow's savers fall back to
    # image.info for some of it (a JPEG comment, a PNG's ICC profile).
    image.info = {}
    out = BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=90)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------

_PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2})+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# Names that make a PDF do something rather than show something.
ACTIVE_CONTENT = {
    b"JavaScript": "JavaScript",
    b"JS": "JavaScript",
    b"Launch": "Launch",
    b"EmbeddedFile": "EmbeddedFile",
    b"EmbeddedFiles": "EmbeddedFile",
    b"RichMedia": "RichMedia",
}
# In a parsed PDF: dictionary keys that carry actions or active content...
_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "AA",  # additional actions: on opening a page, a field, closing...
    "/EmbeddedFiles": "EmbeddedFile",
    "/EF": "EmbeddedFile",
    "/RichMedia": "RichMedia",
    "/RichMediaContent": "RichMedia",
    "/XFA": "XFA",  # XML forms, which carry their own scripts
    "/Launch": "Launch",
}
# ... the kinds of action (/S) allowed: moving inside the document. Any other action
# (JavaScript, Launch, URI, SubmitForm, ImportData, GoToR, GoToE, Rendition, Sound,
# Movie, RichMediaExecute...) is refused wherever it sits: catalogue, page, annotation,
# form field, outline.
_SAFE_ACTIONS = {"/GoTo", "/Named", "/Thread", "/Trans"}
_ACTION_KEYS = ("/A", "/OpenAction", "/Next", "/PA")
# ... and kinds of object that hold files, media or 3D scenes.
_ACTIVE_TYPES = {
    "/EmbeddedFile": "EmbeddedFile",
    "/FileAttachment": "EmbeddedFile",
    "/RichMedia": "RichMedia",
    "/Screen": "RichMedia",
    "/Movie": "RichMedia",
    "/Sound": "RichMedia",
    "/3D": "RichMedia",
    "/Action": "Action",  # checked below by its /S; only a typed action of a safe kind
}


class _PdfRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _active_names(chunk: bytes) -> set[str]:
    found = set()
    for match in _PDF_NAME.finditer(chunk):
        raw = match.group(1)
        # `/J#61vaScript` is `/JavaScript`: names may hide letters as #xx.
        name = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw
        if name in ACTIVE_CONTENT:
            found.add(ACTIVE_CONTENT[name])
    return found


_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def _inflated_streams(data: bytes):
    """Every Flate stream of the file found by its bytes alone (also those no
    cross-reference points at), inflated: a backstop to the parser's view."""
    budget = _INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate alone (or damaged): the parser decodes it
        budget -= len(chunk)
        yield chunk


def _action_kind(value) -> str | None:
    """The refused kind of an action dictionary (the value of /A, /OpenAction...), or
    None when it only moves inside the document (a destination array is no action)."""
    from pypdf.generic import DictionaryObject

    value = value.get_object() if value is not None else None
    if not isinstance(value, DictionaryObject):
        return None
    kind = value.get("/S")
    kind = str(kind.get_object()) if kind is not None else ""
    if kind in _SAFE_ACTIONS:
        return None
    return kind.lstrip("/") or "Action"


def _pdf_actions(data: bytes) -> set[str]:
    """Parse the PDF with pypdf and walk every object it holds (those in compressed
    object streams too, decoded whatever their filters): the kinds of active content
    found. Raises _PdfRefused("damaged_pdf"/"encrypted_pdf"/"complex_pdf")."""
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
    )

    def parse(data: bytes) -> list:
        reader = PdfReader(BytesIO(data), strict=False)
        # Locked against changes only (an empty password opens it): checked like any;
        # locked against reading: refused (its objects cannot be looked through).
        if reader.is_encrypted and not reader.decrypt(""):
            raise _PdfRefused("encrypted_pdf")
        roots = [reader.trailer]
        for generation, numbers in reader.xref.items():
            roots.extend(IndirectObject(n, generation, reader) for n in numbers)
        roots.extend(IndirectObject(n, 0, reader) for n in reader.xref_objStm)
        return roots

    try:
        try:
            roots = parse(data)
        except _PdfRefused:
            raise
        except Exception:  # noqa: BLE001
            # What a viewer does with a file whose cross-reference cannot be found (no
            # `startxref` near the end, objects added after it): rebuild it from every
            # `N 0 obj` in the file. pypdf does so when the offset is wrong.
            roots = parse(data + b"\nstartxref\n0\n%%EOF\n")
    except _PdfRefused:
        raise
    except Exception:  # pypdf raises many kinds on damaged data
        raise _PdfRefused("damaged_pdf") from None

    found: set[str] = set()
    seen_refs: set[tuple[int, int]] = set()
    nodes = 0
    budget = _INFLATE_BUDGET
    todo = list(roots)
    while todo:
        item = todo.pop()
        nodes += 1
        if nodes > _PDF_NODE_BUDGET:
            raise _PdfRefused("complex_pdf")
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen_refs:
                continue
            seen_refs.add(key)
            try:
                item = item.get_object()
            except Exception:  # a reference to nothing, or an object that does not parse
                raise _PdfRefused("damaged_pdf") from None
        if isinstance(item, DictionaryObject):
            for key, label in _ACTIVE_KEYS.items():
                if key in item:
                    found.add(label)
            for key in ("/Type", "/Subtype"):
                kind = item.get(key)
                if kind is not None and str(kind) in _ACTIVE_TYPES:
                    if str(kind) != "/Action":
                        found.add(_ACTIVE_TYPES[str(kind)])
                    elif (refused := _action_kind(item)) is not None:
                        found.add(refused)
            for key in _ACTION_KEYS:
                if key in item:
                    try:
                        refused = _action_kind(item[key])
                    except Exception:
                        raise _PdfRefused("damaged_pdf") from None
                    if refused is not None:
                        found.add(refused)
            todo.extend(item.values())
            if isinstance(item, StreamObject) and item.get("/Subtype") != "/Image":
                # Object streams are parsed by pypdf (their objects are walked above);
                # every other stream is decoded and looked through for active names
                # as well, whatever its filters (ASCIIHex, ASCII85, Flate, LZW...).
                try:
                    decoded = item.get_data()
                except Exception:
                    raise _PdfRefused("damaged_pdf") from None
                budget -= len(decoded)
                if budget < 0:
                    raise _PdfRefused("complex_pdf")
                found |= _active_names(decoded)
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return found


def _check_pdf(data: bytes, name: str) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise _error(
            _("“%(name)s” is an incomplete PDF (its end is missing). Save or scan it again.")
            % {"name": name},
            "incomplete_pdf",
            name,
        )
    found = _active_names(data)
    for chunk in _inflated_streams(data):
        found |= _active_names(chunk)
    try:
        found |= _pdf_actions(data)
    except _PdfRefused as refusal:
        messages = {
            "damaged_pdf": _(
                "“%(name)s” is damaged: it cannot be read as a PDF. Save or scan it again."
            ),
            "encrypted_pdf": _(
                "“%(name)s” is locked with a password. Upload a copy without a password."
            ),
            "complex_pdf": _(
                "“%(name)s” is too complex to check. Print it to a new PDF or scan the paper again."
            ),
        }
        raise _error(messages[refusal.code] % {"name": name}, refusal.code, name) from None
    if found:
        raise _error(
            _(
                "“%(name)s” contains active content (%(what)s), which a document must not "
                "have. Print it to a new PDF or scan the paper again."
            )
            % {"name": name, "what": ", ".join(sorted(found))},
            "active_content",
            name,
        )


def is_too_large(exc: ValidationError) -> bool:
    """Whether a ValidationError from clean_uploads (or the upload service) is a size
    error, answered with 413."""
    groups = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return any(err.code == TOO_LARGE for errors in groups for err in errors)
