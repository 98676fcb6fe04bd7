"""Small files for tests, made in code: PNG and JPEG with Pillow (a JPEG can carry
GPS EXIF), PDFs by hand."""

from io import BytesIO

from PIL import Image

GPS_IFD = 0x8825


def png_bytes(size: tuple[int, int] = (24, 16), colour=(200, 30, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(
    size: tuple[int, int] = (24, 16), *, gps: bool = False, orientation: int = 0
) -> bytes:
    """A JPEG; with gps=True its EXIF holds a position (Monas, Jakarta), a camera
    make and a comment."""
    image = Image.new("RGB", size, (20, 120, 200))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(GPS_IFD).update(
            {
                1: "S",
                2: (6.0, 10.0, 31.0),
                3: "E",
                4: (106.0, 49.0, 37.0),
            }
        )
    if orientation:
        exif[0x0112] = orientation
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def pdf_bytes(extra: bytes = b"", *, eof: bool = True) -> bytes:
    """A minimal valid one-page PDF; `extra` goes into the catalogue dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref))
    if eof:
        out.write(b"%%EOF\n")
    return out.getvalue()


def pdf_with_compressed(content: bytes) -> bytes:
    """A PDF with a Flate-compressed stream holding `content` (e.g. a hidden
    /JavaScript in an object stream)."""
    import zlib

    stream = zlib.compress(content)
    base = pdf_bytes(eof=False)
    body = (
        b"4 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    return base + body
