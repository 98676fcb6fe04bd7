"""The worker card: its public page (`/jobs/card/<code>/`, no log-in) and its PDF
(`/jobs/placements/<id>/card.pdf`, for the worker themself and the office).

The public page shows only what the card is for: the holder's name, whether the card
is valid (and until when), the destination country, the embassy or consulate there
and the hotline in Jakarta. No NIK, no address, no employer, no wage, no photo. An
unknown code, or a placement cancelled, ended or past its end date, gets the same
"not valid" page (404): the page does not tell which. A look-up is not audited (the
page is public by design and shows nothing beyond the card); it is throttled per
client address (jobs/throttles.py, `GARDA_WORKER_CARD_RATE`) and kept out of search
engines (X-Robots-Tag and a robots meta tag)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.destinations.models import Destination
from garda.jobs import throttles
from garda.jobs.access.placement import get_placement_for
from garda.jobs.models import Placement
from garda.jobs.services.placement import card_valid
from garda.links import absolute_url

MAX_CODE_LENGTH = 40  # Placement.card_code
CARD_ROLES = (roles.WORKER, roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)


def card_url(placement: Placement) -> str:
    return absolute_url(reverse("jobs:card", args=[placement.card_code]))


def status_words(placement: Placement) -> str:
    P = Placement.Status
    return {
        P.PREPARING: _("Placed — preparing to depart"),
        P.DEPARTED: _("Placed — on the way"),
        P.ARRIVED: _("Placed — working abroad"),
    }.get(placement.status, "")


def embassy_lines(destination: Destination | None) -> list[str]:
    if destination is None:
        return []
    values = (
        destination.embassy_name,
        destination.embassy_address,
        destination.embassy_phone,
        destination.embassy_email,
        destination.embassy_website,
    )
    return [v for v in values if v]


def card_facts(placement: Placement) -> dict:
    """Everything the card and its page show: nothing more may be added here
    without changing docs/placement.md and the tests that pin the page."""
    destination = Destination.objects.filter(code=placement.order.destination).first()
    return {
        "name": placement.person.full_name,
        "status": status_words(placement),
        "ends_on": placement.ends_on,
        "destination": destination.display_name if destination else placement.order.destination,
        "embassy": embassy_lines(destination),
        "hotline": settings.GARDA_HOTLINE,
        "url": card_url(placement),
    }


def _public(response: HttpResponse) -> HttpResponse:
    # The URL is the secret: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def card_public(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone who scans the QR code: valid or not, and whom to call."""
    if not throttles.WORKER_CARD.allow(request):
        response = render(request, "jobs/card_public.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(throttles.WORKER_CARD.retry_after())
        return _public(response)
    placement = None
    if code and len(code) <= MAX_CODE_LENGTH:
        placement = (
            Placement.objects.select_related("person", "order").filter(card_code=code).first()
        )
    if not card_valid(placement):
        return _public(render(request, "jobs/card_public.html", {"valid": False}, status=404))
    context = {"valid": True, "card": card_facts(placement)}
    return _public(render(request, "jobs/card_public.html", context))


@role_required(*CARD_ROLES)
@require_GET
def card_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The card as a PDF: the worker's own, or any for the office (audited as an
    export). A card that is not valid is not printed (409 with the reason)."""
    from garda.jobs.card_pdf import card_pdf

    placement = get_placement_for(request.user, pk)
    if request.user.role == roles.WORKER and placement.person.user_id != request.user.pk:
        from garda.audit.gate import deny_not_found

        deny_not_found(request.user, "jobs.placement", pk, "card_download")
    if not card_valid(placement):
        return render(
            request,
            "jobs/card_refused.html",
            {"placement": placement},
            status=409,
        )
    content = card_pdf(card_facts(placement))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=placement.person,
        reason=f"worker card pdf, placement {placement.pk}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kartu-pmi-{placement.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
