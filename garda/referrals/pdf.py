"""The printable referral letter (fpdf2, no browser), for agencies that work on paper
(docs/referrals.md, "The referral letter"): the referral number to answer against,
big and as a QR code linking to the referral's page in Garda; the date; from (the
agency, the officer, their phone and e-mail); to (the receiving agency); the service
asked and what is asked; the answer-by date; the parts of the case shared, each under
its name with its data as label/value rows (sections.referred_case_data, the same data
the partner's API gives, in words); the person's name; and how to answer. Always in
Indonesian (an official letter), whatever the reader's language. Identity numbers only
when the identity section is referred; internal notes never (no section covers them).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accompaniment.pdf import _Doc as PdfDoc
from garda.accompaniment.pdf import unicode_font_dir
from garda.cases import screening
from garda.cases.models import Service
from garda.links import absolute_url
from garda.referrals import display
from garda.referrals.models import Referral, Section
from garda.referrals.sections import referred_case_data
from garda.referrals.services.escalation import referral_url

QR_SIZE = 28  # mm: accompaniment.pdf draws it
NONE = "—"


@dataclass
class LetterPart:
    """One referred section: its name and its data as (label, value) rows."""

    name: str
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Letter:
    """Everything the letter shows, gathered before drawing (the drawing is pure)."""

    reference: str
    made_on: datetime
    from_agency: str
    officer: str
    phone: str
    email: str
    to_agency: str
    to_address: str
    service: str
    request: str
    answer_by: datetime
    person: str
    case_reference: str
    sections: list[str] = field(default_factory=list)
    parts: list[LetterPart] = field(default_factory=list)
    link: str = ""


def letter_for(referral: Referral, *, now: datetime | None = None) -> Letter:
    """The letter of `referral` (its case, agency and people loaded by the caller), its
    words in Indonesian whatever the caller's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _letter_for(referral, now=now)


def _letter_for(referral: Referral, *, now: datetime | None) -> Letter:
    case = referral.case
    officer = case.owner or referral.requested_by
    agency = case.agency or officer.agency
    service = referral.service_type
    return Letter(
        reference=referral.reference,
        made_on=now or timezone.now(),
        from_agency=agency.name if agency is not None else "",
        officer=officer.full_name or officer.email,
        phone=officer.phone or (agency.phone if agency is not None else ""),
        email=(agency.email if agency is not None and agency.email else "") or officer.email,
        to_agency=referral.agency.name,
        to_address=referral.agency.address,
        service=str(Service.Type(service).label) if service in Service.Type.values else service,
        request=referral.request,
        answer_by=referral.due_at,
        person=case.person.full_name if case.person_id else case.subject_name,
        case_reference=case.reference,
        sections=[str(Section(s).label) for s in referral.sections if s in Section.values],
        parts=case_parts(referred_case_data(case, referral.sections)),
        link=absolute_url(referral_url(referral)),
    )


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y, H.i")


def _day(value) -> str:
    if value is None:
        return NONE
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def _text(value) -> str:
    return str(value) if value not in (None, "") else NONE


def _summary(data: dict) -> list[tuple[str, str]]:
    return [
        (_("Kind of problem"), ", ".join(data["kinds"]) or NONE),
        (_("Stage"), data["stage"]),
        (_("Severity"), data["severity"]),
        (_("Status"), data["status"]),
        (_("Reported on"), _day(data["created_at"])),
        (_("Description"), _text(data["description"])),
    ]


def _person(data: dict) -> list[tuple[str, str]]:
    return [
        (_("Name"), _text(data["name"])),
        (_("Birth date"), _day(data["birth_date"])),
        (_("Sex"), _text(data["sex"])),
        (_("Home region"), _text(data["region"])),
        (_("Registry number"), _text(data["registry_reference"])),
    ]


def _identity(data: dict) -> list[tuple[str, str]]:
    return [("NIK", _text(data["nik"]))]


def _whereabouts(data: dict) -> list[tuple[str, str]]:
    return [
        (_("Country"), _text(data["country_name"])),
        (_("City"), _text(data["city"])),
        (_("Employer or address abroad"), _text(data["employer_abroad"])),
        (_("Phone abroad"), _text(data["phone_abroad"])),
        (_("Last contact"), _day(data["last_contact_on"])),
    ]


def _reporter(data: dict) -> list[tuple[str, str]]:
    return [
        (_("Name"), _text(data["name"])),
        (_("Phone"), _text(data["phone"])),
        (_("Relationship"), _text(data["relationship"])),
    ]


def _answer(code: str, option: str) -> tuple[str, str] | None:
    question = screening.BY_CODE.get(code)
    if question is None:
        return None
    chosen = next((o.label for o in question.options if o.code == option), option)
    return str(question.text), _text(chosen)


def _screening(data: dict) -> list[tuple[str, str]]:
    rows = [
        (_("Latest result"), _text(data["level"])),
        (_("ILO indicators"), ", ".join(data["indicators"]) or NONE),
        (_("Date"), _day(data["asked_at"])),
    ]
    answers = (_answer(code, option) for code, option in data["answers"].items())
    return rows + [a for a in answers if a is not None]


def _services(data: list) -> list[tuple[str, str]]:
    rows = []
    for s in data:
        value = [f"{_('Due')} {_day(s['due_at'])}"]
        if s["provider"]:
            value.append(s["provider"])
        if s["done_at"]:
            value.append(f"{_('Provided')} {_day(s['done_at'])}")
        rows.append((s["type"], " · ".join(value)))
    return rows or [(_("Planned services"), _("No services planned yet."))]


def _documents(data: list) -> list[tuple[str, str]]:
    rows = [(d["title"], _day(d["uploaded_at"])) for d in data]
    return rows or [(_("Files"), _("No files yet."))]


ROWS = {
    Section.SUMMARY: _summary,
    Section.PERSON: _person,
    Section.IDENTITY: _identity,
    Section.WHEREABOUTS: _whereabouts,
    Section.REPORTER: _reporter,
    Section.SCREENING: _screening,
    Section.SERVICES: _services,
    Section.DOCUMENTS: _documents,
}


def case_parts(data: dict) -> list[LetterPart]:
    """The referred sections of `data` (sections.referred_case_data), in words
    (display.case_data), as parts of the letter; the sections not referred are absent."""
    shown = display.case_data(data)
    return [
        LetterPart(name=str(Section(s).label), rows=ROWS[Section(s)](shown[s]))
        for s in data["referred_sections"]
        if shown.get(s) is not None
    ]


def render_letter(letter: Letter, *, compress: bool = True) -> bytes:
    """The PDF of `letter` as bytes, in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(letter, compress=compress)


def _draw(letter: Letter, *, compress: bool) -> bytes:
    doc = PdfDoc(compress=compress, font_dir=unicode_font_dir())
    pdf = doc.pdf
    # The QR code at the top right; the number and the date to its left.
    doc.qr(letter.link)
    margin = pdf.r_margin
    pdf.set_right_margin(margin + QR_SIZE + 4)
    doc.write(_("Referral letter"), size=16, bold=True, gap=1)
    doc.write(_("Number to answer against:"))
    doc.write(letter.reference, size=26, bold=True, gap=1)
    made_on = date_format(timezone.localtime(letter.made_on), "j F Y")
    doc.write(_("Made on %(date)s") % {"date": made_on}, size=9)
    pdf.set_right_margin(margin)
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + QR_SIZE + 2))

    doc.heading(_("From"))
    doc.write(letter.from_agency, bold=True)
    for label, value in (
        (_("Officer"), letter.officer),
        (_("Phone"), letter.phone),
        (_("E-mail"), letter.email),
    ):
        doc.write(f"{label}: {value or '—'}")

    doc.heading(_("To"))
    doc.write(letter.to_agency, bold=True)
    if letter.to_address:
        doc.write(letter.to_address)

    doc.heading(_("What is asked"))
    doc.write(f"{_('Service asked for')}: {letter.service}")
    doc.write(letter.request)
    doc.write(f"{_('On behalf of')}: {letter.person}")
    doc.write(f"{_('Case number')}: {letter.case_reference}")
    doc.write(_("Please answer by %(date)s.") % {"date": _when(letter.answer_by)}, bold=True)

    doc.heading(_("Parts of the case shared with you"))
    for part in letter.parts:
        doc.write(part.name, bold=True)
        for label, value in part.rows:
            doc.write(f"{label}: {value}")
        pdf.ln(2)
    if not letter.parts:
        doc.write(_("None"))

    doc.heading(_("How to answer"))
    doc.write(
        _(
            "Quote the number %(reference)s in every answer. Accept or decline the "
            "referral, and later report the service delivered, on the referral's page "
            "in Garda: scan the QR code, or open the address below and sign in as a "
            "partner of your agency. Without access to Garda, answer the officer above by "
            "phone or e-mail, quoting the number."
        )
        % {"reference": letter.reference}
    )
    doc.write(letter.link, bold=True)
    pdf.ln(4)
    doc.write(
        _(
            "This letter holds personal data shared for this referral only (UU 27/2022 "
            "on personal data protection): keep it safe and do not pass it on."
        ),
        size=8.5,
    )
    return doc.output()
