"""The printable sheets of the reception team (fpdf2, no browser): the arrivals board
(who lands when and where, what each needs, who meets them, and an empty "received by /
signature" column to sign at the gate) and an evacuation's list per flight. Always in
Indonesian (a paper for the airport), whatever the reader's language. Names, flights,
times, points of arrival and needs only: no identity numbers."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accompaniment.pdf import _Doc as PdfDoc
from garda.accompaniment.pdf import new_pdf, unicode_font_dir
from garda.cases import arrivals

NONE = "—"


class _Sheet(PdfDoc):
    """A landscape A4 document with a table helper."""

    def __init__(self):
        self.pdf, self.family = new_pdf(
            compress=True, font_dir=unicode_font_dir(), orientation="landscape"
        )
        self.pdf.add_page()

    def table(self, headings: list[str], rows: list[list[str]], widths: list[int]):
        self.pdf.set_font(self.family, "", 8)
        with self.pdf.table(
            col_widths=widths, text_align="LEFT", line_height=4.5, first_row_as_headings=True
        ) as table:
            head = table.row()
            for h in headings:
                head.cell(self.text(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(self.text(v or NONE) if v != "" else " ")


def _time(value) -> str:
    return date_format(timezone.localtime(value), "H.i") if value else NONE


def _day(value) -> str:
    return date_format(value, "l, j F Y")


def _needs(rep) -> str:
    return ", ".join(n["label"] for n in arrivals.needs_of(rep.needs)) or NONE


def render_arrivals(days, begin, finish) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        doc = _Sheet()
        last = timezone.localdate(finish - timezone.timedelta(seconds=1))
        doc.write(_("Arrivals"), size=16, bold=True)
        doc.write(
            _("%(start)s to %(end)s")
            % {"start": _day(timezone.localdate(begin)), "end": _day(last)},
            gap=1,
        )
        doc.write(
            _("Printed on %(when)s") % {"when": date_format(timezone.localtime(), "j F Y, H.i")},
            size=8,
            gap=2,
        )
        if not days:
            doc.write(_("Nobody is expected in these days."))
        headings = [
            _("Time"),
            _("Name"),
            _("Flight"),
            _("Point of arrival"),
            _("Needs"),
            _("Met by"),
            _("Received by / signature"),
        ]
        for day in days:
            doc.heading(_day(day.day))
            doc.table(
                headings,
                [
                    [
                        _time(r.arrives_at),
                        r.name,
                        r.flight or NONE,
                        arrivals.debarkation_words(r.debarkation) or NONE,
                        _needs(r),
                        arrivals.person_label(r.met_by) or NONE,
                        "",
                    ]
                    for r in day.rows
                ],
                [14, 50, 20, 60, 45, 32, 50],
            )
        return doc.output()


def render_flights(evacuation, flights) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        doc = _Sheet()
        doc.write(_("List per flight"), size=16, bold=True)
        doc.write(f"{evacuation.name} ({evacuation.reference})", size=12, gap=2)
        for flight in flights:
            title = flight.flight or _("No flight yet")
            when = (
                date_format(timezone.localtime(flight.arrives_at), "j F Y, H.i")
                if flight.arrives_at
                else NONE
            )
            doc.heading(
                _("%(flight)s: %(n)s people, arriving %(when)s, %(point)s")
                % {
                    "flight": title,
                    "n": len(flight.people),
                    "when": when,
                    "point": flight.debarkation_label or NONE,
                }
            )
            doc.table(
                [_("No."), _("Name"), _("Arrival"), _("Needs"), _("Status"), _("Present")],
                [
                    [
                        str(i),
                        p.name,
                        date_format(timezone.localtime(p.arrives_at), "j M, H.i")
                        if p.arrives_at
                        else NONE,
                        _needs(p),
                        str(p.get_status_display()),
                        "",
                    ]
                    for i, p in enumerate(flight.people, start=1)
                ],
                [12, 80, 35, 60, 45, 30],
            )
        return doc.output()
