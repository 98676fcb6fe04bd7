"""docs/security.md, test 3: every route × every role against one policy table, and
test 12's "no GET mutates".

The world (personas, records, signed-in sessions) is built once per module, in a
transaction rolled back at the module's end; each test runs in a savepoint of it
(the `db` fixture) rolled back after the test, so every (route, role) pair starts
from the same world whatever ran before: a POST that logs out, decides or enrols
leaves nothing behind.
"""

import copy
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import create_personas, rolled_back, verified_client
from garda.api import api
from garda.tests.policy import ANON, POLICY, ROLES, Rule


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>"


def all_route_keys() -> set[str]:
    keys = set()
    for name in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            keys.add("admin:*")
        elif name.startswith("api:") and name not in (
            "api:api-root",
            "api:openapi-json",
            "api:openapi-view",
        ):
            continue  # API operations are listed from the OpenAPI schema below
        else:
            keys.add(name)
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method in ops:
            keys.add(f"{method.upper()} {path}")
    return keys


def test_every_route_has_a_policy():
    keys = all_route_keys()
    missing = sorted(keys - POLICY.keys())
    stale = sorted(POLICY.keys() - keys)
    assert not missing, f"routes without a policy entry: {missing}"
    assert not stale, f"policy entries for routes that no longer exist: {stale}"


def _paths(key: str, rule: Rule, world: dict) -> list[tuple[str, str]]:
    kwargs = {k: _fill(v, world) for k, v in rule.kwargs.items()}
    if rule.samples:
        return [(rule.method, s) for s in rule.samples]
    if " " in key:
        method, path = key.split(" ", 1)
        path = re.sub(r"\{(\w+)\}", lambda m: kwargs[m.group(1)], path)
        return [(method.lower(), path)]
    return [(rule.method, reverse(key, kwargs=kwargs))]


def _client(role: str, personas) -> Client:
    if role == ANON:
        return Client()
    return verified_client(personas[role])


@dataclass(frozen=True)
class Matrix:
    world: dict
    cookies: dict[str, SimpleCookie]  # each role's signed-in (and verified) session
    # One request handler for every client: each new one would load the middleware
    # again, and WhiteNoise's scan of the static files is most of a request's time.
    handler: ClientHandler = field(
        default_factory=lambda: ClientHandler(enforce_csrf_checks=False)  # as Client()
    )

    def client(self, role: str) -> Client:
        """A fresh client in `role`'s session (a logout in one test ends only that
        test's copy: the session row comes back with the rollback)."""
        client = Client()
        client.handler = self.handler
        client.cookies = copy.deepcopy(self.cookies[role])
        return client


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world every test of this module starts from, built once (see the module's
    docstring); uploaded files go to a directory of the module's own."""
    files = tmp_path_factory.mktemp("policy-matrix") / "files"
    with override_settings(GARDA_FILES_DIR=files), rolled_back(django_db_blocker):
        personas = create_personas()
        world = _world(personas)
        cookies = {role: _client(role, personas).cookies for role in ROLES}
        yield Matrix(world, cookies)


@pytest.fixture(autouse=True)
def _private_files_dir():
    """Replaces conftest's directory per test: the world's documents are in the
    module's directory (set by `matrix`), which is just as temporary."""


def _fill(value, world: dict):
    """Replace a "{name}" placeholder by the world's value (ids become strings)."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        filled = world[value[1:-1]]
        return str(filled) if isinstance(filled, int) else filled
    return value


def _world(personas) -> dict:
    """The objects the rules refer to as "{name}" placeholders."""
    from garda.people.tests.factories import person_data, register
    from garda.places.models import Region

    Region.objects.create(
        code="31", name="DKI Jakarta", level="province", first_edition=2016, last_edition=2025
    )
    person = register(serial=1, user=personas["worker"])
    from garda.people.services.registry import consent_give

    consent = consent_give(
        actor=personas["worker"], person=person, purpose="processing", text_version="2026-1"
    )
    from garda.people.services.registry import family_contact_add

    family_contact = family_contact_add(
        actor=personas["worker"], person=person, name="Sri Wahyuni", relation="parent"
    )
    twin = register(serial=3, full_name="Siti Nurhaliza 1", birth_place="Jakarta")
    from garda.people.models import DuplicateCandidate

    candidate = DuplicateCandidate.objects.filter(person_b=twin).first() or (
        DuplicateCandidate.objects.create(
            person_a=person, person_b=twin, score=0.9, reasons=["similar_name"]
        )
    )
    from garda.people.services.profile import skill_add
    from garda.places.models import Country

    Country.objects.get_or_create(
        code="ID",
        defaults={
            "alpha3": "IDN",
            "numeric": "360",
            "name_id": "Indonesia",
            "name_en": "Indonesia",
        },
    )
    skill = skill_add(
        actor=personas["worker"], person=person, occupation_code="5120", title="Memasak"
    )
    from garda.people.services import imports

    import_file = _import_file(person_data(serial=4))
    job = imports.import_start(
        actor=personas["officer"], file_name="people.csv", content=import_file, enqueue=False
    )
    imports.import_check(job.pk)
    base = {
        "import_job": job.pk,
        "import_file": import_file,
        "skill": skill.pk,
        "candidate": candidate.pk,
        "consent": consent.pk,
        "family_contact": family_contact.pk,
        "agency": personas["officer"].agency_id,
        "person": person.pk,
        "person_data": person_data(serial=1),
        "new_person": person_data(serial=2),
    }
    from garda.tests.policy import APP_WORLDS

    for app_world in APP_WORLDS:
        base.update(app_world(personas, base))
    return base


def _import_file(data: dict) -> bytes:
    """One valid row in the import template's format."""
    from garda.people.services.imports import COLUMNS, FIELD_OF

    row = [data.get(FIELD_OF[column], "") for column in COLUMNS]
    return (",".join(COLUMNS) + "\n" + ",".join(row) + "\n").encode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(POLICY))
def test_route_answers_per_policy(key, role, matrix, db):
    rule, world = POLICY[key], matrix.world
    client = matrix.client(role)
    for method, path in _paths(key, rule, world):
        data = _fill(rule.data, world) or {}
        headers = {k: _fill(v, world) for k, v in rule.headers.items()}
        if rule.multipart:
            files = {k: _fill(v, world) for k, v in data.items()}
            files = {
                k: SimpleUploadedFile("people.csv", v) if isinstance(v, bytes) else v
                for k, v in files.items()
            }
            response = client.post(path, files, headers=headers)
        elif method in ("post", "patch", "put", "delete") and path.startswith("/api/"):
            response = getattr(client, method)(
                path, data, content_type="application/json", headers=headers
            )
        else:
            response = getattr(client, method)(path, data, headers=headers)
        if role in rule.allowed:
            assert response.status_code in rule.ok, (
                f"{role} {method.upper()} {path}: expected {rule.ok}, got {response.status_code}"
            )
        else:
            assert not 200 <= response.status_code < 300, (
                f"{role} {method.upper()} {path}: must be refused, got {response.status_code}"
            )
            if role != ANON:
                assert response.status_code in (302, 403, 404), (role, path, response.status_code)
            elif path.startswith("/api/"):
                assert response.status_code == 401, (path, response.status_code)
            else:
                assert response.status_code == 302, (path, response.status_code)


# Bookkeeping that a GET may legitimately write: audit rows (views and denials are
# audited), sessions (last-seen time), login-attempt records, cached computations.
_BOOKKEEPING = {
    "audit.auditevent",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # The readiness cache: reading a person's readiness computes and stores it.
    "destinations.readiness",
}


def _counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m.objects.count()
        for m in apps.get_models()
        if m._meta.label_lower not in _BOOKKEEPING and m._meta.managed
    }


@pytest.mark.parametrize("role", ROLES)
def test_no_get_mutates(role, matrix, db):
    client = matrix.client(role)
    before = _counts()
    for key, rule in POLICY.items():
        if rule.method != "get":
            continue
        for _method, path in _paths(key, rule, matrix.world):
            client.get(path)
    assert _counts() == before
