"""The readiness answer as a task list (docs/design-ui.md §2.2): grouped rows, each
one link to where the step is done, statuses in words with the agreed colours,
"X dari Y langkah selesai", the next step highlighted with where to go and what to
bring; the officer's page shows the same partial with staff links."""

import re

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.destinations.tests.factories_readiness import (
    KR_QUERY,
    complete_documents,
    document,
    requirement_set,
)

MINE = "/destinations/readiness/"

pytestmark = pytest.mark.django_db


def _row(html: str, code: str) -> str:
    match = re.search(rf'<li class="task" data-code="{code}".*?</li>', html, re.S)
    assert match, f"no task row for {code}"
    return match.group()


def _planned(client):
    assert client.post(reverse("destinations:my_plan"), KR_QUERY).status_code == 302


def test_the_worker_sees_grouped_tasks_with_steps_done(person, wati, kr_set):
    client = verified_client(wati)
    _planned(client)
    document(person, "ktp", "rejected", rejection_reason="Foto buram")
    document(person, "medical", "pending")
    html = client.get(MINE).content.decode()
    # Profile and plan done; ktp, passport, medical and EPS-TOPIK are not.
    assert "2 dari 6 langkah selesai" in html
    groups = re.findall(r'<h3 id="group-(\w+)">(\d)\. ([^<]+)</h3>', html)
    assert [(key, title) for key, _n, title in groups] == [
        ("person", "Data diri"),
        ("plan", "Penempatan"),
        ("documents", "Dokumen"),
        ("health", "Kesehatan"),
        ("training", "Pelatihan dan tes"),
    ]
    ktp = _row(html, "ktp")
    assert 'data-state="rejected"' in ktp
    assert '<a class="task-name" href="/documents/me/?type=ktp#upload">' in ktp
    assert '<strong class="tag tag-red">Ditolak</strong>' in ktp and "Foto buram" in ktp
    assert '<strong class="tag tag-yellow">Menunggu verifikasi</strong>' in _row(html, "medical")
    assert '<strong class="tag tag-blue">Belum ada</strong>' in _row(html, "passport")
    # Every row is one link at most (the whole row is its target), hints have none.
    for row in re.findall(r'<li class="task".*?</li>', html, re.S):
        assert row.count("<a ") <= 1
    assert '<span class="done">Selesai</span>' in html  # profile and plan: plain text


def test_the_next_step_is_highlighted_with_the_agency_and_what_to_bring(person, wati, kr_set):
    client = verified_client(wati)
    _planned(client)
    document(person, "ktp", "rejected", rejection_reason="Foto buram")
    html = client.get(MINE).content.decode()
    card = html[html.index('<div class="card card-next" id="next-step"') :]
    card = card[: card.index('id="next-steps"')]
    assert "Langkah berikutnya untuk Anda" in card and "Foto buram" in card
    assert "Tempat yang dituju" in card and "Dukcapil" in card
    assert "Yang perlu dibawa" in card
    assert 'href="/documents/me/?type=ktp#upload">Unggah ' in card
    # The other steps are folded below it, none lost.
    assert 'id="next-steps"' in html and "langkah lagi" in html


def test_a_ready_worker_has_every_step_done(person, wati, kr_set):
    client = verified_client(wati)
    _planned(client)
    complete_documents(person)
    html = client.get(MINE).content.decode()
    assert "6 dari 6 langkah selesai" in html
    assert "Siap: semua persyaratan terpenuhi" in html
    assert 'id="next-step"' not in html
    assert "tag-red" not in html


def test_alternatives_count_as_one_step(person, wati):
    requirement_set(
        requirements=[
            {"type": "ktp"},
            {"type": "eps-topik", "min_level": "80", "alternative_group": 1},
            {"type": "jlpt", "min_level": "N4", "alternative_group": 1},
        ]
    )
    client = verified_client(wati)
    _planned(client)
    document(person, "ktp")
    document(person, "jlpt", level="N3")
    html = client.get(MINE).content.decode()
    # Profile, plan, ktp, and the language test (one of two): all done.
    assert "4 dari 4 langkah selesai" in html
    assert '<span class="muted">Tidak diperlukan</span>' in _row(html, "eps-topik")


def test_a_blocker_is_a_red_task_that_says_what_stops_the_placement(person, wati, kr_set):
    person.birth_date = person.birth_date.replace(year=person.birth_date.year - 30)
    person.save(update_fields=["birth_date"])
    client = verified_client(wati)
    _planned(client)
    html = client.get(MINE).content.decode()
    row = _row(html, "over_age")
    assert "Usia maksimal" in row and '<strong class="tag tag-red">Belum memenuhi</strong>' in row
    assert "<a " not in row  # nothing the worker can do about it here
    assert "Belum siap: 1 hal menghalangi penempatan ini" in html
    assert "0 dari" not in html  # profile and plan are still done
    assert re.search(r"2 dari 7 langkah selesai", html)


def test_the_officer_sees_the_same_list_with_staff_links(person, alice, kr_set):
    client = verified_client(alice)
    url = reverse("destinations:person_plan", args=[person.pk])
    assert client.post(url, KR_QUERY).status_code == 302
    verified = document(person, "ktp")
    html = client.get(reverse("destinations:person_readiness", args=[person.pk])).content.decode()
    assert "1 dari" not in html and "3 dari 6 langkah selesai" in html
    assert f'href="{reverse("documents:detail", args=[verified.pk])}"' in _row(html, "ktp")
    assert f'href="{reverse("documents:person", args=[person.pk])}"' in _row(html, "passport")
    assert "?type=" not in html  # the worker's upload form is not the officer's
    assert f'<a class="task-name" href="{reverse("people:detail", args=[person.pk])}">Profil<' in (
        html
    )
