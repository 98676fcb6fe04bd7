"""Notifications: an in-app message, and an e-mail after the transaction commits.

Called from services inside their transaction; a rolled-back write notifies nobody.
Messages carry no identity numbers (they may travel by e-mail).
"""

from django.core.mail import send_mail
from django.db import transaction

from garda.accounts.models import Notification, User
from garda.links import absolute_url


def notify(*, user: User | None, title: str, body: str = "", url: str = "", email: bool = True):
    """Tell `user` something; returns the Notification (None when there is no user)."""
    if user is None or not user.is_active:
        return None
    note = Notification.objects.create(user=user, title=title[:200], body=body, url=url[:300])
    if email and user.email:
        # Built now, while the request (if any) is at hand: garda/links.py.
        link = f"\n\n{absolute_url(url)}" if url else ""
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Garda: {title}",
                message=f"{body}{link}",
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        )
    return note
