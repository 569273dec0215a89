"""Goal-seeking on hand-checkable indices: closed-form least changes, direction, fixed, cost, bounds.

The toy index (3 units, 2 indicators, min-max [0, 100], arithmetic mean with weights 3 and 1):

    unit  x1  x2  | n1   n2   | Index = 0.75 n1 + 0.25 n2
    A      0  10  |   0  100  | 25
    B      4   2  |  40   20  | 35     (rank 2)
    C     10   0  | 100    0  | 75     (rank 1)

Both spreads are 10. While B stays inside [0, 10] the mins and maxes belong to A and C, so nobody
else moves and B's score is linear: one spread unit (10 raw units) of x1 adds 0.75 * 100 = 75 points,
one of x2 adds 0.25 * 100 = 25. To reach rank 1 B must tie C at 75 (ties share the best rank): +40.
- Equal costs: x1 is three times as effective per spread unit, room 0.6 (gain 45 >= 40), so
  z1 = 40 / 75 = 0.53333, x1: 4 -> 4 + 10 * 0.53333 = 9.33333, norm 0.53333.
- Cost 4 for x1, 1 for x2: per unit of cost x2 gives 25 > 75 / 4 = 18.75, so x2 goes first to its
  bound (z2 = 0.8, +20, cost 0.8), the other 20 points from x1 (z1 = 20 / 75 = 0.26667, cost
  1.06667): x2 -> 10, x1 -> 6.66667, norm 1.86667 (x1 alone would cost 4 * 0.53333 = 2.13333).
- Bounds x1 <= 8: x1 gives at most 0.4 spread units = 30 points (norm 0.4), the other 10 from x2
  (z2 = 0.4): x1 -> 8, x2 -> 6, norm 0.8.
- x1 fixed, target score 50: +15 from x2, z2 = 15 / 25 = 0.6: x2 -> 2 + 6 = 8, norm 0.6.
- Only x2, rank 1: at most 35 + 20 = 55 < 75: unreachable, best reachable rank 2.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework, Results, Spec, UnitData, build
from creativecity.index.goal import goal, what_it_would_take
from creativecity.index.goal.problem import apply_plan


def plan_of(g: object) -> dict[str, tuple[float, float]]:
    return {r["iCode"]: (r["from"], r["to"]) for r in g.plan_frame().to_dict(orient="records")}


def rank_after(res: object, g: object, scale: float = 1.0) -> int:
    """Independent check: apply the plan (scaled toward the start) to the data and build again."""
    steps = {s.code: s.start + scale * s.change for s in g.steps}
    data = apply_plan(res.data, g.unit, steps)
    return int(build(res.framework, data, res.spec).ranks.loc[g.unit, g.level])


def test_start_is_as_computed_by_hand(goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    assert res.scores["Index"].tolist() == pytest.approx([25, 35, 75])
    assert res.ranks.loc["B", "Index"] == 2


def test_rank_target_closed_form_exact(goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1)
    assert g.reached and g.reachable and g.exact
    assert g.start_rank == 2 and g.reached_rank == 1
    assert plan_of(g) == {"x1": (4.0, pytest.approx(4 + 10 * 40 / 75, abs=1e-6))}
    assert g.norm == pytest.approx(40 / 75, abs=1e-8)
    assert g.reached_score == pytest.approx(75, abs=1e-6)
    assert rank_after(res, g) == 1
    assert rank_after(res, g, 0.9) == 2


def test_cost_changes_the_plan(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "B", target_rank=1, cost={"x1": 4})
    assert g.exact
    assert plan_of(g) == {
        "x2": (2.0, pytest.approx(10.0, abs=1e-9)),
        "x1": (4.0, pytest.approx(4 + 10 * 20 / 75, abs=1e-6)),
    }
    assert g.norm == pytest.approx(0.8 + 4 * 20 / 75, abs=1e-7)


def test_direction_minus_one_moves_down(goal_toy: Callable[..., Results]) -> None:
    # x2 mirrored (A 0, B 8, C 10) with Direction -1: the same normalised values as the toy
    res = goal_toy(direction2=-1, x2=(0, 8, 10))
    assert res.scores["Index"].tolist() == pytest.approx([25, 35, 75])
    g = goal(res, "B", target_rank=1, cost={"x1": 4})
    plan = plan_of(g)
    assert plan["x2"] == (8.0, pytest.approx(0.0, abs=1e-9))
    assert g.plan_frame().set_index("iCode").loc["x2", "change_in_spread_units"] == pytest.approx(-0.8)
    assert plan["x1"][1] == pytest.approx(4 + 10 * 20 / 75, abs=1e-6)
    assert rank_after(res, g) == 1


def test_bounds_mapping_and_file(tmp_path: Path, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1, bounds={"x1": (None, 8)})
    assert plan_of(g) == {
        "x1": (4.0, pytest.approx(8.0, abs=1e-9)),
        "x2": (2.0, pytest.approx(6.0, abs=1e-6)),
    }
    assert g.norm == pytest.approx(0.8, abs=1e-7)
    f = tmp_path / "bounds.csv"
    f.write_text("iCode,min,max\nx1,,8\n", encoding="utf-8")
    assert plan_of(goal(res, "B", target_rank=1, bounds=f)) == plan_of(g)


def test_fixed_indicator_and_score_target(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "B", target_score=50, fixed=["x1"])
    assert plan_of(g) == {"x2": (2.0, pytest.approx(8.0, abs=1e-6))}
    assert g.reached_score == pytest.approx(50, abs=1e-6) and g.reached_score >= 50


def test_unreachable_target_gives_best_rank(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "B", target_rank=1, only=["x2"])
    assert not g.reached and not g.reachable
    assert g.best_rank == 2 and g.best_score == pytest.approx(55)
    assert g.steps == () and any("cannot be reached" in n for n in g.notes)


def test_unreachable_rank_still_plans_the_best_reachable_rank(goal_toy: Callable[..., Results]) -> None:
    # A (25) is the x1 minimum and already at the x2 maximum. Raising its x1 to m (<= 2, its bound)
    # keeps A's own n1 at 0 but raises the column min, so B's n1 = 100 (4 - m) / (10 - m) falls:
    # B = 0.75 * 100 (4 - m) / (10 - m) + 5 <= 25  <=>  15 (4 - m) <= 4 (10 - m)  <=>  m >= 20 / 11.
    # C (75) stays ahead whatever A does: rank 1 is unreachable, rank 2 needs x1 -> 20 / 11 = 1.8182
    # (a nonlinear case: the linear model is re-linearised and the plan shrunk by bisection).
    res = goal_toy()
    g = goal(res, "A", target_rank=1, bounds={"x1": (None, 2)})
    assert not g.reachable and not g.reached and g.best_rank == 2
    assert g.reached_rank == 2 and rank_after(res, g) == 2
    assert plan_of(g) == {"x1": (0.0, pytest.approx(20 / 11, abs=1e-6))}
    assert not g.exact


def test_already_there_needs_nothing(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "C", target_rank=1)
    assert g.reached and g.steps == () and g.norm == 0 and g.start_rank == 1


def test_greedy_finds_a_verified_plan_no_better_than_the_exact_one(goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    g = goal(res, "B", target_rank=1, method="greedy")
    assert g.reached and not g.exact
    assert g.norm >= 40 / 75 - 1e-6
    assert g.norm <= 0.8 + 40 / 75  # never worse than going through x2 first
    assert rank_after(res, g) == 1


def test_step_function_pipeline_falls_back_to_a_verified_search(goal_toy: Callable[..., Results]) -> None:
    spec = {"version": 1, "steps": [{"step": "normalise", "method": "rank"}, {"step": "aggregate"}]}
    res = goal_toy(spec=spec)
    g = goal(res, "B", target_rank=1)
    assert g.reached and not g.exact
    assert rank_after(res, g) == 1


def test_plan_table_data(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "B", target_rank=1, cost={"x1": 4})
    t = what_it_would_take(g)
    # largest cost-weighted effort first: x1 costs 4 * 20 / 75 = 1.0667, x2 0.8
    assert [r["iCode"] for r in t["rows"]] == ["x1", "x2"]
    assert sum(r["share_of_effort"] for r in t["rows"]) == pytest.approx(1.0)
    assert t["rows"][1]["share_of_effort"] == pytest.approx(0.8 / (0.8 + 4 * 20 / 75), abs=1e-6)
    assert t["start_rank"] == 2 and t["reached_rank"] == 1 and t["target"] == "rank <= 1 on Index"


def test_result_is_immutable_and_serialisable(goal_toy: Callable[..., Results]) -> None:
    g = goal(goal_toy(), "B", target_rank=1)
    with pytest.raises(AttributeError):
        g.norm = 0  # type: ignore[misc]
    d = g.to_dict()
    assert d["start"] == {"rank": 2, "score": pytest.approx(35)}
    assert d["plan"][0]["iCode"] == "x1" and d["exact"] is True


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"unit": "Z", "target_rank": 1}, "unit"),
        ({"unit": "B"}, "target"),
        ({"unit": "B", "target_rank": 1, "target_score": 50}, "target"),
        ({"unit": "B", "target_rank": 0}, "target_rank"),
        ({"unit": "B", "target_rank": 4}, "target_rank"),
        ({"unit": "B", "target_score": float("nan")}, "target_score"),
        ({"unit": "B", "target_rank": 1, "fixed": ["nope"]}, "fixed"),
        ({"unit": "B", "target_rank": 1, "only": ["nope"]}, "only"),
        ({"unit": "B", "target_rank": 1, "level": "nope"}, "level"),
        ({"unit": "B", "target_rank": 1, "fixed": ["x1", "x2"]}, "only"),
        ({"unit": "B", "target_rank": 1, "method": "magic"}, "method"),
    ],
)
def test_bad_arguments(kwargs: dict, column: str, goal_toy: Callable[..., Results]) -> None:
    res = goal_toy()
    unit = kwargs.pop("unit")
    with pytest.raises(InputError) as e:
        goal(res, unit, **kwargs)
    assert e.value.column == column


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("iCode,cost\nx1,abc\n", 2, "cost"),
        ("iCode,cost\nx1,2\nx9,1\n", 3, "iCode"),
        ("iCode,cost\nx1,0\n", 2, "cost"),
        ("iCode,cost\nx1,1e300\n", 2, "cost"),
        ("iCode,cost\nx1,1\nx1,2\n", 3, "iCode"),
        ("iCode,price\nx1,1\n", None, "cost"),
    ],
)
def test_bad_cost_file(
    tmp_path: Path, text: str, row: int | None, column: str, goal_toy: Callable[..., Results]
) -> None:
    f = tmp_path / "cost.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        goal(goal_toy(), "B", target_rank=1, cost=f)
    assert (e.value.file, e.value.row, e.value.column) == (str(f), row, column)


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("iCode,min,max\nx1,9,8\n", 2, "min"),
        ("iCode,min,max\nx1,,1e\n", 2, "max"),
        ("iCode,min\nx1,1\n", None, "max"),
        ("iCode,min,max\nx2,,1e308\n", 2, "max"),
        ("iCode,min,max\nx9,,1\n", 2, "iCode"),
    ],
)
def test_bad_bounds_file(
    tmp_path: Path, text: str, row: int | None, column: str, goal_toy: Callable[..., Results]
) -> None:
    f = tmp_path / "bounds.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        goal(goal_toy(), "B", target_rank=1, bounds=f)
    assert (e.value.file, e.value.row, e.value.column) == (str(f), row, column)


def test_missing_value_is_not_moved() -> None:
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 2],
            "iCode": ["x1", "x2", "x3", "Index"],
            "Direction": [1, 1, 1, 1],
            "Weight": [3, 1, 1, 1],
            "Parent": ["Index", "Index", "Index", None],
            "Type": ["Indicator", "Indicator", "Indicator", "Aggregate"],
        }
    )
    fw = Framework.read(meta, name="iMeta")
    data = UnitData.read(
        pd.DataFrame({"uCode": list("ABC"), "x1": [0, 4, 10], "x2": [10, 2, 0], "x3": [1, np.nan, 5]}), fw
    )
    spec = {
        "version": 1,
        "steps": [{"step": "impute", "method": "mean"}, {"step": "normalise"}, {"step": "aggregate"}],
    }
    g = goal(build(fw, data, Spec.from_dict(spec)), "B", target_rank=1)
    assert "x3" not in plan_of(g) and any("x3" in n for n in g.notes)
    assert g.reached


def test_plan_json_reads_back(goal_toy: Callable[..., Results], tmp_path: Path) -> None:
    import json

    from creativecity.index.goal import GoalResult

    g = goal(goal_toy(), "B", target_rank=1, cost={"x1": 4})
    g.write(tmp_path / "o", chart=False)
    d = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    back = GoalResult.from_dict(d)
    assert back.plan_frame().equals(g.plan_frame()) or back.plan_frame().round(9).equals(
        g.plan_frame().round(9)
    )
    assert (back.start_rank, back.reached_rank, back.exact, back.norm) == (2, 1, True, g.norm)
    del d["start"]["rank"]
    with pytest.raises(InputError) as e:
        GoalResult.from_dict(d, source="p.json")
    assert (e.value.file, e.value.column) == ("p.json", "start.rank")
    with pytest.raises(InputError):
        GoalResult.from_dict([1, 2], source="p.json")


@pytest.mark.parametrize("method", ["auto", "linear", "separable"])
def test_goalposts_bend_is_found_but_not_claimed_exact(goal_toy: Callable[..., Results], method: str) -> None:
    # Goalposts lo 0, hi 8, scale 100 on both columns: n = 100 x / 8 clipped to [0, 100].
    # A: (0, 100) -> 25; B: (50, 25) -> 0.75 * 50 + 0.25 * 25 = 43.75; C: (100, 0) -> 75.
    # B needs +31.25. x1 gains 0.75 * 100 / 8 = 9.375 points per raw unit up to x1 = 8 (then flat),
    # x2 only 0.25 * 100 / 8 = 3.125: x1 alone, 31.25 / 9.375 = 3.3333 raw units: x1 -> 22 / 3.
    spec = {
        "version": 1,
        "steps": [
            {"step": "normalise", "method": "goalposts", "lo": 0, "hi": 8, "scale": 100},
            {"step": "aggregate"},
        ],
    }
    res = goal_toy(spec=spec)
    assert res.scores["Index"].tolist() == pytest.approx([25, 43.75, 75])
    g = goal(res, "B", target_rank=1, method=method)
    assert plan_of(g) == {"x1": (4.0, pytest.approx(22 / 3, abs=1e-6))}
    assert g.reached and not g.exact  # the clip at 8 lies inside the room (to 10): not certified
    assert rank_after(res, g) == 1 and rank_after(res, g, 0.9) == 2


def test_level_ranks_another_code(goal_toy: Callable[..., Results]) -> None:
    # On x1 alone (level x1: the normalised indicator) B has 40 and C 100, the column maximum:
    # B ties C only at x1 = 10, the top of the observed range; nobody else moves: exact, z = 0.6.
    g = goal(goal_toy(), "B", target_rank=1, level="x1")
    assert g.level == "x1" and g.start_rank == 2 and g.reached_rank == 1 and g.exact
    assert plan_of(g) == {"x1": (4.0, pytest.approx(10.0, abs=1e-6))}
    assert g.norm == pytest.approx(0.6, abs=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_exact_plan_matches_a_fractional_knapsack(seed: int) -> None:
    """Independent oracle for the exact case: with min-max [0, 100] and arithmetic means, while the
    unit stays inside the other units' range, its index score gains a_j = 100 * w_j per spread unit
    of indicator j (w_j its effective weight) and nobody else moves. The least cost reaching a score
    gap G is then a fractional knapsack: fill indicators by a_j / cost_j, best first."""
    rng = np.random.default_rng(seed)
    n, k = 9, 4
    meta = pd.DataFrame(
        {
            "Level": [1] * k + [2, 2, 3],
            "iCode": [f"i{j}" for j in range(k)] + ["P1", "P2", "Index"],
            "Direction": [1, -1, 1, -1, 1, 1, 1],
            "Weight": [*rng.integers(1, 5, k).tolist(), 1, 2, 1],
            "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", None],
            "Type": ["Indicator"] * k + ["Aggregate"] * 3,
        }
    )
    fw = Framework.read(meta, name="iMeta")
    x = rng.uniform(0, 10, (n, k))
    x[0] = 5.0  # the unit, strictly inside every column's range of the others
    x[1], x[2] = 0.0, 10.0  # two units holding the extremes
    units = [f"U{u}" for u in range(n)]
    data = UnitData.read(pd.DataFrame({"uCode": units, **{f"i{j}": x[:, j] for j in range(k)}}), fw)
    spec = {"version": 1, "steps": [{"step": "normalise", "method": "minmax"}, {"step": "aggregate"}]}
    res = build(fw, data, Spec.from_dict(spec))
    cost = {f"i{j}": float(c) for j, c in enumerate(rng.uniform(0.5, 3, k))}
    scores = res.scores["Index"]
    others = scores.drop("U0").sort_values(ascending=False)
    start_rank = int(res.ranks.loc["U0", "Index"])
    target = max(1, start_rank - 3)
    gap = others.iloc[target - 1] - scores["U0"]
    # the oracle: effective weights, rooms (to 10 for Direction 1, to 0 for -1: 0.5 spread units)
    w = fw.effective_weights()
    gain = {f"i{j}": 100 * float(w[f"i{j}"]) for j in range(k)}
    norm, left = 0.0, gap
    assert gap > 0  # U0 (all 5s) is not already there: the test would check nothing
    for code in sorted(gain, key=lambda c: -gain[c] / cost[c]):
        z = min(0.5, left / gain[code])
        norm, left = norm + cost[code] * z, left - gain[code] * z
        if left <= 0:
            break
    g = goal(res, "U0", target_rank=target, cost=cost)
    if left > 1e-9:  # the oracle says unreachable
        assert not g.reachable
        return
    assert g.reached and g.exact
    assert g.norm == pytest.approx(norm, rel=1e-6, abs=1e-9)


def test_progress_callback_counts_every_rebuild(goal_toy: Callable[..., Results]) -> None:
    calls: list[tuple[int, int]] = []
    g = goal(goal_toy(), "B", target_rank=1, method="greedy", progress=lambda d, t: calls.append((d, t)))
    assert [d for d, _ in calls] == list(range(1, g.rebuilds + 1))
    assert all(d <= t for d, t in calls)
