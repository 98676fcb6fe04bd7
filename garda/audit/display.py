"""Audit rows in words for the reader (issue 20): the stored values stay as they are
(the chain is hashed; a row is never rewritten), only what a page shows is mapped.

- `object_label("people.person")` → "data diri"; any other model: its verbose name;
- `reason_label("worklist of user 3")` → "daftar kerja petugas"; the reasons the code
  writes (an exact word, or a pattern with an id in it) have a label; anything else
  was typed by a person (a status change's reason, a rejection) and is shown as typed;
- `field_labels("people.person", ["full_name"])` → ["nama lengkap (sesuai KTP)"];
- `role_label("officer")` → "Petugas (Pasukan Putih)".
"""

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# What an audited object is, for a reader who does not know the code's model names.
OBJECTS = {
    "people.person": _("personal data"),
    "people.statuschange": _("status"),
    "people.consent": _("consent"),
    "people.familycontact": _("family contact"),
    "people.duplicatecandidate": _("possible duplicate"),
    "people.importjob": _("import from a file"),
    "documents.document": _("document"),
    "accounts.user": _("user account"),
    "accounts.apitoken": _("API token"),
    "accounts.notification": _("notification"),
    "reports.snapshot": _("figures"),
    "accompaniment.task": _("task or appointment"),
    "accompaniment.contact": _("contact"),
    "accompaniment.assignment": _("accompanying officer"),
    "destinations.plan": _("placement plan"),
    "destinations.readiness": _("readiness"),
    "training.enrolment": _("training enrolment"),
    "training.certificate": _("certificate"),
    "training.batch": _("training batch"),
    "training.session": _("training session"),
    "cases.case": _("protection case"),
    "cases.note": _("case note"),
    "cases.casetask": _("case task"),
    "cases.service": _("service on a case"),
    "cases.approval": _("closing approval"),
    "cases.casedocument": _("case document"),
    "cases.repatriation": _("repatriation"),
    "cases.repatriationstep": _("repatriation step"),
    "cases.repatriationstatement": _("signed statement"),
    "cases.evacuation": _("evacuation"),
    # issue 19: personal data rights
    "privacy.correctionrequest": _("correction request"),
    "privacy.sharingrecord": _("data sharing"),
    # issue 19: retention (garda/compliance); holds and incidents are models
    "compliance.purge": _("retention purge"),
}

# The reasons the code writes, word for word.
REASONS = {
    # issue 19: a worker trying a NIK another record holds, a refused identity change
    "nik in use by another record": _("tried a NIK another record holds"),
    "too many nik attempts": _("too many NIK attempts"),
    "change identity numbers": _("change identity numbers"),
    "registration": _("registration"),
    "import": _("import from a file"),
    "accompaniment": _("accompaniment page"),
    "timeline": _("timeline"),
    "tasks": _("tasks and appointments"),
    "contacts": _("contacts"),
    "readiness": _("readiness"),
    "readiness summary pdf": _("readiness summary (PDF)"),
    # issue 15: a company (or an officer) reading an applicant (garda/jobs/applicants.py)
    "job application": _("job application"),
    "job matching": _("matching for a job order"),
    "my accompaniment": _("own accompaniment page"),
    "my training": _("own training page"),
    "documents": _("documents"),
    "queue": _("verification queue"),
    "expiring": _("expiring documents"),
    "plan": _("placement plan"),
    "reassign": _("moved to another officer"),
    "reminder": _("reminder"),
    "workload": _("workload per officer"),
    "inbox": _("notifications"),
    "certificates": _("certificates"),
    "certificate pdf": _("certificate (PDF)"),
    "course certificate": _("course certificate"),
    "public verification": _("public certificate check"),
    "training recommendations": _("recommended courses"),
    "enrolments": _("training enrolments"),
    "roster": _("roster of a batch"),
    "attendance": _("attendance"),
    "assessments": _("assessments"),
    "completion": _("completion of a course"),
    "waitlist_promote": _("seat from the waiting list"),
    "revoked": _("certificate revoked"),
    "batch cancelled": _("batch cancelled"),
    "verified on upload": _("verified on upload"),
    "verified": _("verified"),
    "rejected": _("rejected"),
    "admin": _("administration screen"),
    "demo": _("demo data"),
    "own": _("own case page"),
    "own list": _("own reports and cases"),
    "tracking": _("report followed by its number"),
    "interception: person linked": _("interception linked to a registry person"),
    "interception: person registered and linked": _(
        "person registered from an interception and linked"
    ),
    "tracking: family restricted": _("report followed by a family member the worker stopped"),
    "closing approval requested": _("closing sent for approval"),
    "duplicate": _("marked as a duplicate report"),
    "escalation": _("overdue deadline escalated"),
    "severity": _("severity changed"),
    "assign": _("officer assigned"),
    "link person": _("linked to the registry"),
    "link person (provisional)": _("added to the registry from a report"),
    "notes": _("case notes"),
    "services": _("services on a case"),
    # issue 19: personal data rights (garda/privacy)
    "data export json": _("download of all personal data (JSON)"),
    "data export pdf": _("download of all personal data (PDF)"),
    "my data": _("own data page"),
    "data export page": _("personal data export page"),
    "correction requests": _("correction requests"),
    "correction request": _("correction request"),
    "correction accepted": _("correction accepted"),
    "correction rejected": _("correction rejected"),
    "sharing list": _("data sharing list"),
    "sharing ended": _("data sharing ended"),
    "consent withdrawn": _("consent withdrawn"),
    # issue 19: retention, legal holds, incidents (garda/compliance)
    "hold lifted": _("legal hold lifted"),
    "retention rules": _("retention rules page"),
    "incident list": _("incident register"),
    # issue 14: lapor diri (garda/abroad)
    "stays abroad": _("stays abroad"),
    "stay reported": _("stay abroad reported"),
    "stay taken by officer": _("stay abroad taken by an officer"),
    "stay updated": _("stay abroad updated"),
    "stay ended": _("stay abroad ended"),
    "check-in answered": _("check-in answered"),
    "check-in asked": _("check-in asked"),
    "contract reminder": _("contract-end reminder"),
    "lost contact": _("lost contact signalled"),
    "countries overview": _("workers abroad per country"),
    # issue 15: placement and departure (garda/jobs)
    "placement": _("placement page"),
    "departures board": _("departures board"),
    # issue 16: repatriation (garda/cases)
    "repatriation cancelled": _("repatriation cancelled"),
    "repatriations": _("a case's repatriations"),
    "statement pdf": _("signed repatriation statement (PDF)"),
    # issue 16: reintegration (garda/reintegration)
    "reintegration outcomes": _("reintegration outcomes"),
    "api reintegration outcomes": _("reintegration outcomes (API)"),
    "reintegration": _("reintegration plan"),
    "reintegration worklist": _("returnees waiting for a plan"),
    "plan made late": _("reintegration plan made after its deadline"),
    "return date corrected": _("return date of a reintegration plan corrected"),
    "reintegration plan completed": _("reintegration plan completed"),
    "plan withdrawn": _("reintegration plan withdrawn"),
    "instrument loaded": _("survey instrument loaded"),
    "instrument loaded and activated": _("survey instrument loaded and put in use"),
    "instrument activated": _("survey instrument put in use"),
    # garda/reports: the staff dashboards
    "api figures": _("figures (API)"),
    # outreach (garda/outreach)
    "attendance list": _("attendance list of an event"),
    "api attendance list": _("attendance list of an event (API)"),
    "attendance list csv": _("attendance list of an event (CSV)"),
    "walk-in": _("registered and checked in at the door"),
    "check-in": _("checked in at an event"),
    "announcement published": _("announcement published"),
}

# Reasons with an id or a count in them.
PATTERNS = [
    (re.compile(r"worklist of user \d+"), _("officer's worklist")),
    (re.compile(r"reassign list of user \d+"), _("moving persons between officers")),
    (re.compile(r"reassign: .*"), _("moved to another officer")),
    (re.compile(r"outcomes by .*"), _("training outcomes")),
    (re.compile(r"merged into .*|absorbed \d+"), _("merged with a duplicate record")),
    (re.compile(r"commit from row \d+"), _("import from a file")),
    (re.compile(r"file page \d+"), _("document file")),
    (re.compile(r"replaced by .*|replaces plan \d+"), _("replaced by a newer version")),
    (re.compile(r"\w+ -> \w+"), _("status change")),
    (re.compile(r"enrolment \d+|closed: .*|batch closed: .*"), _("completion of a course")),
    (re.compile(r"external, document \d+"), _("certificate obtained elsewhere")),
    (re.compile(r"certificate \d+ revoked"), _("certificate revoked")),
    (re.compile(r"attendance of \d+ enrolments"), _("attendance")),
    (re.compile(r"unit \d+: \d+ assessments"), _("assessments")),
    (re.compile(r"\d+ sessions"), _("training schedule")),
    (re.compile(r"cancelled; .*"), _("batch cancelled")),
    (re.compile(r"expiry reminders: .*"), _("expiry reminders")),
    (re.compile(r"all read: \d+"), _("notifications")),
    (re.compile(r"channel \w+"), _("new report")),
    (re.compile(r"closing (approved|rejected)"), _("decision on closing a case")),
    (re.compile(r"reopen -> \w+"), _("case reopened")),
    (re.compile(r"screening \w+"), _("forced-labour screening")),
    (re.compile(r"sharing \d+"), _("data shared with another agency")),
    (re.compile(r"override: sharing \d+"), _("data shared without consent")),
    # Identity look-ups (garda/people/services/lookups.py; issue 19).
    (re.compile(r"search index=.* found=\d+"), _("registry search by identity number")),
    (re.compile(r"register index=.* found=1"), _("a NIK already registered was entered")),
    (re.compile(r"check index=.* found=1"), _("a number checked against the record: it matched")),
    (
        re.compile(r"check index=.* found=0"),
        _("a number checked against the record: it did not match"),
    ),
    (re.compile(r"identity look-ups over the budget"), _("too many identity number look-ups")),
    (
        re.compile(r"over the budget|\d+ identity look-ups found nothing|\d+ numbers with .*"),
        _("identity look-ups that look like trying numbers"),
    ),
    # issue 14 (garda/referrals)
    (re.compile(r"referral on (consent|override)"), _("case referred to another agency")),
    (re.compile(r"override: referral \d+"), _("case referred without consent")),
    (re.compile(r"referral RJK-\d+-\d+(,RJK-\d+-\d+)*"), _("case read through a referral")),
    (re.compile(r"referral \d+ reported"), _("service reported by the receiving agency")),
    (
        re.compile(r"referral (accepted|declined|reported) on behalf \(\w+\)"),
        _("agency's answer to a referral, recorded on its behalf"),
    ),
    (re.compile(r"referral (accepted|declined|reported)"), _("agency's answer to a referral")),
    (re.compile(r"referral (closed|cancelled)"), _("referral closed or withdrawn")),
    (
        re.compile(r"referral closed: case (closed|duplicate)"),
        _("referral closed with its case"),
    ),
    # issue 19 (garda/compliance)
    (re.compile(r"hold on (person|case) \d+"), _("legal hold placed")),
    (re.compile(r"purge( done)?:? .*"), _("retention purge")),
    (re.compile(r"persons from audit of user \d+: .*"), _("persons touched, from the audit trail")),
    (re.compile(r"notified: .*"), _("persons told of an incident")),
    # issue 14 (garda/abroad)
    (re.compile(r"country list [A-Z]{2}"), _("workers abroad in one country")),
    # issue 15 (garda/jobs)
    (re.compile(r"worker card pdf, placement \d+"), _("worker card (PDF)")),
    (re.compile(r"csv siskop2mi, \d+ rows"), _("placements export for SISKOP2MI")),
    (re.compile(r"placement \d+"), _("BPJS and visa numbers of a placement")),
    # issue 16: repatriation (garda/cases)
    (re.compile(r"repatriation: \w+"), _("repatriation started")),
    (re.compile(r"repatriation step done: \w+"), _("repatriation step done")),
    (re.compile(r"repatriation step not_needed: \w+"), _("repatriation step not needed")),
    (re.compile(r"repatriation step not needed: \w+"), _("repatriation step not needed")),
    (re.compile(r"statement: \w+"), _("signed repatriation statement")),
    (re.compile(r"statement BA-\d+-\d+"), _("signed repatriation statement (PDF)")),
    (re.compile(r"reintegration outcomes csv \w+"), _("reintegration outcomes download (CSV)")),
    # garda/reports: the staff dashboards
    (re.compile(r"figures [\w-]*"), _("figures (dashboard)")),
    (re.compile(r"figures (csv|xlsx) [\w-]+ [\w-]+"), _("figures download")),
    (re.compile(r"csv cpmi registrations, \d+ rows"), _("registrations export for SISKOP2MI")),
    # outreach (garda/outreach)
    (re.compile(r"event (planned|open|closed|cancelled)"), _("outreach event status changed")),
]


def object_label(object_type: str) -> str:
    """What kind of thing an audit row is about, in words."""
    if object_type in OBJECTS:
        return str(OBJECTS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def reason_label(reason: str) -> str:
    """A reason written by the code, in words; a reason a person typed, as typed."""
    if not reason:
        return ""
    if reason in REASONS:
        return str(REASONS[reason])
    for pattern, label in PATTERNS:
        if pattern.fullmatch(reason):
            return str(label)
    return reason


def field_labels(object_type: str, fields) -> list[str]:
    """The changed fields by their labels ("nama lengkap"), not their code names."""
    try:
        meta = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return list(fields or ())
    labels = []
    for name in fields or ():
        try:
            # A field without a verbose name of its own has its code name ("person"):
            # the catalogue often has that word.
            field = meta.get_field(name)
            labels.append(gettext(str(getattr(field, "verbose_name", name))))
        except FieldDoesNotExist:
            labels.append(name)
    return labels


# The roles' names, given by the accounts app when it starts (it sits above audit in
# the layers: docs/architecture.md).
ROLE_LABELS: dict = {}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role)) if role else ""


def label_events(events) -> None:
    """Put the words on each event of a page (in memory only: never saved)."""
    for event in events:
        event.object_label = object_label(event.object_type)
        event.reason_label = reason_label(event.reason)
        event.field_labels = field_labels(event.object_type, event.changed_fields)
        event.role_label = role_label(event.actor_role)
