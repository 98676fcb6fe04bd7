"""Who may see and act on which documents (docs/design.md, "Who sees what").

Documents (their details and files):
- admin, supervisor: every document;
- officer: every document of the persons assigned to them (people.Assignment), and
  the verification queue: every PENDING document of anyone, except identity and
  travel documents (KTP, KK, birth certificate, passport, visa: scans of identity
  papers), which stay with the officers who accompany the person and the staff of a
  civil-registry agency (issue 19). The registry is shared across agencies, and
  verification is shared work, so an officer who is not the person's pendamping may
  open, verify or reject a pending document of another kind; once decided it leaves
  their view again;
- worker: their own documents;
- trainer, partner: none (a partner will see what a referral shares, later).

Health documents (DocumentType.is_health: the medical and psychological result, the
colour-vision test): their number, level, note, files and rejection reason only for
admins, the worker themself, the officers assigned to the person, and the staff
(officer or supervisor) of a health agency (Agency.Kind.HEALTH). Everyone else who
sees the document sees only that it exists, its dates and its state (docs/security.md,
test 4: the keys are left out of the HTML and the API).

Identity numbers: the number of an identity or travel document (KTP, KK, birth
certificate, passport, visa) is shown in full only to those who may reveal the
person's identity numbers (people.access.may_reveal_identity); otherwise masked.

Missing and forbidden are the same 404, and a forbidden look-up writes a
denied-access audit row.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.audit.gate import deny, deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.documents import storage
from garda.documents.models import Category, Document
from garda.people.access import get_person_for
from garda.people.models import Assignment, Person

# Roles that use documents at all; reviewing (verify, reject) is for staff.
DOCUMENT_ROLES = (roles.ADMIN, roles.SUPERVISOR, roles.OFFICER, roles.WORKER)
REVIEW_ROLES = (roles.ADMIN, roles.SUPERVISOR, roles.OFFICER)
# The keys of a health document that only may_see_health users receive.
HEALTH_FIELDS = ("number", "level", "note", "files", "rejection_reason")
# Types whose number is an identity number (KTP/NIK, KK, passport, visa).
IDENTITY_CATEGORIES = frozenset({Category.IDENTITY, Category.TRAVEL})


def _assigned_to(user: User) -> QuerySet:
    return Assignment.objects.filter(officer=user).values("person_id")


def visible_documents(user: User) -> QuerySet[Document]:
    """The documents `user` may see (their existence and state; details depend on
    may_see_health for health documents)."""
    if not user.is_authenticated:
        return Document.objects.none()
    qs = Document.objects.filter(person__merged_into__isnull=True)
    role = user.role
    if role in (roles.ADMIN, roles.SUPERVISOR):
        return qs
    if role == roles.OFFICER:
        queue = Q(status=Document.Status.PENDING)
        if not is_civil_registry_staff(user):
            # Identity scans (KTP, KK, passport, visa) of someone they do not accompany
            # stay out of their queue (issue 19, weakness 14).
            queue &= ~Q(type__category__in=IDENTITY_CATEGORIES)
        return qs.filter(Q(person_id__in=_assigned_to(user)) | queue)
    if role == roles.WORKER:
        return qs.filter(person__user=user)
    return qs.none()


def get_document_for(user: User, pk: int, *, for_write: bool = False) -> Document:
    """The document `pk` if `user` may see it (with for_write: verify or reject it);
    otherwise 404, with a denied-access audit row."""
    try:
        document = (
            visible_documents(user).select_related("type", "person", "person__user").get(pk=pk)
        )
    except (Document.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "documents.document", pk, "documents.document")
    if for_write and not may_review(user, document):
        deny_not_found(user, "documents.document", pk, "documents.document review")
    return document


def read_document_for(user: User, pk: int) -> Document:
    """get_document_for, and the read audited: one VIEW row naming the document (the
    page and the API show a document through here)."""
    document = get_document_for(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=document)
    return document


def read_document_page_for(user: User, pk: int, page: int):
    """Document `pk`, its stored page `page` and the page's bytes for a download (the
    page and the API): 404 unless `user` may see the document's details (a health
    document's files: may_see_health; refused with a denied row); each download
    audited (a VIEW of the document's files)."""
    document = get_document_for(user, pk)
    if not DocumentViewer(user).sees_details(document):
        deny(user, "documents.file health", target=document, exc=Http404())
    stored = document.files.filter(page=page).first() if 0 < page < 2**15 else None
    if stored is None:
        raise Http404
    data = storage.read(stored.storage_name)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        target=document,
        changed_fields=["files"],
        reason=f"file page {page}",
    )
    return document, stored, data


def get_person_for_upload(user: User, pk: int) -> Person:
    """The person `pk` if `user` may upload a document for them (may_upload); else
    404 with a denied row naming the person (the page and the API; the upload service
    checks may_upload again)."""
    person = get_person_for(user, pk)
    if not may_upload(user, person):
        deny(user, "documents.document_upload", target=person, exc=Http404())
    return person


def is_health_staff(user: User) -> bool:
    """Officers and supervisors of a health agency (Dinkes and the like)."""
    if user.role not in (roles.OFFICER, roles.SUPERVISOR) or user.agency_id is None:
        return False
    return user.agency.kind == Agency.Kind.HEALTH


def is_civil_registry_staff(user: User) -> bool:
    """Officers and supervisors of a civil-registry agency (Dukcapil): they verify
    identity documents of anyone in the queue."""
    if user.role not in (roles.OFFICER, roles.SUPERVISOR) or user.agency_id is None:
        return False
    return user.agency.kind == Agency.Kind.CIVIL_REGISTRY


def is_assigned(user: User, person: Person) -> bool:
    return Assignment.objects.filter(person=person, officer=user).exists()


def may_see_health(user: User, person: Person) -> bool:
    """Health results of `person`: admins, the worker themself, the officers assigned
    to them, and staff of a health agency."""
    if not user.is_authenticated:
        return False
    role = user.role
    if role == roles.ADMIN:
        return True
    if role == roles.WORKER:
        return person.user_id == user.pk
    if role == roles.OFFICER and is_assigned(user, person):
        return True
    return is_health_staff(user)


def may_upload(user: User, person: Person) -> bool:
    """Upload a document for `person`: the worker themself, officers assigned to the
    person, supervisors and admins. An officer who is not the person's pendamping
    does not see their documents, so does not add to them either: they are assigned
    first (accompaniment)."""
    if not user.is_authenticated:
        return False
    role = user.role
    if role in (roles.ADMIN, roles.SUPERVISOR):
        return True
    if role == roles.OFFICER:
        return is_assigned(user, person)
    return role == roles.WORKER and person.user_id == user.pk


def may_review(user: User, document: Document) -> bool:
    """Verify or reject: staff who see the document, and for a health document only
    those who may see its health data (a result one may not read cannot be judged)."""
    if user.role not in REVIEW_ROLES:
        return False
    if not document.type.is_health:
        return True
    return may_see_health(user, document.person)


class DocumentViewer:
    """What one user sees of many documents, without a query per document: the set
    of persons assigned to an officer and whether they are health staff are read
    once. Pages and the API show documents through it."""

    def __init__(self, user: User):
        self.user = user
        self.role = user.role
        self._health_staff: bool | None = None
        self._assigned: set[int] | None = None

    @property
    def assigned(self) -> set[int]:
        if self._assigned is None:
            self._assigned = (
                set(
                    Assignment.objects.filter(officer=self.user).values_list("person_id", flat=True)
                )
                if self.role == roles.OFFICER
                else set()
            )
        return self._assigned

    @property
    def health_staff(self) -> bool:
        if self._health_staff is None:
            self._health_staff = is_health_staff(self.user)
        return self._health_staff

    def is_self(self, person: Person) -> bool:
        return self.role == roles.WORKER and person.user_id == self.user.pk

    def sees_health(self, person: Person) -> bool:
        if self.role == roles.ADMIN or self.is_self(person):
            return True
        if self.role == roles.OFFICER and person.pk in self.assigned:
            return True
        return self.role in (roles.OFFICER, roles.SUPERVISOR) and self.health_staff

    def sees_details(self, document: Document) -> bool:
        """Number, level, note, files, rejection reason (see HEALTH_FIELDS)."""
        return not document.type.is_health or self.sees_health(document.person)

    def sees_identity(self, person: Person) -> bool:
        """The rule of people.access.may_reveal_identity, without a query per person."""
        if self.role in (roles.ADMIN, roles.SUPERVISOR) or self.is_self(person):
            return True
        return self.role == roles.OFFICER and person.pk in self.assigned

    def number(self, document: Document) -> str:
        """Identity and travel documents carry identity numbers (NIK, KK, passport):
        masked for those who may not reveal the person's; other numbers in full."""
        if document.type.category not in IDENTITY_CATEGORIES:
            return document.number
        if self.sees_identity(document.person):
            return document.number
        return mask(document.number)

    def may_review(self, document: Document) -> bool:
        if self.role not in REVIEW_ROLES:
            return False
        if document.status not in (Document.Status.PENDING, Document.Status.VERIFIED):
            return False
        return self.sees_details(document)

    def may_upload(self, person: Person) -> bool:
        if self.role in (roles.ADMIN, roles.SUPERVISOR) or self.is_self(person):
            return True
        return self.role == roles.OFFICER and person.pk in self.assigned
