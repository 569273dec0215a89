"""Variance-based sensitivity estimators (Saltelli 2010, Jansen) with seeded bootstrap intervals.

These are the formulas of ENGINE.md §9, the same as SALib's ``first_order`` / ``total_order`` (a test
checks the point estimates agree), written here because we need more than SALib gives: percentile
bootstrap *intervals* (``S1_low``, ``S1_high``) rather than a symmetric half-width, a bootstrap that is
seeded separately from the design, and a vectorised bootstrap that stays fast at 4,096 base points.

With the Saltelli design (A, B and AB_i = A with factor i from B), outputs y_A, y_B, y_ABi:

- V = variance of (y_A, y_B) pooled (population variance, as SALib);
- S_i = mean(y_B (y_ABi - y_A)) / V (first order: share of variance due to factor i alone);
- ST_i = sum((y_A - y_ABi)^2) / (2 N V) (total: including all interactions of factor i).

The outputs are centred on their overall mean first (SALib does the same): the indices are unchanged
in expectation (adding a constant to y does not change how its variance splits), but the first-order
estimator's error grows with the output's mean, and ours, a mean rank change, is never centred.

When the output does not vary at all (V = 0) every index is 0 and a warning says so: no assumption
moves the ranks, so none is influential (SALib's convention too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def split_runs(y: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split outputs in Saltelli row order into (y_A (N,), y_AB (N, G), y_B (N,))."""
    y = np.asarray(y, dtype=float)
    step = n_groups + 2
    if y.size % step:
        raise ValueError(f"{y.size} outputs is not a multiple of G + 2 = {step}")
    block = y.reshape(-1, step)
    return block[:, 0], block[:, 1:-1], block[:, -1]


def sobol_indices(y_a: np.ndarray, y_ab: np.ndarray, y_b: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """First-order and total indices per factor and the output variance (see module doc)."""
    pooled = np.concatenate([y_a, y_b])
    var = float(np.var(pooled))
    if not np.isfinite(var) or np.ptp(pooled) <= np.finfo(float).eps:
        zeros = np.zeros(y_ab.shape[1])
        return zeros, zeros.copy(), 0.0
    s1 = np.mean(y_b[:, None] * (y_ab - y_a[:, None]), axis=0) / var
    st = 0.5 * np.mean((y_a[:, None] - y_ab) ** 2, axis=0) / var
    return s1, st, var


def bootstrap_intervals(
    y_a: np.ndarray,
    y_ab: np.ndarray,
    y_b: np.ndarray,
    n_boot: int = 1000,
    conf: float = 0.95,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Percentile bootstrap intervals of S1 and ST: (S1_low, S1_high, ST_low, ST_high).

    Base points are resampled with replacement (the A, B and AB rows of one base point move together,
    as they must: they share A_i and B_i).
    """
    n, g = y_ab.shape
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    # Every statistic is a mean over resampled base points, so a resample is fully described by how
    # often it draws each point: counts (n_boot x n) times per-point terms gives all of them at once.
    counts = np.bincount((idx + (np.arange(n_boot) * n)[:, None]).ravel(), minlength=n_boot * n)
    counts = counts.reshape(n_boot, n).astype(float)
    terms = np.column_stack(
        [
            y_b[:, None] * (y_ab - y_a[:, None]),  # first-order numerator, g columns
            0.5 * (y_a[:, None] - y_ab) ** 2,  # total-order numerator, g columns
            (y_a + y_b) / 2.0,  # pooled mean of (y_A, y_B)
            (y_a**2 + y_b**2) / 2.0,  # pooled mean of squares
        ]
    )
    means = counts @ terms / n
    var = means[:, -1] - means[:, -2] ** 2
    flat = var <= np.finfo(float).eps * max(float(np.max(np.abs(terms[:, -1]))), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        s1_all = means[:, :g] / var[:, None]
        st_all = means[:, g : 2 * g] / var[:, None]
    s1_all[flat] = 0.0
    st_all[flat] = 0.0
    lo, hi = (1 - conf) / 2, 1 - (1 - conf) / 2
    s1_q = np.quantile(s1_all, [lo, hi], axis=0)
    st_q = np.quantile(st_all, [lo, hi], axis=0)
    return s1_q[0], s1_q[1], st_q[0], st_q[1]


@dataclass
class SobolResult:
    """Sensitivity indices per assumption with bootstrap intervals."""

    names: list[str]
    S1: np.ndarray
    S1_low: np.ndarray
    S1_high: np.ndarray
    ST: np.ndarray
    ST_low: np.ndarray
    ST_high: np.ndarray
    variance: float
    n_base: int
    conf: float
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, float | str]]:
        """One row per assumption in the column order of ``sensitivity.csv`` (CONTRACTS.md §3)."""
        return [
            {
                "assumption": name,
                "S1": float(self.S1[i]),
                "S1_low": float(self.S1_low[i]),
                "S1_high": float(self.S1_high[i]),
                "ST": float(self.ST[i]),
                "ST_low": float(self.ST_low[i]),
                "ST_high": float(self.ST_high[i]),
            }
            for i, name in enumerate(self.names)
        ]


def analyse(
    y: np.ndarray, names: list[str], n_boot: int = 1000, conf: float = 0.95, seed: int = 0
) -> SobolResult:
    """Indices and intervals from outputs in Saltelli row order (one group per name).

    Parameters
    ----------
    y
        Outputs of the ``N (G + 2)`` runs, in the order :func:`robust_sampling.saltelli` produced them.
    names
        Factor (assumption) names, G of them, in group order.
    n_boot, conf, seed
        Bootstrap resamples, confidence level and seed of the resampling.
    """
    y = np.asarray(y, dtype=float)
    y_a, y_ab, y_b = split_runs(y - y.mean(), len(names))
    s1, st, var = sobol_indices(y_a, y_ab, y_b)
    warnings: list[str] = []
    if var == 0.0:
        warnings.append("the output did not vary across runs: every sensitivity index is 0")
        zeros = np.zeros(len(names))
        lows = (zeros, zeros.copy(), zeros.copy(), zeros.copy())
    else:
        lows = bootstrap_intervals(y_a, y_ab, y_b, n_boot=n_boot, conf=conf, seed=seed)
    return SobolResult(
        names=list(names),
        S1=s1,
        S1_low=lows[0],
        S1_high=lows[1],
        ST=st,
        ST_low=lows[2],
        ST_high=lows[3],
        variance=var,
        n_base=int(y_a.size),
        conf=conf,
        warnings=warnings,
    )
