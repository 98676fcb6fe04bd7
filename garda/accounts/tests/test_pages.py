import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.accounts.models import Agency
from garda.audit.models import AuditEvent


@pytest.fixture
def many_agencies(db):
    Agency.objects.bulk_create(
        Agency(name=f"PPKD {i}", short_name=f"PPKD-{i:02d}", kind=Agency.Kind.TRAINING)
        for i in range(40)
    )
    Agency.objects.create(name="Closed office", short_name="CLOSED", kind="other", is_active=False)


@pytest.mark.django_db
def test_agency_directory_is_paginated_filterable_and_query_bounded(
    alice, many_agencies, django_assert_max_num_queries
):
    client = verified_client(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:agency_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 25
    page2 = client.get(reverse("accounts:agency_list") + "?page=2")
    assert "CLOSED" not in page2.content.decode()  # inactive agencies only for admins
    training = client.get(reverse("accounts:agency_list") + "?kind=manpower")
    assert [a.short_name for a in training.context["page"]] == ["Disnakertransgi"]


@pytest.mark.django_db
def test_agency_detail_and_missing_agency(alice, disnaker):
    client = verified_client(alice)
    assert client.get(reverse("accounts:agency_detail", args=[disnaker.pk])).status_code == 200
    assert client.get(reverse("accounts:agency_detail", args=[99999])).status_code == 404


@pytest.mark.django_db
def test_worker_is_refused_the_directory_and_it_is_audited(wati, disnaker):
    client = verified_client(wati)
    assert client.get(reverse("accounts:agency_list")).status_code == 403
    assert client.get(f"/api/v1/agencies/{disnaker.pk}").status_code == 403
    assert AuditEvent.objects.filter(actor=wati, action="denied").count() == 2


@pytest.mark.django_db
def test_agency_api_list_is_paginated_and_bounded(
    alice, many_agencies, django_assert_max_num_queries
):
    client = verified_client(alice)
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/agencies?page=1").json()
    assert body["count"] == 41  # 40 PPKD + Disnakertransgi, not the closed one
    assert len(body["items"]) == 41
    assert {"id", "name", "short_name", "kind", "region_code", "country_code"} <= set(
        body["items"][0]
    )


@pytest.mark.django_db
def test_home_page_shows_only_what_the_role_can_do(personas):
    officer_home = verified_client(personas["officer"]).get("/").content.decode()
    assert reverse("people:nik_check") in officer_home
    assert reverse("audit:event_list") not in officer_home
    assert "/admin/" not in officer_home
    worker_home = verified_client(personas["worker"]).get("/").content.decode()
    assert reverse("people:nik_check") not in worker_home
    assert reverse("accounts:agency_list") not in worker_home
    admin_home = verified_client(personas["admin"]).get("/").content.decode()
    assert "/admin/" in admin_home and reverse("audit:event_list") in admin_home
    anon = Client().get("/").content.decode()
    assert reverse("accounts:login") in anon


@pytest.mark.django_db
def test_admin_screen_creates_users_through_the_service(admin_user, disnaker):
    client = verified_client(admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.org",
            "full_name": "Nur",
            "phone": "",
            "agency": disnaker.pk,
            "is_active": "on",
            "role": "officer",
            "password": "Tanjung-Priok-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from garda.accounts.models import User

    user = User.objects.get(email="new@example.org")
    assert user.role == "officer" and user.check_password("Tanjung-Priok-77")
    assert AuditEvent.objects.filter(
        actor=admin_user, action="create", object_id=str(user.pk)
    ).exists()
    weak = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "weak@example.org",
            "agency": disnaker.pk,
            "is_active": "on",
            "role": "officer",
            "password": "12345",
        },
    )
    assert weak.status_code == 200
    assert not User.objects.filter(email="weak@example.org").exists()


@pytest.mark.django_db
def test_admin_opening_an_account_is_audited(admin_user, alice):
    client = verified_client(admin_user)
    assert client.get(f"/admin/accounts/user/{alice.pk}/change/").status_code == 200
    assert (
        AuditEvent.objects.filter(actor=admin_user, action="view", object_id=str(alice.pk)).count()
        == 1
    )


@pytest.mark.django_db
def test_password_reset_by_email_end_to_end(wati, mailoutbox):
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "WATI@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Monas-Bersinar-88", "new_password2": "Monas-Bersinar-88"},
    )
    assert done.status_code == 302
    wati.refresh_from_db()
    assert wati.check_password("Monas-Bersinar-88")
    event = AuditEvent.objects.get(action="update", object_id=str(wati.pk))
    assert event.actor == wati and event.changed_fields == ["password"]
    assert event.reason == "password reset by e-mail"
    # A second use of the same link fails.
    assert "salah atau sudah dipakai" in client.get(path, follow=True).content.decode()


@pytest.mark.django_db
def test_unknown_email_gets_the_same_answer_and_no_mail(mailoutbox):
    response = Client().post(reverse("accounts:password_reset"), {"email": "no@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change_requires_the_old_password_and_a_strong_new_one(wati):
    client = verified_client(wati)
    weak = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Correct-Horse-Battery-9",
            "new_password1": "garda12345",
            "new_password2": "garda12345",
        },
    )
    assert weak.status_code == 200
    assert "nama instansi atau nama sistem" in weak.content.decode()
    ok = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Correct-Horse-Battery-9",
            "new_password1": "Monas-Bersinar-88",
            "new_password2": "Monas-Bersinar-88",
        },
    )
    assert ok.status_code == 302
    assert client.get("/api/v1/me").status_code == 200  # still logged in after the change
    assert (
        AuditEvent.objects.filter(
            action="update", object_id=str(wati.pk), changed_fields=["password"]
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_admin_screen_changes_role_and_deactivates_through_the_service(admin_user, alice, dinsos):
    client = verified_client(admin_user)
    response = client.post(
        f"/admin/accounts/user/{alice.pk}/change/",
        {"full_name": "Alice", "phone": "", "agency": dinsos.pk, "role": "partner"},
    )
    assert response.status_code == 302
    from garda.accounts.models import User

    alice = User.objects.get(pk=alice.pk)
    assert alice.role == "partner" and alice.agency == dinsos and not alice.is_active
    event = AuditEvent.objects.filter(action="update", object_id=str(alice.pk)).get()
    assert set(event.changed_fields) == {"agency", "role", "is_active"}
    assert client.get("/admin/accounts/user/").status_code == 200
    # Supervisors have no admin screen.
    from conftest import make_user

    sup = make_user("sup@example.org", "supervisor", dinsos)
    assert verified_client(sup).get("/admin/accounts/user/").status_code == 302


@pytest.mark.django_db
def test_admin_screen_reports_service_rules_as_form_errors(admin_user, alice):
    client = verified_client(admin_user)
    duplicate = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ALICE@example.org",
            "role": "worker",
            "is_active": "on",
            "password": "Tanjung-Priok-77",
        },
    )
    assert duplicate.status_code == 200
    assert "Sudah ada akun dengan e-mail ini." in duplicate.content.decode()
    myself = client.post(
        f"/admin/accounts/user/{admin_user.pk}/change/",
        {"full_name": "Admin", "phone": "", "role": "admin"},  # is_active unticked
    )
    assert myself.status_code == 200
    assert "menonaktifkan diri sendiri" in myself.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
