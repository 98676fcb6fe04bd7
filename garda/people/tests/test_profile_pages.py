"""Adding and removing skills, languages and work experience from the person page,
through the test client with the shared personas."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import LanguageSkill, Person, Skill, WorkExperience
from garda.people.services.profile import language_add, skill_add
from garda.places.models import Country

SKILL = {"occupation_code": "7212", "title": "Las SMAW"}
LANGUAGE = {"language": "ko", "level": "topik:3"}  # the menu pairs the scale and level
EXPERIENCE = {
    "employer": "Samsung Heavy Industries",
    "country": "KR",
    "occupation_code": "8212",
    "started_on": "2019-03-01",
    "ended_on": "2021-02-28",
}


def add_url(person: Person, kind: str) -> str:
    return reverse("people:profile_add", args=[person.pk, kind])


def remove_url(person: Person, kind: str, item) -> str:
    return reverse("people:profile_remove", args=[person.pk, kind, item.pk])


def in_english(client: Client) -> Client:
    """Pages speak Indonesian until the user picks English (the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def field_errors(response, kind: str, field: str) -> list[str]:
    form = response.context["profile_forms"][kind]
    return form.errors.get(field, [])


@pytest.fixture(autouse=True)
def korea(db) -> Country:
    return Country.objects.create(
        code="KR", alpha3="KOR", numeric="410", name_id="Korea Selatan", name_en="South Korea"
    )


# --- adding -------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_adds_a_skill_a_language_and_experience(alice, siti):
    client = verified_client(alice)
    detail = reverse("people:detail", args=[siti.pk])
    page = client.get(detail).content.decode()
    assert f'action="{add_url(siti, "skills")}#profile-items"' in page
    assert 'id="id_experience_occupation_code"' in page  # three forms, distinct ids

    response = client.post(add_url(siti, "skills"), SKILL)
    assert response.status_code == 302
    assert response["Location"] == f"{detail}#profile-items"
    assert client.post(add_url(siti, "languages"), LANGUAGE).status_code == 302
    assert client.post(add_url(siti, "experience"), EXPERIENCE).status_code == 302

    skill = Skill.objects.get(person=siti)
    assert (skill.occupation_code, skill.title) == ("7212", "Las SMAW")
    language = LanguageSkill.objects.get(person=siti)
    assert (language.language, language.scale, language.level) == ("ko", "topik", "3")
    job = WorkExperience.objects.get(person=siti)
    assert job.country_id == "KR" and job.ended_on == date(2021, 2, 28)
    created = AuditEvent.objects.filter(actor=alice, action=AuditEvent.Action.CREATE)
    assert set(created.values_list("object_type", flat=True)) >= {
        "people.skill",
        "people.languageskill",
        "people.workexperience",
    }
    page = client.get(detail).content.decode()
    assert "Las SMAW" in page and "Samsung Heavy Industries" in page
    assert remove_url(siti, "skills", skill) in page


@pytest.mark.django_db
def test_another_agency_officer_may_add_too(carol, siti):
    """The registry is shared across agencies (access.may_edit)."""
    response = verified_client(carol).post(add_url(siti, "skills"), SKILL)
    assert response.status_code == 302
    assert siti.skills.count() == 1


@pytest.mark.django_db
def test_htmx_add_swaps_the_section(bob, siti):
    response = verified_client(bob).post(
        add_url(siti, "languages"), LANGUAGE, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "people/_profile_items.html"
    html = response.content.decode()
    assert html.startswith('<section id="profile-items"') and "<html" not in html
    assert "Bahasa Korea · TOPIK / EPS-TOPIK: Tingkat 3 – menengah" in html
    assert response.context["notice"]  # "Language added.", in the user's language


@pytest.mark.django_db
def test_worker_adds_to_and_removes_from_their_own_record(wati, wati_person):
    client = verified_client(wati)
    own_page = client.get(reverse("people:me")).content.decode()
    assert add_url(wati_person, "skills") in own_page

    response = client.post(add_url(wati_person, "skills"), SKILL)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:me") + "#profile-items"
    skill = wati_person.skills.get()
    assert AuditEvent.objects.filter(
        actor=wati, action=AuditEvent.Action.CREATE, object_type="people.skill"
    ).exists()

    response = client.post(remove_url(wati_person, "skills", skill))
    assert response.status_code == 302
    assert not wati_person.skills.exists()


@pytest.mark.django_db
def test_worker_cannot_touch_another_persons_record(wati, tono, tono_person, siti):
    tono_skill = skill_add(actor=tono, person=tono_person, occupation_code="5120", title="Masak")
    client = verified_client(wati)
    for person in (tono_person, siti):
        assert client.post(add_url(person, "skills"), SKILL).status_code == 404
    assert client.post(remove_url(tono_person, "skills", tono_skill)).status_code == 404
    assert list(tono_person.skills.all()) == [tono_skill]
    assert not siti.skills.exists()


# --- bad input --------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_occupation_code_is_shown_next_to_the_field_in_indonesian(alice, siti):
    with translation.override("id"):
        expected = translation.gettext(
            "An occupation code has 4 digits (ISCO-08 unit group), or 5-6 digits (KBJI 2014)."
        )
    response = verified_client(alice).post(
        add_url(siti, "skills"), {"occupation_code": "72", "title": "Las"}
    )
    assert response.status_code == 200
    assert field_errors(response, "skills", "occupation_code") == [expected]
    html = response.content.decode()
    assert 'id="id_skills_occupation_code_error"' in html and expected in html
    assert response.context["open_form"] == "skills"  # the form stays open
    assert not Skill.objects.exists()
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="people.skill"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            "skills",
            {"occupation_code": "9999", "title": ""},
            "title",
            "Describe the skill in a few words.",
        ),
        (
            "languages",
            {"language": "korean", "level": "topik:3"},
            "language",
            "Choose the language from the list.",
        ),
        (
            "languages",
            {"language": "ja", "level": "jlpt:A1"},
            "level",
            "Choose the level from the list.",
        ),
        (
            "experience",
            {**EXPERIENCE, "ended_on": "2018-01-01"},
            "ended_on",
            "The end date is before the start date.",
        ),
        ("experience", {**EXPERIENCE, "country": "XX"}, "country", "Unknown country code."),
        (
            "experience",
            {**EXPERIENCE, "started_on": "kemarin"},
            "started_on",
            "Enter a valid date.",
        ),
    ],
)
def test_invalid_input_names_the_problem_and_saves_nothing(alice, siti, kind, data, field, message):
    client = in_english(verified_client(alice))
    response = client.post(add_url(siti, kind), data)
    assert response.status_code == 200
    assert field_errors(response, kind, field) == [message]
    assert message in response.content.decode()
    assert not getattr(siti, kind).exists()


@pytest.mark.django_db
def test_htmx_errors_come_back_in_the_section(alice, siti):
    response = in_english(verified_client(alice)).post(
        add_url(siti, "experience"),
        {**EXPERIENCE, "ended_on": "2018-01-01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="profile-items"')
    assert "The end date is before the start date." in html
    assert 'value="Samsung Heavy Industries"' in html  # what the user typed stays
    assert not siti.experience.exists()


# --- removing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_removes_an_entry_and_it_is_audited(alice, siti):
    skill = skill_add(actor=alice, person=siti, occupation_code="7212", title="Las")
    language = language_add(actor=alice, person=siti, language="ja", scale="jlpt", level="N4")
    client = verified_client(alice)
    response = client.post(remove_url(siti, "skills", skill))
    assert response.status_code == 302
    assert response["Location"].endswith("#profile-items")
    assert not Skill.objects.filter(pk=skill.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert (event.actor, event.object_type, event.object_id) == (
        alice,
        "people.skill",
        str(skill.pk),
    )
    htmx = client.post(remove_url(siti, "languages", language), headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "Bahasa Jepang" not in htmx.content.decode()
    assert not siti.languages.exists()


@pytest.mark.django_db
def test_removing_needs_the_entry_of_that_person_and_kind(alice, siti, tono, tono_person):
    tono_skill = skill_add(actor=tono, person=tono_person, occupation_code="5120", title="Masak")
    client = verified_client(alice)
    # Another person's entry through this person's URL, or under the wrong kind.
    assert client.post(remove_url(siti, "skills", tono_skill)).status_code == 404
    assert client.post(remove_url(tono_person, "languages", tono_skill)).status_code == 404
    assert client.post(f"/people/{siti.pk}/consents/{tono_skill.pk}/remove/").status_code == 404
    huge = "99999999999999999999"
    assert client.post(f"/people/{siti.pk}/skills/{huge}/remove/").status_code == 404
    assert client.post(f"/people/{huge}/skills/add/", SKILL).status_code == 404
    assert tono_person.skills.count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


# --- who may -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teguh", "putri"])
def test_trainer_and_partner_are_refused(request, persona, siti):
    user = request.getfixturevalue(persona)
    skill = skill_add(
        actor=request.getfixturevalue("alice"), person=siti, occupation_code="5120", title="Masak"
    )
    client = verified_client(user)
    assert client.post(add_url(siti, "skills"), SKILL).status_code == 403
    assert client.post(remove_url(siti, "skills", skill)).status_code == 403
    assert list(siti.skills.all()) == [skill]
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).count() == 2


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_and_get_is_refused(alice, siti):
    response = Client().post(add_url(siti, "skills"), SKILL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert verified_client(alice).get(add_url(siti, "skills")).status_code == 405
    assert not siti.skills.exists()


@pytest.mark.django_db
def test_posts_need_the_csrf_token(alice, siti):
    client = verified_client(alice)
    client.handler.enforce_csrf_checks = True
    assert client.post(add_url(siti, "skills"), SKILL).status_code == 403
    assert not siti.skills.exists()


@pytest.mark.django_db
def test_detail_page_query_count_stays_bounded(alice, siti, django_assert_max_num_queries):
    for n in range(5):
        skill_add(actor=alice, person=siti, occupation_code="7212", title=f"Las {n}")
    client = verified_client(alice)
    # The same bound as the detail page's own test (test_pages.py).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("people:detail", args=[siti.pk]))
    assert response.status_code == 200
