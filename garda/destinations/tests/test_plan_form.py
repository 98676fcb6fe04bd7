"""The placement plan form: no country or scheme preselected, only the schemes the
chosen country offers, a two-step form without JavaScript (country, then scheme and
sector) that HTMX reloads in place, and refusals in words, never codes."""

import re

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.destinations.models import Plan
from garda.destinations.tests.factories_readiness import KR_QUERY

MINE = "/destinations/readiness/"
PLAN = "/destinations/readiness/plan/"


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [v for v in re.findall(r'<option value="([^"]*)"[^>]*selected', select) if v]


def test_nothing_is_preselected_and_the_country_comes_first(person, wati):
    html = verified_client(wati).get(MINE).content.decode()
    form = re.search(
        r'<form method="get" action="/destinations/readiness/plan/".*?</form>', html, re.S
    )
    assert form, "step one is a GET form"
    assert _options(html, "destination")[0] == ""
    assert _selected(html, "destination") == []
    assert "Pilih negara tujuan" in html and "Lanjutkan" in html
    assert 'name="scheme"' not in html and 'name="sector"' not in html


def test_without_javascript_the_second_step_offers_only_that_countrys_schemes(person, wati):
    client = verified_client(wati)
    html = client.get(PLAN, {"destination": "KR"}).content.decode()
    assert _selected(html, "destination") == ["KR"]
    schemes = _options(html, "scheme")
    assert schemes[0] == "" and _selected(html, "scheme") == []
    assert set(schemes[1:]) == {"g2g-kr-eps", "independent", "company-own"}
    assert "sp2t-tw" not in schemes and "jp-ssw" not in schemes
    assert _options(html, "sector")[0] == ""
    assert "<html" in html and 'method="post"' in html  # a page of its own
    # Taiwan offers its own.
    html = client.get(PLAN, {"destination": "TW"}).content.decode()
    assert "sp2t-tw" in _options(html, "scheme") and "g2g-kr-eps" not in _options(html, "scheme")


def test_with_htmx_only_the_form_is_reloaded(person, wati):
    response = verified_client(wati).get(
        PLAN, {"destination": "JP"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count('id="plan-form"') == 1 and 'hx-trigger="change from:#id_destination"' in html
    assert "jp-ssw" in _options(html, "scheme")
    assert 'hx-params="destination,planned_departure"' in html  # no CSRF token in a URL


def test_a_scheme_the_country_lacks_is_refused_in_words(person, wati, kr_set):
    response = verified_client(wati).post(PLAN, {**KR_QUERY, "scheme": "sp2t-tw"})
    assert response.status_code == 200
    (message,) = response.context["form"].errors["scheme"]
    assert message in response.content.decode()
    assert message.startswith(
        "Skema SP2T Taiwan tidak tersedia untuk Korea Selatan. Pilih salah satu:"
    )
    assert "G to G Korea Selatan (EPS)" in message
    assert "sp2t-tw" not in message and " KR" not in message
    assert not Plan.objects.exists()


def test_a_sector_the_scheme_lacks_is_refused_in_words(person, wati, kr_set):
    response = verified_client(wati).post(PLAN, {**KR_QUERY, "sector": "domestic"})
    (message,) = response.context["form"].errors["sector"]
    assert message in response.content.decode()
    assert "Korea Selatan" in message and "Pilih salah satu:" in message
    assert "domestic" not in message and "g2g-kr-eps" not in message
    assert not Plan.objects.exists()


def test_an_empty_form_asks_for_the_country(person, wati):
    response = verified_client(wati).post(PLAN, {"destination": ""})
    assert response.status_code == 200
    assert "Pilih negara tujuan." in response.content.decode()
    assert not Plan.objects.exists()


def test_the_second_step_saves(person, wati, kr_set):
    client = verified_client(wati)
    saved = client.post(PLAN, KR_QUERY)
    assert saved.status_code == 302 and saved.url == MINE
    assert Plan.objects.get().target_key == "KR:g2g-kr-eps:manufacturing"
    # The saved plan shows as chosen, nothing else preselected.
    html = client.get(PLAN).content.decode()
    assert _selected(html, "scheme") == ["g2g-kr-eps"] and _selected(html, "sector") == [
        "manufacturing"
    ]


def test_an_officer_plans_in_two_steps_for_a_person(person, alice, kr_set):
    client = verified_client(alice)
    url = reverse("destinations:person_plan", args=[person.pk])
    html = client.get(url).content.decode()
    assert "Wati Lestari" in html and _options(html, "destination")[0] == ""
    html = client.get(url, {"destination": "KR"}).content.decode()
    assert "g2g-kr-eps" in _options(html, "scheme")
    assert client.post(url, KR_QUERY).status_code == 302
    assert Plan.objects.get().created_by == alice


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_the_officer_plan_page_is_for_the_registry(person, who, request):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("destinations:person_plan", args=[person.pk])).status_code == 403


def test_the_worker_plan_page_is_the_workers(person, alice):
    assert verified_client(alice).get(PLAN).status_code == 403


def test_the_api_still_takes_codes_and_answers_in_words(person, alice, kr_set):
    client = verified_client(alice)
    path = f"/api/v1/people/{person.pk}/plan"
    bad = client.put(path, {**KR_QUERY, "scheme": "sp2t-tw"}, content_type="application/json")
    assert bad.status_code == 422
    (error,) = bad.json()["errors"]
    assert error["code"] == "scheme_unavailable"
    assert "SP2T Taiwan" in error["message"] and "Korea Selatan" in error["message"]
    good = client.put(path, KR_QUERY, content_type="application/json")
    assert good.status_code == 200 and good.json()["scheme"] == "g2g-kr-eps"


def test_opening_a_persons_plan_page_is_an_audited_read(person, alice):
    """The page shows the person's name and plan: the same VIEW row as the readiness
    page, so the person's access log (UU PDP) lists it."""
    from garda.audit.models import AuditEvent

    verified_client(alice).get(reverse("destinations:person_plan", args=[person.pk]))
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_id=str(person.pk), reason="readiness"
    ).exists()
