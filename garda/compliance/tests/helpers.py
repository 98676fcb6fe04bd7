"""Build the compliance tests' data through the real services, in the past when a
record must be past its time (time_machine)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from garda.documents.tests.conftest import upload
from garda.people.access import read_person_for
from garda.people.services.registry import person_change_status
from garda.people.tests.factories import register


def years_ago(n: float):
    return time_machine.travel(timezone.now() - timedelta(days=int(365 * n) + 2), tick=False)


def inactive_person(*, serial: int, officer, name: str, years: float = 6, documents=("ktp",)):
    """A person registered and made Inactive `years` ago (never departed), with a
    document per code in `documents`, read by `officer` (so the audit trail names it);
    the officer's typed reason names the person (it must stay out of the audit rows)."""
    with years_ago(years):
        person = register(serial=serial, actor=officer, full_name=name)
        for code in documents:
            upload(person, actor=officer, code=code)
        read_person_for(officer, person.pk)
        person = person_change_status(
            actor=officer, person=person, to_status="inactive", reason=f"{name} tidak melanjutkan"
        )
    return person
