"""Odds of a plan under the uncertainty of the method (uncertainty replications before and after).

Checks that need no trust in the robustness engine's numbers: with a single choice every replication
is the nominal pipeline, so the odds are exactly 1 after a plan that reaches the target and 0 before;
with two normalisations, the odds and the rank interval are bounded by the ranks the two pipelines
give when built directly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.index import Results, build
from creativecity.index.goal import goal, plan_odds, what_it_would_take
from creativecity.index.goal.problem import apply_plan


def write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "assumptions.yaml"
    f.write_text(f"version: 1\ntarget: Index\nassumptions:\n{body}", encoding="utf-8")
    return f


def test_single_choice_gives_certain_odds(tmp_path: Path, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1)
    f = write(tmp_path, "  - name: agg\n    at: aggregate.method\n    values: [arithmetic]\n")
    o = plan_odds(g, res, f, 25, seed=3)
    assert (o.probability, o.probability_before) == (1.0, 0.0)
    assert o.interval == (1.0, 1.0, 1.0) and o.interval_before == (2.0, 2.0, 2.0)
    assert o.rank_needed == 1 and o.n == 25


def test_two_normalisations_bound_the_odds(tmp_path: Path, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1)
    f = write(
        tmp_path,
        "  - name: norm\n    at: normalise\n    values:\n      - {method: minmax}\n"
        "      - {method: zscore, mean: 10, sd: 2}\n",
    )
    o = plan_odds(g, res, f, 200, seed=1)
    planned = apply_plan(res.data, "B", {s.code: s.to for s in g.steps})
    zspec = res.spec.set("normalise", {"method": "zscore", "mean": 10, "sd": 2})
    r_z = int(build(res.framework, planned, zspec).ranks.loc["B", "Index"])
    if r_z <= 1:
        assert o.probability == 1.0
    else:  # minmax replications reach rank 1, zscore ones do not: about half of 200
        assert 0.3 < o.probability < 0.7
    assert min(1, r_z) <= o.interval[0] <= o.interval[2] <= max(1, r_z)


def test_odds_in_the_table_and_json(tmp_path: Path, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1)
    f = write(tmp_path, "  - name: agg\n    at: aggregate.method\n    values: [arithmetic]\n")
    g = dataclasses.replace(g, odds=plan_odds(g, res, f, 10))
    assert what_it_would_take(g)["odds"]["probability"] == 1.0
    assert g.to_dict()["odds"]["rank_interval"] == {"q05": 1.0, "median": 1.0, "q95": 1.0}


def test_bad_odds_inputs(tmp_path: Path, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1)
    with pytest.raises(InputError):
        plan_odds(
            g, res, write(tmp_path, "  - name: agg\n    at: aggregate.method\n    values: [arithmetic]\n"), 0
        )
    with pytest.raises(InputError):
        plan_odds(g, res, write(tmp_path, "  - name: t\n    at: treat.winmax\n    values: [1, 2]\n"), 5)
    with pytest.raises(InputError):
        plan_odds(g, res, tmp_path / "missing.yaml", 5)
