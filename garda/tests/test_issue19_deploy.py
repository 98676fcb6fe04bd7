"""Issue 19, weakness 13: deployment defaults.

Production accepted a 50-character repeated-letter secret, an all-zero field key and no
mail server (password-reset links printed to the log); `garda serve` without GARDA_ENV
ran on the public development keys without a word. Production now refuses all three
(system checks garda.E040-E042, run by `garda check` and before `garda serve`), and
serve outside production warns loudly on every start.
"""

import base64
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from garda.tests.test_project import PROD_ENV, _garda

WEAK_SECRET = "a" * 50
ZERO_FIELD_KEY = base64.urlsafe_b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    ("override", "code", "words"),
    [
        ({"GARDA_SECRET_KEY": WEAK_SECRET}, "garda.E040", "GARDA_SECRET_KEY"),
        ({"GARDA_FIELD_KEY": ZERO_FIELD_KEY}, "garda.E041", "GARDA_FIELD_KEY"),
        ({"EMAIL_HOST": ""}, "garda.E042", "mail server"),
    ],
    ids=["repeated-letter-secret", "all-zero-field-key", "no-mail-server"],
)
def test_production_refuses_a_weak_deployment(override, code, words):
    result = _garda("check", env={**PROD_ENV, **override})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert code in output and words in output


def test_production_with_real_keys_and_a_mail_server_is_accepted():
    result = _garda("check", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def no_exec(monkeypatch):
    """`garda serve` replaces itself with gunicorn at the end: record instead."""
    calls = []
    monkeypatch.setattr(os, "execv", lambda *args: calls.append(args))
    return calls


def test_serve_in_production_refuses_weak_keys_and_no_mail(settings, no_exec):
    settings.PRODUCTION, settings.DEBUG = True, False
    settings.GARDA_BASE_URL = "https://garda.jakarta.go.id"
    settings.SECRET_KEY = WEAK_SECRET
    settings.FIELD_KEY = ZERO_FIELD_KEY
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--no-migrate")
    assert all(code in str(refused.value) for code in ("garda.E040", "garda.E041", "garda.E042"))
    assert no_exec == []  # gunicorn never started


def test_serve_without_garda_env_warns_loudly(settings, no_exec, capsys):
    settings.PRODUCTION = False
    call_command("serve", "--no-migrate")
    err = capsys.readouterr().err
    assert "GARDA_ENV" in err and "PUBLIC development keys" in err and "HSTS" in err
    assert len(no_exec) == 1  # it still serves: development stays easy
