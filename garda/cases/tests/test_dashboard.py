"""The supervisors' dashboard: what it counts (and for whom), that each number links to
the filtered case list, that the counting is a fixed few SQL queries, and who is
refused."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases import clocks
from garda.cases import dashboard as board
from garda.cases.models import Case, Clock, Escalation, Service
from garda.cases.services.record import service_plan
from garda.cases.tests.factories import case_in_progress, open_case

pytestmark = pytest.mark.django_db

URL = "/cases/dashboard/"


@pytest.fixture
def world(alice, bob, carol, admin_user):
    """alice's two cases (Disnakertransgi: one critical abuse, one wages), a public
    report nobody holds (the intake queue), carol's case (Dinsos)."""
    critical = case_in_progress(officer=alice, actor=bob, kinds=["abuse", "wages"])
    wages = case_in_progress(officer=alice, kinds=["wages"])
    queue, _secret = open_case(kinds=["lost_contact"])
    other = case_in_progress(officer=carol, kinds=["fraud"])
    return {"critical": critical, "wages": wages, "queue": queue, "other": other}


def english(user):
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def query_of(url: str) -> dict:
    parts = urlsplit(url)
    assert parts.path == reverse("cases:list")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_url_name():
    assert reverse("cases:dashboard") == URL


def test_a_supervisor_counts_their_agency_and_the_queue(world, bob, alice):
    result = board.counts(bob)
    assert result.total == 3  # not carol's Dinsos case
    assert result.by_stage == {"in_progress": 2, "new": 1}
    assert result.by_severity == {"critical": 1, "normal": 1, "high": 1}
    assert result.by_kind == {"abuse": 1, "wages": 2, "lost_contact": 1}
    assert result.by_owner == [(alice.pk, "Alice", 2), (None, "", 1)]
    assert set(result.by_clock) == {"first_response", "assignment", "resolution"}
    assert sum(result.by_clock["resolution"].values()) == 3


def test_an_admin_counts_everything_or_one_agency(world, admin_user, dinsos):
    assert board.counts(admin_user).total == 4
    one = board.counts(admin_user, agency_id=dinsos.pk)
    assert one.total == 1 and one.by_kind == {"fraud": 1}


def test_closed_cases_and_older_cases_are_left_out(world, bob):
    Case.objects.filter(pk=world["wages"].pk).update(status="closed", stage="closed")
    Case.objects.filter(pk=world["critical"].pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    assert board.counts(bob).total == 2
    recent = board.counts(bob, since=timezone.localdate() - timedelta(days=30))
    assert recent.total == 1 and recent.by_stage == {"new": 1}


def test_clock_states_in_sql_agree_with_the_model(world, bob):
    """Every state, set on the clocks directly; the SQL counts equal Clock.state()."""
    now = timezone.now()
    hour = timedelta(hours=1)
    rows = list(Clock.objects.filter(case__in=[world["critical"], world["wages"], world["queue"]]))
    shapes = [
        dict(done_at=now - 2 * hour, due_at=now - hour),  # met
        dict(done_at=now - hour, due_at=now - 2 * hour),  # done late: breached
        dict(done_at=None, due_at=now - hour, risk_at=now - 2 * hour),  # breached
        dict(done_at=None, due_at=now + hour, risk_at=now - hour),  # at risk
        dict(done_at=None, due_at=now + 2 * hour, risk_at=now + hour),  # running
    ]
    for i, clock in enumerate(rows):
        for key, value in shapes[i % len(shapes)].items():
            setattr(clock, key, value)
        clock.save()
    result = board.counts(bob, now=now)
    expected: dict = {}
    for clock in Clock.objects.filter(pk__in=[c.pk for c in rows]):
        by_state = expected.setdefault(clock.name, dict.fromkeys(clocks.STATES, 0))
        by_state[clock.state(now)] += 1
    assert result.by_clock == expected
    assert sum(r[clocks.BREACHED] for r in result.by_clock.values()) == 4
    assert sum(r[clocks.AT_RISK] for r in result.by_clock.values()) == 2


def test_escalations_of_the_last_7_days_and_overdue_services(world, bob, alice, carol):
    now = timezone.now()
    Escalation.objects.create(case=world["critical"], clock="resolution", level=1, at=now)
    Escalation.objects.create(case=world["critical"], clock="resolution", level=2, at=now)
    Escalation.objects.create(case=world["wages"], clock="assignment", level=1, at=now)
    old = now - timedelta(days=8)
    Escalation.objects.create(case=world["wages"], clock="resolution", level=1, at=old)
    Escalation.objects.create(case=world["other"], clock="resolution", level=1, at=now)
    late = service_plan(actor=alice, case=world["critical"], type="shelter", timeframe="1_hour")
    service_plan(actor=alice, case=world["critical"], type="medical", timeframe="3_days")
    done = service_plan(actor=alice, case=world["wages"], type="legal_aid", timeframe="1_hour")
    service_plan(actor=carol, case=world["other"], type="shelter", timeframe="1_hour")
    Service.objects.filter(pk__in=[late.pk, done.pk]).update(due_at=now - timedelta(hours=2))
    Service.objects.filter(pk=done.pk).update(done_at=now - timedelta(hours=3))
    Service.objects.filter(case=world["other"]).update(due_at=now - timedelta(hours=2))
    result = board.counts(bob, now=now)
    assert result.escalations == {1: 2, 2: 1}
    assert result.escalated_cases == 2
    assert result.overdue_services == 1 and result.overdue_service_cases == 1


def test_the_counting_is_a_fixed_number_of_queries(world, bob, alice, admin_user):
    with CaptureQueriesContext(connection) as few:
        board.counts(bob)
    assert len(few) == board.QUERIES
    for n in range(6):
        case = case_in_progress(officer=alice, kinds=["wages", "contract", "illness"][: 1 + n % 3])
        service_plan(actor=alice, case=case, type="shelter", timeframe="1_hour")
        Escalation.objects.create(case=case, clock="resolution", level=1)
    with CaptureQueriesContext(connection) as more:
        assert board.counts(bob).total == 9
    assert len(more) == board.QUERIES
    # The page: the counts; the session, the user, the second factor, the groups and
    # permissions (6); the audit row (up to 5 with its savepoint and chain lock); the
    # unread count; the agencies of the admin's filter.
    client = verified_client(admin_user)
    client.get(URL)  # warm the caches of the chrome
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL).status_code == 200
    assert len(page) <= board.QUERIES + 13, "\n".join(q["sql"][:100] for q in page)


def test_the_page_links_each_number_to_the_filtered_list(world, bob, alice):
    now = timezone.now()
    Clock.objects.filter(case=world["critical"], name="resolution").update(
        due_at=now - timedelta(hours=1)
    )
    response = english(bob).get(URL)
    assert response.status_code == 200
    ctx = response.context
    stages = {label: (n, query_of(url)) for label, n, url in ctx["stages"]}
    assert stages["In progress"] == (2, {"stage": "in_progress"})
    assert stages["Resolved"][0] == 0  # every open stage shown, zeros included
    severities = {label: (n, query_of(url)) for label, n, url in ctx["severities"]}
    assert severities["Critical"] == (1, {"severity": "critical"})
    kinds = {label: (n, query_of(url)) for label, n, url in ctx["kinds"]}
    assert kinds["Unpaid or withheld wages"] == (2, {"kind": "wages"})
    owners = [(name, n, query_of(url)) for name, n, url in ctx["owners"]]
    assert owners == [
        ("Alice", 2, {"owner": str(alice.pk)}),
        ("Nobody yet (intake queue)", 1, {"owner": "none"}),
    ]
    resolution = next(c for c in ctx["clocks"] if c["label"] == "Resolution")
    assert resolution["breached"] == 1
    assert query_of(resolution["breached_url"]) == {
        "clock": "breached",
        "clock_name": "resolution",
    }
    assert query_of(ctx["breached_url"]) == {"clock": "breached"}
    assert query_of(ctx["escalated_url"]) == {"escalated": "1"}
    assert query_of(ctx["overdue_url"]) == {"service": "overdue"}
    html = response.content.decode()
    assert html.count("<caption>") == 5
    assert 'href="/cases/?stage=in_progress"' in html
    assert "Nobody yet (intake queue)" in html
    assert 'data-label="Open cases"' in html


def test_the_page_in_indonesian(world, bob):
    html = verified_client(bob).get(URL).content.decode()
    assert "Dasbor kasus" in html
    assert "Belum ada petugas (antrean masuk)" in html
    assert "Sedang ditangani" in html and "Penyelesaian" in html


def test_filters_period_and_agency(world, admin_user, bob, dinsos):
    Case.objects.filter(pk=world["critical"].pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    admin = english(admin_user)
    response = admin.get(URL, {"period": "30", "agency": dinsos.pk})
    assert response.context["result"].total == 1
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    stage_url = dict((label, url) for label, _n, url in response.context["stages"])["In progress"]
    assert query_of(stage_url) == {"since": since, "agency": str(dinsos.pk), "stage": "in_progress"}
    # Nonsense is ignored, not an error.
    for params in ({"period": "13"}, {"agency": "x"}, {"agency": "99999999999999999999"}):
        response = admin.get(URL, params)
        assert response.status_code == 200 and response.context["result"].total == 4
    # A supervisor cannot look at another agency's cases through ?agency=.
    response = verified_client(bob).get(URL, {"agency": dinsos.pk})
    assert response.context["result"].total == 3 and response.context["agencies"] is None


def test_reading_the_dashboard_is_audited(world, bob):
    verified_client(bob).get(URL)
    assert AuditEvent.objects.filter(
        actor=bob, action=AuditEvent.Action.VIEW, object_type="cases.case", reason="dashboard"
    ).exists()


@pytest.mark.parametrize("who", ["alice", "wati", "teguh", "putri"])
def test_other_roles_are_refused_and_logged(who, request):
    user = request.getfixturevalue(who)
    response = verified_client(user).get(URL)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_empty_dashboard(bob):
    response = verified_client(bob).get(URL)
    assert response.status_code == 200
    assert response.context["result"].total == 0
    assert "Tidak ada kasus terbuka." in response.content.decode()


def test_the_dashboard_warns_when_the_holiday_calendar_runs_out():
    """Working-day deadlines need next year's holidays: 60 days before the last one on
    file, the dashboard says so; with the calendar covered, it says nothing."""
    from datetime import date

    from garda.cases.views.dashboard import holidays_running_out

    assert holidays_running_out(today=date(2026, 12, 6)) == date(2026, 12, 25)
    assert holidays_running_out(today=date(2026, 6, 1)) is None
