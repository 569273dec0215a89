"""The odds of a plan: how often it reaches the target under the uncertainty of the method itself.

A plan is computed on the nominal pipeline. Other defensible choices (outlier treatment, normalisation,
weights, aggregation: the assumptions file of uncertainty analysis) give other ranks. The odds run the
SAME replications (same design, same seed) on the data before and after the plan, with the vectorised
robustness engine (:func:`creativecity.index.analysis.uncertainty.run_replications`), and read the
unit's rank in each replication from its exact rank statistics.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from creativecity.index.goal.problem import apply_plan
from creativecity.index.goal.result import GoalResult, Odds

if TYPE_CHECKING:
    from creativecity.index.analysis.assumptions import AssumptionSet
    from creativecity.index.analysis.robust_stats import RankAccumulator
    from creativecity.index.results import Results


def share_at_most(acc: RankAccumulator, unit: int, rank: int) -> float:
    """Share of the replications that ranked ``unit`` in which its rank was <= ``rank``."""
    if acc.hist is not None:
        h = acc.hist[unit]
        total = h[1:].sum()
        return float(h[1 : rank + 1].sum() / total) if total else float("nan")
    assert acc.store is not None
    r = acc.store[: acc.added, unit].astype(np.int64)
    present = r > 0
    return float(((r <= rank) & present).sum() / present.sum()) if present.any() else float("nan")


def plan_odds(
    result: GoalResult,
    results: Results,
    assumptions: str | Path | AssumptionSet,
    n: int,
    seed: int = 1,
    *,
    executor: Any | None = None,
) -> Odds:
    """Probability that the plan reaches the target over ``n`` uncertainty replications.

    Parameters
    ----------
    result
        The plan (:func:`creativecity.index.goal.goal`).
    results
        The nominal build the plan was computed on.
    assumptions
        Assumptions file (CONTRACTS.md §2) or a parsed set; its target is replaced by the plan's level.
    n, seed
        Replications and seed (the same design is used before and after the plan).

    For a score target the odds are those of reaching the rank the plan reaches nominally (a score
    has no common scale across normalisations, a rank does).

    Raises
    ------
    InputError
        Bad assumptions file, n < 1, or a replication the engine cannot build.
    """
    from creativecity.index.analysis.assumptions import AssumptionSet, read_assumptions
    from creativecity.index.analysis.robust_sampling import design_columns, monte_carlo
    from creativecity.index.analysis.uncertainty import check_n, run_replications

    check_n(n)
    fw, data, spec = results.framework, results.data, results.spec
    aset = assumptions if isinstance(assumptions, AssumptionSet) else read_assumptions(assumptions)
    aset = copy.copy(aset)
    aset.target = result.level
    aset.validate(fw, spec)
    design = monte_carlo(n, len(design_columns(aset, fw)), seed)
    planned = apply_plan(data, result.unit, {s.code: s.to for s in result.steps})
    before = run_replications(fw, data, spec, aset, design, executor=executor, nominal=results)
    after = run_replications(fw, planned, spec, aset, design, executor=executor)
    u = list(before.prepared.shared.units).index(result.unit)
    need = int(result.target) if result.target_kind == "rank" else int(result.reached_rank)
    q_before = before.accumulator.rank_quantiles()[u]
    q_after = after.accumulator.rank_quantiles()[u]
    return Odds(
        n=n,
        seed=seed,
        assumptions=aset.source,
        rank_needed=need,
        probability=share_at_most(after.accumulator, u, need),
        probability_before=share_at_most(before.accumulator, u, need),
        interval=(float(q_after[0]), float(q_after[1]), float(q_after[2])),
        interval_before=(float(q_before[0]), float(q_before[1]), float(q_before[2])),
    )
