"""Issue 19, weaknesses 5 and 7, written as the attacks: active content hidden in a
PDF's compressed object streams, URI and other actions, embedded files; and images
whose few kilobytes claim tens of megapixels. The files are built here, byte by byte."""

import base64
import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ImageFile

from conftest import verified_client
from garda.documents import files
from garda.documents.models import Document
from garda.documents.tests.samples import jpeg_bytes, pdf_bytes, png_bytes


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


# --- PDFs built by hand ----------------------------------------------------------------


def _encode(data: bytes, encoding: str) -> tuple[bytes, bytes]:
    """`data` Flate-compressed, then ASCIIHex- or ASCII85-encoded: (bytes, /Filter)."""
    packed = zlib.compress(data)
    if encoding == "hex":
        return packed.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"
    return base64.a85encode(packed) + b"~>", b"[/ASCII85Decode /FlateDecode]"


def pdf_with_object_stream(
    catalog_extra: bytes,
    hidden: list[bytes],
    *,
    encoding: str = "hex",
    plain: list[bytes] = (),
) -> bytes:
    """A PDF 1.5 whose objects 5, 6... (`hidden`) sit in a compressed object stream
    (object 4, encoded with `encoding` over Flate) found through a cross-reference
    stream; `plain` objects follow as ordinary objects after them. Objects 1-3 are
    the catalogue (with `catalog_extra`), the page tree and one page."""
    first_hidden = 5
    plain_numbers = list(range(first_hidden + len(hidden), first_hidden + len(hidden) + len(plain)))
    header, bodies, offset = [], [], 0
    for i, body in enumerate(hidden):
        header.append(b"%d %d" % (first_hidden + i, offset))
        bodies.append(body)
        offset += len(body) + 1
    head = b" ".join(header) + b" "
    content = head + b"\n".join(bodies) + b"\n"
    encoded, filters = _encode(content, encoding)

    out = BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    obj(
        4,
        b"<< /Type /ObjStm /N %d /First %d /Filter %s /Length %d >>\nstream\n"
        % (len(hidden), len(head), filters, len(encoded))
        + encoded
        + b"\nendstream",
    )
    for number, body in zip(plain_numbers, plain, strict=True):
        obj(number, body)
    xref_number = first_hidden + len(hidden) + len(plain)
    offsets[xref_number] = out.tell()
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    for number in range(1, xref_number + 1):
        if first_hidden <= number < first_hidden + len(hidden):
            rows.append(b"\x02" + struct.pack(">IH", 4, number - first_hidden))
        else:
            rows.append(b"\x01" + struct.pack(">IH", offsets[number], 0))
    table = b"".join(rows)
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


HIDDEN_JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"


@pytest.mark.parametrize("encoding", ["hex", "a85"])
def test_javascript_open_action_in_an_encoded_object_stream_is_refused(encoding):
    data = pdf_with_object_stream(b"/OpenAction 5 0 R", [HIDDEN_JS], encoding=encoding)
    assert b"JavaScript" not in data and b"/JS" not in data  # nothing to see in the bytes
    error = refused(("ktp.pdf", data))
    assert error.code == "active_content"
    assert "“ktp.pdf”" in error.messages[0] and "JavaScript" in error.messages[0]


def test_javascript_in_the_document_names_inside_an_object_stream_is_refused():
    names = b"<< /JavaScript << /Names [(x) 6 0 R] >> >>"
    data = pdf_with_object_stream(b"/Names 5 0 R", [names, HIDDEN_JS], encoding="a85")
    assert refused(("kk.pdf", data)).code == "active_content"


def test_a_uri_open_action_is_refused():
    data = pdf_bytes(b"/OpenAction << /S /URI /URI (https://phish.example/login) >> ")
    error = refused(("paspor.pdf", data))
    assert error.code == "active_content" and "URI" in error.messages[0]


def test_additional_actions_are_refused():
    data = pdf_bytes(b"/AA << /WC << /S /URI /URI (https://track.example/) >> >> ")
    error = refused(("medis.pdf", data))
    assert error.code == "active_content" and "AA" in error.messages[0]


def test_an_annotation_opening_another_file_is_refused():
    link = (
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] "
        b"/A << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >> >>"
    )
    data = pdf_with_object_stream(b"", [link], encoding="hex")
    # The page does not even point at it: every object is looked at.
    assert refused(("surat.pdf", data)).code == "active_content"


def test_an_embedded_file_hidden_in_an_object_stream_is_refused():
    names = b"<< /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>"
    spec = b"<< /F (a.exe) /EF << /F 7 0 R >> >>"
    program = b"MZ\x90\x00" + b"\x00" * 60
    stream = b"<< /Length %d >>\nstream\n" % len(program) + program + b"\nendstream"
    data = pdf_with_object_stream(b"/Names 5 0 R", [names, spec], encoding="hex", plain=[stream])
    assert b"EmbeddedFile" not in data
    error = refused(("ijazah.pdf", data))
    assert error.code == "active_content" and "EmbeddedFile" in error.messages[0]


def test_a_stream_the_parser_cannot_decode_is_refused():
    data = pdf_with_object_stream(b"/OpenAction 5 0 R", [HIDDEN_JS])
    data = data.replace(b"[/ASCIIHexDecode /FlateDecode]", b"[/ASCIIHexDecode /FooDecode0000]")
    error = refused(("rusak.pdf", data))
    assert error.code == "damaged_pdf" and "“rusak.pdf”" in error.messages[0]


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_locked_with_a_password_is_refused_and_one_only_locked_for_changes_is_not():
    error = refused(("terkunci.pdf", _encrypted("rahasia")))
    assert error.code == "encrypted_pdf" and "password" in error.messages[0]
    assert clean(("boleh.pdf", _encrypted("")))


def test_ordinary_pdfs_are_still_accepted():
    from fpdf import FPDF

    made = FPDF()
    made.add_page()
    made.set_font("helvetica", size=12)
    made.cell(text="Kartu Tanda Penduduk")
    real = bytes(made.output())
    harmless = pdf_with_object_stream(
        b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> /Outlines 5 0 R",
        [b"<< /Type /Outlines /Count 0 >>"],
    )
    for data in (pdf_bytes(), real, harmless, pdf_bytes(b"/OpenAction [3 0 R /Fit] ")):
        (cleaned,) = clean(("ok.pdf", data))
        assert cleaned.content_type == files.PDF and cleaned.data == data


# --- images whose header claims millions of pixels -------------------------------------


def png_claiming(width: int, height: int) -> bytes:
    """A valid one-colour black-and-white PNG of width x height: a few KB however many
    pixels (a decompression bomb, as in the outside test)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def decoded(monkeypatch) -> list:
    """Every image Pillow decodes (loads pixels of) while the test runs."""
    seen = []
    load = ImageFile.ImageFile.load

    def counting(self):
        seen.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    return seen


@pytest.mark.parametrize(("width", "height"), [(7500, 8000), (5200, 5000)])
def test_one_image_of_too_many_pixels_is_refused_before_decoding(width, height, decoded):
    data = png_claiming(width, height)
    assert len(data) < 200_000  # 60 and 26 megapixels in a few KB
    error = refused(("ktp.png", data))
    assert error.code == "too_many_pixels" and "“ktp.png”" in error.messages[0]
    assert "25 megapixels" in error.messages[0]
    assert decoded == []  # measured from the header, nothing decoded


def test_many_large_images_in_one_upload_are_refused_before_decoding(decoded):
    page = png_claiming(2500, 2400)  # 6 megapixels each, 120 for twenty
    error = refused(*[(f"hal{i}.png", page) for i in range(files.MAX_FILES)])
    assert error.code == "too_many_pixels"
    assert "100 megapixels" in error.messages[0]
    assert decoded == []


@pytest.mark.django_db
def test_the_refusal_reaches_the_worker_in_indonesian_through_the_api(wati, wati_person):
    client = verified_client(wati)
    with translation.override("id"):
        response = client.post(
            f"/api/v1/people/{wati_person.pk}/documents",
            {
                "type": "kk",
                "number": "KK 1",
                "files": [SimpleUploadedFile("kk.png", png_claiming(7500, 8000))],
            },
        )
    assert response.status_code in (400, 422), response.content
    assert "terlalu banyak piksel" in response.content.decode()
    assert not Document.objects.filter(person=wati_person).exists()


def test_ordinary_photos_are_still_accepted():
    photo = jpeg_bytes((4000, 3000))  # a 12-megapixel phone photo
    pages = clean(("hal1.jpg", photo), ("hal2.jpg", photo), ("hal3.png", png_bytes((800, 600))))
    assert [p.content_type for p in pages] == [files.JPEG, files.JPEG, files.PNG]
