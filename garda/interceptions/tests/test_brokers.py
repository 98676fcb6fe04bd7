"""Brokers and companies named (docs/interceptions.md, "Broker leads"): counted by
normalised name across interceptions and cases, the fifth mention a lead for the task
force with the supervisors told once, and the leads list for supervisors only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.tests.factories import case_in_progress
from garda.interceptions.models import BrokerLead, BrokerMention
from garda.interceptions.services.brokers import broker_mention_add, leads, leads_for, normalise
from garda.interceptions.tests.factories import record
from garda.jobs.models import PlacementAgency

pytestmark = pytest.mark.django_db

SPELLINGS = ["PT. Maju Jaya", "pt maju jaya", "Maju  Jaya", "PT MAJU-JAYA", "CV. Maju Jaya"]


def lead_notes(user):
    return Notification.objects.filter(user=user, title__contains="Satgas") | (
        Notification.objects.filter(user=user, title__contains="petunjuk")
    )


def test_names_are_folded_as_the_company_register_folds_them():
    assert {normalise(s) for s in SPELLINGS} == {"maju jaya"}
    assert normalise("Bu Sri (calo)") == "bu sri calo"


def test_five_mentions_make_a_lead_and_the_supervisors_are_told_once(alice, bob):
    for n, spelling in enumerate(SPELLINGS[:4]):
        record(alice, serial=20 + n, brokers=[{"name": spelling, "kind": "company"}])
    assert not BrokerLead.objects.exists()
    notes_before = Notification.objects.filter(user=bob).count()
    case = case_in_progress(officer=alice, person_name="Ani")
    broker_mention_add(actor=alice, case=case, name=SPELLINGS[4], kind="company")
    lead = BrokerLead.objects.get()
    assert (lead.normalised, lead.mentions) == ("maju jaya", 5)
    new = Notification.objects.filter(user=bob).order_by("id")[notes_before:]
    assert [n.url for n in new] == ["/interceptions/brokers/"]
    assert "Maju" not in new[0].title + new[0].body  # no name in a text that may be mailed
    # A sixth mention: counted, nobody told again.
    record(alice, serial=30, brokers=[{"name": "Maju Jaya", "kind": "company"}])
    assert Notification.objects.filter(user=bob, url="/interceptions/brokers/").count() == 1
    (row,) = [r for r in leads() if r["normalised"] == "maju jaya"]
    assert row["count"] == 6


def test_a_broker_named_on_a_case_counts(alice):
    case = case_in_progress(officer=alice, person_name="Ani")
    record(alice, brokers=[{"name": "Pak Darto", "kind": "broker"}])
    mention = broker_mention_add(actor=alice, case=case, name="pak  darto", kind="broker")
    assert mention.case == case and mention.interception is None
    (row,) = list(leads())
    assert (row["normalised"], row["count"]) == ("pak darto", 2)
    assert AuditEvent.objects.filter(
        action="create", object_type="interceptions.brokermention", actor=alice
    ).exists()


def test_the_same_name_twice_on_one_case_or_its_interception_counts_once(alice):
    case = case_in_progress(officer=alice, person_name="Ani")
    broker_mention_add(actor=alice, case=case, name="Pak Darto", kind="broker")
    with pytest.raises(ValidationError) as exc:
        broker_mention_add(actor=alice, case=case, name="PAK DARTO", kind="broker")
    assert "sudah" in exc.value.message_dict["name"][0]
    interception = record(
        alice, answers={"threats": "yes"}, brokers=[{"name": "Bu Sri", "kind": "broker"}]
    )
    with pytest.raises(ValidationError):
        broker_mention_add(actor=alice, case=interception.case, name="bu sri", kind="broker")
    assert BrokerMention.objects.count() == 2


def test_one_interception_naming_a_broker_twice_counts_once(alice):
    record(alice, brokers=[{"name": "Pak Darto", "kind": "broker"}] * 2)
    assert BrokerMention.objects.count() == 1


def test_a_company_in_the_register_is_linked(alice):
    company = PlacementAgency.objects.create(name="PT Maju Jaya", licence_number="SIP3MI-001")
    record(alice)  # names "PT. Maju Jaya", a company
    assert BrokerMention.objects.get().company == company


def test_only_the_case_s_staff_name_a_broker_on_it(alice, carol, wati, putri):
    case = case_in_progress(officer=alice, person_name="Ani")
    for user in (carol, wati, putri):
        with pytest.raises(PermissionDenied):
            broker_mention_add(actor=user, case=case, name="Pak Darto", kind="broker")
        assert AuditEvent.objects.filter(actor=user, action="denied").exists()
    assert not BrokerMention.objects.exists()


def test_the_leads_are_for_supervisors_and_admins(alice, bob, admin_user):
    with pytest.raises(PermissionDenied):
        leads_for(alice)
    assert AuditEvent.objects.filter(actor=alice, action="denied").exists()
    leads_for(bob)
    leads_for(admin_user)
    assert AuditEvent.objects.filter(
        actor=bob, action="view", object_type="interceptions.brokerlead"
    ).exists()
