"""The trainer's pages: my batches, roster, attendance (HTMX and plain), assessments,
closing, cancelling, editing, creating, no-show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.training.models import Assessment, Attendance, Batch, Enrolment
from garda.training.services.classroom import attendance_record
from garda.training.tests.classroom_support import classroom, provider_of
from garda.training.tests.factories import make_batch, make_course

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def en():
    def client_for(user):
        client = verified_client(user)
        client.cookies["django_language"] = "en"
        return client

    return client_for


# --- my batches -----------------------------------------------------------------------


def test_teach_lists_only_my_batches_running_first(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)  # ended
    provider = c.provider
    course = make_course("uji-b")
    upcoming = make_batch(course, provider, trainers=[teguh], starts_in_days=30)
    running = make_batch(course, provider, trainers=[teguh], starts_in_days=-1, code="RUN-1")
    colleague = make_user("t7@example.org", roles.TRAINER, teguh.agency)
    theirs = make_batch(course, provider, trainers=[colleague], code="NOT-MINE")
    response = en(teguh).get(reverse("training:teach"))
    assert response.status_code == 200
    page = list(response.context["page"])
    assert [b.pk for b in page] == [running.pk, upcoming.pk, c.batch.pk]
    assert theirs.code not in response.content.decode()
    # One card per batch on a phone, its state a tag in words (design-ui §3).
    from garda.tests.markup import assert_stacked_tables, iso_dates

    html = response.content.decode()
    (table,) = assert_stacked_tables(html)
    assert table.caption == "3 batches"
    states = [dict(row)["State"] for row in table.rows]
    assert states == ["Running", "Not started yet", "Ended, to close"]
    assert '<strong class="tag tag-green">Running</strong>' in html
    assert '<strong class="tag tag-red">Ended, to close</strong>' in html
    assert iso_dates(html) == []


@pytest.mark.parametrize("n", [2, 12])
def test_teach_page_query_count(teguh, en, n, django_assert_max_num_queries):
    provider = provider_of(teguh.agency)
    course = make_course("uji-q")
    for i in range(n):
        make_batch(course, provider, trainers=[teguh], code=f"Q-{i:03d}")
    client = en(teguh)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:teach"))
    assert len(response.context["page"]) == n


def test_admin_sees_all_batches_by_provider(admin_user, teguh, en):
    mine = make_batch(make_course("uji-c"), provider_of(teguh.agency), code="PPKD-1")
    other = make_batch(make_course("uji-d"), provider_of(), code="LPK-1")
    client = en(admin_user)
    assert {b.pk for b in client.get(reverse("training:teach")).context["page"]} == {
        mine.pk,
        other.pk,
    }
    response = client.get(reverse("training:teach"), {"provider": other.provider_id})
    assert [b.pk for b in response.context["page"]] == [other.pk]


def test_teach_refuses_workers_and_officers(wati, alice):
    for user in (wati, alice):
        assert verified_client(user).get(reverse("training:teach")).status_code == 403


# --- roster ---------------------------------------------------------------------------


def test_roster_shows_only_what_training_needs(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    person = c.people[0]
    response = en(teguh).get(reverse("training:roster", args=[c.batch.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert person.full_name in html and person.reference in html
    assert person.nik not in html
    assert person.birth_date.isoformat() not in html
    assert "1990" not in html  # the birth year (trainees are born 1990-01-01)
    assert person.address_line not in html
    main = html.split('<main id="main"')[1]
    assert "NIK" not in main and "Birth" not in main
    # and the persons were never loaded beyond the trainee fields
    loaded = response.context["enrolments"][0].person
    assert set(loaded.get_deferred_fields()) >= {"nik", "birth_date", "address_line"}
    assert AuditEvent.objects.filter(
        action="view", object_type="training.batch", object_id=str(c.batch.pk), reason="roster"
    ).exists()


def test_roster_of_another_trainers_batch_is_404_and_audited(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    colleague = make_user("t8@example.org", roles.TRAINER, teguh.agency)
    response = en(colleague).get(reverse("training:roster", args=[c.batch.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=colleague, action="denied", object_type="training.batch", object_id=str(c.batch.pk)
    ).exists()


def test_registry_reads_the_roster_workers_do_not(teguh, alice, bob, wati, en):
    c = classroom(teguh, alice, trainees=1)
    url = reverse("training:roster", args=[c.batch.pk])
    assert en(bob).get(url).status_code == 200
    assert en(wati).get(url).status_code == 403


def test_roster_query_count_does_not_grow_with_the_class(
    teguh, alice, en, django_assert_max_num_queries
):
    small = classroom(teguh, alice, trainees=2)
    big = classroom(teguh, alice, code="uji-besar", trainees=12, capacity=20)
    client = en(teguh)
    counts = []
    for batch in (small.batch, big.batch):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("training:roster", args=[batch.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- attendance -----------------------------------------------------------------------


def test_attendance_sheet_defaults_to_present(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    response = en(teguh).get(reverse("training:attendance", args=[c.batch.pk, 1]))
    html = response.content.decode()
    assert response.status_code == 200
    for e in c.enrolments:
        assert f'name="mark-{e.pk}" value="present" id="mark-{e.pk}-present" ' in html
        assert f'id="mark-{e.pk}-present" aria-label' in html
    assert html.count(" checked") == 2
    assert 'hx-post="' in html and "Save the attendance" in html
    # On a phone: one card per trainee, each choice a whole label around its radio
    # (class "choice": a 44 px target, design-ui §3 "Targets").
    from garda.tests.markup import assert_stacked_tables

    (table,) = assert_stacked_tables(html)
    assert table.header_texts == ["Trainee", "Attendance"]
    # (the trainee's name is the choices' legend, for screen readers)
    assert [dict(row)["Attendance"] for row in table.rows] == [
        f"{e.person.full_name} Present Late Excused Absent" for e in c.enrolments
    ]
    for e in c.enrolments:
        for value in ("present", "late", "excused", "absent"):
            assert (
                f'<label class="choice" for="mark-{e.pk}-{value}">'
                f'<input type="radio" name="mark-{e.pk}" value="{value}"'
            ) in html


def test_attendance_htmx_save_returns_the_partial(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    a, b = c.enrolments
    url = reverse("training:attendance", args=[c.batch.pk, 1])
    response = en(teguh).post(
        url, {f"mark-{a.pk}": "present", f"mark-{b.pk}": "late"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="attendance"') and "<html" not in html
    assert "Attendance saved for 2 trainees." in html
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        a.pk: "present",
        b.pk: "late",
    }


def test_attendance_without_javascript_redirects(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    url = reverse("training:attendance", args=[c.batch.pk, 2])
    response = en(teguh).post(url, {f"mark-{c.enrolments[0].pk}": "absent"})
    assert response.status_code == 302 and response["Location"] == url
    assert Attendance.objects.get().status == "absent"


def test_attendance_bad_input_is_explained_and_nothing_saved(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    other = classroom(teguh, alice, code="uji-lain", trainees=1)
    a, b = c.enrolments
    url = reverse("training:attendance", args=[c.batch.pk, 1])
    client = en(teguh)
    response = client.post(url, {f"mark-{a.pk}": "present", f"mark-{b.pk}": "asleep"}, headers=HTMX)
    assert "Unknown attendance" in response.content.decode()
    response = client.post(
        url, {f"mark-{a.pk}": "present", f"mark-{other.enrolments[0].pk}": "present"}
    )
    assert response.status_code == 200
    assert "Not in this class" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_of_a_future_session(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1, starts_in_days=-1)
    url = reverse("training:attendance", args=[c.batch.pk, 4])
    client = en(teguh)
    html = client.get(url).content.decode()
    assert "has not taken place yet" in html and "Save the attendance" not in html
    response = client.post(url, {f"mark-{c.enrolments[0].pk}": "present"}, headers=HTMX)
    assert "attendance is recorded on the day or after" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_is_read_only_for_the_registry(teguh, alice, bob, en):
    c = classroom(teguh, alice, trainees=1)
    url = reverse("training:attendance", args=[c.batch.pk, 1])
    html = en(bob).get(url).content.decode()
    assert "Save the attendance" not in html and "disabled" in html
    assert en(bob).post(url, {f"mark-{c.enrolments[0].pk}": "present"}).status_code == 404
    assert not Attendance.objects.exists()


def test_unknown_session_is_404(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    assert en(teguh).get(reverse("training:attendance", args=[c.batch.pk, 99])).status_code == 404


# --- assessments ----------------------------------------------------------------------


def test_assessment_sheet_saves_changed_rows(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    a, b = c.enrolments
    unit = c.course.course_units.first().unit
    url = reverse("training:assessments", args=[c.batch.pk, unit.pk])
    client = en(teguh)
    assert client.get(url).status_code == 200
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        f"result-{a.pk}": "competent",
        f"score-{a.pk}": "88",
        f"note-{a.pk}": "",
        f"result-{b.pk}": "",
        f"score-{b.pk}": "",
        f"note-{b.pk}": "",
    }
    response = client.post(url, data, headers=HTMX)
    assert "Results saved for 1 trainees." in response.content.decode()
    saved = Assessment.objects.get()
    assert (saved.enrolment_id, saved.result, saved.assessor) == (a.pk, "competent", teguh)
    # the same sheet again changes nothing
    response = client.post(url, {**data, f"score-{a.pk}": "88.00"}, headers=HTMX)
    assert "Results saved for 0 trainees." in response.content.decode()
    # bad score: clear message, nothing saved
    response = client.post(url, {**data, f"result-{b.pk}": "not_yet", f"score-{b.pk}": "130"})
    assert "A score is between 0 and 100." in response.content.decode()
    assert Assessment.objects.count() == 1
    # without JavaScript: redirect
    response = client.post(url, {**data, f"result-{b.pk}": "not_yet", f"score-{b.pk}": "30"})
    assert response.status_code == 302
    assert Assessment.objects.count() == 2


def test_assessments_of_a_unit_outside_the_course_is_404(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    other = make_course("uji-e").course_units.first().unit
    url = reverse("training:assessments", args=[c.batch.pk, other.pk])
    assert en(teguh).get(url).status_code == 404


# --- closing --------------------------------------------------------------------------


def test_close_page_lists_who_completed_and_why_not(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    response = en(teguh).post(reverse("training:batch_close", args=[c.batch.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 trainee did not complete" in html
    assert "Attendance 0% below the minimum 80%" in html
    # a second close is refused with a message
    response = en(teguh).post(reverse("training:batch_close", args=[c.batch.pk]), follow=True)
    assert "already closed" in response.content.decode()


def test_close_before_the_end(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1, starts_in_days=-1)
    response = en(teguh).post(reverse("training:batch_close", args=[c.batch.pk]), follow=True)
    assert "it can be closed from that day" in response.content.decode()
    assert Batch.objects.get(pk=c.batch.pk).closed_at is None


# --- creating, editing, cancelling ----------------------------------------------------


def _form(course, provider, **extra):
    start = timezone.localdate() + timedelta(days=21)
    data = {
        "course": course.pk,
        "provider": provider.pk,
        "code": "GTAW-2027-02",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=13)).isoformat(),
        "session_days": ["0", "2", "4"],
        "session_start": "08:00",
        "session_end": "12:00",
        "place": "Bengkel Las",
        "capacity": "12",
    }
    data.update(extra)
    return data


def test_trainer_creates_a_batch(teguh, en):
    provider, course = provider_of(teguh.agency), make_course("uji-f")
    response = en(teguh).post(reverse("training:batch_new"), _form(course, provider))
    batch = Batch.objects.get(code="GTAW-2027-02")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:roster", args=[batch.pk])
    assert 5 <= batch.sessions.count() <= 7 and list(batch.trainers.all()) == [teguh]


def test_batch_form_errors(teguh, en):
    provider, course = provider_of(teguh.agency), make_course("uji-g")
    other = provider_of()
    client = en(teguh)
    response = client.post(reverse("training:batch_new"), _form(course, other))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("training:batch_new"), _form(course, provider, session_end="07:00")
    )
    assert "A session must end after it starts." in response.content.decode()
    response = client.post(reverse("training:batch_new"), _form(course, provider, region="99.99"))
    assert "Unknown region code." in response.content.decode()
    assert not Batch.objects.exists()


def test_edit_capacity_below_enrolled(teguh, alice, en):
    c = classroom(teguh, alice, trainees=3, starts_in_days=7)
    url = reverse("training:batch_edit", args=[c.batch.pk])
    client = en(teguh)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["trainers"] = [teguh.pk]
    data["session_start"], data["session_end"] = "08:00", "16:00"
    response = client.post(url, {**data, "capacity": "2"})
    assert "3 seats are already taken" in response.content.decode()
    response = client.post(url, {**data, "capacity": "12", "place": "Ruang Teori 3"})
    assert response.status_code == 302
    c.batch.refresh_from_db()
    assert (c.batch.capacity, c.batch.place) == (12, "Ruang Teori 3")


def test_edit_by_another_trainer_is_404(teguh, alice, en):
    c = classroom(teguh, alice, trainees=0, starts_in_days=7)
    colleague = make_user("t9@example.org", roles.TRAINER, teguh.agency)
    assert en(colleague).get(reverse("training:batch_edit", args=[c.batch.pk])).status_code == 404


def test_cancel_from_the_page(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2, starts_in_days=7)
    url = reverse("training:batch_cancel", args=[c.batch.pk])
    client = en(teguh)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for cancelling." in response.content.decode()
    assert Batch.objects.get(pk=c.batch.pk).cancelled_at is None
    response = client.post(url, {"reason": "Instruktur sakit"})
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"withdrawn"}


# --- no-show --------------------------------------------------------------------------


def test_no_show_from_the_roster(teguh, alice, en):
    c = classroom(teguh, alice, trainees=2)
    enrolment = c.enrolments[0]
    response = en(teguh).post(
        reverse("training:no_show", args=[enrolment.pk]), {"reason": "Tidak pernah datang"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "no_show" and enrolment.reason == "Tidak pernah datang"
    # attendance is no longer recorded for them
    attendance_record(
        actor=teguh,
        session=c.batch.sessions.get(number=1),
        marks={c.enrolments[1].pk: "present"},
    )


def test_no_show_by_another_trainer_is_404(teguh, alice, en):
    c = classroom(teguh, alice, trainees=1)
    colleague = make_user("t10@example.org", roles.TRAINER, teguh.agency)
    response = en(colleague).post(
        reverse("training:no_show", args=[c.enrolments[0].pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=c.enrolments[0].pk).status == "enrolled"
