"""The "are you well?" check-in: the worker answers two plain questions and the
forced-labour screening of the protection cases (cases.screening: the 11 questions
and the ILO rule, involuntariness *and* coercion). A worrying answer (any indicator,
"not well", or a wish for help) opens a case through the cases' own intake
(cases.services.intake.case_open: channel portal, linked to the worker, the
screening recorded) and tells the officers who accompany the worker; every answer
counts as contact (Stay.last_contact_at)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.abroad import policy
from garda.abroad.access import accompanying_officers
from garda.abroad.models import CheckIn, Stay
from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import screening
from garda.cases.models import Channel, Kind, Relationship
from garda.cases.services.intake import ReportData, ReportsExceeded, case_open

YES, NO = "yes", "no"
WELL_LABEL = gettext_lazy("Are you well?")
HELP_LABEL = gettext_lazy("Do you want help from an officer?")


def kinds_for(result: screening.Result, *, wants_help: bool, unwell: bool) -> list[str]:
    """The case kinds the answers point to (policy [kinds]); "other" when only the
    plain questions worried."""
    pol = policy.current()
    kinds = [pol.kinds[code] for code in result.indicators if code in pol.kinds]
    if result.level in (screening.HIGH, screening.URGENT):
        kinds.append(Kind.TRAFFICKING)
    kinds = list(dict.fromkeys(kinds))
    return kinds or [Kind.OTHER]


def is_worrying(result: screening.Result, *, wants_help: bool, unwell: bool) -> bool:
    return result.level != screening.NONE or wants_help or unwell


def _description(result: screening.Result, *, wants_help: bool, unwell: bool) -> str:
    parts = [_("Answer to the periodic check-in from abroad (lapor diri).")]
    if unwell:
        parts.append(_("The worker says they are not well."))
    if wants_help:
        parts.append(_("The worker asks for help from an officer."))
    if result.indicators:
        parts.append(_("Indicators: %(list)s.") % {"list": ", ".join(result.indicator_labels)})
    return " ".join(parts)


def open_check_in(stay: Stay) -> CheckIn | None:
    """The latest check-in of `stay` not answered yet."""
    return stay.check_ins.filter(answered_at__isnull=True).order_by("-asked_at", "-id").first()


def checkin_answer(*, actor: User, stay: Stay, well: str, help: str, answers: dict) -> CheckIn:
    """The worker answers (the open check-in, or a new one they start themself)."""
    person = stay.person
    if actor.role != roles.WORKER or person.user_id != actor.pk:
        deny(actor, "abroad.checkin_answer", target=stay)
    errors = {}
    if stay.ended_at is not None:
        errors["__all__"] = _("This stay has ended.")
    if well not in (YES, NO):
        errors["well"] = _("Say whether you are well.")
    if help not in (YES, NO):
        errors["help"] = _("Say whether you want help.")
    try:
        answers = screening.check(answers)
    except screening.ScreeningError:
        errors["answers"] = _("An answer does not match the questions.")
    if errors:
        raise ValidationError(errors)
    wants_help, unwell = help == YES, well == NO
    result = screening.assess(answers)
    worrying = is_worrying(result, wants_help=wants_help, unwell=unwell)
    now = timezone.now()
    with transaction.atomic():
        check_in = open_check_in(stay) or CheckIn(stay=stay, asked_at=now)
        new = check_in.pk is None  # answered without being asked (the worker began)
        check_in.answered_at = now
        check_in.answers = {"well": well, "help": help, **answers}
        check_in.level = result.level
        case = None
        if worrying:
            case = _open_case(actor, stay, result, answers, wants_help=wants_help, unwell=unwell)
        check_in.case = case
        check_in.save()
        Stay.objects.filter(pk=stay.pk).update(last_contact_at=now)
        stay.last_contact_at = now
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if new else AuditEvent.Action.UPDATE,
            target=check_in,
            changed_fields=["answered_at", "answers", "level"] + (["case"] if case else []),
            reason="check-in answered",
        )
        if worrying:
            _tell_officers(stay, result, case)
    return check_in


def _open_case(actor, stay, result, answers, *, wants_help, unwell):
    """A case from the answers, or None when the worker's reports budget is spent
    (the officers are told all the same)."""
    person = stay.person
    data = ReportData(
        reporter_name=person.full_name,
        relationship=Relationship.SELF,
        person_name=person.full_name,
        kinds=kinds_for(result, wants_help=wants_help, unwell=unwell),
        description=_description(result, wants_help=wants_help, unwell=unwell),
        reporter_phone=stay.phone,
        country=stay.country,
        city=stay.city,
        employer_abroad=stay.employer_name,
        phone_abroad=stay.phone,
        last_contact_on=timezone.localdate(),
        answers=answers,
    )
    try:
        with transaction.atomic():
            case, _secret = case_open(actor=actor, data=data, channel=Channel.PORTAL)
    except ReportsExceeded:
        return None
    return case


def _tell_officers(stay: Stay, result: screening.Result, case) -> None:
    person = stay.person
    title = _("Check-in from abroad: %(reference)s needs attention") % {
        "reference": person.reference
    }
    if case is not None:
        body = _("A case was opened: %(case)s (%(level)s).") % {
            "case": case.reference,
            "level": screening.LEVEL_LABELS[result.level],
        }
        url = reverse("cases:detail", args=[case.pk])
    else:
        body = _("The worker asks for help. Call them.")
        url = reverse("abroad:person_stay", args=[person.pk])
    for officer in accompanying_officers(person):
        notify(user=officer, title=title, body=body, url=url, email=False)
