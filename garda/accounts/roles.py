"""The roles of Garda (docs/design.md, "Who uses it"), each a Django group of that name."""

from django.utils.translation import gettext_lazy as _

ADMIN = "admin"
SUPERVISOR = "supervisor"
OFFICER = "officer"
TRAINER = "trainer"
PARTNER = "partner"
# Staff of a licensed placement company (garda/jobs): their own company's job orders.
RECRUITER = "recruiter"
WORKER = "worker"

# Ordered from most to least privileged: a user's role is the first group they are in.
ALL = (ADMIN, SUPERVISOR, OFFICER, TRAINER, PARTNER, RECRUITER, WORKER)
# Roles that sign in with a second factor and a short idle timeout.
STAFF = frozenset({ADMIN, SUPERVISOR, OFFICER, TRAINER, PARTNER, RECRUITER})
# Government staff and their partners (the agency directory): not a private company.
GOVERNMENT = STAFF - {RECRUITER}

LABELS = {
    ADMIN: _("Administrator"),
    SUPERVISOR: _("Supervisor"),
    OFFICER: _("Officer (Pasukan Putih)"),
    TRAINER: _("Trainer"),
    PARTNER: _("Agency partner"),
    RECRUITER: _("Placement company staff"),
    WORKER: _("Worker"),
}
CHOICES = [(role, LABELS[role]) for role in ALL]

# Explicit permissions per role ("app_label.codename"); a migration creates the groups
# and grants exactly these. Later apps add their own codenames here and a migration.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    ADMIN: (
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_agency",
        "accounts.add_agency",
        "accounts.change_agency",
        "accounts.view_apitoken",
        "accounts.delete_apitoken",
        "audit.view_auditevent",
        "audit.view_all_auditevents",
        "places.view_region",
        "places.view_country",
        # Reference data maintained in the admin screen (audited there); destination
        # rules are changed on their own audited pages, the admin screen only lists them.
        "documents.view_documenttype",
        "documents.add_documenttype",
        "documents.change_documenttype",
        "destinations.view_destination",
        "destinations.view_scheme",
        "destinations.view_sectorrule",
        "destinations.view_requirementset",
        # The training catalogue's reference data (providers, SKKNI units, courses).
        "training.view_provider",
        "training.add_provider",
        "training.change_provider",
        "training.view_competencyunit",
        "training.add_competencyunit",
        "training.change_competencyunit",
        "training.view_course",
        "training.add_course",
        "training.change_course",
        # Reintegration programmes (garda/reintegration), reference data like the courses.
        "reintegration.view_programme",
        "reintegration.add_programme",
        "reintegration.change_programme",
        # The licence register and the problematic list are changed on their own
        # audited pages (garda/jobs); the admin screen only lists them.
        "jobs.view_placementagency",
        "jobs.view_employer",
        "jobs.view_foreignpartner",
        "jobs.view_problemlisting",
        "jobs.view_joborder",
    ),
    SUPERVISOR: (
        "accounts.view_user",
        "accounts.view_agency",
        "audit.view_auditevent",
        "places.view_region",
        "places.view_country",
    ),
    OFFICER: ("accounts.view_agency", "places.view_region", "places.view_country"),
    TRAINER: ("accounts.view_agency", "places.view_region", "places.view_country"),
    PARTNER: ("accounts.view_agency", "places.view_region", "places.view_country"),
    RECRUITER: ("places.view_region", "places.view_country"),
    WORKER: ("places.view_region", "places.view_country"),
}
