"""Tests for creativecity.network.peers: the similarity score and its reasons."""

from __future__ import annotations

import math

import pytest

from creativecity.errors import InputError
from creativecity.network.peers import fmt_population, peers
from creativecity.network.registry import Registry


def test_tiny_scores_by_hand(tiny: Registry) -> None:
    res = peers(tiny, "Alpha")  # VNM, Design, 2004, ASEAN, Asia-Pacific, pop 1,000,000
    got = [(p.city, p.iso3, p.score) for p in res.peers]
    delta = 0.40 + 0.15 * (1 - math.log10(2))  # Design; 1 M vs 500 k; 11 years apart -> 0
    assert got == [
        ("Beta", "THA", 0.76),  # 0.40 field + 0.20 ASEAN + 0.15 region + 0 (10x pop) + 0.10*(1-9/10)
        ("Newtown", "AUS", 0.70),  # 0.40 field + 0.15 region + 0.15 equal pop + 0 (13 years)
        ("Delta", "FRA", round(delta, 4)),  # = 0.5048
        ("Gamma", "FRA", 0.01),  # pop unknown; 0.10*(1-9/10)
        ("Newtown", "GBR", 0.0),
    ]
    assert res.peers[1].reasons == [
        "same field (Design)",
        "same UNESCO region (Asia and the Pacific)",
        "similar population (1.0 M vs 1.0 M)",
    ]
    assert res.peers[0].reasons[:2] == ["same field (Design)", "same sub-region (ASEAN)"]
    assert res.subject.is_member and res.subject.year == 2004


def test_n_limits_and_validates(tiny: Registry) -> None:
    assert len(peers(tiny, "Alpha", n=2).peers) == 2
    with pytest.raises(InputError):
        peers(tiny, "Alpha", n=0)


@pytest.mark.parametrize("population", [0, -5])
def test_population_must_be_positive(tiny: Registry, population: int) -> None:
    # log10 of the population ratio is undefined for zero or a negative count: input error, not a crash
    with pytest.raises(InputError) as info:
        peers(tiny, "Candidate", country="Cambodia", field="design", population=population)
    assert (info.value.column, info.value.rule) == ("population", "population >= 1")


def test_ambiguous_name_lists_candidates(tiny: Registry) -> None:
    with pytest.raises(InputError) as info:
        peers(tiny, "Newtown")
    assert "Newtown (AUS, Design, 2017)" in str(info.value)
    assert "Newtown (GBR, Literature, 2015)" in str(info.value)
    assert peers(tiny, "Newtown", country="AUS").subject.iso3 == "AUS"


def test_unknown_city_without_country_and_field_is_error(tiny: Registry) -> None:
    with pytest.raises(InputError, match="--country and --field"):
        peers(tiny, "Nowhere")


def test_candidate_with_given_population(tiny: Registry) -> None:
    res = peers(tiny, "Candidate", country="Cambodia", field="design", population=100_000)
    s = res.subject
    assert (s.is_member, s.iso3, s.field, s.region, s.subregions) == (
        False,
        "KHM",
        "Design",
        "Asia and the Pacific",
        ("ASEAN",),
    )
    # Beta: 0.40 + 0.20 + 0.15 + 0.15 (equal pop) + 0 (no year for a candidate) = 0.90
    assert (res.peers[0].city, res.peers[0].score) == ("Beta", 0.9)


def test_hanoi_peers_are_asia_pacific_design_cities(real: Registry) -> None:
    res = peers(real, "Hanoi", n=10)
    top = res.peers[:6]
    assert all(p.field == "Design" and p.region == "Asia and the Pacific" for p in top)
    names = {p.city for p in top}
    assert {"Bangkok", "Cebu City", "Singapore", "Bandung"} <= names
    for p in res.peers:
        assert "same field (Design)" in p.reasons
    assert any("same sub-region (ASEAN)" in p.reasons for p in top)
    scores = [p.score for p in res.peers]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(("n", "text"), [(8_053_663, "8.1 M"), (310_000, "310 k"), (9_800, "9,800")])
def test_fmt_population(n: int, text: str) -> None:
    assert fmt_population(n) == text


@pytest.mark.slow
def test_candidate_population_from_gazetteer(real: Registry) -> None:
    # Da Nang is not a member; its population comes from GeoNames (several hundred thousand).
    res = peers(real, "Da Nang", country="VNM", field="Design", n=10)
    assert not res.subject.is_member
    assert res.subject.population is not None and 300_000 < res.subject.population < 3_000_000
    assert all(p.field == "Design" for p in res.peers)
    assert "Hanoi" in {p.city for p in res.peers}  # same field, ASEAN, same region
