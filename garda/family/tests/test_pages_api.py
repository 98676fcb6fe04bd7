"""The staff's family block and page, the secret shown once, the worker's page and
the API: who may do what, the answers, and the queries they take."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.services.record import service_plan, task_add, task_done
from garda.family.models import FamilyAccess, FamilyPreference
from garda.family.services.following import family_access_issue, family_restrict
from garda.family.steps import death_steps
from garda.people.services.registry import family_contact_add

pytestmark = pytest.mark.django_db
JSON = "application/json"


def denied(user, object_type=None) -> bool:
    rows = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED)
    return rows.filter(object_type=object_type).exists() if object_type else rows.exists()


# --- staff pages --------------------------------------------------------------------------


def test_the_case_page_shows_the_family_block(alice, watis_case, mother):
    html = verified_client(alice).get(f"/cases/{watis_case.pk}/").content.decode()
    assert 'id="family"' in html and "Sri Wahyuni" in html
    assert f'action="/family/cases/{watis_case.pk}/issue/"' in html
    assert 'id="family-served"' not in html


def test_an_officer_sees_at_a_glance_that_a_death_case_serves_the_family(
    alice, wati, death_case, mother
):
    family_restrict(worker=wati, restricted=True)
    html = verified_client(alice).get(f"/cases/{death_case.pk}/").content.decode()
    assert 'id="family-served"' in html and 'id="family-steps"' in html
    # The restriction does not hold in a death: the officer may still give a code.
    assert f'action="/family/cases/{death_case.pk}/issue/"' in html


def test_the_secret_is_shown_once_in_the_answer_to_the_post(alice, watis_case, mother):
    client = verified_client(alice)
    response = client.post(f"/family/cases/{watis_case.pk}/issue/", {"contact": mother.pk})
    assert response.status_code == 200
    secret = response.context["secret"]
    html = response.content.decode()
    assert secret in html and 'id="family-secret"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    # Never again: the family page lists the access, not the secret.
    page = client.get(f"/family/cases/{watis_case.pk}/").content.decode()
    assert secret not in page and "Sri Wahyuni" in page


def test_a_restricted_worker_gets_no_issue_button_and_a_refused_post(
    alice, wati, watis_case, mother
):
    family_restrict(worker=wati, restricted=True)
    client = verified_client(alice)
    page = client.get(f"/family/cases/{watis_case.pk}/").content.decode()
    assert 'id="family-restricted"' in page and "/issue/" not in page
    response = client.post(f"/family/cases/{watis_case.pk}/issue/", {"contact": mother.pk})
    assert response.status_code == 400 and 'id="family-error"' in response.content.decode()
    assert not FamilyAccess.objects.exists()


def test_revoking_from_the_page(alice, watis_case, mother):
    access, _secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    client = verified_client(alice)
    refused = client.post(f"/family/access/{access.pk}/revoke/", {"reason": ""})
    assert refused.status_code == 400
    done = client.post(f"/family/access/{access.pk}/revoke/", {"reason": "Salah nomor"})
    assert done.status_code == 302 and done["Location"] == f"/family/cases/{watis_case.pk}/"
    access.refresh_from_db()
    assert access.revoked_at is not None and access.revoke_reason == "Salah nomor"


def test_an_officer_of_another_agency_gets_404_and_a_denied_row(carol, alice, watis_case, mother):
    access, _secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    client = verified_client(carol)
    assert client.get(f"/family/cases/{watis_case.pk}/").status_code == 404
    post = client.post(f"/family/cases/{watis_case.pk}/issue/", {"contact": mother.pk})
    assert post.status_code == 404
    assert client.post(f"/family/access/{access.pk}/revoke/", {"reason": "x"}).status_code == 404
    api = client.post(
        f"/api/v1/cases/{watis_case.pk}/family-access",
        {"contact_id": mother.pk},
        content_type=JSON,
    )
    assert api.status_code == 404
    assert denied(carol, "cases.case")
    assert FamilyAccess.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_family_page_reads_in_few_queries(alice, wati, wati_person, death_case):
    contacts = [
        family_contact_add(actor=wati, person=wati_person, name=f"Kakak {i}", relation="sibling")
        for i in range(6)
    ]
    for contact in contacts:
        family_access_issue(actor=alice, case=death_case, contact=contact)
    client = verified_client(alice)
    client.get(f"/family/cases/{death_case.pk}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(f"/family/cases/{death_case.pk}/")
    for i in range(6, 12):
        contact = family_contact_add(
            actor=wati, person=wati_person, name=f"Adik {i}", relation="sibling"
        )
        family_access_issue(actor=alice, case=death_case, contact=contact)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/family/cases/{death_case.pk}/")
    assert response.content.decode().count('id="family-contact-') == 12
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the worker's page --------------------------------------------------------------------


def test_the_worker_sees_who_follows_and_restricts_without_javascript(
    alice, wati, watis_case, mother
):
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    client = verified_client(wati)
    page = client.get("/family/me/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Keluarga saya boleh mengikuti kasus saya" in html
    assert 'id="following"' in html and "Sri Wahyuni" in html and watis_case.reference in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    saved = client.post("/family/me/", {})  # the box unticked
    assert saved.status_code == 302 and saved["Location"] == "/family/me/"
    assert FamilyPreference.objects.get().restricted is True
    after = client.get("/family/me/").content.decode()
    assert 'id="nobody-follows"' in after
    assert client.post("/family/me/", {"allowed": "on"}).status_code == 302
    assert FamilyPreference.objects.get().restricted is False
    assert AuditEvent.objects.filter(actor=wati, reason="own family").exists()


def test_the_worker_page_is_only_for_workers(alice, wati, tono, tono_person, watis_case, mother):
    family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert verified_client(alice).get("/family/me/").status_code == 403
    # Another worker sees only their own (nobody follows tono).
    html = verified_client(tono).get("/family/me/").content.decode()
    assert "Sri Wahyuni" not in html and 'id="nobody-follows"' in html


# --- API ----------------------------------------------------------------------------------


def test_the_api_issues_lists_and_revokes(alice, watis_case, mother):
    client = verified_client(alice)
    url = f"/api/v1/cases/{watis_case.pk}/family-access"
    created = client.post(url, {"contact_id": mother.pk}, content_type=JSON)
    assert created.status_code == 201
    body = created.json()
    assert body["secret"] and body["contact_name"] == "Sri Wahyuni"
    assert body["case_reference"] == watis_case.reference

    listed = client.get(url).json()
    assert listed["death"] is False and listed["restricted"] is False
    assert listed["contacts"] == [
        {"id": mother.pk, "name": "Sri Wahyuni", "relation": "parent", "access_id": body["id"]}
    ]
    assert "secret" not in listed["accesses"][0]
    assert AuditEvent.objects.filter(
        actor=alice, action=AuditEvent.Action.VIEW, object_id=str(watis_case.pk), reason="family"
    ).exists()

    track = client.get(f"/api/v1/reports/{watis_case.reference}", {"secret": body["secret"]})
    assert track.status_code == 200

    ended = client.post(
        f"/api/v1/family-access/{body['id']}/revoke", {"reason": "Salah nomor"}, content_type=JSON
    )
    assert ended.status_code == 200 and ended.json()["revoked_at"]
    track = client.get(f"/api/v1/reports/{watis_case.reference}", {"secret": body["secret"]})
    assert track.status_code == 404


def test_the_api_refuses_a_contact_of_another_person_and_a_restricted_worker(
    alice, wati, watis_case, tonos_brother, mother
):
    client = verified_client(alice)
    url = f"/api/v1/cases/{watis_case.pk}/family-access"
    other = client.post(url, {"contact_id": tonos_brother.pk}, content_type=JSON)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "contact_id"
    family_restrict(worker=wati, restricted=True)
    refused = client.post(url, {"contact_id": mother.pk}, content_type=JSON)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "restricted"


def test_the_preference_api(alice, wati, watis_case, mother):
    family_access_issue(actor=alice, case=watis_case, contact=mother)
    client = verified_client(wati)
    got = client.get("/api/v1/me/family-preference").json()
    assert got["restricted"] is False and len(got["following"]) == 1
    put = client.put("/api/v1/me/family-preference", {"restricted": True}, content_type=JSON)
    assert put.status_code == 200
    assert put.json()["restricted"] is True and put.json()["following"] == []
    assert put.json()["changed_at"]


def test_a_worker_and_another_workers_case(tono, tono_person, watis_case, mother):
    client = verified_client(tono)
    url = f"/api/v1/cases/{watis_case.pk}/family-access"
    assert client.get(url).status_code == 403
    assert client.post(url, {"contact_id": mother.pk}, content_type=JSON).status_code == 403
    assert denied(tono)


def test_the_api_list_reads_in_few_queries(alice, wati, wati_person, watis_case):
    client = verified_client(alice)
    url = f"/api/v1/cases/{watis_case.pk}/family-access"

    def add(n):
        for i in range(n):
            contact = family_contact_add(
                actor=wati, person=wati_person, name=f"Saudara {i}", relation="sibling"
            )
            family_access_issue(actor=alice, case=watis_case, contact=contact)

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["accesses"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the steps of a death case ------------------------------------------------------------


def test_death_steps_read_from_services_and_tasks(alice, death_case):
    from datetime import timedelta

    from django.utils import timezone

    steps = {s.code: s for s in death_steps(death_case)}
    assert {s.state for s in steps.values()} == {"not_recorded"}

    service_plan(actor=alice, case=death_case, type="repatriation", timeframe="1_day")
    due = timezone.now() + timedelta(days=3)
    task = task_add(actor=alice, case=death_case, title="Urus Akta Kematian di KBRI", due_at=due)
    task_add(actor=alice, case=death_case, title="Telepon majikan", due_at=due)
    steps = {s.code: s for s in death_steps(death_case)}
    assert steps["remains"].state == "planned"
    assert steps["certificate"].state == "planned" and steps["certificate"].at == due
    assert steps["insurance"].state == "not_recorded"
    task_done(actor=alice, task=task)
    steps = {s.code: s for s in death_steps(death_case)}
    assert steps["certificate"].state == "done"


# --- a family member who reported the case (issue 14 review) -------------------------------


def test_the_worker_sees_the_family_reporter_among_who_follows(alice, wati, wati_person):
    """Wati's mother reported the case with the public form: Wati's page and API list
    her as following it with the report's code, until Wati restricts following."""
    from garda.cases.tests.factories import confirm_nik_owner, open_case

    case, secret = open_case(relationship="parent", person_name="Wati", person_nik=wati_person.nik)
    case = confirm_nik_owner(case, alice)
    client = verified_client(wati)
    html = client.get("/family/me/").content.decode()
    assert 'id="following"' in html and case.reference in html
    assert "Orang tua" in html
    assert "melaporkan kasus ini dan mengikutinya dengan kode laporan" in html
    assert "termasuk kode anggota keluarga yang melaporkan kasus Anda" in html
    got = client.get("/api/v1/me/family-preference").json()
    assert got["following"] == []
    assert [(r["case_reference"], r["relationship"]) for r in got["reporters"]] == [
        (case.reference, "parent")
    ]

    put = client.put("/api/v1/me/family-preference", {"restricted": True}, content_type=JSON)
    assert put.status_code == 200 and put.json()["reporters"] == []
    after = client.get("/family/me/").content.decode()
    assert 'id="nobody-follows"' in after and case.reference not in after
    refused = verified_client(alice).get(f"/api/v1/reports/{case.reference}", {"secret": secret})
    assert refused.status_code == 404


def test_a_death_reported_by_the_family_stays_listed(alice, wati, wati_person):
    from garda.cases.tests.factories import confirm_nik_owner, open_case

    case, _secret = open_case(
        relationship="spouse", person_name="Wati", person_nik=wati_person.nik, kinds=["death"]
    )
    confirm_nik_owner(case, alice)
    family_restrict(worker=wati, restricted=True)
    got = verified_client(wati).get("/api/v1/me/family-preference").json()
    assert [r["case_reference"] for r in got["reporters"]] == [case.reference]
