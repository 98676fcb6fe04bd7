"""`garda demo`: a demo dated from the day it is set up (a batch running today, a
worklist that is not all overdue), quiet output ending with every login, e-mails
written to the folder the output names, and idempotent on a second run, a later day
included."""

import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from garda.management.commands.demo import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db

FIRST_DAY = "2026-03-04 08:00 +07:00"  # a Wednesday
LATER_DAY = "2026-03-14 08:00 +07:00"  # ten days later, a Saturday


def _demo(capture, *args: str) -> str:
    """Run the set-up; the e-mails it sends after commit go to mail.outbox (the test
    runs in a transaction; the server test reads them in the mail folder)."""
    out = io.StringIO()
    with capture(execute=True):
        call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def _running_today():
    from garda.training.models import Batch

    today = timezone.localdate()
    return Batch.objects.filter(
        trainers__email="teguh@demo.garda.id",
        starts_on__lt=today,
        ends_on__gt=today,
        sessions__date=today,
    ).distinct()


def _worklist(email: str):
    from garda.accompaniment.worklist import worklist_rows
    from garda.accounts.models import User

    return worklist_rows(User.objects.get(email=email))


def test_the_demo_shows_the_product_working_today(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from garda.accounts.models import User
    from garda.audit.verify import verify_chain
    from garda.people.models import Person
    from garda.training.models import Batch

    settings.GARDA_BASE_URL = ""
    settings.GARDA_MAIL_DIR = tmp_path / "mail"
    with time_machine.travel(FIRST_DAY, tick=False):
        text = _demo(django_capture_on_commit_callbacks, "--port", "8123")

        # Quiet: a few lines, no e-mail among them, ending with every login.
        assert len(text.splitlines()) <= len(DEMO_USERS) + 8
        assert "Subject:" not in text and "Content-Type" not in text
        assert f"Demo users: {len(DEMO_USERS)} created" in text
        assert f"Demo logins: {len(DEMO_USERS)} accounts, password for all: {DEMO_PASSWORD}" in (
            text
        )
        listed = re.findall(r"^  (\w+)\s+(\S+@demo\.garda\.id)\s", text, re.MULTILINE)
        assert listed == [(role, email) for email, _name, role, _agency in DEMO_USERS]
        assert User.objects.count() == len(DEMO_USERS)
        assert "Open http://127.0.0.1:8123/" in text

        # E-mails: the output names their folder; their links go to the demo's port.
        assert f"E-mails are written to {tmp_path / 'mail'}/" in text
        # A sign-up finishes with the link in the e-mail (issue 19): the output says so.
        assert "http://127.0.0.1:8123/accounts/signup/" in text
        bodies = [m.body for m in mail.outbox]
        assert bodies and all("http://127.0.0.1:8123/" in body for body in bodies)
        assert not any(body in text for body in bodies)

        # Today: a batch of the demo trainer with a session today, to mark.
        assert _running_today().count() == 1
        # A realistic worklist: some overdue, most not; documents waiting.
        for officer in ("alice@demo.garda.id", "dewi@demo.garda.id"):
            rows = _worklist(officer)
            overdue = sum(row.overdue for row in rows)
            assert rows and 0 < overdue < len(rows) / 2, (officer, overdue, len(rows))
            assert sum(bool(row.pending_docs) for row in rows) >= 10
            assert any(row.next_task_due and row.next_task_due > timezone.now() for row in rows)
        counts = (User.objects.count(), Person.objects.count(), Batch.objects.count())

    with time_machine.travel(LATER_DAY, tick=False):
        again = _demo(django_capture_on_commit_callbacks, "--port", "8123")
        assert f"Demo users: 0 created, {len(DEMO_USERS)} existed" in again
        assert f"Demo logins: {len(DEMO_USERS)} accounts" in again
        # Nothing duplicated; only that day's running batch is new.
        assert (User.objects.count(), Person.objects.count(), Batch.objects.count()) == (
            counts[0],
            counts[1],
            counts[2] + 1,
        )
        assert _running_today().filter(code__endswith="260314").count() == 1
    assert verify_chain().ok
