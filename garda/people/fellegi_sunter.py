"""Fellegi–Sunter m and u probabilities, estimated from the data: EM, labels.

Pure numpy, no Django, no knowledge of what the fields are: the duplicate engine
(matching.py) turns candidate pairs into comparison levels, one small integer per
field, and asks this module how likely each level is between two records of one
person (m) and between records of two people (u), and how many of the pairs are
duplicates (the prior). The log2 of m/u is then the weight of a level.

Expectation–maximisation (Winkler 1988; what recordlinkage's ECM classifier and
Splink do): start from guesses of m, u and the prior, give every pair the posterior
probability of being a duplicate under the guesses (E), re-estimate m, u and the
prior as the posterior-weighted level frequencies (M), repeat until the
log-likelihood stops moving. Fields are assumed independent given the class (the
classic model). Level 0 is "one side is blank": it is left out of the estimate and
weighs nothing.

Each probability gets a small Dirichlet pseudo-count towards the starting values
(`strength` pairs' worth): a level never seen in one class keeps a finite weight
instead of plus or minus infinity, and a tiny data set cannot drag a weight far from
its prior. With pseudo-counts this is MAP-EM; what never decreases from one
iteration to the next is the log-likelihood plus the log of that prior, which is
what `Estimate.log_likelihood` records.

Officers' decisions ("same person" / "different people") enter in two ways:
`estimate(..., labels=...)` fixes the posterior of each labelled pair to 1 or 0
(semi-supervised EM), and `from_labels` re-estimates m from the "same" pairs and u
from the "different" pairs once there are enough of them (MIN_LABELS), blended
with the EM estimate in proportion to how many labels there are.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_ITERATIONS = 200
TOLERANCE = 1e-7  # change in the per-pair log-likelihood that counts as converged
FLOOR = 1e-6  # no probability goes below this, so no weight is infinite
# Labels needed in a class (same or different) before they re-estimate its side.
MIN_LABELS = 30
# How many labelled pairs the EM estimate counts for when blended with labels.
LABEL_BLEND = 100.0


@dataclass(frozen=True)
class Estimate:
    """m[f][l], u[f][l]: probability of level l of field f among duplicates (m) and
    non-duplicates (u); level 0 (blank) is 0 in both. `prior`: share of duplicates."""

    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    prior: float
    log_likelihood: tuple[float, ...] = ()
    iterations: int = 0
    converged: bool = False
    pairs: int = 0
    labelled_same: int = 0
    labelled_different: int = 0

    def weights(self) -> tuple[np.ndarray, ...]:
        """log2(m/u) per field and level; 0 for the blank level."""
        out = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2(np.maximum(m, FLOOR) / np.maximum(u, FLOOR))
            w[0] = 0.0
            out.append(w)
        return tuple(out)

    def prior_bits(self) -> float:
        """log2 of the prior odds against a duplicate (the score's offset)."""
        p = min(max(self.prior, FLOOR), 1 - FLOOR)
        return float(np.log2((1 - p) / p))


def _normalised(values: Sequence[float]) -> np.ndarray:
    p = np.maximum(np.asarray(values, dtype=np.float64), FLOOR)
    p[0] = 0.0
    return p / p[1:].sum()


def _compress(levels: np.ndarray, labels: np.ndarray | None):
    """Distinct rows of (levels, label) with their counts: EM then costs as many
    operations per iteration as there are distinct patterns, not pairs."""
    lab = np.full(len(levels), -1, dtype=np.int64) if labels is None else labels.astype(np.int64)
    rows = np.column_stack([levels.astype(np.int64), lab])
    patterns, counts = np.unique(rows, axis=0, return_counts=True)
    return patterns[:, :-1], patterns[:, -1], counts.astype(np.float64)


def _log_terms(patterns: np.ndarray, probs: Sequence[np.ndarray]) -> np.ndarray:
    out = np.zeros(len(patterns))
    for f, p in enumerate(probs):
        level = patterns[:, f]
        known = level > 0
        out[known] += np.log(np.maximum(p[level[known]], FLOOR))
    return out


def estimate(
    levels: np.ndarray,
    n_levels: Sequence[int],
    m0: Sequence[Sequence[float]],
    u0: Sequence[Sequence[float]],
    prior0: float,
    *,
    labels: np.ndarray | None = None,
    strength: float = 10.0,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = TOLERANCE,
    fixed_u: Sequence[int] = (),
) -> Estimate:
    """EM over `levels` (pairs x fields, level numbers, 0 = blank).

    `m0`, `u0`, `prior0`: the starting values and the centre of the pseudo-counts.
    `labels`: per pair 1 (same person), 0 (different) or -1 (unknown); a labelled
    pair's posterior is fixed. `fixed_u`: fields whose u is not re-estimated (set
    from term frequencies elsewhere, for instance).
    """
    n_fields = len(n_levels)
    if levels.ndim != 2 or levels.shape[1] != n_fields:
        raise ValueError(f"levels must be pairs x {n_fields}")
    m = [_normalised(v) for v in m0]
    u = [_normalised(v) for v in u0]
    centre_m = [p.copy() for p in m]
    centre_u = [p.copy() for p in u]
    prior = float(prior0)
    if not len(levels):
        return Estimate(tuple(m), tuple(u), prior)
    patterns, pattern_labels, counts = _compress(levels, labels)
    total = counts.sum()
    history: list[float] = []
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (reported below)
        log_m = _log_terms(patterns, m) + np.log(prior)
        log_u = _log_terms(patterns, u) + np.log1p(-prior)
        top = np.maximum(log_m, log_u)
        evidence = top + np.log(np.exp(log_m - top) + np.exp(log_u - top))
        g = np.exp(log_m - evidence)
        # A labelled pair's class is known: its posterior is fixed, and it adds the
        # likelihood of its levels within that class.
        g[pattern_labels == 1] = 1.0
        g[pattern_labels == 0] = 0.0
        evidence[pattern_labels == 1] = log_m[pattern_labels == 1]
        evidence[pattern_labels == 0] = log_u[pattern_labels == 0]
        objective = float((counts * evidence).sum())
        objective += _log_prior(m, u, centre_m, centre_u, strength)
        history.append(objective / total)
        if len(history) > 1 and abs(history[-1] - history[-2]) < tolerance:
            converged = True
            break
        gm, gu = counts * g, counts * (1 - g)
        for f in range(n_fields):
            level = patterns[:, f]
            m[f] = _m_step(level, gm, n_levels[f], centre_m[f], strength)
            if f not in fixed_u:
                u[f] = _m_step(level, gu, n_levels[f], centre_u[f], strength)
        prior = float(min(max(gm.sum() / total, FLOOR), 1 - FLOOR))
    return Estimate(
        tuple(m),
        tuple(u),
        prior,
        tuple(history),
        iteration,
        converged,
        pairs=int(total),
        labelled_same=int(counts[pattern_labels == 1].sum()),
        labelled_different=int(counts[pattern_labels == 0].sum()),
    )


def posteriors(est: Estimate, levels: np.ndarray) -> np.ndarray:
    """Each pair's probability of being a duplicate under `est`."""
    log_m = _log_terms(levels, est.m) + np.log(est.prior)
    log_u = _log_terms(levels, est.u) + np.log1p(-est.prior)
    return 1.0 / (1.0 + np.exp(np.clip(log_u - log_m, -700, 700)))


def _m_step(
    level: np.ndarray, weight: np.ndarray, n: int, centre: np.ndarray, strength: float
) -> np.ndarray:
    sums = np.bincount(level, weights=weight, minlength=n)[:n]
    sums[0] = 0.0
    sums[1:] += strength * centre[1:]
    total = sums[1:].sum()
    return sums / total if total > 0 else centre.copy()


def smoothed(level: np.ndarray, prior: np.ndarray, pseudo: float) -> np.ndarray:
    """The frequencies of the levels in `level` (blank left out), with `pseudo`
    pseudo-counts spread as `prior`."""
    n = len(prior)
    counts = np.bincount(level, minlength=n)[:n].astype(np.float64)
    counts[0] = 0.0
    mixed = counts + pseudo * np.asarray(prior, dtype=np.float64)
    mixed[0] = 0.0
    return mixed / mixed[1:].sum()


def _log_prior(m, u, centre_m, centre_u, strength: float) -> float:
    """Log density (up to a constant) of the Dirichlet pseudo-counts."""
    out = 0.0
    for p, c in (*zip(m, centre_m, strict=True), *zip(u, centre_u, strict=True)):
        out += float((strength * c[1:] * np.log(np.maximum(p[1:], FLOOR))).sum())
    return out


def from_labels(
    current: Estimate,
    levels: np.ndarray,
    labels: np.ndarray,
    *,
    min_labels: int = MIN_LABELS,
    blend: float = LABEL_BLEND,
) -> Estimate:
    """`current` with m re-estimated from the pairs labelled same (1) and u from those
    labelled different (0), for each side that has at least `min_labels` labels.

    The label frequencies are blended with the current estimate, which counts for
    `blend` labels: with a few hundred decisions the officers' view dominates. The
    prior is left as it is (decisions are made on pairs the engine proposed, so the
    share of "same" among them says nothing about the share among candidates).
    Note that "different" decisions are pairs that looked alike, not random ones:
    they make u stricter for the levels such pairs reach, which is the intent.
    """
    m, u = list(current.m), list(current.u)
    same, different = levels[labels == 1], levels[labels == 0]
    for rows, side in ((same, m), (different, u)):
        if len(rows) < min_labels:
            continue
        for f, p in enumerate(side):
            if (rows[:, f] > 0).any():
                side[f] = smoothed(rows[:, f], p, blend)
    return Estimate(
        tuple(m),
        tuple(u),
        current.prior,
        current.log_likelihood,
        current.iterations,
        current.converged,
        current.pairs,
        labelled_same=len(same),
        labelled_different=len(different),
    )
