"""A family member follows a case with their own secret through the public tracking
door: the stage and the shared messages, nothing else; the worker's restriction; a
death case; the same "not found" for every wrong way in."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases import access as case_access
from garda.cases.services.record import note_add
from garda.cases.tests.factories import case_in_progress
from garda.family import access as family_access
from garda.family.models import FamilyAccess, FamilyPreference
from garda.family.services.following import (
    family_access_issue,
    family_access_revoke,
    family_restrict,
)

pytestmark = pytest.mark.django_db


def track_page(reference, secret):
    return Client().post("/cases/track/", {"reference": reference, "secret": secret})


def track_api(reference, secret):
    return Client().get(f"/api/v1/reports/{reference}", {"secret": secret})


def test_the_family_follows_the_stage_and_shared_messages_only(alice, watis_case, mother):
    access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert FamilyAccess.objects.get().secret_index != secret  # only the hash is kept
    assert secret not in str(FamilyAccess.objects.values_list())

    page = track_page(watis_case.reference, secret)
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["tracked"]["stage"] == "in_progress"
    assert "Kami sudah menghubungi KBRI" in html
    assert "Catatan internal" not in html and "majikan kasar" not in html
    assert watis_case.person.nik not in html and "Wati Lestari" not in html
    assert 'id="family-follow"' in html and 'id="family-steps"' not in html
    assert page["Referrer-Policy"] == "same-origin"

    api = track_api(watis_case.reference, secret.lower().replace("-", " "))
    assert api.status_code == 200
    body = api.json()
    assert set(body) == {"reference", "stage", "messages"}
    assert [m["text"] for m in body["messages"]] == ["Kami sudah menghubungi KBRI"]

    reads = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_id=str(watis_case.pk), reason="family"
    )
    assert reads.count() == 2 and not reads.filter(actor__isnull=False).exists()
    access.refresh_from_db()
    assert access.last_used_at is not None


def test_the_reporters_secret_still_reads_as_the_reporter(alice, wati_person):
    from garda.cases.tests.factories import open_case

    case, secret = open_case(person_name="Wati", person_nik=wati_person.nik)
    page = track_page(case.reference, secret)
    assert page.status_code == 200 and "part" not in page.context["tracked"]
    assert AuditEvent.objects.filter(object_id=str(case.pk), reason="tracking").exists()


def test_issuing_tells_the_worker_and_is_audited(alice, wati, watis_case, mother):
    access, _secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    row = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="family.familyaccess")
    assert row.actor_id == alice.pk and row.object_id == str(access.pk)
    note = Notification.objects.get(user=wati, url="/family/me/")
    assert watis_case.reference in note.title and "Sri" not in note.title + note.body


def test_a_new_secret_replaces_the_old_one(alice, watis_case, mother):
    _first, old = family_access_issue(actor=alice, case=watis_case, contact=mother)
    _second, new = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert FamilyAccess.objects.filter(revoked_at__isnull=True).count() == 1
    assert track_api(watis_case.reference, old).status_code == 404
    assert track_api(watis_case.reference, new).status_code == 200


def test_restriction_refuses_issuing_and_ends_live_access_at_once(alice, wati, watis_case, mother):
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert track_api(watis_case.reference, secret).status_code == 200

    family_restrict(worker=wati, restricted=True)
    assert track_api(watis_case.reference, secret).status_code == 404
    assert track_page(watis_case.reference, secret).context["not_found"] is True
    ended = FamilyAccess.objects.get()
    assert ended.revoked_at is not None and ended.revoked_by == wati
    assert AuditEvent.objects.filter(
        object_type="family.familyaccess", object_id=str(ended.pk), reason="restricted"
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="family.familypreference", changed_fields=["restricted"]
    ).exists()
    told = Notification.objects.filter(user=alice).latest("id")
    assert watis_case.reference in told.title and told.url == f"/cases/{watis_case.pk}/"

    with pytest.raises(ValidationError) as refused:
        family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert refused.value.error_dict["contact_id"][0].code == "restricted"

    # Lifting it brings no old secret back; an officer issues a new one.
    family_restrict(worker=wati, restricted=False)
    assert track_api(watis_case.reference, secret).status_code == 404
    _again, fresh = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert track_api(watis_case.reference, fresh).status_code == 200
    assert FamilyPreference.objects.get().restricted is False


def test_a_death_case_ignores_the_restriction(alice, wati, death_case, watis_case, mother):
    family_restrict(worker=wati, restricted=True)
    access, secret = family_access_issue(actor=alice, case=death_case, contact=mother)
    page = track_page(death_case.reference, secret)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="family-steps"' in html
    assert [s.code for s in page.context["tracked"]["part"]["steps"]] == [
        "remains",
        "certificate",
        "insurance",
        "belongings",
        "estate",
    ]
    # Restricting again (from allowed) ends other cases' access, never the death's.
    family_restrict(worker=wati, restricted=False)
    _other, other_secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    family_restrict(worker=wati, restricted=True)
    assert track_api(death_case.reference, secret).status_code == 200
    assert track_api(watis_case.reference, other_secret).status_code == 404
    access.refresh_from_db()
    assert access.revoked_at is None


def test_every_wrong_way_in_is_the_same_not_found(alice, watis_case, mother, wati_person):
    access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    other = case_in_progress(officer=alice, person_name="Lain")
    tries = [
        (watis_case.reference, "AAAA-BBBB-CCCC-DDDD"),  # a wrong secret
        (other.reference, secret),  # the secret of another case
        ("KS-2026-999999", secret),  # no such number
        (watis_case.reference, ""),  # no secret
    ]
    for reference, code in tries:
        api = track_api(reference, code)
        assert api.status_code == 404 and api.json()["detail"] == "Laporan tidak ditemukan."
    family_access_revoke(actor=alice, access=access, reason="Salah nomor")
    api = track_api(watis_case.reference, secret)
    assert api.status_code == 404
    page = track_page(watis_case.reference, secret)
    assert page.context["not_found"] is True and secret not in page.content.decode()
    assert not AuditEvent.objects.filter(reason="family").exists()


def test_the_family_door_does_the_same_work_for_a_missing_number(alice, watis_case, mother):
    """One HMAC of the door and the same queries whatever the number and the secret."""
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    calls = []
    original = family_access.secret_index

    def counting(value):
        calls.append(value)
        return original(value)

    counts = []
    for reference, code in (
        ("KS-2026-999999", secret),
        (watis_case.reference, "AAAA-BBBB-CCCC-DDDD"),
        (watis_case.reference, ""),
    ):
        family_access.secret_index = counting
        try:
            with CaptureQueriesContext(connection) as queries:
                assert case_access.case_by_tracking(reference, code) is None
        finally:
            family_access.secret_index = original
        counts.append(len(queries.captured_queries))
    assert len(calls) == 3
    assert len(set(counts)) == 1, counts


def test_family_tries_count_against_the_tracking_budget(settings, alice, watis_case, mother):
    settings.GARDA_TRACK_RATE = "2/h"
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert track_api(watis_case.reference, "AAAA-BBBB-CCCC-DDDD").status_code == 404
    assert track_api(watis_case.reference, secret).status_code == 200
    assert track_api(watis_case.reference, secret).status_code == 429


def test_an_officer_who_may_not_handle_the_case_is_refused(carol, alice, watis_case, mother):
    with pytest.raises(PermissionDenied):
        family_access_issue(actor=carol, case=watis_case, contact=mother)
    access, _secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    with pytest.raises(PermissionDenied):
        family_access_revoke(actor=carol, access=access, reason="x")
    assert AuditEvent.objects.filter(
        actor=carol, action=AuditEvent.Action.DENIED, reason="family.family_access_issue"
    ).exists()


def test_a_contact_of_another_person_is_refused(alice, watis_case, tonos_brother):
    with pytest.raises(ValidationError) as refused:
        family_access_issue(actor=alice, case=watis_case, contact=tonos_brother)
    assert refused.value.error_dict["contact_id"][0].code == "invalid_choice"
    assert not FamilyAccess.objects.exists()


def test_a_case_without_a_person_has_no_family_to_give_a_secret(alice, mother):
    case = case_in_progress(officer=alice, person_name="Tanpa Registri")
    assert case.person_id is None
    with pytest.raises(ValidationError) as refused:
        family_access_issue(actor=alice, case=case, contact=mother)
    assert refused.value.error_dict["contact_id"][0].code == "no_person"


def test_only_a_worker_restricts_and_only_for_themself(
    alice, tono, tono_person, wati, watis_case, mother
):
    with pytest.raises(PermissionDenied):
        family_restrict(worker=alice, restricted=True)
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    family_restrict(worker=tono, restricted=True)  # tono's choice, not wati's
    assert track_api(watis_case.reference, secret).status_code == 200


def test_revoking_needs_a_reason_and_happens_once(alice, watis_case, mother):
    access, _secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    with pytest.raises(ValidationError):
        family_access_revoke(actor=alice, access=access, reason=" ")
    family_access_revoke(actor=alice, access=access, reason="Diminta pekerja")
    with pytest.raises(ValidationError) as again:
        family_access_revoke(actor=alice, access=access, reason="lagi")
    assert again.value.error_dict["reason"][0].code == "ended"


def test_messages_added_later_reach_the_family(alice, watis_case, mother):
    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    note_add(actor=alice, case=watis_case, text="Gaji sudah dibayar", shared=True)
    note_add(actor=alice, case=watis_case, text="Rahasia tim", shared=False)
    texts = [m["text"] for m in track_api(watis_case.reference, secret).json()["messages"]]
    assert "Gaji sudah dibayar" in texts and "Rahasia tim" not in texts


def test_a_case_linked_to_another_person_is_not_opened_by_the_first_family(
    alice, watis_case, mother, tono_person
):
    """A case re-linked to another person (a wrong match corrected) is no longer the
    first person's family's business: their secret opens nothing (found in review)."""
    from garda.cases.models import Case

    _access, secret = family_access_issue(actor=alice, case=watis_case, contact=mother)
    assert track_api(watis_case.reference, secret).status_code == 200
    Case.objects.filter(pk=watis_case.pk).update(person=tono_person)
    assert track_api(watis_case.reference, secret).status_code == 404


# --- a family member who reported the case (issue 14 review) -------------------------------


def _reported_by(relationship, alice, wati_person, kinds=("wages",)):
    """A public report about Wati by `relationship` (the report's own secret), linked to
    her record at triage, with a message shared with the reporter."""
    from garda.cases.tests.factories import confirm_nik_owner, open_case

    case, secret = open_case(
        relationship=relationship,
        person_name="Wati",
        person_nik=wati_person.nik,
        kinds=list(kinds),
    )
    case = confirm_nik_owner(case, alice)
    assert case.person_id == wati_person.pk
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI", shared=True)
    return case, secret


def _refused_rows(case):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.DENIED,
        object_type="cases.case",
        object_id=str(case.pk),
        reason="tracking: family restricted",
        actor__isnull=True,
    )


def test_the_restriction_stops_a_parent_who_reported_the_case(alice, wati, wati_person):
    case, secret = _reported_by("parent", alice, wati_person)
    before = track_api(case.reference, secret)
    assert before.status_code == 200 and before.json()["messages"]

    family_restrict(worker=wati, restricted=True)
    unknown = track_api("KS-2026-999999", secret)
    api = track_api(case.reference, secret)
    assert api.status_code == unknown.status_code == 404
    assert api.json() == unknown.json()
    assert api.json()["detail"] == "Laporan tidak ditemukan."
    assert "KBRI" not in api.content.decode()
    page = track_page(case.reference, secret)
    html = page.content.decode()
    assert page.status_code == 200 and page.context["not_found"] is True
    assert "tracked" not in page.context and "KBRI" not in html
    unknown_page = track_page("KS-2026-999999", secret).content.decode()
    assert "Laporan tidak ditemukan" in html and "Laporan tidak ditemukan" in unknown_page
    assert _refused_rows(case).count() == 2
    reads_after = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_id=str(case.pk), reason="tracking"
    )
    assert reads_after.count() == 1  # the read before the restriction only

    # The report's own secret was never revoked: lifting the restriction lets it in again.
    family_restrict(worker=wati, restricted=False)
    assert track_api(case.reference, secret).status_code == 200


@pytest.mark.parametrize("relationship", ["spouse", "child", "sibling", "relative"])
def test_every_family_relationship_is_stopped(alice, wati, wati_person, relationship):
    case, secret = _reported_by(relationship, alice, wati_person)
    family_restrict(worker=wati, restricted=True)
    assert track_api(case.reference, secret).status_code == 404
    assert _refused_rows(case).count() == 1


@pytest.mark.parametrize("relationship", ["friend", "advocate", "official", "self"])
def test_a_reporter_outside_the_family_still_follows(alice, wati, wati_person, relationship):
    case, secret = _reported_by(relationship, alice, wati_person)
    family_restrict(worker=wati, restricted=True)
    assert track_api(case.reference, secret).status_code == 200
    assert not _refused_rows(case).exists()


def test_a_death_reported_by_the_family_stays_open_to_them(alice, wati, wati_person):
    case, secret = _reported_by("parent", alice, wati_person, kinds=("death",))
    family_restrict(worker=wati, restricted=True)
    page = track_page(case.reference, secret)
    assert page.status_code == 200 and page.context["tracked"]["reference"] == case.reference
    assert track_api(case.reference, secret).status_code == 200
    assert not _refused_rows(case).exists()


def test_the_veto_costs_no_query_of_its_own(alice, wati, wati_person):
    """Restricted or not, found or not: the same queries for the reporter's secret."""
    case, secret = _reported_by("parent", alice, wati_person)
    with CaptureQueriesContext(connection) as open_:
        assert case_access.case_by_tracking(case.reference, secret) is not None
    family_restrict(worker=wati, restricted=True)
    with CaptureQueriesContext(connection) as missing:
        assert case_access.case_by_tracking("KS-2026-999999", secret) is None
    with CaptureQueriesContext(connection) as vetoed:
        assert case_access.case_by_tracking(case.reference, secret) is None
    assert len(open_.captured_queries) == len(missing.captured_queries)
    # The refusal's only extra work is its denied row (with the audit chain's lock
    # and savepoint): the look-up itself is the one query on the cases table.
    assert _refused_rows(case).count() == 1

    def lookups(captured):
        return [q for q in captured.captured_queries if '"cases_case"' in q["sql"]]

    assert len(lookups(vetoed)) == len(lookups(missing)) == len(missing.captured_queries) == 1


def test_the_restriction_stops_a_family_reporter_with_an_account_too(alice, wati, tono):
    """A sibling who reported through their own worker account reads the case among
    their cases until the worker stops her family following; then it is gone from the
    list and the API and the page answer not found, with a denied row."""
    from conftest import verified_client
    from garda.cases.tests.factories import confirm_nik_owner, open_case
    from garda.cases.tests.test_handling import _wati_nik, worker_person

    worker_person(wati)
    case, _ = open_case(
        actor=tono, channel="portal", relationship="sibling", person_nik=_wati_nik()
    )
    case = confirm_nik_owner(case, alice)
    assert case.person.user == wati and case.reporter_user == tono
    client = verified_client(tono)
    assert [c["id"] for c in client.get("/api/v1/me/cases").json()["items"]] == [case.pk]
    assert client.get(f"/api/v1/me/cases/{case.pk}").status_code == 200

    family_restrict(worker=wati, restricted=True)
    assert client.get("/api/v1/me/cases").json()["items"] == []
    assert client.get(f"/api/v1/me/cases/{case.pk}").status_code == 404
    assert AuditEvent.objects.filter(
        actor=tono, action=AuditEvent.Action.DENIED, object_id=str(case.pk)
    ).exists()
    # Wati herself still reads her case.
    assert verified_client(wati).get(f"/api/v1/me/cases/{case.pk}").status_code == 200
    # Lifted, the sibling reads it again.
    family_restrict(worker=wati, restricted=False)
    assert client.get(f"/api/v1/me/cases/{case.pk}").status_code == 200
