"""Tests for creativecity.network.build_data: region table and the TopoJSON land decoder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from creativecity.network.build_data import REGIONS, build_countries, decode_topojson_land
from creativecity.network.registry import bundled_dir


def test_region_lists_are_disjoint_and_sized() -> None:
    sizes = {r: len(codes.split()) for r, codes in REGIONS.items()}
    all_codes = [c for codes in REGIONS.values() for c in codes.split()]
    assert len(all_codes) == len(set(all_codes))
    assert sizes["Arab States"] == 19  # 18 Member States of group V(b) + Palestine
    assert sizes["Latin America and the Caribbean"] == 33 + 7  # 33 Member States + 7 Associate Members


def test_build_countries_matches_bundled_table() -> None:
    text = build_countries()
    assert text == (bundled_dir() / "countries.csv").read_text(encoding="utf-8")
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["ISR"]["unesco_region"] == "Europe and North America"
    assert rows["ISR"]["status"] == "former member"  # withdrew end 2018; Tel Aviv-Yafo stays grouped
    assert rows["MAC"]["status"] == "associate"
    # 194 Member States: the 193 UN members less Liechtenstein and Israel, plus Cook Islands, Niue, Palestine
    assert sum(1 for r in rows.values() if r["status"] == "member") == 194
    assert rows["GRL"]["unesco_region"] == ""  # a territory, not a UNESCO member


def test_decode_topojson_land(tmp_path: Path) -> None:
    # A unit square split into two arcs, quantised with scale 10 and translate (-5, 0):
    # arc 0: (0,0) (1,0) (1,1) -> absolute (0,0) (1,0) (1,1) -> degrees (-5,0) (5,0) (5,10)
    # arc 1: (1,1) (0,1) (0,0) -> deltas (1,1) (-1,0) (0,-1) -> degrees (5,10) (-5,10) (-5,0)
    topo = {
        "type": "Topology",
        "transform": {"scale": [10, 10], "translate": [-5, 0]},
        "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
        "objects": {
            "land": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0, 1]]}]}
        },
    }
    p = tmp_path / "land.json"
    p.write_text(json.dumps(topo), encoding="utf-8")
    out = decode_topojson_land(p)
    ring = out["features"][0]["geometry"]["coordinates"][0][0]
    assert ring == [[-5, 0], [5, 0], [5, 10], [-5, 10], [-5, 0]]


def test_decode_reversed_arc(tmp_path: Path) -> None:
    # ~0 = -1 means arc 0 backwards.
    topo = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]]],
        "objects": {"land": {"geometries": [{"type": "Polygon", "arcs": [[-1]]}]}},
    }
    p = tmp_path / "land.json"
    p.write_text(json.dumps(topo), encoding="utf-8")
    ring = decode_topojson_land(p)["features"][0]["geometry"]["coordinates"][0][0]
    assert ring == [[2, 2], [2, 0], [0, 0]]


def test_bundled_land_outline_is_offline_geojson() -> None:
    data = json.loads((bundled_dir() / "world_land.geojson").read_text(encoding="utf-8"))
    assert "Natural Earth" in data["source"]
    n_rings = sum(len(poly) for f in data["features"] for poly in f["geometry"]["coordinates"])
    assert n_rings > 100  # continents and islands at 1:110m
