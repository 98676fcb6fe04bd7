"""The navigation: each role's main menu (at most five links: docs/design-ui.md, §3
Header) and the other pages its home page links to. The menu (base.html, through the
`garda` context processor) and the home page both read these tables.

A menu is not a site map (docs/design-ui.md, §1, principle 2): the pages a role uses
most are in its menu; every other page it may open is linked from its home page
(`MORE`, and the home page's counts), or from the page it belongs to
(`garda/tests/test_nav.py`, NOT_IN_MENU).

The tables are display only: each page's own access check (its role decorator or
service) is the gate. `garda/tests/test_nav.py` holds them against the route policy,
so a role is never offered a page it may not open, and never misses one it may.
"""

from dataclasses import dataclass, replace

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

# At most this many links in a role's menu ("Keluar", a form, is apart).
MENU_MAX = 5


@dataclass(frozen=True)
class Page:
    """A page a menu or a home page links to."""

    url_name: str
    label: Promise
    # One short sentence for the home page's list of other pages.
    text: Promise | None = None
    badge: bool = False  # the link shows the unread-notification count


@dataclass(frozen=True)
class Link:
    """A page as one role sees it (base.html renders url, label and badge)."""

    url_name: str
    url: str
    label: Promise
    badge: bool = False
    text: Promise | None = None
    current: bool = False  # the page being shown (aria-current="page")


_PAGES = (
    # Beranda carries the unread count: the home page says what the messages are
    # about and links to them.
    Page("home", _("Home"), badge=True),
    Page("help", _("Help"), _("Hotline, opening hours, and where to go in person.")),
    Page("accounts:login", _("Log in")),
    Page(
        "destinations:destination_index",
        _("Destinations"),
        _("Rules, costs and your rights in each destination country."),
    ),
    Page("training:catalogue", _("Training"), _("Courses and the next batches.")),
    # --- workers ---
    Page("destinations:my_readiness", _("Readiness")),
    Page("documents:mine", _("Documents")),
    Page("training:my_training", _("Training")),
    Page("people:me", _("My profile"), _("Your data in the registry, and your status.")),
    Page(
        "accompaniment:mine",
        _("My accompaniment"),
        _("Your officer and your appointments."),
    ),
    Page(
        "cases:mine",
        _("My reports"),
        _("Report a problem abroad, and follow your reports and cases."),
    ),
    Page(
        "privacy:mine",
        _("My data"),
        _("Download all your data, ask for a correction, see who accessed it."),
    ),
    Page(
        "family:mine",
        _("My family"),
        _("Whether your family may follow your cases, and who follows them now."),
    ),
    Page(
        "reintegration:mine",
        _("My reintegration plan"),
        _("Back home: your plan, its goals and the follow-ups."),
    ),
    Page(
        "abroad:mine",
        _("My stay abroad"),
        _("Working abroad? Report where you are, and tell us how you are."),
    ),
    Page(
        "jobs:my_applications",
        _("My applications"),
        _("The jobs you applied for, and the ones an officer proposed to you."),
    ),
    Page(
        "training:my_certificates",
        _("My certificates"),
        _("Certificates of the courses you completed."),
    ),
    Page(
        "jobs:my_matches",
        _("Jobs that fit me"),
        _("Open jobs ranked for you, what is still missing, and the courses that help."),
    ),
    # --- placement companies' recruiters, and the officers who verify their orders ---
    Page(
        "jobs:order_list",
        _("Job orders"),
        _("Job orders (demand letters): write, submit, verify, publish."),
    ),
    Page(
        "jobs:employer_list",
        _("Employers"),
        _("Employers abroad named in job orders."),
    ),
    Page("jobs:partner_list", _("Foreign partners"), _("Agencies abroad the companies work with.")),
    Page(
        "jobs:listing_list",
        _("Problematic employers"),
        _("Employers and partners no worker may be placed with (UU 18/2017 arts. 9-10)."),
    ),
    Page(
        "jobs:departures",
        _("Departures board"),
        _("Who leaves this week and next, and which step each is missing."),
    ),
    Page(
        "jobs:placement_list",
        _("Placements"),
        _("Placements from selected applications: contract, BPJS, orientation, visa, flight."),
    ),
    Page(
        "jobs:orientation_list",
        _("Orientation sessions (OPP)"),
        _("Pre-departure orientation sessions: date, place, capacity, who attends."),
    ),
    Page(
        "jobs:register_list",
        _("Placement companies"),
        _("The licence register of placement companies (P3MI): status, branches, staff."),
    ),
    # --- the registry's staff ---
    Page("cases:list", _("Cases"), _("Protection cases: yours, the intake queue, deadlines.")),
    Page(
        "cases:dashboard",
        _("Case dashboard"),
        _("Cases by kind, stage, severity, officer and deadline."),
    ),
    Page(
        "referrals:dashboard",
        _("Referrals answered on time"),
        _("Each receiving agency's referrals: answered and reported on time, overdue now."),
    ),
    Page(
        "accompaniment:worklist", _("Worklist"), _("The persons you accompany, most urgent first.")
    ),
    Page("documents:queue", _("Verification queue"), _("Documents waiting for verification.")),
    Page(
        "people:list", _("Registry"), _("Find a migrant worker by NIK, reference, phone or name.")
    ),
    Page(
        "people:register",
        _("Register a person"),
        _("Register a walk-in: identity, address, contact, education."),
    ),
    Page(
        "documents:expiring",
        _("Expiring documents"),
        _("Verified documents whose validity ends soon."),
    ),
    Page(
        "accompaniment:workload",
        _("Workload"),
        _("Each officer's persons, documents and tasks; reassign persons."),
    ),
    Page(
        "destinations:rules_destinations",
        _("Destination rules"),
        _("Requirement sets and sector rules per destination."),
    ),
    Page(
        "training:outcomes",
        _("Training outcomes"),
        _("Completion and certification by course, provider and batch."),
    ),
    Page("training:teach", _("My batches"), _("Your batches, attendance and assessments.")),
    Page(
        "privacy:corrections",
        _("Correction requests"),
        _("Persons ask to correct their record: check and decide."),
    ),
    Page(
        "privacy:sharing_list",
        _("Data sharing"),
        _("Data shared with other agencies, and sharing without consent."),
    ),
    Page(
        "interceptions:list",
        _("Interceptions"),
        _("People stopped before a non-procedural departure, handed over to Jakarta."),
    ),
    Page(
        "interceptions:new",
        _("Record an interception"),
        _("A person stopped at an airport, seaport or border: registry, screening, case."),
    ),
    Page(
        "interceptions:brokers",
        _("Broker leads"),
        _("Brokers and companies named again and again: leads for the task force."),
    ),
    Page(
        "abroad:countries",
        _("Workers abroad"),
        _("Who is where, per country, and when we last heard from them."),
    ),
    Page(
        "cases:arrivals",
        _("Arrivals board"),
        _("Who lands when and where, what each needs, who meets them."),
    ),
    Page(
        "cases:evacuations",
        _("Evacuations"),
        _("Mass evacuations: many people from one country, flight by flight."),
    ),
    Page(
        "reintegration:due",
        _("Returnees and their plans"),
        _("Returnees waiting for a reintegration plan, late ones first; follow-ups due."),
    ),
    Page(
        "reintegration:outcomes",
        _("Reintegration outcomes"),
        _("Returnees' plans, services and sustainability scores per programme and city."),
    ),
    # --- figures (garda/reports): the staff dashboards ---
    Page(
        "reports:index",
        _("Figures"),
        _("Dashboards: registrations, training, placements, cases, referrals and more."),
    ),
    # --- outreach (garda/outreach) ---
    Page(
        "outreach:event_list",
        _("Outreach events"),
        _("Socialisation, job fairs, G-to-G sessions: registration, check-in, attendance."),
    ),
    Page(
        "outreach:subscription",
        _("Announcements I receive"),
        _("G-to-G calls, training batches and warnings for your city and interests."),
    ),
    Page("audit:event_list", _("Audit trail"), _("Who did or saw what, with a verifiable chain.")),
    Page("admin:index", _("Administration"), _("Manage users, roles and agencies.")),
    Page(
        "compliance:retention",
        _("Retention of personal data"),
        _("How long each kind of record is kept, and what is past its time."),
    ),
    Page(
        "compliance:holds",
        _("Legal holds"),
        _("Keep a person or a case out of the purge during a dispute or investigation."),
    ),
    Page(
        "compliance:incidents",
        _("Incident register"),
        _("Personal data breaches: the persons touched, told within 3 × 24 hours."),
    ),
    Page(
        "referrals:list",
        _("Referrals"),
        _("Services asked of other agencies for a case, and their answers."),
    ),
    # --- all staff ---
    Page(
        "people:nik_check",
        _("Check NIK"),
        _("Validate a 16-digit NIK: region, birth date, sex."),
    ),
    Page(
        "accounts:agency_list",
        _("Agencies"),
        _("Contacts of the agencies Pasukan Putih works with."),
    ),
    # --- everyone signed in ---
    Page(
        "accounts:notifications",
        _("Notifications"),
        _("Messages about your documents, training and appointments."),
        badge=True,
    ),
    Page(
        "accounts:account",
        _("My account"),
        _("Password, two-factor sign-in and the API documentation."),
    ),
)
PAGES: dict[str, Page] = {page.url_name: page for page in _PAGES}

# A role's own label for a page.
LABEL_FOR: dict[str, dict[str, Promise]] = {
    roles.ADMIN: {"training:teach": _("Training batches")},
    # The worker's "Pelatihan" is their own training; the catalogue is apart.
    roles.WORKER: {
        "training:catalogue": _("Training catalogue"),
        "jobs:placement_list": _("My placements"),
    },
}

# The main menu per role, in order.
MENUS: dict[str, tuple[str, ...]] = {
    ANONYMOUS: (
        "home",
        "destinations:destination_index",
        "training:catalogue",
        "help",
        "accounts:login",
    ),
    NO_ROLE: ("home", "destinations:destination_index", "training:catalogue", "help"),
    roles.WORKER: (
        "home",
        "destinations:my_readiness",
        "documents:mine",
        "training:my_training",
        "help",
    ),
    roles.OFFICER: (
        "home",
        "cases:list",
        "accompaniment:worklist",
        "documents:queue",
        "people:list",
    ),
    roles.SUPERVISOR: (
        "home",
        "cases:dashboard",
        "accompaniment:workload",
        "people:list",
        "audit:event_list",
    ),
    roles.TRAINER: ("home", "training:teach", "training:catalogue", "help"),
    roles.RECRUITER: ("home", "jobs:order_list", "jobs:employer_list", "help"),
    roles.PARTNER: (
        "home",
        "referrals:list",
        "people:nik_check",
        "accounts:agency_list",
        "help",
    ),
    roles.ADMIN: (
        "home",
        "admin:index",
        "people:list",
        "audit:event_list",
        "help",
    ),
}

# The other pages a role's home page lists ("Halaman lain"), in order.
MORE: dict[str, tuple[str, ...]] = {
    ANONYMOUS: (),
    NO_ROLE: ("accounts:notifications", "accounts:account"),
    roles.WORKER: (
        "jobs:my_applications",
        "cases:mine",
        "jobs:placement_list",
        "abroad:mine",
        "reintegration:mine",
        "people:me",
        "privacy:mine",
        "accompaniment:mine",
        "family:mine",
        "training:my_certificates",
        "jobs:my_matches",
        "outreach:subscription",
        "training:catalogue",
        "destinations:destination_index",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.OFFICER: (
        "jobs:departures",
        "referrals:list",
        "jobs:order_list",
        "jobs:placement_list",
        "jobs:orientation_list",
        "people:register",
        "interceptions:list",
        "interceptions:new",
        "abroad:countries",
        "cases:arrivals",
        "cases:evacuations",
        "reintegration:due",
        "reintegration:outcomes",
        "reports:index",
        "outreach:event_list",
        "privacy:corrections",
        "documents:expiring",
        "jobs:listing_list",
        "jobs:employer_list",
        "jobs:partner_list",
        "people:nik_check",
        "accounts:agency_list",
        "training:catalogue",
        "destinations:destination_index",
        "help",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.SUPERVISOR: (
        "cases:list",
        "interceptions:list",
        "interceptions:new",
        "interceptions:brokers",
        "referrals:list",
        "documents:queue",
        "privacy:corrections",
        "privacy:sharing_list",
        "abroad:countries",
        "cases:arrivals",
        "cases:evacuations",
        "reintegration:due",
        "reintegration:outcomes",
        "reports:index",
        "outreach:event_list",
        "accompaniment:worklist",
        "people:register",
        "documents:expiring",
        "destinations:rules_destinations",
        "training:outcomes",
        "jobs:departures",
        "jobs:order_list",
        "jobs:placement_list",
        "jobs:orientation_list",
        "jobs:listing_list",
        "jobs:employer_list",
        "jobs:partner_list",
        "people:nik_check",
        "accounts:agency_list",
        "training:catalogue",
        "destinations:destination_index",
        "compliance:holds",
        "referrals:dashboard",
        "help",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.TRAINER: (
        "people:nik_check",
        "accounts:agency_list",
        "destinations:destination_index",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.PARTNER: (
        "destinations:destination_index",
        "referrals:dashboard",
        "training:catalogue",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.RECRUITER: (
        "jobs:placement_list",
        "jobs:partner_list",
        "destinations:destination_index",
        "training:catalogue",
        "accounts:notifications",
        "accounts:account",
    ),
    roles.ADMIN: (
        "jobs:register_list",
        "jobs:order_list",
        "jobs:departures",
        "jobs:placement_list",
        "jobs:orientation_list",
        "jobs:listing_list",
        "jobs:employer_list",
        "jobs:partner_list",
        "cases:dashboard",
        "referrals:dashboard",
        "cases:list",
        "interceptions:list",
        "interceptions:brokers",
        "referrals:list",
        "accompaniment:workload",
        "accompaniment:worklist",
        "documents:queue",
        "documents:expiring",
        "people:register",
        "privacy:corrections",
        "privacy:sharing_list",
        "abroad:countries",
        "cases:evacuations",
        "reintegration:due",
        "reintegration:outcomes",
        "reports:index",
        "outreach:event_list",
        "destinations:rules_destinations",
        "training:teach",
        "training:outcomes",
        "people:nik_check",
        "accounts:agency_list",
        "training:catalogue",
        "destinations:destination_index",
        "compliance:retention",
        "compliance:holds",
        "compliance:incidents",
        "accounts:notifications",
        "accounts:account",
    ),
}


def role_of(user) -> str:
    """The key the tables are read with: a role, NO_ROLE or ANONYMOUS."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return user.role or NO_ROLE


def _is_current(url: str, path: str | None) -> bool:
    if not path:
        return False
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url)


def _link(url_name: str, role: str) -> Link:
    page = PAGES[url_name]
    return Link(
        url_name=url_name,
        url=reverse(url_name),
        label=LABEL_FOR.get(role, {}).get(url_name, page.label),
        badge=page.badge,
        text=page.text,
    )


def menu_for(role: str, path: str | None = None) -> list[Link]:
    """The main menu's links for a role, in order (log out is a form, not listed);
    with `path`, the link of the page being shown is `current`."""
    links = [_link(name, role) for name in MENUS.get(role, MENUS[NO_ROLE])]
    if path:
        # Only the best match is current (/training/me/ is not also /training/).
        best = max(
            (link for link in links if _is_current(link.url, path)),
            key=lambda link: len(link.url),
            default=None,
        )
        links = [replace(link, current=True) if link is best else link for link in links]
    return links


def cards_for(role: str) -> list[Link]:
    """The other pages the role's home page lists, in order."""
    return [_link(name, role) for name in MORE.get(role, MORE[NO_ROLE])]
