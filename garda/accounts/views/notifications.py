"""The notification inbox: every signed-in user reads their own notifications
(newest first, unread ones marked), marks one or all as read, and sees how many are
unread in the navigation (the `notification_count` context processor).

Only one's own: another user's notification id is a 404, like a missing one.
The writes (marking read) are small services here, used by the page and the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from garda.accounts.models import Notification, User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.pagination import CappedPaginator
from garda.viewutils import is_htmx

PAGE_SIZE = 25


# --- access ---------------------------------------------------------------------------


def visible_notifications(user: User) -> QuerySet[Notification]:
    """A user's own notifications; nobody else's, whatever their role."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def inbox_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The inbox (only the unread ones with `unread`), newest first."""
    qs = visible_notifications(user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def read_notifications(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """inbox_of, the read audited (a VIEW of the list, "inbox"): the page and the API
    read the inbox through here."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="accounts.notification",
        reason="inbox",
    )
    return inbox_of(user, unread=unread)


def get_notification_for(user: User, pk) -> Notification:
    try:
        return visible_notifications(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(user: User) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()


# --- services -------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again: no change, no audit row)."""
    if notification.user_id != actor.pk:
        raise Http404
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=notification,
                changed_fields=["read_at"],
            )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; one audit row for all."""
    with transaction.atomic():
        count = (
            visible_notifications(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
        )
        if count:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type="accounts.notification",
                changed_fields=["read_at"],
                reason=f"all read: {count}",
            )
    return count


# --- the navigation count -------------------------------------------------------------


def notification_count(request: HttpRequest) -> dict:
    """Context processor: `unread_notification_count`, counted only if a template
    uses it (one small indexed query), and 0 for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}


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
