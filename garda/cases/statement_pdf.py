"""The printable signed statement (berita acara) of a repatriation (fpdf2, no browser;
docs/repatriation.md, "Signed statements"): the hand-over of a worker to the family,
witnessed by the village or city government, or to social services when there is no
family (Permen P2MI 32/2025 art. 13); or a refusal of rehabilitation, signed by the
worker or, when the worker cannot sign, by the family (art. 39).

It shows: the statement's number, date and place, the repatriation number, the
person's name (never an identity number), who hands over (the agency and the officer
who recorded it) and who receives or signs (name and relationship or office), the
witness and their office, the remarks, and the signature lines. Always in Indonesian
(an official document), whatever the reader's language."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accompaniment.pdf import _Doc as PdfDoc
from garda.accompaniment.pdf import unicode_font_dir
from garda.cases.models import RepatriationStatement

Kind = RepatriationStatement.Kind
SignedBy = RepatriationStatement.SignedBy
NONE = "—"


@dataclass
class Statement:
    """Everything the statement shows, gathered before drawing (the drawing is pure)."""

    number: str
    kind: str
    title: str
    signed_on: date
    place: str
    repatriation: str
    case_reference: str
    person: str
    agency: str
    officer: str
    signatory_name: str
    signatory_relation: str
    signed_by: str
    witness_name: str
    witness_office: str
    remarks: str
    lacks_capacity: bool


def statement_for(statement: RepatriationStatement) -> Statement:
    """The document of `statement` (its repatriation, case and recorder loaded by the
    caller), its words in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        rep = statement.repatriation
        officer = statement.recorded_by
        agency = rep.agency or officer.agency
        return Statement(
            number=statement.number,
            kind=statement.kind,
            title=str(Kind(statement.kind).label),
            signed_on=statement.signed_on,
            place=statement.place,
            repatriation=rep.reference,
            case_reference=rep.case.reference if rep.case_id else "",
            person=rep.name,
            agency=agency.name if agency is not None else "",
            officer=officer.full_name or officer.email,
            signatory_name=statement.signatory_name,
            signatory_relation=statement.signatory_relation,
            signed_by=statement.signed_by,
            witness_name=statement.witness_name,
            witness_office=statement.witness_office,
            remarks=statement.remarks,
            lacks_capacity=rep.lacks_capacity,
        )


def render_statement(doc: Statement, *, compress: bool = True) -> bytes:
    """The PDF of `doc` as bytes, in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(doc, compress=compress)


def filename(doc: Statement) -> str:
    return f"berita-acara-{doc.number}.pdf"


def _signature(pdf_doc: PdfDoc, columns: list[tuple[str, str, str]]) -> None:
    """Signature boxes side by side: (role, name, relation or office)."""
    pdf = pdf_doc.pdf
    pdf.ln(6)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(columns)
    top = pdf.get_y()
    if top > pdf.h - 60:
        pdf.add_page()
        top = pdf.get_y()
    for i, (role, name, office) in enumerate(columns):
        x = pdf.l_margin + i * width
        pdf.set_xy(x, top)
        pdf.set_font(pdf_doc.family, "B", 10)
        pdf.multi_cell(width - 4, 5, pdf_doc.text(role), align="C")
        pdf.set_xy(x, top + 30)
        pdf.set_font(pdf_doc.family, "", 10)
        pdf.multi_cell(width - 4, 5, pdf_doc.text(f"( {name or '.' * 30} )"), align="C")
        if office:
            pdf.set_x(x)
            pdf.set_font(pdf_doc.family, "", 9)
            pdf.multi_cell(width - 4, 5, pdf_doc.text(office), align="C")
    pdf.set_xy(pdf.l_margin, top + 50)


def _draw(doc: Statement, *, compress: bool) -> bytes:
    pdf_doc = PdfDoc(compress=compress, font_dir=unicode_font_dir())
    pdf = pdf_doc.pdf
    day = date_format(doc.signed_on, "j F Y")
    pdf_doc.write(_("Official record (berita acara)"), size=11, bold=True)
    pdf_doc.write(doc.title, size=16, bold=True, gap=1)
    pdf_doc.write(_("Number: %(number)s") % {"number": doc.number}, size=11, bold=True, gap=2)

    pdf_doc.write(
        _(
            "On %(date)s, at %(place)s, the undersigned record the following about "
            "repatriation %(reference)s:"
        )
        % {"date": day, "place": doc.place, "reference": doc.repatriation},
        gap=2,
    )
    pdf_doc.heading(_("The person"))
    pdf_doc.write(f"{_('Name')}: {doc.person}")
    pdf_doc.write(f"{_('Repatriation number')}: {doc.repatriation}")
    if doc.case_reference:
        pdf_doc.write(f"{_('Case number')}: {doc.case_reference}")

    officer_role = _("Handed over by")
    if doc.kind == Kind.REFUSAL:
        pdf_doc.heading(_("Refusal of rehabilitation"))
        if doc.signed_by == SignedBy.WORKER:
            wording = _(
                "%(name)s, the worker, declares that the rehabilitation offered at the "
                "point of arrival is refused, having been told what it offers."
            )
            signer = _("Signed by: the worker")
        elif doc.signed_by == SignedBy.FAMILY or doc.lacks_capacity:
            wording = _(
                "The worker cannot sign for themself. On their behalf, %(name)s "
                "(%(relation)s) declares that the rehabilitation offered at the point of "
                "arrival is refused, having been told what it offers."
            )
            signer = _("Signed by: a family member on the worker's behalf")
        else:  # recorded before who signed was asked
            wording = _(
                "%(name)s (%(relation)s) declares that the rehabilitation offered at the "
                "point of arrival is refused, having been told what it offers."
            )
            signer = ""
        pdf_doc.write(
            wording % {"name": doc.signatory_name, "relation": doc.signatory_relation}, gap=1
        )
        if signer:
            pdf_doc.write(signer, bold=True, gap=1)
        signer_role = _("Refused and signed by")
        officer_role = _("Officer")
    else:
        pdf_doc.heading(_("Who hands over"))
        pdf_doc.write(f"{doc.agency or NONE}")
        pdf_doc.write(f"{_('Officer')}: {doc.officer}")
        pdf_doc.heading(_("Who receives"))
        pdf_doc.write(f"{_('Name')}: {doc.signatory_name}")
        if doc.kind == Kind.HANDOVER_FAMILY:
            pdf_doc.write(f"{_('Relationship to the worker')}: {doc.signatory_relation}")
        else:
            pdf_doc.write(f"{_('Office')}: {doc.signatory_relation}")
        pdf_doc.write(
            _("%(person)s is handed over to the receiver named above, who receives them.")
            % {"person": doc.person},
            gap=1,
        )
        signer_role = _("Received by")
    if doc.witness_name or doc.witness_office:
        pdf_doc.heading(_("Witness"))
        pdf_doc.write(f"{_('Name')}: {doc.witness_name or NONE}")
        pdf_doc.write(f"{_('Office')}: {doc.witness_office or NONE}")
    pdf_doc.heading(_("Remarks"))
    pdf_doc.write(doc.remarks or NONE)
    pdf.ln(2)
    pdf_doc.write(
        _("This record is made truthfully, to be used as needed. %(place)s, %(date)s.")
        % {"place": doc.place, "date": day}
    )
    columns = [
        (officer_role, doc.officer, doc.agency),
        (
            signer_role,
            doc.signatory_name,
            doc.signatory_relation or (_("The worker") if doc.signed_by == SignedBy.WORKER else ""),
        ),
    ]
    if doc.witness_name or doc.witness_office:
        columns.append((_("Witness"), doc.witness_name, doc.witness_office))
    _signature(pdf_doc, columns)
    pdf_doc.write(
        _(
            "This record holds personal data (UU 27/2022 on personal data protection): "
            "keep it safe and do not pass it on."
        ),
        size=8.5,
    )
    return pdf_doc.output()


def get_statement_for(user, pk) -> RepatriationStatement:
    """The statement `pk` if `user` sees its repatriation (access.visible_repatriations:
    case staff of the case or the agency, admins); else 404 with a denied row."""
    from garda.audit.gate import deny_not_found
    from garda.cases.access import visible_repatriations

    try:
        return RepatriationStatement.objects.select_related(
            "repatriation__case", "repatriation__agency", "recorded_by__agency"
        ).get(pk=pk, repatriation__in=visible_repatriations(user).values("pk"))
    except (RepatriationStatement.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "cases.repatriationstatement", pk, "get_statement_for")


def statement_response(user, statement: RepatriationStatement):
    """The PDF as an inline, uncached answer; the print audited as an export on the
    statement and on the case."""
    from django.http import HttpResponse

    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    doc = statement_for(statement)
    content = render_statement(doc)
    audit_record(
        actor=user, action=AuditEvent.Action.EXPORT, target=statement, reason="statement pdf"
    )
    rep = statement.repatriation
    if rep.case_id:
        audit_record(
            actor=user,
            action=AuditEvent.Action.EXPORT,
            target=rep.case,
            reason=f"statement {statement.number}",
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename(doc)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
