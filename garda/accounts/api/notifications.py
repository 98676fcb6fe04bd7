"""Notifications in the API: every signed-in user, their own only (another user's
id is a 404)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from garda.accounts.access import get_notification_for, read_notifications, unread_count
from garda.accounts.services import notification_mark_read, notifications_mark_all_read
from garda.pagination import Pagination

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


class NotificationFilter(Schema):
    unread: bool = Field(False, description="Only unread notifications")


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get(
    "/notifications", response=list[NotificationOut], summary="My notifications, newest first"
)
@paginate(Pagination, page_size=25)
def notification_list(request: HttpRequest, filters: Query[NotificationFilter]):
    return read_notifications(request.auth, unread=filters.unread)


@router.get("/notifications/unread-count", response=UnreadOut, summary="How many are unread")
def notification_unread_count(request: HttpRequest):
    return {"unread": unread_count(request.auth)}


@router.post(
    "/notifications/read-all", response=MarkedOut, summary="Mark all my notifications read"
)
def notification_read_all(request: HttpRequest):
    return {"marked": notifications_mark_all_read(actor=request.auth)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one notification read",
)
def notification_read(request: HttpRequest, notification_id: int):
    notification = get_notification_for(request.auth, notification_id)
    return notification_mark_read(actor=request.auth, notification=notification)
