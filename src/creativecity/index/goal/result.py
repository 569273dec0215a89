"""What goal-seeking returns: an immutable plan with its verdict, printable as a table or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from creativecity.errors import InputError
from creativecity.fileio import atomic_output_dir, to_json

#: Columns of ``plan.csv`` (the contract of issue #14), in order.
PLAN_COLUMNS = ("iCode", "from", "to", "change", "change_in_spread_units", "name")


@dataclass(frozen=True)
class PlanStep:
    """One indicator the plan changes (raw units, as in iData)."""

    code: str
    name: str
    start: float
    to: float
    spread: float
    cost: float = 1.0

    @property
    def change(self) -> float:
        """``to - from`` in the indicator's own units."""
        return self.to - self.start

    @property
    def spread_units(self) -> float:
        """The change as a share of the indicator's observed range across units (signed)."""
        return self.change / self.spread


@dataclass(frozen=True)
class Odds:
    """How sure the plan is under the uncertainty of the method (uncertainty analysis, ENGINE.md §9).

    ``probability`` is the share of replications in which the unit reaches ``rank_needed`` after the
    plan; ``probability_before`` the same without it. Intervals are the 5 %, 50 % and 95 % quantiles
    of the unit's rank over the replications (linear interpolation), before and after.
    """

    n: int
    seed: int
    assumptions: str
    rank_needed: int
    probability: float
    probability_before: float
    interval: tuple[float, float, float]
    interval_before: tuple[float, float, float]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON."""
        keys = ("q05", "median", "q95")
        return {
            "n": self.n,
            "seed": self.seed,
            "assumptions": self.assumptions,
            "rank_needed": self.rank_needed,
            "probability": self.probability,
            "probability_before": self.probability_before,
            "rank_interval": dict(zip(keys, self.interval, strict=True)),
            "rank_interval_before": dict(zip(keys, self.interval_before, strict=True)),
        }


@dataclass(frozen=True)
class GoalResult:
    """A plan: the least change found to the unit's raw values, and what a full rebuild gives with it.

    Attributes
    ----------
    target_kind, target
        ``"rank"`` (at most this rank) or ``"score"`` (at least this score) on ``level``.
    reached
        A full rebuild with the plan reaches the target.
    reachable
        Moving every allowed indicator to its bound reaches it; when not, the plan is the least
        change found to reach ``best_rank`` (the rank at the bounds) instead.
    exact
        The plan is certified to be the least change (linear pipeline, see ``docs/method.md``).
    norm
        Sum over the plan of cost x |change| / spread.
    """

    unit: str
    unit_name: str
    level: str
    target_kind: str
    target: float
    start_rank: int
    start_score: float
    reached_rank: int
    reached_score: float
    reached: bool
    reachable: bool
    best_rank: int
    best_score: float
    units_ranked: int
    norm: float
    solver: str
    exact: bool
    iterations: int
    rebuilds: int
    seconds: float
    steps: tuple[PlanStep, ...] = ()
    bounds: str = "observed"
    notes: tuple[str, ...] = ()
    odds: Odds | None = None
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    def plan_frame(self) -> pd.DataFrame:
        """``iCode, from, to, change, change_in_spread_units, name``: largest effort first."""
        rows = [
            {
                "iCode": s.code,
                "from": s.start,
                "to": s.to,
                "change": s.change,
                "change_in_spread_units": s.spread_units,
                "name": s.name,
            }
            for s in self.steps
        ]
        return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))

    @property
    def target_label(self) -> str:
        """The target in words, e.g. ``rank <= 20 on Index``."""
        t = f"rank <= {int(self.target)}" if self.target_kind == "rank" else f"score >= {self.target:g}"
        return f"{t} on {self.level}"

    def to_dict(self) -> dict[str, Any]:
        """Everything ``plan.json`` holds (and ``--json`` prints)."""
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "target": {"kind": self.target_kind, "value": self.target, "level": self.level},
            "start": {"rank": self.start_rank, "score": self.start_score},
            "reached": {"rank": self.reached_rank, "score": self.reached_score, "target_met": self.reached},
            "reachable": self.reachable,
            "best_reachable": {"rank": self.best_rank, "score": self.best_score},
            "units_ranked": self.units_ranked,
            "norm": {
                "value": self.norm,
                "definition": "sum over indicators of cost x |change| / (max - min observed across units)",
            },
            "bounds": self.bounds,
            "solver": self.solver,
            "exact": self.exact,
            "iterations": self.iterations,
            "rebuilds": self.rebuilds,
            "seconds": self.seconds,
            "plan": [
                {**r, "cost": s.cost}
                for r, s in zip(self.plan_frame().to_dict(orient="records"), self.steps, strict=True)
            ],
            "odds": None if self.odds is None else self.odds.to_dict(),
            "notes": list(self.notes),
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, d: Any, source: str = "plan.json") -> GoalResult:
        """Read back what :meth:`to_dict` wrote (``plan.json``), e.g. for a report.

        Raises
        ------
        InputError
            When a field is missing or has the wrong type, naming the file and the field.
        """

        def get(path: str, kind: type | tuple[type, ...]) -> Any:
            v: Any = d
            for k in path.split("."):
                if not isinstance(v, dict) or k not in v:
                    raise InputError(f"field {path!r} is missing", file=source, column=path, rule="plan.json")
                v = v[k]
            if v is None and kind is float:
                return math.nan
            if (isinstance(v, bool) and kind is not bool) or not isinstance(v, kind):
                raise InputError(
                    f"field {path!r} has the wrong type", file=source, column=path, rule="plan.json"
                )
            return v

        num = (int, float)
        steps = []
        for i, r in enumerate(get("plan", list)):
            if not isinstance(r, dict):
                raise InputError(
                    "a plan row is not a mapping", file=source, column=f"plan[{i}]", rule="plan.json"
                )
            try:
                start, to, su = float(r["from"]), float(r["to"]), float(r["change_in_spread_units"])
                spread = (to - start) / su if su else math.nan
                steps.append(
                    PlanStep(
                        str(r["iCode"]), str(r.get("name", "")), start, to, spread, float(r.get("cost", 1.0))
                    )
                )
            except (KeyError, TypeError, ValueError):
                raise InputError("a plan row lacks iCode/from/to/change_in_spread_units", file=source,
                                 column=f"plan[{i}]", rule="plan.json") from None  # fmt: skip
        odds = None
        if d.get("odds") is not None:
            o = get("odds", dict)
            iv = [get(f"odds.rank_interval.{k}", num) for k in ("q05", "median", "q95")]
            ivb = [get(f"odds.rank_interval_before.{k}", num) for k in ("q05", "median", "q95")]
            odds = Odds(int(get("odds.n", int)), int(get("odds.seed", int)), str(o.get("assumptions", "")),
                        int(get("odds.rank_needed", int)), float(get("odds.probability", num)),
                        float(get("odds.probability_before", num)), tuple(iv), tuple(ivb))  # fmt: skip
        return cls(
            unit=get("unit", str), unit_name=get("unit_name", str), level=get("target.level", str),
            target_kind=get("target.kind", str), target=float(get("target.value", num)),
            start_rank=int(get("start.rank", num)), start_score=float(get("start.score", num)),
            reached_rank=int(get("reached.rank", num)), reached_score=float(get("reached.score", num)),
            reached=get("reached.target_met", bool), reachable=get("reachable", bool),
            best_rank=int(get("best_reachable.rank", num)),
            best_score=float(get("best_reachable.score", num)),
            units_ranked=int(get("units_ranked", num)), norm=float(get("norm.value", num)),
            solver=get("solver", str), exact=get("exact", bool), iterations=int(get("iterations", num)),
            rebuilds=int(get("rebuilds", num)), seconds=float(get("seconds", num)), steps=tuple(steps),
            bounds=str(d.get("bounds", "observed")), notes=tuple(str(n) for n in d.get("notes", [])),
            odds=odds,
            provenance=dict(d.get("provenance") or {}),
        )  # fmt: skip

    def write(self, out: str | Path, *, chart: bool = True) -> list[Path]:
        """Write ``plan.csv``, ``plan.json`` and ``plan.png`` into ``out`` atomically (all or nothing)."""
        names = ["plan.csv", "plan.json"] + (["plan.png"] if chart else [])
        with atomic_output_dir(out) as stage:
            self.plan_frame().to_csv(
                stage / "plan.csv", index=False, float_format="%.17g", lineterminator="\n"
            )
            (stage / "plan.json").write_text(to_json(self.to_dict()) + "\n", encoding="utf-8")
            if chart:
                from creativecity.index.goal.chart import plot_plan

                plot_plan(self, stage / "plan.png")
        return [Path(out) / n for n in names]
