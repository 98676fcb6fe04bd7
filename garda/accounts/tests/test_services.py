import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.services import user_create, user_update
from garda.audit.models import AuditEvent


@pytest.mark.django_db
def test_admin_creates_an_officer_with_one_role_and_an_audit_row(admin_user, disnaker):
    user = user_create(
        actor=admin_user,
        email="Budi@Example.org",
        password="Tanjung-Priok-77",
        role=roles.OFFICER,
        agency=disnaker,
        full_name="Budi",
    )
    assert user.email == "budi@example.org"
    assert user.role == roles.OFFICER
    assert list(user.groups.values_list("name", flat=True)) == [roles.OFFICER]
    assert not user.is_staff
    event = AuditEvent.objects.get(action="create", object_type="accounts.user")
    assert event.actor == admin_user and event.object_id == str(user.pk)
    assert "Budi" not in str(event.changed_fields) and "budi@" not in event.reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("Disnakertransgi2026", "password_agency_name"),
        ("pasukanputih-2026", "password_agency_name"),
    ],
)
def test_weak_passwords_are_refused(admin_user, disnaker, password, code):
    with pytest.raises(ValidationError) as exc:
        user_create(actor=admin_user, email="x@example.org", password=password, role=roles.WORKER)
    assert code in {e.code for e in exc.value.error_list}
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_staff_roles_need_an_agency_and_emails_are_unique(admin_user, alice):
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=admin_user, email="y@example.org", password="Tanjung-Priok-77", role=roles.OFFICER
        )
    assert "agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=admin_user,
            email="ALICE@example.org",
            password="Tanjung-Priok-77",
            role=roles.WORKER,
        )
    assert "email" in exc.value.message_dict


@pytest.mark.django_db
def test_non_admin_cannot_create_users_and_the_denial_is_audited(bob):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=bob, email="z@example.org", password="Tanjung-Priok-77", role=roles.WORKER
        )
    assert not User.objects.filter(email="z@example.org").exists()
    assert AuditEvent.objects.filter(actor=bob, action="denied").count() == 1


@pytest.mark.django_db
def test_role_change_is_audited_with_field_names_only(admin_user, alice, disnaker):
    user_update(
        actor=admin_user,
        user=alice,
        role=roles.SUPERVISOR,
        agency=disnaker,
        full_name="Alice R.",
        phone="",
        is_active=True,
    )
    alice = User.objects.get(pk=alice.pk)
    assert alice.role == roles.SUPERVISOR
    event = AuditEvent.objects.filter(action="update", object_id=str(alice.pk)).get()
    assert set(event.changed_fields) == {"full_name", "role"}


@pytest.mark.django_db
def test_admin_cannot_lock_themselves_out(admin_user):
    with pytest.raises(ValidationError):
        user_update(
            actor=admin_user,
            user=admin_user,
            role=roles.ADMIN,
            agency=None,
            full_name="",
            phone="",
            is_active=False,
        )
    admin_user.refresh_from_db()
    assert admin_user.is_active
