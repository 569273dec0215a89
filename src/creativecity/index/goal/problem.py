"""The goal-seeking problem: which values may move, how far, at what cost, and how a plan is judged.

A plan is a change to ONE unit's raw indicator values (what a city would report next time). It is
judged only by a full rebuild of the composite indicator with the changed data, every step of the
spec included (denomination, imputation of other units from this one, outlier treatment, min-max
ranges that move with this unit, the other units' scores), so that the rank or score a plan promises
is the rank or score the engine gives.

Every search method works in *spread units*: ``z[j]`` is how far indicator ``j`` moves, as a share of
its observed range across units (max - min of the raw column), always in the direction that improves
the indicator (up for Direction 1, down for Direction -1). The norm of a plan is ``sum(cost * z)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._tables import FIRST_ROW, numeric_column, read_table, text_cells
from creativecity.index.pipeline import run_pipeline
from creativecity.index.ranking import rank_scores

if TYPE_CHECKING:
    from creativecity.index.data import UnitData
    from creativecity.index.results import Results

#: Movements smaller than this (spread units) are treated as no movement.
ZERO = 1e-12
#: A user bound farther than this many times the observed values from them is refused (a typo such as
#: 1e308 would overflow the min-max range and poison every score).
FAR = 1e6


@dataclass(frozen=True)
class Evaluation:
    """One full rebuild at a point ``z``: scores of every unit on the target code, and the unit's rank."""

    z: np.ndarray
    scores: np.ndarray  # (units,) NaN for units without a score
    score: float
    rank: int
    gap: float  # how far the unit is from the target (>= 0 when reached), in score points
    reached: bool
    results: Results = field(repr=False)


@dataclass(eq=False)
class Problem:
    """A validated goal: the unit, the target code and target, the movable indicators and their room.

    Build with :func:`make_problem`. ``rebuilds`` counts full rebuilds (reported with the plan).
    """

    results: Results
    unit: str
    level: str
    kind: str  # "rank" or "score"
    target: float
    codes: tuple[str, ...]
    start: np.ndarray  # raw values of the movable indicators
    direction: np.ndarray
    spread: np.ndarray
    room: np.ndarray  # how far each may move in the right direction (spread units)
    cost: np.ndarray
    lower: np.ndarray  # bounds (raw units)
    upper: np.ndarray
    notes: list[str] = field(default_factory=list)
    rebuilds: int = 0
    progress: Callable[[int, int], None] | None = field(default=None, repr=False)
    budget: int = 1  # rebuilds at most (for the progress display)

    @property
    def units(self) -> list[str]:
        """Every unit of the data (sorted), scored or not."""
        return self.results.data.units

    @property
    def position(self) -> int:
        """Index of the unit in :attr:`units`."""
        return self.units.index(self.unit)

    def values_at(self, z: np.ndarray) -> np.ndarray:
        """Raw values of the movable indicators after moving ``z`` spread units, clipped to the bounds."""
        v = self.start + self.direction * np.asarray(z, dtype=np.float64) * self.spread
        # a start outside user bounds stays where it is until it moves
        return np.clip(v, np.minimum(self.lower, self.start), np.maximum(self.upper, self.start))

    def data_at(self, z: np.ndarray) -> UnitData:
        """The unit data with the unit's movable values replaced (everything else as read)."""
        return apply_plan(self.results.data, self.unit, dict(zip(self.codes, self.values_at(z), strict=True)))

    def evaluate(self, z: np.ndarray) -> Evaluation:
        """Rebuild the whole pipeline with the unit's values at ``z`` and judge the result."""
        z = np.asarray(z, dtype=np.float64).copy()
        res = self.results
        if np.any(z > ZERO):
            res = run_pipeline(res.framework, self.data_at(z), res.spec)
            self.rebuilds += 1
            if self.progress is not None:
                self.progress(self.rebuilds, max(self.budget, self.rebuilds))
        agg = res._states["Aggregated"]  # the scores, without copying every column of the frame
        own = pd.Series(agg.x[:, list(agg.columns).index(self.level)], index=agg.units)
        scores = own.reindex(self.units).to_numpy(dtype=np.float64)
        return self.judge(z, scores, res)

    def judge(self, z: np.ndarray, scores: np.ndarray, res: Results) -> Evaluation:
        """Rank, gap and verdict of a score vector (the engine's rank rule, ties within 1e-12)."""
        i = self.position
        own = float(scores[i])
        if np.isnan(own):
            raise InputError(
                f"unit {self.unit!r} has no score on {self.level!r} after the change (dropped by screening?)",
                row=self.unit,
                column=self.level,
                rule="unit is scored",
            )
        rank = int(rank_scores(scores[:, None])[i, 0])
        gap = own - self.bar(scores)
        reached = rank <= self.target if self.kind == "rank" else own >= self.target
        return Evaluation(z, scores, own, rank, gap, bool(reached), res)

    def bar(self, scores: np.ndarray) -> float:
        """The score the unit must reach: the target score, or the ``target``-th best other score."""
        if self.kind == "score":
            return float(self.target)
        others = np.delete(scores, self.position)
        others = np.sort(others[~np.isnan(others)])[::-1]
        k = int(self.target) - 1
        return float(others[k]) if k < len(others) else -np.inf

    def rivals(self, scores: np.ndarray) -> np.ndarray:
        """Units the unit must at least tie with to reach a rank target (all but the best target-1 others)."""
        others = [j for j in range(len(scores)) if j != self.position and not np.isnan(scores[j])]
        ordered = sorted(others, key=lambda j: -scores[j])
        return np.array(ordered[int(self.target) - 1 :], dtype=np.intp)

    def norm(self, z: np.ndarray) -> float:
        """Cost-weighted sum of changes in spread units."""
        return float(np.sum(self.cost * np.asarray(z)))

    def with_target(self, kind: str, target: float) -> Problem:
        """The same problem with another target (used for the best reachable rank)."""
        return dataclasses.replace(self, kind=kind, target=target, notes=list(self.notes))


def apply_plan(data: UnitData, unit: str, values: dict[str, float]) -> UnitData:
    """``data`` with ``unit``'s values of some indicators replaced (names, groups, denominators kept)."""
    old = data._values
    arr = old.to_numpy(dtype=np.float64, copy=True)
    col_of = {c: i for i, c in enumerate(old.columns)}
    cols = [col_of[c] for c in values]  # KeyError for a code the data lack, as before
    row = {u: i for i, u in enumerate(old.index)}[unit]
    arr[row, cols] = np.fromiter(values.values(), dtype=np.float64, count=len(cols))
    frame = pd.DataFrame(arr, index=old.index, columns=old.columns)
    return dataclasses.replace(data, _values=frame, sha256=None, source_name=f"{data.source_name} + plan")


# ---------------------------------------------------------------------------- building a problem
def make_problem(
    results: Results,
    unit: str,
    *,
    target_rank: int | None = None,
    target_score: float | None = None,
    level: str | None = None,
    fixed: Sequence[str] = (),
    only: Sequence[str] | None = None,
    cost: str | Path | pd.DataFrame | dict[str, float] | None = None,
    bounds: str | Path | pd.DataFrame | dict[str, tuple[float | None, float | None]] = "observed",
) -> Problem:
    """Validate a goal against the results it starts from.

    Raises
    ------
    InputError
        Unknown unit or code, both or neither target, a target out of range, a bad cost or bounds
        file (naming file, row and column), or no indicator left that could move.
    """
    fw, data = results.framework, results.data
    if unit not in data.units:
        raise InputError(f"unknown unit {unit!r}", column="unit", rule="uCode in the unit data")
    if unit not in results.units:
        raise InputError(
            f"unit {unit!r} has no score (dropped by screening)", column="unit", rule="unit is scored"
        )
    level = level or fw.codes_at(fw.n_levels)[0]
    if level not in fw.codes:
        raise InputError(f"unknown code {level!r}", column="level", rule="indicator or aggregate code")
    if (target_rank is None) == (target_score is None):
        raise InputError("give exactly one target: a rank or a score", column="target", rule="one target")
    n_scored = int(results.scores[level].notna().sum())
    if target_rank is not None:
        if (
            isinstance(target_rank, bool)
            or int(target_rank) != target_rank
            or not 1 <= target_rank <= n_scored
        ):
            raise InputError(
                f"target rank must be a whole number from 1 to {n_scored}, got {target_rank!r}",
                column="target_rank",
                rule="1 <= rank <= units",
            )
        kind, target = "rank", float(target_rank)
    else:
        target = float(target_score)  # type: ignore[arg-type]
        if not np.isfinite(target):
            raise InputError("target score must be a finite number", column="target_score", rule="finite")
        kind = "score"
    under = set(_indicators_under(fw, level))
    for name, codes in (("fixed", fixed), ("only", only or ())):
        for c in codes:
            if c not in fw.indicators:
                raise InputError(f"unknown indicator {c!r}", column=name, rule="indicator code")
    raw = data._values
    notes: list[str] = []
    chosen = [c for c in fw.indicators if c in under and c not in set(fixed)]
    if only is not None:
        chosen = [c for c in chosen if c in set(only)]
    row = raw.loc[unit]
    missing = [c for c in chosen if np.isnan(row[c])]
    if missing:
        notes.append(f"not moved (no value for {unit}, the pipeline imputes it): {', '.join(missing)}")
    chosen = [c for c in chosen if not np.isnan(row[c])]
    lo_obs = raw[chosen].min().to_numpy(dtype=np.float64)
    hi_obs = raw[chosen].max().to_numpy(dtype=np.float64)
    spread = hi_obs - lo_obs
    costs = _costs(cost, fw, chosen)
    lower, upper = _bounds(bounds, fw, chosen, lo_obs, hi_obs)
    start = row[chosen].to_numpy(dtype=np.float64)
    direction = fw.direction.reindex(chosen).to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(direction > 0, upper - start, start - lower) / spread
    room = np.where((spread > 0) & np.isfinite(room), np.maximum(room, 0.0), 0.0)
    keep = room > ZERO
    stuck = [c for c, k in zip(chosen, keep, strict=True) if not k]
    if stuck:
        notes.append(f"no room to improve within the bounds: {', '.join(stuck)}")
    if not keep.any():
        raise InputError(
            f"no indicator of {level!r} can move for {unit!r} "
            "(fixed, outside --only, missing or at its bound)",
            column="only",
            rule="at least one movable indicator",
        )
    pick = np.flatnonzero(keep)
    return Problem(
        results=results,
        unit=unit,
        level=level,
        kind=kind,
        target=target,
        codes=tuple(chosen[i] for i in pick),
        start=start[pick],
        direction=direction[pick],
        spread=spread[pick],
        room=room[pick],
        cost=costs[pick],
        lower=lower[pick],
        upper=upper[pick],
        notes=notes,
    )


def _indicators_under(fw: object, code: str) -> list[str]:
    stack, out = [code], []
    while stack:
        c = stack.pop()
        kids = fw.children(c)  # type: ignore[attr-defined]
        if not kids:
            out.append(c)
        stack.extend(kids)
    return out


def _table(source: str | Path | pd.DataFrame, what: str, needed: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    raw = read_table(source, name=None, what=what)
    for col in needed:
        if col not in raw.frame.columns:
            raise InputError(
                f"required column {col!r} is missing", file=raw.name, column=col, rule="required column"
            )
    if raw.frame.empty:
        raise InputError(f"the {what} file has no rows", file=raw.name, rule="non-empty file")
    return raw.frame, raw.name


def _codes_column(frame: pd.DataFrame, file: str, fw: object) -> list[str]:
    codes = text_cells(frame["iCode"]).tolist()
    seen: set[str] = set()
    for i, c in enumerate(codes):
        if c not in fw.indicators:  # type: ignore[attr-defined]
            raise InputError(
                f"unknown indicator {c!r}",
                file=file,
                row=i + FIRST_ROW,
                column="iCode",
                rule="indicator code",
            )
        if c in seen:
            raise InputError(
                f"indicator {c!r} appears twice",
                file=file,
                row=i + FIRST_ROW,
                column="iCode",
                rule="one row per indicator",
            )
        seen.add(c)
    return codes


def _costs(
    cost: str | Path | pd.DataFrame | dict[str, float] | None, fw: object, chosen: list[str]
) -> np.ndarray:
    """Cost per spread unit of change (CSV ``iCode, cost``); unlisted indicators cost 1."""
    out = dict.fromkeys(chosen, 1.0)
    if cost is None:
        return np.ones(len(chosen))
    if isinstance(cost, dict):
        frame, file = pd.DataFrame({"iCode": list(cost), "cost": list(cost.values())}), "cost"
    else:
        frame, file = _table(cost, "cost", ("iCode", "cost"))
    codes = _codes_column(frame, file, fw)
    values = numeric_column(frame["cost"], file=file, column="cost", rule="numeric cost")
    for i, (c, v) in enumerate(zip(codes, values, strict=True)):
        if not (np.isfinite(v) and 0 < v <= FAR):
            raise InputError(
                f"cost of {c!r} must be a number above 0 and at most {FAR:g} "
                "(use --fixed for an indicator that cannot move)",
                file=file, row=i + FIRST_ROW, column="cost", rule="0 < cost <= 1e6",
            )  # fmt: skip
        if c in out:
            out[c] = float(v)
    return np.array([out[c] for c in chosen], dtype=np.float64)


def _bounds(
    bounds: str | Path | pd.DataFrame | dict[str, tuple[float | None, float | None]],
    fw: object,
    chosen: list[str],
    lo_obs: np.ndarray,
    hi_obs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds in raw units: observed range by default; a CSV ``iCode, min, max`` (empty = observed)."""
    lower, upper = lo_obs.copy(), hi_obs.copy()
    if isinstance(bounds, str) and bounds == "observed":
        return lower, upper
    if isinstance(bounds, dict):
        frame = pd.DataFrame(
            {
                "iCode": list(bounds),
                "min": [b[0] for b in bounds.values()],
                "max": [b[1] for b in bounds.values()],
            }
        )
        file = "bounds"
    else:
        frame, file = _table(bounds, "bounds", ("iCode", "min", "max"))
    codes = _codes_column(frame, file, fw)
    mins = numeric_column(frame["min"], file=file, column="min", rule="numeric bound")
    maxs = numeric_column(frame["max"], file=file, column="max", rule="numeric bound")
    pos = {c: i for i, c in enumerate(chosen)}
    for i, c in enumerate(codes):
        if not np.isnan(mins[i]) and not np.isnan(maxs[i]) and mins[i] > maxs[i]:
            raise InputError(
                f"min {mins[i]!r} is above max {maxs[i]!r} for {c!r}",
                file=file, row=i + FIRST_ROW, column="min", rule="min <= max",
            )  # fmt: skip
        if c in pos:
            k = pos[c]
            reach = FAR * max(hi_obs[k] - lo_obs[k], abs(hi_obs[k]), abs(lo_obs[k]), 1.0)
            for col, v in (("min", mins[i]), ("max", maxs[i])):
                if not np.isnan(v) and not lo_obs[k] - reach <= v <= hi_obs[k] + reach:
                    raise InputError(
                        f"{col} {v!r} for {c!r} is more than {FAR:g} times the observed values away "
                        f"(observed {lo_obs[k]!r} to {hi_obs[k]!r}): a typo?",
                        file=file, row=i + FIRST_ROW, column=col, rule="bound near the observed range",
                    )  # fmt: skip
            if not np.isnan(mins[i]):
                lower[k] = mins[i]
            if not np.isnan(maxs[i]):
                upper[k] = maxs[i]
    return lower, upper


@dataclass(frozen=True)
class Attempt:
    """What a search method returns: the verified plan (a full rebuild reached the target) and how.

    Attributes
    ----------
    evaluation
        The full rebuild at the plan (``evaluation.z`` is the plan in spread units).
    solver
        Short description of the method that found it.
    exact
        True only when the plan is certified to be the least change (see ``docs/method.md``).
    iterations
        Linear programmes solved (or greedy rounds).
    """

    evaluation: Evaluation
    solver: str
    exact: bool
    iterations: int
    notes: tuple[str, ...] = ()
