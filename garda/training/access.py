"""Who may see and do what in training (docs/design.md, need to know).

- The catalogue (active courses, published batches, seats left) is public.
- Registry roles (admin, supervisor, officer) see every batch and enrolment, enrol
  anyone in the registry, and read attendance, assessments and certificates.
- A trainer sees only the batches they teach (Batch.trainers), records their
  attendance and assessments and closes them; of a trainee they see only what
  training needs (TRAINEE_FIELDS): no NIK, birth date, address, documents or health.
  A trainer may also create batches for their own provider (their agency), and
  becomes a trainer of it.
- A worker sees their own enrolments and certificates and enrols themself.
- Partners see nothing here yet.
- Admins manage every batch; supervisors and admins see the outcomes and revoke
  certificates.
Missing and forbidden look the same: 404, with a denied audit row.
"""

from django.db.models import Q, QuerySet

from garda.accounts import roles
from garda.audit.gate import deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.access import REGISTRY_ROLES
from garda.training.models import Batch, Certificate, Enrolment, Provider, Session

# What a trainer may read of a trainee (Person fields).
TRAINEE_FIELDS = ("id", "reference", "full_name", "sex", "phone")
OUTCOME_READERS = frozenset({roles.ADMIN, roles.SUPERVISOR})
CERTIFICATE_REVOKERS = frozenset({roles.ADMIN, roles.SUPERVISOR})


def _role(user) -> str | None:
    return user.role if user is not None and user.is_authenticated else None


def public_batches() -> QuerySet[Batch]:
    """Batches anyone may see in the catalogue."""
    return Batch.objects.filter(
        is_published=True, cancelled_at__isnull=True, course__is_active=True
    )


def visible_batches(user) -> QuerySet[Batch]:
    """Batches `user` may open with their roster: registry roles all, trainers theirs."""
    role = _role(user)
    if role in REGISTRY_ROLES:
        return Batch.objects.all()
    if role == roles.TRAINER:
        return Batch.objects.filter(trainers=user)
    return Batch.objects.none()


def get_batch_for(user, pk, *, for_write: bool = False) -> Batch:
    """The batch `pk` with its roster if `user` may see it (teach or manage it, with
    for_write); else 404 and a denied audit row."""
    try:
        batch = visible_batches(user).select_related("course", "provider__agency").get(pk=pk)
    except (Batch.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "training.batch", pk, "get_batch_for")
    if for_write and not may_teach(user, batch):
        deny_not_found(user, "training.batch", pk, "get_batch_for:write")
    return batch


def read(user, target=None, *, reason: str = "", object_type: str = "") -> None:
    """The VIEW row of an audited training read (a batch's roster, a session's
    attendance, a certificate, the outcomes...): the page and the API write it
    through here, once per read. `target` an object, or `object_type` for a list."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        target=target,
        object_type=object_type,
        reason=reason,
    )


def read_batch_for(user, pk, *, reason: str) -> Batch:
    """get_batch_for, and the read audited (a VIEW of the batch: `reason` "roster")."""
    batch = get_batch_for(user, pk)
    read(user, batch, reason=reason)
    return batch


def attendance_read(user, session: Session) -> None:
    """The VIEW row of reading a session's attendance (the page and the API)."""
    read(user, session, reason="attendance")


def outcomes_read(user, *, by: str) -> None:
    """The VIEW row of reading the training outcomes grouped `by` course, provider or
    batch (the page and the API)."""
    read(user, object_type="training.enrolment", reason=f"outcomes by {by}")


def may_teach(user, batch: Batch) -> bool:
    """Record attendance and assessments, close the batch: its trainers and admins."""
    role = _role(user)
    if role == roles.ADMIN:
        return True
    return role == roles.TRAINER and batch.trainers.filter(pk=user.pk).exists()


def manageable_providers(user) -> QuerySet[Provider]:
    """Providers `user` may create batches for: admins all, a trainer their agency's."""
    role = _role(user)
    if role == roles.ADMIN:
        return Provider.objects.filter(is_active=True)
    if role == roles.TRAINER and user.agency_id:
        return Provider.objects.filter(is_active=True, agency_id=user.agency_id)
    return Provider.objects.none()


def may_manage_batch(user, batch: Batch) -> bool:
    """Edit or cancel a batch: admins, and trainers of it from its provider."""
    role = _role(user)
    if role == roles.ADMIN:
        return True
    return (
        role == roles.TRAINER
        and user.agency_id == batch.provider.agency_id
        and batch.trainers.filter(pk=user.pk).exists()
    )


def may_enrol_others(user) -> bool:
    """Enrol someone else (an officer at the desk): registry roles."""
    return _role(user) in REGISTRY_ROLES


# The enrolments a trainer sees: the people who took a seat in their class. Waitlisted
# and withdrawn people (and why they withdrew: often health or family) are not theirs.
TRAINER_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NO_SHOW,
)


def roster_of(user, batch: Batch) -> QuerySet[Enrolment]:
    """The enrolments of `batch` that `user` (who may see the batch) may list."""
    if _role(user) == roles.TRAINER:
        return batch.enrolments.filter(status__in=TRAINER_STATUSES)
    return batch.enrolments.all()


def visible_enrolments(user) -> QuerySet[Enrolment]:
    role = _role(user)
    if role in REGISTRY_ROLES:
        return Enrolment.objects.all()
    if role == roles.TRAINER:
        return Enrolment.objects.filter(batch__trainers=user, status__in=TRAINER_STATUSES)
    if role == roles.WORKER:
        return Enrolment.objects.filter(person__user=user)
    return Enrolment.objects.none()


def get_enrolment_for(user, pk) -> Enrolment:
    try:
        return (
            visible_enrolments(user)
            .select_related("batch__course", "batch__provider__agency", "person")
            .get(pk=pk)
        )
    except (Enrolment.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "training.enrolment", pk, "get_enrolment_for")


def read_enrolment_for(user, pk, *, reason: str = "") -> Enrolment:
    """get_enrolment_for, and the read audited (a VIEW of the enrolment)."""
    enrolment = get_enrolment_for(user, pk)
    read(user, enrolment, reason=reason)
    return enrolment


def may_withdraw(user, enrolment: Enrolment) -> bool:
    """The worker themself, or registry roles; trainers mark no-shows instead."""
    role = _role(user)
    if role in REGISTRY_ROLES:
        return True
    return role == roles.WORKER and enrolment.person.user_id == user.pk


def visible_certificates(user) -> QuerySet[Certificate]:
    """Certificates with their holder: registry roles all, a worker theirs, a trainer
    those issued for their batches' enrolments."""
    role = _role(user)
    if role in REGISTRY_ROLES:
        return Certificate.objects.all()
    if role == roles.WORKER:
        return Certificate.objects.filter(person__user=user)
    if role == roles.TRAINER:
        return Certificate.objects.filter(
            Q(enrolment__batch__trainers=user) & Q(source=Certificate.Source.COURSE)
        )
    return Certificate.objects.none()


def get_certificate_for(user, pk) -> Certificate:
    try:
        return (
            visible_certificates(user)
            .select_related("person", "course", "provider__agency", "document_type")
            .distinct()
            .get(pk=pk)
        )
    except (Certificate.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "training.certificate", pk, "get_certificate_for")


def read_certificate_for(user, pk) -> Certificate:
    """get_certificate_for, and the read audited (a VIEW of the certificate)."""
    certificate = get_certificate_for(user, pk)
    read(user, certificate)
    return certificate


def may_revoke(user, certificate: Certificate | None = None) -> bool:
    """Revoke: admins, and supervisors of the training centre's own agency (issue 19:
    a supervisor of another agency revoked a centre's certificate). Without a
    certificate: whether the role revokes at all. A certificate obtained elsewhere (no
    centre) stays with admins and supervisors as before."""
    role = _role(user)
    if role not in CERTIFICATE_REVOKERS:
        return False
    if role == roles.ADMIN or certificate is None or certificate.provider_id is None:
        return True
    return certificate.provider.agency_id == user.agency_id


def may_record_external(user) -> bool:
    """Record and verify a certificate obtained elsewhere: registry roles."""
    return _role(user) in REGISTRY_ROLES


def may_read_outcomes(user) -> bool:
    return _role(user) in OUTCOME_READERS
