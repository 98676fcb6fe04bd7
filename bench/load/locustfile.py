"""Locust clients for the load test (`python -m bench.load`, docs/benchmarks.md).

A realistic mix, each simulated person signing in once through the real forms (CSRF
cookie and token, session; officers pass the second factor with a one-use recovery
code) and then, with a pause to read each page:
- workers (five in six): their home, "Kesiapan saya", "Dokumen saya", the training
  catalogue and the vacancy board, and now and then an upload of a small scan;
- officers: search the registry by name, open a person they accompany, open that
  person's documents and verify one waiting, and look at the verification queue.

Every write the server acknowledged goes to the ledger (BENCH_LOAD_LEDGER, one JSON
line each) for the lost-writes check. The population comes from BENCH_LOAD_SPEC
(bench/load/setup.py). Needs no Django: it is only an HTTP client.
"""

import itertools
import json
import os
import random
import re
import struct
import time
import uuid
import zlib

import gevent
from locust import HttpUser, between, events, task

SPEC = json.load(open(os.environ["BENCH_LOAD_SPEC"]))  # noqa: SIM115
LEDGER = open(os.environ["BENCH_LOAD_LEDGER"], "a", buffering=1)  # noqa: SIM115
WAIT = (
    float(os.environ.get("BENCH_LOAD_WAIT_MIN", "5")),
    float(os.environ.get("BENCH_LOAD_WAIT_MAX", "15")),
)
_rng = random.Random()  # noqa: S311  (which page next: not a secret)
CSRF_COOKIE = "garda_csrftoken"
VERIFY = re.compile(r'action="/documents/(\d+)/verify/"')
_workers = itertools.cycle(SPEC["workers"])
_officers = itertools.cycle(SPEC["officers"])
_upload_types = [t for t in SPEC["upload_types"] if t != "consent"] or SPEC["upload_types"]
# The measured window: from the moment every simulated person has signed in, for
# BENCH_LOAD_SECONDS; then the run stops itself. Each request's time goes to
# BENCH_LOAD_TIMES (start, name, ms, failed) for the runner's percentiles.
USERS = int(os.environ.get("BENCH_LOAD_USERS", "0"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
TIMES = open(os.environ["BENCH_LOAD_TIMES"], "a", buffering=1 << 16)  # noqa: SIM115
_signed_in = {"n": 0}
_environment = {}


@events.init.add_listener
def _init(environment, **kwargs):
    _environment["env"] = environment


@events.request.add_listener
def _timed(request_type, name, response_time, exception, start_time=None, **kwargs):
    TIMES.write(
        json.dumps([start_time or time.time(), name, round(response_time, 1), bool(exception)])
        + "\n"
    )


def _ready() -> None:
    """One more person signed in; with the last one, the measured window opens."""
    _signed_in["n"] += 1
    if _signed_in["n"] == USERS:
        _ledger(kind="all-signed-in", at=time.time())

        def stop():
            gevent.sleep(SECONDS)
            _ledger(kind="window-closed", at=time.time())
            _environment["env"].runner.quit()

        gevent.spawn(stop)


def _png(seed: int) -> bytes:
    """A small valid PNG (48×32, one grey), different for every upload."""
    width, height = 48, 32
    shade = seed % 256
    raw = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _ledger(**row) -> None:
    LEDGER.write(json.dumps(row) + "\n")


class _Person(HttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def _csrf(self) -> str:
        return self.client.cookies.get(CSRF_COOKIE, "")

    def _post(self, path: str, data: dict, name: str, extra_headers=None, **kwargs):
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        return self.client.post(
            path,
            data=data,
            name=name,
            allow_redirects=False,
            headers={"Referer": self.host + path, **(extra_headers or {})},
            catch_response=True,
            **kwargs,
        )

    def _login(self, email: str, password: str) -> bool:
        self.client.get("/accounts/login/", name="log in (form)")
        with self._post(
            "/accounts/login/", {"username": email, "password": password}, "log in"
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}")
                _ledger(kind="login-failed", email=email)
                return False
            response.success()
        return True


class Worker(_Person):
    weight = 5

    def on_start(self):
        me = next(_workers)
        self.person = me["person"]
        self._login(me["email"], SPEC["password"])
        _ready()

    @task(3)
    def home(self):
        self.client.get("/", name="worker: home")

    @task(3)
    def readiness(self):
        self.client.get("/destinations/readiness/", name="worker: Kesiapan saya")

    @task(3)
    def documents(self):
        self.client.get("/documents/me/", name="worker: Dokumen saya")

    @task(1)
    def catalogue(self):
        self.client.get("/training/", name="worker: training catalogue")

    @task(1)
    def vacancies(self):
        self.client.get("/jobs/", name="worker: vacancy board")

    @task(1)
    def upload(self):
        note = f"beban-{uuid.uuid4().hex}"
        path = f"/documents/person/{self.person}/upload/"
        with self._post(
            path,
            {"type": _rng.choice(_upload_types), "number": note[-12:].upper(), "note": note},
            "worker: upload a document",
            files={"files": (f"{note}.png", _png(_rng.randrange(1 << 30)), "image/png")},
        ) as response:
            if response.status_code == 302:
                response.success()
                _ledger(kind="upload", note=note)
            else:
                response.failure(f"upload answered {response.status_code}")


class Officer(_Person):
    weight = 1

    def on_start(self):
        me = next(_officers)
        self.persons = me["persons"] or [0]
        if self._login(me["email"], SPEC["password"]):
            code = me["codes"].pop(0) if me["codes"] else ""
            self.client.get("/accounts/2fa/verify/", name="second factor (form)")
            with self._post("/accounts/2fa/verify/", {"token": code}, "second factor") as r:
                if r.status_code == 302:
                    r.success()
                else:
                    r.failure(f"second factor answered {r.status_code}")
                    _ledger(kind="login-failed", email=me["email"])
        _ready()

    @task(4)
    def search(self):
        self.client.get(
            "/people/", params={"q": _rng.choice(SPEC["names"])}, name="officer: search by name"
        )

    @task(2)
    def person(self):
        self.client.get(f"/people/{_rng.choice(self.persons)}/", name="officer: a person")

    @task(3)
    def verify(self):
        pk = _rng.choice(self.persons)
        page = self.client.get(f"/documents/person/{pk}/", name="officer: a person's documents")
        waiting = VERIFY.findall(page.text or "")
        if not waiting:
            return
        document = _rng.choice(waiting)
        # As the page does it: htmx posts and swaps in the row, with a notice or an error.
        with self._post(
            f"/documents/{document}/verify/",
            {},
            "officer: verify a document",
            extra_headers={"HX-Request": "true"},
        ) as response:
            if response.status_code == 200 and 'class="ok"' in response.text:
                response.success()
                _ledger(kind="verify", document=document)
            elif response.status_code == 200 and 'class="error"' in response.text:
                # A document the rules refuse to verify (expired, missing number):
                # an answer, not an error.
                response.success()
            else:
                response.failure(f"verify answered {response.status_code}")

    @task(1)
    def queue(self):
        self.client.get("/documents/queue/", name="officer: verification queue")


@events.quitting.add_listener
def _close(environment, **kwargs):
    LEDGER.close()
    TIMES.close()
