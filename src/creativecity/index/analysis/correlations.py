"""Correlations within and across the levels of an index, with p-values and flags.

A composite indicator is coherent when each indicator moves with its own pillar and the pillars with
the index; two indicators of the same pillar correlating above ~0.9 double-count one concept, and an
indicator correlating weakly or negatively with its pillar pulls the pillar in another direction. The
JRC audits therefore look at Pearson (linear), Spearman (monotone, robust to outliers) and Kendall
(pairwise concordance) correlations on pairwise-complete observations.

Every pair is reported with its p-value and a ``significant`` column. Insignificant pairs are SHOWN,
never silently dropped: on 51 units a correlation of 0.25 is not distinguishable from zero, and a reader
deserves to see that rather than a gap in the table.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

from creativecity.errors import InputError

__all__ = [
    "METHODS",
    "CorrelationReport",
    "CorrelationThresholds",
    "across_levels",
    "correlate",
    "correlation_matrix",
    "correlation_pairs",
    "correlation_report",
    "denominator_correlations",
    "within_level",
]

Method = Literal["pearson", "spearman", "kendall"]
METHODS: tuple[str, ...] = ("pearson", "spearman", "kendall")

PAIR_COLUMNS: tuple[str, ...] = (
    "code_1",
    "code_2",
    "scope",
    "relation",
    "method",
    "n",
    "r",
    "p",
    "significant",
    "flag",
)


class _Tree(Protocol):
    """What this module needs from a Framework (duck-typed so plain test doubles work too)."""

    n_levels: int

    def codes_at(self, level: int) -> list[str]: ...

    def parent(self, code: str) -> str | None: ...


@dataclass(frozen=True)
class CorrelationThresholds:
    """Where a correlation becomes worth a flag.

    Attributes
    ----------
    high : float
        ``collinear`` when r >= high (0.9: the two codes carry nearly the same information).
    low : float
        ``weak`` when 0 <= r < low (0.3: the code hardly moves with the other).
    alpha : float
        Significance level: ``significant`` is ``p < alpha``.
    """

    high: float = 0.9
    low: float = 0.3
    alpha: float = 0.05


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise InputError(
            f"unknown correlation method {method!r}; use one of {', '.join(METHODS)}",
            column="method",
            rule="correlation method",
        )


def correlate(
    x: Sequence[float] | np.ndarray | pd.Series,
    y: Sequence[float] | np.ndarray | pd.Series,
    method: str = "pearson",
) -> tuple[float, float, int]:
    """Correlation of two variables on the observations where both are present.

    Parameters
    ----------
    x, y : array-like
        Same length; NaN = missing.
    method : {"pearson", "spearman", "kendall"}
        Kendall is tau-b (ties handled), as in R's ``cor`` and COINr.

    Returns
    -------
    (r, p, n)
        Coefficient, two-sided p-value and number of complete pairs; r and p are NaN when fewer than
        3 complete pairs remain or a variable is constant on them (undefined, not zero).
    """
    _check_method(method)
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if a.shape != b.shape:
        raise InputError("the two variables differ in length", rule="same length")
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    n = int(a.size)
    if n < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return math.nan, math.nan, n
    if method == "kendall":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sps.kendalltau(a, b)
        return float(res.statistic), float(res.pvalue), n
    if method == "spearman":  # Pearson on average ranks, with the same t-test as scipy.stats.spearmanr
        a, b = sps.rankdata(a), sps.rankdata(b)
    return (*_pearson(a, b), n)


def _pearson(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
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
    return r, float(2.0 * special.stdtr(n - 2, -abs(t)))


def correlation_matrix(
    x: pd.DataFrame, y: pd.DataFrame | None = None, method: str = "pearson"
) -> pd.DataFrame:
    """Matrix of correlations between the columns of ``x`` and those of ``y`` (default ``x``).

    Pairwise complete, like :func:`correlate`; useful for heat maps. Rows and columns are aligned on the
    index (uCode) before correlating, so data sets with different unit orders still pair correctly.
    """
    _check_method(method)
    y = x if y is None else y
    x, y = x.align(y, join="inner", axis=0)
    out = pd.DataFrame(index=list(x.columns), columns=list(y.columns), dtype=float)
    for a in x.columns:
        for b in y.columns:
            out.loc[a, b] = correlate(x[a].to_numpy(float), y[b].to_numpy(float), method)[0]
    return out


def _flag(r: float, th: CorrelationThresholds) -> str:
    if math.isnan(r):
        return "undefined"
    if r >= th.high:
        return "collinear"
    if r < 0:
        return "negative"
    if r < th.low:
        return "weak"
    return ""


def correlation_pairs(
    x: pd.DataFrame,
    y: pd.DataFrame | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    method: str = "pearson",
    thresholds: CorrelationThresholds | None = None,
    scope: str = "",
    relation: str = "",
    relations: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Long table of correlations for chosen pairs, with p-values and flags.

    Parameters
    ----------
    x, y : pandas.DataFrame
        Codes in columns, units in rows; ``code_1`` is taken from ``x`` and ``code_2`` from ``y``
        (default ``x``).
    pairs : sequence of (str, str), optional
        Pairs to compute; default every unordered pair of distinct columns of ``x`` (when ``y`` is
        omitted) or every column of ``x`` against every column of ``y``.
    method, thresholds, scope, relation
        Method, flag thresholds, and labels copied into the ``scope``/``relation`` columns.
    relations : sequence of str, optional
        One ``relation`` label per pair (overrides ``relation``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`; one row per pair, insignificant pairs included.
    """
    _check_method(method)
    th = thresholds or CorrelationThresholds()
    same = y is None
    y = x if y is None else y
    x, y = x.align(y, join="inner", axis=0)
    if pairs is None:
        if same:
            cols = list(x.columns)
            pairs = [(a, b) for i, a in enumerate(cols) for b in cols[i + 1 :]]
        else:
            pairs = [(a, b) for a in x.columns for b in y.columns]
    rels = list(relations) if relations is not None else [relation] * len(pairs)
    if len(rels) != len(pairs):
        raise ValueError("relations must have one entry per pair")
    cache: dict[tuple[int, str], np.ndarray] = {}

    def col(side: int, frame: pd.DataFrame, code: str) -> np.ndarray:
        key = (side, code)
        if key not in cache:
            if code not in frame.columns:
                raise InputError(
                    f"code {code!r} is not in the data set", column=str(code), rule="code exists"
                )
            cache[key] = frame[code].to_numpy(dtype=float, na_value=np.nan)
        return cache[key]

    fast = _complete_block(x, y, pairs, method)
    rows = []
    for (a, b), rel in zip(pairs, rels, strict=True):
        got = fast.get((a, b))
        r, p, n = got if got is not None else correlate(col(0, x, a), col(1, y, b), method)
        rows.append(
            {
                "code_1": str(a),
                "code_2": str(b),
                "scope": scope,
                "relation": rel,
                "method": method,
                "n": n,
                "r": r,
                "p": p,
                "significant": bool(p < th.alpha) if not math.isnan(p) else False,
                "flag": _flag(r, th),
            }
        )
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


def _complete_block(
    x: pd.DataFrame, y: pd.DataFrame, pairs: Sequence[tuple[str, str]], method: str
) -> dict[tuple[str, str], tuple[float, float, int]]:
    """Correlations of the pairs whose two columns have no missing value, all at once.

    On complete columns, pairwise-complete and listwise-complete coincide, so one matrix product of
    the centred (and, for Spearman, ranked) columns gives every coefficient; the p-values use the same
    t-test as :func:`_pearson`. This turns thousands of small calls into one BLAS call on large
    frameworks; pairs involving a column with gaps fall back to :func:`correlate`. Kendall's tau has
    its own matrix form (:func:`_kendall_block`).
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
        return _kendall_block(X, Y, full_x, full_y, pairs)
    if method == "spearman":
        X, Y = sps.rankdata(X, axis=0), sps.rankdata(Y, axis=0)
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
        P = np.where(np.abs(R) == 1.0, 0.0, 2.0 * special.stdtr(n - 2, -np.abs(T)))
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


def _kendall_block(
    X: np.ndarray, Y: np.ndarray, full_x: list[str], full_y: list[str], pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float, int]]:
    """Kendall's tau-b and its p-value for complete columns, from sign vectors over pairs of units.

    With s_x = sign(x_j - x_i) over the pairs i < j, concordant minus discordant pairs is s_x . s_y and
    the pairs not tied in x number s_x . s_x, so one matrix product gives every tau-b; the p-value is
    SciPy's normal approximation with the tie-corrected variance. Pairs for which SciPy would use its
    exact distribution (no ties and n <= 33, or at most one discordant or concordant pair) are left out
    so that :func:`correlate` computes them with SciPy itself; the tests compare both paths.
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
    for a, b in pairs:
        if a not in ix or b not in iy:
            continue
        (xtie, x0, x1), (ytie, y0, y1) = tx[ix[a]], ty[iy[b]]
        c = float(cmd[ix[a], iy[b]])
        if xtie == tot or ytie == tot:
            out[(a, b)] = (math.nan, math.nan, n)
            continue
        if xtie == 0 and ytie == 0:
            dis = (tot - c) / 2
            if n <= 33 or min(dis, tot - dis) <= 1:
                continue  # SciPy's exact p-value: computed pair by pair
        tau = min(1.0, max(-1.0, c / math.sqrt(tot - xtie) / math.sqrt(tot - ytie)))
        var = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + x0 * y0 / (9 * m * (n - 2))
        p = float(2.0 * special.ndtr(-abs(c / math.sqrt(var))))
        out[(a, b)] = (tau, p, n)
    return out


def within_level(
    scores: pd.DataFrame,
    framework: _Tree,
    level: int,
    method: str = "pearson",
    same_parent: bool = True,
    thresholds: CorrelationThresholds | None = None,
) -> pd.DataFrame:
    """Correlations between the codes of one level.

    With ``same_parent`` (default) only siblings are paired: collinearity matters where two codes are
    averaged together; across pillars a high correlation is a finding, not a redundancy.
    """
    codes = [c for c in framework.codes_at(level) if c in scores.columns]
    pairs = [
        (a, b)
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if not same_parent or framework.parent(a) == framework.parent(b)
    ]
    return correlation_pairs(
        scores,
        pairs=pairs,
        method=method,
        thresholds=thresholds,
        scope=f"within level {level}",
        relation="sibling" if same_parent else "same level",
    )


def _ancestors(framework: _Tree, code: str) -> list[str]:
    out = []
    p = framework.parent(code)
    while p is not None and not (isinstance(p, float) and math.isnan(p)) and p != "":
        out.append(p)
        p = framework.parent(p)
    return out


def across_levels(
    scores: pd.DataFrame,
    framework: _Tree,
    level: int,
    method: str = "pearson",
    thresholds: CorrelationThresholds | None = None,
    only_ancestors: bool = False,
) -> pd.DataFrame:
    """Correlations of each code at ``level`` with the aggregates above it.

    Each code is paired with every aggregate at a higher level; ``relation`` says whether the aggregate
    is its ``parent``, another ``ancestor`` or ``other`` (an aggregate it does not belong to). A code
    that correlates more with another pillar than with its own is a classic sign of misallocation,
    which is why ``other`` aggregates are included unless ``only_ancestors``.
    """
    parts = []
    codes = [c for c in framework.codes_at(level) if c in scores.columns]
    for lev in range(level + 1, framework.n_levels + 1):
        pairs: list[tuple[str, str]] = []
        rels: list[str] = []
        for c in codes:
            anc = _ancestors(framework, c)
            for agg in framework.codes_at(lev):
                if agg not in scores.columns:
                    continue
                if agg == framework.parent(c):
                    rel = "parent"
                elif agg in anc:
                    rel = "ancestor"
                elif only_ancestors:
                    continue
                else:
                    rel = "other"
                pairs.append((c, agg))
                rels.append(rel)
        if pairs:
            parts.append(
                correlation_pairs(
                    scores,
                    pairs=pairs,
                    method=method,
                    thresholds=thresholds,
                    scope=f"level {level} vs {lev}",
                    relations=rels,
                )
            )
    if not parts:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    return pd.concat(parts, ignore_index=True)


@dataclass
class CorrelationReport:
    """All correlations of a data set: within every level and across levels.

    Attributes
    ----------
    pairs : pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, one row per pair and method.
    thresholds : CorrelationThresholds
    """

    pairs: pd.DataFrame
    thresholds: CorrelationThresholds = field(default_factory=CorrelationThresholds)

    def strongest(self, k: int = 5, method: str = "pearson") -> pd.DataFrame:
        """The ``k`` pairs with the highest r (within-level pairs: candidates for double counting)."""
        d = self.pairs[(self.pairs["method"] == method) & self.pairs["scope"].str.startswith("within")]
        return d.dropna(subset=["r"]).sort_values("r", ascending=False).head(k)

    def weakest(self, k: int = 5, method: str = "pearson") -> pd.DataFrame:
        """The ``k`` code-parent pairs with the lowest r (codes that pull against their aggregate)."""
        d = self.pairs[(self.pairs["method"] == method) & (self.pairs["relation"] == "parent")]
        return d.dropna(subset=["r"]).sort_values("r", ascending=True).head(k)

    @property
    def flagged(self) -> pd.DataFrame:
        """Pairs with a flag (collinear siblings; weak or negative code-parent pairs)."""
        d = self.pairs
        sib = d["scope"].str.startswith("within") & (d["flag"] == "collinear")
        par = (d["relation"] == "parent") & d["flag"].isin(["weak", "negative"])
        return d[sib | par]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output (NaN become null in ``to_json``)."""
        return {"thresholds": self.thresholds.__dict__, "pairs": self.pairs.to_dict(orient="records")}


def correlation_report(
    scores: pd.DataFrame,
    framework: _Tree,
    methods: Sequence[str] = ("pearson",),
    levels: Sequence[int] | None = None,
    thresholds: CorrelationThresholds | None = None,
) -> CorrelationReport:
    """Within-level (siblings) and across-level correlations for every level and method.

    Parameters
    ----------
    scores : pandas.DataFrame
        Normalised indicators and aggregates (e.g. ``Results.scores``), codes in columns.
    framework : Framework
        Gives the levels and parents.
    methods : sequence of str
        Any of ``pearson``, ``spearman``, ``kendall``.
    levels : sequence of int, optional
        Levels to start from; default every level below the top.
    """
    th = thresholds or CorrelationThresholds()
    for m in methods:
        _check_method(m)
    levels = list(levels) if levels is not None else list(range(1, framework.n_levels))
    parts = []
    for m in methods:
        for lev in levels:
            parts.append(within_level(scores, framework, lev, method=m, thresholds=th))
            parts.append(across_levels(scores, framework, lev, method=m, thresholds=th))
    parts = [p for p in parts if len(p)]
    pairs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(PAIR_COLUMNS))
    return CorrelationReport(pairs=pairs, thresholds=th)


def denominator_correlations(
    raw: pd.DataFrame,
    denominators: pd.DataFrame,
    method: str = "pearson",
    threshold: float = 0.7,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Correlation of every indicator with every size denominator (GDP, population, area...).

    An indicator that mostly tracks a country's (or city's) size measures size, not performance: big
    units win on totals. A high correlation with a denominator on the raw data suggests dividing by it
    (COINr's ``get_denom_corr`` check).

    Parameters
    ----------
    raw : pandas.DataFrame
        Indicator values before denomination (``Results.datasets["Raw"]``).
    denominators : pandas.DataFrame
        Denominator columns per unit (``UnitData.denominators``); aligned on the index.
    threshold : float
        ``flag`` is ``"size"`` when |r| >= threshold (either sign: a per-capita quantity can also fall
        with size), else empty.

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS` with ``scope = "denominator"``, ``code_2`` the denominator, strongest first.
    """
    if denominators is None or denominators.shape[1] == 0:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    t = correlation_pairs(
        raw,
        denominators,
        method=method,
        thresholds=CorrelationThresholds(alpha=alpha),
        scope="denominator",
        relation="denominator",
    )
    t["flag"] = np.where(t["r"].abs() >= threshold, "size", "")
    order = t["r"].abs().sort_values(ascending=False, na_position="last").index
    return t.loc[order].reset_index(drop=True)
