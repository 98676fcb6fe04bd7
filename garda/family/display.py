"""What the staff see of a case's family (the block on the case page, the family
page of a case, the API): the person's named contacts, who holds a live secret,
the worker's restriction, and for a death the steps that serve the family."""

from garda.accounts.models import User
from garda.cases.access import may_handle
from garda.cases.models import Case
from garda.family.access import case_accesses, is_restricted
from garda.family.steps import death_steps, is_death

ENDED_SHOWN = 10


def case_family(user: User, case: Case) -> dict:
    """The family of `case` as `user` (who may see the case) is shown it."""
    contacts = list(case.person.family.order_by("id")) if case.person_id else []
    accesses = list(case_accesses(case))
    live = {a.contact_id: a for a in accesses if a.revoked_at is None}
    death = is_death(case)
    restricted = is_restricted(case.person) if case.person_id else False
    handles = may_handle(user, case)
    return {
        "case": case,
        "rows": [{"contact": c, "access": live.get(c.pk)} for c in contacts],
        "ended": [a for a in accesses if a.revoked_at is not None][:ENDED_SHOWN],
        "death": death,
        "restricted": restricted,
        "may_handle": handles,
        "may_issue": handles and case.person_id is not None and (death or not restricted),
        "steps": death_steps(case) if death else [],
    }
