"""Per-capita peer context."""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.peers import compare_with_peers, read_peers
from creativecity.monitoring.repository import bundled_workspace


def test_hanoi_per_100k() -> None:
    report = compare_with_peers(bundled_workspace("hanoi"), as_of=2026)
    assert (report.population, report.population_year) == (8053663, 2019)
    by = {c.indicator: c for c in report.comparisons}
    # 83 libraries / 8,053,663 persons * 100,000 = 1.03059
    assert by["libraries"].city_per_100k == pytest.approx(1.030587, abs=1e-6)
    # 42 museums -> 0.52150
    assert by["museums"].city_per_100k == pytest.approx(0.521502, abs=1e-6)
    assert "2021" in by["libraries"].note and "2019" in by["libraries"].note
    edinburgh = [p for p in by["libraries"].peers if p.city == "Edinburgh"]
    assert edinburgh[0].per_100k == 60.5
    # Seoul's museums: 201 / 9,814,049 * 100,000 = 2.04808 (population from the peer table)
    seoul = [p for p in by["museums"].peers if p.city == "Seoul"]
    assert seoul[0].per_100k == pytest.approx(2.048084, abs=1e-6)
    paris = [p for p in by["museums"].peers if p.city == "Paris"]
    assert paris[0].per_100k is None  # no population for Paris in the table
    assert report.caveats and "not a ranking" in report.caveats[0]


def test_without_population_says_so() -> None:
    ws = bundled_workspace("hanoi")
    ws.observations = [o for o in ws.observations if o.indicator != "population"]
    report = compare_with_peers(ws)
    assert report.population is None
    by = {c.indicator: c for c in report.comparisons}
    assert by["libraries"].city_per_100k is None
    assert "no population" in by["libraries"].note


def test_user_peer_file_checked(tmp_path: Path) -> None:
    p = tmp_path / "peers.csv"
    p.write_text(
        "city,country,indicator,value,unit,reference_year,source\n"
        "Hue,Viet Nam,museums,x,count,2020,https://a\n"
        "Hue,Viet Nam,theatres,3,count,2020,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as err:
        read_peers(p)
    assert [(e.row, e.column, e.rule) for e in err.value.errors] == [
        (2, "value", "number"),
        (3, "source", "missing source"),
    ]


def test_user_peer_file_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    # "Huế" saved in Windows-1258 by a spreadsheet: the file's encoding is the user's to fix (exit 2)
    p = tmp_path / "peers.csv"
    p.write_bytes("city,country\nHu\xea,Viet Nam\n".encode("cp1258"))
    with pytest.raises(InputError) as err:
        read_peers(p)
    assert (err.value.file, err.value.rule) == (str(p), "encoding")
