"""Treat outliers: tame the few extreme values that would otherwise decide an indicator's scale.

With min-max normalisation one huge value squeezes every other unit into a corner of the range. The
JRC's rule (ENGINE.md §4): if a column is both skewed and heavy-tailed, winsorise its extreme values
one tie-group at a time (at most ``winmax`` points); if that is not enough, log-transform the original
column instead. Every decision is recorded per indicator so that a report can explain it.
"""

from __future__ import annotations

import functools
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


def moments(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """G1 and G2 of each ROW of a 2-D array (missing values ignored); NaN where undefined.

    Rows are reduced along their contiguous axis, so one column gives bit-identical statistics
    whether it is treated alone or together with others.

    g1 = sqrt(n) * sum(d^3) / sum(d^2)^(3/2);  G1 = g1 * sqrt(n (n - 1)) / (n - 2)      (n >= 3)
    r = n * sum(d^4) / sum(d^2)^2;             G2 = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3))  (n >= 4)
    """
    rows = np.ascontiguousarray(rows, dtype=np.float64)
    ok = ~np.isnan(rows)
    n = ok.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, rows, 0.0).sum(axis=1) / n
        d = np.where(ok, rows - mean[:, None], 0.0)
        d2 = d * d
        s2 = d2.sum(axis=1)
        s3 = (d2 * d).sum(axis=1)
        s4 = (d2 * d2).sum(axis=1)
        g1 = np.sqrt(n) * s3 / s2**1.5
        big_g1 = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / (s2 * s2)
        big_g2 = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    undefined = s2 == 0
    big_g1 = np.where(undefined | (n < 3), np.nan, big_g1)
    big_g2 = np.where(undefined | (n < 4), np.nan, big_g2)
    return big_g1, big_g2


def skewness(v: np.ndarray) -> float:
    """Sample-adjusted skewness G1 of the non-missing values; NaN when n < 3 or the variance is 0."""
    return float(moments(np.asarray(v, dtype=np.float64)[None, :])[0][0])


def kurtosis(v: np.ndarray) -> float:
    """Sample-adjusted excess kurtosis G2; NaN when n < 4 or the variance is 0."""
    return float(moments(np.asarray(v, dtype=np.float64)[None, :])[1][0])


def _stats(x: np.ndarray) -> tuple[float, float]:
    """:func:`moments` of one 1-D column, the same operations in the same order (bit-identical), faster."""
    ok = ~np.isnan(x)
    n = float(ok.sum())
    full = n == x.size
    xv = x if full else np.where(ok, x, 0.0)
    if n < 3:
        return math.nan, math.nan
    mean = xv.sum() / n
    d = x - mean if full else np.where(ok, x - mean, 0.0)
    d2 = d * d
    s2 = d2.sum()
    if s2 == 0:
        return math.nan, math.nan
    s3 = (d2 * d).sum()
    s4 = (d2 * d2).sum()
    g1 = np.sqrt(n) * s3 / s2**1.5
    big_g1 = float(g1 * np.sqrt(n * (n - 1)) / (n - 2))
    if n < 4:
        return big_g1, math.nan
    r = n * s4 / (s2 * s2)
    return big_g1, float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


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
    g1, g2 = _stats(x)
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
        g1, g2 = _stats(x)
        ok = passes(g1, g2, skew_max, kurt_max)
    rec.update(high=n_high, low=n_low)
    if ok is None:  # the test became undefined while winsorising: leave the column as it was
        rec.update(
            skew_after=rec["skew_before"], kurt_after=rec["kurt_before"], status="undefined", passed=None
        )
        return np.array(v, dtype=np.float64, copy=True), rec
    if ok is False and fallback == "log_ct":
        y = log_ct(np.asarray(v, dtype=np.float64))
        g1, g2 = _stats(y)
        rec.update(
            skew_after=g1, kurt_after=g2, log=True, status="log_ct", passed=passes(g1, g2, skew_max, kurt_max)
        )
        return y, rec
    status = "winsorised" if ok else "failed"
    rec.update(skew_after=g1, kurt_after=g2, status=status, passed=ok)
    return x, rec


def treat_winsorise(
    x: np.ndarray, winmax: int, skew_max: float, kurt_max: float, fallback: str
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Winsorise every column that fails the skew/kurtosis test; log fallback on the original column.

    Statistics of all columns are computed at once; only failing columns go through the loop.
    """
    xt = np.ascontiguousarray(np.asarray(x, dtype=np.float64).T)
    g1s, g2s = moments(xt)
    out = np.array(xt, copy=True)
    records: list[dict[str, Any]] = []
    for j in range(xt.shape[0]):
        g1, g2 = float(g1s[j]), float(g2s[j])
        ok = passes(g1, g2, skew_max, kurt_max)
        if ok is False:
            out[j], rec = winsorise_column(xt[j], winmax, skew_max, kurt_max, fallback)
        else:
            rec = {
                "skew_before": g1,
                "kurt_before": g2,
                "high": 0,
                "low": 0,
                "log": False,
                "skew_after": g1,
                "kurt_after": g2,
                "status": "passed" if ok else "undefined",
                "passed": ok,
            }
        records.append(rec)
    return np.ascontiguousarray(out.T), records


def treat_none(
    x: np.ndarray, winmax: int, skew_max: float, kurt_max: float, fallback: str
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """No treatment (statistics still recorded, so reports can show the skew that was accepted)."""
    g1s, g2s = moments(np.asarray(x, dtype=np.float64).T)
    records = []
    for g1, g2 in zip(g1s.tolist(), g2s.tolist(), strict=True):
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


def treatment_table(records: list[dict[str, Any]], codes: tuple[str, ...]) -> pd.DataFrame:
    """The per-indicator treatment records as a table indexed by iCode (with ``points = high + low``)."""
    table = pd.DataFrame({c: [r[c] for r in records] for c in COLUMNS}, index=pd.Index(codes, name="iCode"))
    table["points"] = table["high"] + table["low"]
    return table


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Treat each indicator column; the details are a table indexed by indicator code."""
    func = KIND.methods[params["method"]].func
    out, records = func(state.x, params["winmax"], params["skew_max"], params["kurt_max"], params["fallback"])
    table = functools.partial(treatment_table, records, state.columns)  # built when asked for
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
