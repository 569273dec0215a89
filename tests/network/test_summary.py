"""Tests for creativecity.network.summary: summary as of a year, growth, field x region table."""

from __future__ import annotations

import csv
import json

import pytest

from creativecity.fileio import to_json
from creativecity.network.registry import FIELDS, REGIONS, Registry, bundled_dir
from creativecity.network.summary import field_region_table, growth, summary


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
def test_summary_complete_rounds(real: Registry, year: int, cities: int, countries: int) -> None:
    s = summary(real, year).to_dict()
    assert (s["as_of"], s["cities"], s["countries"]) == (year, cities, countries)
    assert s["complete"] is True  # each equals UNESCO's total (official_totals.csv)
    assert s["official"]["network_total"] == cities
    assert s["founded"] == 2004
    assert sum(s["by_region"].values()) == cities
    assert sum(s["by_field"].values()) == s["designations"]


def test_summary_2017_matches_contract_example(real: Registry) -> None:
    s = summary(real, 2017).to_dict()
    assert s["by_field"]["Design"] == 31  # CONTRACTS.md §3 example
    assert json.loads(to_json(s))["note"] == s["note"]


def test_summary_2025_is_incomplete_and_does_not_claim_408(real: Registry) -> None:
    s = summary(real, 2025).to_dict()
    assert s["cities"] == 396
    assert s["countries"] == 106
    assert s["complete"] is False
    assert s["new_cities"] == 46
    # 58 announced, 408 - 396 = 12 missing, 58 - 12 = 46 known
    assert "46 of UNESCO's 58 new cities" in s["note"]
    assert s["official"]["network_total"] == 408
    assert "408 (official figure, not counted here)" in s["note"]
    assert s["founded"] == 2004
    assert "Founded in 2004" in s["note"]


def test_default_is_latest_round(real: Registry) -> None:
    assert summary(real).as_of == 2025


def test_2021_country_disagreement_is_noted(real: Registry) -> None:
    s = summary(real, 2021)
    assert s.countries == 92
    assert "92 distinct countries" in s.note and "said 90" in s.note
    assert "92 vs 90" in summary(real, 2023).note


def test_before_founding_is_empty_with_note(real: Registry) -> None:
    s = summary(real, 1999).to_dict()
    assert s["cities"] == 0 and s["countries"] == 0
    assert all(v == 0 for v in s["by_field"].values())
    assert "founded in 2004" in s["note"]


def test_after_last_round_is_as_of_last_round(real: Registry) -> None:
    s = summary(real, 2031)
    assert s.as_of == 2025 and s.requested_as_of == 2031 and s.cities == 396
    assert "No designation round after 2025" in s.note


def test_between_rounds_uses_previous_round(real: Registry) -> None:
    s = summary(real, 2016)
    assert (s.as_of, s.cities) == (2015, 116)


def test_tiny_summary_checks_against_official_totals(tiny: Registry) -> None:
    s = summary(tiny, 2013)
    # 3 cities against UNESCO's 41: 38 missing, 41 - 38 = 3 known
    assert s.cities == 3 and s.complete is False
    assert "3 of UNESCO's 41 new cities" in s.note
    assert s.uncertain == 1  # Gamma
    s2004 = summary(tiny, 2004)
    assert s2004.complete is True  # UNESCO published no total for 2004
    assert "no total for 2004" in s2004.note


def test_growth_on_tiny(tiny: Registry) -> None:
    g = growth(tiny)
    assert [r.year for r in g.rounds] == [2004, 2013, 2015, 2017]
    assert [r.new_cities for r in g.rounds] == [1, 2, 2, 1]
    assert [r.total_cities for r in g.rounds] == [1, 3, 5, 6]
    assert [r.total_countries for r in g.rounds] == [1, 3, 4, 5]
    assert g.rounds[1].new_by_field["Design"] == 1 and g.rounds[1].new_by_field["Music"] == 1
    assert g.rounds[-1].total_by_field["Design"] == 4
    rows = g.to_rows()
    assert rows[2]["total Design"] == 3  # Alpha, Beta, Delta by 2015
    assert rows[0]["official_total"] == ""


def test_growth_real_matches_official_totals_through_2023(real: Registry) -> None:
    for r in growth(real).rounds:
        if r.official_total is not None and r.year <= 2023:
            assert r.total_cities == r.official_total


def test_field_region_table_on_tiny(tiny: Registry) -> None:
    t = field_region_table(tiny, 2017)
    assert t.counts["Design"]["Asia and the Pacific"] == 3
    assert t.counts["Design"]["Europe and North America"] == 1
    assert t.counts["Music"]["Europe and North America"] == 1
    # 8 fields x 5 regions = 40 cells, 4 of them non-zero -> 36 gaps
    assert len(t.gaps) == len(FIELDS) * len(REGIONS) - 4
    assert ("Music", "Africa") in t.gaps and ("Design", "Asia and the Pacific") not in t.gaps
    assert t.to_dict()["gaps"][0] == {"field": "Crafts and Folk Art", "region": "Africa"}


def test_field_region_table_real_totals(real: Registry) -> None:
    t = field_region_table(real)
    assert sum(sum(row.values()) for row in t.counts.values()) == 396
    assert ("Architecture", "Africa") in t.gaps  # Architecture was new in 2025


def test_country_counts_agree_with_a_plain_count_of_the_bundled_csv(real: Registry) -> None:
    """The country counts above that UNESCO did not publish (22, 54, 84, 92, 105) are recounted here
    straight from the bundled members.csv with the csv module, independently of the registry code:
    distinct iso3 among rows designated up to the year."""
    with (bundled_dir() / "members.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for year in (2013, 2015, 2019, 2021, 2023, 2025):
        upto = [r for r in rows if int(r["year_designated"]) <= year]
        s = summary(real, year)
        assert s.countries == len({r["iso3"] for r in upto})
        assert s.cities == len({(r["city"], r["iso3"]) for r in upto})
