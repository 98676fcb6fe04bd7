"""Outreach pages for the public and workers: the open events, the registration form,
the confirmation with the check-in code and its QR code (SVG, drawn on the server),
the announcements, and a worker's subscription. No JavaScript; 360 px wide."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny
from garda.links import absolute_url
from garda.outreach import throttles
from garda.outreach.access import get_public_event, public_events
from garda.outreach.forms import RegistrationForm, SubscriptionForm, WorkerRegistrationForm
from garda.outreach.models import Announcement, Registration, Subscription
from garda.outreach.services.announcements import SubscriptionData, subscription_save
from garda.outreach.services.registrations import RegistrationRefused, registration_create
from garda.pagination import CappedPaginator
from garda.people.models import Person

PAGE_SIZE = 20


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    found = public_events().select_related("region").order_by("starts_at", "id")
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/public_events.html", {"page": page})


def _own_person(user) -> Person | None:
    if getattr(user, "is_authenticated", False) and user.role == roles.WORKER:
        return Person.objects.filter(user=user).first()
    return None


@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """An open event for the public, and its registration form: the public and
    workers register (a worker with a record types nothing); staff see the page."""
    user = request.user
    found = get_public_event(user, pk)
    may_register = not user.is_authenticated or user.role == roles.WORKER
    person = _own_person(user)
    form_class = WorkerRegistrationForm if person is not None else RegistrationForm
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    throttled = False
    # Visitors without an account share a budget per address (throttles.py).
    budgeted = not user.is_authenticated
    if request.method == "POST":
        if not may_register:
            deny(user, "POST outreach:public_event")
        if budgeted and throttles.REGISTER.exceeded(request):
            throttled, status = True, 429
        elif form.is_valid():
            try:
                registration = registration_create(
                    actor=user,
                    event=found,
                    data=form.to_data(),
                    channel=Registration.Channel.ONLINE,
                )
            except ValidationError as exc:
                from garda.viewutils import add_service_errors

                add_service_errors(form, exc)
            except RegistrationRefused as exc:
                if budgeted and exc.code == "already_registered":
                    throttles.REGISTER.hit(request)
                form.add_error(None, exc.message)
                status = 409
            else:
                if budgeted:
                    throttles.REGISTER.hit(request)
                return redirect("outreach:confirmation", token=registration.token)
        status = status if status != 200 else 422
    return render(
        request,
        "outreach/public_event.html",
        {
            "event": found,
            "form": form,
            "may_register": may_register,
            "person": person,
            "throttled": throttled,
        },
        status=status,
    )


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration: the SVG goes inline in the page.
    return svg[svg.find("<svg") :]


@require_GET
def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's ticket: the event, the check-in code and its QR code, which
    encodes the event's check-in URL with the code (an officer's phone camera opens it)."""
    registration = (
        Registration.objects.select_related("event", "event__region").filter(token=token).first()
        if len(token) <= 40
        else None
    )
    if registration is None:
        raise Http404
    url = absolute_url(
        reverse("outreach:check_in", args=[registration.event_id]) + f"?code={registration.code}"
    )
    return render(
        request,
        "outreach/confirmation.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 - drawn by qrcode from our own URL
        },
    )


@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    found = Announcement.objects.select_related("region").order_by("-published_at", "-id")
    kind = request.GET.get("kind", "")
    if kind in Announcement.Kind.values:
        found = found.filter(kind=kind)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/announcements.html",
        {"page": page, "kinds": Announcement.Kind.choices, "kind": kind},
    )


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    current = Subscription.objects.filter(user=request.user).first()
    initial = (
        {
            "active": current.active,
            "districts": Subscription.unpack(current.districts),
            "interests": Subscription.unpack(current.interests),
            "by_email": current.by_email,
            "by_sms": current.by_sms,
            "phone": current.phone,
        }
        if current
        else {"active": True, "by_email": True}
    )
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            subscription_save(actor=request.user, data=form.to_data())
        except ValidationError as exc:
            from garda.viewutils import add_service_errors

            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("outreach:subscription")
    status = 422 if request.method == "POST" else 200
    return render(request, "outreach/subscription.html", {"form": form}, status=status)


__all__ = ["SubscriptionData"]
