"""``creativecity index uncertainty`` / ``index sensitivity`` end to end (CONTRACTS.md §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.index.examples import asem_assumptions_path, asem_path

runner = CliRunner()


def _err(res) -> str:  # type: ignore[no-untyped-def]
    """stderr with rich's line wrapping undone."""
    return " ".join(res.stderr.split())


def _args(command: str, out: Path, assumptions: Path | None = None, n: int = 64) -> list[str]:
    return [
        "index",
        command,
        "--meta",
        str(asem_path("iMeta.csv")),
        "--data",
        str(asem_path("iData.csv")),
        "--spec",
        str(asem_path("asem_full.yaml")),
        "--assumptions",
        str(assumptions or asem_assumptions_path()),
        "--n",
        str(n),
        "--seed",
        "1",
        "--out",
        str(out),
    ]


def test_uncertainty_writes_rank_stats_and_plots(tmp_path: Path) -> None:
    out = tmp_path / "ua"
    res = runner.invoke(app, [*_args("uncertainty", out), "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["n"] == 64 and payload["target"] == "Index"
    df = pd.read_csv(out / "rank_stats.csv")
    assert list(df.columns[:6]) == ["uCode", "nominal", "mean", "median", "q05", "q95"]
    assert len(df) == 51
    for name in ("rank_intervals.png", "rank_intervals.svg", "rank_comparison.csv"):
        assert (out / name).stat().st_size > 0
    assert (out / "rank_intervals.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (out / "rank_intervals.svg").read_text()[:2000]
    ranks = pd.read_csv(out / "rank_stats.csv").set_index("uCode")
    assert ranks.loc["CHE", "nominal"] == 1  # Switzerland leads the nominal ASEM index


def test_sensitivity_writes_both_tables_text_output(tmp_path: Path) -> None:
    out = tmp_path / "sa"
    res = runner.invoke(app, [*_args("sensitivity", out, n=32), "--no-plots", "--bootstrap", "50"])
    assert res.exit_code == 0, res.output
    assert "winsorisation" in res.stdout
    sens = pd.read_csv(out / "sensitivity.csv")
    assert list(sens.columns) == ["assumption", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    assert sens["assumption"].tolist() == ["winsorisation", "normalisation", "weights", "aggregation"]
    assert (out / "rank_stats.csv").exists()
    assert not (out / "sensitivity.png").exists()


@pytest.mark.parametrize(
    ("assumption", "words"),
    [
        ({"name": "bad step", "at": "smooth.k", "values": [1]}, "unknown step 'smooth'"),
        ({"name": "bad param", "at": "treat.winmix", "values": [1]}, "no parameter 'winmix'"),
        ({"name": "empty", "at": "treat.winmax", "values": []}, "values is empty"),
        ({"name": "upside down", "at": "treat.skew_max", "range": [3, 1]}, "low 3 is above high 1"),
        ({"name": "no level", "at": "aggregate.weights", "noise": {"levels": [9], "factor": 0.1}}, "level 9"),
    ],
)
def test_bad_assumptions_exit_2_naming_the_assumption(tmp_path: Path, assumption: dict, words: str) -> None:
    good = {"name": "fine", "at": "aggregate.method", "values": ["arithmetic"]}
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "target": "Index", "assumptions": [good, assumption]}))
    out = tmp_path / "out"
    res = runner.invoke(app, _args("uncertainty", out, path))
    assert res.exit_code == 2
    assert f"assumption 2 ({assumption['name']!r})" in _err(res)
    assert words in _err(res)
    assert str(path) in res.stderr.replace("\n", "")
    assert not out.exists()  # nothing written


def test_failure_mid_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "rank_stats.csv").write_text("old\n")
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "target": "Index",
                "assumptions": [{"name": "geo", "at": "aggregate.method", "values": ["geometric"]}],
            }
        )
    )
    res = runner.invoke(app, _args("uncertainty", out, path, n=4))
    assert res.exit_code == 2
    assert "geometric mean" in _err(res)
    assert (out / "rank_stats.csv").read_text() == "old\n"
    assert sorted(p.name for p in out.iterdir()) == ["rank_stats.csv"]


def test_bad_n_and_both_distribution_options(tmp_path: Path) -> None:
    res = runner.invoke(app, _args("uncertainty", tmp_path / "o", n=0))
    assert res.exit_code == 2 and "--n" in _err(res)
    res = runner.invoke(
        app, [*_args("uncertainty", tmp_path / "o"), "--workers", "2", "--scheduler", "tcp://x:1"]
    )
    assert res.exit_code == 2 and "not both" in _err(res)


def test_target_option_studies_another_code(tmp_path: Path) -> None:
    from creativecity.index import build
    from creativecity.index.examples import asem, asem_spec

    out = tmp_path / "conn"
    res = runner.invoke(app, [*_args("uncertainty", out, n=16), "--target", "Conn", "--no-plots", "--quiet"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out / "rank_stats.csv").set_index("uCode")
    fw, data = asem()
    expected = build(fw, data, asem_spec("full")).ranks["Conn"]
    assert (df["nominal"] == expected.reindex(df.index).astype(int)).all()
    res = runner.invoke(app, [*_args("uncertainty", tmp_path / "x", n=16), "--target", "Nope"])
    assert res.exit_code == 2 and "'Nope' is not a code of the framework" in _err(res)
