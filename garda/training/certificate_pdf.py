"""The printable certificate (fpdf2, no browser): A4 landscape, bilingual labels
(Indonesian / English: the holder shows it to employers abroad), the holder, the
course, its competency units, KKNI level, provider, LSP certification when the course
includes it, number, dates, and a QR code of the public verification URL (also
printed, and a link in the PDF), which is how anyone checks it is genuine and not
revoked.

Only certificates Garda issued (source "course") and still valid are printed: the
views refuse the others (a revoked certificate must never be printed again).
Fonts as in accompaniment/pdf.py: DejaVu Sans when installed, else Helvetica with
every other character transliterated, so no name crashes the PDF.
"""

from io import BytesIO

import qrcode
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from fpdf.enums import XPos, YPos

from garda.accompaniment.pdf import CORE_FONT, new_pdf, transliterate, unicode_font_dir
from garda.training.models import Certificate

# Labels printed in both languages (gettext_noop: extracted, translated when drawn).
TITLE = gettext_noop("Training certificate")
GIVEN_TO = gettext_noop("This certifies that")
COMPLETED = gettext_noop("has completed the training")
KKNI = gettext_noop("KKNI level")
UNITS = gettext_noop("Competency units")
ISSUED_BY = gettext_noop("Issued by")
LSP = gettext_noop("Competency certification")
SCHEME = gettext_noop("Scheme")
LSP_NUMBER = gettext_noop("LSP/BNSP number")
NUMBER = gettext_noop("Certificate number")
ISSUED_ON = gettext_noop("Issued on")
VALID_UNTIL = gettext_noop("Valid until")
VERIFY = gettext_noop("Check that this certificate is genuine and valid")

QR_SIZE = 38  # mm


def both_dates(day) -> str:
    """A date in Indonesian and English ("6 Maret 2026 / 6 March 2026"), the same
    long form as the pages (garda/formats)."""
    with translation.override("id"):
        indonesian = date_format(day, "j F Y")
    with translation.override("en"):
        english = date_format(day, "j F Y")
    return indonesian if indonesian == english else f"{indonesian} / {english}"


def both(msgid: str) -> str:
    """`msgid` in Indonesian and English ("Diterbitkan oleh / Issued by")."""
    with translation.override("id"):
        indonesian = _(msgid)
    with translation.override("en"):
        english = _(msgid)
    return indonesian if indonesian == english else f"{indonesian} / {english}"


def qr_png(data: str) -> BytesIO:
    """A QR code of `data` as a PNG in memory (qrcode draws it with Pillow)."""
    image = qrcode.make(data, border=1, box_size=10)
    out = BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out


class _Page:
    def __init__(self, *, compress: bool):
        self.pdf, self.family = new_pdf(
            compress=compress, font_dir=unicode_font_dir(), orientation="landscape"
        )
        self.pdf.set_margins(20, 18, 20)
        self.pdf.add_page()

    def text(self, value) -> str:
        cmap = getattr(self.pdf.current_font, "cmap", None)
        if cmap is not None and self.family != CORE_FONT:
            return transliterate(str(value), lambda ch: ord(ch) in cmap)
        return transliterate(str(value))

    def line(self, value, *, size: float = 11, bold: bool = False, align: str = "C", w=0):
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(
            w, size * 0.5, self.text(value), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def gap(self, mm: float) -> None:
        self.pdf.ln(mm)


def certificate_pdf(certificate: Certificate, verify_url: str, *, compress: bool = True) -> bytes:
    """The PDF of a Garda-issued certificate, with a QR code of `verify_url` (the
    absolute public verification URL). Raises ValueError for a revoked or external
    certificate: callers refuse those before (views answer 409)."""
    if certificate.status != Certificate.Status.VALID:
        raise ValueError("a revoked certificate is never printed")
    if certificate.source != Certificate.Source.COURSE:
        raise ValueError("only certificates Garda issued are printed")
    page = _Page(compress=compress)
    pdf = page.pdf
    pdf.set_title(certificate.number)
    pdf.set_subject(both(TITLE))
    # A frame around the page.
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    text_width = pdf.w - pdf.l_margin - pdf.r_margin
    page.gap(2)
    page.line(both(TITLE).upper(), size=20, bold=True)
    page.line(f"{both(NUMBER)}: {certificate.number}", size=10)
    page.gap(6)
    page.line(both(GIVEN_TO), size=11)
    page.gap(2)
    page.line(certificate.person.full_name, size=22, bold=True)
    page.gap(2)
    page.line(both(COMPLETED), size=11)
    page.gap(2)
    page.line(certificate.title, size=16, bold=True)
    if certificate.kkni_level:
        page.line(f"{both(KKNI)}: {certificate.kkni_level}", size=11)
    page.gap(4)

    # The units and the details on the left; the QR code on the right of them.
    left_width = text_width - QR_SIZE - 10
    block_top = pdf.get_y()
    pdf.image(
        qr_png(verify_url),
        x=pdf.w - pdf.r_margin - QR_SIZE,
        y=block_top,
        w=QR_SIZE,
        h=QR_SIZE,
        link=verify_url,
    )
    if certificate.units:
        page.line(both(UNITS), size=10, bold=True, align="L", w=left_width)
        for unit in certificate.units:
            page.line(
                f"{unit.get('code', '')}  {unit.get('title', '')}", size=9, align="L", w=left_width
            )
        page.gap(2)
    details = [f"{both(ISSUED_BY)}: {certificate.issuer_name}"]
    if certificate.lsp_name:
        lsp = certificate.lsp_name
        if certificate.lsp_scheme:
            lsp += f" · {both(SCHEME)}: {certificate.lsp_scheme}"
        if certificate.lsp_certificate_number:
            lsp += f" · {both(LSP_NUMBER)}: {certificate.lsp_certificate_number}"
        details.append(f"{both(LSP)}: {lsp}")
    details.append(f"{both(ISSUED_ON)}: {both_dates(certificate.issued_on)}")
    if certificate.expires_on:
        details.append(f"{both(VALID_UNTIL)}: {both_dates(certificate.expires_on)}")
    for detail in details:
        page.line(detail, size=10, align="L", w=left_width)

    # The verification URL at the foot of the last page (also a link).
    pdf.set_auto_page_break(auto=False)
    footer_y = pdf.h - 20
    if pdf.get_y() > footer_y - 2:
        pdf.add_page()
    pdf.set_xy(pdf.l_margin, footer_y)
    pdf.set_font(page.family, "", 8)
    pdf.multi_cell(
        text_width,
        4,
        page.text(f"{both(VERIFY)}: {verify_url}"),
        align="C",
        link=verify_url,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def certificate_filename(certificate: Certificate) -> str:
    return "sertifikat-" + certificate.number.replace("/", "-").lower() + ".pdf"
