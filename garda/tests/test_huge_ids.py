"""Ids beyond the database's integer range are a 404 (or 422), never a 500."""

import pytest

from conftest import verified_client

HUGE = "99999999999999999999"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/people/{HUGE}",
        f"/api/v1/agencies/{HUGE}",
        f"/people/{HUGE}/",
        f"/accounts/agencies/{HUGE}/",
        f"/api/v1/people/{HUGE}/profile",
        f"/people/import/{HUGE}/",
        f"/people/import/{HUGE}/errors.csv",
        f"/api/v1/imports/{HUGE}",
        f"/api/v1/imports/{HUGE}/errors",
        f"/api/v1/imports/{HUGE}/errors.csv",
    ],
)
def test_huge_ids_are_not_found(admin_user, path):
    response = verified_client(admin_user).get(path)
    assert response.status_code in (404, 422), response.status_code


@pytest.mark.django_db
def test_huge_ids_in_bodies_and_posts(admin_user):
    client = verified_client(admin_user)
    decision = client.post(
        f"/api/v1/duplicates/{HUGE}/decision", {"same": False}, content_type="application/json"
    )
    assert decision.status_code in (404, 422)
    page = client.post(f"/people/duplicates/{HUGE}/decision/", {"same": "0"})
    assert page.status_code == 404
    assert client.post(f"/people/import/{HUGE}/commit/").status_code == 404
    assert client.post(f"/api/v1/imports/{HUGE}/commit").status_code in (404, 422)


@pytest.mark.django_db
def test_huge_agency_id_in_a_consent_is_refused(admin_user):
    from garda.people.tests.factories import register

    person = register(serial=1)
    response = verified_client(admin_user).post(
        f"/api/v1/people/{person.pk}/consents",
        {"purpose": "sharing", "text_version": "1", "agency_ids": [int(HUGE)]},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_huge_ids_in_form_choices_are_invalid_choices():
    """A model choice field's id beyond the integer range: the form's own "choose from
    the list" message, never a database overflow (garda.fields). The consent form's
    agencies: garda/people/tests/test_consent_pages.py."""
    from django.test import Client

    catalogue = Client().get("/training/", {"provider": HUGE})
    assert catalogue.status_code == 200 and "provider" in catalogue.context["form"].errors
