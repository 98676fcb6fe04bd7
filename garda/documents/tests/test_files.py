"""Upload checks (files.py): type from bytes, sizes, images cleaned, PDFs screened;
and the private storage (storage.py)."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from garda.crypto import DecryptionError
from garda.documents import files, storage
from garda.documents.tests.samples import (
    jpeg_bytes,
    pdf_bytes,
    pdf_with_compressed,
    png_bytes,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def clean(*named: tuple[str, bytes]):
    return files.clean_uploads([SimpleUploadedFile(name, data) for name, data in named])


def refused(*named: tuple[str, bytes]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        clean(*named)
    return info.value


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "a program (executable)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "a program (executable)"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "a web page or an SVG image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a web page"),
        (b"\xef\xbb\xbf  <?xml version='1.0'?><svg/>", "a web page"),
        (b"PK\x03\x04" + b"\x00" * 50, "a ZIP archive"),
        (b"GIF89a" + b"\x00" * 50, "a GIF image"),
        (b"just some text", "of an unknown type"),
    ],
)
def test_a_renamed_file_is_refused_naming_the_file_and_what_it_is(data, what):
    error = refused(("passport.pdf", data))
    assert error.code == "unsupported_type"
    assert "“passport.pdf”" in error.messages[0]
    assert what in error.messages[0]


def test_pdf_jpeg_and_png_are_accepted_by_their_bytes_whatever_their_name():
    cleaned = clean(("scan.txt", pdf_bytes()))
    assert cleaned[0].content_type == files.PDF
    assert cleaned[0].data == pdf_bytes()  # a PDF is kept byte for byte
    pages = clean(("page1.pdf", jpeg_bytes()), ("page2", png_bytes()))
    assert [p.content_type for p in pages] == [files.JPEG, files.PNG]
    assert [p.original_name for p in pages] == ["page1.pdf", "page2"]


def test_size_limits_per_file_and_per_upload(settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 1000
    error = refused(("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 1200))
    assert error.code == files.TOO_LARGE and "“big.png”" in error.messages[0]
    assert files.is_too_large(ValidationError({"files": error.error_list}))
    # Three files under the per-file limit, over the total (3 × the per-file limit).
    parts = [(f"p{i}.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 900) for i in range(4)]
    assert refused(*parts).code == files.TOO_LARGE


def test_at_least_one_file_and_not_too_many():
    assert refused().code == "required"
    many = [(f"p{i}.png", png_bytes()) for i in range(files.MAX_FILES + 1)]
    assert refused(*many).code == "too_many_files"
    assert refused(("empty.png", b"")).code == "empty"


def test_a_pdf_must_come_alone():
    error = refused(("a.png", png_bytes()), ("b.pdf", pdf_bytes()))
    assert error.code == "pdf_not_alone"
    assert "“b.pdf”" in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        pdf_bytes(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
        pdf_bytes(b"/OpenAction << /S /J#61vaScript /JS (x) >> "),  # #61 is "a"
        pdf_bytes(b"/Names << /EmbeddedFiles 5 0 R >> "),
        pdf_with_compressed(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    ],
)
def test_a_pdf_with_active_content_is_refused(data):
    error = refused(("form.pdf", data))
    assert error.code == "active_content"
    assert "“form.pdf”" in error.messages[0]


def test_an_incomplete_pdf_is_refused():
    assert refused(("cut.pdf", pdf_bytes(eof=False))).code == "incomplete_pdf"


def test_a_pdf_whose_font_names_look_like_js_is_fine():
    assert clean(("ok.pdf", pdf_bytes(b"/Font << /JSerif 4 0 R >> ")))


def test_exif_gps_and_comments_are_stripped_and_orientation_applied():
    original = jpeg_bytes((40, 20), gps=True, orientation=6)  # 6: rotate 90° to view
    before = Image.open(BytesIO(original))
    assert before.getexif().get_ifd(0x8825)  # the sample really has GPS
    assert before.info.get("comment")
    cleaned = clean(("photo.jpg", original))[0]
    after = Image.open(BytesIO(cleaned.data))
    assert not after.getexif()  # no EXIF at all: no GPS, no camera, no orientation
    assert "comment" not in after.info and "exif" not in after.info
    assert after.size == (20, 40)  # turned upright before the orientation tag went


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Location", "-6.1754, 106.8272")
    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG", pnginfo=info)
    cleaned = clean(("x.png", out.getvalue()))[0]
    assert b"Location" not in cleaned.data
    assert not Image.open(BytesIO(cleaned.data)).text


def test_a_truncated_image_is_refused():
    data = jpeg_bytes((200, 200))
    error = refused(("half.jpg", data[: len(data) // 2]))
    assert error.code == "damaged"
    assert "“half.jpg”" in error.messages[0]


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (50_000, 50_000)])
def test_a_decompression_bomb_is_refused(width, height):
    error = refused(("bomb.png", _png_claiming(width, height)))
    assert error.code == "too_many_pixels"


def test_names_are_cleaned_for_display_only():
    assert files.display_name("../../etc/passwd") == "passwd"
    assert files.display_name("C:\\Users\\x\\ktp.jpg") == "ktp.jpg"
    assert files.display_name("a\x00b\nc.png") == "abc.png"
    assert len(files.display_name("x" * 500)) == 200


# --- storage -------------------------------------------------------------------------


def test_storage_encrypts_under_random_names(settings):
    name = storage.save(b"%PDF-1.4 secret passport scan")
    other = storage.save(b"%PDF-1.4 secret passport scan")
    assert name != other and len(name) == 32
    path = settings.GARDA_FILES_DIR / "documents" / name[:2] / name
    assert path.exists()
    assert b"secret passport" not in path.read_bytes()
    assert storage.read(name) == b"%PDF-1.4 secret passport scan"
    storage.delete(name)
    assert not path.exists()
    storage.delete(name)  # deleting twice is fine


def test_storage_refuses_foreign_names_and_swapped_files(settings):
    for bad in ("../../etc/passwd", "ABC", "0" * 31, "g" * 32):
        with pytest.raises(ValueError):
            storage.read(bad)
    a, b = storage.save(b"first"), storage.save(b"second")
    root = settings.GARDA_FILES_DIR / "documents"
    # A file copied over another's name does not decrypt (the name is bound in).
    (root / b[:2] / b).write_bytes((root / a[:2] / a).read_bytes())
    with pytest.raises(DecryptionError):
        storage.read(b)


@pytest.mark.django_db
def test_the_sweep_removes_only_old_orphans(settings, wati_person, wati):
    import os

    from django.core.management import call_command

    from garda.documents.models import DocumentFile
    from garda.documents.tests.conftest import upload

    upload(wati_person, wati, "ktp")
    kept = DocumentFile.objects.get().storage_name
    orphan = storage.save(b"left behind")
    fresh = storage.save(b"an upload in progress")
    root = settings.GARDA_FILES_DIR / "documents"
    old = os.path.getmtime(root / kept[:2] / kept) - 7200
    for name in (kept, orphan):
        os.utime(root / name[:2] / name, (old, old))
    call_command("documents_sweep", "--dry-run")
    assert storage.exists(orphan)
    call_command("documents_sweep")
    assert storage.exists(kept) and storage.exists(fresh) and not storage.exists(orphan)
