"""Personas shared by every app's tests (docs/style.md, rule 9).

alice: officer at Disnakertransgi; bob: her supervisor; carol: officer at Dinsos, who
must not see alice's agency's work; teguh: trainer; putri: partner at BP3MI; admin;
wati and tono: workers.
"""

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from garda.accounts import roles
from garda.accounts.models import Agency, User

PASSWORD = "Correct-Horse-Battery-9"


def make_user(email: str, role: str, agency: Agency | None = None, **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, agency=agency, is_staff=role == roles.ADMIN, **extra
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def verified_client(user: User) -> Client:
    """A logged-in client; staff have passed the second factor."""
    client = Client()
    client.force_login(user)
    if user.role in roles.STAFF:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@contextlib.contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture that builds its module's world once: database
    access, in a transaction rolled back when the fixture ends. Each test of the module
    (with the `db` fixture) runs in a savepoint of it, rolled back after the test, so
    every test starts from the same world; a test must read its objects afresh from
    the database (an instance another test changed in memory is not rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# The shared agencies and personas: the fixtures below, or all at once for a world
# built outside a test (the policy matrix builds its world once per module).
AGENCIES = {
    "disnaker": (
        "Dinas Tenaga Kerja, Transmigrasi dan Energi",
        "Disnakertransgi",
        Agency.Kind.MANPOWER,
    ),
    "dinsos": ("Dinas Sosial", "Dinsos", Agency.Kind.SOCIAL),
    "bp3mi": ("BP3MI DKI Jakarta", "BP3MI", Agency.Kind.BP3MI),
    "ppkd": ("PPKD Jakarta Timur", "PPKD JT", Agency.Kind.TRAINING),
}
# fixture name: (e-mail, role, agency, full name); in the order `personas` makes them.
PERSONAS = {
    "admin_user": ("admin@example.org", roles.ADMIN, None, "Admin"),
    "bob": ("bob@example.org", roles.SUPERVISOR, "disnaker", "Bob"),
    "alice": ("alice@example.org", roles.OFFICER, "disnaker", "Alice"),
    "carol": ("carol@example.org", roles.OFFICER, "dinsos", "Carol"),
    "teguh": ("teguh@example.org", roles.TRAINER, "ppkd", "Teguh"),
    "putri": ("putri@example.org", roles.PARTNER, "bp3mi", "Putri"),
    # A recruiter of a placement company (garda/jobs), linked by `link_recruiter`.
    "rina": ("rina@example.org", roles.RECRUITER, None, "Rina"),
    "wati": ("wati@example.org", roles.WORKER, None, "Wati"),
    "tono": ("tono@example.org", roles.WORKER, None, "Tono"),
}


def create_agency(key: str) -> Agency:
    name, short_name, kind = AGENCIES[key]
    return Agency.objects.create(name=name, short_name=short_name, kind=kind)


def create_persona(key: str, agency: Agency | None = None) -> User:
    email, role, _agency_key, full_name = PERSONAS[key]
    user = make_user(email, role, agency, full_name=full_name)
    if role == roles.RECRUITER:
        link_recruiter(user)
    return user


def link_recruiter(user: User):
    """Make `user` staff of "PT Rina Sejahtera" (licensed), the recruiters' company."""
    from datetime import date, timedelta

    from django.utils import timezone

    from garda.jobs.models import PlacementAgency, Recruiter

    company, _ = PlacementAgency.objects.get_or_create(
        licence_number="KEP.RINA/2025",
        defaults={
            "name": "PT Rina Sejahtera",
            "licence_issued_on": date(2025, 3, 1),
            "licence_valid_until": timezone.localdate() + timedelta(days=365),
        },
    )
    return Recruiter.objects.create(user=user, agency=company)


def create_personas() -> dict[str, User]:
    """What the `personas` fixture returns (and the agencies and users it makes),
    outside a fixture."""
    agencies: dict[str, Agency] = {}
    users = {}
    for key, (_email, _role, agency_key, _name) in PERSONAS.items():
        if agency_key and agency_key not in agencies:
            agencies[agency_key] = create_agency(agency_key)
        users[key] = create_persona(key, agencies.get(agency_key))
    return {
        roles.ADMIN: users["admin_user"],
        roles.SUPERVISOR: users["bob"],
        roles.OFFICER: users["alice"],
        roles.TRAINER: users["teguh"],
        roles.PARTNER: users["putri"],
        roles.RECRUITER: users["rina"],
        roles.WORKER: users["wati"],
    }


@pytest.fixture
def disnaker(db) -> Agency:
    return create_agency("disnaker")


@pytest.fixture
def dinsos(db) -> Agency:
    return create_agency("dinsos")


@pytest.fixture
def bp3mi(db) -> Agency:
    return create_agency("bp3mi")


@pytest.fixture
def ppkd(db) -> Agency:
    return create_agency("ppkd")


@pytest.fixture
def alice(disnaker) -> User:
    return create_persona("alice", disnaker)


@pytest.fixture
def bob(disnaker) -> User:
    return create_persona("bob", disnaker)


@pytest.fixture
def carol(dinsos) -> User:
    return create_persona("carol", dinsos)


@pytest.fixture
def teguh(ppkd) -> User:
    return create_persona("teguh", ppkd)


@pytest.fixture
def putri(bp3mi) -> User:
    return create_persona("putri", bp3mi)


@pytest.fixture
def rina(db) -> User:
    return create_persona("rina")


@pytest.fixture
def admin_user(db) -> User:
    return create_persona("admin_user")


@pytest.fixture
def wati(db) -> User:
    return create_persona("wati")


@pytest.fixture
def tono(db) -> User:
    return create_persona("tono")


@pytest.fixture
def personas(admin_user, bob, alice, carol, teguh, putri, rina, wati, tono) -> dict[str, User]:
    """One user per role, keyed by role name."""
    return {
        roles.ADMIN: admin_user,
        roles.SUPERVISOR: bob,
        roles.OFFICER: alice,
        roles.TRAINER: teguh,
        roles.PARTNER: putri,
        roles.RECRUITER: rina,
        roles.WORKER: wati,
    }


# --- docs/security.md, test 16: the logs of the whole suite hold no identity number or session
# id. Every record logged while the suite runs is rendered by the handlers LOGGING
# configured, exactly as production writes it; at the end the run fails if any text
# holds a 16-digit number, a passport-shaped token, or a NIK, KK number, passport
# number or session key that the suite itself created.

IDENTITY_CONTEXTS = (".nik", ".kk_number", ".passport_number")  # garda.crypto contexts
CAPTURE_LEVEL = logging.INFO  # production may run with GARDA_LOG_LEVEL=INFO
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]{7,}")  # session keys and identity numbers are alnum


@dataclass(frozen=True)
class LogLine:
    logger: str
    test: str
    text: str


@dataclass(frozen=True)
class Leak:
    logger: str
    test: str
    kind: str
    snippet: str  # the offending line with every secret masked, safe to print


class LogHygiene(logging.Handler):
    """Collects what production's handlers would write for each record, and the
    secrets the suite created (session keys, identity numbers) to look for in it.

    Attached to the root logger and to every logger that does not propagate, so every
    record reaches it once. Handlers run in turn on one record and the redaction
    filter rewrites it in place: a record factory keeps each record's original
    message, and `as_written` replays the handlers on a fresh copy, in order.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.lines: list[LogLine] = []
        self.session_keys: set[str] = set()
        self.identity_values: set[str] = set()
        self.errors: list[str] = []
        self.test = ""
        self._undo: list[Callable[[], None]] = []

    # -- installing ---------------------------------------------------------------
    def install(self) -> None:
        from django.contrib.sessions.backends.base import SessionBase

        from garda import crypto

        factory = logging.getLogRecordFactory()

        def record_factory(*args, **kwargs):
            record = factory(*args, **kwargs)
            record.garda_original = (record.msg, record.args, record.exc_text, record.stack_info)
            return record

        logging.setLogRecordFactory(record_factory)
        self._undo.append(lambda: logging.setLogRecordFactory(factory))

        new_key = SessionBase._get_new_session_key

        def recording_new_key(session):
            key = new_key(session)
            self.session_keys.add(key)
            return key

        SessionBase._get_new_session_key = recording_new_key
        self._undo.append(lambda: setattr(SessionBase, "_get_new_session_key", new_key))

        encrypt = crypto.encrypt

        def recording_encrypt(plaintext: str, *, context: str) -> str:
            if context.endswith(IDENTITY_CONTEXTS) and plaintext:
                self.identity_values.add(plaintext)
            return encrypt(plaintext, context=context)

        crypto.encrypt = recording_encrypt
        self._undo.append(lambda: setattr(crypto, "encrypt", encrypt))

        root_level = logging.root.level
        logging.root.setLevel(min(root_level, CAPTURE_LEVEL))
        self._undo.append(lambda: logging.root.setLevel(root_level))
        self.attach()

    def attach(self) -> None:
        """Idempotent: also picks up loggers created (or reconfigured) since."""
        loggers = [logging.root] + [
            logger
            for logger in list(logging.root.manager.loggerDict.values())
            if isinstance(logger, logging.Logger) and not logger.propagate
        ]
        for logger in loggers:
            if self not in logger.handlers:
                logger.addHandler(self)

    def uninstall(self) -> None:
        for logger in [logging.root, *logging.root.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger) and self in logger.handlers:
                logger.removeHandler(self)
        while self._undo:
            self._undo.pop()()

    # -- capturing ----------------------------------------------------------------
    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.extend(LogLine(record.name, self.test, t) for t in self.as_written(record))
        except Exception as exc:  # reported at the end of the run
            self.errors.append(f"{record.name}: {type(exc).__name__}")

    def as_written(self, record: logging.LogRecord) -> list[str]:
        """The texts production's handlers write for `record` (Logger.callHandlers)."""
        copy = logging.makeLogRecord(record.__dict__)
        original = getattr(record, "garda_original", None)
        if original is not None:
            copy.msg, copy.args, copy.exc_text, copy.stack_info = original
        texts, found = [], False
        logger = logging.getLogger(record.name)
        while logger is not None:
            for handler in logger.handlers:
                if not _is_production(handler):
                    continue
                found = True
                if copy.levelno < handler.level:
                    continue
                passed = handler.filter(copy)  # a record on Python 3.12+, else a bool
                if isinstance(passed, logging.LogRecord):
                    copy = passed
                if passed:
                    texts.append(handler.format(copy))
            logger = logger.parent if logger.propagate else None
        last_resort = logging.lastResort
        if not found and last_resort is not None and copy.levelno >= last_resort.level:
            texts.append(last_resort.format(copy))
        return texts

    # -- checking -----------------------------------------------------------------
    def report(self) -> list[str]:
        """What the end of the run prints when the logs leaked (empty when clean)."""
        leaks = self.leaks()
        report = [
            f"logger {leak.logger!r} wrote a {leak.kind} during {leak.test or '(setup)'}:\n"
            f"    {leak.snippet}"
            for leak in leaks[:20]
        ]
        if len(leaks) > 20:
            report.append(f"... and {len(leaks) - 20} more lines")
        return report + [f"log capture failed on {error}" for error in self.errors]

    def leaks(self, lines: list[LogLine] | None = None) -> list[Leak]:
        from garda.logging import NIK, PASSPORT

        secrets: dict[int, dict[str, str]] = {}  # length -> value -> kind
        for kind, values in (
            ("session id", self.session_keys),
            ("identity number", self.identity_values),
        ):
            for value in values:
                if len(value) >= 7 and value.isalnum():  # shorter would match by chance
                    secrets.setdefault(len(value), {})[value] = kind
        found = []
        for line in self.lines if lines is None else lines:
            kinds = []
            for run in _ALNUM_RUN.findall(line.text):
                for length, values in secrets.items():
                    for start in range(len(run) - length + 1):
                        kind = values.get(run[start : start + length])
                        if kind:
                            kinds.append(kind)
            if NIK.search(line.text):
                kinds.append("16-digit number")
            if PASSPORT.search(line.text):
                kinds.append("passport number")
            if kinds:
                kind = ", ".join(dict.fromkeys(kinds))
                found.append(Leak(line.logger, line.test, kind, self.mask(line.text)[:300]))
        return found

    def mask(self, text: str) -> str:
        from garda.logging import redact

        for value in sorted(self.session_keys | self.identity_values, key=len, reverse=True):
            text = text.replace(value, "[SECRET]")
        return redact(text)


def _is_production(handler: logging.Handler) -> bool:
    """False for the capture itself and for pytest's own handlers (caplog, reports)."""
    return not (isinstance(handler, LogHygiene) or type(handler).__module__.startswith("_pytest"))


_log_hygiene = LogHygiene()
_log_hygiene_report: list[str] = []


def pytest_sessionstart(session):
    _log_hygiene.install()


def pytest_runtest_logstart(nodeid, location):
    _log_hygiene.test = nodeid
    _log_hygiene.attach()


def pytest_runtest_logfinish(nodeid, location):
    _log_hygiene.test = "(between tests)"


def pytest_sessionfinish(session, exitstatus):
    _log_hygiene.uninstall()
    report = _log_hygiene.report()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        # An xdist worker: its exit status does not fail the run, the controller
        # reports its leaks with its own (pytest_testnodedown) and fails the run.
        workeroutput["garda_log_hygiene"] = report
        return
    _log_hygiene_report.extend(report)
    if _log_hygiene_report and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller, as each worker finishes: its leaks are the run's."""
    _log_hygiene_report.extend(getattr(node, "workeroutput", {}).get("garda_log_hygiene", []))


def pytest_terminal_summary(terminalreporter):
    if _log_hygiene_report:
        terminalreporter.write_sep(
            "=",
            "FAILED: logs hold identity numbers or session ids (docs/security.md, test 16)",
            red=True,
        )
        for line in _log_hygiene_report:
            terminalreporter.write_line(line)


@pytest.fixture
def log_hygiene() -> LogHygiene:
    """The suite-wide log capture (docs/security.md, test 16)."""
    return _log_hygiene


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Indonesian). The locale middleware
    activates a request's language in the thread and leaves it there: after a request
    in English (the language cookie, or Accept-Language on the API), what the next
    test's services write outside a request would be English."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_files_dir(settings, tmp_path):
    """Uploaded documents go to a temporary directory, never the developer's var/."""
    settings.GARDA_FILES_DIR = tmp_path / "files"


@pytest.fixture
def real_weights_path():
    """The duplicate weights file where the product keeps it (GARDA_VAR_DIR), for the
    test of that place; every other test gets a temporary one (below)."""
    from garda.people import learned_weights

    return learned_weights.weights_path()


@pytest.fixture(autouse=True)
def _private_dedupe_weights(request, tmp_path, monkeypatch):
    """The weights a batch duplicate run learns go to a temporary file: a test must not
    change the weights that every later test's duplicate check scores with, as it would
    through the var/ folder all test processes share. (monkeypatch, not mock.patch: a
    test's own monkeypatch of the same names is then undone in the right order.)"""
    if "real_weights_path" in request.fixturenames:
        return
    from garda.people import learned_weights, matching

    path = tmp_path / learned_weights.WEIGHTS_FILE
    monkeypatch.setattr(learned_weights, "weights_path", lambda: path)
    monkeypatch.setattr(matching, "_weights_file", path)
    monkeypatch.setattr(matching, "_loaded", None)


_CSRF_TOKEN = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+')


def without_csrf_tokens(html: str) -> str:
    """A page without its random CSRF tokens, for asserting that a short string (a
    currency code, a few digits) is absent: a 64-character random token held "HKD" once
    and failed such a test."""
    return _CSRF_TOKEN.sub(r"\1", html)
