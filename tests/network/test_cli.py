"""Tests for ``creativecity network ...`` (the command-line contract of CONTRACTS.md §3)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creativecity.cli.network import app
from creativecity.network.registry import bundled_dir, user_registry_path

runner = CliRunner()

ASEAN = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"}


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize(
    ("year", "cities", "countries"),
    [
        (2013, 41, 22),
        (2014, 69, 32),
        (2015, 116, 54),
        (2017, 180, 72),
        (2019, 246, 84),  # Serbia (Vranje) joined in 2019, not 2021
        (2021, 295, 92),
        (2023, 350, 105),
    ],
)
def test_summary_json(year: int, cities: int, countries: int) -> None:
    code, out, _ = run("summary", "--as-of", str(year), "--json")
    assert code == 0
    d = json.loads(out)
    assert (d["as_of"], d["cities"], d["countries"], d["complete"]) == (year, cities, countries, True)
    assert isinstance(d["note"], str) and isinstance(d["by_field"], dict)


def test_summary_2025_json() -> None:
    code, out, _ = run("summary", "--as-of", "2025", "--json")
    d = json.loads(out)
    assert code == 0
    assert d["complete"] is False and d["cities"] == 396 and d["founded"] == 2004
    assert "46 of UNESCO's 58" in d["note"]
    assert d["official"]["network_total"] == 408 and d["cities"] != 408


def test_summary_text() -> None:
    code, out, _ = run("summary", "--as-of", "2017")
    assert code == 0
    assert "180 cities in 72 countries" in out


def test_members_viet_nam() -> None:
    code, out, _ = run("members", "--country", "VNM", "--json")
    assert code == 0
    got = {(m["city"], m["field"], m["year"]) for m in json.loads(out)["members"]}
    assert ("Hanoi", "Design", 2019) in got
    assert {c for c, _, _ in got} == {"Hanoi", "Hoi An", "Da Lat", "Ho Chi Minh City"}
    code, text, _ = run("members", "--country", "Viet Nam")
    assert code == 0 and "Hoi An" in text and "Design" in text


def test_members_asean_csv() -> None:
    code, out, _ = run("members", "--subregion", "ASEAN", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    bundled = list(csv.DictReader((bundled_dir() / "members.csv").open(encoding="utf-8")))
    expected = {(r["city"], r["iso3"]) for r in bundled if r["iso3"] in ASEAN}
    assert {(r["city"], r["iso3"]) for r in rows} == expected


def test_members_csv_with_no_rows_still_has_its_header() -> None:
    # before the founding year (2004) nobody is a member: a script still gets the columns
    code, out, _ = run("members", "--as-of", "2003", "--csv")
    assert code == 0
    assert out.splitlines() == [
        "city,country,iso3,field,year,certainty,source,region,subregions,lat,lon,population,geo_match,geonameid,"
        "source_unesco"
    ]
    _, full, _ = run("members", "--country", "VNM", "--csv")
    assert full.splitlines()[0] == out.splitlines()[0]  # same columns as a non-empty list


def test_members_filters_combine() -> None:
    code, out, _ = run(
        "members", "--as-of", "2019", "--field", "DESIGN", "--region", "Asia and the Pacific", "--json"
    )
    d = json.loads(out)
    assert code == 0 and d["as_of"] == 2019
    assert all(m["field"] == "Design" and m["year"] <= 2019 for m in d["members"])
    assert "Hanoi" in {m["city"] for m in d["members"]}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("members", "--field", "Dance"), "valid fields"),
        (("members", "--country", "Atlantis"), "unknown country"),
        (("members", "--region", "asean"), "use --subregion ASEAN"),
        (("members", "--json", "--csv"), "one of --json and --csv"),
        (("peers", "Granada"), "several member cities"),
        (("peers", "Nowhere"), "--country and --field"),
        (("chart", "--out", "x.pdf"), ".png or .svg"),
        (("peers", "Atlantis", "--country", "VNM", "--field", "Design", "--population", "-5"), "positive"),
        (("peers", "Hanoi", "--population", "0"), "positive"),
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...], needle: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert needle in " ".join(err.split())


def test_peers_hanoi() -> None:
    code, out, _ = run("peers", "Hanoi", "--json")
    assert code == 0
    d = json.loads(out)
    top = d["peers"][:6]
    assert {"Bangkok", "Cebu City", "Singapore", "Bandung"} <= {p["city"] for p in top}
    assert all(p["field"] == "Design" and p["region"] == "Asia and the Pacific" for p in top)
    assert all(p["reasons"] for p in d["peers"])
    code, text, _ = run("peers", "Hanoi", "--n", "3")
    assert code == 0 and "Bangkok" in text and "same field" in text


def test_growth_and_table() -> None:
    code, out, _ = run("growth", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [int(r["total_cities"]) for r in rows if r["year"] in ("2013", "2017")] == [41, 180]
    code, out, _ = run("growth", "--json")
    assert code == 0 and json.loads(out)["rounds"][0]["year"] == 2004
    code, out, _ = run("table", "--json")
    assert code == 0 and {"field": "Architecture", "region": "Africa"} in json.loads(out)["gaps"]


def test_import_dry_run_then_yes_then_reset(tmp_path: Path) -> None:
    lines = (bundled_dir() / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    new = tmp_path / "new.csv"
    new.write_text("".join(line for line in lines if not line.startswith("Edinburgh,")), encoding="utf-8")
    code, out, _ = run("import", str(new))
    assert code == 0 and "1 removed" in out and "nothing changed" in out
    assert not user_registry_path().exists()
    code, out, _ = run("import", str(new), "--yes", "--dry-run")
    assert code == 0 and not user_registry_path().exists()
    code, out, _ = run("import", str(new), "--yes")
    assert code == 0 and user_registry_path().exists()
    code, out, _ = run("summary", "--as-of", "2013", "--json")
    assert json.loads(out)["cities"] == 40  # 41 without Edinburgh
    code, out, _ = run("import", "--reset")
    assert code == 0 and not user_registry_path().exists()


def test_import_bad_file_exits_2_and_names_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    header = "city,country,iso3,creative_field,year_designated,certainty,source\n"
    bad.write_text(header + "A,Viet Nam,VNM,Design,1990,verified,s\n", encoding="utf-8")
    code, _, err = run("import", str(bad), "--yes")
    assert code == 2
    flat = " ".join(err.split())
    assert "row 2" in flat and "column year_designated" in flat and "bad.csv" in flat
    assert not user_registry_path().exists()


def test_chart_and_map_files(tmp_path: Path) -> None:
    png, svg = tmp_path / "growth.png", tmp_path / "map.svg"
    assert run("chart", "--out", str(png))[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("map", "--out", str(svg))[0] == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["growth.png", "map.svg"]  # no temp files left


def test_places() -> None:
    code, out, _ = run("places", "--json")
    d = json.loads(out)
    assert code == 0
    assert sum(d["methods"].values()) == 396
    assert d["unmatched"] == []
