"""The register's pages (docs/interceptions.md, "Pages"): the list with its filters
and a bounded number of queries, the record form (Indonesian errors, nothing
written), an interception's page (its person, case and checklist) and who may open
it, the broker leads and naming a broker on a case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.cases.services.handling import case_assign, case_move
from garda.cases.tests.factories import case_in_progress
from garda.interceptions.models import BrokerMention, Interception
from garda.interceptions.tests.factories import TRAFFICKING, record
from garda.people.models import Person

pytestmark = pytest.mark.django_db

LIST = "/interceptions/"


@pytest.fixture
def dewi(disnaker):
    """Another officer of alice's agency."""
    return make_user("dewi@example.org", roles.OFFICER, disnaker, full_name="Dewi")


def form_post(**overrides) -> dict:
    values = {
        "intercepted_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place_kind": "seaport",
        "place_name": "Pelabuhan Tanjung Priok",
        "intercepted_by_text": "Polres Pelabuhan",
        "person_full_name": "Siti Rahayu",
        "person_nik": "3171015204980011",
        "person_sex": "F",
        "person_birth_date": "1998-04-12",
        "broker_1_name": "PT. Maju Jaya",
        "broker_1_kind": "company",
        "doc_passport": "broker",
        "q_debt": "yes",
        "q_documents": "held",
    }
    values.update(overrides)
    return values


def test_the_officer_records_an_interception_from_the_form(alice):
    client = verified_client(alice)
    assert client.get("/interceptions/new/").status_code == 200
    response = client.post("/interceptions/new/", form_post())
    assert response.status_code == 302
    interception = Interception.objects.get()
    assert response["Location"] == f"/interceptions/{interception.pk}/"
    assert interception.person.full_name == "Siti Rahayu"
    assert interception.documents == {"passport": "broker"}
    assert interception.case is not None  # debt + passport held: signs of trafficking
    page = client.get(response["Location"]).content.decode()
    assert interception.case.reference in page and "Satgas TPPO" in page
    assert "Konseling" in page and "PT. Maju Jaya" in page


def test_bad_input_on_the_form_is_shown_in_indonesian_and_nothing_is_written(alice):
    client = verified_client(alice)
    response = client.post("/interceptions/new/", form_post(person_nik="1234"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ada masalah" in html and "NIK" in html
    assert not Interception.objects.exists() and not Person.objects.exists()


def test_the_list_filters_and_its_queries_do_not_grow(alice, django_assert_max_num_queries):
    record(alice, serial=21, answers=TRAFFICKING)
    record(alice, serial=22, place_kind="seaport", place_name="Pelabuhan Tanjung Priok")
    client = verified_client(alice)
    html = client.get(LIST).content.decode()
    assert "Bandara Soekarno-Hatta" in html and "Tanjung Priok" in html
    signs = client.get(LIST, {"signs": "signs"}).content.decode()
    assert "Bandara" in signs and "Tanjung Priok" not in signs
    seaport = client.get(LIST, {"place_kind": "seaport"}).content.decode()
    assert "Tanjung Priok" in seaport and "Terminal 3" not in seaport
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Tidak ada pencegahan" in client.get(LIST, {"start": future}).content.decode()
    for n in range(8):
        record(alice, serial=30 + n, answers=TRAFFICKING)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


def test_an_officer_of_another_agency_gets_404_and_a_denied_row(alice, carol):
    interception = record(alice)
    response = verified_client(carol).get(f"/interceptions/{interception.pk}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=carol, action="denied", object_type="interceptions.interception"
    ).exists()
    assert (
        str(interception.pk)
        not in verified_client(carol).get(LIST).content.decode().split("interceptions/")[1:]
    )


def test_reading_an_interception_is_audited(alice):
    interception = record(alice)
    verified_client(alice).get(f"/interceptions/{interception.pk}/")
    assert AuditEvent.objects.filter(
        actor=alice,
        action="view",
        object_type="interceptions.interception",
        object_id=str(interception.pk),
    ).exists()


def test_the_case_of_another_officer_is_named_but_not_linked(alice, dewi):
    """dewi reads her agency's register, but the case alice holds is not hers: she
    sees its number, not a link, and the API gives no case id."""
    interception = record(alice, answers=TRAFFICKING)
    case = case_move(actor=alice, case=interception.case, stage="triaged", reason="dicek")
    case_assign(actor=alice, case=case, officer=alice, reason="ambil")
    html = verified_client(dewi).get(f"/interceptions/{interception.pk}/").content.decode()
    assert case.reference in html and f"/cases/{case.pk}/" not in html
    body = verified_client(dewi).get(f"/api/v1/interceptions/{interception.pk}").json()
    assert body["case_id"] is None and body["case_reference"] == case.reference
    mine = verified_client(alice).get(f"/interceptions/{interception.pk}/").content.decode()
    assert f"/cases/{case.pk}/" in mine


def test_a_step_is_marked_done_from_the_page(alice, carol):
    interception = record(alice)
    step = interception.steps.get(step="return_home")
    client = verified_client(alice)
    response = client.post(f"/interceptions/steps/{step.pk}/done/", {"note": "Pulang ke Cianjur"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == timezone.localdate() and step.note == "Pulang ke Cianjur"
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    other = interception.steps.get(step="counselling")
    response = client.post(f"/interceptions/steps/{other.pk}/done/", {"done_on": future})
    assert response.status_code == 400 and "masa depan" in response.content.decode()
    assert verified_client(carol).post(f"/interceptions/steps/{other.pk}/done/").status_code == 404


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_workers_trainers_and_partners_get_403_and_a_denied_row(who, request, alice):
    user = request.getfixturevalue(who)
    interception = record(alice)
    client = verified_client(user)
    for url in (
        LIST,
        "/interceptions/new/",
        f"/interceptions/{interception.pk}/",
        "/interceptions/brokers/",
    ):
        assert client.get(url).status_code == 403, url
    assert AuditEvent.objects.filter(actor=user, action="denied").count() >= 4


def test_the_broker_leads_page_marks_leads_and_keeps_its_queries(
    alice, bob, django_assert_max_num_queries
):
    for n in range(5):
        record(alice, serial=40 + n, brokers=[{"name": "PT. Maju Jaya", "kind": "company"}])
    for n in range(6):
        record(alice, serial=50 + n, brokers=[{"name": f"Calo {n}", "kind": "broker"}])
    client = verified_client(bob)
    with django_assert_max_num_queries(14):
        html = client.get("/interceptions/brokers/").content.decode()
    assert "Petunjuk untuk Satgas TPPO" in html
    assert html.index("PT. Maju Jaya") < html.index("Calo 0")
    assert html.count("Petunjuk untuk Satgas TPPO</strong>") == 1
    assert verified_client(alice).get("/interceptions/brokers/").status_code == 403


def test_a_broker_is_named_on_a_case_from_the_form(alice, carol):
    case = case_in_progress(officer=alice, person_name="Ani")
    url = f"/interceptions/cases/{case.pk}/brokers/"
    client = verified_client(alice)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Pak Darto", "kind": "broker"}).status_code == 302
    assert BrokerMention.objects.get().case == case
    again = client.post(url, {"name": "PAK DARTO", "kind": "broker"})
    assert again.status_code == 400 and "sudah dicatat" in again.content.decode()
    assert verified_client(carol).get(url).status_code == 404
    assert verified_client(carol).post(url, {"name": "X Y", "kind": "broker"}).status_code == 404
    assert BrokerMention.objects.count() == 1
