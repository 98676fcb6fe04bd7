"""The registry pages: list, detail, reveal, status, verify, register, edit, and the
worker's own profile. Through the test client, with the shared personas."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import Person, Status
from garda.people.services.registry import (
    PersonData,
    person_register,
    person_update,
    person_verify_identity,
)
from garda.people.tests.factories import person_data, register
from garda.tests.markup import assert_stacked_tables, iso_dates, summary_sections

XSS = '"><svg onload=alert(1)>'
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
MONTHS += ["September", "Oktober", "November", "Desember"]


def errors_of(form, field: str) -> list[str]:
    """The error codes on one field of a bound form from a response context."""
    return [e.code for e in form.errors.as_data().get(field, [])]


# --- list ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_searches_the_registry_with_masked_niks(alice, siti, tono_person):
    client = verified_client(alice)
    response = client.get(reverse("people:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Siti Aminah" in html and "Tono Sugiarto" in html
    assert siti.nik not in html
    assert "****************" in html
    found = client.get(reverse("people:list"), {"q": "aminah siti"})
    assert [p.pk for p in found.context["page"]] == [siti.pk]
    by_nik = client.get(reverse("people:list"), {"q": tono_person.nik})
    assert [p.pk for p in by_nik.context["page"]] == [tono_person.pk]
    by_reference = client.get(reverse("people:list"), {"q": siti.reference})
    assert [p.pk for p in by_reference.context["page"]] == [siti.pk]
    # On a phone each person is a card (design-ui §2.5), the name its heading.
    (table,) = assert_stacked_tables(html)
    assert table.caption == "2 orang ditemukan."
    assert table.header_texts == ["Nama", "NIK", "Tanggal lahir", "Status", "Kelurahan/desa"]
    siti_row = next(dict(r) for r in table.rows if dict(r)["Nama"].startswith("Siti"))
    assert siti_row["NIK"] == "****************"
    born = siti.birth_date
    assert siti_row["Tanggal lahir"] == f"{born.day} {MONTHS[born.month - 1]} {born.year}"
    assert iso_dates(html) == []


@pytest.mark.django_db
def test_every_list_request_is_audited_once(bob, siti):
    client = verified_client(bob)
    client.get(reverse("people:list"))
    client.get(reverse("people:list"), {"q": "siti"}, HTTP_HX_REQUEST="true")
    rows = AuditEvent.objects.filter(actor=bob, action="view", object_type="people.person")
    assert rows.count() == 2
    assert set(rows.values_list("reason", flat=True)) == {"list"}
    assert set(rows.values_list("object_id", flat=True)) == {""}


@pytest.mark.django_db
def test_htmx_gets_only_the_results_partial(alice, siti):
    client = verified_client(alice)
    partial = client.get(reverse("people:list"), {"q": "siti"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="people-results"')
    assert "<html" not in html and "Siti Aminah" in html
    page = client.get(reverse("people:list"))
    assert 'hx-target="#people-results"' in page.content.decode()
    # The back button after hx-push-url asks for the whole page again.
    restore = client.get(
        reverse("people:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


@pytest.mark.django_db
def test_filters_and_sorting(alice, carol, gambir, siti, tono_person):
    old = register(serial=4, actor=carol, born=date(1960, 5, 5), full_name="Ani Tua")
    Person.objects.filter(pk=old.pk).update(
        village_id="31.71.01.1001",
        regency_code="31.71",
        district_code="31.71.01",
        domicile_jakarta=True,
    )
    client = verified_client(alice)

    def pks(**params):
        response = client.get(reverse("people:list"), params)
        assert response.status_code == 200
        return [p.pk for p in response.context["page"]]

    assert pks(sex="M") == [tono_person.pk]
    assert pks(mine="on") == [siti.pk]
    assert pks(officer=carol.pk) == [old.pk]
    assert pks(age_min=60) == [old.pk]
    assert old.pk not in pks(age_max=40)
    assert pks(region="31.71.01") == [old.pk]
    assert pks(region="31.71") == pks(region="31") == pks(region="31.71.01.1001") == [old.pk]
    assert pks(region="31.7") == [old.pk]  # any prefix, through the villages
    assert pks(region="32.01") == []
    assert pks(status="in_preparation") == []
    assert pks(sort="name") == [old.pk, siti.pk, tono_person.pk]
    assert pks(sort="-birth_date")[-1] == old.pk


@pytest.mark.django_db
def test_the_area_filter_is_a_menu_of_names(alice, gambir):
    """Jakarta's cities and districts by name, the code as the value; a code outside
    the menu (an older link, a village) is shown by its name."""
    client = verified_client(alice)
    html = client.get(reverse("people:list")).content.decode()
    menu = re.search(r'<select name="region".*?</select>', html, re.S).group(0)
    assert '<option value="31.71.01">Kec. Gambir</option>' in menu
    assert re.search(r'<optgroup label="[^"]*Jakarta Pusat">', menu)
    assert "Wilayah" in html and "31.71.01." not in re.sub(r'value="[^"]*"', "", menu)
    html = client.get(reverse("people:list"), {"region": "31.71.01.1001"}).content.decode()
    menu = re.search(r'<select name="region".*?</select>', html, re.S).group(0)
    assert '<option value="31.71.01.1001" selected>Kel. Gambir</option>' in menu


@pytest.mark.django_db
def test_bad_filters_are_shown_and_the_rest_still_applies(alice, siti, tono_person):
    response = verified_client(alice).get(
        reverse("people:list"), {"age_min": "abc", "region": "31;drop", "sex": "M"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "age_min" in form.errors and "region" in form.errors
    assert [p.pk for p in response.context["page"]] == [tono_person.pk]


@pytest.mark.django_db
def test_list_is_paginated_and_its_query_count_does_not_grow(alice, django_assert_max_num_queries):
    client = verified_client(alice)
    for serial in range(1, 4):
        register(serial=serial, actor=alice)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for serial in range(4, 31):
        register(serial=serial, actor=alice)
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("people:list"))
    assert len(response.context["page"]) == 25
    assert response.context["page"].paginator.num_pages == 2
    assert len(many) == len(few)
    assert len(client.get(reverse("people:list"), {"page": 2}).context["page"]) == 5


@pytest.mark.django_db
def test_worker_is_sent_to_their_profile_trainer_and_partner_refused(wati, teguh, putri):
    response = verified_client(wati).get(reverse("people:list"))
    assert response.status_code == 302 and response.url == reverse("people:me")
    for user in (teguh, putri):
        client = verified_client(user)
        assert client.get(reverse("people:list")).status_code == 403
        assert client.get(reverse("people:register")).status_code == 403
        assert client.get(reverse("people:me")).status_code == 403
    assert AuditEvent.objects.filter(actor__in=[teguh, putri], action="denied").count() == 6


@pytest.mark.django_db
def test_anonymous_goes_to_log_in(client, siti):
    for url in (reverse("people:list"), reverse("people:detail", args=[siti.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- detail, reveal, status, verify --------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_profile_masked_and_is_audited(alice, siti, django_assert_max_num_queries):
    client = verified_client(alice)
    # A fixed number per section (PostgreSQL adds the audit chain's lock and savepoint);
    # what matters is that it does not grow with the rows shown.
    with django_assert_max_num_queries(24):
        response = client.get(reverse("people:detail", args=[siti.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Siti Aminah" in html and siti.reference in html
    assert siti.nik not in html and "****************" in html
    assert "Alice" in html  # her pendamping
    assert reverse("people:reveal", args=[siti.pk]) in html  # assigned: may reveal
    assert reverse("people:edit", args=[siti.pk]) in html
    assert reverse("people:verify", args=[siti.pk]) in html
    assert response.context["audit_events"] is None  # officers do not read the trail
    # The facts grouped by topic as summary lists (design-ui §3), states as tags.
    sections = summary_sections(html)
    assert list(sections) == [
        "Data diri",
        "Nomor identitas",
        "Kontak",
        "Alamat",
        "Status",
        "Petugas pendamping",
    ]
    assert sections["Data diri"]["Nama lengkap (sesuai KTP)"] == "Siti Aminah"
    assert sections["Nomor identitas"]["NIK"] == "****************"
    assert sections["Status"]["Status"] == siti.get_status_display()
    assert '<strong class="tag tag-yellow">Identitas belum diverifikasi</strong>' in html
    assert iso_dates(html) == []
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_type="people.person", object_id=str(siti.pk)
    ).exists()


@pytest.mark.django_db
def test_missing_person_is_404(alice):
    assert verified_client(alice).get(reverse("people:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_supervisor_and_admin_see_the_persons_audit_trail(bob, admin_user, alice, siti):
    verified_client(alice).get(reverse("people:detail", args=[siti.pk]))
    response = verified_client(bob).get(reverse("people:detail", args=[siti.pk]))
    events = response.context["audit_events"]
    assert {e.actor_id for e in events} >= {alice.pk, bob.pk}
    assert all(e.object_id == str(siti.pk) for e in events)
    assert "alice@example.org" in response.content.decode()
    admin_events = (
        verified_client(admin_user)
        .get(reverse("people:detail", args=[siti.pk]))
        .context["audit_events"]
    )
    assert any(e.action == "create" for e in admin_events)  # the registration itself
    assert len(admin_events) <= 20


@pytest.mark.django_db
def test_reveal_is_audited_and_shows_the_numbers(bob, siti):
    client = verified_client(bob)
    response = client.post(reverse("people:reveal", args=[siti.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="identity"')
    assert siti.nik in html
    event = AuditEvent.objects.get(actor=bob, action="reveal")
    assert event.object_id == str(siti.pk)
    assert event.changed_fields == ["nik", "kk_number", "passport_number"]
    # Without JavaScript the POST gets a whole page.
    page = client.post(reverse("people:reveal", args=[siti.pk]))
    assert "<html" in page.content.decode() and siti.nik in page.content.decode()
    # Revealing is POST only: a link or a prefetch must not unmask anything.
    assert client.get(reverse("people:reveal", args=[siti.pk])).status_code == 405


@pytest.mark.django_db
def test_unassigned_officer_may_not_reveal_nor_edit(carol, siti):
    client = verified_client(carol)
    detail = client.get(reverse("people:detail", args=[siti.pk])).content.decode()
    assert reverse("people:reveal", args=[siti.pk]) not in detail
    assert reverse("people:edit", args=[siti.pk]) not in detail
    response = client.post(reverse("people:reveal", args=[siti.pk]))
    assert response.status_code == 403
    assert siti.nik not in response.content.decode()
    assert client.get(reverse("people:edit", args=[siti.pk])).status_code == 403
    assert not AuditEvent.objects.filter(actor=carol, action="reveal").exists()
    assert AuditEvent.objects.filter(actor=carol, action="denied").count() == 2


@pytest.mark.django_db
def test_status_change(alice, siti):
    client = verified_client(alice)
    response = client.post(
        reverse("people:status", args=[siti.pk]),
        {"status": "in_preparation", "reason": "documents complete"},
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.status == Status.IN_PREPARATION and siti.version == 2
    page = client.get(response.url).content.decode()
    assert "documents complete" in page


@pytest.mark.django_db
def test_invalid_status_change_shows_the_services_errors(alice, siti):
    response = verified_client(alice).post(
        reverse("people:status", args=[siti.pk]), {"status": "placed"}
    )
    assert response.status_code == 200
    form = response.context["status_form"]
    assert "invalid_transition" in errors_of(form, "status")
    assert "route_required" in errors_of(form, "status")
    assert 'class="error"' in response.content.decode()
    siti.refresh_from_db()
    assert siti.status == Status.REGISTERED
    # A status that does not exist at all is the form's own error.
    bogus = verified_client(alice).post(
        reverse("people:status", args=[siti.pk]), {"status": "flying"}
    )
    assert errors_of(bogus.context["status_form"], "status") == ["invalid_choice"]


@pytest.mark.django_db
def test_status_menu_offers_the_allowed_changes(alice, siti):
    form = (
        verified_client(alice).get(reverse("people:detail", args=[siti.pk])).context["status_form"]
    )
    offered = {value for value, _label in form.fields["status"].widget.choices}
    assert offered == {"in_preparation", "inactive"}


@pytest.mark.django_db
def test_officer_verifies_identity(alice, siti):
    client = verified_client(alice)
    response = client.post(reverse("people:verify", args=[siti.pk]))
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.identity_verified and siti.identity_verified_by == alice
    page = client.get(reverse("people:detail", args=[siti.pk])).content.decode()
    assert reverse("people:verify", args=[siti.pk]) not in page
    assert '<strong class="tag tag-green">Identitas terverifikasi</strong>' in page
    # Twice changes nothing.
    client.post(reverse("people:verify", args=[siti.pk]))
    assert Person.objects.get(pk=siti.pk).version == siti.version


@pytest.mark.django_db
def test_worker_cannot_change_status_or_verify(wati, wati_person):
    client = verified_client(wati)
    assert (
        client.post(
            reverse("people:status", args=[wati_person.pk]), {"status": "inactive"}
        ).status_code
        == 403
    )
    assert client.post(reverse("people:verify", args=[wati_person.pk])).status_code == 403
    wati_person.refresh_from_db()
    assert wati_person.status == Status.REGISTERED and not wati_person.identity_verified


# --- registration --------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_registers_a_walk_in(alice, gambir):
    client = verified_client(alice)
    assert client.get(reverse("people:register")).status_code == 200
    response = client.post(
        reverse("people:register"), person_data(serial=7, village_code="31.71.01.1001")
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert response.url == reverse("people:detail", args=[person.pk])
    assert person.village_id == "31.71.01.1001" and person.domicile_jakarta
    assert person.phone == "+6281234567890"
    assert list(person.assigned_officers.all()) == [alice]
    page = client.get(response.url).content.decode()
    assert person.reference in page  # the success message and the heading


@pytest.mark.django_db
def test_registration_errors_are_shown_next_to_their_field(alice):
    client = verified_client(alice)
    bad = person_data(serial=1, nik="3171990101900001", village_code="99.99.99.9999")
    bad["phone"] = "12"
    response = client.post(reverse("people:register"), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kode kecamatan 317199 tidak dikenal" in html  # the page speaks Indonesian
    form = response.context["form"]
    assert "unknown_district" in errors_of(form, "nik")
    assert errors_of(form, "village_code") == ["unknown_village"]
    assert errors_of(form, "phone") == ["invalid_phone"]
    assert 'id="id_nik_error"' in html and 'id="id_phone_error"' in html
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_birth_date_that_differs_from_the_nik_needs_a_reason(alice):
    client = verified_client(alice)
    data = person_data(serial=1)  # the NIK says 1 January 1990
    data["birth_date"] = "1991-01-01"
    refused = client.post(reverse("people:register"), data)
    assert refused.status_code == 200
    assert errors_of(refused.context["form"], "birth_date") == ["birth_date_mismatch"]
    assert 'id="id_birth_date_error"' in refused.content.decode()
    assert not Person.objects.exists()
    data["nik_mismatch_reason"] = "Akta kelahiran says 1991; KTP to be corrected"
    accepted = client.post(reverse("people:register"), data)
    assert accepted.status_code == 302
    person = Person.objects.get()
    assert person.birth_date == date(1991, 1, 1)
    assert person.nik_mismatch_reason.startswith("Akta kelahiran")


@pytest.mark.django_db
def test_duplicate_nik_is_refused_with_a_link_to_the_existing_record(alice, siti):
    response = verified_client(alice).post(
        reverse("people:register"), person_data(serial=1, full_name="Siti Lain")
    )
    assert response.status_code == 200
    assert errors_of(response.context["form"], "nik") == ["duplicate_nik"]
    assert f'href="{reverse("people:detail", args=[siti.pk])}"' in response.content.decode()
    assert Person.objects.count() == 1


# --- edit ----------------------------------------------------------------------------


def edit_payload(person: Person, version: int, **changes) -> dict:
    return {
        **person_data(serial=1, full_name=person.full_name),
        "nik": person.nik,
        "version": version,
        **changes,
    }


@pytest.mark.django_db
def test_assigned_officer_edits_and_the_form_reveal_is_audited(alice, siti):
    client = verified_client(alice)
    page = client.get(reverse("people:edit", args=[siti.pk]))
    assert page.status_code == 200
    assert f'value="{siti.nik}"' in page.content.decode()
    assert 'name="version" value="1"' in page.content.decode()
    assert 'name="birth_date" value="1990-01-01"' in page.content.decode()  # ISO, not d/m/Y
    assert AuditEvent.objects.filter(actor=alice, action="reveal", reason="edit form").exists()
    response = client.post(
        reverse("people:edit", args=[siti.pk]),
        edit_payload(siti, 1, address_line="Jl. Baru 2"),
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.address_line == "Jl. Baru 2" and siti.version == 2


@pytest.mark.django_db
def test_second_of_two_concurrent_edits_gets_a_conflict_and_loses_nothing(bob, alice, siti):
    first, second = verified_client(alice), verified_client(bob)
    first.get(reverse("people:edit", args=[siti.pk]))
    second.get(reverse("people:edit", args=[siti.pk]))
    assert (
        first.post(
            reverse("people:edit", args=[siti.pk]),
            edit_payload(siti, 1, address_line="Jl. Alice 1"),
        ).status_code
        == 302
    )
    response = second.post(
        reverse("people:edit", args=[siti.pk]),
        edit_payload(siti, 1, education_field="Tata boga"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["version_conflict"]
    html = response.content.decode()
    assert 'value="Tata boga"' in html  # bob's input is still in the form
    assert "Jl. Alice 1" in [value for _label, value in response.context["conflict"]]
    siti.refresh_from_db()
    assert siti.address_line == "Jl. Alice 1" and siti.education_field == ""  # alice kept
    # The re-rendered form is based on the current version: saving again is deliberate.
    assert 'name="version" value="2"' in html
    again = second.post(
        reverse("people:edit", args=[siti.pk]),
        edit_payload(siti, 2, address_line="Jl. Alice 1", education_field="Tata boga"),
    )
    assert again.status_code == 302
    siti.refresh_from_db()
    assert siti.address_line == "Jl. Alice 1" and siti.education_field == "Tata boga"


@pytest.mark.django_db
def test_edit_to_another_persons_nik_is_refused(bob, siti, wati_person):
    response = verified_client(bob).post(
        reverse("people:edit", args=[siti.pk]), edit_payload(siti, 1, nik=wati_person.nik)
    )
    assert response.status_code == 200
    assert errors_of(response.context["form"], "nik") == ["duplicate_nik"]
    assert reverse("people:detail", args=[wati_person.pk]) in response.content.decode()
    siti.refresh_from_db()
    assert siti.version == 1


@pytest.mark.django_db
def test_tampered_version_is_an_error_not_a_crash(bob, siti):
    response = verified_client(bob).post(
        reverse("people:edit", args=[siti.pk]), edit_payload(siti, "x")
    )
    assert response.status_code == 200
    assert "version" in response.context["form"].errors


# --- the worker ------------------------------------------------------------------------


@pytest.mark.django_db
def test_worker_sees_only_their_own_record(wati, wati_person, tono_person):
    client = verified_client(wati)
    me = client.get(reverse("people:me"))
    assert me.status_code == 200
    html = me.content.decode()
    assert "Wati Lestari" in html and "Tono" not in html
    assert me.context["in_registry"] is False and me.context["status_form"] is None
    assert reverse("people:status", args=[wati_person.pk]) not in html
    assert reverse("people:edit", args=[wati_person.pk]) in html
    assert client.get(reverse("people:detail", args=[wati_person.pk])).status_code == 200
    for name in ("detail", "edit"):
        assert client.get(reverse(f"people:{name}", args=[tono_person.pk])).status_code == 404
    assert client.post(reverse("people:reveal", args=[tono_person.pk])).status_code == 404
    assert client.post(reverse("people:edit", args=[tono_person.pk]), {}).status_code == 404
    # Her own numbers she may reveal.
    own = client.post(reverse("people:reveal", args=[wati_person.pk]))
    assert own.status_code == 200 and wati_person.nik in own.content.decode()


@pytest.mark.django_db
def test_worker_completes_their_profile(wati):
    client = verified_client(wati)
    page = client.get(reverse("people:me"))
    assert page.status_code == 200
    assert "nik_mismatch_reason" not in page.context["form"].fields
    assert page.context["form"].initial["email"] == "wati@example.org"
    data = person_data(serial=5, full_name="Wati Lestari")
    data["birth_date"] = "1991-01-01"
    mismatch = client.post(reverse("people:me"), data)
    assert errors_of(mismatch.context["form"], "birth_date") == ["birth_date_mismatch"]
    data["birth_date"] = "1990-01-01"
    response = client.post(reverse("people:me"), data)
    assert response.status_code == 302 and response.url == reverse("people:me")
    person = Person.objects.get(user=wati)
    assert person.created_by == wati and not person.assignments.exists()
    assert "Wati Lestari" in client.get(reverse("people:me")).content.decode()


@pytest.mark.django_db
def test_worker_registering_a_taken_nik_gets_no_link(wati, siti):
    response = verified_client(wati).post(reverse("people:me"), person_data(serial=1))
    # Issue 19: a worker is not told that the NIK is registered (test_registry_holes).
    assert errors_of(response.context["form"], "nik") == ["nik_unavailable"]
    assert reverse("people:detail", args=[siti.pk]) not in response.content.decode()
    assert not Person.objects.filter(user=wati).exists()


@pytest.mark.django_db
def test_worker_edits_own_record_identity_locked_after_verification(wati, alice, wati_person):
    client = verified_client(wati)
    response = client.post(
        reverse("people:edit", args=[wati_person.pk]),
        edit_payload(wati_person, 1, address_line="Jl. Wati 3"),
    )
    assert response.status_code == 302 and response.url == reverse("people:me")
    person_verify_identity(actor=alice, person=wati_person)
    wati_person.refresh_from_db()
    page = client.get(reverse("people:edit", args=[wati_person.pk]))
    form = page.context["form"]
    assert all(form.fields[name].disabled for name in form.IDENTITY_FIELDS)
    response = client.post(
        reverse("people:edit", args=[wati_person.pk]),
        edit_payload(
            wati_person, wati_person.version, full_name="Someone Else", address_line="Jl. 4"
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    wati_person.refresh_from_db()
    assert wati_person.full_name == "Wati Lestari" and wati_person.address_line == "Jl. 4"


@pytest.mark.django_db
def test_worker_can_edit_when_an_officer_explained_a_nik_difference(wati, alice):
    raw = person_data(serial=2)  # the NIK says 1 January 1990
    person = person_register(
        actor=alice,
        user=wati,
        data=PersonData(
            nik=raw["nik"],
            full_name="Wati Lestari",
            sex="F",
            birth_date=date(1991, 1, 1),
            nik_mismatch_reason="akta kelahiran says 1991",
        ),
    )
    client = verified_client(wati)
    payload = {**edit_payload(person, 1), "birth_date": "1991-01-01", "address_line": "Jl. 5"}
    response = client.post(reverse("people:edit", args=[person.pk]), payload)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.address_line == "Jl. 5"
    assert person.nik_mismatch_reason == "akta kelahiran says 1991"
    # Another birth date than the officer's explained one is still refused.
    payload.update(birth_date="1992-01-01", version=person.version)
    refused = client.post(reverse("people:edit", args=[person.pk]), payload)
    assert errors_of(refused.context["form"], "birth_date") == ["birth_date_mismatch"]


@pytest.mark.django_db
def test_staff_have_no_own_profile_page(alice, bob):
    for user in (alice, bob):
        assert verified_client(user).get(reverse("people:me")).status_code == 403


# --- escaping ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hostile_name_is_escaped_on_list_and_detail(alice):
    person = register(serial=9, actor=alice, full_name=XSS)
    data = PersonData(
        nik=person.nik,
        full_name=XSS,
        sex=person.sex,
        birth_date=person.birth_date,
        other_names=XSS,
        birth_place=XSS,
    )
    person_update(actor=alice, person=person, data=data, version=1)
    client = verified_client(alice)
    for url in (reverse("people:list"), reverse("people:detail", args=[person.pk])):
        html = client.get(url).content.decode()
        assert "<svg" not in html
        assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in html


# --- navigation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_and_nav_link_the_registry_by_role(personas):
    def links(html: str, *names: str) -> list[bool]:
        return [f'href="{reverse(name)}"' in html for name in names]

    for role in ("officer", "supervisor", "admin"):
        html = verified_client(personas[role]).get("/").content.decode()
        assert links(html, "people:list", "people:register", "people:me") == [True, True, False]
    worker = verified_client(personas["worker"]).get("/").content.decode()
    assert links(worker, "people:list", "people:register", "people:me") == [False, False, True]
    for role in ("trainer", "partner"):
        html = verified_client(personas[role]).get("/").content.decode()
        assert links(html, "people:list", "people:register", "people:me") == [False, False, False]


@pytest.mark.django_db
def test_worker_sees_who_accessed_their_record(wati, alice, tono):
    from garda.people.tests.factories import register as register_person

    own = register_person(serial=90, user=wati)
    verified_client(alice).get(f"/people/{own.pk}/")  # an officer opens the record
    page = verified_client(wati).get("/people/me/access/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Petugas (Pasukan Putih)" in html and "Dinas Tenaga Kerja" in html
    assert "alice@example.org" not in html  # role and agency, not the person
    other = register_person(serial=91, user=tono)
    verified_client(alice).get(f"/people/{other.pk}/")
    assert html.count("<tr>") == verified_client(wati).get(
        "/people/me/access/"
    ).content.decode().count("<tr>")  # tono's views are not wati's
    assert verified_client(alice).get("/people/me/access/").status_code == 403


@pytest.mark.django_db
def test_detail_lists_skills_and_languages(alice):
    from garda.people.services.profile import language_add, skill_add
    from garda.people.tests.factories import register as register_person

    person = register_person(serial=92)
    skill_add(actor=alice, person=person, occupation_code="7212", title="Las SMAW")
    language_add(actor=alice, person=person, language="ko", scale="topik", level="3")
    html = verified_client(alice).get(f"/people/{person.pk}/").content.decode()
    assert "Las SMAW <small>(Tukang las)</small>" in html
    assert "Bahasa Korea · TOPIK / EPS-TOPIK: Tingkat 3 – menengah" in html


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_rows(alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from garda.people.models import FamilyContact
    from garda.people.services.profile import skill_add
    from garda.people.tests.factories import register as register_person

    person = register_person(serial=93)
    client = verified_client(alice)
    client.get(f"/people/{person.pk}/")  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/people/{person.pk}/").status_code == 200
        return len(ctx)

    before = count()
    for i in range(5):
        skill_add(actor=alice, person=person, occupation_code=f"72{i}2", title=f"Skill {i}")
        FamilyContact.objects.create(person=person, name=f"Keluarga {i}", relation="sibling")
    assert count() == before
