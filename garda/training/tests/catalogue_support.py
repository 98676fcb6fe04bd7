"""Helpers for the catalogue and enrolment tests (and the policy world)."""

from datetime import date

from garda.accounts.models import User
from garda.people.models import Person
from garda.training.models import Provider
from garda.training.tests.factories import jakarta_timur, make_provider


def provider_for(agency=None, **extra) -> Provider:
    """make_provider, with the region it puts providers in (not loaded in tests)."""
    jakarta_timur()
    return make_provider(agency, **extra)


def person(
    serial: int,
    *,
    user: User | None = None,
    education: str = "sma",
    born: date = date(1995, 5, 17),
    **kwargs,
) -> Person:
    """A registered person (through the registry's service), with an education level
    (set directly: the registry's profile form is not under test here)."""
    from garda.people.tests.factories import register

    registered = register(serial=serial, user=user, born=born, **kwargs)
    Person.objects.filter(pk=registered.pk).update(education_level=education)
    registered.education_level = education
    return registered
