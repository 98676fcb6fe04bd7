"""Reads of the rules as data: which requirement set applies to a target, and the
status of a sector in a destination on a day.

Both answer "as of a date", because rules change by decree and a change is a new row
(SectorRule) or a new version (RequirementSet), never an overwrite: asking about a
past date gives the rule in force then.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from garda.destinations.models import Destination, Requirement, RequirementSet, SectorRule

Target = tuple[str, str, str]  # (destination code, scheme code, sector)


def target_key(destination_code: str, scheme_code: str, sector: str) -> str:
    """The readiness cache key of a target (contract: "KR:g2g-kr-eps:manufacturing")."""
    return f"{destination_code}:{scheme_code}:{sector}"


def requirements_prefetch() -> Prefetch:
    """A set's requirements with their document types, in order (one query for any
    number of sets)."""
    return Prefetch(
        "requirements",
        queryset=Requirement.objects.select_related("document_type").order_by("order", "id"),
    )


def _specificity(rs: RequirementSet, sector: str) -> int | None:
    """How closely a set matches (higher wins), or None when it does not apply:
    destination+sector, destination (any sector), any destination+sector, any
    destination and any sector."""
    if rs.sector and rs.sector != sector:
        return None
    return (2 if rs.destination_id is not None else 0) + (1 if rs.sector else 0)


def _in_force(sets: Iterable[RequirementSet]) -> list[RequirementSet]:
    """Per code, the highest version among those given (the caller has already
    excluded versions that start after the day asked about)."""
    best: dict[str, RequirementSet] = {}
    for rs in sets:
        if rs.code not in best or rs.version > best[rs.code].version:
            best[rs.code] = rs
    return list(best.values())


def _pick(candidates: list[RequirementSet], destination_code: str, sector: str):
    ranked = []
    for rs in candidates:
        if rs.destination_id is not None and rs.destination.code != destination_code:
            continue
        score = _specificity(rs, sector)
        if score is not None:
            # Ties (two codes at the same specificity) go to the later start, then code.
            ranked.append((score, rs.effective_from, rs.code, rs))
    if not ranked:
        return None
    return max(ranked, key=lambda row: row[:3])[3]


def _candidates(destination_codes: Iterable[str], scheme_codes: Iterable[str], on: date):
    return (
        RequirementSet.objects.filter(
            Q(destination__code__in=set(destination_codes)) | Q(destination__isnull=True),
            scheme__code__in=set(scheme_codes),
            effective_from__lte=on,
        )
        .select_related("destination", "scheme")
        .order_by("code", "version")
    )


def requirement_set_for(
    destination_code: str,
    scheme_code: str,
    sector: str,
    on: date | None = None,
    *,
    with_requirements: bool = True,
) -> RequirementSet | None:
    """The requirement set that applies to a target on a day (default: today).

    For each set code, the version in force on that day is the highest version whose
    effective_from is on or before it (so a revision dated in the future does not
    apply yet). Among the sets that apply, the most specific wins: exact destination
    and sector, then the destination with any sector, then any destination with this
    sector, then any destination and sector (e.g. the independent baseline). None
    when no set applies (the readiness engine reports `no_requirement_set`).

    None for an unknown destination code. One query for the sets, plus one for the
    requirements with their document types when `with_requirements`.
    """
    on = on or timezone.localdate()
    # One query: the candidate sets, each knowing whether the destination exists (a
    # baseline set must not answer for a code that is no destination).
    candidates = list(
        _candidates([destination_code], [scheme_code], on).annotate(
            destination_known=Exists(Destination.objects.filter(code=destination_code))
        )
    )
    if not candidates or not candidates[0].destination_known:
        return None
    chosen = _pick(_in_force(candidates), destination_code, sector)
    if chosen is not None and with_requirements:
        prefetch_related_objects([chosen], requirements_prefetch())
    return chosen


def requirement_sets_for_targets(
    targets: Iterable[Target], on: date | None = None, *, with_requirements: bool = True
) -> dict[Target, RequirementSet | None]:
    """requirement_set_for for many targets at once (bulk readiness): a constant
    number of queries however many targets, the same choice for each."""
    on = on or timezone.localdate()
    targets = list(dict.fromkeys(targets))
    if not targets:
        return {}
    codes = {t[0] for t in targets}
    candidates = _in_force(_candidates(codes, {t[1] for t in targets}, on))
    known = set(Destination.objects.filter(code__in=codes).values_list("code", flat=True))
    by_scheme: dict[str, list[RequirementSet]] = {}
    for rs in candidates:
        by_scheme.setdefault(rs.scheme.code, []).append(rs)
    result = {
        t: _pick(by_scheme.get(t[1], []), t[0], t[2]) if t[0] in known else None for t in targets
    }
    if with_requirements:
        chosen = list({rs.pk: rs for rs in result.values() if rs is not None}.values())
        prefetch_related_objects(chosen, requirements_prefetch())
    return result


# --- sector status ------------------------------------------------------------------


def rules_in_force(on: date | None = None) -> QuerySet[SectorRule]:
    """Sector rules in force on a day: started on or before it, not ended (the end
    date is exclusive)."""
    on = on or timezone.localdate()
    return SectorRule.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=on)
    )


def _destination_filter(destination: Destination | str) -> Q:
    if isinstance(destination, Destination):
        return Q(destination_id=destination.pk)
    return Q(destination__code=destination)


def sector_status(
    destination: Destination | str, sector: str, on: date | None = None, occupation: str = ""
) -> SectorRule | None:
    """The rule in force for a sector of a destination on a day, or None (no rule
    recorded: the sector is not restricted by any decree we hold).

    Without `occupation` this is the sector-wide rule (e.g. the Middle East moratorium
    on domestic work). With one, the occupation's own rule when there is one in force
    (e.g. the SPSK pilot in Saudi Arabia), else the sector-wide rule.
    """
    qs = rules_in_force(on).filter(_destination_filter(destination), sector=sector)
    occupations = [occupation, ""] if occupation else [""]
    rules = {
        r.occupation: r for r in qs.filter(occupation__in=occupations).order_by("effective_from")
    }
    if occupation and occupation in rules:
        return rules[occupation]
    return rules.get("")


def sector_statuses(
    destinations: Iterable[Destination] | None = None, on: date | None = None
) -> dict[str, dict[str, list[SectorRule]]]:
    """Every rule in force on a day, for a page listing all sectors: {destination
    code: {sector: [the sector-wide rule first, then occupation rules]}}. One query.

    `destinations` limits the answer (default: all)."""
    qs = (
        rules_in_force(on)
        .select_related("destination")
        .order_by("destination__code", "sector", "occupation", "effective_from")
    )
    if destinations is not None:
        qs = qs.filter(destination__in=list(destinations))
    result: dict[str, dict[str, list[SectorRule]]] = {}
    for rule in qs:
        result.setdefault(rule.destination.code, {}).setdefault(rule.sector, []).append(rule)
    return result


def sets_in_force_for(destination: Destination, on: date | None = None) -> list[RequirementSet]:
    """The versions in force on a day of every set a worker going to `destination`
    may meet: the destination's own and the baselines (no destination) of the schemes
    available there; requirements prefetched. For the public destination page."""
    on = on or timezone.localdate()
    scheme_ids = list(destination.schemes.values_list("scheme_id", flat=True))
    qs = (
        RequirementSet.objects.filter(
            Q(destination=destination) | Q(destination__isnull=True, scheme_id__in=scheme_ids),
            effective_from__lte=on,
        )
        .select_related("scheme", "destination")
        .order_by("code", "version")
    )
    chosen = sorted(
        _in_force(qs), key=lambda rs: (rs.destination_id is None, rs.scheme.code, rs.sector)
    )
    prefetch_related_objects(chosen, requirements_prefetch())
    return chosen


def condition_texts(rs: RequirementSet) -> list[str]:
    """A set's eligibility conditions in plain words, for workers."""
    from django.utils.translation import gettext as _

    from garda.people.models import Education

    texts = []
    if rs.min_age is not None and rs.max_age is not None:
        texts.append(_("Age %(min)s to %(max)s years.") % {"min": rs.min_age, "max": rs.max_age})
    elif rs.min_age is not None:
        texts.append(_("At least %(min)s years old.") % {"min": rs.min_age})
    elif rs.max_age is not None:
        texts.append(_("At most %(max)s years old.") % {"max": rs.max_age})
    if rs.min_education:
        label = dict(Education.choices).get(rs.min_education, rs.min_education)
        texts.append(_("Education: at least %(level)s.") % {"level": label})
    for cond in rs.conditions or []:
        kind = cond.get("kind")
        if kind == "max_prior_stay_years":
            texts.append(
                _("Earlier stays in %(country)s add up to less than %(years)s years.")
                % {"country": cond.get("country"), "years": cond.get("years")}
            )
        elif kind == "min_experience_years":
            texts.append(
                _("At least %(years)s years of work experience.") % {"years": cond.get("years")}
            )
        elif kind == "sex":
            texts.append(_("Women only.") if cond.get("value") == "F" else _("Men only."))
    return texts
