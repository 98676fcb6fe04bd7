"""The design system's promises that hold on every page, checked on the HTML the server
sends (the real-browser checks are in test_browser.py): one small stylesheet, the
same chrome on every page (owner, help, language), a menu that works without
JavaScript, and errors summarised at the top of the form and in the page title."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client

STATIC = Path(__file__).resolve().parents[1] / "static" / "garda"


def test_stylesheet_and_script_stay_small():
    assert (STATIC / "garda.css").stat().st_size < 30 * 1024  # docs/design-ui.md §6
    assert (STATIC / "garda.js").stat().st_size < 4 * 1024


def test_stylesheet_meets_the_contrast_pairs_of_the_reference():
    """The token colours are the reference's measured pairs (docs/design-ui.md §3)."""
    css = (STATIC / "garda.css").read_text()
    for token in ("--text:#0b0c0c", "--link:#1a65a6", "--action:#16548a", "--error:#ca3535"):
        assert token in css
    for fg, bg in (("#0f385c", "#d2e2f1"), ("#7a3c1c", "#ffee80"), ("#083d29", "#cfe4dc")):
        assert re.search(rf"color:{fg}; background:{bg}", css), (fg, bg)
    assert "outline:none" not in css.replace(" ", "")  # focus is never hidden


@pytest.mark.django_db
def test_every_page_names_the_owner_and_the_help_channels(settings):
    settings.GARDA_HOTLINE = "(021) 555 0100"
    settings.GARDA_HELP_HOURS = "Senin–Jumat, 08.00–16.00 WIB"
    html = Client().get(reverse("destinations:destination_index")).content.decode()
    assert '<html lang="id">' in html
    assert html.index('class="skip"') < html.index('class="site-header"')
    assert "Layanan resmi Pemerintah Provinsi Daerah Khusus Jakarta" in html
    assert 'href="tel:(021)5550100"' not in html and 'href="tel:0215550100"' in html
    assert "Senin–Jumat, 08.00–16.00 WIB" in html
    assert 'href="tel:112"' in html


@pytest.mark.django_db
def test_no_hotline_is_invented_when_none_is_set(settings):
    settings.GARDA_HOTLINE = ""
    html = Client().get(reverse("destinations:destination_index")).content.decode()
    assert 'class="hotline"' not in html


@pytest.mark.django_db
def test_menu_is_a_plain_list_without_javascript(wati):
    """The menu button is `hidden` in the HTML: without JavaScript the links show."""
    html = verified_client(wati).get(reverse("home")).content.decode()
    button = re.search(r"<button[^>]*data-menu-toggle[^>]*>", html).group(0)
    assert " hidden" in button and 'aria-controls="site-nav"' in button
    nav = re.search(r'<nav id="site-nav" class="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert "is-closed" not in nav and nav.count("<li>") <= 5 + 1  # at most 5 links, and log out


@pytest.mark.django_db
def test_current_page_is_marked_in_the_menu(wati):
    url = reverse("documents:mine")
    html = verified_client(wati).get(url).content.decode()
    assert f'<a href="{url}" aria-current="page">' in html


@pytest.mark.django_db
def test_form_errors_are_summarised_and_named_in_the_title():
    """docs/design-ui.md §2.4: an error summary linking to each field, the field's own
    message with a hidden "Kesalahan:", and the title starting with "Kesalahan:"."""
    response = Client().post(reverse("accounts:signup"), {"email": "not-an-address"})
    html = response.content.decode()
    assert re.search(r"<title>Kesalahan: ", html)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "Ada masalah" in summary and 'href="#id_email"' in summary
    assert '<span class="sr-only">Kesalahan:</span>' in html


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary():
    html = Client().get(reverse("accounts:signup")).content.decode()
    assert "error-summary" not in html and "<title>Kesalahan" not in html


def test_page_numbers_keep_first_last_and_neighbours():
    from django.core.paginator import Paginator

    from garda.templatetags.pager import page_numbers

    def numbers(current: int, pages: int = 20):
        return page_numbers(Paginator(range(pages), 1).page(current))

    assert numbers(1) == [1, 2, None, 20]
    assert numbers(5) == [1, None, 4, 5, 6, None, 20]
    assert numbers(20) == [1, None, 19, 20]
    assert numbers(2, pages=3) == [1, 2, 3]


@pytest.mark.django_db
def test_pagination_links_numbers_and_keeps_the_filters(alice):
    """docs/design-ui.md §3: previous, numbered pages (the current one marked), next;
    each link keeps the list's filters; 44 px targets come from the stylesheet."""
    from garda.accounts.models import Agency

    Agency.objects.bulk_create(
        Agency(name=f"Dinas Kesehatan {n}", short_name=f"DK{n}", kind="health") for n in range(90)
    )
    html = (
        verified_client(alice)
        .get(reverse("accounts:agency_list"), {"kind": "health", "page": 2})
        .content.decode()
    )
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    assert 'href="?kind=health&amp;page=1" rel="prev"' in pager
    assert 'href="?kind=health&amp;page=2" aria-current="page" aria-label="Halaman 2"' in pager
    assert 'rel="next"' in pager and "Halaman 2 dari" in pager
