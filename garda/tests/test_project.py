"""Production settings, deploy checks, migrations (the demo command: test_demo.py)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

PROD_ENV = {
    "GARDA_ENV": "production",
    "GARDA_SECRET_KEY": "k" * 20 + "-this-is-a-long-random-production-secret-value-0123",
    "GARDA_FIELD_KEY": "u7kZr0v3bC3x0S8m2q1YkJ0l5Vw9pQ4tN6hD2eF8gA0=",
    "ALLOWED_HOSTS": "garda.jakarta.go.id",
    "GARDA_BASE_URL": "https://garda.jakarta.go.id",
    "DATABASE_URL": "sqlite:///:memory:",
    # Production refuses to run without a mail server (issue 19, garda.E042).
    "EMAIL_HOST": "smtp.jakarta.go.id",
}


def _garda(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GARDA_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "garda", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_deploy_check_is_clean():
    result = _garda("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("base", ["", "http://127.0.0.1:8000"])
def test_production_deploy_check_refuses_a_local_or_missing_public_address(base):
    """A QR code printed in production must never point at this machine."""
    result = _garda("check", "--deploy", env={**PROD_ENV, "GARDA_BASE_URL": base})
    assert result.returncode != 0
    assert "GARDA_BASE_URL" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["GARDA_SECRET_KEY", "GARDA_FIELD_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secrets(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _garda("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_demo_mode_and_uses_argon2():
    result = _garda("check", env={**PROD_ENV, "GARDA_DEMO": "1"})
    assert result.returncode != 0
    assert "demo mode" in result.stderr
    probe = _garda(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0]);"
        "print(settings.REQUIRE_2FA, settings.SESSION_COOKIE_SECURE)",
        env=PROD_ENV,
    )
    assert probe.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
        "True",
    ], probe.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_role_groups_have_exactly_the_listed_permissions():
    from django.contrib.auth.models import Group

    from garda.accounts import roles

    for role in roles.ALL:
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(roles.PERMISSIONS[role]), role


def test_production_serves_static_files_hashed_and_compressed(tmp_path):
    """`garda serve` runs collectstatic in production: every file gets a hashed name
    (cached for a year) and a gzip copy, and pages link the hashed names."""
    env = {**PROD_ENV, "GARDA_STATIC_ROOT": str(tmp_path / "static")}
    result = _garda("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    css = sorted((tmp_path / "static" / "garda").glob("garda.*.css"))
    assert css and (css[0].parent / (css[0].name + ".gz")).exists()
    htmx_gz = sorted((tmp_path / "static" / "garda").glob("htmx.min.*.js.gz"))
    assert htmx_gz and htmx_gz[0].stat().st_size < 20_000  # 52 KB uncompressed
    probe = _garda(
        "shell",
        "-c",
        "from django.templatetags.static import static; print(static('garda/garda.css'))",
        env=env,
    )
    assert probe.stdout.strip().splitlines()[-1] == f"/static/garda/{css[0].name}", probe.stderr
