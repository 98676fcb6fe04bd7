"""The requirements matching filters on, written with the order: the language as a
code with a scale and one of its levels, and the courses whose certificate is
required; a bad level is a clear message and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import verified_client
from garda.jobs.models import JobOrder
from garda.jobs.services.orders import order_update
from garda.jobs.tests.factories import make_agency, make_order, make_recruiter, order_data
from garda.jobs.tests.factories_matching import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return make_recruiter(make_agency(), email="writer@maju.example")


def test_an_order_keeps_its_language_level_and_required_courses(writer):
    course = make_course("p3k")
    order = make_order(
        writer,
        required_language="EN",
        required_language_scale="cefr",
        required_language_level="B1",
        required_courses=[course],
    )
    assert (order.required_language, order.required_language_scale) == ("en", "cefr")
    assert order.required_language_level == "B1"
    assert list(order.required_courses.all()) == [course]
    order = order_update(actor=writer, order=order, data=order_data(required_courses=[]))
    assert order.required_courses.count() == 0
    assert order.required_language == ""


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (
            {
                "required_language": "en",
                "required_language_scale": "cefr",
                "required_language_level": "N4",
            },
            "required_language_level",
        ),
        (
            {
                "required_language": "en",
                "required_language_scale": "xx",
                "required_language_level": "B1",
            },
            "required_language_scale",
        ),
        (
            {
                "required_language": "english",
                "required_language_scale": "cefr",
                "required_language_level": "B1",
            },
            "required_language",
        ),
        ({"required_language_level": "B1"}, "required_language"),
    ],
)
def test_a_bad_language_requirement_is_refused_and_nothing_is_written(writer, values, field):
    with pytest.raises(ValidationError) as caught:
        make_order(writer, **values)
    assert field in caught.value.message_dict
    assert JobOrder.objects.count() == 0


def test_the_level_message_lists_the_levels_of_the_scale(writer):
    with pytest.raises(ValidationError) as caught:
        make_order(
            writer,
            required_language="ja",
            required_language_scale="jlpt",
            required_language_level="B1",
        )
    message = caught.value.message_dict["required_language_level"][0]
    assert "N5, N4, N3, N2, N1" in message


def test_the_api_takes_and_gives_the_structured_requirements(rina, alice):
    course = make_course("perawat")
    from garda.jobs.tests.test_api_orders import BODY

    client = verified_client(rina)
    body = {
        **BODY,
        "required_language": "ja",
        "required_language_scale": "jlpt",
        "required_language_level": "N4",
        "required_course_ids": [course.pk],
    }
    response = client.post("/api/v1/job-orders", body, content_type="application/json")
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["required_language_level"] == "N4"
    assert out["required_course_ids"] == [course.pk]
    bad = client.patch(
        f"/api/v1/job-orders/{out['id']}",
        {"required_language_level": "Z9"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "required_language_level"
    unknown = client.patch(
        f"/api/v1/job-orders/{out['id']}",
        {"required_course_ids": [999999]},
        content_type="application/json",
    )
    assert unknown.status_code == 422


def test_the_order_form_shows_and_saves_the_requirements(alice):
    make_course("bahasa-jepang")
    page = verified_client(alice).get(reverse("jobs:order_create"))
    html = page.content.decode()
    assert 'name="required_language_scale"' in html
    assert 'name="required_courses"' in html


def test_the_longest_level_is_kept_on_both_databases(writer):
    """ "conversational" (self-assessed, 14 letters) fits the order's column and the
    registry's (PostgreSQL enforces the length; SQLite does not)."""
    order = make_order(
        writer,
        required_language="ms",
        required_language_scale="self",
        required_language_level="conversational",
    )
    order.refresh_from_db()
    assert order.required_language_level == "conversational"


def test_a_worker_s_conversational_level_is_kept(alice):
    """The registry's column holds it too (PostgreSQL refused it before)."""
    from garda.jobs.tests.factories_placement import ready_person
    from garda.people.services.profile import language_add

    person = ready_person()
    skill = language_add(
        actor=alice, person=person, language="ms", scale="self", level="conversational"
    )
    skill.refresh_from_db()
    assert skill.level == "conversational"
