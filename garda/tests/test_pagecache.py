"""Public pages served from the shared cache (garda/pagecache.py, issue 19): fast for
anonymous visitors, and written as the attacks on such a cache: another visitor's
token, a signed-in visitor's page, a flash message, a stale rule."""

import dataclasses
import re
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from conftest import verified_client
from garda import pagecache
from garda.destinations.models import Destination, SectorRule

INDEX = "/destinations/"
PAGES = [INDEX, "/destinations/KR/", "/training/", "/jobs/"]


@pytest.fixture
def page_cache(settings):  # noqa: F811
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    settings.GARDA_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


def token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_second_anonymous_visit_is_served_without_the_database(
    page_cache, path, django_assert_num_queries
):
    first = Client().get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(path)
    assert second.status_code == 200
    # The same page, apart from each visitor's own token.
    strip = re.compile(r'value="[^"]{64}"|"X-CSRFToken": "[^"]{64}"')
    assert strip.sub("", second.content.decode()) == strip.sub("", first.content.decode())
    assert pagecache.PLACEHOLDER not in second.content.decode()


@pytest.mark.django_db
def test_no_visitor_receives_another_visitors_csrf_token(page_cache):
    """Attack: read the token on the cached page and use it as another visitor."""
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    html_one, html_two = one.get(INDEX).content.decode(), two.get(INDEX).content.decode()
    secret_one = _unmask_cipher_token(token_of(html_one))
    secret_two = _unmask_cipher_token(token_of(html_two))
    assert secret_one != secret_two
    assert secret_one == one.cookies[settings.CSRF_COOKIE_NAME].value
    assert secret_two == two.cookies[settings.CSRF_COOKIE_NAME].value
    # Each visitor's own token works for them (the language switch posts with it)...
    ok = two.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token_of(html_two)})
    assert ok.status_code == 302
    # ...and the token cached pages would have shared, had they stored it, does not.
    stolen = one.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token_of(html_two)}
    )
    assert stolen.status_code == 403


@pytest.mark.django_db
def test_a_signed_in_visitors_page_is_never_stored_or_served_from_the_cache(page_cache, wati):
    """Attack: a worker opens the page first; an anonymous visitor must not see it,
    and the worker must not be handed the anonymous copy (no name, no log-out)."""
    worker = verified_client(wati)
    mine = worker.get(INDEX).content.decode()
    assert wati.email in mine
    anonymous = Client().get(INDEX).content.decode()
    assert wati.email not in anonymous and "Log out" not in anonymous
    assert wati.email in worker.get(INDEX).content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_message_waiting_sees_it(page_cache):
    Client().get(INDEX)  # cached
    client = Client()
    client.cookies["messages"] = "anything"
    response = client.get(INDEX)
    # Bypassed: rendered for this visitor (the template ran), not served from the copy.
    assert response.templates


@pytest.mark.django_db
def test_a_new_moratorium_shows_at_once(page_cache, django_capture_on_commit_callbacks):
    before = Client().get(INDEX).content.decode()
    assert Client().get(INDEX).content.decode().count('data-moratorium="1"') == before.count(
        'data-moratorium="1"'
    )
    korea = Destination.objects.get(code="KR")
    with django_capture_on_commit_callbacks(execute=True):
        SectorRule.objects.create(
            destination=korea,
            sector="construction",
            status=SectorRule.Status.MORATORIUM,
            legal_basis="Uji",
            effective_from=date(2000, 1, 1),
        )
    after = Client().get(INDEX).content.decode()
    assert after.count('data-moratorium="1"') == before.count('data-moratorium="1"') + 1


@pytest.mark.django_db
def test_each_language_has_its_own_copy(page_cache):
    Client().get(INDEX)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in english.get(INDEX).content.decode()
    assert 'lang="id"' in Client().get(INDEX).content.decode()


@pytest.mark.django_db
def test_off_when_the_lifetime_is_zero(page_cache, settings):
    settings.GARDA_PAGE_CACHE_SECONDS = 0
    Client().get(INDEX)
    assert Client().get(INDEX).templates


@pytest.mark.django_db
def test_an_edited_country_shows_at_once(
    page_cache, admin_user, django_capture_on_commit_callbacks
):
    """The edit is one UPDATE (no signal): the service says the pages changed."""
    from garda.destinations.services.rules import DestinationData, destination_update

    page = "/destinations/KR/"
    assert "Catatan baru untuk uji" not in Client().get(page).content.decode()
    korea = Destination.objects.get(code="KR")
    data = dataclasses.replace(DestinationData.of(korea), notes="Catatan baru untuk uji")
    with django_capture_on_commit_callbacks(execute=True):
        destination_update(actor=admin_user, destination=korea, data=data, version=korea.version)
    assert "Catatan baru untuk uji" in Client().get(page).content.decode()
