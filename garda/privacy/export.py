"""Everything Garda holds about a person, for them (UU 27/2022 art. 7 and 32: the
right to access and to obtain a copy of one's personal data in a common,
machine-readable form). `collect` gathers it in one dictionary, one section per app
(docs/privacy.md, "The export": every key explained); `render_json` and
pdf.render_pdf write it out.

What a section holds is what the worker may see of it on their own pages: their
identity numbers in full (it is their own record), their health results, the
officers who accompany them and their appointments (never the officers' internal
task notes or contact summaries), their cases as their own case pages show them
(stage, holder, shared messages; never internal notes, screening or severity, nor
what someone else reported about them), their notifications, and who accessed their
record (people/access_log.py). Files are listed with where to download them, not
embedded.

The number of queries does not grow with the number of records (test_export).
"""

import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from garda.accompaniment.models import Contact, Task
from garda.accounts.models import Agency, Notification
from garda.audit.display import label_events
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.display import author_text, holder_text, stage_text, worker_next_step
from garda.cases.models import Case, CaseDocument, CaseKind, Note
from garda.cases.models import Status as CaseStatus
from garda.destinations.readiness import current_plan, readiness_for
from garda.destinations.rules import redact_for
from garda.documents.models import Document, DocumentFile
from garda.links import absolute_url
from garda.people.access_log import access_events
from garda.people.models import Person
from garda.privacy.models import CorrectionEvent, CorrectionRequest
from garda.training.models import Certificate, Enrolment

FORMAT = "garda.personal-data-export"
VERSION = 1
SECTIONS = (
    "profile",
    "identity",
    "family_contacts",
    "consents",
    "documents",
    "readiness",
    "accompaniment",
    "training",
    "job_applications",
    "cases",
    "notifications",
    "correction_requests",
    "sharing",
    "access_log",
)
IDENTITY_NUMBERS = ("nik", "kk_number", "passport_number")


def _dt(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _label(obj, name: str) -> str:
    value = getattr(obj, name)
    return str(getattr(obj, f"get_{name}_display")()) if value else ""


class _Someone:
    """Who reads the case messages when the person has no account (the desk): no one
    in particular, so no message is theirs."""

    pk = None


def collect(person: Person, *, now: datetime | None = None) -> dict:
    """The export of `person` (their record fetched by the caller through the gate)."""
    now = now or timezone.now()
    sections = {
        "profile": _profile(person),
        "identity": _identity(person),
        "family_contacts": _family(person),
        "consents": _consents(person),
        "documents": _documents(person),
        "readiness": _readiness(person),
        "accompaniment": _accompaniment(person, now),
        "training": _training(person),
        # Garda keeps no job applications yet (the jobs app publishes vacancies; a
        # worker applies to the company): the section is there so that the shape
        # does not change when it does.
        "job_applications": [],
        "cases": _cases(person),
        "notifications": _notifications(person),
        "correction_requests": _corrections(person),
        "sharing": _sharing(person),
        "access_log": _access_log(person),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _dt(now),
        "person": {"reference": person.reference, "full_name": person.full_name},
        "law": "UU 27/2022 (Pelindungan Data Pribadi), pasal 7 dan 32",
        "sections": sections,
    }


def render_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_audit(*, actor, person: Person, fmt: str) -> None:
    """The EXPORT row of one export (it holds the identity numbers in full)."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=person,
        changed_fields=list(IDENTITY_NUMBERS),
        reason=f"data export {fmt}",
    )


# --- the sections -------------------------------------------------------------------------


def _profile(person: Person) -> dict:
    village = person.village
    return {
        "reference": person.reference,
        "full_name": person.full_name,
        "other_names": person.other_names,
        "sex": person.sex,
        "sex_label": _label(person, "sex"),
        "birth_date": _d(person.birth_date),
        "birth_place": person.birth_place,
        "marital_status": person.marital_status,
        "marital_status_label": _label(person, "marital_status"),
        "address": person.address_line,
        "village_code": person.village_id or "",
        "village_name": village.name if village is not None else "",
        "phone": person.phone,
        "email": person.email,
        "education_level": person.education_level,
        "education_label": _label(person, "education_level"),
        "education_field": person.education_field,
        "status": person.status,
        "status_label": _label(person, "status"),
        "route": person.route,
        "route_label": _label(person, "route"),
        "training_only": person.training_only,
        "registered_at": _dt(person.created_at),
        "updated_at": _dt(person.updated_at),
        "skills": [
            {"occupation_code": s.occupation_code, "title": s.title}
            for s in person.skills.order_by("id")
        ],
        "languages": [
            {"language": lang.language, "scale": lang.scale, "level": lang.level}
            for lang in person.languages.order_by("id")
        ],
        "work_experience": [
            {
                "employer": w.employer,
                "country": w.country_id,
                "occupation_code": w.occupation_code,
                "from": _d(w.started_on),
                "until": _d(w.ended_on),
            }
            for w in person.experience.order_by("started_on", "id")
        ],
        "status_history": [
            {
                "from": c.from_status,
                "to": c.to_status,
                "to_label": _label(c, "to_status"),
                "at": _dt(c.changed_at),
            }
            for c in person.status_changes.order_by("changed_at", "id")
        ],
    }


def _identity(person: Person) -> dict:
    return {
        "nik": person.nik,
        "kk_number": person.kk_number,
        "passport_number": person.passport_number,
        "verified": person.identity_verified,
        "verified_at": _dt(person.identity_verified_at),
    }


def _family(person: Person) -> list[dict]:
    return [
        {
            "name": c.name,
            "relation": c.relation,
            "relation_label": _label(c, "relation"),
            "phone": c.phone,
            "emergency_contact": c.is_emergency_contact,
            "gives_family_consent": c.gives_consent,
        }
        for c in person.family.order_by("id")
    ]


def _consents(person: Person) -> list[dict]:
    rows = person.consents.prefetch_related("agencies").order_by("given_at", "id")
    return [
        {
            "purpose": c.purpose,
            "purpose_label": _label(c, "purpose"),
            "agencies": [a.name for a in c.agencies.all()],
            "text_version": c.text_version,
            "given_at": _dt(c.given_at),
            "source": c.source,
            "source_label": _label(c, "source"),
            "withdrawn_at": _dt(c.withdrawn_at),
            "in_force": c.withdrawn_at is None,
        }
        for c in rows
    ]


def _documents(person: Person) -> list[dict]:
    rows = (
        Document.objects.filter(person=person)
        .select_related("type")
        .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.order_by("page")))
        .order_by("type__order", "uploaded_at", "id")
    )
    out = []
    for d in rows:
        out.append(
            {
                "id": d.pk,
                "type": d.type.code,
                "type_name": d.type.name,
                "number": d.number,
                "issued_on": _d(d.issued_on),
                "expires_on": _d(d.expires_on),
                "level": d.level,
                "note": d.note,
                "status": d.status,
                "status_label": _label(d, "status"),
                "rejection_reason": d.rejection_reason,
                "uploaded_at": _dt(d.uploaded_at),
                "reviewed_at": _dt(d.reviewed_at),
                "files": [
                    {
                        "page": f.page,
                        "content_type": f.content_type,
                        "size": f.size,
                        "sha256": f.sha256,
                        # Signed in as the worker: the page, or the API with a token.
                        "download": absolute_url(reverse("documents:file", args=[d.pk, f.page])),
                        "download_api": absolute_url(f"/api/v1/documents/{d.pk}/files/{f.page}"),
                    }
                    for f in d.files.all()
                ],
            }
        )
    return out


def _readiness(person: Person) -> dict | None:
    plan = current_plan(person)
    if plan is None:
        return None
    result = readiness_for(person, plan)
    # The worker sees their own health results: nothing to redact for them.
    data = redact_for(result, True).to_dict() if result is not None else None
    return {
        "destination": plan.destination.code,
        "destination_name": plan.destination.display_name,
        "scheme": plan.scheme.code,
        "scheme_name": plan.scheme.display_name,
        "sector": plan.sector,
        "sector_label": _label(plan, "sector"),
        "planned_departure": _d(plan.planned_departure),
        "result": data,
    }


def _officer(user) -> dict:
    agency = getattr(user, "agency", None)
    return {
        "name": user.full_name or "",
        "agency": agency.name if agency is not None else "",
    }


def _accompaniment(person: Person, now: datetime) -> dict:
    assignments = person.assignments.select_related("officer__agency").order_by("assigned_at", "id")
    appointments = (
        Task.objects.filter(person=person, kind=Task.Kind.APPOINTMENT)
        .select_related("officer__agency")
        .order_by("due_at", "id")
    )
    contacts = (
        Contact.objects.filter(person=person)
        .select_related("officer__agency")
        .order_by("happened_at", "id")
    )
    return {
        "officers": [{**_officer(a.officer), "since": _dt(a.assigned_at)} for a in assignments],
        # What, where, when and with whom: the task's internal note stays with the
        # officers, as on the worker's page.
        "appointments": [
            {
                "title": t.title,
                "place": t.place,
                "at": _dt(t.due_at),
                "officer": _officer(t.officer),
                "state": (
                    "done"
                    if t.done_at
                    else "cancelled"
                    if t.cancelled_at
                    else "past"
                    if t.due_at < now
                    else "planned"
                ),
            }
            for t in appointments
        ],
        # That a contact happened, when, how and with whom; its summary is the
        # officer's internal note.
        "contacts": [
            {
                "at": _dt(c.happened_at),
                "channel": c.channel,
                "channel_label": _label(c, "channel"),
                "officer": _officer(c.officer),
            }
            for c in contacts
        ],
    }


def _training(person: Person) -> dict:
    enrolments = (
        Enrolment.objects.filter(person=person)
        .select_related("batch__course", "batch__provider__agency")
        .order_by("queued_at", "id")
    )
    certificates = Certificate.objects.filter(person=person).order_by("issued_on", "id")
    return {
        "enrolments": [
            {
                "course": e.batch.course.title,
                "batch": e.batch.code,
                "provider": e.batch.provider.name,
                "starts_on": _d(e.batch.starts_on),
                "ends_on": _d(e.batch.ends_on),
                "status": e.status,
                "status_label": _label(e, "status"),
                "reason": e.reason,
                "enrolled_at": _dt(e.created_at),
                "completed_on": _d(e.completed_on),
            }
            for e in enrolments
        ],
        "certificates": [
            {
                "number": c.number,
                "title": c.title,
                "issuer": c.issuer_name,
                "source": c.source,
                "kkni_level": c.kkni_level,
                "level": c.level,
                "units": c.units,
                "issued_on": _d(c.issued_on),
                "expires_on": _d(c.expires_on),
                "status": c.status,
                "status_label": _label(c, "status"),
                "revoked_reason": c.revoked_reason,
                "public_check": absolute_url(
                    reverse("training:verify", args=[c.verification_code])
                ),
            }
            for c in certificates
        ],
    }


def own_case_rows(person: Person):
    """The person's cases as their own case pages list them (cases.access.own_cases:
    about them, or reported from their account), with what those pages read."""
    about = Q(person=person)
    if person.user_id:
        about |= Q(reporter_user_id=person.user_id)
    return (
        Case.objects.filter(about)
        .exclude(status=CaseStatus.DUPLICATE)
        .select_related("owner__agency", "agency", "country")
        .prefetch_related(
            Prefetch("kinds", queryset=CaseKind.objects.order_by("id"), to_attr="kind_rows"),
            Prefetch(
                "notes",
                queryset=Note.objects.filter(shared=True)
                .select_related("author__agency")
                .order_by("created_at", "id"),
                to_attr="shared_rows",
            ),
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.filter(shared=True).order_by("uploaded_at", "id"),
                to_attr="shared_documents",
            ),
        )
        .order_by("created_at", "id")
    )


def _cases(person: Person) -> list[dict]:
    reader = person.user if person.user_id else _Someone()
    out = []
    for case in own_case_rows(person):
        notes = case.shared_rows
        officer_wrote_last = bool(notes) and not notes[-1].from_reporter
        is_reporter = person.user_id is not None and case.reporter_user_id == person.user_id
        out.append(
            {
                "reference": case.reference,
                "kinds": [k.kind for k in case.kind_rows],
                "kind_labels": [k.get_kind_display() for k in case.kind_rows],
                "status": case.status,
                "stage": case.stage,
                "stage_text": stage_text(case),
                "holder": holder_text(case),
                "next_step": worker_next_step(case, officer_wrote_last),
                "about_me": case.person_id == person.pk,
                "reported_by_me": is_reporter,
                "subject_name": case.subject_name,
                "country": case.country.name_id if case.country_id else "",
                "city": case.city,
                # What someone else reported about the person stays with the officers
                # (the reporter may be at risk), as on the worker's case page.
                "description": case.description if is_reporter else None,
                "created_at": _dt(case.created_at),
                "closed_at": _dt(case.closed_at),
                "closing_reason": case.closing_reason,
                "messages": [
                    {
                        "from": author_text(n, case, reader),
                        "text": n.text,
                        "at": _dt(n.created_at),
                    }
                    for n in notes
                ],
                "documents": [
                    {"title": d.title, "content_type": d.content_type, "at": _dt(d.uploaded_at)}
                    for d in case.shared_documents
                ],
            }
        )
    return out


def _notifications(person: Person) -> list[dict]:
    if not person.user_id:
        return []
    rows = Notification.objects.filter(user_id=person.user_id).order_by("created_at", "id")
    return [
        {
            "title": n.title,
            "body": n.body,
            "link": absolute_url(n.url) if n.url else "",
            "at": _dt(n.created_at),
            "read_at": _dt(n.read_at),
        }
        for n in rows
    ]


def _corrections(person: Person) -> list[dict]:
    from garda.privacy.services.corrections import field_label, value_text

    rows = (
        CorrectionRequest.objects.filter(person=person)
        .prefetch_related(
            Prefetch("events", queryset=CorrectionEvent.objects.order_by("created_at", "id"))
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "field": r.field,
            "field_label": field_label(r.field),
            "requested_value": value_text(r.field, r.requested_value),
            "description": r.description,
            "reason": r.reason,
            "status": r.status,
            "status_label": _label(r, "status"),
            "asked_at": _dt(r.created_at),
            "decided_at": _dt(r.decided_at),
            "decision_reason": r.decision_reason,
            "history": [
                {"event": e.kind, "event_label": _label(e, "kind"), "at": _dt(e.created_at)}
                for e in r.events.all()
            ],
        }
        for r in rows
    ]


def _sharing(person: Person) -> list[dict]:
    rows = person.sharing_records.select_related("agency").order_by("shared_at", "id")
    return [
        {
            "agency": r.agency.name,
            "purpose": r.purpose,
            "parts": r.parts,
            "ground": "consent" if r.consent_id else "override",
            "override_reason": r.override_reason,
            "shared_at": _dt(r.shared_at),
            "ended_at": _dt(r.ended_at),
            "ended_reason": r.ended_reason,
        }
        for r in rows
    ]


def _access_log(person: Person) -> list[dict]:
    """Who accessed the record (people/access_log.py: the same rows as the page)."""
    events = list(access_events(person))
    agencies = dict(
        Agency.objects.filter(
            pk__in={e.actor_agency_id for e in events if e.actor_agency_id}
        ).values_list("pk", "name")
    )
    label_events(events)
    return [
        {
            "at": _dt(e.created_at),
            "who": (
                "self"
                if person.user_id and e.actor_id == person.user_id
                else e.actor_role or "system"
            ),
            "who_label": e.role_label,
            "agency": agencies.get(e.actor_agency_id, ""),
            "action": e.action,
            "action_label": e.get_action_display(),
            "what": e.reason_label,
            "fields": e.field_labels,
        }
        for e in events
    ]
