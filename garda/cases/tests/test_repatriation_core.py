"""The repatriation core (services/repatriation.py): steps from the template, their
order, arrival's consequences, the hand-over statement, many people at once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from garda.audit.models import AuditEvent
from garda.cases.models import Repatriation, RepatriationStatement, RepatriationStep
from garda.cases.services import repatriation as svc
from garda.cases.tests.factories import case_in_progress
from garda.people.models import Status
from garda.people.tests.factories import nik_for, register

pytestmark = pytest.mark.django_db


def _abroad_person(officer, serial=41, name="Sari Pulang"):
    person = register(serial=serial, full_name=name, actor=officer)
    from garda.people.models import Person

    Person.objects.filter(pk=person.pk).update(status=Status.ABROAD, route="p3mi")
    person.refresh_from_db()
    return person


def _case_for(alice, person):
    return case_in_progress(
        officer=alice, person_name=person.full_name, person_nik=person.nik, kinds=["go_home"]
    )


def _done(alice, rep, *codes):
    for code in codes:
        step = rep.steps.get(code=code)
        step.repatriation = rep
        svc.step_complete(actor=alice, step=step)
        rep.refresh_from_db()


def test_a_return_home_runs_its_steps_in_order_and_ends_with_the_signed_handover(alice):
    person = _abroad_person(alice)
    case = _case_for(alice, person)
    rep = svc.repatriation_start(actor=alice, case=case, reason="contract_trouble")
    assert rep.person_id == person.pk and rep.payer == "company"
    codes = list(rep.steps.values_list("code", flat=True))
    assert codes[0] == "health_confirmed" and codes[-1] == "handover"

    ticket = rep.steps.get(code="ticket")
    ticket.repatriation = rep
    with pytest.raises(svc.StepBlocked) as blocked:
        svc.step_complete(actor=alice, step=ticket)
    assert blocked.value.blocking.code == "health_confirmed"
    assert not RepatriationStep.objects.filter(repatriation=rep, status="done").exists()

    _done(alice, rep, "health_confirmed", "travel_document", "ticket", "arrival")
    assert rep.status == Repatriation.Status.ARRIVED and rep.arrived_at is not None
    person.refresh_from_db()
    assert person.status == Status.RETURNED

    handover = rep.steps.get(code="handover")
    handover.repatriation = rep
    with pytest.raises(ValidationError):  # done by the statement, not a click
        svc.step_complete(actor=alice, step=handover)
    with pytest.raises(svc.StepBlocked):  # travel home is still open
        svc.statement_record(
            actor=alice,
            repatriation=rep,
            kind="handover_family",
            signed_on=timezone.localdate(),
            place="Kantor Kelurahan Cilincing",
            signatory_name="Ibu Sari",
            signatory_relation="Ibu kandung",
            witness_name="Pak Lurah",
            witness_office="Kelurahan Cilincing",
        )
    assert not RepatriationStatement.objects.exists()
    _done(alice, rep, "travel_home")
    statement = svc.statement_record(
        actor=alice,
        repatriation=rep,
        kind="handover_family",
        signed_on=timezone.localdate(),
        place="Kantor Kelurahan Cilincing",
        signatory_name="Ibu Sari",
        signatory_relation="Ibu kandung",
        witness_name="Pak Lurah",
        witness_office="Kelurahan Cilincing",
    )
    rep.refresh_from_db()
    assert statement.number.startswith("BA-")
    assert rep.status == Repatriation.Status.COMPLETED


def test_a_death_tells_the_family_at_each_step(alice):
    person = _abroad_person(alice, serial=42, name="Almarhumah Yati")
    case = _case_for(alice, person)
    rep = svc.repatriation_start(actor=alice, case=case, reason="death")
    _done(alice, rep, "family_informed", "certificate")
    shared = case.notes.filter(shared=True).values_list("text", flat=True)
    assert any("Akta kematian" in t or "Death certificate" in t for t in shared)


def test_an_evacuation_of_300_people_in_bulk(alice, django_assert_max_num_queries):
    from garda.places.models import Country

    evac = svc.evacuation_create(
        actor=alice,
        name="Evakuasi Sudan 2026",
        country=Country.objects.get_or_create(
            code="SD",
            defaults={"alpha3": "SDN", "numeric": "729", "name_id": "Sudan", "name_en": "Sudan"},
        )[0],
        cause="Konflik",
    )
    people = [{"name": f"Pekerja {i:03d}"} for i in range(300)]
    # Bulk inserts in batches (SQLite's parameter limit): about 50 statements for 300
    # people and their 2,100 steps, against over 3,000 one by one.
    with django_assert_max_num_queries(60):
        reps = svc.repatriations_start_many(actor=alice, evacuation=evac, people=people)
    assert len(reps) == 300 and RepatriationStep.objects.count() == 300 * 7
    with django_assert_max_num_queries(40):
        result = svc.steps_complete_many(actor=alice, repatriations=reps, code="health_confirmed")
    assert len(result.done) == 300
    result = svc.steps_complete_many(actor=alice, repatriations=reps, code="arrival")
    assert len(result.blocked) == 300 and result.blocked[0][1] == "travel_document"
    assert AuditEvent.objects.filter(object_type="cases.repatriation").count() >= 300


def _refusal(alice, rep, **given):
    values = {
        "actor": alice,
        "repatriation": rep,
        "kind": "refusal",
        "signed_on": timezone.localdate(),
        "place": "Bandara Soekarno-Hatta",
    }
    values.update(given)
    return svc.statement_record(**values)


def _refused(alice, rep, field, message, **given):
    with pytest.raises(ValidationError) as err, translation.override("id"):
        _refusal(alice, rep, **given)
    assert err.value.message_dict[field] == [message]
    assert not RepatriationStatement.objects.filter(repatriation=rep).exists()
    assert rep.steps.get(code="rehabilitation").status == "open"


def test_a_refusal_for_a_worker_who_cannot_sign_is_the_familys(alice):
    person = _abroad_person(alice, serial=43, name="Rini Sakit")
    case = _case_for(alice, person)
    rep = svc.repatriation_start(actor=alice, case=case, reason="illness")
    svc.repatriation_update(actor=alice, repatriation=rep, lacks_capacity=True)
    rep.refresh_from_db()
    cannot = (
        "Pekerja tidak dapat menandatangani sendiri: anggota keluarga yang menandatangani "
        "penolakan."
    )
    # The worker signing: refused whatever the words in the relationship.
    _refused(alice, rep, "signed_by", cannot, signed_by="worker")
    # The family's signer under the worker's own name, spaces and case aside: refused
    # (the old word list let "diri  sendiri" with two spaces through).
    for name in ("Rini Sakit", "rini  SAKIT", " Rini\tSakit "):
        _refused(
            alice,
            rep,
            "signatory_name",
            cannot,
            signed_by="family",
            signatory_name=name,
            signatory_relation="diri  sendiri",
        )
    # Nobody said who signs: refused.
    _refused(
        alice,
        rep,
        "signed_by",
        "Sebutkan siapa yang menandatangani penolakan: pekerja atau keluarga.",
        signatory_name="Bapak Rini",
        signatory_relation="Ayah",
    )
    # The family member without a relationship: refused.
    _refused(
        alice,
        rep,
        "signatory_relation",
        "Tulis hubungan penanda tangan dengan pekerja, atau jabatannya.",
        signed_by="family",
        signatory_name="Bapak Rini",
    )
    statement = _refusal(
        alice, rep, signed_by="family", signatory_name="Bapak Rini", signatory_relation="Ayah"
    )
    assert (statement.signed_by, statement.signatory_name) == ("family", "Bapak Rini")
    assert rep.steps.get(code="rehabilitation").status == "not_needed"
    row = AuditEvent.objects.filter(object_type="cases.repatriationstatement").get()
    assert "signed_by" in row.changed_fields


def test_a_worker_who_can_sign_signs_their_own_refusal(alice):
    person = _abroad_person(alice, serial=44, name="Dewi Kuat")
    rep = svc.repatriation_start(actor=alice, case=_case_for(alice, person), reason="illness")
    assert rep.lacks_capacity is False
    # The family may not sign for a worker who can sign.
    _refused(
        alice,
        rep,
        "signed_by",
        "Pekerja dapat menandatangani sendiri: penolakan ditandatangani pekerja, bukan keluarga.",
        signed_by="family",
        signatory_name="Pak Darto",
        signatory_relation="Ayah kandung",
    )
    # The worker signs: their own name is the signatory's, whatever was typed.
    statement = _refusal(alice, rep, signed_by="worker", signatory_name="Pak Darto")
    assert (statement.signed_by, statement.signatory_name) == ("worker", "Dewi Kuat")
    assert statement.signatory_relation == ""
    assert rep.steps.get(code="rehabilitation").status == "not_needed"


def test_nik_helper_is_importable():
    assert nik_for(serial=1)


def _race(*calls):
    """Run the calls at the same moment in threads; what each returned or raised."""
    import threading

    from django.db import connections

    start = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        try:
            start.wait(timeout=10)
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 (collected, asserted below)
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.concurrency
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="row locks are PostgreSQL's; SQLite's test database (in memory) has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_at_the_same_moment_one_repatriation_one_step(alice, bob):
    person = _abroad_person(alice, serial=44, name="Rebutan Pulang")
    case = _case_for(alice, person)
    results = _race(
        lambda: svc.repatriation_start(actor=alice, case=case, reason="deportation"),
        lambda: svc.repatriation_start(actor=bob, case=case, reason="deportation"),
    )
    started = [r for r in results if isinstance(r, Repatriation)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(started) == 1 and len(refused) == 1, results
    assert refused[0].error_dict["reason"][0].code == "exists"
    rep = started[0]

    def complete(actor):
        step = RepatriationStep.objects.select_related("repatriation").get(
            repatriation=rep, code="health_confirmed"
        )
        return svc.step_complete(actor=actor, step=step)

    results = _race(lambda: complete(alice), lambda: complete(bob))
    assert sum(isinstance(r, RepatriationStep) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert (
        AuditEvent.objects.filter(
            object_type="cases.repatriationstep", reason="repatriation step done: health_confirmed"
        ).count()
        == 1
    )
