"""The rules pages: admins maintain, supervisors read, everybody else is refused."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.forms import DestinationForm
from garda.destinations.models import Destination, RequirementSet, SectorRule

HUGE = "99999999999999999999"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def current_set(code: str) -> RequirementSet:
    return RequirementSet.objects.get(code=code, is_current=True)


def read_urls() -> list[str]:
    rs = current_set("kr-eps-manufacturing")
    return [
        reverse("destinations:rules_destinations"),
        reverse("destinations:rules_destination", args=["KR"]),
        reverse("destinations:rules_sector_rules", args=["SA"]),
        reverse("destinations:rules_sets"),
        reverse("destinations:rules_set", args=[rs.pk]),
    ]


def write_urls() -> list[str]:
    rs = current_set("kr-eps-manufacturing")
    return [
        reverse("destinations:rules_destination_edit", args=["KR"]),
        reverse("destinations:rules_set_revise", args=[rs.pk]),
        reverse("destinations:rules_set_create"),
    ]


# --- who gets in --------------------------------------------------------------------


@pytest.mark.django_db
def test_supervisor_reads_without_edit_controls(bob):
    client = verified_client(bob)
    from garda.tests.markup import assert_stacked_tables, iso_dates

    for url in read_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context.get("may_manage") in (False, None), url
        # Every table a card per row on a phone, dates in words (design-ui §2.5, §4).
        assert_stacked_tables(response.content.decode())
        assert iso_dates(response.content.decode()) == [], url
    rules = client.get(reverse("destinations:rules_sector_rules", args=["SA"]))
    assert rules.context["form"] is None
    # A moratorium is a red tag with its name, never a colour alone.
    assert '<strong class="tag tag-red">Moratorium (ditutup)</strong>' in rules.content.decode()
    html = client.get(reverse("destinations:rules_destinations")).content.decode()
    assert "/edit/" not in html
    for url in write_urls():
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "teguh", "putri", "wati"])
def test_other_roles_are_refused_and_audited(who, request):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    for url in read_urls() + write_urls():
        assert client.get(url).status_code == 403, url
    add = client.post(
        reverse("destinations:rules_sector_rule_add", args=["KR"]),
        {
            "sector": "construction",
            "status": "open",
            "legal_basis": "x",
            "effective_from": "2027-01-01",
        },
    )
    assert add.status_code == 403
    assert SectorRule.objects.filter(destination__code="KR", sector="construction").count() == 0
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 9


@pytest.mark.django_db
def test_anonymous_goes_to_log_in():
    client = Client()
    for url in read_urls() + write_urls():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
def test_missing_objects_are_404(admin_user):
    client = verified_client(admin_user)
    assert client.get("/destinations/manage/ZZ/").status_code == 404
    assert client.get(f"/destinations/manage/requirement-sets/{HUGE}/").status_code == 404
    assert client.get(f"/destinations/manage/requirement-sets/{HUGE}/revise/").status_code == 404


@pytest.mark.django_db
def test_admin_sees_drafts_the_public_does_not(admin_user, bob):
    Destination.objects.filter(code="NL").update(is_published=False)
    for user in (admin_user, bob):
        response = verified_client(user).get(reverse("destinations:rules_destination", args=["NL"]))
        assert response.status_code == 200


# --- destinations -------------------------------------------------------------------


def form_data(destination: Destination, **changes) -> dict:
    data = DestinationForm.initial_for(destination)
    data.update(changes)
    return {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in data.items()}


@pytest.mark.django_db
def test_admin_edits_a_destination(admin_user):
    client = verified_client(admin_user)
    kr = Destination.objects.get(code="KR")
    url = reverse("destinations:rules_destination_edit", args=["KR"])
    assert client.get(url).context["form"].initial["embassy_name"] == "KBRI Seoul"
    response = client.post(url, form_data(kr, embassy_email="seoul@example.org"))
    assert response.status_code == 302
    kr.refresh_from_db()
    assert kr.embassy_email == "seoul@example.org" and kr.version == 2
    event = AuditEvent.objects.get(actor=admin_user, action="update")
    assert event.changed_fields == ["embassy_email"]


@pytest.mark.django_db
def test_stale_edit_is_a_conflict_and_loses_nothing(admin_user):
    client = english(verified_client(admin_user))
    kr = Destination.objects.get(code="KR")
    url = reverse("destinations:rules_destination_edit", args=["KR"])
    client.post(url, form_data(kr, embassy_phone="+82 1"))
    response = client.post(url, form_data(kr, embassy_phone="+82 2"))  # still version 1
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["version_conflict"]
    assert form["version"].value() == "2"  # saving again is a deliberate overwrite
    kr.refresh_from_db()
    assert kr.embassy_phone == "+82 1"


@pytest.mark.django_db
def test_destination_form_errors(admin_user):
    client = verified_client(admin_user)
    kr = Destination.objects.get(code="KR")
    url = reverse("destinations:rules_destination_edit", args=["KR"])
    response = client.post(url, form_data(kr, min_age=16, embassy_website="nope"))
    form = response.context["form"]
    assert "min_age" in form.errors and "embassy_website" in form.errors
    assert Destination.objects.get(code="KR").version == 1


# --- sector rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_rule_history_page_groups_rules_and_marks_the_one_in_force(bob):
    response = verified_client(bob).get(reverse("destinations:rules_sector_rules", args=["SA"]))
    groups = response.context["groups"]
    assert len(groups) == 2  # sector-wide and the SPSK occupation
    assert all(rule.in_force for group in groups for rule in group["rules"])
    assert "260 Tahun 2015" in response.content.decode()


@pytest.mark.django_db
def test_admin_adds_a_rule(admin_user):
    client = verified_client(admin_user)
    response = client.post(
        reverse("destinations:rules_sector_rule_add", args=["KW"]),
        {
            "sector": "domestic",
            "status": "moratorium",
            "legal_basis": "Keputusan uji 2/2027",
            "effective_from": "2027-01-01",
            "note": "Diperpanjang.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("destinations:rules_sector_rules", args=["KW"])
    rules = SectorRule.objects.filter(destination__code="KW").order_by("effective_from")
    assert [(r.effective_from, r.effective_to) for r in rules] == [
        (date(2015, 7, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), None),
    ]
    assert AuditEvent.objects.filter(actor=admin_user, action="create").count() == 1


@pytest.mark.django_db
def test_rule_form_shows_clear_errors_and_saves_nothing(admin_user):
    client = english(verified_client(admin_user))
    url = reverse("destinations:rules_sector_rule_add", args=["KW"])
    backwards = client.post(
        url,
        {
            "sector": "domestic",
            "status": "open",
            "legal_basis": "x",
            "effective_from": "2027-01-01",
            "effective_to": "2026-01-01",
        },
    )
    assert backwards.status_code == 200
    assert [e.code for e in backwards.context["form"].errors.as_data()["effective_to"]] == [
        "dates_ordered"
    ]
    overlap = client.post(
        url,
        {
            "sector": "domestic",
            "status": "open",
            "legal_basis": "x",
            "effective_from": "2015-07-01",
        },
    )
    assert [e.code for e in overlap.context["form"].errors.as_data()["effective_from"]] == [
        "overlap"
    ]
    with translation.override("en"):  # the page's dates as the pages show them
        assert f"already applies from {date_format(date(2015, 7, 1))}" in overlap.content.decode()
    assert SectorRule.objects.filter(destination__code="KW").count() == 1


# --- requirement sets ---------------------------------------------------------------


def set_form_data(rs: RequirementSet, *, requirements: list[dict], **changes) -> dict:
    data = {
        "name": rs.name,
        "name_en": rs.name_en,
        "legal_basis": rs.legal_basis,
        "min_age": rs.min_age or "",
        "max_age": rs.max_age or "",
        "min_education": rs.min_education,
        "prior_stay_country": "",
        "prior_stay_years": "",
        "min_experience_years": "",
        "sex": "",
        "effective_from": date.today().isoformat(),  # noqa: DTZ011
        "note": rs.note,
        "req-TOTAL_FORMS": str(len(requirements)),
        "req-INITIAL_FORMS": "0",
        "req-MIN_NUM_FORMS": "0",
        "req-MAX_NUM_FORMS": "1000",
    }
    for cond in rs.conditions:
        if cond["kind"] == "max_prior_stay_years":
            data["prior_stay_country"], data["prior_stay_years"] = cond["country"], cond["years"]
    for i, req in enumerate(requirements):
        for key, value in req.items():
            data[f"req-{i}-{key}"] = value
    data.update(changes)
    return data


def rows_of(rs: RequirementSet) -> list[dict]:
    return [
        {"document_type": r.document_type.code, "min_level": r.min_level, "note": r.note}
        for r in rs.requirements.select_related("document_type")
    ]


@pytest.mark.django_db
def test_revise_form_starts_from_the_current_version(admin_user):
    rs = current_set("kr-eps-manufacturing")
    response = verified_client(admin_user).get(
        reverse("destinations:rules_set_revise", args=[rs.pk])
    )
    form, formset = response.context["form"], response.context["formset"]
    assert form.initial["max_age"] == 39
    assert form.initial["prior_stay_country"] == "KR" and form.initial["prior_stay_years"] == 5
    types = [f.initial.get("document_type") for f in formset.forms if f.initial]
    assert types[0] == "ktp" and "eps-topik" in types
    assert len(formset.forms) == len(types) + 3  # empty rows to add documents


@pytest.mark.django_db
def test_admin_revises_a_set_removing_and_adding_documents(admin_user):
    client = verified_client(admin_user)
    rs = current_set("kr-eps-manufacturing")
    rows = rows_of(rs)
    rows[[r["document_type"] for r in rows].index("opp")]["DELETE"] = "on"
    rows.append({"document_type": "competency-certificate", "note": "Las."})
    rows.append({"document_type": ""})  # an empty row is ignored
    response = client.post(
        reverse("destinations:rules_set_revise", args=[rs.pk]),
        set_form_data(rs, requirements=rows, max_age="38"),
    )
    assert response.status_code == 302, response.context["form"].errors
    new = current_set("kr-eps-manufacturing")
    assert response["Location"] == reverse("destinations:rules_set", args=[new.pk])
    assert new.version == 2 and new.max_age == 38
    types = [r.document_type.code for r in new.requirements.select_related("document_type")]
    assert "opp" not in types and types[-1] == "competency-certificate"
    assert new.conditions == rs.conditions
    old = RequirementSet.objects.get(pk=rs.pk)
    assert not old.is_current and old.requirements.count() == len(rows) - 2
    # The old version's page says it is old and offers no revision.
    page = english(verified_client(admin_user)).get(reverse("destinations:rules_set", args=[rs.pk]))
    assert "earlier version" in page.content.decode()
    assert reverse("destinations:rules_set_revise", args=[rs.pk]) not in page.content.decode()
    # Opening the revision of an old version sends to the current one.
    again = client.get(reverse("destinations:rules_set_revise", args=[rs.pk]))
    assert again.status_code == 302 and again["Location"].endswith(f"/{new.pk}/")


@pytest.mark.django_db
def test_revise_form_errors_are_shown_and_nothing_is_saved(admin_user):
    client = english(verified_client(admin_user))
    rs = current_set("kr-eps-manufacturing")
    url = reverse("destinations:rules_set_revise", args=[rs.pk])
    band = client.post(url, set_form_data(rs, requirements=rows_of(rs), min_age="30", max_age="25"))
    assert [e.code for e in band.context["form"].errors.as_data()["max_age"]] == ["age_band"]
    level = client.post(
        url,
        set_form_data(
            rs, requirements=[{"document_type": "jlpt", "min_level": "N9"}], note="changed"
        ),
    )
    assert "N9 is not a level of jlpt" in level.content.decode()
    unknown = client.post(
        url, set_form_data(rs, requirements=[{"document_type": "visa-turis"}], note="x")
    )
    assert "document_type" in unknown.context["formset"].forms[0].errors
    half = client.post(
        url, set_form_data(rs, requirements=rows_of(rs), prior_stay_country="", note="x")
    )
    assert "prior_stay_country" in half.context["form"].errors
    assert RequirementSet.objects.filter(code=rs.code).count() == 1


@pytest.mark.django_db
def test_admin_creates_a_set(admin_user):
    client = verified_client(admin_user)
    assert client.get(reverse("destinations:rules_set_create")).status_code == 200
    data = {
        "code": "sa-p2p-health",
        "destination": "SA",
        "scheme": "p2p",
        "sector": "health",
        "name": "Arab Saudi – perawat",
        "name_en": "Saudi Arabia – nurse",
        "legal_basis": "UU 18/2017 pasal 13",
        "min_age": "21",
        "effective_from": "2026-01-01",
        "req-TOTAL_FORMS": "2",
        "req-INITIAL_FORMS": "0",
        "req-0-document_type": "ktp",
        "req-1-document_type": "nursing-registration",
    }
    response = client.post(reverse("destinations:rules_set_create"), data)
    assert response.status_code == 302
    rs = current_set("sa-p2p-health")
    assert (rs.destination.code, rs.scheme.code, rs.sector, rs.min_age) == (
        "SA",
        "p2p",
        "health",
        21,
    )
    again = client.post(reverse("destinations:rules_set_create"), data)
    assert "code" in again.context["form"].errors


# --- query counts -------------------------------------------------------------------


@pytest.mark.django_db
def test_list_pages_query_counts_do_not_grow(admin_user, django_assert_max_num_queries):
    client = verified_client(admin_user)
    client.get(reverse("destinations:rules_sets"))  # warm the session
    # Each page includes one query for the nav's unread-notification count.
    with django_assert_max_num_queries(10):
        client.get(reverse("destinations:rules_destinations"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("destinations:rules_sets"), {"current": ""})
    assert len(response.context["page"]) >= 12
    with django_assert_max_num_queries(11):
        client.get(reverse("destinations:rules_sector_rules", args=["SA"]))
    with django_assert_max_num_queries(11):
        client.get(reverse("destinations:rules_set", args=[current_set("jp-ssw").pk]))


@pytest.mark.django_db
def test_set_list_filters(bob):
    client = verified_client(bob)

    def codes(**params):
        return {
            rs.code for rs in client.get(reverse("destinations:rules_sets"), params).context["page"]
        }

    assert codes(destination="kr") == {"kr-eps", "kr-eps-manufacturing"}
    assert codes(scheme="p2p", sector="care") == {"tw-p2p-care"}
    assert codes(current="0") == set()
    assert "independent" in codes()
