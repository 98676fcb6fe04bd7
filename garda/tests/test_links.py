"""Links that leave the page (QR codes, PDFs, e-mails) use one public address:
GARDA_BASE_URL, else in development the request's address, else where `garda serve`
listens (garda/links.py); the deploy check refuses a local or missing address in
production."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from garda.accounts.notify import notify
from garda.checks import public_address
from garda.links import DEFAULT_BASE_URL, RequestAddressMiddleware, absolute_url, serve_url


def _during_request(host: str, action, *, secure: bool = False):
    """Run `action` inside the middleware, as a view would, for a request to `host`."""
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    box = {}

    def view(request):
        box["value"] = action()
        return None

    RequestAddressMiddleware(view)(request)
    return box["value"]


@pytest.fixture
def unset(settings):
    settings.GARDA_BASE_URL = ""
    settings.GARDA_SERVE_URL = ""
    settings.PRODUCTION = False
    return settings


def test_the_setting_wins_over_the_request(unset):
    unset.GARDA_BASE_URL = "https://garda.jakarta.go.id"
    url = _during_request("127.0.0.1:8123", lambda: absolute_url("/training/verify/abc/"))
    assert url == "https://garda.jakarta.go.id/training/verify/abc/"


def test_unset_in_development_a_request_gives_its_own_address(unset):
    assert _during_request("127.0.0.1:8123", lambda: absolute_url("/x/")) == (
        "http://127.0.0.1:8123/x/"
    )
    assert _during_request("localhost:9000", lambda: absolute_url("/x/"), secure=True) == (
        "https://localhost:9000/x/"
    )


def test_a_host_outside_allowed_hosts_is_never_used(unset):
    url = _during_request("evil.example.com", lambda: absolute_url("/x/"))
    assert url == f"{DEFAULT_BASE_URL}/x/"


def test_without_a_request_the_serving_address_then_the_default(unset):
    assert absolute_url("/x/") == f"{DEFAULT_BASE_URL}/x/"
    unset.GARDA_SERVE_URL = "http://127.0.0.1:8123"
    assert absolute_url("/x/") == "http://127.0.0.1:8123/x/"


def test_production_never_builds_links_from_the_host_header(unset):
    unset.PRODUCTION = True
    assert _during_request("127.0.0.1:8123", lambda: absolute_url("/x/")) == (
        f"{DEFAULT_BASE_URL}/x/"
    )


@pytest.mark.django_db
def test_an_email_sent_during_a_request_links_to_its_address(
    unset, wati, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _during_request(
            "127.0.0.1:8123",
            lambda: notify(user=wati, title="Dokumen Anda sudah diperiksa", url="/documents/me/"),
        )
    assert len(mail.outbox) == 1
    assert "http://127.0.0.1:8123/documents/me/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_email_sent_without_a_request_links_to_the_serving_address(
    unset, wati, django_capture_on_commit_callbacks
):
    unset.GARDA_SERVE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=wati, title="Dokumen Anda sudah diperiksa", url="/documents/me/")
    assert "http://127.0.0.1:8123/documents/me/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8123, "http://127.0.0.1:8123"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000"),  # noqa: S104
        ("::", 8000, "http://[::1]:8000"),
        ("garda.lan", 80, "http://garda.lan:80"),
    ],
)
def test_serve_url(host, port, url):
    assert serve_url(host, port) == url


# --- the deploy check --------------------------------------------------------------------


def _ids(settings) -> list[str]:
    return [message.id for message in public_address(None)]


@pytest.mark.parametrize(
    ("production", "debug", "base", "expected"),
    [
        (True, False, "", ["garda.E020"]),
        (True, False, "http://127.0.0.1:8000", ["garda.E022"]),
        (True, False, "http://localhost", ["garda.E022"]),
        (True, False, "garda.jakarta.go.id", ["garda.E021"]),
        (True, False, "http://garda.jakarta.go.id", ["garda.W023"]),
        (True, False, "https://garda.jakarta.go.id", []),
        (False, False, "", ["garda.W020"]),
        (False, False, "http://127.0.0.1:8000", ["garda.W022"]),
        (False, True, "", []),
    ],
)
def test_the_deploy_check(settings, production, debug, base, expected):
    settings.PRODUCTION, settings.DEBUG, settings.GARDA_BASE_URL = production, debug, base
    assert _ids(settings) == expected


def test_serve_refuses_production_without_a_public_address(settings):
    settings.PRODUCTION, settings.DEBUG, settings.GARDA_BASE_URL = True, False, ""
    with pytest.raises(CommandError, match="GARDA_BASE_URL"):
        call_command("serve", "--no-migrate")


def test_a_missing_stylesheet_is_a_startup_error(settings):
    from django.contrib.staticfiles import finders

    from garda.checks import stylesheet_found

    assert stylesheet_found(None) == []
    settings.STATICFILES_FINDERS = []  # as if the package's static/ were not installed
    finders.get_finder.cache_clear()
    try:
        assert {e.id for e in stylesheet_found(None)} == {"garda.E030"}
    finally:
        finders.get_finder.cache_clear()
