import pytest
from django.core.cache import caches

from garda.cases import throttles
from garda.cases.services.record import note_add, screening_record
from garda.cases.tests.factories import case_in_progress
from garda.people.services.registry import family_contact_add
from garda.people.tests.factories import register


@pytest.fixture(autouse=True)
def _fresh_budgets():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


@pytest.fixture
def wati_person(wati):
    return register(serial=2, user=wati, full_name="Wati Lestari")


@pytest.fixture
def tono_person(tono):
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


@pytest.fixture
def mother(wati, wati_person):
    """Wati's mother, named in her profile."""
    return family_contact_add(
        actor=wati, person=wati_person, name="Sri Wahyuni", relation="parent", phone="0813111122"
    )


@pytest.fixture
def tonos_brother(tono, tono_person):
    return family_contact_add(actor=tono, person=tono_person, name="Budi", relation="sibling")


@pytest.fixture
def watis_case(alice, wati_person):
    """Alice's case about wati, with an internal note, a shared one and screening."""
    case = case_in_progress(
        officer=alice, person_name="Wati", person_nik=wati_person.nik, kinds=["wages"]
    )
    note_add(actor=alice, case=case, text="Catatan internal: majikan kasar", shared=False)
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI", shared=True)
    screening_record(actor=alice, case=case, answers={"documents": "held"})
    return case


@pytest.fixture
def death_case(alice, wati_person):
    """Alice's case of wati's death abroad."""
    return case_in_progress(
        officer=alice, person_name="Wati", person_nik=wati_person.nik, kinds=["death"]
    )
