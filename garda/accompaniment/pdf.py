"""The printable readiness summary of a person (fpdf2, no browser).

What is done, what is missing, where to go and what to bring (the readiness
engine's next steps), upcoming appointments, the accompanying officers with their
agency's contact, and the date it was generated. No identity numbers.

Fonts: names and Indonesian text must never crash the PDF. DejaVu Sans (a free
Unicode TrueType font, shipped by most Linux distributions as fonts-dejavu) is used
when it is found in FONT_DIRS (settings.GARDA_PDF_FONT_DIR first); otherwise the
PDF falls back to the core Helvetica font, which only knows Latin-1, and every other
character is transliterated ("Nguyễn" -> "Nguyen", curly quotes -> straight) or
shown as "?". Characters the Unicode font lacks (e.g. CJK) get the same treatment,
so fpdf2 never logs a "missing glyph" line quoting part of a name.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from garda.accompaniment.access import appointments_for_worker
from garda.links import absolute_url
from garda.people.models import Person

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"
CORE_FONT = "Helvetica"

_PLAIN = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2022": "-",
    "\u2026": "...",
    "\u2192": "->",
    "\u00a0": " ",
    "\u0131": "i",
    "\u0141": "L",
    "\u0142": "l",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u00df": "ss",
}


def transliterate(text: str, supported=lambda ch: ord(ch) < 256) -> str:
    """`text` with every character `supported` refuses replaced by a plain one.

    Control characters go (a PDF has no use for them); a character with a
    decomposition keeps its base letters ("ễ" -> "e"); anything else becomes "?"."""
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch if ch == "\n" else " ")
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        if supported(ch):
            out.append(ch)
            continue
        plain = _PLAIN.get(ch)
        if plain is None:
            decomposed = unicodedata.normalize("NFKD", ch)
            plain = "".join(c for c in decomposed if not unicodedata.combining(c))
            plain = "".join(c for c in plain if supported(c)) or "?"
        out.append(plain)
    return "".join(out)


def unicode_font_dir() -> Path | None:
    """A directory holding DejaVu Sans regular and bold, or None (core fonts)."""
    configured = getattr(settings, "GARDA_PDF_FONT_DIR", "")
    for candidate in ([configured] if configured else []) + list(FONT_DIRS):
        path = Path(candidate)
        if (path / FONT_REGULAR).is_file() and (path / FONT_BOLD).is_file():
            return path
    return None


# --- the data -----------------------------------------------------------------------


@dataclass
class Summary:
    """Everything the PDF shows, gathered before drawing (the drawing is pure)."""

    full_name: str
    reference: str
    generated_at: datetime
    target: str = ""
    planned_departure: date | None = None
    result: object = None  # destinations.rules.Result, or None without a plan
    appointments: list = field(default_factory=list)
    officers: list = field(default_factory=list)  # people.Assignment with officer__agency
    link: str = ""


def _get(obj, name: str, default=None):
    # The engine's dataclasses, or their to_dict() form.
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def summary_for(person: Person, *, now: datetime | None = None, viewer=None) -> Summary:
    """Collect the summary of `person` for `viewer` (a few queries; computes readiness
    once).

    A health result's details (a rejection reason, a level) are health data: they are
    in the summary only when `viewer` may see the person's health data
    (documents.access.may_see_health: the worker themself, their assigned officers,
    health staff, admins). Without a `viewer` they are left out (rules.redact_for):
    callers should pass the user who downloads the PDF."""
    from django.urls import reverse

    from garda.destinations.models import Plan, Sector
    from garda.destinations.readiness import readiness_for
    from garda.destinations.rules import redact_for
    from garda.documents.access import may_see_health

    now = now or timezone.now()
    plan = (
        Plan.objects.filter(person=person, is_current=True)
        .select_related("destination", "scheme")
        .first()
    )
    target = ""
    if plan is not None:
        sector = Sector(plan.sector).label if plan.sector in Sector.values else plan.sector
        target = f"{plan.destination.display_name} · {plan.scheme.display_name} · {sector}"
    result = readiness_for(person, plan) if plan is not None else None
    if result is not None:
        sees_health = viewer is not None and may_see_health(viewer, person)
        result = redact_for(result, sees_health)
    return Summary(
        full_name=person.full_name,
        reference=person.reference,
        generated_at=now,
        target=target,
        planned_departure=plan.planned_departure if plan is not None else None,
        result=result,
        appointments=list(appointments_for_worker(person, now=now)[:10]),
        officers=list(person.assignments.select_related("officer__agency").order_by("assigned_at")),
        link=absolute_url(reverse("accompaniment:mine")),
    )


# --- the drawing --------------------------------------------------------------------


STATE_LABELS = {
    "met": lambda: _("done"),
    "missing": lambda: _("missing"),
    "pending": lambda: _("waiting for verification"),
    "rejected": lambda: _("rejected: upload it again"),
    "expired": lambda: _("expired"),
    "expiring": lambda: _("expires before the planned departure"),
}


def new_pdf(
    *, compress: bool, font_dir: Path | None, orientation: str = "portrait"
) -> tuple[FPDF, str]:
    """An A4 FPDF with Garda's settings and its font family: DejaVu (all of Indonesian
    and more) when `font_dir` has it, else a core font."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("Garda")
    if font_dir is None:
        return pdf, CORE_FONT
    pdf.add_font("DejaVu", "", str(font_dir / FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(font_dir / FONT_BOLD))
    return pdf, "DejaVu"


class _Doc:
    def __init__(self, *, compress: bool, font_dir: Path | None):
        self.pdf, self.family = new_pdf(compress=compress, font_dir=font_dir)
        self.pdf.add_page()

    def text(self, value: str) -> str:
        font = self.pdf.current_font
        cmap = getattr(font, "cmap", None)
        if cmap is not None and self.family != CORE_FONT:
            return transliterate(str(value), lambda ch: ord(ch) in cmap)
        return transliterate(str(value))

    def write(self, value: str, *, size: float = 10, bold: bool = False, gap: float = 0):
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            self.pdf.ln(gap)

    def heading(self, value: str):
        self.pdf.ln(2)
        self.write(value, size=12, bold=True, gap=1)

    def item(self, value: str):
        self.write(f"- {value}")

    def qr(self, link: str):
        import qrcode

        image = qrcode.make(link, border=1).get_image()
        size = 28
        x = self.pdf.w - self.pdf.r_margin - size
        self.pdf.image(image, x=x, y=self.pdf.t_margin, w=size, h=size)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _day(value) -> str:
    return date_format(value, "j F Y")


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def render_summary(summary: Summary, *, compress: bool = True) -> bytes:
    """The PDF of `summary` as bytes."""
    doc = _Doc(compress=compress, font_dir=unicode_font_dir())
    if summary.link:
        doc.qr(summary.link)
    doc.write(_("Placement readiness summary"), size=16, bold=True, gap=2)
    doc.write(summary.full_name, size=13, bold=True)
    doc.write(_("Reference: %(reference)s") % {"reference": summary.reference})
    doc.write(_("Generated on %(date)s") % {"date": _when(summary.generated_at)}, size=9, gap=2)

    result = summary.result
    doc.heading(_("Placement plan"))
    if not summary.target:
        doc.write(
            _(
                "No placement plan yet: ask your accompanying officer to choose the "
                "destination, the placement scheme and the sector with you."
            )
        )
    else:
        doc.write(summary.target)
        if summary.planned_departure:
            doc.write(_("Planned departure: %(date)s") % {"date": _day(summary.planned_departure)})
    if result is not None:
        ready = _get(result, "ready")
        doc.write(
            _("Readiness: %(percent)d%% · %(state)s")
            % {
                "percent": _get(result, "percent", 0),
                "state": _("ready") if ready else _("not ready yet"),
            },
            bold=True,
        )
        blockers = _get(result, "blockers", []) or []
        if blockers:
            doc.heading(_("What stops the placement"))
            for blocker in blockers:
                doc.item(_get(blocker, "message", ""))
        requirements = _get(result, "requirements", []) or []
        done = [r for r in requirements if _get(r, "state") == "met"]
        todo = [r for r in requirements if _get(r, "state") != "met"]
        doc.heading(_("Done"))
        if done:
            for req in done:
                doc.item(_get(req, "name", ""))
        else:
            doc.write(_("Nothing yet."))
        doc.heading(_("Still missing"))
        if todo:
            for req in todo:
                state = _get(req, "state", "")
                label = STATE_LABELS[state]() if state in STATE_LABELS else state
                detail = _get(req, "detail", "")
                doc.item(f"{_get(req, 'name', '')}: {label}" + (f" ({detail})" if detail else ""))
        else:
            doc.write(_("Nothing: every required document is in order."))
        steps = _get(result, "next_steps", []) or []
        if steps:
            doc.heading(_("Where to go and what to bring"))
            for number, step in enumerate(steps, start=1):
                doc.write(f"{number}. {_get(step, 'text', '')}", bold=True)
                if _get(step, "agency"):
                    doc.write("   " + _("Where: %(agency)s") % {"agency": _get(step, "agency")})
                if _get(step, "bring"):
                    doc.write("   " + _("Bring: %(bring)s") % {"bring": _get(step, "bring")})

    doc.heading(_("Upcoming appointments"))
    if summary.appointments:
        for task in summary.appointments:
            doc.item(
                _("%(when)s: %(title)s, at %(place)s (with %(officer)s)")
                % {
                    "when": _when(task.due_at),
                    "title": task.title,
                    "place": task.place,
                    "officer": task.officer.full_name or task.officer.email,
                }
            )
    else:
        doc.write(_("No appointment planned."))

    doc.heading(_("Your accompanying officers"))
    if summary.officers:
        for assignment in summary.officers:
            officer = assignment.officer
            agency = officer.agency
            parts = [officer.full_name or officer.email]
            if agency is not None:
                parts.append(agency.name)
            phone = officer.phone or (agency.phone if agency is not None else "")
            if phone:
                parts.append(_("phone %(phone)s") % {"phone": phone})
            if agency is not None and agency.email:
                parts.append(_("e-mail %(email)s") % {"email": agency.email})
            doc.item(" · ".join(parts))
    else:
        doc.write(_("No officer accompanies you yet: visit a Pasukan Putih desk."))

    if summary.link:
        doc.pdf.ln(4)
        doc.write(
            _("Your checklist is always up to date in Garda: %(link)s") % {"link": summary.link},
            size=8,
        )
    return doc.output()


def summary_filename(summary: Summary) -> str:
    return f"ringkasan-kesiapan-{summary.reference}.pdf"
