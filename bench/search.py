"""The search rows of `python -m bench --search N`: a registry of `n` persons written
straight to the tables (persons, their name tokens and the token vocabulary, as
names.name_tokens_refresh_many would leave them), then name searches through the
API as a signed-in officer.

The names come from synth.py's generator, so common Indonesian names repeat as in
life (Siti, Muhammad, Nur... a sixth of the registry shares a first name). Each
query is the name of a random registered person with one kind of error, the kinds
in equal shares: two neighbouring letters swapped, a letter inserted, a letter
dropped, a letter replaced (in a word of 4+ letters, never its first letter), the
old spelling (synth._oldify), the words in another order, none.

Printed: p50/p95 of the API's answer time; the share of queries whose first page
holds the person or the intended name (a person whose folded name holds every
folded word of the true name exactly); and with the person's birth year added as a
filter, p50/p95 and the share with the person on the first page.
"""

import random
import time
from datetime import date

from bench.matching import _ms

CHUNK = 5000
QUERIES = 210  # 30 of each kind
KINDS = ("transposition", "insertion", "deletion", "substitution", "old spelling", "order", "none")
LETTERS = "aiueonrstkmlgdhbpy"


def misspell(rng: random.Random, name: str, kind: str) -> str:
    """`name` with one error of `kind` (KINDS)."""
    from bench.synth import _oldify

    words = name.split()
    if kind == "none":
        return name
    if kind == "order":
        return " ".join(words[1:] + words[:1])
    if kind == "old spelling":
        return _oldify(name)
    long = [i for i, w in enumerate(words) if len(w) >= 4] or list(range(len(words)))
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, max(2, len(word) - 1))
    if kind == "transposition":
        word = word[:j] + word[j + 1 : j + 2] + word[j] + word[j + 2 :]
    elif kind == "insertion":
        word = word[:j] + rng.choice(LETTERS) + word[j:]
    elif kind == "deletion":
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + rng.choice([c for c in LETTERS if c != word[j].lower()]) + word[j + 1 :]
    words[i] = word
    return " ".join(words)


class SearchBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1818)  # noqa: S311 (benchmark data)

    def run(self, n: int, queries: int = QUERIES) -> dict:
        from garda.dbutils import refresh_statistics
        from garda.people.models import NameToken, NameVocabulary, Person

        started = time.perf_counter()
        persons = self.populate(n)
        refresh_statistics(Person, NameToken, NameVocabulary)
        self._row(
            "search registry written (bulk: persons, name tokens, vocabulary)",
            f"{n:,} persons, {NameToken.objects.count():,} tokens, "
            f"{NameVocabulary.objects.count():,} distinct",
            f"{time.perf_counter() - started:.1f} s",
        )
        return self.measure(persons, queries)

    # -- the data ----------------------------------------------------------------------
    def populate(self, n: int) -> list[tuple[int, str, date]]:
        """`n` persons; returns (id, full name, birth date) of each."""
        from bench.synth import _Generator
        from garda.dbutils import fast_insert
        from garda.people.matching import normalize_name
        from garda.people.models import NameToken, NameVocabulary, Person
        from garda.people.names import caches_clear

        generator = _Generator(seed=18, duplicate_rate=0.0)
        run = f"SB{time.time_ns() % 10**6:06d}-"
        made: list[tuple[str, date]] = []
        for start in range(0, n, CHUNK):
            batch = []
            for i in range(start, min(n, start + CHUNK)):
                sex = "F" if self.rng.random() < 0.6 else "M"
                born = generator.birth_date()
                name = generator.name(sex, born)
                made.append((name, born))
                batch.append(
                    Person(
                        reference=f"{run}{i:07d}",
                        nik=f"3171{born:%d%m%y}{i % 10000:04d}00",
                        nik_index=f"{run}{i}",
                        full_name=name,
                        sex=sex,
                        birth_date=born,
                        status="registered",
                    )
                )
            fast_insert(Person, batch)
        ids = list(
            Person.objects.filter(reference__startswith=run)
            .order_by("id")
            .values_list("id", flat=True)
            .iterator(chunk_size=CHUNK)
        )
        persons = [(pk, name, born) for pk, (name, born) in zip(ids, made, strict=True)]
        vocabulary: set[str] = set()
        rows = []
        for pk, name, _born in persons:
            tokens = {t[:40] for t in normalize_name(name).split() if len(t) > 1}
            vocabulary |= tokens
            rows.extend(NameToken(person_id=pk, token=t) for t in tokens)
            if len(rows) >= CHUNK:
                fast_insert(NameToken, rows)
                rows = []
        fast_insert(NameToken, rows)
        NameVocabulary.objects.bulk_create(
            [NameVocabulary(token=t) for t in vocabulary], ignore_conflicts=True, batch_size=2000
        )
        caches_clear()
        return persons

    def _officer(self):
        from django.contrib.auth.models import Group

        from bench.cli import Command
        from garda.accounts.models import Agency, User

        stamp = time.time_ns()
        agency = Agency.objects.create(
            name=f"Bench {stamp}", short_name=f"S{stamp}", kind="manpower"
        )
        officer = User.objects.create_user(
            email=f"bench-search-{stamp}@example.org", password=None, agency=agency
        )
        officer.groups.add(Group.objects.get(name="officer"))
        return Command()._client(officer)

    # -- the queries -------------------------------------------------------------------
    def measure(self, persons: list[tuple[int, str, date]], queries: int) -> dict:
        from django.core.management.base import CommandError

        from garda.people.matching import normalize_name

        client = self._officer()
        client.get("/api/v1/people", {"q": "warm up"})  # the vocabulary, the token counts
        sample = self.rng.sample(persons, min(queries, len(persons)))
        plain, dated = [], []
        found, intended, found_dated = 0, 0, 0
        misses: dict[str, int] = dict.fromkeys(KINDS, 0)
        for index, (pk, name, born) in enumerate(sample):
            kind = KINDS[index % len(KINDS)]
            query = misspell(self.rng, name, kind)
            wanted = set(normalize_name(name).split())
            for params, timings in (
                ({"q": query}, plain),
                ({"q": query, "birth_year": born.year}, dated),
            ):
                started = time.perf_counter()
                response = client.get("/api/v1/people", params)
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"search {params}: {response.content[:300]!r}")
                items = response.json()["items"]
                here = any(item["id"] == pk for item in items)
                if "birth_year" in params:
                    found_dated += here
                    continue
                named = any(wanted <= set(normalize_name(i["full_name"]).split()) for i in items)
                found += here
                intended += here or named
                misses[kind] += not (here or named)
        total = len(sample)
        size = f"{total} queries over {len(persons):,} persons"
        self._row(
            "name search, every error kind in equal shares (API, first page)",
            size,
            f"{_ms(plain)}; intended name or the person on page 1: {intended / total:.1%} "
            f"(the person: {found / total:.1%})",
        )
        self._row(
            "  misses by error kind",
            ", ".join(f"{kind} {misses[kind]}" for kind in KINDS),
            f"of {total // len(KINDS)} each",
        )
        self._row(
            "name search + birth year (API, first page)",
            size,
            f"{_ms(dated)}; the person on page 1: {found_dated / total:.1%}",
        )
        return {"queries": total, "intended": intended, "found": found, "dated": found_dated}
