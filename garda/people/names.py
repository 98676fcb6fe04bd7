"""Typo-tolerant name search that stays fast at national scale.

A trigram scan over a million names is slow (p95 ≈ 275 ms on PostgreSQL, ≈ 300 ms
with SQLite FTS5, measured for the registry issue) and still misses typos. Instead,
each person's names are folded into tokens (NameToken), and the set of distinct
tokens (NameVocabulary: tens of thousands, not millions) is fuzzy-matched in memory
against each query word with rapidfuzz; the matching tokens are then looked up
through the token index. The same code runs on SQLite and PostgreSQL.
"""

import json
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from rapidfuzz import process
from rapidfuzz.distance import OSA

from garda.people.matching import normalize_name
from garda.people.models import NameToken, NameVocabulary, Person

MAX_WORDS = 6
_VOCABULARY_TTL = 60.0  # seconds; new tokens of this process are added at once
_vocabulary: dict = {"tokens": [], "set": set(), "loaded_at": 0.0}


def tokens_of(person: Person) -> set[str]:
    return {
        token[:40]
        for name in (person.full_name, person.other_names)
        for token in normalize_name(name).split()
        if len(token) > 1  # initials carry too little to index
    }


def name_tokens_refresh(person: Person) -> None:
    """Keep a person's name tokens (and the vocabulary) in step with their names."""
    tokens = tokens_of(person)
    NameToken.objects.filter(person=person).exclude(token__in=tokens).delete()
    NameToken.objects.bulk_create(
        [NameToken(person=person, token=t) for t in tokens], ignore_conflicts=True
    )
    # Always upsert (a few rows): the local cache may hold tokens of a registration
    # that was rolled back.
    NameVocabulary.objects.bulk_create(
        [NameVocabulary(token=t) for t in tokens], ignore_conflicts=True
    )
    new = tokens - _vocabulary["set"]
    _vocabulary["set"].update(new)
    _vocabulary["tokens"].extend(sorted(new))


def name_tokens_refresh_many(persons: list[Person], *, new: bool = False) -> None:
    """name_tokens_refresh for many persons in a few queries (imports); `new` skips
    removing old tokens of persons just created."""
    from garda.people.services.duplicates import insert_pairs

    wanted = {p.pk: tokens_of(p) for p in persons}
    if not new:
        ids = list(wanted)
        for start in range(0, len(ids), 900):
            NameToken.objects.filter(person_id__in=ids[start : start + 900]).delete()
    insert_pairs(NameToken, "token", [(pk, t) for pk, tokens in wanted.items() for t in tokens])
    every = set().union(*wanted.values()) if wanted else set()
    NameVocabulary.objects.bulk_create(
        [NameVocabulary(token=t) for t in every], ignore_conflicts=True, batch_size=2000
    )
    fresh = every - _vocabulary["set"]
    _vocabulary["set"].update(fresh)
    _vocabulary["tokens"].extend(sorted(fresh))


def _vocabulary_tokens() -> list[str]:
    if time.monotonic() - _vocabulary["loaded_at"] > _VOCABULARY_TTL:
        tokens = list(NameVocabulary.objects.values_list("token", flat=True))
        _vocabulary.update(tokens=tokens, set=set(tokens), loaded_at=time.monotonic())
    return _vocabulary["tokens"]


def caches_clear() -> None:
    """Forget the vocabulary and the token counts of this process: for rows written
    behind this module's back (a bulk load), seen at the next search."""
    _vocabulary["loaded_at"] = 0.0
    _df["loaded_at"] = -_DF_TTL


def _max_edits(word: str, *, widened: bool = False) -> int:
    """Edits allowed between a query word and a name token. Short words get none (one
    typo already makes another name: Ani/Ana), long ones two; `widened`, when the
    strict search found nobody, one more (at most two), so that a query never comes
    back empty while a one-edit variant of each of its words is registered."""
    edits = 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2
    return min(edits + 1, 2) if widened else edits


def similar_tokens(word: str, *, prefix: bool = False, widened: bool = False) -> dict[str, float]:
    """Vocabulary tokens within a few edits of `word` (and, for the word being typed,
    the tokens it starts), each with its distance: edits, 0.5 for a completion. An
    edit is an inserted, dropped or replaced letter, or two neighbours swapped
    (optimal string alignment: "hkaim" is one edit from "hakim", not two)."""
    found = {word: 0.0}
    limit = _max_edits(word, widened=widened)
    vocabulary = _vocabulary_tokens()
    if prefix and len(word) >= 3:
        found.update((t, 0.5) for t in vocabulary if t.startswith(word) and t != word)
    if limit:
        for token, distance, _index in process.extract(
            word, vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            found[token] = min(found.get(token, distance), float(distance))
    return found


def _query_words(text: str) -> list[str]:
    return [w for w in normalize_name(text).split() if len(w) > 1][:MAX_WORDS]


def filter_by_name(qs: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Persons whose names contain every word of `text`, in any order, each word
    allowing a typo or two (and old spellings, through normalize_name); widened by
    an edit when that finds nobody (_max_edits)."""
    scored = _scored_words(text)
    found = _filter(qs, scored)
    if scored and not found.exists():
        found = _filter(qs, _scored_words(text, widened=True))
    return found


def _scored_words(text: str, *, widened: bool = False) -> list[dict[str, float]]:
    words = _query_words(text)
    return [
        similar_tokens(w, prefix=i == len(words) - 1, widened=widened) for i, w in enumerate(words)
    ]


# A word whose tokens hold at most this many persons drives the search (_filter).
DRIVER_LIMIT = 50_000
# Persons per token, counted for the whole index once an hour (one GROUP BY, not one
# per query): enough to pick the rarest query word and the likeliest spelling.
_DF_TTL = 3600.0
_df: dict = {"counts": {}, "loaded_at": -_DF_TTL}
_CHUNK = 5000  # persons per IN (...), far below every backend's parameter limit
_MAX_IDS = 30_000  # the most ids handed to the database as one list (SQLite: 32,766)


def _token_counts(tokens) -> dict[str, int]:
    return dict(
        NameToken.objects.filter(token__in=tokens)
        .values_list("token")
        .annotate(n=Count("id"))
        .order_by()
    )


def _posting_counts(scored: list[dict[str, float]]) -> dict[str, int]:
    """Persons per token of `scored`: from the hourly count of the whole index, and
    tokens it has not seen yet (new since) counted at once."""
    now = time.monotonic()
    if now - _df["loaded_at"] >= _DF_TTL:
        counts = dict(NameToken.objects.values_list("token").annotate(n=Count("id")).order_by())
        _df.update(counts=counts, loaded_at=now)
    counts = _df["counts"]
    unseen = sorted({t for tokens in scored for t in tokens if t not in counts})
    for start in range(0, len(unseen), 500):
        chunk = unseen[start : start + 500]
        found = _token_counts(chunk)
        counts.update((t, found.get(t, 0)) for t in chunk)
    return counts


def _posting_sizes(scored: list[dict[str, float]]) -> list[int]:
    counts = _posting_counts(scored)
    return [sum(counts[t] for t in tokens) for tokens in scored]


def _having(ids: set[int], tokens: dict[str, float]) -> set[int]:
    """The persons of `ids` that have one of `tokens` (the (person, token) index)."""
    ordered, found = sorted(ids), set()
    for start in range(0, len(ordered), _CHUNK):
        found.update(
            NameToken.objects.filter(
                person_id__in=ordered[start : start + _CHUNK], token__in=tokens
            ).values_list("person_id", flat=True)
        )
    return found


def _filter(qs: QuerySet[Person], scored: list[dict[str, float]]) -> QuerySet[Person]:
    """Persons having, for every query word, one of its similar tokens.

    The rarest word's persons come from the token index; each other word, rarest
    first, keeps those of them that have one of its tokens, looked up through the
    (person, token) index. Intersecting every word's persons instead would read the
    whole posting list of a common name (Siti: a sixth of the registry). When even
    the rarest word is that common, each word is an EXISTS probe per person, read
    newest first: a page of a common name stops after a few thousand probes; a rarer
    single word reads its persons from the index."""
    if not scored:
        return qs.none()
    sizes = _posting_sizes(scored)
    order = sorted(range(len(scored)), key=sizes.__getitem__)
    if sizes[order[0]] <= DRIVER_LIMIT and len(scored) > 1:
        ids = set(
            NameToken.objects.filter(token__in=scored[order[0]]).values_list("person_id", flat=True)
        )
        for i in order[1:]:
            ids = _having(ids, scored[i])
        if len(ids) <= _MAX_IDS:
            return qs.filter(pk__in=sorted(ids))
    first, *others = order
    if sizes[first] <= DRIVER_LIMIT:
        qs = qs.filter(pk__in=NameToken.objects.filter(token__in=scored[first]).values("person_id"))
    else:
        others = order
    for i in others:
        qs = qs.filter(
            Exists(NameToken.objects.filter(person_id=OuterRef("pk"), token__in=scored[i]))
        )
    return qs


# The most matches ranked in full (edits, then unmentioned name parts); beyond, by
# edits only. A name search whose words are all common (Siti, Muhammad...) ranks
# the bearers of the likeliest intended name instead, newest first up to this many,
# and lists the other matches after them, newest first.
RANK_LIMIT = 3000


@dataclass
class NameRanking:
    """What rank_by_name found: `ranked`, ids best match first, and `rest`, when the
    ranking covered only part of the matches (every word common), the others in the
    queryset's order."""

    ranked: list[int]
    rest: QuerySet[Person] | None = None


def rank_by_name(qs: QuerySet[Person], text: str) -> NameRanking:
    """The persons `filter_by_name` finds, best match first: fewest edits over the
    query's words (the likeliest intended spelling first among equally near ones:
    _weighted), then fewest name parts the query did not mention (a search for
    "Muhammad Akbar" puts Muhammad Akbar before Muhammad Akbar Pratama), then the
    queryset's own order. The queryset's filters have narrowed it already: a birth
    year makes a common name rare.

    The rarest word's postings, with each other word's tokens probed through the
    (person, token) index, give every match and its edits in a few queries
    (_matches). When every word is too common for that, only the bearers of the
    likeliest intended name are ranked (_rank_common)."""
    scored = _scored_words(text)
    ranking = _rank(qs, scored)
    if scored and not ranking.ranked:
        ranking = _rank(qs, _scored_words(text, widened=True))
    return ranking


def _rank(qs: QuerySet[Person], scored: list[dict[str, float]]) -> NameRanking:
    if not scored:
        return NameRanking([])
    weighted = _weighted(scored)
    matches = _matches(weighted)
    if matches is None:
        return _rank_common(qs, weighted)
    ids = list(qs.filter(pk__in=id_list(matches)).values_list("id", flat=True))
    ids.sort(key=matches.__getitem__)  # stable: equal edits keep the queryset's order
    return NameRanking(_ranked(ids[:RANK_LIMIT], weighted) + ids[RANK_LIMIT:])


def _rank_common(qs: QuerySet[Person], weighted: list[dict[str, float]]) -> NameRanking:
    found = _filter(qs, weighted)
    ids = list(found.values_list("id", flat=True)[: RANK_LIMIT + 1])
    if len(ids) <= RANK_LIMIT:
        return NameRanking(_ranked(ids, weighted))
    head = list(_filter(qs, _intended(weighted)).values_list("id", flat=True)[:RANK_LIMIT])
    head = head or ids[:RANK_LIMIT]
    return NameRanking(_ranked(head, weighted), found.exclude(pk__in=id_list(head)))


def _matches(scored: list[dict[str, float]]) -> dict[int, float] | None:
    """Each person having every query word, with the edits over the words: one
    self-join of the token index, the rarest word first. None when even the rarest
    word is too common to read this way (DRIVER_LIMIT) or too many match."""
    sizes = _posting_sizes(scored)
    order = sorted(range(len(scored)), key=sizes.__getitem__)
    if sizes[order[0]] > DRIVER_LIMIT:
        return None
    table = connection.ops.quote_name(NameToken._meta.db_table)
    # SQLite's statistics see only the average token: CROSS JOIN keeps this order.
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    joins, where, params = [], [], []
    for n, i in enumerate(order):
        tokens = sorted(scored[i])
        if n:
            joins.append(f"{join} {table} t{n} ON t{n}.person_id = t0.person_id")
        where.append(f"t{n}.token IN ({', '.join(['%s'] * len(tokens))})")
        params += tokens
    columns = ", ".join(f"t{n}.token" for n in range(len(order)))
    sql = (
        f"SELECT t0.person_id, {columns} FROM {table} t0 {' '.join(joins)} "  # noqa: S608
        f"WHERE {' AND '.join(where)}"  # quoted names and placeholders only
    )
    edits: dict[int, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, *tokens in cursor.fetchall():
            d = sum(scored[i][t] for i, t in zip(order, tokens, strict=True))
            edits[person_id] = min(edits.get(person_id, d), d)
    return edits if len(edits) <= _MAX_IDS else None


def id_list(ids) -> RawSQL:
    """`ids` as one query parameter, for `pk__in=`: a list of thousands of ids costs
    Django's ORM (a parameter each) far more time than the database's work."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def _weighted(scored: list[dict[str, float]]) -> list[dict[str, float]]:
    """`scored` with each word's likeliest intended token (_intended) a hair ahead
    of the other tokens as near as it."""
    return [
        {t: d if t in best else d + 0.01 for t, d in tokens.items()}
        for tokens, best in zip(scored, _intended(scored), strict=True)
    ]


def _intended(scored: list[dict[str, float]]) -> list[dict[str, float]]:
    """For each word, its likeliest intended token: the nearest registered one, the
    commonest among equally near ones (a typo of a common name is more likely than
    an exact rare one)."""
    counts = _posting_counts(scored)
    intended = []
    for tokens in scored:
        known = [t for t in tokens if counts.get(t)] or list(tokens)
        best = min(known, key=lambda t: (tokens[t], -counts.get(t, 0), t))
        intended.append({best: tokens[best]})
    return intended


def _ranked(ids: list[int], scored: list[dict[str, float]]) -> list[int]:
    """`ids` by edits, then name parts the query did not mention (stable)."""
    names: dict[int, set[str]] = {}
    for person_id, token in NameToken.objects.filter(person_id__in=id_list(ids)).values_list(
        "person_id", "token"
    ):
        names.setdefault(person_id, set()).add(token)

    def quality(person_id: int) -> tuple[float, int]:
        tokens = names.get(person_id, set())
        edits = sum(min((s[t] for t in tokens if t in s), default=3.0) for s in scored)
        unmentioned = sum(1 for t in tokens if not any(t in s for s in scored))
        return edits, unmentioned

    return sorted(ids, key=quality)
