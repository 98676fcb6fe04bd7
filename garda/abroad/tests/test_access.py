"""Who sees the lists per country: officers, supervisors and admins every country;
an embassy's partner only their own country (another is a 404 with a denied row);
any other partner 403 with a denied row. Each listing is audited; the list shows no
passport number; its queries do not grow with its rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, verified_client
from garda.abroad.models import Stay
from garda.abroad.services.stays import stay_report
from garda.abroad.tests.conftest import stay_data
from garda.accounts import roles
from garda.accounts.models import Agency
from garda.audit.models import AuditEvent
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def kbri_kl(malaysia):
    agency = Agency.objects.create(
        name="KBRI Kuala Lumpur", short_name="KBRI KL", kind=Agency.Kind.EMBASSY, country=malaysia
    )
    return make_user("dewi@kbri.example.org", roles.PARTNER, agency, full_name="Dewi")


@pytest.fixture
def stays(alice, malaysia, saudi):
    made = []
    for n, (code, city) in enumerate([("MY", "Kuala Lumpur"), ("MY", "Penang"), ("SA", "Riyadh")]):
        person = register(serial=60 + n, full_name=f"Pekerja {city}")
        made.append(
            stay_report(
                actor=alice,
                person=person,
                data=stay_data(country=code, city=city, passport_number=f"X{n}234567"),
            )
        )
    return made


def test_an_officer_sees_every_country_and_the_listing_is_audited(alice, stays):
    client = verified_client(alice)
    overview = client.get(reverse("abroad:countries")).content.decode()
    assert "Malaysia" in overview and "Arab Saudi" in overview
    page = client.get(reverse("abroad:country", args=["MY"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pekerja Kuala Lumpur" in text and "Pekerja Penang" in text
    assert "Pekerja Riyadh" not in text
    assert "X0234567" not in text and "X1234567" not in text
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_type="abroad.stay", reason="country list MY"
    ).exists()
    api = client.get("/api/v1/stays", {"country": "sa"})
    assert api.status_code == 200
    assert [r["person_name"] for r in api.json()["items"]] == ["Pekerja Riyadh"]
    assert "passport" not in api.content.decode()


def test_an_embassy_partner_sees_only_their_country(kbri_kl, stays):
    client = verified_client(kbri_kl)
    page = client.get(reverse("abroad:country", args=["MY"]))
    assert page.status_code == 200
    assert "Pekerja Penang" in page.content.decode()
    # Names without links to the registry (an embassy does not open the record).
    assert reverse("abroad:person_stay", args=[stays[0].person_id]) not in page.content.decode()
    overview = client.get(reverse("abroad:countries")).content.decode()
    assert "Malaysia" in overview and "Arab Saudi" not in overview
    assert client.get("/api/v1/stays", {"country": "MY"}).status_code == 200
    for response in (
        client.get(reverse("abroad:country", args=["SA"])),
        client.get("/api/v1/stays", {"country": "SA"}),
    ):
        assert response.status_code == 404
    assert (
        AuditEvent.objects.filter(
            actor=kbri_kl, action="denied", object_type="places.country", object_id="SA"
        ).count()
        == 2
    )
    # Nor a person's stay page.
    assert client.get(reverse("abroad:person_stay", args=[stays[0].person_id])).status_code == 403


def test_another_partner_is_refused(putri, stays):
    client = verified_client(putri)
    for response in (
        client.get(reverse("abroad:countries")),
        client.get(reverse("abroad:country", args=["MY"])),
        client.get("/api/v1/stays", {"country": "MY"}),
    ):
        assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=putri, action="denied").count() == 3


def test_an_embassy_without_a_country_is_refused(malaysia, stays):
    agency = Agency.objects.create(name="KJRI ?", short_name="KJRI", kind=Agency.Kind.EMBASSY)
    user = make_user("x@kjri.example.org", roles.PARTNER, agency)
    assert verified_client(user).get(reverse("abroad:country", args=["MY"])).status_code == 403


def test_workers_and_trainers_are_refused(wati, teguh, stays):
    for user in (wati, teguh):
        client = verified_client(user)
        assert client.get(reverse("abroad:country", args=["MY"])).status_code == 403
        assert client.get("/api/v1/stays", {"country": "MY"}).status_code == 403


def test_an_unknown_country_is_a_404(alice, stays):
    client = verified_client(alice)
    assert client.get(reverse("abroad:country", args=["ZZ"])).status_code == 404
    assert client.get("/api/v1/stays", {"country": "ZZ"}).status_code == 404


def test_the_no_contact_filter(alice, stays):
    old = timezone.now() - timedelta(days=50)
    Stay.objects.filter(pk=stays[1].pk).update(last_contact_at=old)
    client = verified_client(alice)
    text = client.get(reverse("abroad:country", args=["MY"]), {"no_contact": "45"}).content.decode()
    assert "Pekerja Penang" in text and "Pekerja Kuala Lumpur" not in text
    api = client.get("/api/v1/stays", {"country": "MY", "no_contact_days": 45}).json()
    assert [r["person_name"] for r in api["items"]] == ["Pekerja Penang"]
    # A filter typed by hand that is not a small number is ignored, not a 500.
    for raw in ("²", "9" * 5000, "0", "-3", "dua"):
        answer = client.get(reverse("abroad:country", args=["MY"]), {"no_contact": raw})
        assert answer.status_code == 200
        assert "Pekerja Kuala Lumpur" in answer.content.decode()


def test_the_list_queries_do_not_grow_with_its_rows(alice, malaysia, django_assert_max_num_queries):
    client = verified_client(alice)
    urls = [
        (reverse("abroad:country", args=["MY"]), {}),
        ("/api/v1/stays", {"country": "MY"}),
        (reverse("abroad:countries"), {}),
    ]

    def counts() -> list[int]:
        found = []
        for url, query in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, query).status_code == 200
            found.append(len(ctx))
        return found

    person = register(serial=99, full_name="Orang pertama")
    stay_report(actor=alice, person=person, data=stay_data())
    counts()  # warm the session
    one = counts()
    for n in range(30):
        person = register(serial=100 + n, full_name=f"Orang {n:02d}")
        stay_report(actor=alice, person=person, data=stay_data())
    assert counts() == one
    assert max(one) <= 16, one
    with django_assert_max_num_queries(16):
        page = client.get(reverse("abroad:country", args=["MY"]))
    assert page.content.decode().count("Orang ") == 31
    assert client.get("/api/v1/stays", {"country": "MY"}).json()["count"] == 31
