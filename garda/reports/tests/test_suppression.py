"""Small-cell suppression (garda/reports/suppression.py), without a database.

An attacker who sees only the published cells tries to get a suppressed one back:
(a) by subtracting from a total (any line with one unknown left, repeated),
(b) by solving the linear system exactly (Fractions), and
(c) on small tables, by listing every table of nonnegative integer counts that agrees
    with the published cells.
The guarantee checked: no published cell is under 5; for every suppressed cell the
published cells allow at least two values, and at least one of them is 5 or more (so
the attacker can neither pin it nor prove it small).
"""

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garda.reports import suppression as s
from garda.reports.suppression import THRESHOLD, TOTAL

# --- the attacker -----------------------------------------------------------------------


def published(table, hidden) -> dict:
    return {k: v for k, v in table.cells.items() if k not in hidden}


def attack_subtraction(lines, seen: dict) -> dict:
    """(a) Every line with one unknown gives it; repeat with what was learnt."""
    known = dict(seen)
    changed = True
    while changed:
        changed = False
        for total, members in lines:
            cells = (total, *members)
            unknown = [k for k in cells if k not in known]
            if len(unknown) == 1:
                (k,) = unknown
                rest = sum(known[m] for m in members if m != k)
                known[k] = known[total] - rest if k != total else rest
                changed = True
    return {k: v for k, v in known.items() if k not in seen}


def attack_linear(lines, seen: dict, unknown: list) -> dict:
    """(b) Gauss-Jordan over the rationals on the equations restricted to the unknowns;
    a reduced row with one nonzero entry gives that unknown's value."""
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, members in lines:
        row = [Fraction(0)] * (len(unknown) + 1)
        for key, sign in ((total, 1), *((m, -1) for m in members)):
            if key in index:
                row[index[key]] += sign
            else:
                row[-1] -= sign * seen[key]
        if any(row[:-1]):
            rows.append(row)
    r = 0
    for col in range(len(unknown)):
        p = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        r += 1
    found = {}
    for row in rows[:r]:
        nonzero = [j for j in range(len(unknown)) if row[j] != 0]
        if len(nonzero) == 1:
            found[unknown[nonzero[0]]] = row[-1] / row[nonzero[0]]
    return found


def attack_enumerate(rows, columns, seen: dict, cap: int) -> dict:
    """(c) Every completion of a 2-D table with margins: the interior cells not
    published range over 0..cap, the margins follow; keep those that agree with every
    published cell. Returns the set of values each suppressed cell takes. (A cap only
    shrinks what the attacker sees as possible, so the check below stays sound.)"""
    interior = [(r, c) for r in rows for c in columns]

    def row_options(r):
        # A row whose total is published: its last free cell follows from the others.
        free = [(r, c) for c in columns if (r, c) not in seen]
        total = seen.get((r, TOTAL))
        if total is None or not free:
            yield from (
                dict(zip(free, vs, strict=True))
                for vs in itertools.product(range(cap + 1), repeat=len(free))
            )
            return
        rest = total - sum(seen[(r, c)] for c in columns if (r, c) in seen)
        for vs in itertools.product(range(cap + 1), repeat=len(free) - 1):
            last = rest - sum(vs)
            if 0 <= last:
                yield dict(zip(free, (*vs, last), strict=True))

    possible: dict = {}
    for parts in itertools.product(*(list(row_options(r)) for r in rows)):
        cells = {k: seen[k] for k in interior if k in seen}
        for part in parts:
            cells.update(part)
        for r in rows:
            cells[(r, TOTAL)] = sum(cells[(r, c)] for c in columns)
        for c in columns:
            cells[(TOTAL, c)] = sum(cells[(r, c)] for r in rows)
        cells[(TOTAL, TOTAL)] = sum(cells[(r, TOTAL)] for r in rows)
        if all(cells[k] == v for k, v in seen.items()):
            for k, v in cells.items():
                if k not in seen:
                    possible.setdefault(k, set()).add(v)
    return possible


def assert_protected(table, hidden):
    seen = published(table, hidden)
    assert all(v >= THRESHOLD for v in seen.values()), seen
    assert {k for k, v in table.cells.items() if v < THRESHOLD} <= hidden
    assert attack_subtraction(table.lines, seen) == {}
    assert attack_linear(table.lines, seen, sorted(hidden, key=repr)) == {}
    for key in hidden:
        lo, hi = s.feasible_range(table, hidden, key)
        assert lo <= table.cells[key] and (hi is None or table.cells[key] <= hi)
        assert hi is None or (hi >= THRESHOLD and hi > lo), (key, lo, hi)


# --- primary and secondary ------------------------------------------------------------


def test_every_count_under_five_is_suppressed_zeros_included():
    table = s.one_way({"a": 0, "b": 4, "c": 5, "d": 30})
    hidden = s.protect(table)
    assert {"a", "b"} <= hidden
    assert "c" not in published(table, hidden) or table.cells["c"] >= THRESHOLD
    assert_protected(table, hidden)


def test_a_lone_small_cell_takes_a_complement_so_the_total_does_not_give_it_back():
    table = s.one_way({"a": 3, "b": 9, "c": 40})
    hidden = s.protect(table)
    # b is the smallest published cell of the line: the least lost.
    assert hidden == {"a", "b"}
    # the attacker's subtraction: total - c = 12 = a + b, two unknowns.
    assert attack_subtraction(table.lines, published(table, hidden)) == {}
    assert_protected(table, hidden)


def test_small_cells_that_add_up_under_five_are_not_left_to_prove_themselves_small():
    # a + b = 3 from the total: both would be known under 5 (and a=0, b=3 a guess away).
    table = s.one_way({"a": 0, "b": 3, "c": 20, "d": 40})
    hidden = s.protect(table)
    assert "c" in hidden  # the complement that widens the range past the threshold
    assert_protected(table, hidden)
    assert s.feasible_range(table, hidden, "a") == (0, 23)


def test_two_zeros_and_their_total_are_not_an_exact_disclosure():
    # Without the range audit, a + b = 0 published implicitly would pin both at 0.
    table = s.two_way({("x", "F"): 0, ("x", "M"): 0, ("y", "F"): 9, ("y", "M"): 12}, "xy", "FM")
    hidden = s.protect(table)
    assert ("x", TOTAL) in hidden
    assert_protected(table, hidden)


def test_two_way_secondary_suppression_blocks_rows_and_columns():
    counts = {
        ("a", "F"): 2,
        ("a", "M"): 10,
        ("b", "F"): 7,
        ("b", "M"): 12,
        ("c", "F"): 25,
        ("c", "M"): 30,
    }
    table = s.two_way(counts, "abc", "FM")
    hidden = s.protect(table)
    assert ("a", "F") in hidden
    for total, members in table.lines:
        assert sum(1 for k in (total, *members) if k in hidden) != 1
    assert_protected(table, hidden)
    seen = published(table, hidden)
    possible = attack_enumerate("abc", "FM", seen, cap=40)
    assert possible.keys() == hidden
    for values in possible.values():
        assert len(values) > 1 and max(values) >= THRESHOLD


def test_a_table_with_nothing_small_is_published_whole():
    table = s.two_way({(r, c): 10 + r for r in range(3) for c in "FM"}, range(3), "FM")
    assert s.protect(table) == set()


def test_a_table_of_only_small_counts_hides_everything_under_five():
    table = s.one_way({"a": 1, "b": 1})
    hidden = s.protect(table)
    assert hidden == {"a", "b", TOTAL}
    assert published(table, hidden) == {}


def test_the_equations_audit_finds_what_subtraction_finds():
    table = s.one_way({"a": 3, "b": 9, "c": 40})
    assert s.determined_by_equations(table, {"a"}) == {"a"}
    assert s.first_failure(table, {"a"}) == "a"
    assert s.determined_by_equations(table, {"a", "b"}) == set()


def test_a_table_that_does_not_add_up_is_refused():
    table = s.one_way({"a": 3})
    table.cells[TOTAL] = 4
    with pytest.raises(ValueError):
        s.protect(table)
    with pytest.raises(ValueError):
        s.protect(s.one_way({"a": -1}))


# --- properties on random small tables ------------------------------------------------

SMALL = st.integers(min_value=0, max_value=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SMALL, min_size=1, max_size=7))
def test_one_way_random(values):
    table = s.one_way({f"k{i}": v for i, v in enumerate(values)})
    hidden = s.protect(table)
    assert_protected(table, hidden)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n_rows: st.integers(min_value=1, max_value=3).flatmap(
            lambda n_cols: st.lists(
                st.one_of(SMALL, st.integers(min_value=5, max_value=60)),
                min_size=n_rows * n_cols,
                max_size=n_rows * n_cols,
            ).map(lambda vs: (n_rows, n_cols, vs))
        )
    )
)
def test_two_way_random(shape):
    n_rows, n_cols, values = shape
    rows, columns = range(n_rows), [f"c{j}" for j in range(n_cols)]
    counts = {
        (r, c): values[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(columns)
    }
    table = s.two_way(counts, rows, columns)
    hidden = s.protect(table)
    assert_protected(table, hidden)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=4, max_size=4))
def test_two_by_two_brute_force(values):
    """(c) Every completion of a 2x2 table with margins: each suppressed cell has more
    than one possible value, one of them 5 or more."""
    counts = {("a", "F"): values[0], ("a", "M"): values[1]}
    counts |= {("b", "F"): values[2], ("b", "M"): values[3]}
    table = s.two_way(counts, "ab", "FM")
    hidden = s.protect(table)
    seen = published(table, hidden)
    assert all(v >= THRESHOLD for v in seen.values())
    cap = max(table.cells[(TOTAL, TOTAL)], THRESHOLD) + THRESHOLD
    possible = attack_enumerate("ab", "FM", seen, cap=cap)
    assert possible.keys() == hidden
    for key, options in possible.items():
        assert table.cells[key] in options
        assert len(options) > 1, key
        assert max(options) >= THRESHOLD, (key, options)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))
def test_one_way_brute_force(values):
    """(c) on a list and its total: every completion of the hidden members (the total
    follows), each suppressed cell with more than one value, one of them 5 or more."""
    keys = [f"k{i}" for i in range(len(values))]
    table = s.one_way(dict(zip(keys, values, strict=True)))
    hidden = s.protect(table)
    seen = published(table, hidden)
    cap = table.cells[TOTAL] + THRESHOLD
    free = [k for k in keys if k not in seen]
    possible: dict = {}
    for guess in itertools.product(range(cap + 1), repeat=len(free)):
        cells = {**{k: seen[k] for k in keys if k in seen}, **dict(zip(free, guess, strict=True))}
        cells[TOTAL] = sum(cells[k] for k in keys)
        if all(cells[k] == v for k, v in seen.items()):
            for k in hidden:
                possible.setdefault(k, set()).add(cells[k])
    for key in hidden:
        assert table.cells[key] in possible[key]
        assert len(possible[key]) > 1 and max(possible[key]) >= THRESHOLD, (key, possible[key])
