"""Name search with the typos people make and the names people share (issue 18):
swapped neighbours are one edit, a query with a one-edit variant of each word never
comes back empty, and a common name's first page holds the people who bear it,
after the filters have narrowed the list (people/names.py, people/search.py)."""

from datetime import date

import pytest

from conftest import verified_client
from garda.people import names
from garda.people.tests.factories import register


@pytest.fixture(autouse=True)
def _fresh_name_caches():
    """Each test's registry starts with this process's vocabulary and token counts
    forgotten: an earlier test's (rolled back) rows would otherwise still be counted."""
    names.caches_clear()
    yield
    names.caches_clear()


def _found(client, q, **params) -> list[int]:
    body = client.get("/api/v1/people", {"q": q, **params}).json()
    return [item["id"] for item in body["items"]]


@pytest.mark.django_db
def test_swapped_neighbours_are_one_typo(alice):
    hakim = register(serial=1, full_name="Abdul Hakim")
    tanjung = register(serial=2, full_name="Dewi Tanjung")
    suryadi = register(serial=3, full_name="Bambang Suryadi")
    client = verified_client(alice)
    # Each of these came back empty under the edit distance without transpositions.
    assert _found(client, "Hkaim") == [hakim.pk]
    assert _found(client, "Tnajung") == [tanjung.pk]
    assert _found(client, "Sruyadi") == [suryadi.pk]
    assert _found(client, "Sruyadi Bmabang") == [suryadi.pk]  # and in any order


@pytest.mark.django_db
def test_a_letter_dropped_or_a_short_word_mistyped_still_finds_the_person(alice):
    long = register(serial=1, full_name="Kurniawati Prasetyaningrum")
    short = register(serial=2, full_name="Ani Lestari")
    client = verified_client(alice)
    assert _found(client, "Kurniawati Prasetyaningum") == [long.pk]  # one letter dropped
    assert _found(client, "Kurniawti") == [long.pk]
    # "Ano" is no registered name: widened by an edit, it finds Ani rather than nobody.
    assert _found(client, "Ano") == [short.pk]
    assert _found(client, "Ano Lestrai") == [short.pk]
    assert _found(client, "An Lestari") == [short.pk]  # a letter dropped from "Ani"
    assert _found(client, "Budi") == []  # nothing one edit away: still empty


@pytest.mark.django_db
def test_a_short_word_that_is_registered_is_not_widened(alice):
    ani = register(serial=1, full_name="Ani Lestari")
    register(serial=2, full_name="Ana Lestari")
    assert _found(verified_client(alice), "Ani") == [ani.pk]


def _common_name(monkeypatch):
    """More bearers of "Siti Rahayu" and its near spellings than names.RANK_LIMIT: the
    exact ones registered first, the near ones (one edit) last, so that "newest first"
    would put the near ones on top."""
    monkeypatch.setattr(names, "RANK_LIMIT", 4)
    plain = [register(serial=i, full_name="Siti Rahayu").pk for i in (1, 2)]
    longer = [register(serial=i, full_name="Siti Rahayu Putri").pk for i in (3, 4)]
    near = [
        register(serial=i, full_name=name).pk
        for i, name in ((5, "Sita Rahayu"), (6, "Siti Rahayi"), (7, "Sitti Rahaya"))
    ]
    return plain, longer, near


@pytest.mark.django_db
@pytest.mark.parametrize("every_word_common", [False, True])
def test_a_common_name_lists_its_exact_bearers_first(alice, monkeypatch, every_word_common):
    plain, longer, near = _common_name(monkeypatch)
    if every_word_common:  # too common to read the postings of any word: probed instead
        monkeypatch.setattr(names, "DRIVER_LIMIT", 0)
    client = verified_client(alice)
    client.get("/api/v1/people", {"q": "siti rahayu"})  # loads the vocabulary and counts
    body = client.get("/api/v1/people", {"q": "siti rahayu"}).json()
    ids = [item["id"] for item in body["items"]]
    # The exact name, fewest parts first (newest first among equals), then the rest.
    assert ids[:4] == plain[::-1] + longer[::-1]
    assert sorted(ids[4:]) == sorted(near)
    # A typo of the common name: its likeliest spelling comes first all the same.
    assert _found(client, "stii rahayu")[:4] == plain[::-1] + longer[::-1]
    page = client.get("/people/", {"q": "siti rahayu"}).content.decode()
    assert "7 orang ditemukan." in page
    said = "Nama ini umum: hanya 4 orang yang paling cocok diurutkan menurut nama"
    if every_word_common:  # only the bearers of the exact name were ranked: said so
        assert (body["count"], body["ranked_only"]) == (7, 4)
        assert body["notice"].startswith(said) and said in page
    else:
        assert (body["count"], body["ranked_only"], body["notice"]) == (7, None, "")
        assert said not in page


@pytest.mark.django_db
@pytest.mark.parametrize("every_word_common", [False, True])
def test_a_common_name_pages_past_its_ranked_part(alice, monkeypatch, every_word_common):
    plain, longer, near = _common_name(monkeypatch)
    if every_word_common:
        monkeypatch.setattr(names, "DRIVER_LIMIT", 0)
    client = verified_client(alice)
    pages = [_found(client, "siti rahayu", page_size=3, page=page) for page in (1, 2, 3)]
    listed = sum(pages, [])
    assert listed[:4] == plain[::-1] + longer[::-1] and sorted(listed[4:]) == sorted(near)


@pytest.mark.django_db
def test_the_birth_year_narrows_a_common_name_before_ranking(alice, monkeypatch):
    monkeypatch.setattr(names, "RANK_LIMIT", 2)
    wanted = register(serial=1, full_name="Siti Rahayu Putri", born=date(1990, 5, 1))
    for serial in range(2, 7):
        register(serial=serial, full_name="Siti Rahayu", born=date(1980 + serial, 1, 1))
    client = verified_client(alice)
    body = client.get("/api/v1/people", {"q": "siti rahayu", "birth_year": 1990}).json()
    assert [item["id"] for item in body["items"]] == [wanted.pk]
    assert (body["count"], body["ranked_only"], body["notice"]) == (1, None, "")
    assert client.get("/api/v1/people", {"birth_year": 1800}).status_code == 422
    assert client.get("/people/", {"q": "rahayu", "birth_year": 1990}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("every_word_common", [False, True])
def test_a_common_name_search_is_query_bounded(
    alice, monkeypatch, django_assert_max_num_queries, every_word_common
):
    _common_name(monkeypatch)
    if every_word_common:
        monkeypatch.setattr(names, "DRIVER_LIMIT", 0)
    for serial in range(10, 20):
        register(serial=serial, full_name=f"Siti Rahayu {chr(ord('A') + serial)}")
    client = verified_client(alice)
    client.get("/api/v1/people", {"q": "siti rahayu"})  # loads the vocabulary and counts
    with django_assert_max_num_queries(18):  # 9 of them the session and the audit row
        body = client.get("/api/v1/people", {"q": "siti rahayu", "page": 2, "page_size": 5}).json()
    assert len(body["items"]) == 5
