"""``creativecity index goal``: the ASEM acceptance case through the real ``index build``, bad inputs.

Acceptance (issue #14): Viet Nam to rank 20 of the ASEM index (asem_full.yaml). The plan is applied
to a copy of iData.csv and the real ``index build`` command decides the rank; the plan scaled back by
10 % towards the start must not reach it; every ``to`` stays within the range observed across units.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.index.examples import asem_path

runner = CliRunner()
META = asem_path("iMeta.csv")
DATA = asem_path("iData.csv")
FULL = asem_path("asem_full.yaml")


def goal_cmd(out: Path, *extra: str, unit: str = "VNM", data: Path = DATA) -> object:
    args = ["index", "goal", "--meta", str(META), "--data", str(data), "--spec", str(FULL)]
    return runner.invoke(app, [*args, "--unit", unit, "--out", str(out), *extra])


def build_rank(data: Path, out: Path, unit: str = "VNM") -> int:
    r = runner.invoke(
        app,
        ["index", "build", "--meta", str(META), "--data", str(data), "--spec", str(FULL), "--out", str(out)],
    )
    assert r.exit_code == 0, r.output
    ranks = pd.read_csv(out / "ranks.csv", index_col="uCode")
    return int(ranks.loc[unit, "Index"])


def applied(plan: pd.DataFrame, path: Path, scale: float = 1.0) -> Path:
    """iData.csv with VNM's values set to from + scale * (to - from), every other cell as read."""
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    row = raw.index[raw["uCode"] == "VNM"][0]
    for r in plan.to_dict(orient="records"):
        raw.loc[row, r["iCode"]] = repr(r["from"] + scale * (r["to"] - r["from"]))
    raw.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def vnm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("goal") / "vnm"
    assumptions = asem_path("asem_uncertainty.yaml")
    r = goal_cmd(out, "--target-rank", "20", "--json", "--assumptions", str(assumptions), "--n", "50")
    assert r.exit_code == 0, r.output
    return out


def test_asem_vnm_rank_20_acceptance(vnm: Path, tmp_path: Path) -> None:
    plan = pd.read_csv(vnm / "plan.csv")
    assert list(plan.columns) == ["iCode", "from", "to", "change", "change_in_spread_units", "name"]
    assert len(plan) > 0
    assert build_rank(DATA, tmp_path / "start") > 20
    assert build_rank(applied(plan, tmp_path / "plan.csv"), tmp_path / "after") <= 20
    assert build_rank(applied(plan, tmp_path / "plan90.csv", 0.9), tmp_path / "after90") > 20
    observed = pd.read_csv(DATA)
    for r in plan.to_dict(orient="records"):
        col = observed[r["iCode"]]
        assert col.min() <= r["to"] <= col.max(), r["iCode"]
        assert r["change"] == pytest.approx(r["to"] - r["from"])
        assert r["change_in_spread_units"] == pytest.approx(r["change"] / (col.max() - col.min()))


def test_asem_direction_minus_one_indicators_go_down(vnm: Path) -> None:
    plan = pd.read_csv(vnm / "plan.csv").set_index("iCode")
    meta = pd.read_csv(META).set_index("iCode")
    for code, r in plan.iterrows():
        assert (r["change"] > 0) == (meta.loc[code, "Direction"] > 0), code


def test_plan_json_and_chart(vnm: Path) -> None:
    d = json.loads((vnm / "plan.json").read_text(encoding="utf-8"))
    assert d["target"] == {"kind": "rank", "value": 20, "level": "Index"}
    assert d["start"]["rank"] > 20 and d["reached"]["rank"] <= 20 and d["reached"]["target_met"]
    assert d["start"]["score"] < d["reached"]["score"]
    assert d["norm"]["value"] == pytest.approx(
        sum(abs(r["change_in_spread_units"]) for r in d["plan"]), rel=1e-9
    )
    assert d["solver"] and d["iterations"] >= 1
    odds = d["odds"]
    assert odds["n"] == 50 and odds["rank_needed"] == 20
    assert 0.0 <= odds["probability_before"] <= 1.0 and 0.0 <= odds["probability"] <= 1.0
    # 50 replications: every probability is a whole number of fiftieths
    assert abs(odds["probability"] * 50 - round(odds["probability"] * 50)) < 1e-9
    iv = odds["rank_interval"]
    assert 1 <= iv["q05"] <= iv["median"] <= iv["q95"] <= 51
    assert (vnm / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fixed_and_only(tmp_path: Path, vnm: Path) -> None:
    first = pd.read_csv(vnm / "plan.csv")["iCode"].tolist()
    r = goal_cmd(tmp_path / "o", "--target-rank", "30", "--fixed", first[0], "--only", ",".join(first))
    assert r.exit_code == 0, r.output
    codes = pd.read_csv(tmp_path / "o" / "plan.csv")["iCode"].tolist()
    assert first[0] not in codes and set(codes) <= set(first[1:])


def test_unreachable_says_so(tmp_path: Path) -> None:
    r = goal_cmd(tmp_path / "o", "--target-rank", "1", "--only", "CO2", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["reachable"] is False and d["reached"]["target_met"] is False
    assert d["best_reachable"]["rank"] > 1
    assert any("cannot be reached" in n for n in d["notes"])


def test_cost_and_bounds_files(tmp_path: Path, vnm: Path) -> None:
    plan = pd.read_csv(vnm / "plan.csv")
    top = plan["iCode"].iloc[0]
    cost = tmp_path / "cost.csv"
    cost.write_text(f"iCode,cost\n{top},1000\n", encoding="utf-8")
    bounds = tmp_path / "bounds.csv"
    lim = float(plan["from"].iloc[0] + 0.5 * plan["change"].iloc[0])
    bounds.write_text(
        f"iCode,min,max\n{top},,{lim!r}\n"
        if plan["change"].iloc[0] > 0
        else f"iCode,min,max\n{top},{lim!r},\n"
    )
    r = goal_cmd(tmp_path / "c", "--target-rank", "20", "--cost", str(cost))
    assert r.exit_code == 0, r.output
    costly = pd.read_csv(tmp_path / "c" / "plan.csv").set_index("iCode")
    assert top not in costly.index or abs(costly.loc[top, "change"]) < abs(plan["change"].iloc[0])
    r = goal_cmd(tmp_path / "b", "--target-rank", "20", "--bounds", str(bounds))
    assert r.exit_code == 0, r.output
    bounded = pd.read_csv(tmp_path / "b" / "plan.csv").set_index("iCode")
    if top in bounded.index:
        assert abs(bounded.loc[top, "to"] - plan["from"].iloc[0]) <= abs(lim - plan["from"].iloc[0]) + 1e-9


@pytest.mark.parametrize(
    ("extra", "unit", "needle"),
    [
        (["--target-rank", "20"], "XXX", "unknown unit"),
        (["--target-rank", "20", "--target-score", "50"], "VNM", "exactly one"),
        ([], "VNM", "exactly one"),
        (["--target-rank", "0"], "VNM", "target rank"),
        (["--target-rank", "20", "--fixed", "Nope"], "VNM", "unknown indicator 'Nope'"),
        (["--target-rank", "20", "--only", ","], "VNM", "--only"),
        (["--target-rank", "20", "--n", "5"], "VNM", "--assumptions"),
        (["--target-rank", "20", "--level", "Nope"], "VNM", "unknown code"),
    ],
)
def test_bad_input_exit_2_nothing_written(tmp_path: Path, extra: list[str], unit: str, needle: str) -> None:
    out = tmp_path / "o"
    r = goal_cmd(out, *extra, unit=unit)
    assert r.exit_code == 2, r.output
    assert needle in r.output
    assert not out.exists()


def test_bad_cost_file_names_row_and_column(tmp_path: Path) -> None:
    cost = tmp_path / "cost.csv"
    cost.write_text("iCode,cost\nCO2,1\nFDI,lots\n", encoding="utf-8")
    out = tmp_path / "o"
    r = goal_cmd(out, "--target-rank", "20", "--cost", str(cost))
    assert r.exit_code == 2
    assert str(cost) in r.output and "row 3" in r.output and "column cost" in r.output
    assert not out.exists()


def test_out_checked_before_any_work(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    r = goal_cmd(f, "--target-rank", "20", "--cost", str(tmp_path / "missing.csv"))
    assert r.exit_code == 2 and "--out" in r.output


def test_bad_data_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "iData.csv"
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    raw.loc[0, "CO2"] = "n/a"
    raw.to_csv(bad, index=False)
    r = goal_cmd(tmp_path / "o", "--target-rank", "20", data=bad)
    assert r.exit_code == 2 and "row 2" in r.output and "column CO2" in r.output
    assert not (tmp_path / "o").exists()


def test_help_lists_the_options() -> None:
    r = runner.invoke(app, ["index", "goal", "--help"])
    assert r.exit_code == 0
    for opt in (
        "--target-rank",
        "--target-score",
        "--fixed",
        "--only",
        "--cost",
        "--bounds",
        "--assumptions",
    ):
        assert opt in r.output


def test_toy_files_exact_plan_and_quiet(tmp_path: Path) -> None:
    # the toy of test_goal.py as files: B (x1 4, x2 2) reaches rank 1 with x1 -> 4 + 10 * 40 / 75
    (tmp_path / "m.csv").write_text(
        "Level,iCode,Direction,Weight,Parent,Type\n1,x1,1,3,Index,Indicator\n1,x2,1,1,Index,Indicator\n"
        "2,Index,1,1,,Aggregate\n",
        encoding="utf-8",
    )
    (tmp_path / "d.csv").write_text("uCode,x1,x2\nA,0,10\nB,4,2\nC,10,0\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("version: 1\nsteps:\n  - step: normalise\n  - step: aggregate\n")
    args = ["index", "goal", "--meta", str(tmp_path / "m.csv"), "--data", str(tmp_path / "d.csv")]
    args += ["--spec", str(tmp_path / "s.yaml"), "--unit", "B", "--target-rank", "1"]
    r = runner.invoke(app, [*args, "--out", str(tmp_path / "o"), "--quiet"])
    assert r.exit_code == 0 and r.output == ""
    plan = pd.read_csv(tmp_path / "o" / "plan.csv")
    assert plan["iCode"].tolist() == ["x1"]
    assert plan["to"].iloc[0] == pytest.approx(4 + 10 * 40 / 75, abs=1e-6)
    r = runner.invoke(app, [*args, "--out", str(tmp_path / "o2")])
    assert r.exit_code == 0 and "exact" in r.output and "Rank 2 -> 1 of 3" in r.output
