"""Search order and counts at registry scale (people/search.py, names.py,
garda/pagination.py)."""

from conftest import verified_client
from garda import pagination
from garda.people.tests.factories import register


def test_a_name_search_puts_the_best_match_first(alice):
    longer = register(serial=1, full_name="Muhammad Akbar Pratama")
    typo = register(serial=2, full_name="Muhamad Akbar")
    exact = register(serial=3, full_name="Muhammad Akbar")  # the newest, yet not first by age
    other = register(serial=4, full_name="Siti Akbar")
    body = verified_client(alice).get("/api/v1/people", {"q": "muhammad akbar"}).json()
    ids = [item["id"] for item in body["items"]]
    # The exact name first, then one edit away, then a name with a part not asked for.
    assert ids[:2] == [exact.pk, typo.pk]
    assert longer.pk in ids and other.pk not in ids
    assert body["count"] == len(ids)


def test_an_explicit_sort_overrides_the_ranking(alice):
    first = register(serial=1, full_name="Muhammad Akbar")
    second = register(serial=2, full_name="Muhammad Akbar Pratama")
    body = (
        verified_client(alice)
        .get("/api/v1/people", {"q": "muhammad akbar", "sort": "-created"})
        .json()
    )
    assert [item["id"] for item in body["items"]] == [second.pk, first.pk]


def test_a_ranked_search_pages_like_any_list(alice):
    people = {
        i: register(serial=i, full_name="Dewi Sartika" if i % 2 == 0 else "Dewi Sartika Putri")
        for i in range(1, 8)
    }
    client = verified_client(alice)
    page1 = client.get("/api/v1/people", {"q": "dewi sartika", "page_size": 3}).json()
    page3 = client.get("/api/v1/people", {"q": "dewi sartika", "page_size": 3, "page": 3}).json()
    assert page1["count"] == page3["count"] == 7
    # The exact names first, newest first among equals; the last page has the rest.
    assert [i["id"] for i in page1["items"]] == [people[6].pk, people[4].pk, people[2].pk]
    assert [i["id"] for i in page3["items"]] == [people[1].pk]


def test_counts_stop_at_the_cap(alice, monkeypatch):
    n = 3
    monkeypatch.setattr(pagination, "COUNT_CAP", n)
    for i in range(1, n + 3):
        register(serial=i)
    client = verified_client(alice)
    body = client.get("/api/v1/people").json()
    assert (body["count"], body["count_capped"]) == (n, True)
    assert len(body["items"]) == n + 2  # the page itself is not capped
    few = client.get("/api/v1/people", {"q": "PMI-2026-000001"}).json()
    assert (few["count"], few["count_capped"]) == (1, False)
    page = client.get("/people/").content.decode()
    assert f"Lebih dari {n} orang ditemukan" in page
