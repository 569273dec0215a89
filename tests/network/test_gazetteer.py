"""Tests for creativecity.network.gazetteer: name folding and the bundled match table."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from creativecity.network.gazetteer import METHODS, fold, load_overrides
from creativecity.network.registry import bundled_dir


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Popayán", "popayan"),
        ("Cebu City", "cebu"),
        ("Huai'an", "huaian"),
        ("Đà Lạt", "da lat"),
        ("Iași", "iasi"),
    ],
)
def test_fold(name: str, folded: str) -> None:
    assert fold(name) == folded


def test_bundled_geo_covers_every_member_with_a_method() -> None:
    members = list(csv.DictReader((bundled_dir() / "members.csv").open(encoding="utf-8")))
    geo = list(csv.DictReader((bundled_dir() / "geo.csv").open(encoding="utf-8")))
    assert {(r["city"], r["iso3"]) for r in geo} == {(r["city"], r["iso3"]) for r in members}
    methods = Counter(r["match"] for r in geo)
    assert set(methods) <= set(METHODS)
    assert methods["exact"] > 300  # most names are GeoNames' own
    for r in geo:
        if r["match"] != "unmatched":
            assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
            assert r["source"].startswith("GeoNames")


def test_overrides_have_reasons_and_are_used() -> None:
    overrides = load_overrides()
    assert ("Macao", "CHN") in overrides
    assert all(o.note for o in overrides.values())
    geo = {
        (r["city"], r["iso3"]): r for r in csv.DictReader((bundled_dir() / "geo.csv").open(encoding="utf-8"))
    }
    for key, o in overrides.items():
        assert geo[key]["match"] == "override"
        assert int(geo[key]["geonameid"]) == o.geonameid


def test_namesake_villages_are_not_chosen() -> None:
    geo = {
        (r["city"], r["iso3"]): r for r in csv.DictReader((bundled_dir() / "geo.csv").open(encoding="utf-8"))
    }
    # "Querétaro" is also a village of 2,203 people; the member is Santiago de Querétaro (over 1 M).
    assert int(geo[("Querétaro", "MEX")]["population"]) > 1_000_000
    assert int(geo[("Bistrița", "ROU")]["population"]) > 50_000
