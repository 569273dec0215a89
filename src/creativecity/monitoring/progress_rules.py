"""The rules that decide one target's projection and status (used by :func:`progress.monitor`).

Kept apart from the vectorised computation in :mod:`creativecity.monitoring.progress` so that each rule
reads on its own: the change unit of a share (percentage points), the projection that needs
:data:`~creativecity.monitoring.series.MIN_PROJECTION_POINTS` figures after the last marked break, and the
status that a bound decides only by its certain side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creativecity.monitoring.series import MIN_PROJECTION_POINTS, meets

#: A latest figure more than this many years older than ``as_of`` makes a series stale.
STALE_YEARS = 3
#: "at risk" when the projection covers at least this share of the change needed from baseline to target.
AT_RISK_SHARE = 0.75


def change_unit(unit: str) -> str:
    """The unit of a change per year: percentage points ("pp") for a percentage, else the unit itself.

    A share moving from 5.82 % to 4 % fell by 1.82 percentage points, not by 1.82 %; printing "% a year"
    for such a change misreads it as a relative change.
    """
    return "pp" if unit.strip().startswith("%") else unit


@dataclass
class Projection:
    value: float | None = None
    method: str = ""
    from_year: int | None = None
    points: int = 0
    after_break: int | None = None
    base: float = 0.0


Series = tuple[np.ndarray, np.ndarray]


def points_by_series(points: pd.DataFrame) -> dict[int, Series]:
    """Each series' years and values in year order (numpy slices of one sort: no per-row Python loop)."""
    if points.empty:
        return {}
    ordered = points.sort_values(["sid", "year"], kind="stable")
    sids = ordered["sid"].to_numpy(np.int64)
    years = ordered["year"].to_numpy(np.int64)
    values = ordered["value"].to_numpy(float)
    uniq, starts = np.unique(sids, return_index=True)
    ends = np.append(starts[1:], len(sids))
    return {int(u): (years[a:b], values[a:b]) for u, a, b in zip(uniq, starts, ends, strict=True)}


def project(series: Series | None, break_end: int | None, target_year: int, target: float) -> Projection:
    """The straight line through the first and the latest figure after the last break, at the target year.

    Needs :data:`MIN_PROJECTION_POINTS` figures after the break (two points always make a line, so a
    line through two says nothing about a trend); floored at zero when the figures and the target are
    non-negative (a share is never projected below zero).
    """
    years, values = series if series is not None else (np.zeros(0, np.int64), np.zeros(0))
    if break_end is not None:
        keep = years > break_end
        years, values = years[keep], values[keep]
    proj = Projection(points=len(years), after_break=break_end)
    if len(years) < MIN_PROJECTION_POINTS:
        return proj
    y0, v0, y1, v1 = int(years[0]), float(values[0]), int(years[-1]), float(values[-1])
    slope = (v1 - v0) / (y1 - y0)
    value = v1 + slope * (target_year - y1)
    if value < 0 and v0 >= 0 and v1 >= 0 and target >= 0:
        value = 0.0
    since = f" after the break ending {break_end}" if break_end is not None else ""
    proj.value = value
    proj.base = v0
    proj.from_year = y0
    proj.method = f"straight line through the {y0} and {y1} figures ({len(years)} figures{since})"
    return proj


def alternatives(frame: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for tup in frame.itertuples(index=False):
        row: Any = tup  # pandas types a cell as a union of every scalar; these columns are numbers
        out.setdefault(int(row.t_index), []).append(
            {
                "method": row.method,
                "latest_year": int(row.last_year),
                "latest_value": float(row.last_value),
                "points": int(row.points),
            }
        )
    return out


def target_status(
    has: bool,
    passed: bool,
    evaluated: dict[str, Any] | None,
    latest_meets: bool | None,
    d: float,
    target: float,
    stale: bool,
    proj: Projection,
    latest_bound: str,
) -> tuple[str, str]:
    """Status of one target (module docs); bounds decide only by their certain side."""
    if not has:
        return "no data", "no figure for this indicator, scope, unit and definition"
    if passed:
        if evaluated is not None:
            high = evaluated.get("value_high")
            high = None if high is None or high != high else float(high)
            ok = meets(float(evaluated["value"]), str(evaluated.get("bound") or ""), high, target, d)
            year = int(evaluated["year"])
            if ok is None:
                return (
                    "no recent data",
                    f"target year passed; the {year} figure is a bound that cannot decide",
                )
            return (
                ("achieved" if ok else "missed"),
                f"target year passed; the {year} figure {'meets' if ok else 'falls short of'} it",
            )
        if latest_meets:
            return "achieved", "target year passed; met before the target year"
        return "no recent data", "target year passed but no figure for the target year yet"
    if latest_meets:
        return "achieved", "the latest figure meets the target"
    if stale:
        return "no recent data", f"latest figure more than {STALE_YEARS} years old"
    if proj.value is None:
        since = f" since the break ending {proj.after_break}" if proj.after_break is not None else ""
        return "no trend", f"{proj.points} figure(s){since}: a projection needs {MIN_PROJECTION_POINTS}"
    return track_status(proj, target, d, latest_bound)


def track_status(proj: Projection, target: float, d: float, latest_bound: str) -> tuple[str, str]:
    """on track / at risk / off track from the projection (module docs).

    The sentences stay short and fixed (pages translate them by pattern); which figures the projection
    ran through is ``projection_method``, and a bounded latest figure is ``latest_bound``.
    """
    value = float(proj.value)  # type: ignore[arg-type]
    if d * (value - target) >= 0:
        return "on track", "the projection reaches the target in time"
    base = proj.base
    if d * (value - base) >= AT_RISK_SHARE * d * (target - base):
        return "at risk", f"the projection covers at least {AT_RISK_SHARE:.0%} of the change needed"
    return "off track", f"the projection covers less than {AT_RISK_SHARE:.0%} of the change needed"
