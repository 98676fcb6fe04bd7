"""Issue 19: the API fuzzer. Schemathesis generates requests for every operation of
`/api/v1/openapi.json` and sends them as each role (docs/security.md, "Issue 19: the
API fuzzer"). Three things must hold for every answer:

1. no server error (5xx);
2. the answer is documented: its status code is listed for the operation, and its
   content type and body match the schema;
3. nothing of another identity: every role has two users (A and B) with their own
   objects, B's carrying marker words (`MARKS`); A's answers never contain a marker
   that A's role may not see (`MAY_SEE`).

The world (the policy matrix's, which is A's, plus B's) is built once per module in a
transaction rolled back at the end; each role's test runs in a savepoint of it, so the
writes one role's requests make do not reach another's. Path parameters are drawn from
the ids that exist (A's, B's and the rest of the world's) as often as from
schemathesis's own values, so the requests reach real objects, B's among them.

Bounded for CI: `MAX_EXAMPLES` examples per operation and role, derandomized (the same
requests on every run), no example database. Run alone:
`pytest -n 0 garda/tests/test_api_fuzz.py` (`GARDA_FUZZ_EXAMPLES=50` for a longer run).
"""

import os
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import got_request_exception
from django.test import override_settings
from django.test.client import ClientHandler
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import create_personas, make_user, rolled_back
from garda.accounts import roles
from garda.api import api
from garda.tests.policy import ADMIN, ANON, OFFICER, ROLES, SUPERVISOR

MAX_EXAMPLES = int(os.environ.get("GARDA_FUZZ_EXAMPLES", "6"))
# Only the operations whose label ("POST /api/v1/people") contains this text.
ONLY = os.environ.get("GARDA_FUZZ_ONLY", "")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Marker words in identity B's objects, one per kind of object. They are built here,
# not written out, as hypothesis draws strings from the constants of the code it runs
# (an answer that echoes the request does not count either: see `_leaks`). Answers
# are searched in lower case, since names are written in title case.
KINDS = {
    "notification": "B's notifications: their own alone",
    "person": "worker B's record (name, family, skills)",
    "task": "officer B's tasks and contacts with the person they accompany",
    "case": "a case held by officer B's agency",
    "report": "a public report in the intake queue (no agency holds it yet)",
    "order": "a job order of recruiter B's company (submitted)",
}
MARKS = {kind: "".join(("zqx", kind, "b")) for kind in KINDS}
# Which of B's kinds of object role A may see (docs/security.md): the registry is
# shared by officers, supervisors and admins, and so are the intake queue and the job
# orders to verify; tasks are seen by supervisors and admins (an officer: those of the
# persons they accompany); a case by the agency holding it (and admins). Nobody sees
# another's notifications; workers, trainers, partners, recruiters and the public see
# nothing of B's.
MAY_SEE = {
    ADMIN: {"person", "task", "case", "report", "order"},
    SUPERVISOR: {"person", "task", "report", "order"},
    OFFICER: {"person", "report", "order"},
}


def _mark(kind: str, text: str) -> str:
    """`text` with the marker of `kind` in place of its "{}"."""
    return text.format(MARKS[kind].capitalize())


# --- the world -------------------------------------------------------------------------


def _world_b() -> dict:
    """Identity B of every role, with objects carrying `MARKS`."""
    from garda.accompaniment.services import assignment_add, contact_log, task_create
    from garda.accounts.models import Agency, Notification
    from garda.cases.services.record import note_add
    from garda.cases.tests.factories import case_in_progress, open_case
    from garda.jobs.services.orders import order_submit
    from garda.jobs.tests.factories import make_agency, make_order, make_recruiter
    from garda.people.services.profile import skill_add
    from garda.people.services.registry import family_contact_add
    from garda.people.tests.factories import register

    social = Agency.objects.create(
        name="Suku Dinas Sosial Jakarta Barat", short_name="Sudinsos JB", kind=Agency.Kind.SOCIAL
    )
    bp3mi = Agency.objects.create(
        name="UPT BP3MI Jakarta Barat", short_name="BP3MI JB", kind=Agency.Kind.BP3MI
    )
    training = Agency.objects.create(
        name="PPKD Jakarta Barat", short_name="PPKD JB", kind=Agency.Kind.TRAINING
    )
    company = make_agency("PT Zqx Bersama", "KEP.ZQXB/2025")
    users = {
        ADMIN: make_user("admin-b@example.org", roles.ADMIN, full_name="Admin B"),
        SUPERVISOR: make_user("sup-b@example.org", roles.SUPERVISOR, social, full_name="Sup B"),
        OFFICER: make_user("off-b@example.org", roles.OFFICER, social, full_name="Off B"),
        roles.TRAINER: make_user("tr-b@example.org", roles.TRAINER, training, full_name="Tr B"),
        roles.PARTNER: make_user("pa-b@example.org", roles.PARTNER, bp3mi, full_name="Pa B"),
        roles.RECRUITER: make_recruiter(company, "rec-b@example.org", full_name="Rec B"),
        roles.WORKER: make_user("wk-b@example.org", roles.WORKER, full_name="Wk B"),
    }
    for role, user in users.items():
        Notification.objects.create(user=user, title=_mark("notification", "{} " + role))
    officer, worker = users[OFFICER], users[roles.WORKER]
    person = register(serial=9101, user=worker, full_name=_mark("person", "Tono {}"))
    assignment_add(actor=users[SUPERVISOR], person=person, officer=officer)
    family_contact_add(
        actor=worker, person=person, name=_mark("person", "Ibu {}"), relation="parent"
    )
    skill_add(actor=worker, person=person, occupation_code="7212", title=_mark("person", "Las {}"))
    task_create(
        actor=officer,
        person=person,
        title=_mark("task", "Antar {}"),
        due_at=timezone.now() + timedelta(days=3),
    )
    contact_log(actor=officer, person=person, channel="office", summary=_mark("task", "Datang {}"))
    case = case_in_progress(
        officer=officer,
        person_name=_mark("case", "Sari {}"),
        description=_mark("case", "Gaji {} ditahan."),
    )
    note_add(actor=officer, case=case, text=_mark("case", "Catatan {}"))
    public, _secret = open_case(
        person_name=_mark("report", "Rani {}"), description=_mark("report", "Laporan {}")
    )
    order = make_order(users[roles.RECRUITER], occupation_title=_mark("order", "{} juru masak"))
    order_submit(actor=users[roles.RECRUITER], order=order)
    return {"users": users, "person": person.pk, "case": case.pk, "public_case": public.pk}


# Path parameters drawn from the ids that exist: name -> (model label, field) pairs.
PATH_VALUES = {
    "agency_id": [("accounts.Agency", "pk"), ("jobs.PlacementAgency", "pk")],
    "notification_id": [("accounts.Notification", "pk")],
    "code": [
        ("places.Region", "code"),
        ("destinations.Destination", "code"),
        ("training.Course", "code"),
    ],
    "person_id": [("people.Person", "pk")],
    "contact_id": [("people.FamilyContact", "pk")],
    "consent_id": [("people.Consent", "pk")],
    "candidate_id": [("people.DuplicateCandidate", "pk")],
    "item_id": [("people.Skill", "pk"), ("people.LanguageSkill", "pk")],
    "job_id": [("people.ImportJob", "pk")],
    "document_id": [("documents.Document", "pk")],
    "set_id": [("destinations.RequirementSet", "pk")],
    "assignment_id": [("people.Assignment", "pk")],
    "task_id": [("accompaniment.Task", "pk"), ("cases.CaseTask", "pk")],
    "batch_id": [("training.Batch", "pk")],
    "enrolment_id": [("training.Enrolment", "pk")],
    "unit_code": [("training.CompetencyUnit", "code")],
    "verification_code": [("training.Certificate", "verification_code")],
    "certificate_id": [("training.Certificate", "pk")],
    "order_id": [("jobs.JobOrder", "pk")],
    "employer_id": [("jobs.Employer", "pk")],
    "listing_id": [("jobs.ProblemListing", "pk")],
    "reference": [("cases.Case", "reference")],
    "case_id": [("cases.Case", "pk")],
    "approval_id": [("cases.Approval", "pk")],
    "service_id": [("cases.Service", "pk")],
}
FIXED_VALUES = {"kind": ["skills", "languages", "experience"], "page": [1, 2], "number": [1, 2]}


def _path_values() -> dict[str, list]:
    from django.apps import apps

    values = {name: list(v) for name, v in FIXED_VALUES.items()}
    for name, sources in PATH_VALUES.items():
        found = []
        for label, column in sources:
            model = apps.get_model(label)
            found += list(model.objects.order_by("pk").values_list(column, flat=True)[:200])
        values[name] = sorted({str(v) for v in found})
    return values


@dataclass
class Fuzz:
    schema: object
    tokens: dict[str, str]  # role -> identity A's bearer token
    path_values: dict[str, list]
    query_values: dict[str, list]
    handler: ClientHandler = field(default_factory=lambda: ClientHandler(enforce_csrf_checks=True))


class DjangoApp:
    """Django's test request handler as a WSGI application (what schemathesis calls):
    the same handling as the test client, inside the test's transaction."""

    def __init__(self, handler: ClientHandler):
        self.handler = handler

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if response.streaming:
            return response.streaming_content
        return [response.content]


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker, tmp_path_factory):
    from garda.accounts.services import api_token_create
    from garda.tests.test_policy_matrix import _world

    files = tmp_path_factory.mktemp("api-fuzz") / "files"
    with override_settings(GARDA_FILES_DIR=files), rolled_back(django_db_blocker):
        personas = create_personas()
        world = _world(personas)
        _world_b()
        tokens = {
            role: api_token_create(actor=None, user=user, name="fuzz")[1]
            for role, user in personas.items()
        }
        schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
        state = Fuzz(
            schema=schema,
            tokens=tokens,
            path_values=_path_values(),
            query_values={"secret": [world["case_queue_secret"]]},
        )
        schema.app = DjangoApp(state.handler)
        yield state


@pytest.fixture(autouse=True)
def _private_files_dir():
    """The world's files are in the module's directory (set by `fuzz`)."""


# --- the run ---------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def _fuzz_operation(operation, role: str, state: Fuzz, forbidden: dict[str, str], tally: Tally):
    headers = {}
    if role != ANON:
        headers["Authorization"] = f"Bearer {state.tokens[role]}"
    strategy = operation.as_strategy()

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        for name in list(case.path_parameters or {}):
            known = state.path_values.get(name)
            if known and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(known))
        for name in list(case.query or {}):
            known = state.query_values.get(name)
            if known and data.draw(st.booleans()):
                case.query[name] = data.draw(st.sampled_from(known))
        errors: list[BaseException] = []

        def record(sender, request=None, **kwargs):
            import sys

            errors.append(sys.exc_info()[1])

        got_request_exception.connect(record)
        try:
            response = case.call(headers=headers)
        finally:
            got_request_exception.disconnect(record)
        tally.requests += 1
        tally.statuses[response.status_code] = tally.statuses.get(response.status_code, 0) + 1
        if errors:
            raise AssertionError(f"server error: {errors[0]!r}") from errors[0]
        case.validate_response(response, checks=CHECKS)
        leaked = _leaks(case, response, forbidden)
        assert not leaked, f"{role} got identity B's {leaked}: {response.text[:300]}"

    run()


def _leaks(case, response, forbidden: dict[str, str]) -> list[str]:
    """The kinds of B's objects whose marker is in the answer and not in the request."""
    text = response.content.decode("utf-8", "replace").lower()
    asked = repr((case.path_parameters, case.query, case.body)).lower()
    return [kind for kind, mark in forbidden.items() if mark in text and mark not in asked]


@pytest.mark.parametrize("role", ROLES)
def test_api_fuzz(role, fuzz, db):
    """Every operation as `role` (identity A): no 5xx, answers as documented, nothing of
    identity B that the role may not see."""
    forbidden = {k: m for k, m in MARKS.items() if k not in MAY_SEE.get(role, set())}
    tally = Tally()
    failures = []
    started = time.monotonic()
    for result in fuzz.schema.get_all_operations():
        operation = result.ok()
        if ONLY not in operation.label:
            continue
        try:
            _fuzz_operation(operation, role, fuzz, forbidden, tally)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"--- {operation.label}\n{exc}"[:3000])
    print(
        f"api fuzz {role}: {tally.requests} requests in {time.monotonic() - started:.1f}s, "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert not failures, f"{len(failures)} operations failed as {role}:\n" + "\n".join(failures)
