"""Every write to the rules (docs/style.md): admins only, one transaction, audited.

Rules are history, not state: a sector rule change is a new row (the rule it replaces
gets an end date), and a requirement set change is a new version (the old one stays,
for the record and for job orders that point to it). Each change marks the cached
readiness of the targets it touches as stale (Readiness.target_key is
"DEST:scheme:sector"), so the next read recomputes it.
"""

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda import pagecache
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.destinations.access import may_manage_rules
from garda.destinations.models import (
    Destination,
    Readiness,
    Requirement,
    RequirementSet,
    Scheme,
    Sector,
    SectorRule,
)
from garda.documents.models import DocumentType
from garda.people.models import Education

# UU 18/2017 art. 5: a migrant worker is at least 18.
LEGAL_MIN_AGE = 18
MAX_AGE = 99
MAX_REQUIREMENTS = 60
CONDITION_KINDS = ("max_prior_stay_years", "min_experience_years", "sex")


class VersionConflict(Exception):
    """The record changed since the caller read it (the API answers 409)."""

    def __init__(self, current):
        super().__init__(str(current))
        self.current = current


def _check_admin(actor, what: str) -> None:
    if not may_manage_rules(actor):
        deny(actor, what)


def readiness_mark_stale(
    *, destination_code: str | None = None, scheme_code: str | None = None, sector: str = ""
) -> int:
    """Mark cached readiness rows of matching targets stale; return how many.

    None/blank parts match anything: a baseline set (no destination) touches every
    destination's targets of its scheme. Codes never contain ":", so matching the
    parts of "DEST:scheme:sector" by prefix, infix and suffix is exact.
    """
    qs = Readiness.objects.filter(stale=False)
    if destination_code:
        qs = qs.filter(target_key__startswith=f"{destination_code}:")
    if scheme_code:
        qs = qs.filter(target_key__contains=f":{scheme_code}:")
    if sector:
        qs = qs.filter(target_key__endswith=f":{sector}")
    return qs.update(stale=True)


# --- destinations -------------------------------------------------------------------


@dataclass(frozen=True)
class DestinationData:
    """The fields of a destination an administrator edits (the code is its identity)."""

    name: str
    name_en: str
    region: str = ""
    min_age: int = LEGAL_MIN_AGE
    embassy_name: str = ""
    embassy_address: str = ""
    embassy_phone: str = ""
    embassy_email: str = ""
    embassy_website: str = ""
    notes: str = ""
    notes_en: str = ""
    is_published: bool = True

    @classmethod
    def of(cls, destination: Destination) -> "DestinationData":
        return cls(**{f.name: getattr(destination, f.name) for f in fields(cls)})

    @classmethod
    def from_cleaned(cls, cleaned: dict) -> "DestinationData":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in cleaned.items() if k in names and v is not None})


def destination_update(
    *, actor, destination: Destination, data: DestinationData, version: int
) -> Destination:
    """Save an edit made on `version`; a stale version raises VersionConflict with
    the current record and changes nothing."""
    _check_admin(actor, "destinations.destination_update")
    if data.min_age < LEGAL_MIN_AGE:
        raise ValidationError(
            {
                "min_age": ValidationError(
                    _("The minimum age cannot be below %(age)s (UU 18/2017 art. 5).")
                    % {"age": LEGAL_MIN_AGE},
                    code="below_legal_age",
                )
            }
        )
    values = asdict(data)
    probe = Destination(pk=destination.pk, code=destination.code, **values)
    probe.full_clean(exclude=["country", "version"], validate_unique=False)
    changed = [k for k, v in values.items() if getattr(destination, k) != v]
    with transaction.atomic():
        updated = Destination.objects.filter(pk=destination.pk, version=version).update(
            **values, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise VersionConflict(Destination.objects.get(pk=destination.pk))
        pagecache.changed(Destination)  # an UPDATE sends no signal: the public pages
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=destination,
            changed_fields=sorted(changed),
        )
        if "min_age" in changed:
            readiness_mark_stale(destination_code=destination.code)
    return Destination.objects.get(pk=destination.pk)


# --- sector rules -------------------------------------------------------------------


def _rule_label(rule: SectorRule) -> str:
    until = date_format(rule.effective_to) if rule.effective_to else _("no end date")
    return _("%(status)s from %(start)s until %(end)s") % {
        "status": rule.get_status_display(),
        "start": date_format(rule.effective_from),
        "end": until,
    }


def _validate_rule_fields(
    *, sector: str, status: str, legal_basis: str, effective_from, effective_to
) -> None:
    errors: dict[str, ValidationError] = {}
    if sector not in Sector.values:
        errors["sector"] = ValidationError(_("Unknown sector."), code="invalid_choice")
    if status not in SectorRule.Status.values:
        errors["status"] = ValidationError(_("Unknown status."), code="invalid_choice")
    if not legal_basis.strip():
        errors["legal_basis"] = ValidationError(
            _("Cite the legal basis (decree, regulation or agreement) of this rule."),
            code="required",
        )
    if effective_to is not None and effective_to <= effective_from:
        errors["effective_to"] = ValidationError(
            _(
                "The end date must be after the start date: the rule stops applying on the "
                "end date itself."
            ),
            code="dates_ordered",
        )
    if errors:
        raise ValidationError(errors)


def _rule_conflict(existing: list[SectorRule], start: date, end: date | None):
    """The open-ended rule the new one replaces (None if none); a ValidationError
    when the new dates overlap or contradict the recorded history."""
    to_close = None
    for rule in existing:
        if rule.effective_to is None and rule.effective_from < start:
            # The rule in force until further notice ends where the new one starts.
            to_close = rule
            continue
        if rule.effective_to is None:
            if end is not None and end <= rule.effective_from:
                continue  # history filled in before a later rule: consistent
            raise ValidationError(
                {
                    "effective_from": ValidationError(
                        _(
                            "A rule (%(rule)s) already applies from %(start)s with no end "
                            "date. A new rule must start after %(start)s, or end on or before "
                            "it."
                        )
                        % {"rule": _rule_label(rule), "start": date_format(rule.effective_from)},
                        code="overlap",
                    )
                }
            )
        overlaps = start < rule.effective_to and (end is None or end > rule.effective_from)
        if overlaps:
            raise ValidationError(
                {
                    "effective_from": ValidationError(
                        _(
                            "These dates overlap the recorded rule %(rule)s. Rules for the same "
                            "sector and occupation must not overlap: choose dates outside it."
                        )
                        % {"rule": _rule_label(rule)},
                        code="overlap",
                    )
                }
            )
    return to_close


def sector_rule_add(
    *,
    actor,
    destination: Destination,
    sector: str,
    status: str,
    legal_basis: str,
    effective_from: date,
    effective_to: date | None = None,
    occupation: str = "",
    note: str = "",
) -> SectorRule:
    """Record a new status for a sector (or one occupation) of a destination.

    The rule in force without an end date is closed on the new rule's start date
    (its effective_to is set; nothing else about it changes). A rule that overlaps
    the recorded history, or starts on or before the start of the rule in force, is
    refused with a message saying which rule it collides with. Dates in the past are
    accepted (decrees are often recorded late) as long as the history stays
    consistent.
    """
    _check_admin(actor, "destinations.sector_rule_add")
    occupation = occupation.strip()
    legal_basis = legal_basis.strip()
    _validate_rule_fields(
        sector=sector,
        status=status,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    with transaction.atomic():
        existing = list(
            SectorRule.objects.select_for_update()
            .filter(destination=destination, sector=sector, occupation=occupation)
            .order_by("effective_from")
        )
        to_close = _rule_conflict(existing, effective_from, effective_to)
        rule = SectorRule(
            destination=destination,
            sector=sector,
            occupation=occupation,
            status=status,
            legal_basis=legal_basis,
            effective_from=effective_from,
            effective_to=effective_to,
            note=note.strip(),
            created_by=actor,
        )
        rule.full_clean()
        if to_close is not None:
            SectorRule.objects.filter(pk=to_close.pk).update(effective_to=effective_from)
        rule.save(force_insert=True)
        if to_close is not None:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=to_close,
                changed_fields=["effective_to"],
                reason=f"ended by sector rule {rule.pk}",
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=rule,
            changed_fields=[
                "destination",
                "sector",
                "occupation",
                "status",
                "legal_basis",
                "effective_from",
                "effective_to",
                "note",
            ],
        )
        readiness_mark_stale(destination_code=destination.code, sector=sector)
    return rule


# --- requirement sets ---------------------------------------------------------------


@dataclass(frozen=True)
class RequirementData:
    """One required document as submitted: the document type by its code."""

    type_code: str
    min_level: str = ""
    validity_months: int | None = None
    min_remaining_months: int | None = None
    note: str = ""
    # Requirement.alternative_group: rows sharing it are alternatives (any one is enough).
    alternative_group: int | None = None

    @classmethod
    def of(cls, requirement: Requirement) -> "RequirementData":
        return cls(
            type_code=requirement.document_type.code,
            min_level=requirement.min_level,
            validity_months=requirement.validity_months,
            min_remaining_months=requirement.min_remaining_months,
            note=requirement.note,
            alternative_group=requirement.alternative_group,
        )


@dataclass(frozen=True)
class RequirementSetTerms:
    """What a version of a set says (its target, code and version number aside)."""

    name: str
    name_en: str
    legal_basis: str
    min_age: int | None = LEGAL_MIN_AGE
    max_age: int | None = None
    min_education: str = ""
    conditions: list = field(default_factory=list)
    note: str = ""
    effective_from: date | None = None  # None: today

    @classmethod
    def of(cls, rs: RequirementSet) -> "RequirementSetTerms":
        return cls(**{f.name: getattr(rs, f.name) for f in fields(cls)})


def _validate_conditions(conditions) -> list[dict]:
    """The conditions vocabulary evaluated by destinations/rules.py; anything else is
    refused rather than silently ignored by the engine."""
    if not isinstance(conditions, list):
        raise ValidationError(
            {"conditions": ValidationError(_("Conditions must be a list."), code="invalid")}
        )
    clean, errors = [], []
    for item in conditions:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in CONDITION_KINDS:
            errors.append(
                ValidationError(
                    _("Unknown condition %(kind)s: use one of %(kinds)s.")
                    % {"kind": repr(kind)[:40], "kinds": ", ".join(CONDITION_KINDS)},
                    code="unknown_condition",
                )
            )
            continue
        if kind == "sex":
            if item.get("value") not in ("M", "F"):
                errors.append(
                    ValidationError(_("The sex condition needs M or F."), code="invalid_sex")
                )
                continue
            clean.append({"kind": kind, "value": item["value"]})
            continue
        years = item.get("years")
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 50:
            errors.append(
                ValidationError(
                    _("%(kind)s needs a whole number of years between 1 and 50.") % {"kind": kind},
                    code="invalid_years",
                )
            )
            continue
        if kind == "max_prior_stay_years":
            country = item.get("country")
            if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country):
                errors.append(
                    ValidationError(
                        _("The prior-stay condition needs a country code such as KR."),
                        code="invalid_country",
                    )
                )
                continue
            clean.append({"kind": kind, "country": country, "years": years})
        else:
            clean.append({"kind": kind, "years": years})
    kinds = [(c["kind"], c.get("country")) for c in clean]
    if len(kinds) != len(set(kinds)):
        errors.append(ValidationError(_("A condition is listed twice."), code="duplicate"))
    if errors:
        raise ValidationError({"conditions": errors})
    return clean


def _validate_terms(terms: RequirementSetTerms) -> RequirementSetTerms:
    errors: dict[str, ValidationError] = {}
    if not terms.name.strip() or not terms.name_en.strip():
        errors["name"] = ValidationError(
            _("Give the set a name in Indonesian and in English."), code="required"
        )
    if not terms.legal_basis.strip():
        errors["legal_basis"] = ValidationError(
            _("Cite the legal basis (law, regulation, agreement) of these requirements."),
            code="required",
        )
    if terms.min_age is not None and not LEGAL_MIN_AGE <= terms.min_age <= MAX_AGE:
        errors["min_age"] = ValidationError(
            _("The minimum age must be between %(low)s (UU 18/2017 art. 5) and %(high)s.")
            % {"low": LEGAL_MIN_AGE, "high": MAX_AGE},
            code="age_range",
        )
    if terms.max_age is not None and not LEGAL_MIN_AGE <= terms.max_age <= MAX_AGE:
        errors["max_age"] = ValidationError(
            _("The maximum age must be between %(low)s and %(high)s.")
            % {"low": LEGAL_MIN_AGE, "high": MAX_AGE},
            code="age_range",
        )
    elif terms.max_age is not None and terms.min_age is not None and terms.max_age < terms.min_age:
        errors["max_age"] = ValidationError(
            _("The maximum age (%(max)s) is below the minimum age (%(min)s).")
            % {"max": terms.max_age, "min": terms.min_age},
            code="age_band",
        )
    if terms.min_education and terms.min_education not in Education.values:
        errors["min_education"] = ValidationError(
            _("Unknown education level."), code="invalid_choice"
        )
    try:
        conditions = _validate_conditions(terms.conditions)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        conditions = []
    if errors:
        raise ValidationError(errors)
    return RequirementSetTerms(
        **{
            **asdict(terms),
            "name": terms.name.strip(),
            "name_en": terms.name_en.strip(),
            "legal_basis": terms.legal_basis.strip(),
            "note": terms.note.strip(),
            "conditions": conditions,
        }
    )


def _validate_level(doc_type: DocumentType, level: str) -> str | None:
    """An error message when `level` is not a valid minimum for this document type."""
    if not level:
        return None
    if doc_type.level_list:
        if level not in doc_type.level_list:
            return _("%(level)s is not a level of %(type)s (levels: %(levels)s).") % {
                "level": level,
                "type": doc_type.code,
                "levels": ", ".join(doc_type.level_list),
            }
        return None
    if doc_type.is_scored:
        try:
            score = float(level)
        except ValueError:
            score = -1
        if score < 0:
            return _("The minimum score of %(type)s must be a number.") % {"type": doc_type.code}
        return None
    return _("%(type)s has no levels or scores: leave the minimum level empty.") % {
        "type": doc_type.code
    }


def _validate_requirements(requirements: list[RequirementData]) -> list[tuple]:
    """[(RequirementData, DocumentType)] in order, or a ValidationError naming each bad
    row ("requirements" errors, with codes unknown_document_type, duplicate, level)."""
    errors: list[ValidationError] = []
    if not requirements:
        raise ValidationError(
            {
                "requirements": ValidationError(
                    _("A requirement set needs at least one document."), code="required"
                )
            }
        )
    if len(requirements) > MAX_REQUIREMENTS:
        raise ValidationError(
            {
                "requirements": ValidationError(
                    _("At most %(n)s documents per set.") % {"n": MAX_REQUIREMENTS},
                    code="too_many",
                )
            }
        )
    codes = [r.type_code for r in requirements]
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes, is_active=True)}
    seen: set[str] = set()
    rows = []
    for req in requirements:
        doc_type = types.get(req.type_code)
        if doc_type is None:
            errors.append(
                ValidationError(
                    _("Unknown document type: %(code)s.") % {"code": str(req.type_code)[:40]},
                    code="unknown_document_type",
                )
            )
            continue
        if req.type_code in seen:
            errors.append(
                ValidationError(
                    _("%(code)s is listed twice.") % {"code": req.type_code}, code="duplicate"
                )
            )
            continue
        seen.add(req.type_code)
        message = _validate_level(doc_type, req.min_level.strip())
        if message:
            errors.append(ValidationError(message, code="level"))
            continue
        for name in ("validity_months", "min_remaining_months"):
            value = getattr(req, name)
            if value is not None and not 1 <= value <= 240:
                errors.append(
                    ValidationError(
                        _("%(code)s: months must be between 1 and 240.") % {"code": req.type_code},
                        code="months",
                    )
                )
                break
        else:
            group = req.alternative_group
            if group is not None and not 1 <= group <= 99:
                errors.append(
                    ValidationError(
                        _("%(code)s: the alternative group must be between 1 and 99.")
                        % {"code": req.type_code},
                        code="alternative_group",
                    )
                )
                continue
            if len(req.note) > 300:
                errors.append(
                    ValidationError(
                        _("%(code)s: the note is longer than 300 characters.")
                        % {"code": req.type_code},
                        code="max_length",
                    )
                )
                continue
            rows.append((req, doc_type))
    if errors:
        raise ValidationError({"requirements": errors})
    return rows


def _create_requirements(rs: RequirementSet, rows: list[tuple]) -> None:
    Requirement.objects.bulk_create(
        Requirement(
            requirement_set=rs,
            order=(i + 1) * 10,
            document_type=doc_type,
            min_level=req.min_level.strip(),
            validity_months=req.validity_months,
            min_remaining_months=req.min_remaining_months,
            note=req.note.strip(),
            alternative_group=req.alternative_group,
        )
        for i, (req, doc_type) in enumerate(rows)
    )


def _mark_set_stale(rs: RequirementSet) -> int:
    return readiness_mark_stale(
        destination_code=rs.destination.code if rs.destination_id else None,
        scheme_code=rs.scheme.code,
        sector=rs.sector,
    )


TERM_FIELDS = [f.name for f in fields(RequirementSetTerms)]


def requirement_set_create(
    *,
    actor,
    code: str,
    scheme: Scheme,
    destination: Destination | None,
    sector: str,
    terms: RequirementSetTerms,
    requirements: list[RequirementData],
) -> RequirementSet:
    """A new requirement set (version 1) for a target no other set covers."""
    _check_admin(actor, "destinations.requirement_set_create")
    errors: dict[str, ValidationError] = {}
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code or "") or len(code) > 60:
        errors["code"] = ValidationError(
            _("Use lower-case letters, digits and hyphens, e.g. kr-eps-fishery."), code="invalid"
        )
    elif RequirementSet.objects.filter(code=code).exists():
        errors["code"] = ValidationError(
            _("A requirement set with the code %(code)s exists: revise it instead.")
            % {"code": code},
            code="duplicate_code",
        )
    if sector and sector not in Sector.values:
        errors["sector"] = ValidationError(_("Unknown sector."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    same_target = RequirementSet.objects.filter(
        scheme=scheme, destination=destination, sector=sector, is_current=True
    ).first()
    if same_target is not None:
        raise ValidationError(
            {
                "sector": ValidationError(
                    _(
                        "The set %(code)s already covers this destination, scheme and sector: "
                        "revise it instead."
                    )
                    % {"code": same_target.code},
                    code="duplicate_target",
                )
            }
        )
    terms = _validate_terms(terms)
    rows = _validate_requirements(requirements)
    with transaction.atomic():
        rs = RequirementSet(
            code=code,
            version=1,
            is_current=True,
            destination=destination,
            scheme=scheme,
            sector=sector,
            created_by=actor,
            **{**asdict(terms), "effective_from": terms.effective_from or timezone.localdate()},
        )
        rs.full_clean()
        try:
            with transaction.atomic():
                rs.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                {
                    "code": ValidationError(
                        _("A requirement set with the code %(code)s exists: revise it instead.")
                        % {"code": code},
                        code="duplicate_code",
                    )
                }
            ) from None
        _create_requirements(rs, rows)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=rs,
            changed_fields=[
                "code",
                "destination",
                "scheme",
                "sector",
                *TERM_FIELDS,
                "requirements",
            ],
        )
        _mark_set_stale(rs)
    return rs


def requirement_set_revise(
    *,
    actor,
    requirement_set: RequirementSet,
    terms: RequirementSetTerms,
    requirements: list[RequirementData],
) -> RequirementSet:
    """Version N+1 of a set: `terms` and `requirements` are the new version in full
    (callers start from RequirementSetTerms.of(rs) and RequirementData.of(...)).

    Only the current version can be revised: revising another (someone revised it
    meanwhile, or an old version was opened) raises VersionConflict with the current
    version. Version N stays, no longer current, with its requirements. A revision
    cannot take effect before the version it replaces, and one that changes nothing is
    refused.
    """
    _check_admin(actor, "destinations.requirement_set_revise")
    terms = _validate_terms(terms)
    rows = _validate_requirements(requirements)
    start = terms.effective_from or max(timezone.localdate(), requirement_set.effective_from)
    with transaction.atomic():
        old = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer join.
            RequirementSet.objects.select_for_update(of=("self",))
            .select_related("destination", "scheme")
            .get(pk=requirement_set.pk)
        )
        if not old.is_current:
            current = RequirementSet.objects.filter(code=old.code, is_current=True).first()
            raise VersionConflict(current or old)
        if start < old.effective_from:
            raise ValidationError(
                {
                    "effective_from": ValidationError(
                        _(
                            "A new version cannot take effect before the version it replaces "
                            "(in force from %(date)s)."
                        )
                        % {"date": date_format(old.effective_from)},
                        code="backdated",
                    )
                }
            )
        before = RequirementSetTerms.of(old)
        after = RequirementSetTerms(**{**asdict(terms), "effective_from": start})
        changed = [name for name in TERM_FIELDS if getattr(before, name) != getattr(after, name)]
        old_requirements = [
            RequirementData.of(r) for r in old.requirements.select_related("document_type")
        ]
        new_requirements = [
            RequirementData(
                type_code=req.type_code,
                min_level=req.min_level.strip(),
                validity_months=req.validity_months,
                min_remaining_months=req.min_remaining_months,
                note=req.note.strip(),
                alternative_group=req.alternative_group,
            )
            for req, _doc_type in rows
        ]
        if new_requirements != old_requirements:
            changed.append("requirements")
        if not [name for name in changed if name != "effective_from"]:
            raise ValidationError(
                _("Nothing changed: this would repeat version %(version)s.")
                % {"version": old.version},
                code="no_change",
            )
        updated = RequirementSet.objects.filter(pk=old.pk, is_current=True).update(is_current=False)
        if not updated:  # pragma: no cover - the row is locked above
            raise VersionConflict(old)
        new = RequirementSet(
            code=old.code,
            version=old.version + 1,
            is_current=True,
            destination=old.destination,
            scheme=old.scheme,
            sector=old.sector,
            created_by=actor,
            **asdict(after),
        )
        new.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                new.save(force_insert=True)
        except IntegrityError:
            raise VersionConflict(
                RequirementSet.objects.filter(code=old.code).order_by("-version").first()
            ) from None
        _create_requirements(new, rows)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=old,
            changed_fields=["is_current"],
            reason=f"replaced by version {new.version}",
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=new,
            changed_fields=sorted(changed),
            reason=f"version {new.version} of {old.code}",
        )
        _mark_set_stale(new)
    return new
