"""Treat outliers: tame the few extreme values that would otherwise decide an indicator's scale.

With min-max normalisation one huge value squeezes every other unit into a corner of the range. The
JRC's rule (ENGINE.md §4): if a column is both skewed and heavy-tailed, winsorise its extreme values
one tie-group at a time (at most ``winmax`` points); if that is not enough, log-transform the original
column instead. Every decision is recorded per indicator so that a report can explain it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from creativecity.index.steps.base import (
    BuildContext,
    Method,
    Param,
    State,
    StepKind,
    StepOutput,
    integer,
    number,
    readonly,
    text,
)

# Every treat method: f(x, winmax, skew_max, kurt_max, fallback) -> (treated array, list of per-column
# records). ``x`` is units x indicators; columns are treated independently.


def skewness(v: np.ndarray) -> float:
    """Sample-adjusted skewness G1 of the non-missing values; NaN when n < 3 or the variance is 0.

    g1 = sqrt(n) * sum(d^3) / sum(d^2)^(3/2);  G1 = g1 * sqrt(n (n - 1)) / (n - 2).
    """
    v = v[~np.isnan(v)]
    n = v.size
    if n < 3:
        return math.nan
    d = v - v.mean()
    s2 = float(np.dot(d, d))
    if s2 == 0:
        return math.nan
    g1 = math.sqrt(n) * float(np.sum(d * d * d)) / s2**1.5
    return g1 * math.sqrt(n * (n - 1)) / (n - 2)


def kurtosis(v: np.ndarray) -> float:
    """Sample-adjusted excess kurtosis G2; NaN when n < 4 or the variance is 0.

    r = n * sum(d^4) / sum(d^2)^2;  G2 = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3)).
    """
    v = v[~np.isnan(v)]
    n = v.size
    if n < 4:
        return math.nan
    d = v - v.mean()
    d2 = d * d
    s2 = float(d2.sum())
    if s2 == 0:
        return math.nan
    r = n * float(np.dot(d2, d2)) / (s2 * s2)
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def passes(g1: float, g2: float, skew_max: float, kurt_max: float) -> bool | None:
    """Three-valued pass test: ``|G1| < skew_max OR G2 < kurt_max``.

    An undefined statistic (NaN) is "unknown": it cannot make the test pass on its own, and the result
    is ``None`` (unknown) unless the other statistic passes.
    """
    a = None if math.isnan(g1) else abs(g1) < skew_max
    b = None if math.isnan(g2) else g2 < kurt_max
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def log_ct(v: np.ndarray) -> np.ndarray:
    """ln(x - min(x) + 0.01 (max(x) - min(x))) over the non-missing values (NaN stays NaN)."""
    lo, hi = np.nanmin(v), np.nanmax(v)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(v - lo + 0.01 * (hi - lo))


def winsorise_column(
    v: np.ndarray, winmax: int, skew_max: float, kurt_max: float, fallback: str
) -> tuple[np.ndarray, dict[str, Any]]:
    """Treat one column (ENGINE.md §4) and say what was done.

    Returns
    -------
    (values, record)
        ``record`` has skew/kurt before and after, points treated high/low (size of the last high set
        and of the last low set), whether the log fallback replaced the column, and a status.
    """
    x = np.array(v, dtype=np.float64, copy=True)
    g1, g2 = skewness(x), kurtosis(x)
    rec: dict[str, Any] = {"skew_before": g1, "kurt_before": g2, "high": 0, "low": 0, "log": False}
    ok = passes(g1, g2, skew_max, kurt_max)
    if ok is None:
        rec.update(skew_after=g1, kurt_after=g2, status="undefined", passed=None)
        return x, rec
    if ok:
        rec.update(skew_after=g1, kurt_after=g2, status="passed", passed=True)
        return x, rec
    n_high = n_low = 0
    present = ~np.isnan(x)
    while ok is False and n_high + n_low < winmax:
        vals = x[present]
        if g1 >= 0:
            top = vals.max()
            hit = present & (x == top)
            rest = vals[vals != top]
            if rest.size == 0:
                break
            x[hit] = rest.max()
            n_high = int(hit.sum())
        else:
            bottom = vals.min()
            hit = present & (x == bottom)
            rest = vals[vals != bottom]
            if rest.size == 0:
                break
            x[hit] = rest.min()
            n_low = int(hit.sum())
        g1, g2 = skewness(x), kurtosis(x)
        ok = passes(g1, g2, skew_max, kurt_max)
    rec.update(high=n_high, low=n_low)
    if ok is False and fallback == "log_ct":
        y = log_ct(np.asarray(v, dtype=np.float64))
        g1, g2 = skewness(y), kurtosis(y)
        rec.update(
            skew_after=g1, kurt_after=g2, log=True, status="log_ct", passed=passes(g1, g2, skew_max, kurt_max)
        )
        return y, rec
    status = "winsorised" if ok else ("undefined" if ok is None else "failed")
    rec.update(skew_after=g1, kurt_after=g2, status=status, passed=ok)
    return x, rec


def treat_winsorise(
    x: np.ndarray, winmax: int, skew_max: float, kurt_max: float, fallback: str
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Winsorise every column that fails the skew/kurtosis test; log fallback on the original column."""
    out = np.empty_like(x, dtype=np.float64)
    records = []
    for j in range(x.shape[1]):
        out[:, j], rec = winsorise_column(x[:, j], winmax, skew_max, kurt_max, fallback)
        records.append(rec)
    return out, records


def treat_none(
    x: np.ndarray, winmax: int, skew_max: float, kurt_max: float, fallback: str
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """No treatment (statistics still recorded, so reports can show the skew that was accepted)."""
    records = []
    for j in range(x.shape[1]):
        g1, g2 = skewness(x[:, j]), kurtosis(x[:, j])
        records.append(
            {
                "skew_before": g1,
                "kurt_before": g2,
                "skew_after": g1,
                "kurt_after": g2,
                "high": 0,
                "low": 0,
                "log": False,
                "status": "untreated",
                "passed": passes(g1, g2, skew_max, kurt_max),
            }
        )
    return np.array(x, copy=True), records


COLUMNS = ["skew_before", "kurt_before", "skew_after", "kurt_after", "high", "low", "log", "status", "passed"]


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Treat each indicator column; the details are a table indexed by indicator code."""
    func = KIND.methods[params["method"]].func
    out, records = func(state.x, params["winmax"], params["skew_max"], params["kurt_max"], params["fallback"])
    table = pd.DataFrame.from_records(records, index=pd.Index(state.columns, name="iCode"), columns=COLUMNS)
    table["points"] = table["high"] + table["low"]
    warnings = []
    if params["method"] != "none":
        for code, rec in zip(state.columns, records, strict=True):
            if rec["status"] == "undefined":
                warnings.append(
                    f"treat: {code!r} left as it is: skew/kurtosis undefined (too few values or no variation)"
                )
            elif rec["status"] == "failed":
                warnings.append(
                    f"treat: {code!r} still skewed after winsorising {rec['high'] + rec['low']} "
                    f"point(s) and no fallback is set"
                )
    return StepOutput(State(state.units, state.columns, readonly(out)), table, warnings)


_COMMON = (
    Param("winmax", integer(0), 5, "most points winsorised per indicator"),
    Param("skew_max", number(0, lo_open=True), 2.0, "|skewness| below this passes"),
    Param("kurt_max", number(), 3.5, "excess kurtosis below this passes"),
    Param("fallback", text(["log_ct", "none"]), "log_ct", "applied to the original column if still failing"),
)

KIND = StepKind(
    name="treat",
    dataset="Treated",
    methods={
        "winsorise": Method("winsorise", treat_winsorise, (), "winsorise, then log_ct fallback"),
        "none": Method("none", treat_none, (), "no treatment"),
    },
    selector="method",
    default_method="winsorise",
    params=_COMMON,
    run=run,
    doc="Treat outliers column by column.",
)
