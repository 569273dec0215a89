"""Tests for creativecity.network.registry: counting rules, filters, resolution, loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.network.registry import FIELDS, Registry, user_registry_path

# An ASEAN list written independently of the package data (ASEAN Secretariat; Timor-Leste since 2025).
ASEAN = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"}


# -- the six-row fixture, counted by hand ------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "cities", "countries"),
    [
        (2003, 0, 0),  # before the first designation
        (2004, 1, 1),  # Alpha
        (2012, 1, 1),  # no round in 2012: still Alpha only
        (2013, 3, 3),  # + Beta (THA), Gamma (FRA)
        (2015, 5, 4),  # + Delta (FRA again), Newtown GBR
        (2017, 6, 5),  # + Newtown AUS: same name, other country = another city
        (2030, 6, 5),  # after the last round
    ],
)
def test_tiny_counts(tiny: Registry, year: int, cities: int, countries: int) -> None:
    assert tiny.count_cities(year) == cities
    assert tiny.count_countries(year) == countries


def test_tiny_by_field_and_region(tiny: Registry) -> None:
    # Design: Alpha, Beta, Delta, Newtown AUS = 4; Music: Gamma; Literature: Newtown GBR.
    assert tiny.by_field(2017) == dict.fromkeys(FIELDS, 0) | {"Design": 4, "Music": 1, "Literature": 1}
    # Asia and the Pacific: Alpha, Beta, Newtown AUS; Europe and North America: Gamma, Delta, Newtown GBR.
    regions = tiny.by_region(2017)
    assert regions["Asia and the Pacific"] == 3
    assert regions["Europe and North America"] == 3
    assert regions["Africa"] == 0
    assert list(regions)[:5] == [
        "Africa",
        "Arab States",
        "Asia and the Pacific",
        "Europe and North America",
        "Latin America and the Caribbean",
    ]


def test_tiny_filters(tiny: Registry) -> None:
    assert [m.city for m in tiny.members_as_of(2015, field="design")] == ["Alpha", "Beta", "Delta"]
    assert [m.city for m in tiny.members_as_of(country="France")] == ["Gamma", "Delta"]
    assert [m.city for m in tiny.members_as_of(country="fra")] == ["Gamma", "Delta"]
    assert [m.iso3 for m in tiny.members_as_of(region="asia-pacific")] == ["VNM", "THA", "AUS"]
    assert [m.city for m in tiny.members_as_of(subregion="asean")] == ["Alpha", "Beta"]
    assert tiny.members_as_of(2013, subregion="EU") == [tiny.members[2]]  # Gamma (FRA)


def test_tiny_geo_join(tiny: Registry) -> None:
    by_key = {m.key: m for m in tiny.members}
    assert by_key[("Alpha", "VNM")].population == 1_000_000
    assert by_key[("Alpha", "VNM")].lat == 21.0
    assert by_key[("Newtown", "GBR")].population is None  # GeoNames 0 = unknown
    assert by_key[("Gamma", "FRA")].geo_match == "unmatched"
    assert [m.city for m in tiny.unmatched()] == ["Gamma"]
    assert [m.city for m in tiny.uncertain()] == ["Gamma"]


def test_find_is_accent_and_case_insensitive(real: Registry) -> None:
    assert [m.iso3 for m in real.find("granada")] == ["ESP", "NIC"]
    assert [m.iso3 for m in real.find("Granada", "Nicaragua")] == ["NIC"]
    assert [m.city for m in real.find("popayan")] == ["Popayán"]


@pytest.mark.parametrize(
    ("method", "value", "listed"),
    [
        ("resolve_field", "Dance", "Media Arts"),
        ("resolve_region", "Oceania", "Arab States"),
        ("resolve_group", "NAFTA", "ASEAN"),
        ("resolve_country", "Atlantis", "ISO3"),
    ],
)
def test_unknown_filter_values_are_input_errors(real: Registry, method: str, value: str, listed: str) -> None:
    with pytest.raises(InputError) as info:
        getattr(real, method)(value)
    assert listed in str(info.value)
    assert info.value.rule


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("VNM", "VNM"),
        ("vn", "VNM"),
        ("Viet Nam", "VNM"),
        ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_resolve_country(real: Registry, text: str, iso3: str) -> None:
    assert real.resolve_country(text) == iso3


# -- the bundled registry -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "cities", "countries"),
    # data/uccn/README.md: cumulative cities / distinct iso3 per round
    [
        (2013, 41, 22),
        (2014, 69, 32),
        (2015, 116, 54),
        (2017, 180, 72),
        (2019, 246, 84),
        (2021, 295, 92),
        (2023, 350, 105),
        (2025, 396, 106),
    ],
)
def test_real_totals_reproduce_readme(real: Registry, year: int, cities: int, countries: int) -> None:
    assert real.count_cities(year) == cities
    assert real.count_countries(year) == countries


def test_real_registry_keeps_provenance_and_regions(real: Registry) -> None:
    assert len(real.members) == 396
    assert all(m.source for m in real.members)
    assert {m.certainty for m in real.members} == {"verified", "uncertain"}
    assert all(m.region != "unassigned" for m in real.members)
    regions = {m.iso3: m.region for m in real.members}
    # the special cases of UNESCO's grouping
    assert regions["ISR"] == "Europe and North America"
    assert regions["TUR"] == "Europe and North America"
    assert regions["EGY"] == "Arab States"
    assert regions["PSE"] == "Arab States"
    assert regions["KAZ"] == "Asia and the Pacific"
    assert regions["UZB"] == "Asia and the Pacific"
    assert regions["SEN"] == "Africa"
    assert regions["CUB"] == "Latin America and the Caribbean"


def test_first_member_is_edinburgh(real: Registry) -> None:
    first = real.members_as_of(2004)
    assert [(m.city, m.field) for m in first] == [("Edinburgh", "Literature")]


def test_viet_nam_members(real: Registry) -> None:
    got = {(m.city, m.field, m.year) for m in real.members_as_of(country="VNM")}
    assert ("Hanoi", "Design", 2019) in got
    assert {c for c, _, _ in got} == {"Hanoi", "Hoi An", "Da Lat", "Ho Chi Minh City"}


def test_asean_view_lists_every_asean_member(real: Registry) -> None:
    expected = {m.key for m in real.members if m.iso3 in ASEAN}
    got = {m.key for m in real.members_as_of(subregion="ASEAN")}
    assert got == expected
    assert len(got) > 20  # Indonesia, Thailand, the Philippines... a real share of the network


def test_most_members_are_placed_on_the_map(real: Registry) -> None:
    assert len(real.unmatched()) <= 5
    hanoi = real.find("Hanoi")[0]
    assert 20.5 < hanoi.lat < 21.5 and 105.5 < hanoi.lon < 106.2
    assert hanoi.population > 1_000_000


def test_load_prefers_the_user_registry(tiny_path: Path) -> None:
    target = user_registry_path()
    target.parent.mkdir(parents=True)
    target.write_text(tiny_path.read_text(encoding="utf-8"), encoding="utf-8")
    reg = Registry.load()
    assert reg.origin.startswith("user")
    assert reg.count_cities() == 6
    target.unlink()
    assert Registry.load().origin == "bundled"


def test_missing_registry_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        Registry.load(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("Beta,Thailand,THA,Design,soon,verified,s\n", "year_designated"),
        ("Beta,Thailand,,Design,2013,verified,s\n", "iso3"),
    ],
)
def test_malformed_user_registry_names_row(tmp_path: Path, line: str, column: str) -> None:
    p = tmp_path / "members.csv"
    p.write_text(
        "city,country,iso3,creative_field,year_designated,certainty,source\n" + line, encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        Registry.load(p)
    assert (info.value.row, info.value.column, info.value.rule) == (2, column, "valid registry")
    assert "--reset" in info.value.message


def test_city_with_two_designations_counts_once(tiny_path: Path) -> None:
    # Alpha gets a second field in 2017 (as Lyon did): 6 cities still, 7 designations.
    with tiny_path.open("a", encoding="utf-8") as fh:
        fh.write("Alpha,Viet Nam,VNM,Music,2017,verified,s7\n")
    reg = Registry.load(tiny_path)
    assert reg.count_cities(2017) == 6
    assert len(reg.members_as_of(2017)) == 7
    assert reg.by_field(2017)["Music"] == 2  # Gamma + Alpha: fields count designations
    assert reg.by_region(2017)["Asia and the Pacific"] == 3  # regions count cities: Alpha once


def test_registry_methods_delegate(tiny: Registry) -> None:
    assert tiny.summary(2015).cities == 5
    assert [r.total_cities for r in tiny.growth().rounds] == [1, 3, 5, 6]
    assert tiny.field_region_table(2017).counts["Design"]["Asia and the Pacific"] == 3
    assert tiny.peers("Alpha", n=1).peers[0].city == "Beta"


def test_unesco_page_first_press_second() -> None:
    from creativecity.network.registry import Registry

    reg = Registry.load()
    (hanoi,) = [m for m in reg.find("Hanoi", "VNM") if m.field == "Design"]
    assert hanoi.sources[0] == "https://en.unesco.org/creative-cities/hanoi"
    assert "urdupoint" in hanoi.sources[1]  # the press reprint stays, second
    (dalat,) = reg.find("Da Lat", "VNM")
    assert len(dalat.sources) == 1 and "hapakenya" in dalat.sources[0]  # no UNESCO page found for 2023


def test_london_of_music_is_london_ontario() -> None:
    from creativecity.network.registry import Registry

    reg = Registry.load()
    (london,) = [m for m in reg.members if m.city == "London"]
    assert (london.iso3, london.field, london.year, london.certainty) == ("CAN", "Music", 2021, "verified")
    assert london.lat is not None and 42 < london.lat < 44  # Ontario, not the Thames


def test_open_contradictions_resolved_with_the_rounds_totals_kept() -> None:
    """London (CAN) and Vilnius are of the 2021 round; Vranje and Viljandi, filed under 2021 in the shared
    copy, are in the 2019 round's list of 66 (press releases of 31 October 2019): the swap keeps 66 and 49."""
    import csv
    from importlib import resources

    from creativecity.network.registry import Registry

    reg = Registry.load()
    year = {m.city: m.year for m in reg.members}
    assert (year["London"], year["Vilnius"], year["Vranje"], year["Viljandi"]) == (2021, 2021, 2019, 2019)
    path = resources.files("creativecity") / "data" / "uccn" / "members.csv"
    with path.open(encoding="utf-8") as f:
        rounds = [r["year_designated"] for r in csv.DictReader(f)]
    assert (rounds.count("2019"), rounds.count("2021")) == (66, 49)  # UNESCO's official new cities


def test_vietnamese_names_of_chinese_member_cities() -> None:
    from creativecity.network.registry import city_name

    assert city_name("Shenzhen", "CHN", "vi") == "Thâm Quyến"
    assert city_name("Wuhan", "CHN", "vi") == "Vũ Hán"
    assert city_name("Bangkok", "THA", "vi") == "Bangkok"  # Vietnamese keeps the Latin spelling
    assert city_name("Shenzhen", "CHN", "en") == "Shenzhen"
