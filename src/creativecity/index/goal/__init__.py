"""What it would take: the least change to one unit's raw values that reaches a rank or a score.

::

    from creativecity.index.goal import goal
    plan = goal(results, "VNM", target_rank=20)
    plan.plan_frame(), plan.reached_rank, plan.to_dict(), plan.write("out/")

Search methods live one per module behind one signature, ``solve(problem, base, full) -> Attempt |
None`` (``base``: the rebuild at the start, ``full``: with everything moved to its bound):
:mod:`.linear` (linear programme, exact where the pipeline is piecewise linear; sequential otherwise),
:mod:`.separable` (one piecewise-linear curve per indicator, for bending pipelines such as outlier
treatment) and :mod:`.greedy` (marginal gains, for step-function pipelines). Every plan is verified by a full
rebuild of the composite indicator. The method, its guarantees and limits: ``docs/method.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index.goal import greedy, linear, separable
from creativecity.index.goal.odds import plan_odds
from creativecity.index.goal.problem import ZERO, Attempt, Evaluation, Problem, make_problem
from creativecity.index.goal.result import GoalResult, Odds, PlanStep
from creativecity.index.goal.table import what_it_would_take

if TYPE_CHECKING:
    from creativecity.index.results import Results

Method = Callable[[Problem, Evaluation, Evaluation], Attempt | None]

#: Search methods by name; ``auto`` tries them in this order.
METHODS: dict[str, Method] = {"linear": linear.solve, "separable": separable.solve, "greedy": greedy.solve}


def goal(
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
    method: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> GoalResult:
    """The least change to ``unit``'s raw indicator values that reaches the target on ``level``.

    Parameters
    ----------
    results
        A build (:func:`creativecity.index.build`): its framework, data and spec are re-run for
        every candidate plan, so the verdict is the engine's.
    unit
        uCode of the unit that changes.
    target_rank, target_score
        Exactly one: reach rank <= ``target_rank``, or score >= ``target_score``.
    level
        The code ranked (default: the first top-level code, the index).
    fixed
        Indicators that cannot move.
    only
        If given, only these indicators may move (what the city can act on).
    cost
        Cost per spread unit of change, per indicator (CSV or mapping ``iCode -> cost``; default 1).
    bounds
        ``"observed"`` (each indicator stays within the range observed across units) or a CSV /
        mapping ``iCode -> (min, max)`` in raw units (an empty side keeps the observed bound).
    method
        ``"auto"`` (see :func:`_search`), ``"linear"``, ``"separable"`` or ``"greedy"``.
    progress
        Called as ``progress(rebuilds_done, at_most)`` after each full rebuild (the engine prints
        nothing; the command line draws a bar). ``at_most`` is an upper bound, usually not reached.

    Returns
    -------
    GoalResult
        The plan, start and reached rank/score, the norm, the solver and whether it is exact. When
        the bounds cannot reach the target, ``reached`` is false and the plan is the least change
        found to the best reachable rank.

    Raises
    ------
    InputError
        Unknown unit, code or method, both or neither target, bad cost or bounds input.
    """
    t0 = time.perf_counter()
    if method != "auto" and method not in METHODS:
        raise InputError(
            f"unknown method {method!r} (auto, {', '.join(METHODS)})", column="method", rule="known method"
        )
    p = make_problem(
        results, unit, target_rank=target_rank, target_score=target_score, level=level,
        fixed=fixed, only=only, cost=cost, bounds=bounds,
    )  # fmt: skip
    m = len(p.codes) + 1
    p.progress = progress
    p.budget = 2 + (linear.MAX_ITER + 6) * m + 2 * len(separable.BREAKS) * m + 200
    base = p.evaluate(np.zeros(len(p.codes)))
    full = p.evaluate(p.room)
    notes = list(p.notes)
    search = p
    if not full.reached:
        notes.append(
            f"the target cannot be reached within the bounds: moving every allowed indicator to its bound "
            f"gives rank {full.rank} (score {full.score:.6g}); "
            f"the plan is the least change to rank {full.rank}"
        )
        search = p.with_target("rank", float(full.rank))
    # judged against the target actually searched (the best reachable rank when the target is not)
    base_s, full_s = (search.judge(e.z, e.scores, e.results) for e in (base, full))
    if base.reached or (not full.reached and full.rank >= base.rank):
        attempt: Attempt | None = Attempt(
            base, "none (no change needed)" if base.reached else "none", True, 0
        )
    else:
        attempt = _search(search, base_s, full_s, method)
    if attempt is None:  # every method failed although the bounds reach the target: the bounds are a plan
        attempt = Attempt(full, "all allowed indicators to their bounds (no smaller plan found)", False, 0)
        notes.append("no search method found a smaller plan than moving everything to its bound")
    ev = attempt.evaluation
    notes.extend(attempt.notes)
    return GoalResult(
        unit=unit,
        unit_name=str(results.data.names.get(unit, unit)),
        level=p.level,
        target_kind=p.kind,
        target=p.target,
        start_rank=base.rank,
        start_score=base.score,
        reached_rank=ev.rank,
        reached_score=ev.score,
        reached=p.judge(ev.z, ev.scores, ev.results).reached,
        reachable=full.reached,
        best_rank=full.rank,
        best_score=full.score,
        units_ranked=int(np.sum(~np.isnan(base.scores))),
        norm=p.norm(ev.z),
        solver=attempt.solver,
        exact=attempt.exact,
        iterations=attempt.iterations,
        rebuilds=search.rebuilds,  # a re-targeted problem starts from p's count
        seconds=time.perf_counter() - t0,
        steps=_steps(p, ev.z),
        bounds=_bounds_label(bounds),
        notes=tuple(notes),
        provenance=dict(results.provenance.get("inputs", {})),
    )


def _bounds_label(bounds: object) -> str:
    if isinstance(bounds, str) and bounds == "observed":
        return "observed"
    return str(bounds) if isinstance(bounds, (str, Path)) else "given"


def _search(p: Problem, base: Evaluation, full: Evaluation, method: str) -> Attempt | None:
    """``auto``: the linear programme when certified exact; otherwise the separable model and the
    sequential programme both run and the cheaper verified plan wins; greedy when neither finds one."""
    if method != "auto":
        return METHODS[method](p, base, full)
    first = linear.solve(p, base, full)
    if first is not None and first.exact:
        return first
    other = separable.solve(p, base, full)
    found = [a for a in (first, other) if a is not None]
    if found:
        return min(found, key=lambda a: p.norm(a.evaluation.z))
    return greedy.solve(p, base, full)


def _steps(p: Problem, z: np.ndarray) -> tuple[PlanStep, ...]:
    names = p.results.framework.names
    to = p.values_at(z)
    moved = [j for j in range(len(p.codes)) if z[j] > ZERO and to[j] != p.start[j]]
    moved.sort(key=lambda j: -z[j] * p.cost[j])
    return tuple(
        PlanStep(p.codes[j], str(names.get(p.codes[j], p.codes[j])), float(p.start[j]), float(to[j]),
                 float(p.spread[j]), float(p.cost[j]))
        for j in moved
    )  # fmt: skip


__all__ = ["METHODS", "GoalResult", "Odds", "PlanStep", "goal", "plan_odds", "what_it_would_take"]
