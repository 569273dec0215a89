"""The "What it would take" table: a plan as the rows and sentences a report or a web page shows.

One home for how a plan is presented in documents, so that the report section and the web index
builder print the same numbers (with the same rounding) and the same verdict.
"""

from __future__ import annotations

from typing import Any

from creativecity.index.goal.result import GoalResult


def what_it_would_take(result: GoalResult, *, digits: int = 4) -> dict[str, Any]:
    """Table data for a plan: heading facts, one row per indicator, the odds when computed.

    Returns
    -------
    dict
        ``unit, unit_name, level, target, start_rank, reached_rank, units_ranked, reached, reachable,
        best_rank, norm, solver, exact, odds`` and ``rows``: dicts ``iCode, name, from, to, change,
        spread_units, share_of_effort`` (share of the norm this indicator takes, 0..1), largest first.
    """
    total = result.norm or 1.0
    rows = [
        {
            "iCode": s.code,
            "name": s.name,
            "from": round(s.start, digits),
            "to": round(s.to, digits),
            "change": round(s.change, digits),
            "spread_units": round(s.spread_units, digits),
            "share_of_effort": abs(s.spread_units) * s.cost / total,
        }
        for s in result.steps
    ]
    odds = None
    if result.odds is not None:
        o = result.odds
        odds = {
            "n": o.n,
            "rank_needed": o.rank_needed,
            "probability": o.probability,
            "probability_before": o.probability_before,
            "interval": list(o.interval),
            "interval_before": list(o.interval_before),
        }
    return {
        "unit": result.unit,
        "unit_name": result.unit_name,
        "level": result.level,
        "target": result.target_label,
        "start_rank": result.start_rank,
        "reached_rank": result.reached_rank,
        "units_ranked": result.units_ranked,
        "reached": result.reached,
        "reachable": result.reachable,
        "best_rank": result.best_rank,
        "norm": result.norm,
        "solver": result.solver,
        "exact": result.exact,
        "odds": odds,
        "rows": rows,
        "notes": list(result.notes),
    }
