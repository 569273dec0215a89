"""The UNESCO Creative Cities Network registry: who is a member, since when, where, and how we know.

Counting rules (they reproduce UNESCO's published totals, see ``data/uccn/README.md``):

- a **designation** is one row: (city, country, creative field, year);
- a **city** is a distinct (city name, ISO3) pair, so the two Granadas (Spain, Nicaragua) count twice;
- a **country** is a distinct ISO3 code (Macao is filed under CHN, Palestine under PSE), which is why the
  registry counts 92 countries after 2021 where UNESCO, counting Member States, said 90;
- the network "as of" a year holds every designation of a round up to that year.

The registry is plain package data parsed with the standard library (no pandas, no pycountry at load
time) and cached per file, so that loading it and answering a query takes a few milliseconds
(``benchmarks/bench_network.py``). A user who imports a newer list gets it stored under
``$CREATIVECITY_HOME/network/`` and :meth:`Registry.load` prefers it to the bundled one.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from creativecity.errors import InputError
from creativecity.fileio import creativecity_home

if TYPE_CHECKING:
    from creativecity.network.peers import PeerResult
    from creativecity.network.summary import FieldRegionTable, Growth, NetworkSummary

FIELDS: tuple[str, ...] = (
    "Crafts and Folk Art",
    "Design",
    "Film",
    "Gastronomy",
    "Literature",
    "Media Arts",
    "Music",
    "Architecture",
)
REGIONS: tuple[str, ...] = (
    "Africa",
    "Arab States",
    "Asia and the Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
)
REGION_ALIASES = {
    "Arab States": "arab",
    "Asia and the Pacific": "apac",
    "Europe and North America": "europe",
    "Latin America and the Caribbean": "lac",
}
FOUNDED = 2004  # Edinburgh, Literature: UCCN_DOCUMENTS.md and data/uccn/README.md
COLUMNS: tuple[str, ...] = (
    "city",
    "country",
    "iso3",
    "creative_field",
    "year_designated",
    "certainty",
    "source",
)
#: Optional columns: ``source_unesco`` is UNESCO's own page for the designation (empty where none was
#: found); ``source`` stays the page the row was read on (often a press reprint).
OPTIONAL_COLUMNS: tuple[str, ...] = ("source_unesco",)
CERTAINTIES = ("verified", "uncertain")


def user_home() -> Path:
    """Where user data lives (:func:`creativecity.fileio.creativecity_home`)."""
    return creativecity_home()


def user_registry_path() -> Path:
    """Where ``network import`` stores the user's registry (``members.csv``, with ``geo.csv`` beside)."""
    return user_home() / "network" / "members.csv"


def bundled_dir() -> Path:
    """The read-only package data folder ``creativecity/data/uccn``."""
    return Path(str(resources.files("creativecity").joinpath("data", "uccn")))


@dataclass(frozen=True)
class Member:
    """One designation, with its place in the world and the evidence for it."""

    city: str
    country: str
    iso3: str
    field: str
    year: int
    certainty: str
    source: str
    region: str
    subregions: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    geo_match: str = "unmatched"
    geonameid: int | None = None
    source_unesco: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the designation is documented, UNESCO's own page first, the press source second.

        A ministry cites UNESCO, not a press reprint about another city; the press page stays as
        secondary evidence (it often gives the year that UNESCO's city page does not).
        """
        return tuple(s for s in (self.source_unesco, self.source) if s)

    @property
    def key(self) -> tuple[str, str]:
        """The city identity used for counting: (name, ISO3)."""
        return (self.city, self.iso3)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON and CSV output."""
        d = asdict(self)
        d["subregions"] = list(self.subregions)
        return d


@dataclass(frozen=True)
class OfficialRound:
    """UNESCO's own figures after one designation round (``official_totals.csv``)."""

    round_year: int
    new_cities: int
    network_total: int
    countries: int | None
    countries_note: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country with its UNESCO region (``countries.csv``)."""

    iso3: str
    iso2: str
    name: str
    region: str
    status: str
    note: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _opt_float(text: str) -> float | None:
    return float(text) if text else None


def _opt_pop(text: str) -> int | None:
    # GeoNames gives 0 for "unknown": treat it as missing, not as an empty town.
    return int(text) or None if text else None


_Reference = tuple[
    Mapping[str, Country],
    Mapping[str, frozenset[str]],
    dict[tuple[str, str], dict[str, str]],
    tuple[OfficialRound, ...],
]


@lru_cache(maxsize=1)
def _reference() -> _Reference:
    """Countries, sub-regional groups, bundled geo matches and official totals (parsed once)."""
    base = bundled_dir()
    countries = {
        r["iso3"]: Country(r["iso3"], r["iso2"], r["name"], r["unesco_region"], r["status"], r["note"])
        for r in _read_csv(base / "countries.csv")
    }
    groups: dict[str, set[str]] = {}
    for r in _read_csv(base / "subregions.csv"):
        groups.setdefault(r["group"], set()).add(r["iso3"])
    geo = {(r["city"], r["iso3"]): r for r in _read_csv(base / "geo.csv")}
    official = tuple(
        OfficialRound(
            round_year=int(r["round_year"]),
            new_cities=int(r["new_cities"]),
            network_total=int(r["network_total"]),
            countries=int(r["countries"]) if r["countries"] else None,
            countries_note=r["countries_note"],
            source=r["source"],
        )
        for r in _read_csv(base / "official_totals.csv")
    )
    return (
        MappingProxyType(countries),
        MappingProxyType({k: frozenset(v) for k, v in groups.items()}),
        geo,
        official,
    )


@lru_cache(maxsize=1)
def _city_names() -> dict[tuple[str, str, str], str]:
    path = bundled_dir() / "city_names.csv"
    return {(r["city"], r["iso3"], r["lang"]): r["name"] for r in _read_csv(path)}


def city_name(city: str, iso3: str, lang: str) -> str:
    """A member city's name in ``lang``: Vietnamese writes Chinese cities by their Sino-Vietnamese
    names (Shenzhen is "Thâm Quyến") and Vietnamese cities with their diacritics; other cities keep
    UNESCO's spelling (``data/uccn/city_names.csv``)."""
    return _city_names().get((city, iso3, lang), city)


def build_members(
    rows: Iterable[Mapping[str, str]], geo: Mapping[tuple[str, str], Mapping[str, str]]
) -> tuple[Member, ...]:
    """Turn validated CSV rows into members, joining region, sub-regions and gazetteer data."""
    countries, groups, bundled_geo, _ = _reference()
    out = []
    for r in rows:
        iso3 = r["iso3"]
        key = (r["city"], iso3)
        g = geo.get(key) or bundled_geo.get(key) or {}
        country = countries.get(iso3)
        out.append(
            Member(
                city=r["city"],
                country=r["country"],
                iso3=iso3,
                field=r["creative_field"],
                year=int(r["year_designated"]),
                certainty=r["certainty"],
                source=r["source"],
                region=country.region if country and country.region else "unassigned",
                subregions=tuple(sorted(name for name, codes in groups.items() if iso3 in codes)),
                lat=_opt_float(g.get("lat", "")),
                lon=_opt_float(g.get("lon", "")),
                population=_opt_pop(g.get("population", "")),
                geo_match=g.get("match") or "unmatched",
                geonameid=int(g["geonameid"]) if g.get("geonameid") else None,
                source_unesco=(r.get("source_unesco") or "").strip(),
            )
        )
    return tuple(out)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, geo_mtime_ns: int) -> tuple[Member, ...]:
    p = Path(path)
    geo_path = p.with_name("geo.csv")
    geo = {(r["city"], r["iso3"]): r for r in _read_csv(geo_path)} if geo_path.exists() else {}
    rows = _read_csv(p)
    for rowno, r in enumerate(rows, start=2):  # a hand-edited file: say where, not a traceback
        missing = [c for c in COLUMNS if not r.get(c)]
        if missing or not r["year_designated"].isdigit():
            column = missing[0] if missing else "year_designated"
            raise InputError(
                "malformed registry row; fix it, re-import a valid list, or run "
                "`creativecity network import --reset`",
                file=str(p),
                row=rowno,
                column=column,
                rule="valid registry",
            )
    return build_members(rows, geo)


def _mtime(p: Path) -> int:
    return p.stat().st_mtime_ns if p.exists() else 0


@dataclass(frozen=True)
class Registry:
    """An immutable snapshot of the network, with the queries the product needs.

    Use :meth:`load` rather than the constructor. Every query takes ``as_of`` (a year): the network as
    it stood after the last round up to that year; ``None`` means "now" (the latest round).
    """

    members: tuple[Member, ...]
    official: tuple[OfficialRound, ...]
    countries: Mapping[str, Country] = field(repr=False)
    groups: Mapping[str, frozenset[str]] = field(repr=False)
    origin: str = "bundled"

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Registry:
        """Load a registry: ``path`` if given, else the user's imported one, else the bundled one.

        Parsed files are cached by path and modification time, so repeated loads are nearly free and
        an import is picked up at once.
        """
        if path is not None:
            p, origin = Path(path), str(path)
        elif user_registry_path().exists():
            p, origin = user_registry_path(), f"user ({user_registry_path()})"
        else:
            p, origin = bundled_dir() / "members.csv", "bundled"
        if not p.exists():
            raise InputError("registry file not found", file=str(p), rule="file exists")
        members = _load_cached(str(p.resolve()), _mtime(p), _mtime(p.with_name("geo.csv")))
        countries, groups, _, official = _reference()
        return cls(members=members, official=official, countries=countries, groups=groups, origin=origin)

    # -- rounds and dates -------------------------------------------------------------------------
    @property
    def years(self) -> tuple[int, ...]:
        """Years in which at least one current member was designated, ascending."""
        return tuple(sorted({m.year for m in self.members}))

    @property
    def latest_year(self) -> int | None:
        """The last designation round in the registry."""
        return self.years[-1] if self.members else None

    def effective_year(self, as_of: int | None) -> int | None:
        """The last round on or before ``as_of`` (``None``: latest; before the first member: ``None``)."""
        if as_of is None:
            return self.latest_year
        past = [y for y in self.years if y <= as_of]
        return past[-1] if past else None

    def official_for(self, year: int | None) -> OfficialRound | None:
        """UNESCO's figures for the round of ``year``, if published."""
        return next((o for o in self.official if o.round_year == year), None)

    # -- resolving user words ---------------------------------------------------------------------
    def resolve_field(self, text: str) -> str:
        """Canonical field name, case-insensitive; an InputError lists the valid fields."""
        wanted = text.strip().casefold()
        for f in FIELDS:
            if f.casefold() == wanted or f.casefold().replace(" ", "-") == wanted:
                return f
        raise InputError(
            f"unknown creative field {text!r}; valid fields: {', '.join(FIELDS)}",
            column="field",
            rule="known field",
        )

    def resolve_region(self, text: str) -> str:
        """Canonical UNESCO region: case-insensitive, "Asia-Pacific", "LAC", "Europe" style accepted."""

        def simple(t: str) -> str:
            words = t.casefold().replace("-", " ").replace("&", " ").split()
            return " ".join(w for w in words if w not in ("and", "the"))

        wanted = simple(text)
        for r in REGIONS:
            if wanted == simple(r) or wanted == REGION_ALIASES.get(r):
                return r
        # "ASEAN" given as a region is a common slip: point at the option that takes it
        group = next((g for g in self.groups if g.casefold() == text.strip().casefold()), None)
        hint = f" ({group} is a sub-regional group: use --subregion {group})" if group else ""
        raise InputError(
            f"unknown UNESCO region {text!r}; valid regions: {', '.join(REGIONS)}{hint}",
            column="region",
            rule="known region",
        )

    def resolve_group(self, text: str) -> str:
        """Canonical sub-regional group name (ASEAN, EU, SAARC)."""
        for g in self.groups:
            if g.casefold() == text.strip().casefold():
                return g
        raise InputError(
            f"unknown sub-regional group {text!r}; valid groups: {', '.join(sorted(self.groups))}",
            column="subregion",
            rule="known group",
        )

    def resolve_country(self, text: str) -> str:
        """ISO3 code for an ISO3/ISO2 code or a country name (UNESCO's or ISO's spelling)."""
        t = text.strip()
        if t.upper() in self.countries:
            return t.upper()
        by_iso2 = {c.iso2: c.iso3 for c in self.countries.values()}
        if t.upper() in by_iso2:
            return by_iso2[t.upper()]
        low = t.casefold()
        for m in self.members:
            if m.country.casefold() == low:
                return m.iso3
        for c in self.countries.values():
            if c.name.casefold() == low:
                return c.iso3
        from creativecity.network.countries import lookup_iso3  # pycountry: only when needed

        iso3 = lookup_iso3(t)
        if iso3:
            return iso3
        raise InputError(
            f"unknown country {text!r}: give an ISO3 code (e.g. VNM) or a country name",
            column="country",
            rule="known country",
        )

    # -- queries ----------------------------------------------------------------------------------
    def members_as_of(
        self,
        as_of: int | None = None,
        *,
        field: str | None = None,
        country: str | None = None,
        region: str | None = None,
        subregion: str | None = None,
    ) -> list[Member]:
        """Designations in force after the round of ``as_of``, optionally filtered.

        Filters accept user words (resolved with the ``resolve_*`` methods): an unknown value is an
        InputError, an empty result is not.
        """
        year = self.effective_year(as_of)
        if year is None:
            return []
        f = self.resolve_field(field) if field else None
        c = self.resolve_country(country) if country else None
        r = self.resolve_region(region) if region else None
        g = self.groups[self.resolve_group(subregion)] if subregion else None
        return [
            m
            for m in self.members
            if m.year <= year
            and (f is None or m.field == f)
            and (c is None or m.iso3 == c)
            and (r is None or m.region == r)
            and (g is None or m.iso3 in g)
        ]

    def count_cities(self, as_of: int | None = None) -> int:
        """Distinct (city, ISO3) pairs in the network after the round of ``as_of``."""
        return len({m.key for m in self.members_as_of(as_of)})

    def count_countries(self, as_of: int | None = None) -> int:
        """Distinct ISO3 codes in the network after the round of ``as_of``."""
        return len({m.iso3 for m in self.members_as_of(as_of)})

    def by_field(self, as_of: int | None = None) -> dict[str, int]:
        """Designations per field (every field listed, zeros included, in UNESCO's order)."""
        counts = Counter(m.field for m in self.members_as_of(as_of))
        return {f: counts.get(f, 0) for f in FIELDS}

    def by_region(self, as_of: int | None = None) -> dict[str, int]:
        """Cities per UNESCO region (``unassigned`` only if some country has no region)."""
        counts = Counter(m.region for m in {m.key: m for m in self.members_as_of(as_of)}.values())
        out = {r: counts.get(r, 0) for r in REGIONS}
        if counts.get("unassigned"):
            out["unassigned"] = counts["unassigned"]
        return out

    def new_in_round(self, year: int) -> list[Member]:
        """Designations made in the round of ``year`` exactly."""
        return [m for m in self.members if m.year == year]

    def find(self, city: str, country: str | None = None) -> list[Member]:
        """Members named ``city`` (case- and accent-insensitive), optionally in ``country``."""
        from creativecity.network.gazetteer import fold

        iso3 = self.resolve_country(country) if country else None
        target = fold(city)
        return [m for m in self.members if fold(m.city) == target and (iso3 is None or m.iso3 == iso3)]

    def unmatched(self) -> list[Member]:
        """Members the gazetteer could not place (no coordinates, no population)."""
        return [m for m in self.members if m.geo_match == "unmatched"]

    def uncertain(self, as_of: int | None = None) -> list[Member]:
        """Designations whose year or field is not confirmed by a complete source list."""
        return [m for m in self.members_as_of(as_of) if m.certainty != "verified"]

    # -- analytics, as methods for callers that hold a registry ----------------------------------
    def summary(self, as_of: int | None = None) -> NetworkSummary:
        """:func:`creativecity.network.summary.summary` of this registry."""
        from creativecity.network.summary import summary

        return summary(self, as_of)

    def growth(self) -> Growth:
        """:func:`creativecity.network.summary.growth` of this registry."""
        from creativecity.network.summary import growth

        return growth(self)

    def field_region_table(self, as_of: int | None = None) -> FieldRegionTable:
        """:func:`creativecity.network.summary.field_region_table` of this registry."""
        from creativecity.network.summary import field_region_table

        return field_region_table(self, as_of)

    def peers(
        self,
        city: str,
        *,
        country: str | None = None,
        field: str | None = None,
        population: int | None = None,
        n: int = 10,
    ) -> PeerResult:
        """:func:`creativecity.network.peers.peers` in this registry."""
        from creativecity.network.peers import peers

        return peers(self, city, country=country, field=field, population=population, n=n)
