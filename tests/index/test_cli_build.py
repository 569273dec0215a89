"""``creativecity index build``: outputs, JSON summary, and every bad input -> exit 2, nothing written."""

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
SIMPLE = asem_path("asem_simple.yaml")


def run(meta: Path, data: Path, spec: Path, out: Path, *extra: str) -> object:
    return runner.invoke(
        app,
        [
            "index",
            "build",
            "--meta",
            str(meta),
            "--data",
            str(data),
            "--spec",
            str(spec),
            "--out",
            str(out),
            *extra,
        ],
    )


def test_build_writes_contract_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run(META, DATA, FULL, out)
    assert r.exit_code == 0, r.output
    assert "Top 10 on Index" in r.output and str(out) in r.output.replace("\n", "")
    for f in [
        "scores.csv",
        "ranks.csv",
        "results.json",
        "datasets/Raw.csv",
        "datasets/Treated.csv",
        "datasets/Aggregated.csv",
    ]:
        assert (out / f).is_file(), f
    header = (out / "scores.csv").read_text().splitlines()[0].split(",")
    meta = pd.read_csv(META)
    assert header == ["uCode", *meta.loc[meta["Type"].isin(["Indicator", "Aggregate"]), "iCode"]]


def test_json_summary(tmp_path: Path) -> None:
    r = run(META, DATA, SIMPLE, tmp_path / "o", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.output)
    assert info["units"] == 51 and info["top_code"] == "Index" and len(info["top"]) == 10
    assert info["top"][0]["rank"] == 1
    assert sorted(info["datasets"]) == ["Aggregated", "Imputed", "Normalised", "Raw"]


# --------------------------------------------------------------------------- bad inputs


def _copy(tmp_path: Path, src: Path, name: str, edit: object = None) -> Path:
    text = src.read_text()
    if callable(edit):
        text = edit(text)
    p = tmp_path / name
    p.write_text(text)
    return p


def _fails(tmp_path: Path, meta: Path, data: Path, spec: Path, *words: str) -> str:
    out = tmp_path / "out"
    r = run(meta, data, spec, out)
    assert r.exit_code == 2, r.output
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))  # no staging left behind
    msg = r.output.replace("\n", " ")
    for w in words:
        assert w in msg, (w, msg)
    return msg


def test_existing_out_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "scores.csv").write_text("old")
    bad = _copy(tmp_path, DATA, "d.csv", lambda t: t.replace(",29.01725,", ",n/a,", 1))
    r = run(META, bad, FULL, out)
    assert r.exit_code == 2
    assert (out / "scores.csv").read_text() == "old" and sorted(p.name for p in out.iterdir()) == [
        "scores.csv"
    ]


def test_duplicate_ucode(tmp_path: Path) -> None:
    data = _copy(tmp_path, DATA, "d.csv", lambda t: t.replace('"Belgium","BEL"', '"Belgium","AUT"'))
    _fails(tmp_path, META, data, FULL, "d.csv", "row 3", "column uCode", "unique uCode")


def test_unknown_parent(tmp_path: Path) -> None:
    def edit(t: str) -> str:  # row 4 (Ship) names a parent that does not exist
        lines = t.splitlines()
        lines[3] = lines[3].replace('"Physical"', '"Physicl"')
        return "\n".join(lines) + "\n"

    meta = _copy(tmp_path, META, "m.csv", edit)
    _fails(tmp_path, meta, DATA, FULL, "m.csv", "row 4", "column Parent", "known Parent")


def test_gap_in_levels(tmp_path: Path) -> None:
    def edit(t: str) -> str:
        return (
            t.replace('3,"Conn"', '4,"Conn"')
            .replace('3,"Sust"', '4,"Sust"')
            .replace('4,"Index"', '5,"Index"')
        )

    meta = _copy(tmp_path, META, "m.csv", edit)
    _fails(tmp_path, meta, DATA, FULL, "m.csv", "column Level", "contiguous levels")


def test_text_na_in_cell(tmp_path: Path) -> None:
    data = _copy(tmp_path, DATA, "d.csv", lambda t: t.replace(",29.01725,", ",n/a,", 1))
    _fails(tmp_path, META, data, FULL, "d.csv", "row 2", "column Flights", "n/a", "numeric indicator value")


def test_missing_required_column(tmp_path: Path) -> None:
    df = pd.read_csv(DATA).drop(columns=["CO2"])
    data = tmp_path / "d.csv"
    df.to_csv(data, index=False)
    _fails(tmp_path, META, data, FULL, "d.csv", "column CO2", "required column")


def test_unknown_method(tmp_path: Path) -> None:
    spec = _copy(tmp_path, SIMPLE, "s.yaml", lambda t: t.replace("method: minmax", "method: minimax"))
    _fails(tmp_path, META, DATA, spec, "s.yaml", "steps[1].method", "known method")


def test_unknown_parameter(tmp_path: Path) -> None:
    spec = _copy(tmp_path, FULL, "s.yaml", lambda t: t.replace("winmax: 5", "winmax: 5\n    wimnax: 3"))
    _fails(tmp_path, META, DATA, spec, "s.yaml", "steps[3].wimnax", "known parameter")


def test_non_positive_value_under_geometric(tmp_path: Path) -> None:
    spec = _copy(tmp_path, SIMPLE, "s.yaml", lambda t: t.replace("method: arithmetic", "method: geometric"))
    msg = _fails(tmp_path, META, DATA, spec, "positive values", "[1, 100]")
    assert "unit '" in msg


def test_zero_denominator(tmp_path: Path) -> None:
    # Austria's population set to 0
    data = _copy(tmp_path, DATA, "d.csv", lambda t: t.replace(",8735.453,", ",0,", 1))
    _fails(tmp_path, META, data, FULL, "d.csv", "row 2", "AUT", "column Population", "non-zero denominator")


@pytest.mark.parametrize("which", ["meta", "data"])
def test_empty_file(tmp_path: Path, which: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    meta, data = (empty, DATA) if which == "meta" else (META, empty)
    _fails(tmp_path, meta, data, FULL, "empty.csv", "non-empty file")


def test_file_that_is_not_csv(tmp_path: Path) -> None:
    blob = tmp_path / "photo.csv"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01")
    _fails(tmp_path, blob, DATA, FULL, "photo.csv", "CSV file")


def test_out_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    r = run(META, DATA, SIMPLE, out)
    assert r.exit_code == 2 and "output is a folder" in r.output
    assert out.read_text() == "not a folder"


def test_help() -> None:
    r = runner.invoke(app, ["index", "build", "--help"])
    assert r.exit_code == 0 and "--spec" in r.output
