"""Occupations and languages by name: the reference lists, the search-then-choose
occupation field, and the profile showing names, not codes."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from garda import refdata
from garda.people import catalogue
from garda.people.catalogue import DATA
from garda.people.models import LanguageSkill, Skill, WorkExperience
from garda.people.services.profile import experience_add, language_add, skill_add
from garda.places.models import Country

ISCO_UNIT = re.compile(r"^[1-9]\d{3}$")


def add_url(person, kind: str) -> str:
    return reverse("people:profile_add", args=[person.pk, kind])


# --- the lists ------------------------------------------------------------------------


def test_the_occupation_list_is_well_formed():
    data = refdata.load(DATA / "occupations.toml")
    groups = {g["code"] for g in data["groups"]}
    codes = [row["code"] for row in data["occupations"]]
    assert len(codes) == len(set(codes)) and 60 <= len(codes) <= 120
    for row in data["occupations"]:
        assert ISCO_UNIT.match(row["code"]), row
        assert row["group"] in groups, row
        assert row["title"].strip() and row["title_en"].strip(), row
    # The jobs migrant workers from Jakarta go abroad for are all there.
    for code in ("9111", "5322", "2221", "5120", "5131", "7212", "8189", "9313", "6223", "8322"):
        assert code in codes


def test_the_language_list_is_well_formed():
    rows = refdata.load(DATA / "languages.toml")["languages"]
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]{2,3}", c) for c in codes)
    assert {"en", "ja", "ko", "zh", "ar"} <= set(codes)


def test_names_in_the_users_language_and_codes_outside_the_lists():
    with translation.override("id"):
        assert catalogue.occupation_title("7212") == "Tukang las"
        assert catalogue.occupation_title("721201") == "Tukang las"  # a KBJI 6-digit code
        assert catalogue.occupation_title("1111") == "1111"  # valid, not listed
        assert catalogue.language_name("ja") == "Jepang"
        assert catalogue.language_name("fi") == "Finlandia"  # pycountry's catalogue
        assert catalogue.language_name("zz") == "zz"
        assert catalogue.level_words("jlpt", "N4") == "N4 – dasar"
    with translation.override("en"):
        assert catalogue.occupation_title("7212") == "Welders and flamecutters"
        assert catalogue.language_name("ja") == "Japanese"


def test_search_matches_titles_and_keywords():
    assert [o.code for o in catalogue.search_occupations("las")] == ["7212"]
    assert "2221" in [o.code for o in catalogue.search_occupations("perawat")]
    assert catalogue.search_occupations("rawat") == []
    assert "5322" in [o.code for o in catalogue.search_occupations("kaigo")]
    assert "9111" in [o.code for o in catalogue.search_occupations("PRT")]
    assert catalogue.search_occupations("   ") == []


# --- the forms on the person page -----------------------------------------------------


@pytest.fixture
def korea(db):
    return Country.objects.create(
        code="KR", alpha3="KOR", numeric="410", name_id="Korea Selatan", name_en="South Korea"
    )


def test_the_skill_form_offers_titles_not_codes(alice, siti):
    html = verified_client(alice).get(reverse("people:detail", args=[siti.pk])).content.decode()
    assert '<datalist id="id_skills_occupation_code_list">' in html
    assert '<option value="Tukang las"></option>' in html
    assert "ISCO" not in html


def test_a_title_typed_or_chosen_is_stored_as_its_code(alice, siti):
    client = verified_client(alice)
    assert (
        client.post(add_url(siti, "skills"), {"occupation_code": "Tukang las"}).status_code == 302
    )
    skill = Skill.objects.get()
    assert (skill.occupation_code, skill.title) == ("7212", "Tukang las")


def test_words_matching_several_occupations_are_offered_to_choose(alice, siti):
    client = verified_client(alice)
    response = client.post(add_url(siti, "skills"), {"occupation_code": "asisten"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beberapa pekerjaan cocok dengan “asisten”" in html
    assert 'type="radio" name="occupation_code" value="5321"' in html
    assert not Skill.objects.exists()
    # The radio's code wins over the words still in the box.
    chosen = client.post(
        add_url(siti, "skills"),
        {"occupation_code": ["asisten", "5321"], "title": "Asisten perawat panti"},
    )
    assert chosen.status_code == 302
    assert Skill.objects.get().occupation_code == "5321"


def test_words_matching_nothing_are_refused_in_words(alice, siti):
    response = verified_client(alice).post(add_url(siti, "skills"), {"occupation_code": "astronot"})
    assert (
        "Tidak ada pekerjaan dalam daftar yang cocok dengan “astronot”" in response.content.decode()
    )
    assert not Skill.objects.exists()


def test_the_language_form_offers_names_and_levels_in_words(alice, siti):
    html = verified_client(alice).get(reverse("people:detail", args=[siti.pk])).content.decode()
    assert '<option value="ja">Jepang</option>' in html
    assert '<option value="jlpt:N4">N4 – dasar</option>' in html
    assert '<option value="self:basic">Dasar</option>' in html
    assert 'name="scale"' not in html  # the level menu carries its scale


def test_the_profile_shows_names_not_codes(alice, siti, korea, django_assert_max_num_queries):
    skill_add(actor=alice, person=siti, occupation_code="7212", title="Las SMAW 3G")
    language_add(actor=alice, person=siti, language="ja", scale="jlpt", level="N4")
    language_add(actor=alice, person=siti, language="ko", scale="self", level="basic")
    for year in (2015, 2018):
        experience_add(
            actor=alice,
            person=siti,
            employer=f"Pabrik {year}",
            country=korea,
            started_on=__import__("datetime").date(year, 3, 1),
            occupation_code="8212",
        )
    html = verified_client(alice).get(reverse("people:detail", args=[siti.pk])).content.decode()
    items = html[html.index('<section id="profile-items"') :]
    items = items[: items.index("<details")]
    assert "Las SMAW 3G <small>(Tukang las)</small>" in items
    assert "Bahasa Jepang · JLPT: N4 – dasar" in items
    assert "Bahasa Korea · Penilaian sendiri: Dasar" in items
    assert "Korea Selatan · Maret 2018–sekarang" in items
    assert "(Perakit peralatan listrik dan elektronik)" in items
    assert "7212" not in items and "8212" not in items and " KR " not in items
    assert LanguageSkill.objects.count() == 2 and WorkExperience.objects.count() == 2


def test_the_experience_list_reads_countries_in_one_query(alice, siti, korea):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from garda.people.views.registry import profile_items_context

    for year in (2015, 2016, 2017):
        experience_add(
            actor=alice,
            person=siti,
            employer=f"Pabrik {year}",
            country=korea,
            started_on=__import__("datetime").date(year, 1, 1),
        )
    with CaptureQueriesContext(connection) as queries:
        context = profile_items_context(alice, siti)
        names = [job.country.name for job in context["experience"]]
    assert names == ["Korea Selatan"] * 3
    assert sum("places_country" in q["sql"] for q in queries.captured_queries) <= 2


def test_the_registry_filters_by_occupation_and_language_name(alice, siti):
    skill_add(actor=alice, person=siti, occupation_code="7212", title="Las")
    client = verified_client(alice)
    page = client.get(reverse("people:list")).content.decode()
    assert '<option value="7212">Tukang las</option>' in page
    assert '<option value="ko">Korea</option>' in page
    found = client.get(reverse("people:list"), {"skill": "7212"}).content.decode()
    assert siti.reference in found
    none = client.get(reverse("people:list"), {"skill": "5120"}).content.decode()
    assert siti.reference not in none
