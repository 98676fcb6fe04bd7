"""The timeline of a person: every contact, task, document, status and plan change,
merged, newest first, paginated.

One UNION query returns the page's (time, kind, id) triples in order (and one the
count), then one query per kind present on the page loads its rows: at most ten
queries whatever the length of the history, no N+1.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import EmptyPage
from django.db.models import CharField, F, QuerySet, Value

from garda.accompaniment.models import Contact, Task
from garda.accounts.models import User
from garda.destinations.models import Plan
from garda.documents.access import may_see_health, visible_documents
from garda.documents.models import Document
from garda.pagination import CappedPaginator
from garda.people.models import Assignment, Person, StatusChange

PAGE_SIZE = 20

CONTACT = "contact"
TASK_CREATED = "task_created"
TASK_DONE = "task_done"
TASK_CANCELLED = "task_cancelled"
DOCUMENT_UPLOADED = "document_uploaded"
DOCUMENT_REVIEWED = "document_reviewed"
STATUS = "status"
PLAN = "plan"
ASSIGNED = "assigned"


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    obj: object
    # Documents: whether the viewer may read a health document's rejection reason.
    show_detail: bool = True

    @property
    def text(self) -> dict:
        return describe(self)


def _events(qs: QuerySet, at: str, kind: str) -> QuerySet:
    return (
        qs.filter(**{f"{at}__isnull": False})
        .order_by()
        .annotate(
            ev_at=F(at),
            ev_kind=Value(kind, output_field=CharField()),
            ev_ref=F("pk"),
        )
        .values_list("ev_at", "ev_kind", "ev_ref")
    )


def timeline_events(user: User, person: Person) -> QuerySet:
    """(time, kind, id) of every event of `person` that `user` may see, newest first.

    The caller has checked that `user` may see the person's accompaniment record;
    documents are filtered again through visible_documents (need to know)."""
    tasks = Task.objects.filter(person=person)
    documents = visible_documents(user).filter(person=person)
    parts = [
        _events(Contact.objects.filter(person=person), "happened_at", CONTACT),
        _events(tasks, "created_at", TASK_CREATED),
        _events(tasks, "done_at", TASK_DONE),
        _events(tasks, "cancelled_at", TASK_CANCELLED),
        _events(documents, "uploaded_at", DOCUMENT_UPLOADED),
        _events(documents, "reviewed_at", DOCUMENT_REVIEWED),
        _events(StatusChange.objects.filter(person=person), "changed_at", STATUS),
        _events(Plan.objects.filter(person=person), "created_at", PLAN),
        _events(Assignment.objects.filter(person=person), "assigned_at", ASSIGNED),
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-ev_at", "-ev_kind", "-ev_ref")


_LOADERS = {
    CONTACT: lambda ids: Contact.objects.select_related("officer").in_bulk(ids),
    "task": lambda ids: Task.objects.select_related("officer", "done_by", "created_by").in_bulk(
        ids
    ),
    "document": lambda ids: _documents(ids),
    STATUS: lambda ids: StatusChange.objects.select_related("actor").in_bulk(ids),
    PLAN: lambda ids: Plan.objects.select_related("destination", "scheme", "created_by").in_bulk(
        ids
    ),
    ASSIGNED: lambda ids: Assignment.objects.select_related(
        "officer__agency", "assigned_by"
    ).in_bulk(ids),
}


def _documents(ids) -> dict:
    # Already filtered by visible_documents in the UNION; only the page's rows load,
    # without their (encrypted) numbers.
    return (
        Document.objects.select_related("type", "uploaded_by", "reviewed_by")
        .defer("number")
        .in_bulk(ids)
    )


def _group(kind: str) -> str:
    if kind.startswith("task_"):
        return "task"
    if kind.startswith("document_"):
        return "document"
    return kind


def timeline_page(
    user: User,
    person: Person,
    page_number,
    *,
    page_size: int | None = None,
    strict: bool = False,
) -> tuple:
    """The page `page_number` of the timeline: (page, entries). A page number out of
    range gives the nearest page; with `strict` (the API) it gives (paginator, [])
    and a page in range (paginator, entries)."""
    paginator = CappedPaginator(timeline_events(user, person), page_size or PAGE_SIZE)
    if strict:
        try:
            page = paginator.page(page_number)
        except EmptyPage:
            return paginator, []
    else:
        page = paginator.get_page(page_number)
    rows = list(page.object_list)
    wanted: dict[str, set[int]] = defaultdict(set)
    for _at, kind, ref in rows:
        wanted[_group(kind)].add(ref)
    loaded = {group: _LOADERS[group](sorted(ids)) for group, ids in wanted.items()}
    health_ok = None
    entries = []
    for at, kind, ref in rows:
        obj = loaded[_group(kind)].get(ref)
        if obj is None:  # deleted between the two queries
            continue
        show = True
        if _group(kind) == "document" and obj.type.is_health:
            if health_ok is None:
                health_ok = may_see_health(user, person)
            show = health_ok
        entries.append(Entry(at=at, kind=kind, obj=obj, show_detail=show))
    return (paginator if strict else page), entries


def _name(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


def _local(value) -> str:
    """A time as the pages show it: "6 Maret 2026, 14.30" (garda/formats)."""
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def describe(entry: Entry) -> dict:
    """What the timeline says about one entry: {"title", "detail", "actor"}, in the
    current language. Used by the page and by the API."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from garda.audit.display import reason_label
    from garda.destinations.models import Sector

    obj, kind = entry.obj, entry.kind
    if kind == CONTACT:
        return {
            "title": _("Contact: %(channel)s") % {"channel": obj.get_channel_display()},
            "detail": obj.summary,
            "actor": _name(obj.officer),
        }
    if kind in (TASK_CREATED, TASK_DONE, TASK_CANCELLED):
        what = obj.get_kind_display()
        if kind == TASK_CREATED:
            title = _("%(kind)s planned for %(when)s: %(title)s") % {
                "kind": what,
                "when": _local(obj.due_at),
                "title": obj.title,
            }
            actor = obj.created_by
        elif kind == TASK_DONE:
            title = _("%(kind)s done: %(title)s") % {"kind": what, "title": obj.title}
            actor = obj.done_by
        else:
            title = _("%(kind)s cancelled: %(title)s") % {"kind": what, "title": obj.title}
            actor = None
        detail = " · ".join(part for part in (obj.place, obj.note) if part)
        return {"title": title, "detail": detail, "actor": _name(actor)}
    if kind == DOCUMENT_UPLOADED:
        return {
            "title": _("Document uploaded: %(type)s") % {"type": obj.type.display_name},
            "detail": "",
            "actor": _name(obj.uploaded_by),
        }
    if kind == DOCUMENT_REVIEWED:
        if obj.rejection_reason:
            return {
                "title": _("Document rejected: %(type)s") % {"type": obj.type.display_name},
                "detail": obj.rejection_reason if entry.show_detail else "",
                "actor": _name(obj.reviewed_by),
            }
        return {
            "title": _("Document verified: %(type)s") % {"type": obj.type.display_name},
            "detail": "",
            "actor": _name(obj.reviewed_by),
        }
    if kind == STATUS:
        change = obj.get_to_status_display()
        if obj.from_status:
            change = f"{obj.get_from_status_display()} → {change}"
        return {
            "title": _("Status: %(change)s") % {"change": change},
            "detail": reason_label(obj.reason),  # "registration" in words
            "actor": _name(obj.actor),
        }
    if kind == PLAN:
        sector = Sector(obj.sector).label if obj.sector in Sector.values else obj.sector
        detail = ""
        if obj.planned_departure:
            detail = _("Planned departure: %(date)s") % {
                "date": date_format(obj.planned_departure, "DATE_FORMAT")
            }
        return {
            "title": _("Placement plan: %(target)s")
            % {"target": f"{obj.destination.display_name} · {obj.scheme.display_name} · {sector}"},
            "detail": detail,
            "actor": _name(obj.created_by),
        }
    officer = obj.officer
    agency = f" ({officer.agency.short_name})" if officer.agency_id else ""
    return {
        "title": _("Accompanied by %(officer)s") % {"officer": _name(officer) + agency},
        "detail": "",
        "actor": _name(obj.assigned_by),
    }
