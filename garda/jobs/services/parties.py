"""Employers and foreign partners (entered by recruiters and officers) and the
problematic list (UU 18/2017 arts. 9-10: kept by supervisors and admins from the
labour attaché's notices; listing and delisting are audited, never deleted)."""

from dataclasses import dataclass, fields
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.jobs import access
from garda.jobs.models import Employer, ForeignPartner, JobOrder, ProblemListing
from garda.jobs.services.common import error, require_reason


def _country(code: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code (pycountry's list: the places app loads the same)."""
    import pycountry

    code = (code or "").strip().upper()
    if len(code) != 2 or code == "ID" or pycountry.countries.get(alpha_2=code) is None:
        raise error(field, _("Choose a country abroad from the list."))
    return code


def _ensure(actor, roles_allowed, what: str) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.role not in roles_allowed:
        deny(actor, what)


@dataclass
class EmployerData:
    name: str
    country: str
    kind: str = Employer.Kind.LEGAL_ENTITY
    city: str = ""
    registration_number: str = ""
    sector: str = ""
    address: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class PartnerData:
    name: str
    country: str
    city: str = ""
    licence_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def _values(data) -> dict:
    values = {f.name: (getattr(data, f.name) or "").strip() for f in fields(data)}
    if not values["name"]:
        raise error("name", _("Give the name."), "required")
    values["country"] = _country(values["country"])
    return values


def _recruiter_may_change(actor: User, party, field: str) -> None:
    """A recruiter changes an employer or a partner only while it is their company's
    alone and was never on the problematic list (issue 19):

    - a listing is found by the party's country and name ("is this job real?"): a
      listed party renamed by a recruiter would leave the public check, or put another
      name on the list; it stays as the ministry's staff recorded it;
    - a party another company's orders (or a government-to-government order) name is
      not the recruiter's to change: an officer does.

    Refused with the reason beside the name and a `denied` row; nothing is written."""
    if actor.role != roles.RECRUITER:
        return
    if ProblemListing.objects.filter(**{field: party}).exists():
        deny(
            actor,
            f"jobs.{field}_save:listed",
            target=party,
            exc=error(
                "name",
                _(
                    "This one is on the problematic list (now or before): only the "
                    "ministry's staff may change it. Ask an officer."
                ),
                "listed",
            ),
        )
    agency_id = access.recruiter_agency_id(actor)
    if JobOrder.objects.filter(**{field: party}).exclude(agency_id=agency_id).exists():
        deny(
            actor,
            f"jobs.{field}_save:shared",
            target=party,
            exc=error(
                "name",
                _("Orders of other companies name this one too: ask an officer to change it."),
                "shared",
            ),
        )


def _save_party(actor, model, instance, values: dict, what: str):
    with transaction.atomic():
        if instance is None:
            instance = model(**values, created_by=actor)
            instance.full_clean()
            instance.save()
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=instance)
            return instance
        instance = model.objects.select_for_update().get(pk=instance.pk)
        changed = [k for k, v in values.items() if getattr(instance, k) != v]
        for key, value in values.items():
            setattr(instance, key, value)
        if changed:
            instance.full_clean()
            instance.save()
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=instance,
                changed_fields=changed,
            )
            if actor.role == roles.RECRUITER:
                # The vacancy board shows what an officer verified: a published order
                # naming a party its company changed goes back for verification, as
                # an order changed after verification does.
                from garda.jobs.services.orders import orders_resubmit_for_party

                orders_resubmit_for_party(actor=actor, **{what: instance})
        return instance


def employer_save(*, actor: User, data: EmployerData, employer: Employer | None = None):
    """Create (employer None) or change an employer."""
    _ensure(actor, access.WRITE_ROLES, "jobs.employer_save")
    if employer is not None and not access.visible_employers(actor).filter(pk=employer.pk).exists():
        deny(actor, "jobs.employer_save", target=employer)
    if employer is not None:
        _recruiter_may_change(actor, employer, "employer")
    values = _values(data)
    if values["kind"] not in Employer.Kind.values:
        raise error("kind", _("Choose from the list."))
    return _save_party(actor, Employer, employer, values, "employer")


def partner_save(*, actor: User, data: PartnerData, partner: ForeignPartner | None = None):
    _ensure(actor, access.WRITE_ROLES, "jobs.partner_save")
    if partner is not None and not access.visible_partners(actor).filter(pk=partner.pk).exists():
        deny(actor, "jobs.partner_save", target=partner)
    if partner is not None:
        _recruiter_may_change(actor, partner, "partner")
    return _save_party(actor, ForeignPartner, partner, _values(data), "partner")


def listing_add(
    *,
    actor: User,
    reason: str,
    source: str,
    listed_on: date | None = None,
    employer: Employer | None = None,
    partner: ForeignPartner | None = None,
) -> ProblemListing:
    """Put an employer or a partner on the problematic list; their published orders
    leave the board at once."""
    _ensure(actor, access.LISTING_ROLES, "jobs.listing_add")
    if (employer is None) == (partner is None):
        raise error("employer", _("Choose either an employer or a partner."))
    reason = require_reason(reason)
    source = (source or "").strip()
    if not source:
        raise error("source", _("Name the source (e.g. the labour attaché's notice)."), "required")
    party = employer or partner
    listed_on = listed_on or timezone.localdate()
    if ProblemListing.objects.filter(
        employer=employer, partner=partner, delisted_on__isnull=True
    ).exists():
        raise error("employer", _("Already on the problematic list."))
    with transaction.atomic():
        row = ProblemListing.objects.create(
            employer=employer,
            partner=partner,
            country=party.country,
            reason=reason,
            source=source[:300],
            listed_on=listed_on,
            listed_by=actor,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=row, reason="listed")
    from garda.jobs.services.orders import orders_recheck_for_party

    orders_recheck_for_party(employer=employer, partner=partner)
    return row


def listing_remove(
    *, actor: User, listing: ProblemListing, reason: str, delisted_on: date | None = None
) -> ProblemListing:
    """Take an entry off the list from a date (the entry and its history stay)."""
    _ensure(actor, access.LISTING_ROLES, "jobs.listing_remove")
    reason = require_reason(reason)
    delisted_on = delisted_on or timezone.localdate()
    with transaction.atomic():
        row = ProblemListing.objects.select_for_update().get(pk=listing.pk)
        if row.delisted_on is not None:
            raise error("reason", _("This entry is already off the list."))
        if delisted_on < row.listed_on:
            raise error("delisted_on", _("The date is before the listing."))
        row.delisted_on, row.delisting_reason, row.delisted_by = delisted_on, reason, actor
        row.save(update_fields=["delisted_on", "delisting_reason", "delisted_by"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=row,
            changed_fields=["delisted_on"],
            reason="delisted",
        )
    return row
