"""Fixtures of the referral tests: alice's case about Wati (linked to her registry
record, with a screening round and an internal note), Wati's consent to share with
BP3MI (putri's agency), and a helper that refers it through the real service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from garda.cases.services.record import note_add, screening_record
from garda.cases.tests.factories import case_in_progress
from garda.people.services.registry import consent_give
from garda.people.tests.factories import person_data, register
from garda.places.models import Region
from garda.referrals.services.referrals import referral_create

WATI_NIK = person_data(serial=1)["nik"]


@pytest.fixture
def wati_person(wati):
    Region.objects.get_or_create(
        code="31",
        defaults={
            "name": "DKI Jakarta",
            "level": "province",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    return register(serial=1, user=wati, full_name="Wati Susanti")


@pytest.fixture
def case(alice, wati_person):
    case = case_in_progress(
        officer=alice, person_name="Wati Susanti", person_nik=WATI_NIK, kinds=["abuse"]
    )
    assert case.person_id == wati_person.pk
    screening_record(actor=alice, case=case, answers={"documents": "held"})
    note_add(actor=alice, case=case, text="CATATAN INTERNAL rahasia")
    case.refresh_from_db()
    return case


@pytest.fixture
def consent(wati, wati_person, bp3mi):
    return consent_give(
        actor=wati, person=wati_person, purpose="sharing", text_version="2026-1", agencies=[bp3mi]
    )


def refer(case, agency, actor, **overrides):
    values = {
        "service_type": "repatriation",
        "request": "Mohon bantu pemulangan dari Malaysia.",
        "due_at": timezone.now() + timedelta(days=2),
        "sections": ["summary", "whereabouts"],
    }
    values.update(overrides)
    return referral_create(actor=actor, case=case, agency=agency, **values)


@pytest.fixture
def referral(case, bp3mi, alice, consent, putri):
    return refer(case, bp3mi, alice)
