"""The navigation table (garda.nav) against the route policy, and the menu and home
page as each role sees them."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from conftest import verified_client
from garda import nav
from garda.tests.policy import ANON, POLICY, SIGNED_IN

ROLES = ["anonymous", "worker", "officer", "trainer", "partner", "supervisor", "admin"]

# Pages a role may open with a plain GET that are not in the menu: each is reached from
# another page. A new page that belongs in nobody's menu is added here.
NOT_IN_MENU = {
    "healthz": "load balancers",
    "accounts:signup": "the home page",
    "accounts:password_reset": "the log-in page",
    "accounts:password_reset_done": "the password reset form",
    "accounts:password_reset_complete": "the password reset e-mail",
    "accounts:password_change": "My account",
    "accounts:password_change_done": "the password change form",
    "accounts:2fa_setup": "My account and sign-in",
    "accounts:2fa_verify": "sign-in",
    "people:duplicates": "the registry",
    "people:import": "the registry",
    "people:my_access_log": "My profile",
    "people:my_consents": "My profile",
    "people:my_family": "My profile",
    "accompaniment:reassign": "Workload",
    "accompaniment:my_summary_pdf": "My accompaniment",
    "destinations:rules_sets": "Destination rules",
    "destinations:rules_set_create": "Destination rules",
    "training:batch_new": "My batches / Training batches",
    "training:my_recommendations": "My training",
    "training:certificate_check": "the training catalogue and the home page",
    "training:outcomes_export": "Training outcomes",
}


def _policy_key(url_name: str) -> str:
    return "admin:*" if url_name.startswith("admin:") else url_name


def _policy_roles(entry: nav.Entry) -> frozenset[str]:
    """The entry's roles in the policy's terms (it has no role-less account)."""
    return entry.roles - {nav.NO_ROLE}


def test_policy_and_nav_name_roles_alike():
    assert nav.EVERYONE - {nav.NO_ROLE} == SIGNED_IN | {ANON} == set(ROLES)
    assert nav.ANONYMOUS == ANON


def test_entries_are_distinct_pages_without_arguments():
    names = [entry.url_name for entry in nav.NAV]
    assert len(names) == len(set(names))
    for entry in nav.NAV:
        reverse(entry.url_name)  # no arguments
        assert entry.in_menu or entry.card, entry.url_name
        assert set(entry.label_for) <= entry.roles, entry.url_name
        if entry.card:
            assert set(entry.card.text_for) <= entry.roles, entry.url_name


def test_every_entry_is_a_page_its_roles_may_open():
    for entry in nav.NAV:
        rule = POLICY.get(_policy_key(entry.url_name))
        assert rule is not None, f"{entry.url_name}: not in the route policy"
        assert rule.method == "get" and 200 in rule.ok, entry.url_name
        refused = _policy_roles(entry) - rule.allowed
        assert not refused, f"{entry.url_name} is offered to {sorted(refused)}, who may not open it"


def test_menu_offers_a_page_to_every_role_that_may_open_it():
    """A page is in the menu for all the roles the policy lets open it, or for none."""
    for entry in nav.NAV:
        if not entry.in_menu:
            continue
        missing = POLICY[_policy_key(entry.url_name)].allowed - _policy_roles(entry)
        assert not missing, f"{entry.url_name} is missing from the menu of {sorted(missing)}"


def test_a_role_less_account_sees_only_what_every_role_sees():
    for entry in nav.NAV:
        if nav.NO_ROLE in entry.roles:
            assert SIGNED_IN <= entry.roles, entry.url_name


def test_every_plain_page_is_in_a_menu_or_reached_from_another_page():
    in_menu = {_policy_key(e.url_name) for e in nav.NAV if e.in_menu}
    plain = {
        key
        for key, rule in POLICY.items()
        if " " not in key  # API operations
        and not key.startswith("api:")
        and rule.method == "get"
        and 200 in rule.ok
        and not rule.kwargs
        and rule.allowed
    }
    unplaced = sorted(plain - in_menu - NOT_IN_MENU.keys())
    assert not unplaced, f"add to garda.nav.NAV, or to NOT_IN_MENU with its way in: {unplaced}"
    stale = sorted(NOT_IN_MENU.keys() - plain)
    assert not stale, stale
    both = sorted(NOT_IN_MENU.keys() & in_menu)
    assert not both, both


# --- as rendered ----------------------------------------------------------------------


def _menu(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<nav id="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    block = re.sub(r' <span class="badge">.*?</span></span>', "", block)
    return re.findall(r'<a href="([^"]+)"(?: aria-current="page")?>([^<]*)</a>', block)


def _cards(html: str) -> list[tuple[str, str, str]]:
    block = re.search(r'<ul class="cards">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    return re.findall(
        r'<a href="([^"]+)"><strong>([^<]*)</strong><span>([^<]*)</span></a>', block.group(1)
    )


def _client(user, language: str) -> Client:
    client = Client() if user is None else verified_client(user)
    client.cookies["django_language"] = language
    return client


def _check_pages(user, role: str, language: str) -> list[tuple[str, str]]:
    """Assert the home page and another page render the table's menu (and the home
    page its cards) for `role`; return the menu the home page showed."""
    client = _client(user, language)
    with translation.override(language):
        menu = [(link.url, escape(link.label)) for link in nav.menu_for(role)]
        cards = [(c.url, escape(c.title), escape(c.text)) for c in nav.cards_for(role)]
    home = client.get(reverse("home")).content.decode()
    assert _menu(home) == menu
    assert _cards(home) == cards
    # Another app's page, through the same base template.
    other = client.get(reverse("training:catalogue")).content.decode()
    assert _menu(other) == menu
    assert ("accounts/logout/" in home) == (role != nav.ANONYMOUS)
    return _menu(home)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_menu_and_home_page_show_the_table(role, language, personas):
    shown = _check_pages(personas.get(role), role, language)
    # Never vacuous: every role's menu starts with the home page.
    assert shown and shown[0][0] == reverse("home")


@pytest.mark.django_db
def test_role_less_account_sees_the_table():
    from garda.accounts.models import User

    user = User.objects.create_user(email="nobody@example.org", password="x" * 20)
    assert user.role is None
    shown = _check_pages(user, nav.NO_ROLE, "id")
    assert shown and shown[0][0] == reverse("home")


def test_menu_labels_and_cards_per_role():
    """The table read back: the role-specific wording and what each role is offered."""
    with translation.override("en"):
        assert [str(link.label) for link in nav.menu_for("trainer")] == [
            "Home",
            "Destinations",
            "Training",
            "My batches",
            "Check NIK",
            "Agencies",
            "Notifications",
            "My account",
        ]
        assert "Training batches" in [str(link.label) for link in nav.menu_for("admin")]
        audit = {
            role: next(str(c.text) for c in nav.cards_for(role) if c.url_name == "audit:event_list")
            for role in ("supervisor", "admin")
        }
        assert audit == {
            "supervisor": "Actions taken by your agency's staff.",
            "admin": "Who did or saw what, with a verifiable chain.",
        }
        assert [str(c.title) for c in nav.cards_for("partner")] == [
            "Check a NIK",
            "Agency directory",
            "My account",
            "API documentation",
        ]
        assert [str(link.label) for link in nav.menu_for("anonymous")] == [
            "Home",
            "Destinations",
            "Training",
            "Log in",
        ]
        assert nav.cards_for("anonymous") == []


def test_every_label_has_an_indonesian_translation():
    strings = []
    for entry in nav.NAV:
        strings += [entry.label, *entry.label_for.values()]
        if entry.card:
            strings += [entry.card.text, *entry.card.text_for.values()]
            strings += [entry.card.title] if entry.card.title is not None else []
    for text in strings:
        with translation.override("en"):
            english = str(text)
        with translation.override("id"):
            assert str(text) != english, english


@pytest.mark.django_db
def test_notifications_link_shows_the_unread_count(wati):
    from garda.accounts.models import Notification

    Notification.objects.create(user=wati, title="Janji temu baru")
    html = _client(wati, "id").get(reverse("home")).content.decode()
    url = reverse("accounts:notifications")
    assert (
        f'<a href="{url}">Notifikasi <span class="badge"><span class="sr-only">(</span>1'
        '<span class="sr-only"> belum dibaca)</span></span></a>'
    ) in html
    assert html.count('class="badge"') == 1
