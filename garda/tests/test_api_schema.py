"""The OpenAPI document describes what the API answers (issue 19, the API fuzzer,
garda/tests/test_api_fuzz.py): what the fuzzer found, each held by a plain test."""

import inspect
import re
import sys
from collections import defaultdict

import pydantic
import pytest
from django.test import Client

from conftest import verified_client


@pytest.fixture(scope="module")
def document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _api_models() -> dict[str, list[type]]:
    """Every pydantic model defined in the product's modules, by class name."""
    by_name = defaultdict(list)
    for name, module in list(sys.modules.items()):
        if not name.startswith("garda.") or ".tests" in name:
            continue
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, pydantic.BaseModel)
                and obj.__module__ == name
            ):
                by_name[obj.__name__].append(obj)
    return by_name


def test_each_schema_name_is_one_model(document):
    """The document names its schemas by class name, and a second class of the same
    name silently replaced the first: GET /me was documented with the cases app's
    AgencyRef, an accompaniment task with a case task's fields, a batch's sessions
    with the classroom's, and so on (17 names)."""
    clashes = {
        name: sorted(c.__module__ for c in classes)
        for name, classes in _api_models().items()
        if len(classes) > 1 and name in document["components"]["schemas"]
    }
    assert not clashes, f"schema names used by two models: {clashes}"


def test_me_answers_as_documented(teguh, document):
    """The answer that showed it: a trainer's agency is {"id", "short_name"}, which the
    cases app's AgencyRef (required "name") refused."""
    me = document["components"]["schemas"]["MeOut"]["properties"]["agency"]
    ref = next(s["$ref"] for s in me["anyOf"] if "$ref" in s).rsplit("/", 1)[1]
    agency = verified_client(teguh).get("/api/v1/me").json()["agency"]
    assert set(agency) == set(document["components"]["schemas"][ref]["required"])


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_error_answers_are_documented(document):
    """Every operation lists the error answers it can give, in the one error format:
    400 (a NUL character anywhere), 401 and 403 (sign-in and role), 404 and 422 (input
    naming a missing or hidden object, or invalid). The fuzzer's first run found them
    undocumented everywhere (only 200 was listed for most operations)."""
    missing = []
    for label, operation in _operations(document):
        expected = {"400"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if operation.get("parameters") or operation.get("requestBody"):
            expected |= {"404", "422"}
        listed = {str(code) for code in operation["responses"]}
        if expected - listed:
            missing.append((label, sorted(expected - listed)))
    assert not missing
    error = document["paths"]["/api/v1/me"]["get"]["responses"]["401"]
    assert error["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "detail",
        "errors",
    }


def test_a_missing_officer_in_the_query_is_a_documented_404(bob, document):
    """GET /worklist?officer_id= names an officer in the query, not the path: its 404
    was not in the document."""
    response = verified_client(bob).get("/api/v1/worklist", {"officer_id": 999999})
    assert response.status_code == 404
    assert "404" in {str(c) for c in document["paths"]["/api/v1/worklist"]["get"]["responses"]}


def test_session_times_promise_no_offset(document):
    """A session's times are wall-clock times ("08:00:00"); the document said JSON
    Schema's "time" format, which requires an offset ("08:00:00+07:00")."""
    for name in ("starts_at", "ends_at"):
        schema = document["components"]["schemas"]["SessionOut"]["properties"][name]
        assert schema.get("format") != "time"
        assert re.fullmatch(schema["pattern"], "08:00:00")
