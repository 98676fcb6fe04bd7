"""The public statistics page (/figures/public/, no login): the published tables of one
calendar year, read from the snapshot only, with the hidden cells marked and why
(docs/statistics.md). The current year is not published (only ended years are): the
page says when it will be, and why. No personal data: nothing audited; served from the page cache
(scope "reports_public", renewed whenever a snapshot is saved)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda import pagecache
from garda.reports import public
from garda.reports.suppression import THRESHOLD


@require_GET
@pagecache.public_page("reports_public")
def public_stats(request: HttpRequest) -> HttpResponse:
    years = public.published_years()
    asked = (request.GET.get("period") or "").strip()
    invalid = bool(asked) and asked not in years
    period = asked if asked in years else (years[0] if years else "")
    snapshot = public.snapshot_for(period) if period else None
    this_year = public.current_year()
    later = asked if public.publishes_later(asked) else this_year
    context = {
        "years": years,
        "period": period,
        "asked": asked,
        "invalid": invalid,
        "asked_later": invalid and public.publishes_later(asked),
        "not_yet": public.not_yet_message(later),
        "snapshot": snapshot,
        "tables": public.describe(snapshot.data) if snapshot else [],
        "threshold": THRESHOLD,
    }
    return render(request, "reports/public.html", context)
