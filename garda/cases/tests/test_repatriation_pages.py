"""Repatriation on the pages (docs/repatriation.md): the case page's block and start
form, the repatriation page (steps in order, blocked ones explained, not needed,
travel, statements and their PDF, cancel), without JavaScript; the worker's and the
family's short progress line."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Repatriation, RepatriationStatement
from garda.cases.services import repatriation as svc
from garda.cases.tests.factories import case_in_progress
from garda.people.models import Person, Status
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def ind(msgid: str, **params) -> str:
    with translation.override("id"):
        text = _(msgid)
    return text % params if params else text


def _case(officer, serial=71, name="Sari Pulang", **extra):
    person = register(serial=serial, full_name=name, actor=officer)
    Person.objects.filter(pk=person.pk).update(status=Status.ABROAD, route="p3mi", **extra)
    person.refresh_from_db()
    case = case_in_progress(
        officer=officer, person_name=person.full_name, person_nik=person.nik, kinds=["go_home"]
    )
    return case, person


def _done(alice, rep, *codes):
    for code in codes:
        step = rep.steps.get(code=code)
        step.repatriation = rep
        svc.step_complete(actor=alice, step=step)
        rep.refresh_from_db()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_case_page_starts_a_repatriation_and_shows_its_progress(alice):
    case, _person = _case(alice)
    client = verified_client(alice)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert 'id="repatriation"' in html and "repatriation-reason" in html
    answer = client.post(
        reverse("cases:repatriation_start", args=[case.pk]), {"repatriation-reason": "death"}
    )
    rep = Repatriation.objects.get(case=case)
    assert answer.status_code == 302 and answer.url == reverse("cases:repatriation", args=[rep.pk])
    _done(alice, rep, "family_informed")
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert rep.reference in html
    assert ind("%(done)s of %(total)s steps done", done=1, total=8) in html
    # A bad reason: back to the case with the message in words.
    answer = client.post(
        reverse("cases:repatriation_start", args=[case.pk]),
        {"repatriation-reason": "holiday"},
        follow=True,
    )
    assert ind("Choose why the person comes home.") in messages_of(answer)


def test_the_page_lists_steps_in_order_and_explains_the_blocked_ones(alice):
    case, _person = _case(alice, serial=72)
    rep = svc.repatriation_start(actor=alice, case=case, reason="contract_trouble")
    client = verified_client(alice)
    url = reverse("cases:repatriation", args=[rep.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    labels = [
        str(s) for s in (ind("Health confirmed with the embassy"), ind("Travel to the home city"))
    ]
    assert html.index(labels[0]) < html.index(labels[1])
    assert (
        ind("Do “%(earlier)s” first: it comes before this step.").replace(
            "%(earlier)s", ind("Health confirmed with the embassy")
        )
        in html
    )
    assert AuditEvent.objects.filter(
        actor=alice, action=AuditEvent.Action.VIEW, object_type="cases.repatriation"
    ).exists()

    ticket = rep.steps.get(code="ticket")
    answer = client.post(reverse("cases:repatriation_step_done", args=[ticket.pk]), follow=True)
    assert any(ind("Health confirmed with the embassy") in m for m in messages_of(answer))
    ticket.refresh_from_db()
    assert ticket.status == "open"

    first = rep.steps.get(code="health_confirmed")
    answer = client.post(
        reverse("cases:repatriation_step_done", args=[first.pk]), {f"step{first.pk}-note": "OK"}
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.status == "done" and first.note == "OK"

    escort = rep.steps.get(code="escort")
    answer = client.post(
        reverse("cases:repatriation_step_not_needed", args=[escort.pk]),
        {f"skip{escort.pk}-reason": "Pekerja sehat"},
    )
    escort.refresh_from_db()
    assert answer.status_code == 302 and escort.status == "not_needed"


def test_travel_form_saves_and_shows_errors_in_words(alice):
    case, _person = _case(alice, serial=73)
    rep = svc.repatriation_start(actor=alice, case=case, reason="illness")
    client = verified_client(alice)
    url = reverse("cases:repatriation_travel", args=[rep.pk])
    answer = client.post(
        url,
        {
            "payer": "employer",
            "payer_name": "Mr Tan",
            "flight": "ga 821",
            "debarkation": "cgk",
            "arrives_at": "2026-12-20T14:30",
            "needs": ["wheelchair", "escort"],
            "lacks_capacity": "on",
            "version": rep.version,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    rep.refresh_from_db()
    assert rep.flight == "GA 821" and rep.needs == ["wheelchair", "escort"]
    assert rep.lacks_capacity and rep.payer == "employer"
    answer = client.post(url, {"payer": "bank", "version": rep.version})
    assert answer.status_code == 400
    assert "payer" in answer.context["travel_form"].errors
    answer = client.post(url, {"flight": "SQ 1", "version": 1}, follow=True)
    assert any(
        ind(
            "The repatriation was changed by someone else meanwhile: check it below, "
            "then try again."
        )
        == m
        for m in messages_of(answer)
    )


def test_statements_from_the_page_and_the_pdf_link(alice):
    case, _person = _case(alice, serial=74)
    rep = svc.repatriation_start(actor=alice, case=case, reason="deportation")
    _done(alice, rep, "health_confirmed", "travel_document", "ticket", "arrival", "travel_home")
    client = verified_client(alice)
    url = reverse("cases:repatriation_statement", args=[rep.pk, "handover_family"])
    data = {
        "handover_family-signed_on": timezone.localdate().isoformat(),
        "handover_family-place": "Balai Desa",
        "handover_family-signatory_name": "Ibu Sumi",
        "handover_family-signatory_relation": "Ibu kandung",
    }
    answer = client.post(url, data)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert ind(
        "A hand-over to the family is witnessed by the village or city government: "
        "write the witness and their office."
    ) in html.replace("&#x27;", "'")
    assert not RepatriationStatement.objects.exists()
    data |= {
        "handover_family-witness_name": "Pak Lurah",
        "handover_family-witness_office": "Kelurahan Cilincing",
    }
    answer = client.post(url, data)
    assert answer.status_code == 302
    statement = RepatriationStatement.objects.get()
    rep.refresh_from_db()
    assert rep.status == "completed"
    html = client.get(reverse("cases:repatriation", args=[rep.pk])).content.decode()
    pdf_url = reverse("cases:repatriation_statement_pdf", args=[statement.pk])
    assert pdf_url in html and statement.number in html
    # Completed: no more forms.
    assert "cancel-reason" not in html and 'action="' + url not in html
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_refusal_form_asks_who_signs_and_the_pdf_prints_it(alice):
    from pypdf import PdfReader

    case, _person = _case(alice, serial=76, name="Dewi Kuat")
    rep = svc.repatriation_start(actor=alice, case=case, reason="illness")
    client = verified_client(alice)
    page = client.get(reverse("cases:repatriation", args=[rep.pk])).content.decode()
    assert 'name="refusal-signed_by"' in page and "Yang menandatangani penolakan" in page
    url = reverse("cases:repatriation_statement", args=[rep.pk, "refusal"])
    data = {
        "refusal-signed_on": timezone.localdate().isoformat(),
        "refusal-place": "Bandara Soekarno-Hatta",
        "refusal-signed_by": "family",
        "refusal-signatory_name": "Pak Darto",
        "refusal-signatory_relation": "Ayah kandung",
    }
    # The worker can sign: the family may not sign for them.
    answer = client.post(url, data)
    assert answer.status_code == 400
    assert (
        "Pekerja dapat menandatangani sendiri: penolakan ditandatangani pekerja, bukan keluarga."
        in answer.content.decode()
    )
    assert not RepatriationStatement.objects.exists()
    answer = client.post(url, data | {"refusal-signed_by": "worker"})
    assert answer.status_code == 302
    statement = RepatriationStatement.objects.get()
    assert (statement.signed_by, statement.signatory_name) == ("worker", "Dewi Kuat")
    html = client.get(reverse("cases:repatriation", args=[rep.pk])).content.decode()
    assert "Ditandatangani oleh: Pekerja" in html
    pdf = client.get(reverse("cases:repatriation_statement_pdf", args=[statement.pk]))
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Ditandatangani oleh: pekerja sendiri" in text and "Dewi Kuat" in text
    assert "Pak Darto" not in text


def test_cancel_from_the_page(alice):
    case, _person = _case(alice, serial=75)
    rep = svc.repatriation_start(actor=alice, case=case, reason="case_decision")
    client = verified_client(alice)
    url = reverse("cases:repatriation_cancel", args=[rep.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    answer = client.post(url, {"reason": "Pekerja memilih tinggal"}, follow=True)
    rep.refresh_from_db()
    assert rep.status == "cancelled"
    assert ind("The repatriation is cancelled.") in messages_of(answer)


def test_another_agency_gets_404_and_a_denied_row(alice, carol, wati):
    case, _person = _case(alice, serial=76)
    rep = svc.repatriation_start(actor=alice, case=case, reason="deportation")
    other = verified_client(carol)
    assert other.get(reverse("cases:repatriation", args=[rep.pk])).status_code == 404
    step = rep.steps.first()
    assert other.post(reverse("cases:repatriation_step_done", args=[step.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=carol, action=AuditEvent.Action.DENIED).count() >= 2
    assert (
        verified_client(wati).get(reverse("cases:repatriation", args=[rep.pk])).status_code == 403
    )


def test_the_worker_sees_a_short_progress_line_without_officers_or_notes(alice, wati):
    from garda.people.models import Person

    case, person = _case(alice, serial=77, name="Wati Pulang")
    Person.objects.filter(pk=person.pk).update(user=wati)
    rep = svc.repatriation_start(actor=alice, case=case, reason="contract_trouble")
    step = rep.steps.get(code="health_confirmed")
    step.repatriation = rep
    svc.step_complete(actor=alice, step=step, note="Catatan internal rahasia")
    page = verified_client(wati).get(reverse("cases:mine_detail", args=[case.pk]))
    html = page.content.decode()
    assert 'id="repatriation"' in html
    assert ind("Health confirmed with the embassy") in html
    assert "Catatan internal rahasia" not in html
    assert alice.full_name not in html.split('id="repatriation"')[1].split("</section>")[0]


def test_the_pages_read_in_a_fixed_number_of_queries(alice, django_assert_max_num_queries):
    case, _person = _case(alice, serial=78)
    for reason in ("deportation", "illness", "case_decision"):
        rep = svc.repatriation_start(actor=alice, case=case, reason=reason)
        svc.repatriation_cancel(actor=alice, repatriation=rep, reason="uji")
    rep = svc.repatriation_start(actor=alice, case=case, reason="death")
    _done(alice, rep, "family_informed", "certificate")
    client = verified_client(alice)
    client.get(reverse("cases:repatriation", args=[rep.pk]))  # warm the session
    with django_assert_max_num_queries(25):
        page = client.get(reverse("cases:repatriation", args=[rep.pk]))
    assert page.status_code == 200
    with django_assert_max_num_queries(80) as captured:
        page = client.get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert html.count('href="/cases/repatriations/') == 4
    steps_reads = [q for q in captured.captured_queries if "repatriationstep" in q["sql"]]
    assert len(steps_reads) == 1  # the block's steps in one query, whatever the count
