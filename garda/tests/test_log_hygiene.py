"""No identity number or session id in the logs (docs/security.md, test 16).

The suite-wide check lives in the root conftest.py (LogHygiene): every record logged
during the run is rendered by the configured handlers and the run fails at the end if
any text holds a secret. These tests show that the redaction filter covers NIK/KK,
passport numbers and session keys, that the capture sees what production writes, and
that its detector flags an unredacted line.
"""

import io
import logging
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string
from hypothesis import given
from hypothesis import strategies as st

from conftest import LogLine, verified_client
from garda.logging import RedactIdentityNumbers, redact
from garda.people.services.registry import PersonData, person_register
from garda.people.tests.factories import nik_for

NIK = nik_for(serial=7)  # 3171014101900007
PASSPORT = "B7654321"
SESSION_KEY = "k2x9q7m4p1z8w3v6t5r0y1u2i3o4a5s6"  # Django's alphabet, 32 characters


# --- the filter ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Not Found: /api/v1/nik/{NIK}", "Not Found: /api/v1/nik/[NIK]"),
        (f"kk={NIK}&x=1", "kk=[NIK]&x=1"),
        (f"passport {PASSPORT} refused", "passport [PASSPORT] refused"),
        ("passport AB1234567", "passport [PASSPORT]"),
        ("passport X12345", "passport X12345"),  # too short for a passport
        (f"garda_session={SESSION_KEY}; csrftoken=x", "garda_session=[SESSION]; csrftoken=x"),
        # What must stay readable: longer or shorter numbers, words, codes, references,
        # request ids (uuid4().hex) and digests.
        ("order 12345678901234567", "order 12345678901234567"),
        ("phone 081234567890123", "phone 081234567890123"),
        (
            "WARNING INSTALLED_APPS ISO8601 SHA256 HTTP2",
            "WARNING INSTALLED_APPS ISO8601 SHA256 HTTP2",
        ),
        ("PMI-2024-000123 region 31.71.01", "PMI-2024-000123 region 31.71.01"),
        ("request 9f86d081884c7d659a2feaa0c55ad015", "request 9f86d081884c7d659a2feaa0c55ad015"),
        ("key " + SESSION_KEY + "x", "key " + SESSION_KEY + "x"),  # 33 characters
        ("lower-case a1234567", "lower-case a1234567"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


@given(st.text(alphabet=VALID_KEY_CHARS, min_size=32, max_size=32))
def test_every_session_key_is_redacted_unless_it_is_all_hex(key):
    redacted = redact(f"session {key} expired")
    if set(key) <= set("0123456789abcdef"):
        assert redacted == f"session {key} expired"  # odds 1 in 10^11 for a real key
    else:
        assert redacted == "session [SESSION] expired"


def test_django_session_keys_are_redacted():
    for _ in range(200):
        key = get_random_string(32, VALID_KEY_CHARS)
        assert key not in redact(f"session {key}")


def _logger_writing_to(stream: io.StringIO, name: str) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIdentityNumbers())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.propagate = False
    return logger


def test_a_traceback_quoting_a_nik_is_redacted():
    stream = io.StringIO()
    logger = _logger_writing_to(stream, "garda.tests.traceback")
    try:
        try:
            raise ValueError(f"bad NIK {NIK} for passport {PASSPORT}")
        except ValueError:
            logger.exception("import failed at row 3")
            logger.warning("again", stack_info=True, extra={"nik": NIK})
    finally:
        logger.handlers.clear()
        logger.propagate = True
    written = stream.getvalue()
    assert "ValueError: bad NIK [NIK] for passport [PASSPORT]" in written
    assert NIK not in written and PASSPORT not in written


def test_a_message_that_cannot_be_formatted_is_still_redacted():
    record = logging.LogRecord("garda", logging.WARNING, __file__, 1, "%s %s", (NIK,), None)
    RedactIdentityNumbers().filter(record)
    assert NIK not in record.getMessage() and "[NIK]" in record.getMessage()


def test_every_configured_handler_redacts():
    loggers = [logging.root, *logging.root.manager.loggerDict.values()]
    handlers = {
        handler
        for logger in loggers
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
        and type(handler).__name__ != "LogHygiene"
        # A library's NullHandler (e.g. one a pytest plugin installs) writes nowhere.
        and not isinstance(handler, logging.NullHandler)
    }
    assert handlers  # root's console at least
    for handler in handlers:
        assert any(isinstance(f, RedactIdentityNumbers) for f in handler.filters), handler


# --- the suite-wide capture ---------------------------------------------------------
@pytest.mark.django_db
def test_what_garda_logs_is_captured_as_production_writes_it(log_hygiene, wati):
    client = verified_client(wati)
    session_key = client.session.session_key
    person_register(
        actor=None,
        data=PersonData(
            nik=NIK,
            full_name="Siti Aminah",
            sex="F",
            birth_date=date(1990, 1, 1),
            passport_number=PASSPORT,
        ),
    )
    # What the capture looks for besides the patterns: secrets the suite created.
    assert session_key in log_hygiene.session_keys
    assert {NIK, PASSPORT} <= log_hygiene.identity_values

    before = len(log_hygiene.lines)
    logging.getLogger("garda.people").warning(
        "lookup of %s (passport %s) by session %s", NIK, PASSPORT, session_key
    )
    written = log_hygiene.lines[before:]

    assert [line.text for line in written] == [
        "lookup of [NIK] (passport [PASSPORT]) by session [SESSION]"
    ]
    assert written[0].logger == "garda.people"
    assert written[0].test.endswith("test_what_garda_logs_is_captured_as_production_writes_it")
    assert log_hygiene.leaks(written) == []


def test_the_detector_flags_each_kind_of_secret_and_prints_it_masked(log_hygiene):
    detector = type(log_hygiene)()  # a fresh one, knowing only these secrets
    session_key = get_random_string(32, VALID_KEY_CHARS)
    detector.session_keys.add(session_key)
    detector.identity_values.add(NIK)
    raw = [
        LogLine("garda.a", "t", f"Not Found: /api/v1/nik/{NIK}"),
        LogLine("garda.b", "t", f"passport {PASSPORT}"),
        LogLine("garda.c", "t", f"cookie garda_session={session_key}"),
        LogLine("garda.d", "t", f"glued x{NIK}0"),  # no 16-digit run: found by value
        LogLine("garda.e", "t", "Not Found: /api/v1/nik/[NIK]"),
    ]

    leaks = detector.leaks(raw)

    assert [(leak.logger, leak.kind) for leak in leaks] == [
        ("garda.a", "identity number, 16-digit number"),
        ("garda.b", "passport number"),
        ("garda.c", "session id"),
        ("garda.d", "identity number"),
    ]
    for leak in leaks:
        assert NIK not in leak.snippet and PASSPORT not in leak.snippet
        assert session_key not in leak.snippet


def test_a_handler_without_the_filter_is_caught_even_before_root_redacts(log_hygiene):
    # Handlers run child logger first, root last; root's filter rewrites the record in
    # place, so the capture replays each handler on the record as it was logged.
    stream = io.StringIO()
    logger = logging.getLogger("garda.tests.unfiltered")
    logger.addHandler(logging.StreamHandler(stream))
    try:
        record = logger.makeRecord(
            logger.name, logging.WARNING, __file__, 1, "nik %s", (NIK,), None
        )
        written = log_hygiene.as_written(record)
    finally:
        logger.handlers.clear()
    assert written == [f"nik {NIK}", "nik [NIK]"]  # the unfiltered handler, then root
    leaks = type(log_hygiene)().leaks([LogLine(logger.name, "t", text) for text in written])
    assert [leak.kind for leak in leaks] == ["16-digit number"]


# In one process, and in a pytest-xdist worker (whose exit status alone would not fail
# the run: the controller collects each worker's leaks).
@pytest.mark.parametrize("workers", ["0", "1"], ids=["one-process", "xdist"])
def test_a_leak_makes_the_run_fail_with_the_logger_and_a_masked_line(tmp_path: Path, workers):
    root = Path(settings.BASE_DIR)
    (tmp_path / "conftest.py").symlink_to(root / "conftest.py")
    (tmp_path / "test_leaky.py").write_text(
        textwrap.dedent(
            f"""
            import io, logging

            def test_leaky_handler():
                logger = logging.getLogger("garda.leaky")
                logger.addHandler(logging.StreamHandler(io.StringIO()))
                logger.warning("looked up %s", "{NIK}")
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(root / "pyproject.toml"),
            "--rootdir",
            str(root),
            "-n",
            workers,
            str(tmp_path / "test_leaky.py"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "logs hold identity numbers or session ids" in result.stdout
    assert "logger 'garda.leaky' wrote a 16-digit number during" in result.stdout
    assert "looked up [NIK]" in result.stdout
    assert NIK not in result.stdout
