"""Fixtures for the network tests: a six-row registry that can be counted by hand.

The six designations (two cities share the name Newtown, in GBR and AUS)::

    Alpha    VNM  Design      2004  pop 1,000,000   ASEAN, Asia and the Pacific
    Beta     THA  Design      2013  pop   100,000   ASEAN, Asia and the Pacific
    Gamma    FRA  Music       2013  (unmatched)     Europe and North America
    Delta    FRA  Design      2015  pop   500,000   Europe and North America
    Newtown  GBR  Literature  2015  pop 0 -> unknown Europe and North America
    Newtown  AUS  Design      2017  pop 1,000,000   Asia and the Pacific
"""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.network.registry import Registry

TINY_MEMBERS = """city,country,iso3,creative_field,year_designated,certainty,source
Alpha,Viet Nam,VNM,Design,2004,verified,s1
Beta,Thailand,THA,Design,2013,verified,s2
Gamma,France,FRA,Music,2013,uncertain,s3
Delta,France,FRA,Design,2015,verified,s4
Newtown,United Kingdom,GBR,Literature,2015,verified,s5
Newtown,Australia,AUS,Design,2017,verified,s6
"""

TINY_GEO = """city,iso3,match,geonameid,gazetteer_name,lat,lon,population,note,source
Alpha,VNM,exact,1,Alpha,21.0,105.8,1000000,,test
Beta,THA,exact,2,Beta,13.7,100.5,100000,,test
Gamma,FRA,unmatched,,,,,,,
Delta,FRA,alternate,4,Delta,48.8,2.3,500000,,test
Newtown,GBR,exact,5,Newtown,52.5,-3.3,0,,test
Newtown,AUS,exact,6,Newtown,-33.9,151.2,1000000,,test
"""


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    """A registry folder with the six-row members.csv and its geo.csv."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "members.csv").write_text(TINY_MEMBERS, encoding="utf-8")
    (folder / "geo.csv").write_text(TINY_GEO, encoding="utf-8")
    return folder / "members.csv"


@pytest.fixture
def tiny(tiny_path: Path) -> Registry:
    """The six-row registry, loaded."""
    return Registry.load(tiny_path)


@pytest.fixture
def real() -> Registry:
    """The bundled registry (each test has its own empty CREATIVECITY_HOME, so no import is active)."""
    return Registry.load()
