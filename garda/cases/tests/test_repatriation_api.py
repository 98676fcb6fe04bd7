"""Repatriation through the API, end to end for each reason (docs/repatriation.md):
the template's steps, their order (409 and nothing written), arrival, the signed
statements and their PDF, the family told at each step of a death, the gate."""

import io

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Repatriation, RepatriationStatement, RepatriationStep
from garda.cases.tests.factories import case_in_progress
from garda.people.models import Person, Status
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db

JSON = "application/json"
TODAY = None


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def patch(client, url, data):
    return client.patch(url, data, content_type=JSON)


def ind(msgid: str) -> str:
    """The Indonesian of `msgid` (the English until the lead merges the catalogue)."""
    with translation.override("id"):
        return _(msgid)


def _person(officer, serial, name):
    person = register(serial=serial, full_name=name, actor=officer)
    Person.objects.filter(pk=person.pk).update(status=Status.ABROAD, route="p3mi")
    person.refresh_from_db()
    return person


def _case(officer, serial=61, name="Sari Pulang"):
    person = _person(officer, serial, name)
    case = case_in_progress(
        officer=officer, person_name=person.full_name, person_nik=person.nik, kinds=["go_home"]
    )
    return case, person


@pytest.fixture
def api(alice):
    return verified_client(alice)


def _start(api, case, reason):
    answer = post(api, f"/api/v1/cases/{case.pk}/repatriations", {"reason": reason})
    assert answer.status_code == 201, answer.content
    return answer.json()


def _step(body, code):
    return next(s for s in body["steps"] if s["code"] == code)


def _done(api, body, *codes, note=""):
    for code in codes:
        answer = post(
            api, f"/api/v1/repatriation-steps/{_step(body, code)['id']}/complete", {"note": note}
        )
        assert answer.status_code == 200, (code, answer.content)
        body = answer.json()
    return body


def _statement(api, body, **values):
    data = {
        "kind": "handover_family",
        "signed_on": timezone.localdate().isoformat(),
        "place": "Kantor Kelurahan Cilincing",
        "signatory_name": "Ibu Sumi",
        "signatory_relation": "Ibu kandung",
        "witness_name": "Pak Harun",
        "witness_office": "Kelurahan Cilincing",
        "remarks": "Diterima dalam keadaan sehat.",
    } | values
    return post(api, f"/api/v1/repatriations/{body['id']}/statements", data)


def test_an_end_of_contract_in_trouble_runs_to_the_signed_handover(api, alice):
    case, person = _case(alice)
    body = _start(api, case, "contract_trouble")
    assert body["status"] == "open" and body["reason"] == "contract_trouble"
    assert [s["code"] for s in body["steps"]] == [
        "health_confirmed",
        "travel_document",
        "ticket",
        "escort",
        "arrival",
        "rehabilitation",
        "travel_home",
        "handover",
    ]
    first = body["steps"][0]
    assert first["label"] == ind("Health confirmed with the embassy")
    assert first["party"] == "embassy" and first["party_label"]
    assert first["required"] and first["status"] == "open" and first["owner"] is None
    assert _step(body, "escort")["required"] is False
    assert body["payer"] == "company"  # the placement company pays for its workers

    body = _done(api, body, "health_confirmed", "travel_document", "ticket", "arrival")
    assert body["status"] == "arrived" and body["arrived_at"]
    person.refresh_from_db()
    assert person.status == Status.RETURNED

    # The hand-over is not a click: it is the signed statement.
    answer = post(api, f"/api/v1/repatriation-steps/{_step(body, 'handover')['id']}/complete")
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["code"] == "statement_required"

    answer = post(
        api,
        f"/api/v1/repatriation-steps/{_step(body, 'rehabilitation')['id']}/not-needed",
        {"reason": "Keluarga menjemput langsung"},
    )
    assert answer.status_code == 200
    assert _step(answer.json(), "rehabilitation")["status"] == "not_needed"
    body = _done(api, body, "travel_home")
    answer = _statement(api, body)
    assert answer.status_code == 201, answer.content
    statement = answer.json()
    assert statement["number"].startswith("BA-") and statement["kind"] == "handover_family"
    detail = api.get(f"/api/v1/repatriations/{body['id']}").json()
    assert detail["status"] == "completed"
    assert _step(detail, "handover")["status"] == "done"
    assert detail["statements"][0]["number"] == statement["number"]
    # The escort (optional) was left open: completed all the same.
    assert (detail["steps_done"], detail["steps_total"]) == (7, 8)

    # Completed: nothing more is written.
    answer = post(api, f"/api/v1/repatriations/{body['id']}/cancel", {"reason": "salah"})
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "not_live"


def test_a_step_out_of_order_is_refused_and_nothing_is_written(api, alice):
    case, _person = _case(alice)
    body = _start(api, case, "deportation")
    before = AuditEvent.objects.count()
    answer = post(api, f"/api/v1/repatriation-steps/{_step(body, 'ticket')['id']}/complete")
    assert answer.status_code == 409
    data = answer.json()
    assert data["errors"][0]["code"] == "step_blocked"
    assert data["blocking_step"]["code"] == "health_confirmed"
    assert ind("Health confirmed with the embassy") in data["detail"]
    assert not RepatriationStep.objects.filter(status="done").exists()
    assert AuditEvent.objects.count() == before
    # An optional step is never blocked.
    answer = post(
        api,
        f"/api/v1/repatriation-steps/{_step(body, 'rehabilitation')['id']}/not-needed",
        {"reason": "Tidak perlu"},
    )
    assert answer.status_code == 200
    # A required step cannot be left out.
    answer = post(
        api,
        f"/api/v1/repatriation-steps/{_step(body, 'ticket')['id']}/not-needed",
        {"reason": "x"},
    )
    assert answer.status_code == 422


def test_illness_needs_the_fit_to_travel_letter_and_the_refusal_is_the_familys(api, alice):
    case, _person = _case(alice, serial=62, name="Rini Sakit")
    body = _start(api, case, "illness")
    codes = [s["code"] for s in body["steps"]]
    assert codes[:3] == ["health_confirmed", "fit_to_travel", "travel_document"]
    assert _step(body, "escort")["required"] is True
    answer = post(
        api, f"/api/v1/repatriation-steps/{_step(body, 'travel_document')['id']}/complete"
    )
    assert answer.status_code == 409
    assert answer.json()["blocking_step"]["code"] == "health_confirmed"
    body = _done(api, body, "health_confirmed")
    answer = post(
        api, f"/api/v1/repatriation-steps/{_step(body, 'travel_document')['id']}/complete"
    )
    assert answer.json()["blocking_step"]["code"] == "fit_to_travel"
    body = _done(api, body, "fit_to_travel", "travel_document", "ticket", "escort", "arrival")

    answer = patch(
        api,
        f"/api/v1/repatriations/{body['id']}",
        {"lacks_capacity": True, "needs": ["stretcher", "medical"], "version": body["version"]},
    )
    assert answer.status_code == 200 and answer.json()["lacks_capacity"] is True
    stale = patch(api, f"/api/v1/repatriations/{body['id']}", {"flight": "GA 123", "version": 1})
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "version_conflict"

    refusal = {
        "kind": "refusal",
        "place": "Bandara Soekarno-Hatta",
        "witness_name": "",
        "witness_office": "",
    }
    answer = _statement(
        api,
        body,
        **refusal,
        signed_by="family",
        signatory_name="Rini  sakit",
        signatory_relation="diri  sendiri",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "signatory_name"
    answer = _statement(api, body, **refusal, signed_by="worker", signatory_name="Rini Sakit")
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "signed_by"
    assert error["message"] == (
        "Pekerja tidak dapat menandatangani sendiri: anggota keluarga yang menandatangani "
        "penolakan."
    )
    assert not RepatriationStatement.objects.exists()
    answer = _statement(
        api,
        body,
        **refusal,
        signed_by="family",
        signatory_name="Pak Darto",
        signatory_relation="Ayah kandung",
    )
    assert answer.status_code == 201
    assert answer.json()["signed_by"] == "family"
    # The PDF says who signed.
    from pypdf import PdfReader

    pdf = api.get(answer.json()["pdf"])
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Ditandatangani oleh: anggota keluarga atas nama pekerja" in text
    assert "Pak Darto" in text and "Ayah kandung" in text
    detail = api.get(f"/api/v1/repatriations/{body['id']}").json()
    assert _step(detail, "rehabilitation")["status"] == "not_needed"


def test_a_death_tells_the_family_at_each_step_and_the_remains_arrive(api, alice):
    case, person = _case(alice, serial=63, name="Almarhumah Yati")
    body = _start(api, case, "death")
    assert [s["code"] for s in body["steps"]] == [
        "family_informed",
        "certificate",
        "remains",
        "remains_arrival",
        "handover",
        "insurance",
        "belongings",
        "estate",
    ]
    body = _done(api, body, "family_informed", "certificate", "remains", "remains_arrival")
    assert body["status"] == "arrived"
    person.refresh_from_db()
    assert person.status == Status.ABROAD  # a death changes no status here
    shared = list(case.notes.filter(shared=True).values_list("text", flat=True))
    assert len(shared) == 4
    with translation.override("id"):
        assert any(str(_("Death certificate")) in t for t in shared)
    answer = _statement(api, body, signatory_name="Pak Karta", signatory_relation="Suami")
    assert answer.status_code == 201
    body = _done(api, body, "insurance", "belongings", "estate")
    assert body["status"] == "completed"
    assert case.notes.filter(shared=True).count() == 8


def test_an_evacuation_and_a_case_decision_start_from_a_case(api, alice):
    case, _person = _case(alice, serial=64, name="Dewi Evakuasi")
    body = _start(api, case, "evacuation")
    assert _step(body, "ticket")["party"] == "province"
    # One live repatriation per person at a time.
    again = post(api, f"/api/v1/cases/{case.pk}/repatriations", {"reason": "illness"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "exists"
    answer = post(api, f"/api/v1/repatriations/{body['id']}/cancel", {"reason": "Sudah pulang"})
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    body = _start(api, case, "case_decision")
    body = _done(
        api, body, "health_confirmed", "travel_document", "ticket", "arrival", "travel_home"
    )
    answer = _statement(
        api,
        body,
        kind="handover_social",
        signatory_name="Bu Rahma",
        signatory_relation="Dinas Sosial Jakarta Utara",
        witness_name="",
        witness_office="",
    )
    assert answer.status_code == 201
    listed = api.get(f"/api/v1/cases/{case.pk}/repatriations").json()
    assert [r["status"] for r in listed] == ["completed", "cancelled"]


def test_a_handover_to_the_family_needs_a_witness_in_words(api, alice):
    case, _person = _case(alice, serial=65)
    body = _start(api, case, "deportation")
    body = _done(
        api, body, "health_confirmed", "travel_document", "ticket", "arrival", "travel_home"
    )
    answer = _statement(api, body, witness_name="", witness_office="")
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "witness_name"
    assert error["message"] == ind(
        "A hand-over to the family is witnessed by the village or city government: "
        "write the witness and their office."
    )
    assert not RepatriationStatement.objects.exists()
    assert (
        post(api, f"/api/v1/cases/{case.pk}/repatriations", {"reason": "nope"}).status_code == 422
    )


def test_the_statement_pdf_has_the_number_and_names_and_no_nik(api, alice):
    from pypdf import PdfReader

    case, person = _case(alice, serial=66, name="Sari Pulang")
    body = _start(api, case, "contract_trouble")
    body = _done(
        api, body, "health_confirmed", "travel_document", "ticket", "arrival", "travel_home"
    )
    statement = _statement(api, body).json()
    answer = api.get(statement["pdf"])
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Cache-Control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    flat = " ".join(text.split())
    for expected in (
        statement["number"],
        body["reference"],
        "Sari Pulang",
        "Ibu Sumi",
        "Pak Harun",
    ):
        assert expected in flat
    assert "Kelurahan Cilincing" in flat and "Berita acara" in flat or "berita acara" in flat
    assert person.nik not in flat.replace(" ", "")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="cases.repatriationstatement"
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_an_officer_of_another_agency_gets_404_and_a_denied_row(api, alice, carol, wati):
    case, _person = _case(alice, serial=67)
    body = _start(api, case, "deportation")
    other = verified_client(carol)
    urls = [
        ("get", f"/api/v1/repatriations/{body['id']}"),
        ("post", f"/api/v1/repatriation-steps/{body['steps'][0]['id']}/complete"),
        ("post", f"/api/v1/cases/{case.pk}/repatriations"),
    ]
    for method, url in urls:
        answer = other.get(url) if method == "get" else post(other, url, {"reason": "death"})
        assert answer.status_code == 404, url
    assert AuditEvent.objects.filter(actor=carol, action=AuditEvent.Action.DENIED).count() >= 3
    assert not RepatriationStep.objects.filter(status="done").exists()
    worker = verified_client(wati)
    assert worker.get(f"/api/v1/repatriations/{body['id']}").status_code == 403
    assert AuditEvent.objects.filter(actor=wati, action=AuditEvent.Action.DENIED).exists()


def test_lists_read_in_a_fixed_number_of_queries(api, alice, django_assert_max_num_queries):
    case, _person = _case(alice, serial=68)
    for reason in ("deportation", "illness", "death"):
        rep = _start(api, case, reason)
        post(api, f"/api/v1/repatriations/{rep['id']}/cancel", {"reason": "uji"})
    with django_assert_max_num_queries(14):
        answer = api.get(f"/api/v1/cases/{case.pk}/repatriations")
    assert len(answer.json()) == 3
    assert Repatriation.objects.filter(case=case).count() == 3
