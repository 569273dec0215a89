"""Statistics table of indicators (or of any data set's columns), with flags.

Before weighting or aggregating anything, an analyst needs to see which indicators are thin (many
missing values), dominated by zeros, nearly constant, heavily skewed or near-duplicates of one another.
This module computes one row of descriptive statistics per column and turns the JRC's rules of thumb
into explicit, documented flags, so the same thresholds are applied every time and can be cited.

The skewness and kurtosis are the sample-adjusted G1 and G2 of ENGINE.md §4 — the very statistics the
outlier treatment tests — so that a column flagged here is exactly a column that the ``treat`` step
would act on with the same thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index.steps import treat

__all__ = [
    "StatsTable",
    "StatsThresholds",
    "indicator_stats",
    "kurtosis_g2",
    "skewness_g1",
]


def _finite(x: Iterable[float] | pd.Series | np.ndarray) -> np.ndarray:
    """Non-missing values as a float array (missing values are ignored by every statistic)."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):  # pandas NA, None or text among the values
        ser = pd.to_numeric(pd.Series(list(x) if not isinstance(x, pd.Series) else x), errors="coerce")
        arr = ser.to_numpy(dtype=float, na_value=np.nan)
    arr = arr.ravel()
    return arr[~np.isnan(arr)]


def skewness_g1(x: Iterable[float] | pd.Series | np.ndarray) -> float:
    """Sample-adjusted skewness G1 of ENGINE.md §4, ignoring missing values.

    The treatment step's own function is used, so that a column flagged here is judged with exactly
    the arithmetic the treatment applies; this wrapper only accepts any sequence (lists, Series with
    pandas NA). The tests cross-check it against hand-computed values and SciPy's ``skew(bias=False)``.

    Returns
    -------
    float
        ``g1 * sqrt(n (n-1)) / (n-2)`` with ``g1 = sqrt(n) * sum(d^3) / sum(d^2)^1.5``; NaN when
        n < 3 or the values are all equal (the statistic is undefined, not zero).
    """
    return float(treat.skewness(_finite(x)))


def kurtosis_g2(x: Iterable[float] | pd.Series | np.ndarray) -> float:
    """Sample-adjusted excess kurtosis G2 of ENGINE.md §4, ignoring missing values (the treatment's).

    Returns
    -------
    float
        ``((n+1)(r-3) + 6)(n-1) / ((n-2)(n-3))`` with ``r = n * sum(d^4) / sum(d^2)^2``; NaN when
        n < 4 or the values are all equal.
    """
    return float(treat.kurtosis(_finite(x)))


@dataclass(frozen=True)
class StatsThresholds:
    """The rules of thumb behind the flags (JRC/COINr defaults).

    Attributes
    ----------
    availability : float
        A column is flagged ``low_availability`` when its share of non-missing values is below this
        (strictly). 0.65 is the JRC's usual floor: below it an indicator is mostly imputation.
    skew, kurt : float
        The outlier test of the treatment step: a column is flagged ``outliers`` when
        ``|G1| >= skew`` AND ``G2 >= kurt`` (i.e. it would fail the treatment's pass test).
    zeros : float
        ``many_zeros`` when the share of zeros among available values exceeds this.
    unique : float
        ``few_unique`` when the share of distinct values among available values is below this: such a
        column behaves like a category and discriminates little between units.
    collinear : float
        ``collinear`` when the column's Pearson correlation with another column (within the same
        parent when a framework is given) is at least this. Near-duplicates double-count a concept.
    """

    availability: float = 0.65
    skew: float = 2.0
    kurt: float = 3.5
    zeros: float = 0.5
    unique: float = 0.5
    collinear: float = 0.9


STAT_COLUMNS: tuple[str, ...] = (
    "code",
    "n",
    "n_missing",
    "min",
    "max",
    "mean",
    "median",
    "sd",
    "skew",
    "kurt",
    "availability",
    "frac_zero",
    "frac_unique",
    "collinear_with",
    "flag_low_availability",
    "flag_many_zeros",
    "flag_few_unique",
    "flag_outliers",
    "flag_collinear",
    "flags",
)


@dataclass
class StatsTable:
    """Per-column statistics with flags.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per column, columns :data:`STAT_COLUMNS` (``flags`` is a comma-separated summary).
    thresholds : StatsThresholds
        The thresholds the flags were computed with, kept so the report can state them.
    dataset : str or None
        Name of the data set the statistics describe, if known.
    """

    table: pd.DataFrame
    thresholds: StatsThresholds = field(default_factory=StatsThresholds)
    dataset: str | None = None

    @property
    def flagged(self) -> pd.DataFrame:
        """Only the rows with at least one flag."""
        return self.table[self.table["flags"] != ""]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "dataset": self.dataset,
            "thresholds": self.thresholds.__dict__,
            "stats": [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
                for row in self.table.to_dict(orient="records")
            ],
        }


def _numeric_frame(data: pd.DataFrame, codes: Sequence[str] | None) -> pd.DataFrame:
    """Select ``codes`` from ``data`` and check they are numeric, naming the column that is not."""
    if codes is None:
        codes = [c for c in data.columns if c not in ("uCode", "uName")]
    missing = [c for c in codes if c not in data.columns]
    if missing:
        raise InputError(
            f"code(s) not in the data set: {', '.join(map(str, missing))}",
            column=str(missing[0]),
            rule="code exists",
        )
    out = {}
    for c in codes:
        col = data[c]
        if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
            conv = pd.to_numeric(col, errors="coerce")
            bad = col.notna() & conv.isna()
            if bad.any():
                unit = bad[bad].index[0]
                raise InputError(
                    f"non-numeric value {col[unit]!r}",
                    row=str(unit),
                    column=str(c),
                    rule="numeric values",
                )
            col = conv
        out[c] = col.astype(float)
    return pd.DataFrame(out, index=data.index)


def _collinear_partners(
    frame: pd.DataFrame, threshold: float, groups: dict[str, str | None] | None
) -> dict[str, list[str]]:
    """For each column, the other columns it correlates with at ``r >= threshold`` (pairwise complete)."""
    partners: dict[str, list[str]] = {c: [] for c in frame.columns}
    cols = list(frame.columns)
    blocks = [cols]
    if groups is not None:  # only siblings are compared: one small matrix per parent
        by_group: dict[object, list[str]] = {}
        for c in cols:
            by_group.setdefault(groups.get(c), []).append(c)
        blocks = list(by_group.values())
    for block in blocks:
        if len(block) < 2:
            continue
        corr = frame[block].corr(method="pearson", min_periods=3).to_numpy()
        for i, a in enumerate(block):
            for j in range(i + 1, len(block)):
                r = corr[i, j]
                if not np.isnan(r) and r >= threshold:
                    partners[a].append(block[j])
                    partners[block[j]].append(a)
    for c in cols:  # keep the column order of the data set in the lists
        partners[c].sort(key=cols.index)
    return partners


def indicator_stats(
    data: pd.DataFrame,
    codes: Sequence[str] | None = None,
    thresholds: StatsThresholds | None = None,
    groups: dict[str, str | None] | None = None,
    dataset: str | None = None,
) -> StatsTable:
    """Descriptive statistics and flags for each column of a data set.

    Parameters
    ----------
    data : pandas.DataFrame
        Units in rows (index = uCode), codes in columns; missing = NaN.
    codes : sequence of str, optional
        Columns to describe, in this order; by default every column except ``uCode``/``uName``.
    thresholds : StatsThresholds, optional
        Flag thresholds; JRC defaults if omitted.
    groups : dict, optional
        ``code -> parent``: collinearity is then only looked for between siblings, which is where
        double counting matters (an indicator naturally correlates with indicators elsewhere).
    dataset : str, optional
        Name recorded in the result.

    Returns
    -------
    StatsTable

    Raises
    ------
    InputError
        A requested code is missing, or a column holds non-numeric values (names unit and column).
    """
    th = thresholds or StatsThresholds()
    frame = _numeric_frame(data, codes)
    partners = _collinear_partners(frame, th.collinear, groups)
    n_units = len(frame)
    rows = []
    for c in frame.columns:
        v = frame[c].to_numpy()
        avail = v[~np.isnan(v)]
        n = int(avail.size)
        frac_zero = float(np.mean(avail == 0)) if n else math.nan
        frac_unique = float(np.unique(avail).size / n) if n else math.nan
        availability = n / n_units if n_units else math.nan
        g1 = skewness_g1(avail)
        g2 = kurtosis_g2(avail)
        flag_avail = bool(availability < th.availability) if n_units else False
        flag_zero = bool(frac_zero > th.zeros) if n else False
        flag_unique = bool(frac_unique < th.unique) if n else False
        # The treatment's own three-valued test: flagged exactly when the column would FAIL it (an
        # undefined statistic cannot raise the flag, as it cannot make the column pass).
        flag_out = treat.passes(g1, g2, th.skew, th.kurt) is False
        flag_col = bool(partners[c])
        names = [
            name
            for name, on in (
                ("low_availability", flag_avail),
                ("many_zeros", flag_zero),
                ("few_unique", flag_unique),
                ("outliers", flag_out),
                ("collinear", flag_col),
            )
            if on
        ]
        rows.append(
            {
                "code": str(c),
                "n": n,
                "n_missing": int(n_units - n),
                "min": float(avail.min()) if n else math.nan,
                "max": float(avail.max()) if n else math.nan,
                "mean": float(avail.mean()) if n else math.nan,
                "median": float(np.median(avail)) if n else math.nan,
                "sd": float(avail.std(ddof=1)) if n > 1 else math.nan,
                "skew": g1,
                "kurt": g2,
                "availability": availability,
                "frac_zero": frac_zero,
                "frac_unique": frac_unique,
                "collinear_with": ",".join(map(str, partners[c])),
                "flag_low_availability": flag_avail,
                "flag_many_zeros": flag_zero,
                "flag_few_unique": flag_unique,
                "flag_outliers": flag_out,
                "flag_collinear": flag_col,
                "flags": ",".join(names),
            }
        )
    table = pd.DataFrame(rows, columns=list(STAT_COLUMNS))
    return StatsTable(table=table, thresholds=th, dataset=dataset)
