"""The check-in “are you well?”: a worrying answer opens a case through the cases'
intake (portal, linked to the worker, the screening recorded, the kinds from the
answers) and tells the officer who accompanies the worker; a fine answer opens
nothing and counts as contact."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.abroad.models import CheckIn
from garda.abroad.services.checkins import checkin_answer
from garda.abroad.services.stays import stay_report
from garda.abroad.tests.conftest import stay_data
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.models import Case, Screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(wati, wati_person):
    return stay_report(actor=wati, person=wati_person, data=stay_data())


def test_a_fine_answer_opens_no_case_and_updates_last_contact(wati, stay, alice):
    old = timezone.now() - timedelta(days=40)
    type(stay).objects.filter(pk=stay.pk).update(last_contact_at=old)
    Notification.objects.all().delete()
    client = verified_client(wati)
    page = client.get(reverse("abroad:check_in"))
    assert page.status_code == 200
    assert "Apakah Anda baik-baik saja?" in page.content.decode()
    sent = client.post(reverse("abroad:check_in"), {"well": "yes", "help": "no", "q_wages": "paid"})
    assert sent.status_code == 302
    check_in = CheckIn.objects.get(stay=stay)
    assert check_in.answered_at is not None and check_in.case is None
    assert check_in.level == "none"
    stay.refresh_from_db()
    assert stay.last_contact_at > old
    assert not Case.objects.exists()
    assert not Notification.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(
        actor=wati, object_type="abroad.checkin", reason="check-in answered"
    ).exists()


def test_a_worrying_answer_opens_a_case_with_the_screening_and_tells_the_officer(
    wati, wati_person, stay, alice
):
    asked = CheckIn.objects.create(stay=stay, asked_at=timezone.now() - timedelta(days=2))
    client = verified_client(wati)
    sent = client.post(
        reverse("abroad:check_in"),
        {
            "well": "no",
            "help": "yes",
            "q_documents": "held",
            "q_deception": "different",
            "q_wages": "three_months",
        },
    )
    assert sent.status_code == 302
    asked.refresh_from_db()
    case = asked.case
    assert case is not None and asked.answered_at is not None
    # The ILO rule: involuntariness (deception) and coercion (documents, wages): high.
    assert (asked.level, case.screening_level, case.task_force) == ("high", "high", True)
    assert (case.channel, case.person, case.reporter_user, case.relationship) == (
        "portal",
        wati_person,
        wati,
        "self",
    )
    assert set(case.kinds.values_list("kind", flat=True)) == {"contract", "wages", "trafficking"}
    assert case.country_id == "MY" and case.city == "Kuala Lumpur"
    screening = Screening.objects.get(case=case)
    assert screening.answers == {
        "documents": "held",
        "deception": "different",
        "wages": "three_months",
    }
    assert screening.level == "high"
    told = Notification.objects.get(user=alice, url=reverse("cases:detail", args=[case.pk]))
    assert wati_person.reference in told.title
    # The worker follows it under My reports.
    assert case.reference in verified_client(wati).get(reverse("cases:mine")).content.decode()


def test_a_wish_for_help_alone_opens_a_case_of_kind_other(wati, stay, alice):
    check_in = checkin_answer(actor=wati, stay=stay, well="yes", help="yes", answers={})
    assert check_in.case is not None
    assert list(check_in.case.kinds.values_list("kind", flat=True)) == ["other"]
    assert check_in.level == "none"
    assert Notification.objects.filter(user=alice, title__contains="perlu perhatian").exists()


def test_violence_is_urgent_and_opens_an_abuse_case(wati, stay):
    check_in = checkin_answer(
        actor=wati, stay=stay, well="no", help="no", answers={"violence": "yes"}
    )
    assert check_in.level == "urgent"
    assert set(check_in.case.kinds.values_list("kind", flat=True)) == {"abuse", "trafficking"}


def test_the_api_check_in(wati, stay):
    client = verified_client(wati)
    response = client.post(
        "/api/v1/me/check-ins",
        json.dumps({"well": "yes", "help": "no", "answers": {"movement": "no"}}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == "medium" and body["case_reference"]
    bad = client.post(
        "/api/v1/me/check-ins",
        json.dumps({"well": "yes", "help": "no", "answers": {"movement": "maybe"}}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "Ada jawaban yang tidak sesuai" in bad.content.decode()
    assert CheckIn.objects.filter(stay=stay).count() == 1


def test_only_the_worker_answers_their_check_in(tono, tono_person, alice, stay):
    for actor in (tono, alice):
        with pytest.raises(PermissionDenied):
            checkin_answer(actor=actor, stay=stay, well="yes", help="no", answers={})
    assert not CheckIn.objects.exists()
    with pytest.raises(ValidationError):
        checkin_answer(actor=stay.person.user, stay=stay, well="maybe", help="no", answers={})
    assert not CheckIn.objects.exists()
