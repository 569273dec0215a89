"""Numerical kernels behind the correlation tables: the same statistics as SciPy, in bulk.

A full audit asks for thousands of correlations (every code against its siblings, its ancestors and the
other aggregates, with three methods). Calling SciPy once per pair made the overhead dominate; these
kernels compute identical numbers (the tests compare them with ``scipy.stats`` pair by pair) with one
matrix product per data set: for complete columns, pairwise- and listwise-complete coincide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KENDALL_BLOCK_MAX_UNITS", "complete_block", "kendall_block", "pearson"]


def _special() -> Any:
    """scipy.special, imported on first use: it costs a quarter of a second, which every command that
    merely registers the statistics (``creativecity index build``) would otherwise pay at start-up."""
    from scipy import special

    return special


def pearson(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Pearson r and its two-sided p-value from Student's t with n - 2 degrees of freedom.

    The same test as ``scipy.stats.pearsonr`` (whose beta-distribution form is algebraically equal),
    computed directly because a full audit asks for thousands of pairs and the generic function's
    overhead dominated the run time; the tests cross-check both.
    """
    n = a.size
    da, db = a - a.mean(), b - b.mean()
    den = math.sqrt(float(np.dot(da, da)) * float(np.dot(db, db)))
    if not den > 0 or not math.isfinite(den):  # spread too small (or large) for float64: undefined
        return math.nan, math.nan
    r = float(np.dot(da, db) / den)
    r = max(-1.0, min(1.0, r))
    if abs(r) == 1.0:
        return r, 0.0
    t = r * math.sqrt((n - 2) / (1.0 - r * r))
    return r, float(2.0 * _special().stdtr(n - 2, -abs(t)))


def complete_block(
    x: pd.DataFrame, y: pd.DataFrame, pairs: Sequence[tuple[str, str]], method: str
) -> dict[tuple[str, str], tuple[float, float, int]]:
    """Correlations of the pairs whose two columns have no missing value, all at once.

    On complete columns, pairwise-complete and listwise-complete coincide, so one matrix product of
    the centred (and, for Spearman, ranked) columns gives every coefficient; the p-values use the same
    t-test as :func:`pearson`. This turns thousands of small calls into one BLAS call on large
    frameworks; pairs involving a column with gaps fall back to ``correlations.correlate``. Kendall's tau has
    its own matrix form (:func:`kendall_block`).
    """
    cx = x.notna().all(axis=0).to_dict()
    cy = cx if y is x else y.notna().all(axis=0).to_dict()
    full_x = [c for c in dict.fromkeys(a for a, _ in pairs) if cx.get(c, False)]
    full_y = [c for c in dict.fromkeys(b for _, b in pairs) if cy.get(c, False)]
    n = len(x)
    if not full_x or not full_y or n < 3:
        return {}
    X = x[full_x].to_numpy(dtype=float)
    Y = y[full_y].to_numpy(dtype=float)
    if method == "kendall":
        return kendall_block(X, Y, full_x, full_y, pairs)
    if method == "spearman":
        from scipy.stats import rankdata  # lazy: scipy.stats costs ~1 s of CLI start-up

        X, Y = rankdata(X, axis=0), rankdata(Y, axis=0)
    Xc, Yc = X - X.mean(axis=0), Y - Y.mean(axis=0)
    nx, ny = np.sqrt((Xc * Xc).sum(axis=0)), np.sqrt((Yc * Yc).sum(axis=0))
    # a column constant on the units: r undefined, exactly as in correlate()
    flat_x = np.ptp(X, axis=0) == 0
    flat_y = np.ptp(Y, axis=0) == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        den = np.outer(nx, ny)
        R = np.clip((Xc.T @ Yc) / den, -1.0, 1.0)
        R[~((den > 0) & np.isfinite(den))] = np.nan  # spread too small (or large) for float64
        R[flat_x, :] = np.nan
        R[:, flat_y] = np.nan
        T = R * np.sqrt((n - 2) / (1.0 - R * R))
        P = np.where(np.abs(R) == 1.0, 0.0, 2.0 * _special().stdtr(n - 2, -np.abs(T)))
    P[np.isnan(R)] = np.nan
    ix = {c: i for i, c in enumerate(full_x)}
    iy = {c: i for i, c in enumerate(full_y)}
    return {
        (a, b): (float(R[ix[a], iy[b]]), float(P[ix[a], iy[b]]), n) for a, b in pairs if a in ix and b in iy
    }


#: Largest number of units for the matrix form of Kendall's tau (its cost grows with n^2 per column pair
#: of units, SciPy's per-pair algorithm with n log n); above it, SciPy is called pair by pair.
KENDALL_BLOCK_MAX_UNITS = 1000


def _tie_stats(v: np.ndarray) -> tuple[int, int, int]:
    """Sums over groups of t tied values: t(t-1)/2, t(t-1)(t-2), t(t-1)(2t+5) (as in SciPy)."""
    _, t = np.unique(v, return_counts=True)
    t = t[t > 1].astype(np.int64)
    return (
        int((t * (t - 1) // 2).sum()),
        int((t * (t - 1) * (t - 2)).sum()),
        int((t * (t - 1) * (2 * t + 5)).sum()),
    )


def kendall_block(
    X: np.ndarray, Y: np.ndarray, full_x: list[str], full_y: list[str], pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float, int]]:
    """Kendall's tau-b and its p-value for complete columns, from sign vectors over pairs of units.

    With s_x = sign(x_j - x_i) over the pairs i < j, concordant minus discordant pairs is s_x . s_y and
    the pairs not tied in x number s_x . s_x, so one matrix product gives every tau-b; the p-value is
    SciPy's normal approximation with the tie-corrected variance. Pairs for which SciPy would use its
    exact distribution (no ties and n <= 33, or at most one discordant or concordant pair) are left out
    so that ``correlations.correlate`` computes them with SciPy itself; the tests compare both paths.
    """
    n = X.shape[0]
    if n > KENDALL_BLOCK_MAX_UNITS:
        return {}
    i, j = np.triu_indices(n, 1)
    tot = n * (n - 1) // 2
    cmd = np.zeros((X.shape[1], Y.shape[1]))
    step = max(1, 2_000_000 // max(1, X.shape[1] + Y.shape[1]))
    for lo in range(0, tot, step):
        a, b = i[lo : lo + step], j[lo : lo + step]
        cmd += np.sign(X[b] - X[a]).T @ np.sign(Y[b] - Y[a])  # integers: exact in float64
    tx = [_tie_stats(X[:, k]) for k in range(X.shape[1])]
    ty = [_tie_stats(Y[:, k]) for k in range(Y.shape[1])]
    m = n * (n - 1.0)
    out: dict[tuple[str, str], tuple[float, float, int]] = {}
    ix = {c: k for k, c in enumerate(full_x)}
    iy = {c: k for k, c in enumerate(full_y)}
    for ca, cb in pairs:
        if ca not in ix or cb not in iy:
            continue
        (xtie, x0, x1), (ytie, y0, y1) = tx[ix[ca]], ty[iy[cb]]
        c = float(cmd[ix[ca], iy[cb]])
        if xtie == tot or ytie == tot:
            out[(ca, cb)] = (math.nan, math.nan, n)
            continue
        if xtie == 0 and ytie == 0:
            dis = (tot - c) / 2
            if n <= 33 or min(dis, tot - dis) <= 1:
                continue  # SciPy's exact p-value: computed pair by pair
        tau = min(1.0, max(-1.0, c / math.sqrt(tot - xtie) / math.sqrt(tot - ytie)))
        var = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + x0 * y0 / (9 * m * (n - 2))
        p = float(2.0 * _special().ndtr(-abs(c / math.sqrt(var))))
        out[(ca, cb)] = (tau, p, n)
    return out
