"""Small-cell suppression of a published table of counts (pure: no database).

A table is a set of cells (each a count) and its *lines*: each line says that one cell
(the total) is the sum of others (its members). A 1-D list with its total is one line;
a 2-D table with its row totals, column totals and grand total has one line per row,
one per column, plus the total row and the total column. Every margin is a published
cell too. `one_way` and `two_way` build the two shapes; `protect` decides which cells
are published.

The rules (docs/statistics.md):

1. Primary: every cell with a value under THRESHOLD (5) is suppressed, zeros included
   (none of these tables has a structural zero: every row could hold someone).
2. Secondary: no line holds exactly one suppressed cell (else a subtraction from the
   total gives it back). The complement chosen is the smallest published cell of the
   line (least information lost), one at a time, until no line has a lone one.
3. Audit, exact: with the published cells fixed and every suppressed cell a
   nonnegative unknown, each suppressed cell's feasible range [lo, hi] is computed by
   an exact simplex in rational arithmetic (`fractions.Fraction`; the constraint
   matrix of these tables is a network matrix, so the bounds are integers and every
   integer between them is reached). A cell fails the audit when lo == hi (disclosed:
   also checked by exact Gaussian elimination, `determined_by_equations`) or when
   hi < THRESHOLD (the published cells prove it is small: e.g. two suppressed cells
   of a line whose published total says they add up to 3). For a failing cell the
   smallest published cell of one of its lines is suppressed too, and the audit runs
   again, until it passes (at worst every cell is hidden).

The guarantee: for every suppressed cell, over all tables of nonnegative integer counts
that agree with every published cell, the cell takes at least two values, and one of
them is THRESHOLD or more. No published cell is under THRESHOLD.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 5
TOTAL = "total"

Key = Hashable


@dataclass
class Table:
    """Cells (key -> count) and lines (total key, member keys)."""

    cells: dict[Key, int]
    lines: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)

    def check(self) -> None:
        for key, value in self.cells.items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{key!r}: a count is a nonnegative integer")
        for total, members in self.lines:
            if self.cells[total] != sum(self.cells[m] for m in members):
                raise ValueError(f"{total!r} is not the sum of its line")


def one_way(counts: dict[Key, int]) -> Table:
    """A list of counts and its total (key TOTAL)."""
    cells = dict(counts)
    cells[TOTAL] = sum(counts.values())
    return Table(cells, [(TOTAL, tuple(counts))])


def two_way(counts: dict[tuple[Key, Key], int], rows: Iterable, columns: Iterable) -> Table:
    """Counts by (row, column) with every margin: (row, TOTAL), (TOTAL, column) and
    (TOTAL, TOTAL). A (row, column) missing from `counts` is 0."""
    rows, columns = list(rows), list(columns)
    cells: dict[Key, int] = {}
    for r in rows:
        for c in columns:
            cells[(r, c)] = int(counts.get((r, c), 0))
    lines = []
    for r in rows:
        cells[(r, TOTAL)] = sum(cells[(r, c)] for c in columns)
        lines.append(((r, TOTAL), tuple((r, c) for c in columns)))
    for c in columns:
        cells[(TOTAL, c)] = sum(cells[(r, c)] for r in rows)
        lines.append(((TOTAL, c), tuple((r, c) for r in rows)))
    cells[(TOTAL, TOTAL)] = sum(cells[(r, TOTAL)] for r in rows)
    lines.append(((TOTAL, TOTAL), tuple((r, TOTAL) for r in rows)))
    lines.append(((TOTAL, TOTAL), tuple((TOTAL, c) for c in columns)))
    return Table(cells, lines)


# --- the decision ---------------------------------------------------------------------


def protect(table: Table, threshold: int = THRESHOLD) -> set[Key]:
    """The keys of the cells to suppress (primary, secondary, and what the audit adds)."""
    table.check()
    hidden = {k for k, v in table.cells.items() if v < threshold}
    while True:
        _close_lines(table, hidden)
        failing = first_failure(table, hidden, threshold)
        if failing is None:
            return hidden
        extra = _complement(table, hidden, [failing])
        if extra is None:  # every cell of its lines already hidden: take any smallest
            extra = _smallest(table, set(table.cells) - hidden)
        if extra is None:
            return hidden
        hidden.add(extra)


def _line_cells(line) -> tuple:
    total, members = line
    return (total, *members)


def _close_lines(table: Table, hidden: set) -> None:
    """Rule 2: until no line has exactly one suppressed cell."""
    changed = True
    while changed:
        changed = False
        for line in table.lines:
            cells = _line_cells(line)
            if sum(1 for k in cells if k in hidden) == 1:
                extra = _smallest(table, [k for k in cells if k not in hidden])
                if extra is not None:
                    hidden.add(extra)
                    changed = True


def _smallest(table: Table, keys) -> Key | None:
    keys = list(keys)
    if not keys:
        return None
    # Smallest value; a member before a total at equal value (totals last), then order.
    return min(keys, key=lambda k: (table.cells[k], _is_total(k), repr(k)))


def _is_total(key) -> bool:
    return key == TOTAL or (isinstance(key, tuple) and TOTAL in key)


def _complement(table: Table, hidden: set, failing: list) -> Key | None:
    candidates = set()
    for line in table.lines:
        cells = _line_cells(line)
        if any(k in cells for k in failing):
            candidates.update(k for k in cells if k not in hidden)
    return _smallest(table, candidates)


# --- the audit ------------------------------------------------------------------------


def _system(table: Table, hidden: set):
    """Equations over the suppressed cells only: one per line that holds one, as
    (coefficients by variable index, right-hand side) with the published cells moved
    to the right."""
    order = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(order)}
    rows = []
    for total, members in table.lines:
        coeffs = [Fraction(0)] * len(order)
        rhs = Fraction(0)
        touched = False
        for key, sign in ((total, 1), *((m, -1) for m in members)):
            if key in index:
                coeffs[index[key]] += sign
                touched = True
            else:
                rhs -= sign * table.cells[key]
        if touched:
            rows.append((coeffs, rhs))
    return order, index, rows


def determined_by_equations(table: Table, hidden: set) -> set[Key]:
    """The suppressed cells the published ones give back exactly by linear algebra
    alone: those whose unit vector lies in the row space of the constraints restricted
    to the suppressed cells (exact Gaussian elimination over the rationals)."""
    order, _index, rows = _system(table, hidden)
    n = len(order)
    matrix = [list(c) for c, _rhs in rows]
    pivots = []  # reduced row echelon form
    r = 0
    for col in range(n):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [x / lead for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                f = matrix[i][col]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
    # A unit vector e_j is in the row space iff some reduced row is exactly e_j.
    found = set()
    for i in range(r):
        nonzero = [j for j, x in enumerate(matrix[i]) if x != 0]
        if len(nonzero) == 1:
            found.add(order[nonzero[0]])
    return found


def feasible_range(table: Table, hidden: set, key: Key) -> tuple[int, int | None]:
    """[lo, hi] of a suppressed cell over the nonnegative tables that agree with the
    published cells (hi None: unbounded)."""
    order, index, rows = _system(table, hidden)
    A = [c for c, _ in rows]
    b = [rhs for _, rhs in rows]
    objective = [Fraction(0)] * len(order)
    objective[index[key]] = Fraction(1)
    hi = _lp_max(A, b, objective)
    lo = _lp_max(A, b, [-x for x in objective])
    assert lo is not None
    return int(-lo), (None if hi is None else int(hi))


def first_failure(table: Table, hidden: set, threshold: int = THRESHOLD) -> Key | None:
    """A suppressed cell the published ones disclose (exactly, or as under the
    threshold), or None when the audit passes."""
    exact = determined_by_equations(table, hidden)
    if exact:
        return sorted(exact, key=repr)[0]
    for key in sorted(hidden, key=repr):
        lo, hi = feasible_range(table, hidden, key)
        if hi is not None and (hi < threshold or lo == hi):
            return key
    return None


# --- an exact simplex (Fractions, Bland's rule) ---------------------------------------


def _lp_max(A: list[list[Fraction]], b: list[Fraction], c: list[Fraction]) -> Fraction | None:
    """max c.x subject to A x = b, x >= 0 (feasible by construction: the true table).
    None when unbounded."""
    m, n = len(A), len(c)
    if m == 0:
        return None if any(x > 0 for x in c) else Fraction(0)
    # Phase 1: artificials a_i, b >= 0.
    T = []
    for row, rhs in zip(A, b, strict=True):
        if rhs < 0:
            row, rhs = [-x for x in row], -rhs
        T.append([*row, *([Fraction(0)] * m), rhs])
    for i in range(m):
        T[i][n + i] = Fraction(1)
    basis = [n + i for i in range(m)]
    width = n + m
    # objective row for phase 1: maximise -sum(a)  -> reduced costs
    z = [Fraction(0)] * (width + 1)
    for i in range(m):
        for j in range(width + 1):
            z[j] -= T[i][j]
    for i in range(m):
        z[n + i] += 1  # artificial's own cost cancels
    _run(T, z, basis, allowed=width)
    if z[width] != 0:  # -(sum of artificials) at optimum
        raise ValueError("infeasible")
    # Drive artificials out of the basis (or drop redundant rows).
    for i in range(m - 1, -1, -1):
        if basis[i] >= n:
            col = next((j for j in range(n) if T[i][j] != 0), None)
            if col is None:
                del T[i], basis[i]
            else:
                _pivot(T, None, basis, i, col)
    # Phase 2 on the original columns only.
    T = [[*row[:n], row[width]] for row in T]
    z = [-x for x in c] + [Fraction(0)]
    for i, var in enumerate(basis):
        if z[var] != 0:
            f = z[var]
            z = [a - f * r for a, r in zip(z, T[i], strict=True)]
    if not _run(T, z, basis, allowed=n):
        return None
    return z[n]


def _pivot(T, z, basis, r, col) -> None:
    lead = T[r][col]
    T[r] = [x / lead for x in T[r]]
    for i in range(len(T)):
        if i != r and T[i][col] != 0:
            f = T[i][col]
            T[i] = [a - f * p for a, p in zip(T[i], T[r], strict=True)]
    if z is not None and z[col] != 0:
        f = z[col]
        z[:] = [a - f * p for a, p in zip(z, T[r], strict=True)]
    basis[r] = col


def _run(T, z, basis, *, allowed: int) -> bool:
    """Pivot to optimality (maximising; z holds reduced costs, negative = improving).
    False when unbounded."""
    rhs = len(z) - 1
    while True:
        col = next((j for j in range(allowed) if z[j] < 0), None)
        if col is None:
            return True
        best = None
        for i, row in enumerate(T):
            if row[col] > 0:
                ratio = row[rhs] / row[col]
                if best is None or (ratio, basis[i]) < best[:2]:
                    best = (ratio, basis[i], i)
        if best is None:
            return False
        _pivot(T, z, basis, best[2], col)
