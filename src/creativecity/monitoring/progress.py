"""Progress of a city against its targets: :func:`monitor`.

The rules (documented for users in docs/monitoring.md; thresholds are module constants):

Series
    Observations are grouped into series by indicator + scope + unit + method. Two methods (the national
    cultural-industry share of GDP by revenue vs by value added) or two units (GRDP in VND vs USD) are
    never mixed. Only dated observations with ``reference_year <= as_of`` count.
One value per series and year
    If one observation of the year is ``preferred``, it is used. Otherwise the observations not set aside
    (``preferred`` False) are used if they all agree. If they disagree and nobody has chosen, the year is
    left out of the series and reported as an unresolved conflict: values are never averaged.
Level
    Every target, trend and stale entry carries ``level`` (city, district or national), derived from its
    scope by :func:`creativecity.monitoring.series.level_of`; ``summary()`` counts targets per level, so
    the city's own targets are counted apart from the national context. The city's spellings of its
    name ("Hà Nội", "Hanoi") are one scope.
Which series a target follows
    Only a series of the target's own definition (``method``: revenue share vs value-added share, the
    statistical source; empty = not stated, which matches only series whose definition is not stated).
    Among those, the one with the most recent figure, then the most figures. The others of the same
    definition are ``other_series``; series of another definition are ``incomparable_series``, and a
    target with no series of its own definition has the status ``no comparable series``, naming both.
Baseline and latest
    The earliest and the most recent value of that series on or before ``as_of``.
Rates
    ``achieved_per_year`` = (latest - baseline) / (latest_year - baseline_year);
    ``required_per_year`` = (target - latest) / (target_year - latest_year), the pace needed from the last
    known figure; compound versions use ratios: (b/a) ** (1/years) - 1 (only for positive values).
    ``change_unit`` is "pp" (percentage points) for a unit that is a percentage.
    ``projected_value``: the straight line through the first and the latest figure after the last
    break marked in ``workspace.series_breaks`` (COVID-19 2020-2021 in Hanoi), read at the target year,
    only while the target year is ahead and only with at least three such figures
    (:data:`~creativecity.monitoring.series.MIN_PROJECTION_POINTS`); ``projection_method`` says which;
    floored at zero when the figures and the target are non-negative.
Bounds
    A figure "more than 4" (``bound`` lower) or "1.7-2.3" (range) decides a status only by its certain
    side (:func:`~creativecity.monitoring.series.meets`): "more than 4" meets a target of 4 but cannot
    show that 7 was missed.
Status (d = +1 when more is better, -1 for indicators whose direction is ``decrease``)
    ``no data``: no figure at all in the target's indicator, scope and unit.
    Target year passed (``target_year <= as_of``): the first figure in or after the target year decides
    ``achieved`` / ``missed``; without one, ``achieved`` if the latest figure already meets the target,
    else ``no recent data``.
    Otherwise: ``achieved`` if the latest figure meets the target; ``no recent data`` if the latest figure
    is more than :data:`STALE_YEARS` years older than ``as_of``; ``no trend`` with fewer than three figures
    after the last break; ``on track`` if the projection meets the target; ``at risk`` if it covers at
    least :data:`AT_RISK_SHARE` of the change needed from the first figure after the break to the
    target; ``off track`` otherwise.

The computation is vectorised with pandas (group-bys and merges over all observations at once), so a
workspace of 1,000 indicators x 20 years is monitored in well under a second (benchmarks/bench_monitoring.py).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creativecity.monitoring.model import Observation, Workspace
from creativecity.monitoring.progress_rules import (
    AT_RISK_SHARE,
    STALE_YEARS,
    Projection,
    alternatives,
    change_unit,
    points_by_series,
    project,
    target_status,
)
from creativecity.monitoring.rules import YEAR_MAX
from creativecity.monitoring.series import (
    LEVELS,
    MIN_PROJECTION_POINTS,
    canonical_scope,
    last_break_end,
    meets,
    workspace_level,
)

if TYPE_CHECKING:
    from creativecity.frameworks.model import FrameworkNode

STATUSES = (
    "achieved",
    "on track",
    "at risk",
    "off track",
    "missed",
    "no trend",
    "no recent data",
    "no comparable series",
    "no data",
)

SERIES = ["indicator", "scope", "unit", "method"]
POINT = [*SERIES, "year"]
SUMMARY_COLUMNS = [*SERIES, "first_year", "first_value", "first_source", "last_year", "last_value"]
SUMMARY_COLUMNS += ["last_source", "points", "first_bound", "last_bound", "last_value_high"]


def _f(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v


def _i(x: Any) -> int | None:
    v = _f(x)
    return None if v is None else int(v)


@dataclass
class TargetProgress:
    """Where one target stands. ``None`` marks numbers that cannot be computed (see module docs)."""

    target_id: str
    indicator: str
    indicator_name: str
    scope: str
    unit: str
    method: str
    target_value: float
    target_year: int
    baseline_value: float | None
    baseline_year: int | None
    latest_value: float | None
    latest_year: int | None
    achieved_per_year: float | None
    achieved_compound: float | None
    required_per_year: float | None
    required_compound: float | None
    projected_value: float | None
    status: str
    target_year_passed: bool
    evaluated_value: float | None
    evaluated_year: int | None
    points: int
    source: str
    instrument: str
    instrument_date: str
    baseline_source: str
    latest_source: str
    other_series: list[dict[str, Any]] = field(default_factory=list)
    explanation: str = ""
    level: str = "city"
    target_bound: str = ""
    target_value_high: float | None = None
    baseline_bound: str = ""
    latest_bound: str = ""
    latest_value_high: float | None = None
    change_unit: str = ""
    projection_method: str = ""
    projection_from_year: int | None = None
    projection_points: int = 0
    incomparable_series: list[dict[str, Any]] = field(default_factory=list)
    instrument_vi: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping (the CONTRACTS.md §3 keys plus extras)."""
        return dataclasses.asdict(self)


@dataclass
class Trend:
    """A series without a target: how it moved."""

    indicator: str
    indicator_name: str
    scope: str
    unit: str
    method: str
    first_year: int
    first_value: float
    latest_year: int
    latest_value: float
    change_per_year: float | None
    compound_per_year: float | None
    points: int
    latest_source: str
    stale: bool
    level: str = "city"
    change_unit: str = ""
    latest_bound: str = ""
    latest_value_high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class PillarCoverage:
    """How much evidence one pillar (or dimension) of the workspace's framework has."""

    pillar: str
    name_en: str
    name_vi: str
    indicators: int
    observations: int
    gap: bool
    indicator_codes: list[str]
    city_observations: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class Conflict:
    """Different values for the same indicator, scope, unit, method and year from different sources."""

    indicator: str
    scope: str
    unit: str
    method: str
    year: int
    values: list[dict[str, Any]]
    resolved: bool
    chosen_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class StaleEntry:
    """A series whose latest figure is old, or an undated figure."""

    indicator: str
    scope: str
    unit: str
    method: str
    latest_year: int | None
    age: int | None
    reason: str
    source: str
    level: str = "city"

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class MonitoringReport:
    """Everything ``creativecity monitor CITY`` shows; ``to_dict`` is the CONTRACTS.md §3 JSON."""

    city: str
    workspace: str
    as_of: int
    framework: str
    targets: list[TargetProgress]
    trends: list[Trend]
    pillars: list[PillarCoverage]
    conflicts: list[Conflict]
    stale: list[StaleEntry]
    unmapped: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``monitor CITY --json``."""
        return {
            "city": self.city,
            "workspace": self.workspace,
            "as_of": self.as_of,
            "framework": self.framework,
            "targets": [t.to_dict() for t in self.targets],
            "trends": [t.to_dict() for t in self.trends],
            "pillars": [p.to_dict() for p in self.pillars],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "stale": [s.to_dict() for s in self.stale],
            "unmapped_indicators": list(self.unmapped),
            "summary": self.summary(),
            "rules": {
                "stale_years": STALE_YEARS,
                "at_risk_share": AT_RISK_SHARE,
                "min_projection_points": MIN_PROJECTION_POINTS,
                "statuses": list(STATUSES),
                "series_key": SERIES,
                "levels": list(LEVELS),
            },
        }

    def summary(self) -> dict[str, dict[str, Any]]:
        """Targets per level and status: the city's own count apart from the national context.

        Why per level: four of Hanoi's nine bundled targets are the nation's; a single count ("9
        targets, 1 achieved") credited the city with the country's results.
        """
        out: dict[str, dict[str, Any]] = {}
        for level in LEVELS:
            rows = [t for t in self.targets if t.level == level]
            if not rows and level != "city":
                continue
            counts = Counter(t.status for t in rows)
            out[level] = {
                "targets": len(rows),
                "by_status": {st: counts[st] for st in STATUSES if counts[st]},
            }
        return out


# -- frames ---------------------------------------------------------------------------------------


def observations_frame(ws: Workspace) -> pd.DataFrame:
    """All observations of ``ws`` as a DataFrame, the city's spellings of its name as one scope."""
    return frame_of(ws.observations, lambda sc: canonical_scope(ws, sc))


def frame_of(o: Sequence[Observation], scope_of: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Observations as a DataFrame (one row each; ``year`` is a nullable float).

    ``sid`` numbers the series (indicator, scope, unit, method) so that every later group-by runs on one
    integer key instead of four text columns (several times faster on large workspaces).
    """
    sids: dict[tuple[str, str, str, str], int] = {}
    indicator = [x.indicator for x in o]
    scopes = {sc: (scope_of(sc) if scope_of else sc) for sc in {x.scope for x in o}}
    scope = [scopes[x.scope] for x in o]
    unit = [x.unit for x in o]
    method = [x.method for x in o]
    # Column-wise construction: several times faster than a DataFrame from row tuples.
    data = {
        "id": [x.id for x in o],
        "indicator": indicator,
        "scope": scope,
        "unit": unit,
        "method": method,
        "year": np.array([np.nan if x.reference_year is None else x.reference_year for x in o], dtype=float),
        "value": np.array([x.value for x in o], dtype=float),
        "source": [x.source for x in o],
        "preferred": pd.array([x.preferred for x in o], dtype=object),
        "certainty": [x.certainty for x in o],
        "note": [x.note for x in o],
        "bound": [x.bound for x in o],
        "value_high": np.array([np.nan if x.value_high is None else x.value_high for x in o], dtype=float),
        "sid": np.array(
            [sids.setdefault(k, len(sids)) for k in zip(indicator, scope, unit, method, strict=True)],
            dtype=np.int64,
        ),
    }
    return pd.DataFrame(data)


def resolve_points(obs: pd.DataFrame, as_of: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per series and year (see module docs) and the table of disagreeing groups.

    Returns
    -------
    points
        ``sid, SERIES, year, value, id, source``: the value each series uses in each year.
    conflicts
        Every dated observation (year <= as_of) of a series-year whose values differ, with
        ``resolved`` and ``chosen_id``.
    """
    keep = ["sid", *POINT, "value", "id", "source", "bound", "value_high"]
    dated = obs[obs["year"].notna() & (obs["year"] <= as_of)].copy()
    if dated.empty:
        empty = dated.assign(resolved=pd.Series(dtype=bool), chosen_id=pd.Series(dtype=object))
        return dated[keep], empty
    dated["year"] = dated["year"].astype(np.int64)
    # one integer per series-year: years are below 10,000
    pkey = dated["sid"].to_numpy(np.int64) * 10_000 + dated["year"].to_numpy()
    dated["pkey"] = pkey
    # Group statistics in numpy on the group number of each row (``inv``): pandas group-by transforms
    # rebuild the grouping every time and cost several times more at 20,000 rows.
    uniq, inv = np.unique(pkey, return_inverse=True)
    n = len(uniq)
    preferred = dated["preferred"].to_numpy(object)
    pref_true = preferred == True  # noqa: E712 - elementwise on an object array (True/False/None)
    pref_false = preferred == False  # noqa: E712
    any_true = np.bincount(inv, weights=pref_true, minlength=n) > 0
    candidate = np.where(any_true[inv], pref_true, ~pref_false)
    values = dated["value"].to_numpy(float)

    def spread(mask: np.ndarray) -> np.ndarray:
        """Whether each row's group (rows under ``mask`` only) holds more than one value."""
        low, high = np.full(n, np.inf), np.full(n, -np.inf)
        np.minimum.at(low, inv[mask], values[mask])
        np.maximum.at(high, inv[mask], values[mask])
        differs: np.ndarray = low[inv] != high[inv]
        return differs

    agree = np.flatnonzero(candidate & ~spread(candidate))
    _, first = np.unique(inv[agree], return_index=True)
    point_rows = np.sort(agree[first])  # the first agreeing candidate of each group, in frame order
    points = dated.iloc[point_rows]
    differ = spread(np.ones(len(dated), dtype=bool))
    chosen = np.full(n, None, dtype=object)
    chosen[inv[point_rows]] = dated["id"].to_numpy(object)[point_rows]
    conflicts = dated[differ].reset_index(drop=True)
    conflicts["chosen_id"] = pd.array(chosen[inv[differ]].tolist(), dtype=object)
    conflicts["resolved"] = conflicts["chosen_id"].notna()
    return points[keep].reset_index(drop=True), conflicts


def conflicting_ids(observations: Sequence[Observation]) -> set[str]:
    """Ids of dated figures that disagree with another figure of the same series and year.

    The one definition of a conflict (:func:`resolve_points`): two figures of one series and year
    conflict only when their values differ; the same value from two sources confirms it. Undated
    figures never conflict (they are not points of a series). The data page marks these ids, the
    monitoring report lists them: both read this rule.
    """
    _, conflicts = resolve_points(frame_of(observations), YEAR_MAX)
    return set(conflicts["id"])


def series_summary(points: pd.DataFrame) -> pd.DataFrame:
    """Per series: first and latest year, value and source, and the number of points."""
    if points.empty:
        return pd.DataFrame(columns=["sid", *SUMMARY_COLUMNS])
    p = points.sort_values(["sid", "year"], kind="stable")
    g = p.groupby("sid", sort=False)
    first = g.head(1).set_index("sid")
    last = g.tail(1).set_index("sid")
    out = first[SERIES].copy()
    out["first_year"] = first["year"]
    out["first_value"] = first["value"]
    out["first_source"] = first["source"]
    out["last_year"] = last["year"]
    out["last_value"] = last["value"]
    out["last_source"] = last["source"]
    out["points"] = g.size()
    out["first_bound"] = first.get("bound", "")
    out["last_bound"] = last.get("bound", "")
    out["last_value_high"] = last.get("value_high", np.nan)
    return out.reset_index()


# -- the computation ------------------------------------------------------------------------------


def _rates(a: np.ndarray, b: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Linear and compound change per year from ``a`` to ``b`` over ``years`` (NaN where undefined)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = years > 0
        linear = np.where(ok, (b - a) / np.where(ok, years, 1), np.nan)
        pos = ok & (a > 0) & (b > 0)
        ratio = np.where(pos, b / np.where(pos, a, 1), np.nan)
        compound = np.where(pos, ratio ** (1.0 / np.where(ok, years, 1)) - 1.0, np.nan)
    return linear, compound


def _choose_series(
    targets: pd.DataFrame, summary: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """For each target row, the series it follows, the alternatives, and the series it cannot use.

    A target follows only a series of its own definition (``method``): a revenue share is never
    measured with a value-added series. Series of the same indicator, scope and unit but another
    definition come back as the third frame, so that the target can say "no comparable series" and
    name them.
    """
    key = ["indicator", "scope", "unit"]
    every = targets[["t_index", *key, "t_method"]].merge(summary, on=key, how="inner")
    same = every["method"] == every["t_method"]
    cand = every[same].sort_values(
        ["t_index", "last_year", "points", "method"], ascending=[True, False, False, True], kind="stable"
    )
    chosen = cand.drop_duplicates("t_index", keep="first")
    others = cand[~cand.index.isin(chosen.index)]
    return chosen, others, every[~same]


def monitor(workspace: Workspace, as_of: int | None = None) -> MonitoringReport:
    """Progress of ``workspace`` against its targets, as it stood in year ``as_of`` (default: this year).

    Parameters
    ----------
    workspace
        Any workspace (file store or SQL store).
    as_of
        Figures dated after this year are ignored, so that a report can be reproduced as of a past year.

    Returns
    -------
    MonitoringReport
        Targets with their numbers and status, trends of untargeted series, pillar coverage, conflicts
        and stale series. See the module docstring for every rule.
    """
    year = as_of if as_of is not None else date.today().year
    ws = workspace
    names = {i.code: i.name_en for i in ws.indicators}
    sign_of = {i.code: (-1.0 if i.direction == "decrease" else 1.0) for i in ws.indicators}

    obs = observations_frame(ws)
    points, conflict_rows = resolve_points(obs, year)
    summary = series_summary(points)

    targets = _target_progress(ws, points, summary, year, names, sign_of)
    # one level rule, applied once per distinct scope (it folds text and looks up country names)
    level_of = {sc: workspace_level(ws, sc) for sc in {*obs["scope"], *(t.scope for t in targets)}}
    canonical = {sc: canonical_scope(ws, sc) for sc in {t.scope for t in targets}}
    followed = {(t.indicator, canonical[t.scope], t.unit, t.method) for t in targets if t.points}
    trends = _trends(summary, followed, year, names)
    for trend in trends:
        trend.level = level_of.get(trend.scope, "district")
    stale = _stale(summary, obs, year)
    for entry in stale:
        entry.level = level_of.get(entry.scope) or workspace_level(ws, entry.scope)
    return MonitoringReport(
        city=ws.city,
        workspace=ws.name,
        as_of=year,
        framework=ws.framework,
        targets=targets,
        trends=trends,
        pillars=_pillars(ws, obs, year),
        conflicts=_conflicts(conflict_rows),
        stale=stale,
        unmapped=_unmapped(ws),
    )


def _target_progress(
    ws: Workspace,
    points: pd.DataFrame,
    summary: pd.DataFrame,
    year: int,
    names: dict[str, str],
    sign_of: dict[str, float],
) -> list[TargetProgress]:
    if not ws.targets:
        return []
    # level and canonical scope once per distinct scope: the rule folds text and looks up countries
    distinct = {x.scope for x in ws.targets}
    scopes = {sc: canonical_scope(ws, sc) for sc in distinct}
    levels = {sc: workspace_level(ws, sc) for sc in distinct}
    t = pd.DataFrame(
        {
            "t_index": np.arange(len(ws.targets)),
            "indicator": [x.indicator for x in ws.targets],
            "scope": [scopes[x.scope] for x in ws.targets],
            "unit": [x.unit for x in ws.targets],
            "t_method": [x.method for x in ws.targets],
            "target_value": [x.target_value for x in ws.targets],
            "target_year": [x.target_year for x in ws.targets],
        }
    )
    chosen, others, incomparable = _choose_series(t, summary)
    m = t.merge(chosen.drop(columns=["indicator", "scope", "unit", "t_method"]), on="t_index", how="left")
    m = m.sort_values("t_index").reset_index(drop=True)

    # First figure in or after the target year (decides achieved/missed once the target year has passed).
    found = m[m["sid"].notna()]
    after = found[["t_index", "target_year"]].assign(sid=found["sid"].astype(np.int64))
    after = after.merge(points[["sid", "year", "value", "bound", "value_high"]], on="sid")
    after = after[after["year"] >= after["target_year"]].sort_values(["t_index", "year"], kind="stable")
    after = after.drop_duplicates("t_index").set_index("t_index")

    tv = m["target_value"].to_numpy(float)
    ty = m["target_year"].to_numpy(float)
    by = m["first_year"].to_numpy(float)
    bv = m["first_value"].to_numpy(float)
    ly = m["last_year"].to_numpy(float)
    lv = m["last_value"].to_numpy(float)
    achieved, achieved_c = _rates(bv, lv, ly - by)
    required, required_c = _rates(lv, tv, ty - ly)
    d = np.array([sign_of.get(c, 1.0) for c in m["indicator"]])
    has = ~np.isnan(lv)
    passed = ty <= year
    stale = (year - ly) > STALE_YEARS

    by_sid = points_by_series(points)
    other_by_target = alternatives(others)
    foreign_by_target = alternatives(incomparable)
    method_l = m["method"].tolist()
    points_l = m["points"].tolist()
    sid_l = m["sid"].tolist()
    first_src = m["first_source"].tolist()
    last_src = m["last_source"].tolist()
    first_bound = m["first_bound"].tolist()
    last_bound = m["last_bound"].tolist()
    last_high = _plain(m["last_value_high"].to_numpy(float))
    # Plain Python lists (NaN -> None) before the loop: indexing numpy scalars costs ~10x more.
    bv_l, by_l, lv_l, ly_l = _plain(bv), _plain(by, int), _plain(lv), _plain(ly, int)
    ach_l, achc_l, req_l, reqc_l = _plain(achieved), _plain(achieved_c), _plain(required), _plain(required_c)
    has_l, passed_l, d_l, tv_l, stale_l = (
        has.tolist(),
        passed.tolist(),
        d.tolist(),
        tv.tolist(),
        stale.tolist(),
    )
    after_rows: dict[Any, dict[str, Any]] = after.to_dict("index")  # type: ignore[assignment]
    out = []
    for k, tgt in enumerate(ws.targets):
        h = has_l[k]
        level = levels[tgt.scope]
        proj = Projection()
        latest_meets: bool | None = None
        if h:
            latest_meets = meets(lv_l[k], last_bound[k], last_high[k], tv_l[k], d_l[k])
            if not passed_l[k]:
                proj = project(
                    by_sid.get(int(sid_l[k])),
                    last_break_end(ws.series_breaks, tgt.indicator, scopes[tgt.scope], ly_l[k]),
                    tgt.target_year,
                    tv_l[k],
                )
        ev = after_rows.get(k)
        status, why = target_status(
            h, passed_l[k], ev, latest_meets, d_l[k], tv_l[k], stale_l[k], proj, last_bound[k]
        )
        if not h and foreign_by_target.get(k):
            status = "no comparable series"
            defs = "; ".join(
                f"'{x['method'] or 'not stated'}' ({x['latest_year']})" for x in foreign_by_target[k]
            )
            defined = tgt.method or "not stated"
            why = f"the target is defined as '{defined}'; the only series are defined as {defs}"
        out.append(
            TargetProgress(
                target_id=tgt.id,
                indicator=tgt.indicator,
                indicator_name=names.get(tgt.indicator, tgt.indicator),
                scope=tgt.scope,
                unit=tgt.unit,
                method=str(method_l[k]) if h else tgt.method,
                target_value=tgt.target_value,
                target_year=tgt.target_year,
                baseline_value=bv_l[k],
                baseline_year=by_l[k],
                latest_value=lv_l[k],
                latest_year=ly_l[k],
                achieved_per_year=ach_l[k],
                achieved_compound=achc_l[k],
                required_per_year=req_l[k],
                required_compound=reqc_l[k],
                projected_value=proj.value,
                status=status,
                target_year_passed=bool(passed_l[k]),
                evaluated_value=None if ev is None else float(ev["value"]),
                evaluated_year=None if ev is None else int(ev["year"]),
                points=int(points_l[k]) if h else 0,
                source=tgt.source,
                instrument=tgt.instrument,
                instrument_date=tgt.instrument_date,
                baseline_source=str(first_src[k]) if h else "",
                latest_source=str(last_src[k]) if h else "",
                other_series=other_by_target.get(k, []),
                explanation=why,
                level=level,
                target_bound=tgt.bound,
                target_value_high=tgt.value_high,
                baseline_bound=str(first_bound[k]) if h else "",
                latest_bound=str(last_bound[k]) if h else "",
                latest_value_high=last_high[k] if h else None,
                change_unit=change_unit(tgt.unit),
                projection_method=proj.method,
                projection_from_year=proj.from_year,
                projection_points=proj.points,
                incomparable_series=foreign_by_target.get(k, []),
                instrument_vi=tgt.instrument_vi,
            )
        )
    return out


def _plain(arr: np.ndarray, cast: type = float) -> list[Any]:
    """A float array as a list with NaN -> None (and optionally whole numbers as int)."""
    return [None if x != x else cast(x) for x in arr.tolist()]


def _trends(
    summary: pd.DataFrame, followed: set[tuple[str, str, str, str]], year: int, names: dict[str, str]
) -> list[Trend]:
    """Series no target follows (a series of another definition than its target's is one of them)."""
    if summary.empty:
        return []
    keys = zip(summary["indicator"], summary["scope"], summary["unit"], summary["method"], strict=True)
    untargeted = [k not in followed for k in keys]
    if not any(untargeted):
        return []
    s = summary[untargeted]
    fy = s["first_year"].to_numpy(float)
    ly = s["last_year"].to_numpy(float)
    linear, compound = _rates(s["first_value"].to_numpy(float), s["last_value"].to_numpy(float), ly - fy)
    out = []
    for k, row in enumerate(_records(s)):
        indicator = str(row["indicator"])
        out.append(
            Trend(
                indicator=indicator,
                indicator_name=names.get(indicator, indicator),
                scope=str(row["scope"]),
                unit=str(row["unit"]),
                method=str(row["method"]),
                first_year=int(row["first_year"]),
                first_value=float(row["first_value"]),
                latest_year=int(row["last_year"]),
                latest_value=float(row["last_value"]),
                change_per_year=_f(linear[k]),
                compound_per_year=_f(compound[k]),
                points=int(row["points"]),
                latest_source=str(row["last_source"]),
                stale=bool(year - row["last_year"] > STALE_YEARS),
                change_unit=change_unit(str(row["unit"])),
                latest_bound=str(row["last_bound"] or ""),
                latest_value_high=_f(row["last_value_high"]),
            )
        )
    return out


def _pillars(ws: Workspace, obs: pd.DataFrame, year: int) -> list[PillarCoverage]:
    """Coverage per level-2 group of the workspace's framework (pillar or dimension)."""
    from creativecity.errors import InputError
    from creativecity.frameworks import load_framework

    try:
        fw = load_framework(ws.framework)
        groups = [(g.code, g.name_en, g.name_vi) for g in fw.groups]
        ancestor = {}
        for n in fw.nodes:
            code = n.code
            node: FrameworkNode | None = n
            while node is not None and node.level < 2 and node.parent:
                node = fw.node(node.parent)
            ancestor[code] = node.code if node is not None and node.level == 2 else code
    except InputError:  # a user framework we do not ship: groups are whatever the mapping names
        codes = sorted({m.code for m in ws.mapping if m.framework == ws.framework})
        groups = [(c, c, "") for c in codes]
        ancestor = {c: c for c in codes}
    year_col = obs["year"].to_numpy()
    usable = (np.isnan(year_col) | (year_col <= year)) if len(obs) else np.zeros(0, dtype=bool)
    indicators = obs["indicator"].to_numpy()
    counts = Counter(indicators[usable].tolist())
    city_counts = Counter(indicators[usable & (obs["scope"].to_numpy() == ws.city)].tolist())
    members: dict[str, list[str]] = {g: [] for g, _, _ in groups}
    for m in ws.mapping:
        if m.framework != ws.framework:
            continue
        g = ancestor.get(m.code, m.code)
        if g in members and m.indicator not in members[g]:
            members[g].append(m.indicator)
    out = []
    for code, en, vi in groups:
        inds = members[code]
        n_obs = int(sum(counts.get(i, 0) for i in inds))
        n_city = int(sum(city_counts.get(i, 0) for i in inds))
        out.append(PillarCoverage(code, en, vi, len(inds), n_obs, n_obs == 0, inds, n_city))
    return out


def _conflicts(rows: pd.DataFrame) -> list[Conflict]:
    # Plain records grouped in Python: a pandas group-by loop costs ~1 ms per group.
    out: list[Conflict] = []
    if rows.empty:
        return out
    cols = [
        *POINT,
        "pkey",
        "id",
        "value",
        "source",
        "preferred",
        "certainty",
        "note",
        "chosen_id",
        "resolved",
    ]
    ordered = rows[cols].sort_values(["pkey", "id"], kind="stable")
    # Column lists zipped into dicts: DataFrame.to_dict("records") costs several times more.
    lists = [ordered[c].tolist() for c in cols]
    records = [dict(zip(cols, vals, strict=True)) for vals in zip(*lists, strict=True)]
    for key, grp_iter in itertools.groupby(records, key=lambda r: tuple(r[c] for c in POINT)):
        grp = list(grp_iter)
        indicator, scope, unit, method, yr = key
        values = [
            {
                "value": float(r["value"]),
                "source": r["source"],
                "observation_id": r["id"],
                "preferred": None
                if r["preferred"] is None or pd.isna(r["preferred"])
                else bool(r["preferred"]),
                "certainty": r["certainty"],
                "note": r["note"],
            }
            for r in grp
        ]
        chosen = grp[0]["chosen_id"]
        out.append(
            Conflict(
                indicator=indicator,
                scope=scope,
                unit=unit,
                method=method,
                year=int(yr),
                values=values,
                resolved=bool(grp[0]["resolved"]),
                chosen_id=None if chosen is None or pd.isna(chosen) else str(chosen),
            )
        )
    return out


def _stale(summary: pd.DataFrame, obs: pd.DataFrame, year: int) -> list[StaleEntry]:
    out = []
    if not summary.empty:
        old = summary[(year - summary["last_year"]) > STALE_YEARS]
        for row in _records(old):
            age = int(year - row["last_year"])
            out.append(
                StaleEntry(
                    str(row["indicator"]),
                    str(row["scope"]),
                    str(row["unit"]),
                    str(row["method"]),
                    int(row["last_year"]),
                    age,
                    f"latest figure is {age} years old (more than {STALE_YEARS})",
                    str(row["last_source"]),
                )
            )
    undated = np.flatnonzero(np.isnan(obs["year"].to_numpy(float)))
    if len(undated):  # select the few undated rows first: filtering the whole frame costs more
        cols = [obs[c].to_numpy(object)[undated] for c in ("indicator", "scope", "unit", "method", "source")]
        for indicator, scope, unit, method, source in zip(*cols, strict=True):
            out.append(StaleEntry(indicator, scope, unit, method, None, None, "undated figure", source))
    return out


def _unmapped(ws: Workspace) -> list[str]:
    mapped = {m.indicator for m in ws.mapping if m.framework == ws.framework}
    return sorted(ws.indicator_codes() - mapped)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a summary frame as plain dicts (column -> value), for building typed results."""
    columns = [str(c) for c in df.columns]
    return [dict(zip(columns, values, strict=True)) for values in df.itertuples(index=False, name=None)]
