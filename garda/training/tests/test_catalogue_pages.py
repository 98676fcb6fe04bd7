"""The catalogue, course, batch and "My training" pages, and enrolling from them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.training.models import Batch, Enrolment
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.catalogue_support import person, provider_for
from garda.training.tests.factories import make_batch, make_course

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def provider(ppkd):
    return provider_for(ppkd)


@pytest.fixture
def course(db):
    return make_course("cat-page-welding", min_education="sma", min_age=18)


@pytest.fixture
def batch(course, provider):
    return make_batch(course, provider, code="CAT-PG-1", capacity=1)


def test_catalogue_is_public_with_seats_and_full_batches(course, provider, batch, alice):
    other = make_batch(course, provider, code="CAT-PG-2", capacity=5, starts_in_days=30)
    enrolment_create(actor=alice, batch=batch, person=person(1))
    html = english(Client()).get(reverse("training:catalogue"), {"q": "cat-page"}).content.decode()
    assert "Course cat-page-welding" in html
    assert "Full — waiting list" in html
    assert "5 seats left" in html
    assert reverse("training:batch", args=[other.pk]) in html


def test_catalogue_filters(course, batch):
    make_course("cat-page-korean", sector="language", language="ko")
    client = english(Client())
    html = client.get(reverse("training:catalogue"), {"sector": "language", "q": "cat-page"})
    assert "cat-page-korean" in html.content.decode()
    assert "cat-page-welding" not in html.content.decode()
    by_provider = client.get(
        reverse("training:catalogue"), {"provider": batch.provider_id}
    ).content.decode()
    assert "cat-page-welding" in by_provider and "cat-page-korean" not in by_provider


def test_catalogue_query_count(provider, django_assert_max_num_queries):
    for i in range(8):
        c = make_course(f"cat-page-n{i}")
        make_batch(c, provider, capacity=2)
        make_batch(c, provider, capacity=2, starts_in_days=40)
    with django_assert_max_num_queries(5):
        response = Client().get(reverse("training:catalogue"))
    assert response.status_code == 200


def test_course_page(course, batch):
    html = english(Client()).get(reverse("training:course", args=[course.code])).content.decode()
    assert "CAT-PAGE-WELDING.001" in html
    assert "Education: at least SMA" in html
    assert "Age: at least 18 years on the first day" in html
    assert reverse("training:batch", args=[batch.pk]) in html
    assert Client().get(reverse("training:course", args=["nope"])).status_code == 404


def test_batch_page_public_only_when_published(batch, admin_user):
    url = reverse("training:batch", args=[batch.pk])
    html = english(Client()).get(url).content.decode()
    assert "Sesi 1" in html and batch.place in html and "1 seat left" in html
    Batch.objects.filter(pk=batch.pk).update(is_published=False)
    assert Client().get(url).status_code == 404
    assert verified_client(admin_user).get(url).status_code == 200


def test_worker_sees_unmet_prerequisites_and_enrol_fails_with_each(batch, wati):
    person(2, user=wati, education="smp", born=timezone.localdate() - timedelta(days=365 * 16))
    client = english(verified_client(wati))
    html = client.get(reverse("training:batch", args=[batch.pk])).content.decode()
    assert "You do not meet these prerequisites yet" in html
    response = client.post(reverse("training:enrol", args=[batch.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You cannot enrol yet" in html
    assert 'data-code="min_education"' in html and 'data-code="min_age"' in html
    assert "SMP" in html
    assert not Enrolment.objects.exists()


def test_worker_enrols_and_sees_their_place(batch, wati, alice):
    enrolment_create(actor=alice, batch=batch, person=person(3))
    person(4, user=wati)
    client = english(verified_client(wati))
    response = client.post(reverse("training:enrol", args=[batch.pk]), follow=True)
    html = response.content.decode()
    assert "you are on the waiting list, number 1" in html
    assert "You are on the waiting list, number 1" in html  # the batch page's own box
    again = client.post(reverse("training:enrol", args=[batch.pk]), follow=True)
    assert "already on the waiting list (position 1)" in again.content.decode()
    assert Enrolment.objects.filter(status="waitlisted").count() == 1


def test_worker_without_a_profile_is_sent_to_it(batch, wati):
    response = verified_client(wati).post(reverse("training:enrol", args=[batch.pk]))
    assert response.url == reverse("people:me")


def test_staff_do_not_use_the_worker_button(batch, alice, teguh):
    for user in (alice, teguh):
        assert (
            verified_client(user).post(reverse("training:enrol", args=[batch.pk])).status_code
            == 403
        )


def test_officer_enrols_by_reference(batch, alice):
    p = person(5)
    client = english(verified_client(alice))
    html = client.get(reverse("training:batch", args=[batch.pk])).content.decode()
    assert "Enrol a person" in html
    url = reverse("training:enrol_person", args=[batch.pk])
    response = client.post(url, {"reference": p.reference.lower()}, follow=True)
    assert f"{p.reference} is enrolled." in response.content.decode()
    assert Enrolment.objects.get().person == p
    unknown = client.post(url, {"reference": "PMI-1999-999999"})
    assert "Nobody in the registry has this reference." in unknown.content.decode()
    duplicate = client.post(url, {"reference": p.reference})
    assert "already enrolled" in duplicate.content.decode()


def test_officer_sees_why_a_person_cannot_enrol(batch, alice):
    young = person(6, education="sd")
    response = english(verified_client(alice)).post(
        reverse("training:enrol_person", args=[batch.pk]), {"reference": young.reference}
    )
    html = response.content.decode()
    assert f"{young.reference} cannot enrol" in html
    assert 'data-code="min_education"' in html


def test_my_training_and_withdraw(batch, course, provider, wati, tono, alice):
    me = person(7, user=wati)
    enrolment_create(actor=alice, batch=batch, person=person(8))
    waiting = enrolment_create(actor=wati, batch=batch, person=me)
    later = make_batch(course, provider, code="CAT-PG-LATER", starts_in_days=60)
    seated = enrolment_create(actor=wati, batch=later, person=me)
    client = english(verified_client(wati))
    html = client.get(reverse("training:my_training")).content.decode()
    assert "On the waiting list, number 1" in html and "CAT-PG-LATER" in html
    withdraw = reverse("training:withdraw", args=[seated.pk])
    no_reason = client.post(withdraw, {"reason": ""}, follow=True)
    assert "Give the reason." in no_reason.content.decode()
    assert Enrolment.objects.get(pk=seated.pk).status == "enrolled"
    done = client.post(withdraw, {"reason": "Jadwal bentrok"}, follow=True)
    assert "Withdrawn from" in done.content.decode()
    seated.refresh_from_db()
    assert (seated.status, seated.reason) == ("withdrawn", "Jadwal bentrok")
    assert "Jadwal bentrok" in client.get(reverse("training:my_training")).content.decode()
    person(9, user=tono)
    other = verified_client(tono).post(
        reverse("training:withdraw", args=[waiting.pk]), {"reason": "x"}
    )
    assert other.status_code == 404
    assert Enrolment.objects.get(pk=waiting.pk).status == "waitlisted"


def test_my_training_is_for_workers(alice):
    assert verified_client(alice).get(reverse("training:my_training")).status_code == 403
    assert Client().get(reverse("training:my_training")).status_code == 302
