"""The accompaniment pages: the staff page of a person (officers, tasks with HTMX,
contacts), rescheduling, and the worker's "Pendampingan saya"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_client
from garda.accompaniment.models import Contact, Task
from garda.accompaniment.services import task_complete, task_create
from garda.accompaniment.tests.conftest import later
from garda.audit.models import AuditEvent
from garda.people.models import Assignment

XSS = '"><svg onload=alert(1)>'


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_assigned_officer_sees_the_whole_page(alice, siti):
    task_create(actor=alice, person=siti, title="Medical", due_at=later(days=2), note="catatan")
    response = verified_client(alice).get(reverse("accompaniment:person", args=[siti.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Medical" in html and "catatan" in html
    assert 'id="timeline"' in html and 'id="new-contact"' in html
    assert response.context["full"] is True
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_id=str(siti.pk), reason="accompaniment"
    ).exists()


@pytest.mark.django_db
def test_another_officer_sees_only_who_accompanies(dewi, alice, siti):
    task_create(actor=alice, person=siti, title="Medical", due_at=later(days=2), note="catatan")
    response = verified_client(dewi).get(reverse("accompaniment:person", args=[siti.pk]))
    assert response.status_code == 200 and response.context["full"] is False
    html = response.content.decode()
    assert "Alice" in html and "catatan" not in html and 'id="timeline"' not in html
    assert not response.context["may_take"]  # siti already has an officer


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", [("wati", 403), ("teguh", 403), ("putri", 403)])
def test_other_roles_are_refused(who, status, request, siti):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("accompaniment:person", args=[siti.pk])).status_code == status


@pytest.mark.django_db
def test_missing_person_is_404(alice):
    assert (
        verified_client(alice).get(reverse("accompaniment:person", args=[999999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_an_officer_takes_an_unaccompanied_person(carol, wati_person):
    client = verified_client(carol)
    page = client.get(reverse("accompaniment:person", args=[wati_person.pk]))
    assert page.context["may_take"]
    response = client.post(reverse("accompaniment:assignment_add", args=[wati_person.pk]))
    assert response.status_code == 302
    assert Assignment.objects.filter(person=wati_person, officer=carol).exists()
    again = client.post(reverse("accompaniment:assignment_add", args=[wati_person.pk]), follow=True)
    assert again.status_code == 200
    assert Assignment.objects.filter(person=wati_person).count() == 1


@pytest.mark.django_db
def test_supervisor_assigns_and_removes_on_the_page(bob, alice, dewi, carol, wati_person):
    client = verified_client(bob)
    page = client.get(reverse("accompaniment:person", args=[wati_person.pk]))
    choices = [o.pk for o in page.context["assignment_form"].fields["officer"].queryset]
    assert set(choices) == {alice.pk, dewi.pk}  # not carol: another agency
    url = reverse("accompaniment:assignment_add", args=[wati_person.pk])
    assert client.post(url, {"officer": alice.pk}).status_code == 302
    refused = client.post(url, {"officer": carol.pk})
    assert refused.status_code == 200 and "officer" in refused.context["assignment_form"].errors
    remove = reverse("accompaniment:assignment_remove", args=[wati_person.pk, alice.pk])
    assert verified_client(alice).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not Assignment.objects.filter(person=wati_person).exists()
    assert client.post(remove).status_code == 404


@pytest.mark.django_db
def test_removal_refused_with_open_tasks_shows_why(bob, alice, siti):
    task_create(actor=alice, person=siti, title="SKCK", due_at=later(days=2))
    remove = reverse("accompaniment:assignment_remove", args=[siti.pk, alice.pk])
    with translation.override("en"):
        response = verified_client(bob).post(remove, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert Assignment.objects.filter(person=siti, officer=alice).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


@pytest.mark.django_db
def test_task_form_creates_and_refuses_a_past_time(alice, siti):
    client = verified_client(alice)
    url = reverse("accompaniment:task_create", args=[siti.pk])
    past = client.post(url, {"kind": "task", "title": "Medical", "due_at": local(later(hours=-3))})
    assert past.status_code == 200
    assert [e.code for e in past.context["task_form"].errors.as_data()["due_at"]] == ["past"]
    no_place = client.post(
        url, {"kind": "appointment", "title": "Imigrasi", "due_at": local(later(days=2))}
    )
    assert "place" in no_place.context["task_form"].errors
    ok = client.post(
        url,
        {
            "kind": "appointment",
            "title": XSS,
            "place": "Kanim Jaksel",
            "due_at": local(later(days=2)),
            "note": "bawa paspor",
        },
    )
    assert ok.status_code == 302 and ok["Location"].endswith("#tasks")
    task = Task.objects.get()
    assert task.officer == alice and task.title == XSS
    html = client.get(reverse("accompaniment:person", args=[siti.pk])).content.decode()
    assert XSS not in html and "&quot;&gt;&lt;svg onload=alert(1)&gt;" in html


@pytest.mark.django_db
def test_supervisor_task_form_offers_the_persons_officers(bob, alice, siti):
    client = verified_client(bob)
    page = client.get(reverse("accompaniment:person", args=[siti.pk]))
    assert [o.pk for o in page.context["task_form"].fields["officer"].queryset] == [alice.pk]
    response = client.post(
        reverse("accompaniment:task_create", args=[siti.pk]),
        {"kind": "task", "title": "Cek SKCK", "due_at": local(later(days=1)), "officer": alice.pk},
    )
    assert response.status_code == 302
    assert Task.objects.get().officer == alice


@pytest.mark.django_db
def test_htmx_complete_and_cancel_swap_the_task_list(alice, siti):
    client = verified_client(alice)
    first = task_create(actor=alice, person=siti, title="Medical", due_at=later(days=1))
    second = task_create(actor=alice, person=siti, title="SKCK", due_at=later(days=2))
    done = client.post(
        reverse("accompaniment:task_complete", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    html = done.content.decode()
    assert done.status_code == 200 and html.lstrip().startswith('<section id="tasks"')
    assert [t.pk for t in done.context["open_tasks"]] == [second.pk]
    again = client.post(
        reverse("accompaniment:task_complete", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    assert again.context["tasks_error"]
    cancelled = client.post(reverse("accompaniment:task_cancel", args=[second.pk]))
    assert cancelled.status_code == 302
    assert Task.objects.get(pk=second.pk).cancelled_at is not None


@pytest.mark.django_db
def test_tasks_read_as_cards_with_their_state_in_words(alice, siti):
    """The person's open tasks: a stacked table (design-ui §2.5) whose rows say when
    in long Indonesian dates, an overdue task with a red "Terlambat" tag, each action
    named for the screen reader; the closed ones say "Selesai" or "Dibatalkan"."""
    from garda.tests.markup import assert_stacked_tables, iso_dates

    due = later(days=3)
    task_create(actor=alice, person=siti, title="Medical", due_at=due)
    late = task_create(actor=alice, person=siti, title="SKCK", due_at=later(hours=1))
    Task.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    gone = task_create(actor=alice, person=siti, title="Foto", due_at=later(days=4))
    client = verified_client(alice)
    client.post(reverse("accompaniment:task_cancel", args=[gone.pk]))
    html = client.get(reverse("accompaniment:person", args=[siti.pk])).content.decode()
    tables = assert_stacked_tables(html)
    rows = [dict(r) for t in tables for r in t.rows]
    skck, medical = rows  # the earliest first
    assert skck["Apa"].startswith("SKCK") and skck["Waktu"].endswith("Terlambat")
    when = timezone.localtime(due)
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli"]
    months += ["Agustus", "September", "Oktober", "November", "Desember"]
    assert medical["Waktu"] == (f"{when.day} {months[when.month - 1]} {when.year}, {when:%H.%M}")
    assert "Selesai: Medical" in medical["Tindakan"]  # "Done", with the task's name
    assert "Dibatalkan" in html.split('id="tasks"')[1].split("</section>")[0]
    assert iso_dates(html) == []


@pytest.mark.django_db
def test_task_actions_are_404_for_outsiders(dewi, carol, alice, siti):
    task = task_create(actor=alice, person=siti, title="Medical", due_at=later(days=1))
    for outsider in (dewi, carol):
        client = verified_client(outsider)
        for name in ("task_complete", "task_cancel"):
            assert client.post(reverse(f"accompaniment:{name}", args=[task.pk])).status_code == 404
        assert (
            client.get(reverse("accompaniment:task_reschedule", args=[task.pk])).status_code == 404
        )
    assert Task.objects.get(pk=task.pk).done_at is None


@pytest.mark.django_db
def test_reschedule_page(alice, bob, siti):
    task = task_create(actor=alice, person=siti, title="Medical", due_at=later(days=1))
    client = verified_client(alice)
    url = reverse("accompaniment:task_reschedule", args=[task.pk])
    assert client.get(url).status_code == 200
    new_time = later(days=6).replace(second=0, microsecond=0)
    response = client.post(url, {"due_at": local(new_time), "place": "", "version": 1})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_at == new_time and task.version == 2
    # A stale version: the form says so and keeps what was typed.
    stale = client.post(url, {"due_at": local(later(days=9)), "version": 1})
    assert stale.status_code == 200
    assert [e.code for e in stale.context["form"].non_field_errors().as_data()] == [
        "version_conflict"
    ]
    assert stale.context["form"]["version"].value() == "2"
    task_complete(actor=bob, task=task)
    closed = client.post(url, {"due_at": local(later(days=9)), "version": 3})
    assert closed.status_code == 200 and closed.context["form"].non_field_errors()


@pytest.mark.django_db
def test_contact_form(alice, siti):
    client = verified_client(alice)
    url = reverse("accompaniment:contact_log", args=[siti.pk])
    future = client.post(
        url, {"channel": "phone", "happened_at": local(later(days=1)), "summary": "x"}
    )
    assert [e.code for e in future.context["contact_form"].errors.as_data()["happened_at"]] == [
        "future"
    ]
    ok = client.post(
        url,
        {
            "channel": "visit",
            "happened_at": local(timezone.now() - timedelta(hours=2)),
            "summary": "Kunjungan rumah",
        },
    )
    assert ok.status_code == 302
    assert Contact.objects.get().summary == "Kunjungan rumah"
    assert (
        verified_client(alice)
        .post(reverse("accompaniment:contact_log", args=[999999]), {"summary": "x"})
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_no_csrf_no_write(alice, siti):
    client = verified_client(alice)
    client.handler.enforce_csrf_checks = True
    task = task_create(actor=alice, person=siti, title="Medical", due_at=later(days=1))
    response = client.post(reverse("accompaniment:task_complete", args=[task.pk]))
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).done_at is None


# --- the worker's page ----------------------------------------------------------------


@pytest.mark.django_db
def test_my_accompaniment_page(wati, alice, disnaker, accompanied_wati):
    alice.phone = "+62811000111"
    alice.save()
    disnaker.email = "pasukanputih@jakarta.go.id"
    disnaker.save()
    task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Antar ke Kantor Imigrasi",
        place="Kanim Jakarta Selatan",
        due_at=later(days=3),
        note="RAHASIA internal",
    )
    task_create(actor=alice, person=accompanied_wati, title="Tugas internal", due_at=later(days=1))
    response = verified_client(wati).get(reverse("accompaniment:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alice" in html and "+62811000111" in html and "pasukanputih@jakarta.go.id" in html
    assert "Antar ke Kantor Imigrasi" in html and "Kanim Jakarta Selatan" in html
    assert "RAHASIA" not in html and "Tugas internal" not in html
    body = verified_client(wati).get("/api/v1/me/accompaniment").json()
    assert body["officers"] == [
        {
            "full_name": "Alice",
            "agency": disnaker.name,
            "phone": "+62811000111",
            "email": "pasukanputih@jakarta.go.id",
        }
    ]
    assert [a["title"] for a in body["appointments"]] == ["Antar ke Kantor Imigrasi"]
    assert "note" not in body["appointments"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "teguh"])
def test_my_accompaniment_is_for_workers(who, request):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("accompaniment:mine")).status_code == 403
    assert client.get("/api/v1/me/accompaniment").status_code == 403
