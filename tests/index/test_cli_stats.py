"""``creativecity index stats``: output on ASEM, CSV files, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.index.examples import asem_path

runner = CliRunner()
ASEM = ["--meta", str(asem_path("iMeta.csv")), "--data", str(asem_path("iData.csv")),
        "--spec", str(asem_path("asem_full.yaml"))]  # fmt: skip


def run(*args: str) -> object:
    return runner.invoke(app, ["index", "stats", *args])


def squeeze(text: str) -> str:
    """The text without any whitespace: rich wraps stderr at 80 columns (even inside long temporary
    paths), so messages are compared with all whitespace removed."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def asem_json() -> dict:
    res = run(*ASEM, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_report_on_asem(asem_json: dict) -> None:
    d = asem_json
    assert d["dataset"] == "Denominated"  # the full spec denominates
    stats = {r["code"]: r for r in d["stats"]}
    assert len(stats) == 49
    # ForPort: 48 of 51 units have a value
    assert stats["ForPort"]["n"] == 48 and stats["ForPort"]["availability"] == pytest.approx(48 / 51)
    weights = {r["code"]: r for r in d["weights"]}
    assert weights["Goods"]["effective"] == pytest.approx(0.02)  # 1/5 * 1/5 * 1/2
    alpha = {r["code"]: r for r in d["cronbach"]}
    assert set(alpha) == {"Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social",
                          "SusEcFin", "Conn", "Sust", "Index"}  # fmt: skip
    assert {r["method"] for r in d["correlations"]} == {"pearson", "spearman", "kendall"}
    pca = {r["group"]: r for r in d["pca"]}
    assert 0 < pca["Index"]["explained_first"] <= 1
    assert "NaN" not in json.dumps(d)


def test_json_statistics_agree_with_pandas(asem_json: dict) -> None:
    # Independent recomputation from the bundled data: LPI is not denominated, so its Denominated
    # values are the raw column.
    raw = pd.read_csv(asem_path("iData.csv"))
    lpi = raw["LPI"]
    row = next(r for r in asem_json["stats"] if r["code"] == "LPI")
    assert row["mean"] == pytest.approx(lpi.mean())
    assert row["sd"] == pytest.approx(lpi.std(ddof=1))
    assert row["median"] == pytest.approx(lpi.median())
    assert row["skew"] == pytest.approx(lpi.skew())  # pandas' skew is the sample-adjusted G1
    assert row["kurt"] == pytest.approx(lpi.kurt())  # and kurt the sample-adjusted G2


def test_table_output_and_csv_files(tmp_path: Path) -> None:
    out = tmp_path / "stats"
    res = run(*ASEM, "--dataset", "scores", "--level", "2", "--method", "pearson", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "Statistics of data set scores" in res.stdout
    assert "Cronbach" in res.stdout and "PCA" in res.stdout and "Weights" in res.stdout
    assert "size denominator" in res.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {"stats.csv", "correlations.csv", "cronbach.csv", "pca.csv", "pca_loadings.csv",
                     "weights.csv", "denominator_correlations.csv"}  # fmt: skip
    size = pd.read_csv(out / "denominator_correlations.csv")
    assert len(size) == 49 * 4 and "size" in set(size["flag"].dropna())
    stats = pd.read_csv(out / "stats.csv")
    assert list(stats["code"]) == ["Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ",
                                   "Social", "SusEcFin"]  # fmt: skip
    # scores are min-max 0..100 averages: every pillar lies inside [0, 100]
    assert stats["min"].min() >= 0 and stats["max"].max() <= 100
    corr = pd.read_csv(out / "correlations.csv")
    assert set(corr["method"]) == {"pearson"}
    # PCA loadings with the default "unit" scaling have squared loadings summing to 1 per group
    load = pd.read_csv(out / "pca_loadings.csv")
    sums = (load["loading"] ** 2).groupby(load["group"]).sum()
    assert sums.to_numpy() == pytest.approx([1.0] * len(sums))


def _tiny_inputs(tmp_path: Path) -> list[str]:
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "Level,iCode,Direction,Weight,Parent,Type\n1,a,1,1,P,Indicator\n1,b,1,1,P,Indicator\n2,P,1,1,,Aggregate\n"
    )
    data = tmp_path / "data.csv"
    data.write_text("uCode,a,b\nA,1,3\nB,2,1\nC,3,2\nD,4,5\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nsteps:\n  - step: normalise\n  - step: aggregate\n")
    return ["--meta", str(meta), "--data", str(data), "--spec", str(spec)]


def test_tiny_inputs_work(tmp_path: Path) -> None:
    res = run(*_tiny_inputs(tmp_path), "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["dataset"] == "Raw"
    a = next(r for r in d["stats"] if r["code"] == "a")
    assert a["mean"] == pytest.approx(2.5) and a["median"] == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--dataset", "Nope"], "unknown data set"),
        (["--level", "2"], "no code at level 2"),
        (["--level", "7"], "levels are 1..2"),
        (["--method", "cosine"], "unknown correlation method"),
        (["--pca-sign", "up"], "unknown PCA sign"),
        (["--min-availability", "2"], "between 0 and 1"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, extra: list[str], needle: str) -> None:
    out = tmp_path / "out"
    res = run(*_tiny_inputs(tmp_path), *extra, "--out", str(out))
    assert res.exit_code == 2, res.output
    assert squeeze(needle) in squeeze(res.stderr)
    assert not out.exists()


def test_bad_input_file_names_row_and_column(tmp_path: Path) -> None:
    args = _tiny_inputs(tmp_path)
    (tmp_path / "data.csv").write_text("uCode,a,b\nA,1,3\nB,two,1\nC,3,2\n")
    res = run(*args)
    assert res.exit_code == 2
    err = squeeze(res.stderr)
    assert "data.csv" in err and "row3," in err and "columna:" in err


def test_help() -> None:
    res = run("--help")
    assert res.exit_code == 0 and "--dataset" in res.stdout


def test_remove_one_option(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run(*_tiny_inputs(tmp_path), "--remove-one", "1", "--out", str(out), "--json")
    assert res.exit_code == 0, res.output
    # min-max: a = (0, 33.3, 66.7, 100), b = (50, 0, 25, 100); P = (25, 16.7, 45.8, 100) -> ranks 3 4 2 1.
    # Without a, P = b -> ranks (2, 4, 3, 1): |change| 1, 0, 1, 0.
    # Without b, P = a -> ranks (4, 3, 2, 1): |change| 1, 1, 0, 0.
    table = pd.read_csv(out / "remove_one.csv").set_index("code")
    assert table.loc["a", "mean_abs_rank_change"] == pytest.approx(0.5)
    assert table.loc["b", "max_abs_rank_change"] == 1
    assert json.loads(res.stdout)["remove_one"][0]["code"] == "a"
    bad = run(*_tiny_inputs(tmp_path), "--remove-one", "2")
    assert bad.exit_code == 2 and squeeze("below the target's level") in squeeze(bad.stderr)


def test_bad_spec_exits_2(tmp_path: Path) -> None:
    args = _tiny_inputs(tmp_path)
    (tmp_path / "spec.yaml").write_text(
        "version: 1\nsteps:\n  - step: normalise\n    method: minmux\n  - step: aggregate\n"
    )
    res = run(*args)
    assert res.exit_code == 2
    assert "spec.yaml" in squeeze(res.stderr) and "minmux" in squeeze(res.stderr)
