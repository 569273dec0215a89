"""Tests for creativecity.network.countries: UN and ISO spellings of country names."""

from __future__ import annotations

import pytest

from creativecity.network.countries import is_iso3, lookup_iso3, name_matches


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Democratic Republic of the Congo", "COD"),
        ("Palestine", "PSE"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("United States of America", "USA"),
    ],
)
def test_name_matches(name: str, iso3: str) -> None:
    assert name_matches(name, iso3)


def test_names_do_not_match_other_codes() -> None:
    assert not name_matches("France", "DEU")
    assert not name_matches("Congo", "COD")  # Congo is COG; the DR Congo is COD
    assert name_matches("Congo", "COG")


def test_lookup_and_codes() -> None:
    assert lookup_iso3("Korea, Republic of") == "KOR"
    assert lookup_iso3("Atlantis") is None
    assert is_iso3("VNM") and not is_iso3("ATL") and not is_iso3("vnm")
