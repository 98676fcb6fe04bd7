"""The navigation: which pages each role is offered, in the main menu and as cards on
the signed-in home page. The menu (base.html, through the `garda` context processor)
and the home page both read this one table.

The table is display only: each page's own access check (its role decorator or
service) is the gate. `garda/tests/test_nav.py` holds the table against the route
policy, so a role is never offered a page it may not open.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles

# Who is asking, besides the roles of garda.accounts.roles: a visitor who has not
# signed in, and a signed-in account that belongs to no role group.
ANONYMOUS = "anonymous"
NO_ROLE = "no-role"

EVERYONE = frozenset({ANONYMOUS, NO_ROLE, *roles.ALL})
SIGNED_IN = EVERYONE - {ANONYMOUS}
REGISTRY = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
ASSIGNERS = frozenset({roles.SUPERVISOR, roles.ADMIN})
WORKER = frozenset({roles.WORKER})


@dataclass(frozen=True)
class Card:
    """The entry's card on the signed-in home page."""

    text: Promise
    title: Promise | None = None  # None: the menu label
    text_for: Mapping[str, Promise] = field(default_factory=dict)  # a role's own wording


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    roles: frozenset[str]
    label_for: Mapping[str, Promise] = field(default_factory=dict)  # a role's own label
    in_menu: bool = True
    card: Card | None = None
    badge: bool = False  # the menu shows the unread-notification count


@dataclass(frozen=True)
class Link:
    """An entry as one role sees it."""

    url_name: str
    url: str
    label: Promise
    badge: bool = False
    title: Promise | None = None  # home page card only
    text: Promise | None = None


NAV: tuple[Entry, ...] = (
    Entry("home", _("Home"), EVERYONE),
    Entry("destinations:destination_index", _("Destinations"), EVERYONE),
    Entry("training:catalogue", _("Training"), EVERYONE),
    # --- the registry's staff ---
    Entry(
        "people:list",
        _("Registry"),
        REGISTRY,
        card=Card(_("Find a migrant worker by NIK, reference, phone or name.")),
    ),
    Entry(
        "people:register",
        _("Register a person"),
        REGISTRY,
        card=Card(_("Register a walk-in: identity, address, contact, education.")),
    ),
    Entry("accompaniment:worklist", _("Worklist"), REGISTRY),
    Entry("documents:queue", _("Verification queue"), REGISTRY),
    Entry("documents:expiring", _("Expiring documents"), REGISTRY),
    Entry("accompaniment:workload", _("Workload"), ASSIGNERS),
    Entry("destinations:rules_destinations", _("Destination rules"), ASSIGNERS),
    Entry("training:outcomes", _("Training outcomes"), ASSIGNERS),
    Entry(
        "training:teach",
        _("Training batches"),
        frozenset({roles.ADMIN, roles.TRAINER}),
        label_for={roles.TRAINER: _("My batches")},
    ),
    # --- workers ---
    Entry(
        "people:me",
        _("My profile"),
        WORKER,
        card=Card(_("Your data in the registry, and your status.")),
    ),
    Entry("destinations:my_readiness", _("My readiness"), WORKER),
    Entry("documents:mine", _("My documents"), WORKER),
    Entry("accompaniment:mine", _("My accompaniment"), WORKER),
    Entry("training:my_training", _("My training"), WORKER),
    Entry("training:my_certificates", _("My certificates"), WORKER),
    # --- all staff ---
    Entry(
        "people:nik_check",
        _("Check NIK"),
        roles.STAFF,
        card=Card(_("Validate a 16-digit NIK: region, birth date, sex."), title=_("Check a NIK")),
    ),
    Entry(
        "accounts:agency_list",
        _("Agencies"),
        roles.STAFF,
        card=Card(
            _("Contacts of the agencies Pasukan Putih works with."), title=_("Agency directory")
        ),
    ),
    Entry(
        "audit:event_list",
        _("Audit trail"),
        ASSIGNERS,
        card=Card(
            _("Actions taken by your agency's staff."),
            text_for={roles.ADMIN: _("Who did or saw what, with a verifiable chain.")},
        ),
    ),
    Entry(
        "admin:index",
        _("Administration"),
        frozenset({roles.ADMIN}),
        card=Card(_("Manage users, roles and agencies.")),
    ),
    # --- everyone signed in ---
    Entry("accounts:notifications", _("Notifications"), SIGNED_IN, badge=True),
    Entry(
        "accounts:account",
        _("My account"),
        SIGNED_IN,
        card=Card(_("Password, two-factor sign-in and API tokens.")),
    ),
    Entry(
        "api:openapi-view",
        _("API documentation"),
        SIGNED_IN,
        in_menu=False,
        card=Card(_("The REST API for other systems (OpenAPI).")),
    ),
    Entry("accounts:login", _("Log in"), frozenset({ANONYMOUS})),
)


def role_of(user) -> str:
    """The key the table is read with: a role, NO_ROLE or ANONYMOUS."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return user.role or NO_ROLE


def entries_for(role: str) -> list[Entry]:
    return [entry for entry in NAV if role in entry.roles]


def _link(entry: Entry, role: str) -> Link:
    card = entry.card
    return Link(
        url_name=entry.url_name,
        url=reverse(entry.url_name),
        label=entry.label_for.get(role, entry.label),
        badge=entry.badge,
        title=(entry.label if card.title is None else card.title) if card else None,
        text=card.text_for.get(role, card.text) if card else None,
    )


def menu_for(role: str) -> list[Link]:
    """The main menu's links for a role, in order (log out is a form, not listed)."""
    return [_link(entry, role) for entry in entries_for(role) if entry.in_menu]


def cards_for(role: str) -> list[Link]:
    """The signed-in home page's cards for a role, in order."""
    return [_link(entry, role) for entry in entries_for(role) if entry.card]
