"""Cases for tests: a report as the public form sends it, and helpers that move a
case along its workflow through the services."""

from garda.cases.models import Case, Channel, MatchState, Stage
from garda.cases.services.handling import case_assign, case_move
from garda.cases.services.intake import ReportData, case_open


def report_data(**overrides) -> ReportData:
    values = {
        "reporter_name": "Sri Wahyuni",
        "reporter_phone": "+6281234567001",
        "relationship": "parent",
        "person_name": "Siti Aminah",
        "kinds": ["wages"],
        "description": "Gaji anak saya belum dibayar tiga bulan.",
        "city": "Kuala Lumpur",
    }
    values.update(overrides)
    return ReportData(**values)


def open_case(*, actor=None, channel: str = Channel.PUBLIC, **overrides) -> tuple[Case, str]:
    return case_open(actor=actor, data=report_data(**overrides), channel=channel)


def confirm_nik_owner(case: Case, actor) -> Case:
    """The officer confirms the owner of the NIK a public or family report gave (such
    a NIK only suggests its owner: issue 19), as at triage."""
    from garda.cases.services.intake import case_link_person
    from garda.people.services.registry import find_by_nik

    if case.match_state == MatchState.SUGGESTED and case.person_id is None and case.subject_nik:
        owner = find_by_nik(case.subject_nik)
        if owner is not None and owner.merged_into_id is None:
            case = case_link_person(actor=actor, case=case, person=owner)
    return case


def case_in_progress(*, officer, actor=None, **overrides) -> Case:
    """A case triaged, assigned to `officer` and in progress (actor: who triages and
    assigns; by default the officer takes it themself)."""
    actor = actor or officer
    case, _secret = open_case(**overrides)
    case = confirm_nik_owner(case, actor)
    case = case_move(actor=actor, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=actor, case=case, officer=officer, reason="ambil")
    return case_move(actor=officer, case=case, stage="in_progress", reason="mulai")


def case_at(stage: str, *, officer, supervisor=None, **overrides) -> Case:
    """A case brought to `stage` through the services, held by `officer` from
    "assigned" on (a closed case is resolved then closed; `supervisor` closes a case
    that needs approval)."""
    case, _secret = open_case(**overrides)
    if stage == Stage.NEW:
        return case
    case = confirm_nik_owner(case, officer)
    case = case_move(actor=officer, case=case, stage=Stage.TRIAGED, reason="dicek")
    if stage == Stage.TRIAGED:
        return case
    case = case_assign(actor=officer, case=case, officer=officer, reason="ambil")
    if stage == Stage.ASSIGNED:
        return case
    case = case_move(actor=officer, case=case, stage=Stage.IN_PROGRESS, reason="mulai")
    if stage == Stage.IN_PROGRESS:
        return case
    if stage == Stage.WAITING:
        return case_move(actor=officer, case=case, stage=Stage.WAITING, reason="tunggu KBRI")
    case = case_move(actor=officer, case=case, stage=Stage.RESOLVED, reason="gaji dibayar")
    if stage == Stage.RESOLVED:
        return case
    return case_move(actor=supervisor or officer, case=case, stage=Stage.CLOSED, reason="selesai")


def worker_person(user, *, serial: int = 2, full_name: str = "Wati Lestari", **kwargs):
    """The registry record of a worker's own account (people's factory)."""
    from garda.people.tests.factories import register

    return register(serial=serial, user=user, full_name=full_name, **kwargs)
