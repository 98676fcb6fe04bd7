"""The notification inbox pages: every signed-in user reads their own notifications
(newest first, unread ones marked) and marks one or all as read. The reads are
accounts/access.py's, the writes accounts/services.py's (the API uses the same)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from garda.accounts.access import (
    get_notification_for,
    inbox_of,
    read_notifications,
    unread_count,
)
from garda.accounts.services import notification_mark_read, notifications_mark_all_read
from garda.pagination import CappedPaginator
from garda.viewutils import is_htmx

PAGE_SIZE = 25


# --- pages ----------------------------------------------------------------------------


def _inbox_context(request: HttpRequest, *, read: bool = True) -> dict:
    """The inbox page's context; `read`: audited as a read of the inbox (not when it
    is shown again after marking all read)."""
    only_unread = request.GET.get("unread") == "1"
    qs = (read_notifications if read else inbox_of)(request.user, unread=only_unread)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "only_unread": only_unread, "unread": unread_count(request.user)}


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox_context(request)
    template = (
        "accounts/notifications_list.html" if is_htmx(request) else "accounts/notifications.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read. With `open`, go on to the notification's link (a local path
    only); with HTMX, answer the item alone."""
    notification = get_notification_for(request.user, pk)
    notification = notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url or "accounts:notifications")
    if is_htmx(request):
        return render(request, "accounts/notifications_item.html", {"n": notification})
    return redirect("accounts:notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=request.user)
    if is_htmx(request):
        return render(
            request, "accounts/notifications_list.html", _inbox_context(request, read=False)
        )
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("accounts:notifications")
