"""/api/v1/destinations, /schemes and /requirement-sets: public reads, admin writes."""

import pytest
from django.test import Client

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.models import Destination, RequirementSet, SectorRule

HUGE = "99999999999999999999"


def current_set(code: str) -> RequirementSet:
    return RequirementSet.objects.get(code=code, is_current=True)


def error_codes(response, field: str) -> list[str]:
    return [e["code"] for e in response.json()["errors"] if e["field"] == field]


# --- reading ------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_lists_destinations_with_sector_statuses():
    body = Client().get("/api/v1/destinations").json()
    assert body["count"] == 20
    by_code = {d["code"]: d for d in body["items"]}
    sa = by_code["SA"]
    statuses = {(s["sector"], s["occupation"]): s for s in sa["sector_statuses"]}
    moratorium = statuses[("domestic", "")]
    assert moratorium["status"] == "moratorium"
    assert "260 Tahun 2015" in moratorium["legal_basis"]
    assert moratorium["effective_from"] == "2015-07-01" and moratorium["effective_to"] is None
    assert "p2p" in sa["schemes"]
    assert "g2g-kr-eps" in by_code["KR"]["schemes"]


@pytest.mark.django_db
def test_statuses_on_a_past_day():
    body = Client().get("/api/v1/destinations", {"on": "2015-06-30"}).json()
    sa = next(d for d in body["items"] if d["code"] == "SA")
    assert sa["sector_statuses"] == []
    assert Client().get("/api/v1/destinations", {"on": "not-a-date"}).status_code == 422


@pytest.mark.django_db
def test_unpublished_destinations_are_not_listed():
    Destination.objects.filter(code="NL").update(is_published=False)
    client = Client()
    codes = {d["code"] for d in client.get("/api/v1/destinations").json()["items"]}
    assert "NL" not in codes and len(codes) == 19
    assert client.get("/api/v1/destinations/NL").status_code == 404


@pytest.mark.django_db
def test_destination_detail():
    body = Client().get("/api/v1/destinations/kr").json()  # the code in any case
    assert body["code"] == "KR" and body["min_age"] == 18
    assert body["embassy"]["name"] == "KBRI Seoul"
    assert body["embassy"]["phone"] == ""
    eps = next(s for s in body["scheme_details"] if s["scheme"] == "g2g-kr-eps")
    assert eps["language_tests"] == "EPS-TOPIK" and eps["fee_free"] is True
    assert "manufacturing" in eps["sectors"]
    assert body["notes"] and body["notes_en"]
    client = Client()
    assert client.get("/api/v1/destinations/ZZ").status_code == 404
    assert client.get("/api/v1/destinations/KOR").status_code == 422


@pytest.mark.django_db
def test_rule_history_keeps_the_old_rule(admin_user):
    client = verified_client(admin_user)
    created = client.post(
        "/api/v1/destinations/OM/rules",
        {
            "sector": "domestic",
            "status": "restricted",
            "legal_basis": "Keputusan uji 3/2027",
            "effective_from": "2027-03-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["status"] == "restricted"
    history = Client().get("/api/v1/destinations/OM/rules").json()
    assert [(r["status"], r["effective_from"], r["effective_to"]) for r in history["items"]] == [
        ("restricted", "2027-03-01", None),
        ("moratorium", "2015-07-01", "2027-03-01"),
    ]
    only = Client().get("/api/v1/destinations/OM/rules", {"sector": "health"}).json()
    assert only["count"] == 0
    assert Client().get("/api/v1/destinations/OM/rules", {"sector": "x"}).status_code == 422


@pytest.mark.django_db
def test_schemes():
    body = Client().get("/api/v1/schemes").json()
    assert body["count"] == 9
    eps = next(s for s in body["items"] if s["code"] == "g2g-kr-eps")
    assert eps["kind"] == "g2g" and eps["fee_free"] is True and eps["legal_basis"]


@pytest.mark.django_db
def test_requirement_sets_filters_and_detail():
    client = Client()

    def codes(**params):
        return {s["code"] for s in client.get("/api/v1/requirement-sets", params).json()["items"]}

    assert codes(destination="KR") == {"kr-eps", "kr-eps-manufacturing"}
    assert codes(scheme="independent") == {"independent"}
    assert codes(sector="care") == {"tw-p2p-care", "jp-ijepa-care"}
    assert codes(current="false") == set()
    assert client.get("/api/v1/requirement-sets", {"sector": "mining"}).status_code == 422
    listed = client.get("/api/v1/requirement-sets", {"scheme": "independent"}).json()["items"][0]
    assert listed["destination"] is None and listed["sector"] == ""
    rs = current_set("kr-eps-manufacturing")
    body = client.get(f"/api/v1/requirement-sets/{rs.pk}").json()
    assert (body["destination"], body["scheme"], body["version"]) == ("KR", "g2g-kr-eps", 1)
    assert body["conditions"] == [{"kind": "max_prior_stay_years", "country": "KR", "years": 5}]
    reqs = {r["document_type"]: r for r in body["requirements"]}
    assert reqs["eps-topik"]["min_level"] == "80"
    assert reqs["passport"]["min_remaining_months"] == 18  # the document type's rule
    assert reqs["passport"]["issuer"] == "Kantor Imigrasi"
    assert client.get(f"/api/v1/requirement-sets/{HUGE}").status_code in (404, 422)
    assert client.get("/api/v1/requirement-sets/999999").status_code == 404


@pytest.mark.django_db
def test_list_endpoints_query_counts(django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(4):
        client.get("/api/v1/destinations")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/requirement-sets")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/schemes")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/destinations/SA/rules")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/destinations/JP")


# --- writing ------------------------------------------------------------------------


RULE = {
    "sector": "construction",
    "status": "restricted",
    "legal_basis": "Keputusan uji",
    "effective_from": "2027-01-01",
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "alice", "teguh", "putri", "wati"])
def test_non_admins_may_not_write(who, request):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    rs = current_set("jp-ssw")
    responses = [
        client.post("/api/v1/destinations/KR/rules", RULE, content_type="application/json"),
        client.post(
            f"/api/v1/requirement-sets/{rs.pk}/revise",
            {"note": "x"},
            content_type="application/json",
        ),
        client.post(
            "/api/v1/requirement-sets",
            {
                "code": "x",
                "scheme": "p2p",
                "name": "x",
                "name_en": "x",
                "legal_basis": "x",
                "requirements": [{"document_type": "ktp"}],
            },
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 3
    assert not SectorRule.objects.filter(destination__code="KR", sector="construction").exists()
    assert RequirementSet.objects.filter(code="jp-ssw").count() == 1


@pytest.mark.django_db
def test_anonymous_writes_are_401():
    client = Client()
    rs = current_set("jp-ssw")
    assert (
        client.post(
            "/api/v1/destinations/KR/rules", RULE, content_type="application/json"
        ).status_code
        == 401
    )
    assert (
        client.post(
            f"/api/v1/requirement-sets/{rs.pk}/revise", {}, content_type="application/json"
        ).status_code
        == 401
    )


@pytest.mark.django_db
def test_bad_rules_get_field_errors(admin_user):
    client = verified_client(admin_user)

    def post(**changes):
        return client.post(
            "/api/v1/destinations/QA/rules", {**RULE, **changes}, content_type="application/json"
        )

    backwards = post(effective_to="2026-01-01")
    assert backwards.status_code == 422 and error_codes(backwards, "effective_to") == [
        "dates_ordered"
    ]
    overlap = post(sector="domestic", effective_from="2014-01-01")
    assert error_codes(overlap, "effective_from") == ["overlap"]
    unknown = post(sector="mining", status="closed")
    assert error_codes(unknown, "sector") == ["invalid_choice"]
    assert error_codes(unknown, "status") == ["invalid_choice"]
    assert post(effective_from="yesterday").status_code == 422
    assert SectorRule.objects.filter(destination__code="QA").count() == 1
    assert (
        client.post(
            "/api/v1/destinations/ZZ/rules", RULE, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_admin_revises_a_set_through_the_api(admin_user):
    client = verified_client(admin_user)
    v1 = current_set("jp-im-japan")
    response = client.post(
        f"/api/v1/requirement-sets/{v1.pk}/revise",
        {"max_age": 28, "conditions": [{"kind": "sex", "value": "F"}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["is_current"], body["max_age"]) == (2, True, 28)
    assert body["conditions"] == [{"kind": "sex", "value": "F"}]
    # Requirements not sent are copied.
    assert [r["document_type"] for r in body["requirements"]] == [
        r.document_type.code for r in v1.requirements.select_related("document_type")
    ]
    # The same old version again: 409 pointing at the current one.
    stale = client.post(
        f"/api/v1/requirement-sets/{v1.pk}/revise", {"max_age": 27}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"] == {"id": body["id"], "version": 2}
    old = Client().get(f"/api/v1/requirement-sets/{v1.pk}").json()
    assert old["is_current"] is False and old["max_age"] == 30


@pytest.mark.django_db
def test_bad_revisions_get_field_errors(admin_user):
    client = verified_client(admin_user)
    rs = current_set("jp-ssw")

    def revise(body):
        return client.post(
            f"/api/v1/requirement-sets/{rs.pk}/revise", body, content_type="application/json"
        )

    unknown = revise({"requirements": [{"document_type": "visa-turis"}]})
    assert unknown.status_code == 422
    assert error_codes(unknown, "requirements") == ["unknown_document_type"]
    band = revise({"min_age": 30, "max_age": 20})
    assert error_codes(band, "max_age") == ["age_band"]
    nothing = revise({})
    assert nothing.status_code == 422 and error_codes(nothing, "") == ["no_change"]
    assert (
        revise({"requirements": [{"document_type": "ktp", "validity_months": 0}]}).status_code
        == 422
    )
    assert RequirementSet.objects.filter(code="jp-ssw").count() == 1


@pytest.mark.django_db
def test_admin_creates_a_set_through_the_api(admin_user):
    client = verified_client(admin_user)
    body = {
        "code": "gb-p2p-health",
        "destination": "GB",
        "scheme": "p2p",
        "sector": "health",
        "name": "Inggris – tenaga kesehatan",
        "name_en": "United Kingdom – health workers",
        "legal_basis": "UU 18/2017 pasal 13",
        "requirements": [
            {"document_type": "ktp"},
            {"document_type": "ielts", "min_level": "7"},
            {"document_type": "nursing-registration"},
        ],
    }
    created = client.post("/api/v1/requirement-sets", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["requirements"][1]["min_level"] == "7"
    again = client.post("/api/v1/requirement-sets", body, content_type="application/json")
    assert error_codes(again, "code") == ["duplicate_code"]
    bad_scheme = client.post(
        "/api/v1/requirement-sets",
        {**body, "code": "x-y", "scheme": "nope"},
        content_type="application/json",
    )
    assert error_codes(bad_scheme, "scheme") == ["unknown"]
