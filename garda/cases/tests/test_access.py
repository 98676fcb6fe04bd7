"""Who sees what (docs/cases.md, "Who sees what"): admins every case; supervisors
their agency's and the queue; officers theirs, the queue and the ones they typed in;
workers their own; trainers and partners none; the public the tracking page only.
Missing and forbidden look the same (404) with a `denied` row."""

import pytest
from django.http import Http404

from garda.audit.models import AuditEvent
from garda.cases.access import (
    case_by_tracking,
    get_case_for,
    get_own_case_for,
    may_handle,
    may_manage,
    own_cases,
    read_case_for,
    read_cases,
    read_own_case_for,
    visible_cases,
)
from garda.cases.services.handling import case_assign, case_move
from garda.cases.tests.factories import case_in_progress, open_case, worker_person
from garda.people.tests.factories import nik_for


@pytest.fixture
def world(alice, bob, carol, wati, tono):
    """queue: a public report nobody holds; alices: alice's case about wati; carols:
    carol's (Dinsos); typed: a call alice typed in, then carol took it; reported: tono's
    portal report for someone else."""
    worker_person(wati)
    queue, secret = open_case(person_name="Rina")
    alices = case_in_progress(officer=alice, person_nik=nik_for(serial=2))
    carols = case_in_progress(officer=carol)
    typed, _ = open_case(actor=alice, channel="hotline")
    typed = case_move(actor=carol, case=typed, stage="triaged", reason="dicek")
    typed = case_assign(actor=carol, case=typed, officer=carol)
    reported, _ = open_case(actor=tono, channel="portal", relationship="friend")
    return {
        "queue": queue,
        "secret": secret,
        "alices": alices,
        "carols": carols,
        "typed": typed,
        "reported": reported,
    }


def names(world, qs) -> set[str]:
    ids = set(qs.values_list("pk", flat=True))
    return {k for k, v in world.items() if k != "secret" and v.pk in ids}


@pytest.mark.django_db
def test_each_role_sees_its_cases(world, admin_user, alice, bob, carol, teguh, putri, wati):
    assert names(world, visible_cases(admin_user)) == {
        "queue",
        "alices",
        "carols",
        "typed",
        "reported",
    }
    assert names(world, visible_cases(bob)) == {"queue", "alices", "reported"}
    assert names(world, visible_cases(alice)) == {"queue", "alices", "typed", "reported"}
    assert names(world, visible_cases(carol)) == {"queue", "carols", "typed", "reported"}
    for user in (teguh, putri, wati):
        assert not visible_cases(user).exists()


@pytest.mark.django_db
def test_workers_see_the_cases_about_them_and_the_ones_they_reported(world, wati, tono, alice):
    assert names(world, own_cases(wati)) == {"alices"}
    assert names(world, own_cases(tono)) == {"reported"}
    assert not own_cases(alice).exists()


@pytest.mark.django_db
def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_cases(AnonymousUser()).exists()
    assert not own_cases(AnonymousUser()).exists()


@pytest.mark.django_db
def test_who_may_write(world, admin_user, alice, bob, carol):
    assert may_handle(alice, world["alices"]) and may_handle(alice, world["queue"])
    assert not may_handle(alice, world["typed"])  # read-only once carol holds it
    assert not may_handle(alice, world["carols"])
    assert may_handle(bob, world["alices"]) and not may_handle(bob, world["carols"])
    assert may_manage(bob, world["alices"]) and may_manage(admin_user, world["carols"])
    assert not may_manage(alice, world["alices"])


@pytest.mark.django_db
def test_a_forbidden_case_is_missing_with_a_denied_row(world, alice, teguh):
    for user, case in ((alice, world["carols"]), (teguh, world["queue"])):
        with pytest.raises(Http404):
            get_case_for(user, case.pk)
        assert AuditEvent.objects.filter(
            actor=user, action="denied", object_id=str(case.pk), reason="get_case_for"
        ).exists()
    with pytest.raises(Http404):
        get_case_for(alice, world["typed"].pk, for_write=True)
    assert get_case_for(alice, world["typed"].pk) == world["typed"]
    for junk in ("abc", None, 10**30):
        with pytest.raises(Http404):
            get_case_for(alice, junk)


@pytest.mark.django_db
def test_reads_are_audited(world, alice, wati):
    read_case_for(alice, world["alices"].pk)
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_type="cases.case", object_id=str(world["alices"].pk)
    ).exists()
    read_cases(alice)
    assert AuditEvent.objects.filter(actor=alice, action="view", reason="list").exists()
    read_own_case_for(wati, world["alices"].pk)
    assert AuditEvent.objects.filter(actor=wati, action="view", reason="own").exists()
    with pytest.raises(Http404):
        get_own_case_for(wati, world["reported"].pk)


@pytest.mark.django_db
def test_the_tracking_secret_opens_its_case_only(world):
    queue, secret = world["queue"], world["secret"]
    assert case_by_tracking(queue.reference, secret) == queue
    assert case_by_tracking(queue.reference.lower(), f" {secret} ") == queue
    assert case_by_tracking(queue.reference, secret[:-1]) is None
    assert case_by_tracking(queue.reference, "") is None
    assert case_by_tracking("KS-1999-000001", secret) is None
    assert case_by_tracking(world["alices"].reference, secret) is None
    # A portal report has no secret: nothing opens it from outside.
    assert case_by_tracking(world["reported"].reference, "") is None
    assert case_by_tracking(world["reported"].reference, "-") is None


@pytest.mark.django_db
def test_a_tracking_code_is_easy_to_copy_and_forgiving_when_typed():
    """Four groups of four, without 0/O or 1/I/L; typed in small letters, without the
    dashes or with spaces, it still opens the report; one character off does not."""
    import re

    from garda.cases.access import new_tracking_secret

    for _ in range(50):
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", new_tracking_secret())
    case, secret = open_case()
    assert case_by_tracking(case.reference, secret.lower()) == case
    assert case_by_tracking(case.reference, secret.replace("-", " ")) == case
    assert case_by_tracking(case.reference, secret.replace("-", "")) == case
    wrong = ("3" if secret[0] != "3" else "4") + secret[1:]
    assert case_by_tracking(case.reference, wrong) is None
