"""The interceptions API (issue 14's contract: `POST /api/v1/interceptions` by an
officer → 201), the register, one interception, the broker leads and a broker named
on a case; wrong roles 403 with a denied row, bad input 422 in Indonesian with
nothing written."""

import pytest

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Case
from garda.cases.tests.factories import case_in_progress
from garda.interceptions.models import BrokerMention, Interception
from garda.interceptions.tests.factories import TRAFFICKING, record
from garda.interceptions.tests.factories import api_payload as _payload
from garda.people.models import Person

pytestmark = pytest.mark.django_db

URL = "/api/v1/interceptions"
JSON = "application/json"
NIK = "3171014303950077"


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


def test_an_officer_records_an_interception(alice):
    response = post(verified_client(alice), URL, {**_payload(NIK), "answers": TRAFFICKING})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("CGH-")
    person = Person.objects.get(pk=body["person_id"])
    assert person.full_name == "Rina Cegah" and body["person_reference"] == person.reference
    assert body["signs_of_trafficking"] is True
    case = Case.objects.get(pk=body["case_id"])
    assert case.task_force and body["case_reference"] == case.reference
    assert [s["step"] for s in body["steps"]] == [
        "counselling",
        "return_home",
        "registration",
        "accompaniment",
    ]
    assert body["brokers"] == [{"name": "Pak Darto", "kind": "broker", "company_id": None}]


def test_no_case_without_signs_of_trafficking(alice):
    body = post(verified_client(alice), URL, _payload(NIK)).json()
    assert body["case_id"] is None and body["signs_of_trafficking"] is False
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["wati", "teguh", "putri", "admin_user"])
def test_other_roles_get_403_and_a_denied_row(who, request):
    user = request.getfixturevalue(who)
    response = post(verified_client(user), URL, _payload(NIK))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").exists()
    assert not Person.objects.exists() and not Interception.objects.exists()


def test_bad_input_is_422_in_indonesian_and_nothing_is_written(alice):
    response = post(verified_client(alice), URL, {**_payload("1234"), "answers": TRAFFICKING})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "person_nik" in errors and "NIK" in errors["person_nik"]
    response = post(verified_client(alice), URL, {**_payload(NIK), "place_kind": "mall"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Pilih jenis tempat dari daftar."
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not Interception.objects.exists() and not BrokerMention.objects.exists()


def test_the_list_and_one_interception_follow_the_register_s_rule(
    alice, carol, django_assert_max_num_queries
):
    for n in range(6):
        record(alice, serial=60 + n, answers=TRAFFICKING)
    client = verified_client(alice)
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"signs": "signs"}).json()
    assert body["count"] == 6
    assert verified_client(carol).get(URL).json()["count"] == 0
    pk = body["items"][0]["id"]
    assert client.get(f"{URL}/{pk}").status_code == 200
    assert verified_client(carol).get(f"{URL}/{pk}").status_code == 404
    assert AuditEvent.objects.filter(actor=carol, action="denied").exists()


def test_a_step_is_done_through_the_api(alice):
    interception = record(alice)
    client = verified_client(alice)
    response = post(client, f"{URL}/{interception.pk}/steps/registration", {"note": "SIAPkerja"})
    assert response.status_code == 200 and response.json()["done_on"]
    assert post(client, f"{URL}/{interception.pk}/steps/dancing", {}).status_code == 404


def test_broker_leads_for_supervisors_only(alice, bob):
    for n in range(5):
        record(alice, serial=70 + n, brokers=[{"name": "pt maju jaya", "kind": "company"}])
    body = verified_client(bob).get("/api/v1/broker-leads").json()
    assert body["items"][0]["normalised"] == "maju jaya"
    assert body["items"][0]["count"] == 5 and body["items"][0]["is_lead"] is True
    assert verified_client(alice).get("/api/v1/broker-leads").status_code == 403


def test_a_broker_named_on_a_case(alice, carol, wati):
    case = case_in_progress(officer=alice, person_name="Ani")
    url = f"/api/v1/cases/{case.pk}/brokers"
    response = post(verified_client(alice), url, {"name": "PT. Sinar Abadi", "kind": "company"})
    assert response.status_code == 201
    assert response.json()["normalised"] == "sinar abadi"
    again = post(verified_client(alice), url, {"name": "Sinar Abadi", "kind": "company"})
    assert again.status_code == 422
    assert post(verified_client(carol), url, {"name": "X Y", "kind": "broker"}).status_code == 404
    assert post(verified_client(wati), url, {"name": "X Y", "kind": "broker"}).status_code == 403
    assert BrokerMention.objects.count() == 1
