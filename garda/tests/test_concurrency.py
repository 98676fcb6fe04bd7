"""Concurrent writers (docs/security.md, test 18).

1. Two people save the same record at the same moment: one edit wins, the other gets
   409, nothing is lost (SQLite and PostgreSQL).
2. Eight writer processes on one SQLite file, as gunicorn's workers would be: no
   "database is locked", every write lands, the audit chain verifies.

pytest-django's SQLite test database lives in memory (shared cache), where a second
writer fails at once with "database table is locked" instead of waiting: the SQLite
runs use a file database migrated in a temporary directory, with the production
settings (WAL, transaction_mode IMMEDIATE, busy timeout). The eight writers do meet
"database is locked" when the busy timeout is near zero or transactions are DEFERRED.
"""

import copy
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.audit.models import AuditEvent
from garda.audit.verify import verify_chain
from garda.people.models import Person
from garda.people.services.registry import PersonData, person_register, person_update
from garda.people.tests.factories import nik_for, person_data, register
from garda.tests.server import garda, scratch_env

pytestmark = pytest.mark.concurrency

ON_SQLITE = connection.vendor == "sqlite"
BASE_DIR = Path(settings.BASE_DIR)


def scratch_database(var_dir: Path) -> dict:
    """A migrated SQLite file in `var_dir`: the settings to connect to it."""
    env = scratch_env(var_dir, GARDA_ENV="test")
    garda("migrate", "--verbosity", "0", env=env, timeout=120)
    return {
        **copy.deepcopy(connections.settings["default"]),
        "NAME": str(var_dir / "garda.sqlite3"),
    }


def run_in_threads(database: dict | None, *targets: Callable[[], object]) -> list:
    """Run each target in its own thread, on its own database connection (to
    `database`, or else to the test database); return their results in order and
    re-raise the first error."""
    results: list = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int, target: Callable[[], object]) -> None:
        if database is not None:
            from django.db.backends.sqlite3.base import DatabaseWrapper

            connections["default"] = DatabaseWrapper(copy.deepcopy(database), "default")
        try:
            results[index] = target()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


# --- 1. two concurrent edits of one record ------------------------------------------
ROUNDS = 5


@pytest.mark.django_db(transaction=not ON_SQLITE, serialized_rollback=not ON_SQLITE)
def test_two_concurrent_edits_one_wins_the_other_gets_409_and_nothing_is_lost(tmp_path):
    # PostgreSQL: the threads commit to the test database, flushed afterwards.
    database = scratch_database(tmp_path) if ON_SQLITE else None

    def setup():
        agency = Agency.objects.create(
            name="Disnakertransgi", short_name="Disnaker", kind=Agency.Kind.MANPOWER
        )
        alice = make_user("alice@example.org", roles.OFFICER, agency)
        bob = make_user("bob@example.org", roles.SUPERVISOR, agency)
        person = register(serial=10, actor=alice)
        return person.pk, verified_client(alice), verified_client(bob)

    [(pk, alice, bob)] = run_in_threads(database, setup)
    url = f"/api/v1/people/{pk}"

    for version in range(1, ROUNDS + 1):
        answers = run_in_threads(
            database, *edits_at_once(url, version, [(alice, "Jl. Alice"), (bob, "Jl. Bob")])
        )
        [(ok, body, winner), (stale, conflict, _loser)] = sorted(answers, key=lambda a: a[0])
        assert (ok, stale) == (200, 409), answers
        assert body["version"] == conflict["current_version"] == version + 1
        [saved] = run_in_threads(
            database,
            lambda: Person.objects.values_list("address_line", "version").get(pk=pk),
        )
        assert saved == (winner, version + 1)  # the winner's edit, whole

    def audit():
        edits = AuditEvent.objects.filter(
            action=AuditEvent.Action.UPDATE, object_type="people.person", object_id=str(pk)
        )
        return edits.count(), verify_chain()

    [(edits, chain)] = run_in_threads(database, audit)
    assert edits == ROUNDS  # one audit row per saved edit, none for the refused ones
    assert chain.ok, chain


def edits_at_once(url: str, version: int, editors: list) -> list[Callable[[], tuple]]:
    """One PATCH per (client, street), all sent with the ETag of `version` as soon as
    every thread is ready; each returns (status, body, the address it sent)."""
    start = threading.Barrier(len(editors))

    def edit(client, street: str) -> tuple:
        address = f"{street} {version}"
        start.wait()
        response = client.patch(
            url,
            person_data(serial=10, address_line=address),
            content_type="application/json",
            headers={"If-Match": f'"{version}"'},
        )
        return response.status_code, response.json(), address

    return [lambda c=client, s=street: edit(c, s) for client, street in editors]


# --- 2. eight writer processes on one SQLite file -----------------------------------
WRITERS = 8
PEOPLE_EACH = 20
OFFICER = "officer@example.org"


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's single write lock; PostgreSQL has rows")
def test_eight_concurrent_writers_never_meet_database_is_locked(tmp_path):
    env = scratch_env(tmp_path, GARDA_ENV="test")
    writers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "garda",
                "shell",
                "--no-imports",
                "-c",
                _call(f"write({n}, {PEOPLE_EACH}, {str(tmp_path)!r}, {OFFICER!r})"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    try:
        shell(f"prepare({OFFICER!r})", env=env)  # while the writers load Django
        # Start them together, once each is ready.
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("ready-*"))) < WRITERS:
            assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
            assert time.monotonic() < deadline, "the writers did not start"
            time.sleep(0.05)
        (tmp_path / "go").touch()
        outputs = [w.communicate(timeout=120) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.wait()

    for w, (_out, err) in zip(writers, outputs, strict=True):
        assert "database is locked" not in err
        assert w.returncode == 0, err
    results = [json.loads((tmp_path / f"result-{n}.json").read_text()) for n in range(WRITERS)]
    assert [r["errors"] for r in results] == [[]] * WRITERS
    assert [(r["registered"], r["edited"]) for r in results] == [(PEOPLE_EACH,) * 2] * WRITERS
    # They really ran at the same time: every writer started before any finished.
    assert max(r["started"] for r in results) < min(r["finished"] for r in results)

    total = WRITERS * PEOPLE_EACH
    census = json.loads(shell("census()", env=env).stdout.splitlines()[-1])
    events = census.pop("events")
    assert census == {
        "journal_mode": "wal",
        "people": total,
        "references": total,  # the reference sequence handed out no number twice
        "edited": total,
        "created_events": total,
        "updated_events": total,
        "chain_ok": True,
        "chain_checked": events,
    }


def shell(code: str, *, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "garda", "shell", "--no-imports", "-c", _call(code)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _call(code: str) -> str:
    return f"from garda.tests import test_concurrency as t; t.{code}"


# Run inside the `garda shell` processes above.
def prepare(officer: str) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    agency = Agency.objects.create(
        name="Disnakertransgi", short_name="Disnaker", kind=Agency.Kind.MANPOWER
    )
    make_user(officer, roles.OFFICER, agency)


def write(writer: int, count: int, rendezvous: str, officer: str) -> None:
    """Register `count` distinct people through the service, editing each once."""
    where = Path(rendezvous)
    (where / f"ready-{writer}").touch()
    deadline = time.monotonic() + 60
    while not (where / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.005)
    started = time.time()
    actor = User.objects.get(email=officer)
    registered = edited = 0
    errors = []
    for i in range(count):
        try:
            data = someone(writer, i)
            person = person_register(actor=actor, data=data)
            registered += 1
            moved = replace(data, address_line=f"Jl. Penulis {writer} No. {i}")
            person_update(actor=actor, person=person, data=moved, version=person.version)
            edited += 1
        except Exception as exc:  # reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
    result = {
        "registered": registered,
        "edited": edited,
        "errors": errors,
        "started": started,
        "finished": time.time(),
    }
    (where / f"result-{writer}.json").write_text(json.dumps(result))


GIVEN = ["Siti", "Dewi", "Rina", "Ayu", "Wati", "Nur", "Sri", "Lestari"]
FAMILY = ["Aminah", "Handayani", "Kartika", "Lestari", "Maharani", "Novita", "Puspita"]


def someone(writer: int, i: int) -> PersonData:
    """A distinct person (NIK, name, birth date, phone) for each (writer, i)."""
    born = date(1975 + writer, 1 + i % 12, 1 + i % 28)
    return PersonData(
        nik=nik_for(serial=writer * 100 + i, born=born),
        full_name=f"{GIVEN[writer % len(GIVEN)]} {FAMILY[i % len(FAMILY)]} {i}",
        sex="F",
        birth_date=born,
        birth_place="Jakarta",
        address_line="Jl. Kebon Sirih No. 1",
        phone=f"+62812{writer:02d}{i:06d}",
    )


def census() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        [journal_mode] = cursor.fetchone()
    people = Person.objects.all()
    events = AuditEvent.objects.filter(object_type="people.person")
    chain = verify_chain()
    print(
        json.dumps(
            {
                "journal_mode": journal_mode,
                "people": people.count(),
                "references": people.values("reference").distinct().count(),
                "edited": people.filter(version=2).count(),
                "created_events": events.filter(action=AuditEvent.Action.CREATE).count(),
                "updated_events": events.filter(action=AuditEvent.Action.UPDATE).count(),
                "chain_ok": chain.ok,
                "chain_checked": chain.checked,
                "events": AuditEvent.objects.count(),
            }
        )
    )
