"""Ids beyond the database's integer range are a 404 (or 422), never a 500."""

import pytest

from conftest import verified_client

HUGE = "99999999999999999999"


@pytest.mark.django_db
def test_huge_ids(admin_user):
    client = verified_client(admin_user)
    for path in (
        f"/accompaniment/people/{HUGE}/",
        f"/accompaniment/people/{HUGE}/timeline/",
        f"/accompaniment/people/{HUGE}/summary.pdf",
        f"/accompaniment/tasks/{HUGE}/reschedule/",
        f"/api/v1/people/{HUGE}/tasks",
        f"/api/v1/people/{HUGE}/timeline",
        f"/api/v1/people/{HUGE}/assignments",
        f"/accompaniment/?officer={HUGE}",
        f"/accompaniment/reassign/?from={HUGE}",
        f"/api/v1/worklist?officer_id={HUGE}",
        f"/accompaniment/workload/?agency={HUGE}",
    ):
        assert client.get(path).status_code in (200, 404, 422), path
    for path in (
        f"/accompaniment/tasks/{HUGE}/complete/",
        f"/accompaniment/people/{HUGE}/officers/",
        f"/accounts/notifications/{HUGE}/read/",
        f"/api/v1/tasks/{HUGE}/complete",
        f"/api/v1/notifications/{HUGE}/read",
    ):
        assert client.post(path).status_code in (404, 422), path
    assert client.delete(f"/api/v1/assignments/{HUGE}").status_code in (404, 422)
    reassign = client.post(
        "/api/v1/assignments/reassign",
        {"from_officer_id": int(HUGE), "to_officer_id": 1},
        content_type="application/json",
    )
    assert reassign.status_code in (404, 422)
