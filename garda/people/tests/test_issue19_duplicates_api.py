"""Issue 19, weakness 1, the API's half and the worker's account.

The page already sent a pair involving someone else's accompanied person to a
supervisor and let a supervisor keep the absorbed record's officers; the API did not
say which pairs the caller may decide, nor take the supervisor's choice. And a merge
moved the worker's own account (the person signed up themselves on the newer record)
onto the kept record silently: now the decider confirms it, the page shows it, the
audit trail records it, and two records with an account each are not merged."""

from datetime import date

import pytest

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.people.models import Assignment, DuplicateCandidate, Person
from garda.people.tests.factories import register

JOKO = {"full_name": "Joko Santoso", "sex": "M", "born": date(1990, 5, 5)}
DJOKO = {"full_name": "Djoko Santoso", "sex": "M", "born": date(1990, 5, 5)}


def _decide(client, pair, **body):
    return client.post(
        f"/api/v1/duplicates/{pair.pk}/decision", body, content_type="application/json"
    )


@pytest.fixture
def dewi(alice):
    return make_user("dewi@example.org", roles.OFFICER, alice.agency, full_name="Dewi")


@pytest.fixture
def others_pair(alice, dewi):
    """P accompanied by Dewi, Q by Alice: Alice may not decide the pair."""
    victim = register(serial=11, actor=dewi, **DJOKO)
    lookalike = register(serial=12, actor=alice, **JOKO)
    return DuplicateCandidate.objects.get(person_a=victim, person_b=lookalike)


@pytest.fixture
def own_pair(alice, dewi):
    """Both accompanied by Alice (and the older one by Dewi too: a supervisor may
    keep her on)."""
    older = register(serial=13, actor=alice, **DJOKO)
    newer = register(serial=14, actor=alice, **JOKO)
    Assignment.objects.filter(person=newer).update(officer=dewi)
    Assignment.objects.create(person=newer, officer=alice)
    return DuplicateCandidate.objects.get(person_a=older, person_b=newer)


@pytest.mark.django_db
def test_the_api_queue_says_which_pairs_wait_for_a_supervisor(
    alice, bob, others_pair, django_assert_max_num_queries
):
    client = verified_client(alice)
    for n in range(3):  # more pairs of her own: the flag costs no query per row
        register(serial=30 + 2 * n, actor=alice, full_name=f"Ani Lestari {n}")
        register(serial=31 + 2 * n, actor=alice, full_name=f"Ani Lestari {n}")
    with django_assert_max_num_queries(12):
        items = client.get("/api/v1/duplicates").json()["items"]
    flags = {item["id"]: item["needs_supervisor"] for item in items}
    assert flags.pop(others_pair.pk) is True
    assert flags and not any(flags.values())
    [listed] = client.get(f"/api/v1/people/{others_pair.person_b_id}/duplicates").json()
    assert listed["needs_supervisor"] is True
    supervisor = verified_client(bob).get("/api/v1/duplicates").json()["items"]
    assert not any(item["needs_supervisor"] for item in supervisor)
    openapi = client.get("/api/v1/openapi.json").json()
    schemas = openapi["components"]["schemas"]
    assert "needs_supervisor" in schemas["CandidateOut"]["required"]
    decide = openapi["paths"]["/api/v1/duplicates/{candidate_id}/decision"]["post"]
    ref = decide["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[ref.rsplit("/", 1)[-1]]
    assert {"keep_officers", "move_account"} <= set(body["properties"])


@pytest.mark.django_db
def test_an_officer_cannot_keep_officers_through_the_api(alice, dewi, own_pair):
    response = _decide(verified_client(alice), own_pair, same=True, keep_officers=True)
    assert response.status_code == 403
    assert DuplicateCandidate.objects.get(pk=own_pair.pk).status == "open"
    assert Person.objects.get(pk=own_pair.person_b_id).merged_into_id is None
    assert AuditEvent.objects.filter(
        actor=alice, action="denied", object_id=str(own_pair.pk)
    ).exists()


@pytest.mark.django_db
def test_a_supervisor_keeps_the_absorbed_records_officers_through_the_api(
    bob, dewi, alice, own_pair
):
    response = _decide(verified_client(bob), own_pair, same=True, keep_officers=True)
    assert response.status_code == 200 and response.json()["id"] == own_pair.person_a_id
    kept = set(
        Assignment.objects.filter(person=own_pair.person_a_id).values_list("officer", flat=True)
    )
    assert kept == {alice.pk, dewi.pk}  # Dewi carried over, by the supervisor's choice
    assert AuditEvent.objects.filter(
        actor=bob,
        object_type="people.assignment",
        reason=f"merge: kept, {own_pair.person_b_id} into {own_pair.person_a_id}",
    ).exists()


@pytest.mark.django_db
def test_without_keep_officers_the_api_merge_ends_them(bob, dewi, own_pair):
    response = _decide(verified_client(bob), own_pair, same=True)
    assert response.status_code == 200
    assert not Assignment.objects.filter(officer=dewi).exists()


@pytest.mark.django_db
def test_the_api_refuses_an_officers_decision_on_someone_elses_person(alice, others_pair):
    response = _decide(verified_client(alice), others_pair, same=True)
    assert response.status_code == 403
    assert "supervisor" in response.json()["detail"]
    assert DuplicateCandidate.objects.get(pk=others_pair.pk).status == "open"


# --- the worker's own account --------------------------------------------------------


@pytest.fixture
def signed_up_pair(alice, wati):
    """P registered by Alice; Q, the same woman, signed up herself (Wati's account)."""
    older = register(serial=21, actor=alice, full_name="Wati Susanti")
    newer = register(serial=22, user=wati, full_name="Wati Susanti")
    assert newer.user_id == wati.pk
    return DuplicateCandidate.objects.get(person_a=older, person_b=newer)


@pytest.mark.django_db
def test_an_account_does_not_move_without_the_deciders_say_so(alice, wati, signed_up_pair):
    client = verified_client(alice)
    [item] = client.get("/api/v1/duplicates").json()["items"]
    assert item["account_moves"] is True
    assert (item["person_a"]["has_account"], item["person_b"]["has_account"]) == (False, True)
    response = _decide(client, signed_up_pair, same=True)
    assert response.status_code == 422
    assert "akun milik pekerja" in response.json()["errors"][0]["message"]
    assert Person.objects.get(pk=signed_up_pair.person_b_id).user_id == wati.pk
    assert Person.objects.get(pk=signed_up_pair.person_b_id).merged_into_id is None
    # The page: the pair shows the account and asks for the confirmation.
    page = client.get("/people/duplicates/").content.decode()
    assert "Punya akun pekerja (mendaftar sendiri)" in page
    assert 'name="move_account" value="1" required' in page
    refused = client.post(
        f"/people/duplicates/{signed_up_pair.pk}/decision/", {"same": "1"}, follow=True
    )
    assert "akun milik pekerja" in refused.content.decode()
    assert Person.objects.get(pk=signed_up_pair.person_b_id).merged_into_id is None


@pytest.mark.django_db
def test_an_officer_cannot_move_a_workers_account(alice, wati, signed_up_pair):
    """A wrong "same person" would open the kept record to whoever holds the account
    of the newer one: moving an account is a supervisor's decision."""
    response = _decide(verified_client(alice), signed_up_pair, same=True, move_account=True)
    assert response.status_code == 403
    assert "supervisor" in response.json()["detail"]
    assert Person.objects.get(pk=signed_up_pair.person_b_id).user_id == wati.pk
    assert Person.objects.get(pk=signed_up_pair.person_a_id).user_id is None
    assert DuplicateCandidate.objects.get(pk=signed_up_pair.pk).status == "open"
    assert AuditEvent.objects.filter(
        actor=alice, action="denied", reason__contains="worker account moves"
    ).exists()
    page = verified_client(alice).post(
        f"/people/duplicates/{signed_up_pair.pk}/decision/",
        {"same": "1", "move_account": "1"},
    )
    assert page.status_code == 403
    assert Person.objects.get(pk=signed_up_pair.person_b_id).user_id == wati.pk


@pytest.mark.django_db
def test_a_confirmed_account_move_is_said_and_recorded(bob, wati, signed_up_pair):
    client = verified_client(bob)
    response = client.post(
        f"/people/duplicates/{signed_up_pair.pk}/decision/",
        {"same": "1", "move_account": "1"},
        follow=True,
    )
    survivor = Person.objects.get(pk=signed_up_pair.person_a_id)
    assert survivor.user_id == wati.pk
    assert Person.objects.get(pk=signed_up_pair.person_b_id).user_id is None
    assert f"Akun milik pekerja sendiri dipindahkan ke {survivor.reference}" in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(
        actor=bob,
        object_type="accounts.user",
        object_id=str(wati.pk),
        changed_fields=["person"],
        reason=f"merge: worker account moved from {signed_up_pair.person_b_id} to {survivor.pk}",
    ).exists()
    # Wati's own page now opens the kept record.
    mine = verified_client(wati).get("/people/me/")
    assert mine.status_code == 200 and mine.context["person"].pk == survivor.pk
    # And is told so.
    assert wati.notifications.filter(title__contains="data Anda yang lebih lama").count() == 1


@pytest.mark.django_db
def test_the_api_moves_the_account_when_told(bob, wati, signed_up_pair):
    response = _decide(verified_client(bob), signed_up_pair, same=True, move_account=True)
    assert response.status_code == 200
    assert Person.objects.get(pk=signed_up_pair.person_a_id).user_id == wati.pk


@pytest.mark.django_db
def test_two_records_with_an_account_each_are_not_merged(alice, wati, tono):
    older = register(serial=23, user=tono, full_name="Wati Susanti")
    newer = register(serial=24, user=wati, full_name="Wati Susanti")
    Assignment.objects.create(person=older, officer=alice)
    pair = DuplicateCandidate.objects.get(person_a=older, person_b=newer)
    client = verified_client(alice)
    response = _decide(client, pair, same=True, move_account=True)
    assert response.status_code == 422
    assert "Kedua data punya akun pekerja sendiri" in response.json()["errors"][0]["message"]
    assert Person.objects.get(pk=newer.pk).merged_into_id is None
    page = client.get("/people/duplicates/").content.decode()
    assert "Kedua data punya akun pekerja sendiri" in page
    # "Different people" stays possible.
    assert _decide(client, pair, same=False).status_code == 200
