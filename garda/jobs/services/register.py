"""The licence register of placement companies (P3MI): loaded from the register file
(`garda load_placement_agencies FILE`), kept by administrators; every status change
is a dated row; branches and the company's staff (recruiters)."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.jobs import access, facts
from garda.jobs.models import AgencyBranch, AgencyStatusChange, PlacementAgency, Recruiter
from garda.jobs.services.common import error, require_reason
from garda.places.models import Region

# The register file's columns (a header row; extra columns are ignored).
COLUMNS = (
    "licence_number",
    "name",
    "licence_issued_on",
    "licence_valid_until",
    "status",
    "status_since",
    "status_reason",
    "head_office_region",
    "address",
    "phone",
    "email",
    "branches",  # region codes separated by ";"
)
REQUIRED = ("licence_number", "name")


def _ensure_admin(actor, what: str) -> None:
    if actor is not None and (
        not getattr(actor, "is_authenticated", False) or actor.role not in access.REGISTER_ROLES
    ):
        deny(actor, what)


@dataclass
class AgencyData:
    name: str
    licence_number: str
    licence_issued_on: date | None = None
    licence_valid_until: date | None = None
    head_office_region: Region | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


AGENCY_FIELDS = (
    "name",
    "licence_number",
    "licence_issued_on",
    "licence_valid_until",
    "head_office_region",
    "address",
    "phone",
    "email",
    "website",
)


def _agency_values(data: AgencyData) -> dict:
    values = {name: getattr(data, name) for name in AGENCY_FIELDS}
    values["name"] = (values["name"] or "").strip()
    values["licence_number"] = (values["licence_number"] or "").strip()
    if not values["name"]:
        raise error("name", _("Give the company's name."), "required")
    if not values["licence_number"]:
        raise error("licence_number", _("Give the licence (SIP3MI) number."), "required")
    if values["licence_valid_until"] is None:
        values["licence_valid_until"] = facts.licence_valid_until(values["licence_issued_on"])
    issued, until = values["licence_issued_on"], values["licence_valid_until"]
    if issued and until and until < issued:
        raise error("licence_valid_until", _("The licence ends before it was issued."))
    return values


def agency_create(*, actor: User | None, data: AgencyData) -> PlacementAgency:
    _ensure_admin(actor, "jobs.agency_create")
    values = _agency_values(data)
    if PlacementAgency.objects.filter(licence_number__iexact=values["licence_number"]).exists():
        raise error("licence_number", _("A company with this licence number is registered."))
    with transaction.atomic():
        agency = PlacementAgency(**values, status_since=timezone.localdate())
        agency.full_clean()
        agency.save()
        AgencyStatusChange.objects.create(
            agency=agency,
            status=agency.status,
            effective_on=agency.status_since,
            reason=_("Registered."),
            changed_by=actor,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=agency)
    return agency


def agency_update(*, actor: User | None, agency: PlacementAgency, data: AgencyData):
    _ensure_admin(actor, "jobs.agency_update")
    values = _agency_values(data)
    clash = PlacementAgency.objects.filter(licence_number__iexact=values["licence_number"]).exclude(
        pk=agency.pk
    )
    if clash.exists():
        raise error("licence_number", _("A company with this licence number is registered."))
    with transaction.atomic():
        agency = PlacementAgency.objects.select_for_update().get(pk=agency.pk)
        changed = [k for k, v in values.items() if getattr(agency, k) != v]
        for key, value in values.items():
            setattr(agency, key, value)
        if changed:
            agency.updated_at = timezone.now()
            agency.version += 1
            agency.full_clean()
            agency.save()
            audit_record(
                actor=actor, action=AuditEvent.Action.UPDATE, target=agency, changed_fields=changed
            )
    return agency


def agency_status_change(
    *,
    actor: User | None,
    agency: PlacementAgency,
    status: str,
    effective_on: date | None,
    reason: str,
    source: str = "",
) -> PlacementAgency:
    """Suspend (tunda layanan), revoke or reinstate a company's licence, from a date;
    its published orders are re-checked at once (a suspended company's orders leave
    the vacancy board)."""
    _ensure_admin(actor, "jobs.agency_status_change")
    if status not in PlacementAgency.Status.values:
        raise error("status", _("Choose a status from the list."))
    reason = require_reason(reason)
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        agency = PlacementAgency.objects.select_for_update().get(pk=agency.pk)
        if agency.status == status:
            raise error("status", _("The company already has this status."))
        AgencyStatusChange.objects.create(
            agency=agency,
            status=status,
            effective_on=effective_on,
            reason=reason,
            source=(source or "").strip()[:300],
            changed_by=actor,
        )
        agency.status, agency.status_since, agency.status_reason = status, effective_on, reason
        agency.updated_at = timezone.now()
        agency.version += 1
        agency.save(
            update_fields=["status", "status_since", "status_reason", "updated_at", "version"]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=agency,
            changed_fields=["status"],
            reason=f"licence {status}",
        )
    if status != PlacementAgency.Status.ACTIVE:
        from garda.jobs.services.orders import orders_recheck_for_agency

        orders_recheck_for_agency(agency)
    return agency


def branch_add(
    *,
    actor: User | None,
    agency: PlacementAgency,
    region: Region,
    address: str = "",
    phone: str = "",
) -> AgencyBranch:
    _ensure_admin(actor, "jobs.branch_add")
    if AgencyBranch.objects.filter(agency=agency, region=region).exists():
        raise error("region", _("The company already has a branch in this region."))
    with transaction.atomic():
        branch = AgencyBranch.objects.create(
            agency=agency, region=region, address=address.strip()[:300], phone=phone.strip()[:40]
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=branch)
    return branch


def branch_remove(*, actor: User | None, branch: AgencyBranch) -> None:
    _ensure_admin(actor, "jobs.branch_remove")
    with transaction.atomic():
        audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=branch)
        branch.delete()


def recruiter_add(
    *, actor: User | None, agency: PlacementAgency, email: str, full_name: str, phone: str = ""
) -> Recruiter:
    """An account of the `recruiter` role for a company's staff member. They set their
    password through "forgot password" (the account is created without one)."""
    _ensure_admin(actor, "jobs.recruiter_add")
    from garda.accounts.services import user_create

    if not (full_name or "").strip():
        raise error("full_name", _("Give the person's name."), "required")
    with transaction.atomic():
        user = user_create(
            actor=actor,
            email=email,
            password=None,
            role=roles.RECRUITER,
            full_name=full_name.strip(),
            phone=(phone or "").strip(),
        )
        link = Recruiter.objects.create(user=user, agency=agency)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=link)
    return link


def recruiter_remove(*, actor: User | None, link: Recruiter) -> None:
    """The person leaves the company: the account is deactivated (its history stays)."""
    _ensure_admin(actor, "jobs.recruiter_remove")
    from garda.accounts.services import user_update

    user = link.user
    user_update(
        actor=actor,
        user=user,
        role=user.role,
        agency=user.agency,
        full_name=user.full_name,
        phone=user.phone,
        is_active=False,
        reason="left the placement company",
    )


# --- the register file ----------------------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    errors: list | None = None


def _row_date(row: dict, name: str, line: int, errors: list) -> date | None:
    raw = (row.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well formed but impossible: 2024-13-01
        value = None
    if value is None:
        errors.append(
            _("Line %(line)s: %(field)s “%(value)s” is not a date (YYYY-MM-DD).")
            % {"line": line, "field": name, "value": raw[:20]}
        )
    return value


def agencies_load(*, actor: User | None, text: str) -> LoadResult:
    """Load the register file (CSV with the COLUMNS header): a licence number already
    on file is updated, a new one created; a changed status becomes a dated status
    change. Idempotent: loading the same file twice changes nothing. All or nothing: a
    file with an error loads no row and lists every error with its line."""
    _ensure_admin(actor, "jobs.agencies_load")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The file lacks the columns %(cols)s.") % {"cols": ", ".join(missing)}
        )
    rows, errors = [], []
    regions = {}
    seen = set()
    for line, row in enumerate(reader, start=2):
        number = (row.get("licence_number") or "").strip()
        name = (row.get("name") or "").strip()
        if not number or not name:
            errors.append(
                _("Line %(line)s: a licence number and a name are needed.") % {"line": line}
            )
            continue
        if number.upper() in seen:
            errors.append(
                _("Line %(line)s: licence %(number)s appears twice.")
                % {"line": line, "number": number}
            )
            continue
        seen.add(number.upper())
        status = (row.get("status") or "active").strip().lower()
        if status not in PlacementAgency.Status.values:
            errors.append(
                _("Line %(line)s: status “%(status)s” is not active, suspended or revoked.")
                % {"line": line, "status": status[:20]}
            )
            continue
        codes = [(row.get("head_office_region") or "").strip()]
        codes += [c.strip() for c in (row.get("branches") or "").split(";")]
        for code in filter(None, codes):
            regions.setdefault(code, None)
        rows.append((line, row, number, name, status))
    found = {r.code: r for r in Region.objects.filter(code__in=list(regions))}
    for line, row, *_rest in rows:
        for code in filter(
            None,
            [
                (row.get("head_office_region") or "").strip(),
                *[c.strip() for c in (row.get("branches") or "").split(";")],
            ],
        ):
            if code not in found:
                errors.append(
                    _("Line %(line)s: region code %(code)s is unknown.")
                    % {"line": line, "code": code[:20]}
                )
    parsed = []
    for line, row, number, name, status in rows:
        issued = _row_date(row, "licence_issued_on", line, errors)
        until = _row_date(row, "licence_valid_until", line, errors)
        since = _row_date(row, "status_since", line, errors)
        parsed.append((row, number, name, status, issued, until, since))
    result = LoadResult(errors=errors)
    if errors:
        return result
    existing = {a.licence_number.upper(): a for a in PlacementAgency.objects.all()}
    today = timezone.localdate()
    with transaction.atomic():
        for row, number, name, status, issued, until, since in parsed:
            values = {
                "name": name[:200],
                "licence_number": number[:80],
                "licence_issued_on": issued,
                "licence_valid_until": until or facts.licence_valid_until(issued),
                "head_office_region": found.get((row.get("head_office_region") or "").strip()),
                "address": (row.get("address") or "").strip()[:300],
                "phone": (row.get("phone") or "").strip()[:40],
                "email": (row.get("email") or "").strip()[:254],
            }
            agency = existing.get(number.upper())
            if agency is None:
                agency = PlacementAgency(
                    **values,
                    status=status,
                    status_since=since or today,
                    status_reason=(row.get("status_reason") or "")[:500],
                )
                agency.save()
                AgencyStatusChange.objects.create(
                    agency=agency,
                    status=status,
                    effective_on=agency.status_since,
                    reason=agency.status_reason or _("Loaded from the register file."),
                    source=_("register file"),
                    changed_by=actor,
                )
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    target=agency,
                    reason="register file",
                )
                result.created += 1
            else:
                changed = [
                    k
                    for k, v in values.items()
                    if getattr(agency, f"{k}_id" if k == "head_office_region" else k)
                    != (v.pk if k == "head_office_region" and v is not None else v)
                ]
                for key, value in values.items():
                    setattr(agency, key, value)
                if agency.status != status:
                    agency.status = status
                    agency.status_since = since or today
                    agency.status_reason = (row.get("status_reason") or "")[:500]
                    AgencyStatusChange.objects.create(
                        agency=agency,
                        status=status,
                        effective_on=agency.status_since,
                        reason=agency.status_reason or _("Loaded from the register file."),
                        source=_("register file"),
                        changed_by=actor,
                    )
                    changed.append("status")
                    result.status_changes += 1
                if changed:
                    agency.updated_at = timezone.now()
                    agency.version += 1
                    agency.save()
                    audit_record(
                        actor=actor,
                        action=AuditEvent.Action.UPDATE,
                        target=agency,
                        changed_fields=changed,
                        reason="register file",
                    )
                    result.updated += 1
                else:
                    result.unchanged += 1
            wanted = {c.strip() for c in (row.get("branches") or "").split(";") if c.strip()}
            have = set(agency.branches.values_list("region_id", flat=True))
            new = [AgencyBranch(agency=agency, region=found[c]) for c in sorted(wanted - have)]
            AgencyBranch.objects.bulk_create(new)
    return result
