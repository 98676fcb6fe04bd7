"""Objects the application tests share: workers with a record in the registry, and
applications at a given step (made through the services, as a user would)."""

from conftest import make_user
from garda.accounts import roles
from garda.jobs.models import Application, Recruiter
from garda.jobs.services.applications import (
    NEXT,
    application_create,
    application_move,
    application_nominate,
)
from garda.jobs.tests.factories import make_agency, verified_order
from garda.people.models import Person
from garda.people.tests.factories import register


def worker_with_person(serial: int, email: str | None = None, **person) -> tuple:
    """A worker's account and their record in the registry (`serial` makes the NIK)."""
    user = make_user(email or f"worker{serial}@example.org", roles.WORKER, full_name="W")
    return user, register(serial=serial, user=user, **person)


def open_order(writer, officer, **overrides):
    """A verified order (on the vacancy board) written by recruiter `writer`."""
    return verified_order(writer, officer, **overrides)


def other_company_order(officer, email="lain@example.org"):
    """A verified order of another company and that company's recruiter."""
    agency = make_agency("PT Lain Jaya", "KEP.LAIN/2025")
    recruiter = make_user(email, roles.RECRUITER, full_name="Lain")
    Recruiter.objects.create(user=recruiter, agency=agency)
    return verified_order(recruiter, officer), recruiter


def applied(order, worker, person) -> Application:
    return application_create(actor=worker, order=order, person=person)


def at_step(order, worker, person, status: str, actor) -> Application:
    """An application moved, one step at a time, to `status` (a pipeline step)."""
    app = applied(order, worker, person)
    while app.status != status:
        app = application_move(actor=actor, application=app, to_status=NEXT[app.status])
    return app


def nominated(order, person: Person, officer) -> Application:
    return application_nominate(actor=officer, order=order, person=person)
