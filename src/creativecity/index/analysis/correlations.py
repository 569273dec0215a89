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

from creativecity.errors import InputError
from creativecity.index.analysis.corr_kernels import complete_block, pearson

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
            from scipy import stats as sps  # lazy: scipy.stats costs ~1 s of CLI start-up

            res = sps.kendalltau(a, b)
        return float(res.statistic), float(res.pvalue), n
    if method == "spearman":  # Pearson on average ranks, with the same t-test as scipy.stats.spearmanr
        from scipy.stats import rankdata

        a, b = rankdata(a), rankdata(b)
    return (*pearson(a, b), n)


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

    fast = complete_block(x, y, pairs, method)
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
