import pytest

from garda.cases.access import case_by_tracking
from garda.cases.models import Stage
from garda.cases.services.escalation import escalate
from garda.cases.tests.factories import case_in_progress, open_case

pytestmark = pytest.mark.django_db


def test_public_report_then_workflow(alice):
    case, secret = open_case()
    assert case.reference.startswith("KS-")
    assert case_by_tracking(case.reference, secret) == case
    assert case_by_tracking(case.reference, secret + "x") is None
    case = case_in_progress(officer=alice)
    assert case.stage == Stage.IN_PROGRESS
    assert escalate() == {"at_risk": 0, "level_1": 0, "level_2": 0}
