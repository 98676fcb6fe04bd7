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
from garda.tests.policy import ANON, POLICY, ROLES, SIGNED_IN

# Pages a role may open with a plain GET that are not in the menu: each is reached from
# another page. A new page that belongs in nobody's menu is added here.
NOT_IN_MENU = {
    "healthz": "load balancers",
    "accounts:signup": "the home page",
    "accounts:signup_resend": "the log-in and sign-up pages",
    "accounts:password_reset": "the log-in page",
    "accounts:password_reset_done": "the password reset form",
    "accounts:password_reset_complete": "the password reset e-mail",
    "accounts:password_change": "My account",
    "accounts:password_change_done": "the password change form",
    "accounts:2fa_setup": "My account and sign-in",
    "accounts:2fa_verify": "sign-in",
    "places:region_picker": "the profile and walk-in forms (HTMX options)",
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
    "cases:report": "the home page for visitors, the help page and the tracking page",
    "cases:track": "the report's confirmation and the help page",
    "cases:create": "Cases (a button on the list) and the officer's home page",
    "cases:mine_report": "My reports and the worker's home page",
    "abroad:check_in": "My stay abroad, and each check-in notification",
    "jobs:vacancies": "the home page (visitors and workers), the destinations and help pages",
    "jobs:agency_lookup": "the home page (visitors and workers), the vacancy board, help",
    "jobs:order_create": "Job orders (a button on the list) and the recruiter's home page",
    "jobs:agency_create": "Placement companies (a button on the list)",
    "jobs:register_load": "Placement companies (a button on the list)",
    "privacy:my_corrections": "My data",
    "cases:transfers": "Cases (a link on the list) and each transfer's notification",
    "jobs:placement_export": "Placements (a button on the list)",
    "jobs:orientation_create": "Orientation sessions (a button on the list)",
    "cases:arrivals_pdf": "Arrivals board (the printable sheet's button)",
    "reintegration:outcomes_csv": "Reintegration outcomes (a download under each table)",
    "reports:public": "the help page (every visitor and role)",
    "reports:national_registrations": "Figures (the export form at the foot of the index)",
    "outreach:event_new": "Outreach events (a button on the list)",
    "outreach:announcement_new": "Outreach events (a link on the list)",
    "outreach:public_events": "the home page (visitors; workers: the jobs block)",
    "outreach:announcements": "the home page (visitors; workers: the jobs block), events",
}


def _policy_key(url_name: str) -> str:
    return "admin:*" if url_name.startswith("admin:") else url_name


def _policy_roles(role: str) -> str | None:
    """The role in the policy's terms (it has no role-less account)."""
    return None if role == nav.NO_ROLE else role


def _plain_pages() -> dict[str, frozenset[str]]:
    """Pages opened with a plain GET and no arguments, with the roles that may."""
    return {
        key: rule.allowed
        for key, rule in POLICY.items()
        if " " not in key  # API operations
        and not key.startswith("api:")
        and rule.method == "get"
        and 200 in rule.ok
        and not rule.kwargs
        and rule.allowed
    }


def test_policy_and_nav_name_roles_alike():
    assert nav.EVERYONE - {nav.NO_ROLE} == SIGNED_IN | {ANON} == set(ROLES)
    assert nav.ANONYMOUS == ANON
    assert set(nav.MENUS) == set(nav.MORE) == nav.EVERYONE


def test_pages_are_distinct_pages_without_arguments():
    for name, page in nav.PAGES.items():
        assert name == page.url_name
        reverse(name)  # no arguments
    for role in nav.EVERYONE:
        listed = [*nav.MENUS[role], *nav.MORE[role]]
        assert len(listed) == len(set(listed)), role
        assert set(listed) <= set(nav.PAGES), role
    for role, labels in nav.LABEL_FOR.items():
        assert set(labels) <= {*nav.MENUS[role], *nav.MORE[role]}, role


@pytest.mark.parametrize("role", sorted(nav.EVERYONE))
def test_every_menu_is_short_and_starts_at_home(role):
    """docs/design-ui.md, §3 Header: at most five links per role, "Keluar" apart."""
    menu = nav.MENUS[role]
    assert 1 < len(menu) <= nav.MENU_MAX == 5, menu
    assert menu[0] == "home"


def test_the_worker_menu_is_the_designed_one():
    with translation.override("id"):
        labels = [str(link.label) for link in nav.menu_for("worker")]
    assert labels == ["Beranda", "Kesiapan", "Dokumen", "Pelatihan", "Bantuan"]


def test_every_link_is_a_page_its_role_may_open():
    for role in nav.EVERYONE:
        policy_role = _policy_roles(role)
        for name in (*nav.MENUS[role], *nav.MORE[role]):
            rule = POLICY.get(_policy_key(name))
            assert rule is not None, f"{name}: not in the route policy"
            assert rule.method == "get" and 200 in rule.ok, name
            if policy_role is None:  # a role-less account: what every signed-in role may
                assert SIGNED_IN <= rule.allowed or name in ("home", "help"), name
            else:
                assert policy_role in rule.allowed, (
                    f"{name} is offered to {role}, who may not open it"
                )


def test_every_plain_page_is_reached_by_every_role_that_may_open_it():
    """From the role's menu or home page, or from the page NOT_IN_MENU names."""
    unplaced = []
    for key, allowed in _plain_pages().items():
        if key in NOT_IN_MENU:
            continue
        for role in allowed:
            reached = {_policy_key(n) for n in (*nav.MENUS[role], *nav.MORE[role])}
            if key not in reached:
                unplaced.append(f"{key} for {role}")
    assert not unplaced, f"add to garda.nav (MENUS or MORE), or to NOT_IN_MENU: {unplaced}"
    stale = sorted(NOT_IN_MENU.keys() - _plain_pages().keys())
    assert not stale, stale
    listed = {_policy_key(n) for role in nav.EVERYONE for n in (*nav.MENUS[role], *nav.MORE[role])}
    both = sorted(NOT_IN_MENU.keys() & listed)
    assert not both, both


# --- as rendered ----------------------------------------------------------------------


def _menu(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<nav id="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    block = re.sub(r' <span class="badge">.*?</span></span>', "", block)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', block)


def _more(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<nav aria-labelledby="more-title">(.*?)</nav>', html, re.S)
    if block is None:
        return []
    return re.findall(r'<a class="task-name" href="([^"]+)">([^<]*)</a>', block.group(1))


def _client(user, language: str) -> Client:
    client = Client() if user is None else verified_client(user)
    client.cookies["django_language"] = language
    return client


def _check_pages(user, role: str, language: str) -> list[tuple[str, str]]:
    """Assert the home page and another page render the table's menu (and the home
    page its other pages) for `role`; return the menu the home page showed."""
    client = _client(user, language)
    with translation.override(language):
        menu = [(link.url, escape(link.label)) for link in nav.menu_for(role)]
        more = [(link.url, escape(link.label)) for link in nav.cards_for(role)]
    response = client.get(reverse("home"))
    assert response.status_code == 200
    home = response.content.decode()
    assert _menu(home) == menu
    assert _more(home) == more
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
    # Never vacuous: every role's menu starts with the home page, and is short.
    assert shown and shown[0][0] == reverse("home")
    assert len(shown) <= 5


@pytest.mark.django_db
def test_role_less_account_sees_the_table():
    from garda.accounts.models import User

    user = User.objects.create_user(email="nobody@example.org", password="x" * 20)
    assert user.role is None
    shown = _check_pages(user, nav.NO_ROLE, "id")
    assert shown and shown[0][0] == reverse("home")


def test_menu_labels_per_role():
    """The tables read back: the role-specific wording and what each role is offered."""
    with translation.override("en"):
        assert [str(link.label) for link in nav.menu_for("trainer")] == [
            "Home",
            "My batches",
            "Training",
            "Help",
        ]
        assert "Training batches" in [str(link.label) for link in nav.cards_for("admin")]
        assert [str(link.label) for link in nav.menu_for("anonymous")] == [
            "Home",
            "Destinations",
            "Training",
            "Help",
            "Log in",
        ]
        assert nav.cards_for("anonymous") == []


def test_the_current_page_is_marked_once():
    links = nav.menu_for("worker", "/training/me/")
    assert [link.url_name for link in links if link.current] == ["training:my_training"]
    links = nav.menu_for("worker", "/")
    assert [link.url_name for link in links if link.current] == ["home"]
    assert not any(link.current for link in nav.menu_for("worker", "/people/me/"))


def test_every_label_has_an_indonesian_translation():
    strings = [
        *[p.label for p in nav.PAGES.values()],
        *[p.text for p in nav.PAGES.values() if p.text],
    ]
    strings += [label for labels in nav.LABEL_FOR.values() for label in labels.values()]
    for text in strings:
        with translation.override("en"):
            english = str(text)
        with translation.override("id"):
            assert str(text) != english, english


@pytest.mark.django_db
def test_home_link_shows_the_unread_count(wati):
    from garda.accounts.models import Notification

    Notification.objects.create(user=wati, title="Janji temu baru")
    html = _client(wati, "id").get(reverse("home")).content.decode()
    url = reverse("home")
    assert (
        f'<a href="{url}" aria-current="page">Beranda <span class="badge">'
        '<span class="sr-only">(</span>1<span class="sr-only"> belum dibaca)</span></span></a>'
    ) in html
    assert html.count('class="badge"') == 1
