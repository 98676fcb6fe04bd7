"""Outreach pages: publishing an announcement (officers, supervisors)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from garda.accounts.decorators import role_required
from garda.outreach.access import WRITE_ROLES
from garda.outreach.forms import AnnouncementForm
from garda.outreach.services.announcements import announcement_publish
from garda.viewutils import add_service_errors


@role_required(*sorted(WRITE_ROLES))
@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            a = announcement_publish(actor=request.user, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The announcement is published and sent to %(n)s subscribed workers.")
                % {"n": a.recipients},
            )
            return redirect("outreach:announcements")
    status = 422 if request.method == "POST" else 200
    return render(request, "outreach/announcement_form.html", {"form": form}, status=status)
