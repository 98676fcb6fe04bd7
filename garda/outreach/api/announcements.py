"""Outreach API: announcements.

- `POST /announcements` (officers, supervisors): published at once on the public
  portal and sent to the subscribed workers of its district and interest;
- `GET /announcements` (every signed-in user): the published ones, newest first.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.outreach.access import WRITE_ROLES
from garda.outreach.models import Announcement
from garda.outreach.services.announcements import AnnouncementData, announcement_publish
from garda.pagination import Pagination

router = Router(tags=["outreach"])


class OutreachAnnouncementIn(Schema):
    kind: str = Field(description="g2g_call, batch_opening, broker_warning, fake_job or other")
    title: str = Field(max_length=300)
    body: str = Field(max_length=6000)
    region_code: str = Field("", max_length=13, description="a kab/kota; empty: everywhere")
    interest: str = Field("", max_length=40, description="a training sector or g2g; empty: all")


class OutreachAnnouncementOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    region_code: str | None
    interest: str
    published_at: datetime
    recipients: int | None = Field(None, description="workers told (staff only)")

    @staticmethod
    def resolve_region_code(obj) -> str | None:
        return obj["region_code"] if isinstance(obj, dict) else obj.region_id

    @staticmethod
    def resolve_recipients(obj) -> int | None:
        return obj["recipients"] if isinstance(obj, dict) else None


def announcement_out(a: Announcement, *, staff: bool = False) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": a.title,
        "body": a.body,
        "region_code": a.region_id,
        "interest": a.interest,
        "published_at": a.published_at,
        "recipients": a.recipients if staff else None,
    }


@router.post(
    "/announcements",
    response={201: OutreachAnnouncementOut},
    summary="Publish an announcement and tell the subscribed workers",
)
def outreach_announcement_publish(request: HttpRequest, payload: OutreachAnnouncementIn):
    ensure_role(request.auth, *WRITE_ROLES, what="api outreach_announcement_publish")
    a = announcement_publish(actor=request.auth, data=AnnouncementData(**payload.dict()))
    return Status(201, announcement_out(a, staff=True))


@router.get(
    "/announcements", response=list[OutreachAnnouncementOut], summary="Published announcements"
)
@paginate(Pagination, page_size=50)
def outreach_announcement_list(request: HttpRequest):
    return Announcement.objects.order_by("-published_at", "-id")
