"""Cases for tests: a report as the public form sends it, and helpers that move a
case along its workflow through the services."""

from garda.cases.models import Case, Channel
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


def case_in_progress(*, officer, actor=None, **overrides) -> Case:
    """A case triaged, assigned to `officer` and in progress (actor: who triages and
    assigns; by default the officer takes it themself)."""
    actor = actor or officer
    case, _secret = open_case(**overrides)
    case = case_move(actor=actor, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=actor, case=case, officer=officer, reason="ambil")
    return case_move(actor=officer, case=case, stage="in_progress", reason="mulai")
