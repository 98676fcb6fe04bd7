"""A death case with a death repatriation (docs/repatriation.md, "The family"): the
family's steps are read from the repatriation's steps, each done step is a shared
message, and the family reads both on the tracking page; the worker's side shows the
steps in words, without officers or notes."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from garda.cases.services import repatriation as svc
from garda.family.services.following import family_access_issue
from garda.family.steps import death_steps

pytestmark = pytest.mark.django_db


def _done(alice, rep, *codes, note=""):
    for code in codes:
        step = rep.steps.get(code=code)
        step.repatriation = rep
        svc.step_complete(actor=alice, step=step, note=note)
        rep.refresh_from_db()


def test_the_death_repatriations_steps_are_the_familys_steps(alice, death_case, mother):
    steps = {s.code: s for s in death_steps(death_case)}
    assert {s.state for s in steps.values()} == {"not_recorded"}

    rep = svc.repatriation_start(actor=alice, case=death_case, reason="death")
    steps = {s.code: s for s in death_steps(death_case)}
    assert {s.state for s in steps.values()} == {"planned"}
    due = rep.steps.get(code="certificate").due_at
    assert steps["certificate"].at == due

    _done(alice, rep, "family_informed", "certificate", note="Catatan internal petugas")
    steps = {s.code: s for s in death_steps(death_case)}
    assert steps["certificate"].state == "done" and steps["remains"].state == "planned"

    # The family follows with their own secret: the steps and each step's message.
    _access, secret = family_access_issue(actor=alice, case=death_case, contact=mother)
    page = Client().post("/cases/track/", {"reference": death_case.reference, "secret": secret})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="family-steps"' in html
    # The repatriation's own line: each step in words, its state, nothing else.
    assert 'id="repatriation"' in html and 'data-state="done"' in html
    with translation.override("id"):
        certificate = str(_("Death certificate"))
        told = str(_("Repatriation %(reference)s: “%(step)s” is done.")) % {
            "reference": rep.reference,
            "step": str(_("Death certificate")),
        }
    assert certificate in html
    assert told.replace("“", "&ldquo;") in html or told in html
    assert "Catatan internal petugas" not in html
    assert alice.full_name not in html


def test_a_cancelled_death_repatriation_gives_back_the_old_mapping(alice, death_case):
    from garda.cases.services.record import service_plan

    rep = svc.repatriation_start(actor=alice, case=death_case, reason="death")
    svc.repatriation_cancel(actor=alice, repatriation=rep, reason="Salah catat")
    service_plan(actor=alice, case=death_case, type="repatriation", timeframe="1_day")
    steps = {s.code: s for s in death_steps(death_case)}
    assert steps["remains"].state == "planned" and steps["certificate"].state == "not_recorded"
