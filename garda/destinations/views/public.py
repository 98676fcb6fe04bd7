"""Public pages: destination facts for anyone, signed in or not (docs/design.md, "public").

No personal data here, so nothing is audited and anonymous visitors are welcome.
Only published destinations are shown; a moratorium is shown first and loudly,
with its reason and legal basis (issue 4: "impossible to record as ready, with the
reason shown").
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from garda import pagecache
from garda.destinations.access import get_destination_for, visible_destinations
from garda.destinations.forms import PublicSectorForm
from garda.destinations.models import DestinationScheme, Sector, SectorRule
from garda.destinations.requirements import (
    condition_texts,
    sector_statuses,
    sets_in_force_for,
)

SECTOR_LABELS = dict(Sector.choices)


def _badges(rules_by_sector: dict[str, list[SectorRule]]) -> list[dict]:
    """One row per rule in force, the severest first (moratorium, restricted, open)."""
    severity = {
        SectorRule.Status.MORATORIUM: 0,
        SectorRule.Status.RESTRICTED: 1,
        SectorRule.Status.OPEN: 2,
    }
    rows = [
        {"rule": rule, "sector_label": SECTOR_LABELS.get(sector, sector)}
        for sector, rules in rules_by_sector.items()
        for rule in rules
    ]
    rows.sort(key=lambda row: (severity.get(row["rule"].status, 3), row["rule"].sector))
    return rows


@require_GET
@pagecache.public_page("destinations")
def destination_index(request: HttpRequest) -> HttpResponse:
    """Every published destination with the schemes available there and the status
    of each sector that has a rule in force today (optionally one sector only)."""
    form = PublicSectorForm(request.GET or None)
    sector = form.cleaned_data["sector"] if form.is_valid() else ""
    today = timezone.localdate()
    destinations = list(
        visible_destinations(None).prefetch_related("schemes__scheme").order_by("region", "name")
    )
    statuses = sector_statuses(on=today)
    rows = []
    for destination in destinations:
        by_sector = statuses.get(destination.code, {})
        if sector:
            by_sector = {sector: by_sector[sector]} if sector in by_sector else {}
        badges = _badges(by_sector)
        rows.append(
            {
                "destination": destination,
                "badges": badges,
                "has_moratorium": any(
                    b["rule"].status == SectorRule.Status.MORATORIUM for b in badges
                ),
                "schemes": [
                    ds
                    for ds in destination.schemes.all()
                    if ds.scheme.is_active
                    and (not sector or not ds.sectors or sector in ds.sectors)
                ],
            }
        )
    context = {
        "form": form,
        "sector": sector,
        "sector_label": SECTOR_LABELS.get(sector, ""),
        "rows": rows,
        "today": today,
    }
    return render(request, "destinations/public_index.html", context)


@require_GET
@pagecache.public_page("destinations")
def destination_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One destination: warnings first (moratorium, restrictions), then what a worker
    needs: schemes, language tests, minimum age, requirements with where to get each
    document, the embassy's contact and notes."""
    # Anonymous and signed-in visitors alike see only what the public sees here.
    destination = get_destination_for(None, code)
    today = timezone.localdate()
    by_sector = sector_statuses([destination], on=today).get(destination.code, {})
    badges = _badges(by_sector)
    schemes = list(
        DestinationScheme.objects.filter(destination=destination, scheme__is_active=True)
        .select_related("scheme")
        .order_by("scheme__kind", "scheme__code")
    )
    english = _is_english(request)
    for ds in schemes:
        ds.sector_labels = [SECTOR_LABELS.get(s, s) for s in ds.sectors]
        ds.description_text = (
            ds.scheme.description_en
            if english and ds.scheme.description_en
            else ds.scheme.description
        )
    sets = sets_in_force_for(destination, on=today)
    for rs in sets:
        rs.condition_list = condition_texts(rs)
        rs.sector_label = SECTOR_LABELS.get(rs.sector, "")

    def sectors(status: str) -> str:
        return ", ".join(
            b["sector_label"] + (f" ({b['rule'].occupation})" if b["rule"].occupation else "")
            for b in badges
            if b["rule"].status == status
        )

    context = {
        "destination": destination,
        # The summary box (docs/design-ui.md §2.6): open or closed, routes, age, tests.
        "open_sectors": sectors(SectorRule.Status.OPEN),
        "closed_sectors": sectors(SectorRule.Status.MORATORIUM),
        "restricted_sectors": sectors(SectorRule.Status.RESTRICTED),
        "language_tests": ", ".join(
            dict.fromkeys(ds.language_tests for ds in schemes if ds.language_tests)
        ),
        # "Diperbarui": the latest change of the country's facts, rules or lists.
        "updated": max(
            [timezone.localdate(destination.updated_at)]
            + [b["rule"].effective_from for b in badges if b["rule"].effective_from]
            + [rs.effective_from for rs in sets if rs.effective_from]
        ),
        "moratoria": [b for b in badges if b["rule"].status == SectorRule.Status.MORATORIUM],
        "restrictions": [b for b in badges if b["rule"].status == SectorRule.Status.RESTRICTED],
        "badges": badges,
        "schemes": schemes,
        "sets": sets,
        "notes": destination.notes_en if english and destination.notes_en else destination.notes,
        "today": today,
    }
    return render(request, "destinations/public_detail.html", context)


def _is_english(request: HttpRequest) -> bool:
    return (get_language() or "id").startswith("en")
