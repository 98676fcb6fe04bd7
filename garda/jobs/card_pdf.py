"""The printable worker card (fpdf2, as the training certificate): an ID-1 sized card
(85.6 × 54 mm) twice on an A4 page, front and back, to cut out and fold, with the
same few facts as its public page and nothing more (a lost card tells a finder no
more than the page does): the name, the destination, how long it is valid, the
embassy or consulate there and the hotline in Jakarta, and a QR code of the public
page (garda/jobs/views/card.py) where anyone checks that it is still valid.

Labels in Indonesian and English (the worker shows it abroad); fonts as in
accompaniment/pdf.py (DejaVu Sans when installed, else Helvetica, transliterated).
"""

from django.utils.translation import gettext_noop
from fpdf.enums import XPos, YPos

from garda.accompaniment.pdf import CORE_FONT, new_pdf, transliterate, unicode_font_dir
from garda.training.certificate_pdf import both, both_dates, qr_png

TITLE = gettext_noop("Indonesian migrant worker card")
NAME = gettext_noop("Name")
DESTINATION = gettext_noop("Destination")
VALID_UNTIL = gettext_noop("Valid until")
VALID_WHILE = gettext_noop("Valid while the placement lasts")
EMBASSY = gettext_noop("Embassy or consulate")
HOTLINE = gettext_noop("Hotline in Jakarta")
CHECK = gettext_noop("Scan to check it is valid")
IN_TROUBLE = gettext_noop("In trouble? Call the embassy or the hotline.")

CARD_W, CARD_H = 85.6, 54.0
QR_SIZE = 26


def _text(pdf, family: str, value) -> str:
    cmap = getattr(pdf.current_font, "cmap", None)
    if cmap is not None and family != CORE_FONT:
        return transliterate(str(value), lambda ch: ord(ch) in cmap)
    return transliterate(str(value))


def card_pdf(card: dict, *, compress: bool = True) -> bytes:
    """The card of `card` (views.card.card_facts: name, destination, ends_on,
    embassy lines, hotline, url)."""
    pdf, family = new_pdf(compress=compress, font_dir=unicode_font_dir())
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_title(both(TITLE))
    x0, y0 = 20.0, 20.0

    def line(value, *, size=7.0, bold=False, w=CARD_W - 6):
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_x(pdf.get_x())
        pdf.multi_cell(w, size * 0.45, _text(pdf, family, value), new_x=XPos.LEFT, new_y=YPos.NEXT)

    # the front: who, where, until when, the QR code
    pdf.set_line_width(0.3)
    pdf.rect(x0, y0, CARD_W, CARD_H, round_corners=True)
    pdf.set_xy(x0 + 3, y0 + 3)
    line(both(TITLE).upper(), size=6.5, bold=True)
    pdf.ln(1.5)
    pdf.set_x(x0 + 3)
    line(both(NAME), size=5.5)
    pdf.set_x(x0 + 3)
    line(card["name"], size=10, bold=True, w=CARD_W - QR_SIZE - 8)
    pdf.ln(1)
    pdf.set_x(x0 + 3)
    line(both(DESTINATION), size=5.5)
    pdf.set_x(x0 + 3)
    line(card["destination"], size=8, bold=True, w=CARD_W - QR_SIZE - 8)
    pdf.ln(1)
    pdf.set_x(x0 + 3)
    if card.get("ends_on"):
        line(f"{both(VALID_UNTIL)}: {both_dates(card['ends_on'])}", size=6, w=CARD_W - QR_SIZE - 8)
    else:
        line(both(VALID_WHILE), size=6, w=CARD_W - QR_SIZE - 8)
    pdf.image(
        qr_png(card["url"]),
        x=x0 + CARD_W - QR_SIZE - 3,
        y=y0 + CARD_H - QR_SIZE - 7,
        w=QR_SIZE,
        h=QR_SIZE,
        link=card["url"],
    )
    pdf.set_xy(x0 + CARD_W - QR_SIZE - 12, y0 + CARD_H - 6.5)
    pdf.set_font(family, "", 4.5)
    pdf.multi_cell(QR_SIZE + 10, 2.2, _text(pdf, family, both(CHECK)), align="C")

    # the back: whom to call
    y1 = y0 + CARD_H + 8
    pdf.rect(x0, y1, CARD_W, CARD_H, round_corners=True)
    pdf.set_xy(x0 + 3, y1 + 3)
    line(both(IN_TROUBLE), size=6.5, bold=True)
    pdf.ln(1.5)
    pdf.set_x(x0 + 3)
    line(both(EMBASSY), size=5.5)
    for text in card["embassy"] or ["—"]:
        pdf.set_x(x0 + 3)
        line(text, size=6.5)
    pdf.ln(1.5)
    pdf.set_x(x0 + 3)
    line(both(HOTLINE), size=5.5)
    pdf.set_x(x0 + 3)
    line(card["hotline"] or "—", size=9, bold=True)

    # the address of the page, under the cards (also a link)
    pdf.set_xy(x0, y1 + CARD_H + 6)
    pdf.set_font(family, "", 7)
    pdf.multi_cell(150, 3.5, _text(pdf, family, card["url"]), link=card["url"])
    return bytes(pdf.output())
