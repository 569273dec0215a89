"""Maintainer tool: regenerate the derived package data of ``data/uccn/``.

``python -m creativecity.network.build_data [--land LAND_110M_TOPOJSON]``

Writes, next to the bundled ``members.csv``:

- ``countries.csv``: every ISO 3166-1 country from pycountry with its UNESCO region (the lists below);
- ``geo.csv``: each member city matched to GeoNames (see :mod:`creativecity.network.gazetteer`);
- ``world_land.geojson`` (only with ``--land``): Natural Earth 1:110m land polygons decoded from the
  ``land-110m.json`` TopoJSON of the npm package ``world-atlas`` 2.0.2 (Natural Earth 4.1.0, public
  domain), so that ``network map`` draws coastlines without any network access.

The region lists are data, kept here in one place with their source so that the generated CSV can be
re-derived and reviewed. Nothing in this module runs when the product answers a query.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from creativecity.fileio import atomic_write_text
from creativecity.network.gazetteer import GeoMatch, Override

DATA = Path(__file__).resolve().parent.parent / "data" / "uccn"

REGION_SOURCE = (
    "UNESCO regional grouping of Member States and Associate Members (the five regions of UNESCO's "
    "activities, which follow its electoral groups: I+II -> Europe and North America, III -> Latin "
    "America and the Caribbean, IV -> Asia and the Pacific, V(a) -> Africa, V(b) -> Arab States); "
    "compiled by the creativecity team, to be checked against unesco.org/en/countries"
)

# Africa: UNESCO's electoral group V(a), sub-Saharan Africa. Djibouti, Somalia and Comoros are members
# of the League of Arab States but sit in UNESCO's Africa group.
AFRICA = (
    "AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI GNQ ERI SWZ ETH GAB GMB GHA GIN GNB KEN "
    "LSO LBR MDG MWI MLI MUS MOZ NAM NER NGA RWA STP SEN SYC SLE SOM ZAF SSD TGO UGA TZA ZMB ZWE"
)
# Arab States: electoral group V(b) plus Palestine (a Member State since 2011). Egypt, Sudan,
# Mauritania and the Maghreb are here, not in Africa.
ARAB_STATES = "DZA BHR EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SDN SYR TUN ARE YEM"
# Asia and the Pacific: group IV, which includes Central Asia (Kazakhstan, Uzbekistan, ...), Iran,
# Afghanistan and Pakistan; Macao (MAC), Tokelau (TKL) and New Caledonia (NCL) are Associate Members.
ASIA_PACIFIC = (
    "AFG AUS BGD BTN BRN KHM CHN COK PRK FJI IND IDN IRN JPN KAZ KIR KGZ LAO MYS MDV MHL FSM MNG MMR NRU "
    "NPL NZL NIU PAK PLW PNG PHL KOR WSM SGP SLB LKA TJK THA TLS TON TKM TUV UZB VUT VNM MAC TKL NCL"
)
# Europe and North America: groups I and II. Israel, Türkiye and Cyprus are in Europe; so are the
# Caucasus (Armenia, Azerbaijan, Georgia) and the Russian Federation; Canada and the USA are in North
# America. Faroe Islands (FRO) are an Associate Member.
EUROPE_NORTH_AMERICA = (
    "ALB AND ARM AUT AZE BLR BEL BIH BGR CAN HRV CYP CZE DNK EST FIN FRA GEO DEU GRC HUN ISL IRL ISR "
    "ITA LVA LTU LUX MLT MCO MNE NLD MKD NOR POL PRT MDA ROU RUS SMR SRB SVK SVN ESP SWE CHE TUR UKR GBR "
    "USA FRO"
)
# Latin America and the Caribbean: group III; Aruba, Curaçao, Sint Maarten, British Virgin Islands,
# Cayman Islands, Anguilla and Montserrat are Associate Members.
LATIN_AMERICA_CARIBBEAN = (
    "ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX NIC PAN PRY "
    "PER KNA LCA VCT SUR TTO URY VEN ABW CUW SXM VGB CYM AIA MSR"
)
FORMER_MEMBERS = {"ISR"}  # still grouped by region: its member cities keep their place in the network
ASSOCIATES = {"MAC", "TKL", "NCL", "FRO", "ABW", "CUW", "SXM", "VGB", "CYM", "AIA", "MSR"}
REGIONS = {
    "Africa": AFRICA,
    "Arab States": ARAB_STATES,
    "Asia and the Pacific": ASIA_PACIFIC,
    "Europe and North America": EUROPE_NORTH_AMERICA,
    "Latin America and the Caribbean": LATIN_AMERICA_CARIBBEAN,
}
SPECIAL_NOTES = {
    "ISR": "withdrew from UNESCO at the end of 2018; grouped in Europe and North America (group I)",
    "TUR": "in Europe and North America (UNESCO electoral group I)",
    "CYP": "in Europe and North America (UNESCO electoral group I)",
    "PSE": "Palestine: UNESCO Member State since 2011, Arab States",
    "EGY": "Arab States, not Africa",
    "SDN": "Arab States, not Africa",
    "MRT": "Arab States, not Africa",
    "DJI": "Africa group although in the League of Arab States",
    "SOM": "Africa group although in the League of Arab States",
    "COM": "Africa group although in the League of Arab States",
    "KAZ": "Central Asia is in Asia and the Pacific",
    "UZB": "Central Asia is in Asia and the Pacific",
    "TKM": "Central Asia is in Asia and the Pacific",
    "KGZ": "Central Asia is in Asia and the Pacific",
    "TJK": "Central Asia is in Asia and the Pacific",
    "MAC": "Associate Member; UCCN files Macao under China (CHN)",
    "USA": "left UNESCO 2018, rejoined 2023, announced its withdrawal in July 2025 (effective end 2026)",
    "LIE": "not a UNESCO Member State",
}


def build_countries() -> str:
    """CSV of iso3, iso2, name (pycountry), unesco_region, status, note, source."""
    import pycountry

    region_of: dict[str, str] = {}
    for region, codes in REGIONS.items():
        for code in codes.split():
            if code in region_of:
                raise ValueError(f"{code} in two regions")
            region_of[code] = region
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["iso3", "iso2", "name", "unesco_region", "status", "note", "source"])
    known = {c.alpha_3 for c in pycountry.countries}
    missing = set(region_of) - known
    if missing:
        raise ValueError(f"not ISO 3166 codes: {sorted(missing)}")
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        region = region_of.get(c.alpha_3, "")
        if c.alpha_3 in FORMER_MEMBERS:
            status = "former member"
        elif c.alpha_3 in ASSOCIATES:
            status = "associate"
        else:
            status = "member" if region else ""
        w.writerow(
            [
                c.alpha_3,
                c.alpha_2,
                c.name,
                region,
                status,
                SPECIAL_NOTES.get(c.alpha_3, ""),
                REGION_SOURCE if region else "ISO 3166-1 via pycountry; no UNESCO region",
            ]
        )
    return out.getvalue()


def build_geo(members_csv: Path, countries_csv_text: str) -> str:
    """CSV matching each (city, iso3) of the members to GeoNames."""
    from creativecity.network.gazetteer import GAZETTEER, load_overrides, match_city

    iso2 = {r["iso3"]: r["iso2"] for r in csv.DictReader(countries_csv_text.splitlines())}
    overrides = load_overrides()
    with members_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return geo_csv([(r["city"], r["iso3"]) for r in rows], iso2, overrides, match_city, GAZETTEER)


def geo_csv(
    cities: Iterable[tuple[str, str]],
    iso2: Mapping[str, str],
    overrides: Mapping[tuple[str, str], Override],
    match_city: Callable[[str, str, str, Mapping[tuple[str, str], Override]], GeoMatch],
    gazetteer: str,
) -> str:
    """The geo table text for a list of (city, iso3); shared by the build and by imports.

    ``match_city`` is passed in so that an import can reuse the bundled matches and look up only
    the cities that are new.
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        ["city", "iso3", "match", "geonameid", "gazetteer_name", "lat", "lon", "population", "note", "source"]
    )
    seen: set[tuple[str, str]] = set()
    for city, iso3 in cities:
        if (city, iso3) in seen:
            continue
        seen.add((city, iso3))
        m = match_city(city, iso2.get(iso3, ""), iso3, overrides)
        w.writerow(
            [
                city,
                iso3,
                m.method,
                m.geonameid or "",
                m.gazetteer_name or "",
                "" if m.lat is None else m.lat,
                "" if m.lon is None else m.lon,
                "" if m.population is None else m.population,
                m.note,
                gazetteer if m.method != "unmatched" else "",
            ]
        )
    return out.getvalue()


def decode_topojson_land(path: Path) -> dict[str, object]:
    """Decode the ``land`` object of a quantised TopoJSON file into a GeoJSON FeatureCollection.

    TopoJSON stores shared arcs once, delta-encoded on an integer grid; a polygon ring is a list of arc
    indexes (a negative index ``~i`` means arc ``i`` reversed). Coordinates are rounded to 0.01 degree,
    ample for a 1:110m outline and a third of the file size.
    """
    topo = json.loads(path.read_text(encoding="utf-8"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(pts)

    def ring(indexes: list[int]) -> list[list[float]]:
        coords: list[list[float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            coords.extend([list(p) for p in (pts if not coords else pts[1:])])
        return coords

    features = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        features.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in polys]},
            }
        )
    return {
        "type": "FeatureCollection",
        "source": (
            "Natural Earth 1:110m land, v4.1.0 (public domain), via npm world-atlas 2.0.2 land-110m.json"
        ),
        "features": features,
    }


def main() -> None:
    """Regenerate countries.csv, geo.csv (and world_land.geojson with --land)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--land", type=Path, help="land-110m.json from npm world-atlas 2.0.2")
    args = parser.parse_args()
    countries = build_countries()
    atomic_write_text(DATA / "countries.csv", countries)
    atomic_write_text(DATA / "geo.csv", build_geo(DATA / "members.csv", countries))
    if args.land:
        land = decode_topojson_land(args.land)
        atomic_write_text(DATA / "world_land.geojson", json.dumps(land, separators=(",", ":")))


if __name__ == "__main__":
    main()
