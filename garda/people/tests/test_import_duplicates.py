"""The import's duplicate check at scale (issue 18): a common name does not hide a
true duplicate, and a batch's check costs a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from garda.people import matching
from garda.people.models import DuplicateCandidate, Person, PersonKey
from garda.people.services import imports
from garda.people.services.duplicates import MAX_PER_KEY, duplicates_refresh_many
from garda.people.tests.factories import nik_for
from garda.people.tests.test_import import csv_bytes, row, run

NAME = "Siti Aminah"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def namesake(serial: int, born: date, **overrides) -> dict:
    """A woman called NAME from the same district, with her own birth date and phone,
    living in the same training centre's dormitory: another person."""
    values = {
        "nama_lengkap": NAME,
        "alamat": "Asrama BLK Jl. Raya Bogor KM 20",
        "telepon": f"0813-{serial:04d}-{serial:04d}",
        "email": "",
    }
    return row(serial, born=born, **{**values, **overrides})


def born(i: int) -> date:
    return date(1970 + i % 35, 1 + i % 12, 1 + i % 28)


@pytest.mark.django_db
def test_a_true_duplicate_among_hundreds_of_namesakes_is_flagged(alice, gambir):
    count = MAX_PER_KEY + 50
    job = run(csv_bytes([namesake(i, born(i)) for i in range(1, count + 1)]), alice)
    assert job.created_rows == count
    # The key on the address is held by too many to count: it is not compared on.
    crowded = PersonKey.objects.values("key").annotate(n=Count("id")).filter(n__gt=MAX_PER_KEY)
    assert crowded.exists()
    original = Person.objects.get(nik_index=imports.nik_index(nik_for(serial=7, born=born(7))))
    before = set(DuplicateCandidate.objects.values_list("person_a", "person_b"))
    # The same woman again under another NIK (a typo in its serial), her name spelled
    # the old way, with her birth date, address and phone; and more namesakes.
    copy = namesake(7, born(7), nik=nik_for(serial=9007, born=born(7)), nama_lengkap="Sitti Aminah")
    more = [namesake(i, born(i)) for i in range(count + 1, count + 30)]
    job = run(csv_bytes([*more, copy]), alice)
    assert job.created_rows == 30
    imported = Person.objects.get(nik_index=imports.nik_index(copy["nik"]))
    flagged = set(DuplicateCandidate.objects.values_list("person_a", "person_b")) - before
    assert (original.pk, imported.pk) in flagged
    assert {pair for pair in flagged if imported.pk in pair} == {(original.pk, imported.pk)}
    assert Person.objects.get(pk=imported.pk).needs_duplicate_review


def query_count(persons: list[Person], *, new: bool) -> int:
    with CaptureQueriesContext(connection) as queries:
        duplicates_refresh_many(persons, new=new)
    return len(queries)


@pytest.mark.django_db
def test_a_batch_duplicate_check_costs_the_same_queries_for_5_or_60_persons(alice, gambir):
    run(csv_bytes([namesake(i, born(i)) for i in range(1, 66)]), alice)
    persons = list(Person.objects.order_by("pk"))
    few, many = persons[:5], persons[5:]
    assert query_count(few, new=False) == query_count(many, new=False)
    PersonKey.objects.all().delete()
    assert query_count(few, new=True) == query_count(many, new=True)
    assert PersonKey.objects.filter(person__in=many).exists()


def test_check_many_finds_what_check_record_finds_each_pair_once():
    records = [
        matching.Record(id=str(i), full_name=name, birth_date=date(1990, 1, 1), sex="F")
        for i, name in enumerate(["Siti Aminah", "Sitti Aminah", "Siti Aminah", "Dewi Sri"])
    ]
    checks = [(r, records) for r in records]
    many = sorted((m.a_id, m.b_id, m.score) for m in matching.check_many(checks))
    single = {(m.a_id, m.b_id, m.score) for r in records for m in matching.check_record(r, records)}
    assert many == sorted(single)
    assert len(many) == 3  # the three Siti Aminah pairs, each once
