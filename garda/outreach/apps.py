"""Outreach: events that bring people in (socialisation, job fairs, G-to-G information
sessions, capacity building), registrations and QR check-in, the funnel from an event
to a departure, and announcements (docs/outreach.md)."""

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _person_saved(sender, instance, created, raw=False, **kwargs):
    """A person newly in the registry: link the event registrations that gave their
    NIK (the funnel's "registered after attending" reads the link)."""
    if created and not raw:
        from garda.outreach.services.registrations import registrations_link_person

        registrations_link_person(instance)


class OutreachConfig(AppConfig):
    name = "garda.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        post_save.connect(
            _person_saved, sender="people.Person", dispatch_uid="outreach_link_person"
        )
