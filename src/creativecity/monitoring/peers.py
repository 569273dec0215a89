"""Peer context: a city's cultural venues per 100,000 inhabitants beside world cities' figures.

Counts of museums or libraries say little across cities of different sizes; per-capita figures are the
safest basis, and even they differ in definitions, city boundaries and years. So the comparison is printed
with its caveats, never as a ranking, and a peer count is turned into a per-capita figure only when the
peer table itself gives that city's population.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.model import Workspace
from creativecity.monitoring.progress import observations_frame, resolve_points
from creativecity.monitoring.storage import read_csv_rows

PEER_COLUMNS = ("city", "country", "indicator", "value", "unit", "reference_year", "source")

#: Workspace indicator -> peer-table indicators (per-capita ones first).
PEER_INDICATORS: dict[str, tuple[str, ...]] = {
    "libraries": ("public_libraries_per_100k", "public_libraries"),
    "museums": ("museums",),
    "theatres": ("theatres",),
    "cinemas": ("cinemas",),
}

CAVEATS = (
    "Definitions, city boundaries and years differ between cities: context, not a ranking.",
    "Peer figures are mostly World Cities Culture Forum numbers quoted by the press and blogs (2012-2019).",
    "A peer count is shown per 100,000 inhabitants only when the peer table gives that city's population.",
)


def bundled_peers_path() -> Path:
    """The shipped peer table."""
    return Path(str(resources.files("creativecity") / "data" / "peers" / "world_cities_culture.csv"))


@dataclass
class PeerValue:
    """One peer city's figure, and its per-capita value when it can be computed."""

    city: str
    country: str
    indicator: str
    value: float
    unit: str
    per_100k: float | None
    reference_year: int | None
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class PeerComparison:
    """The city's figure for one indicator beside the peers' figures."""

    indicator: str
    city_value: float | None
    city_year: int | None
    city_per_100k: float | None
    city_source: str
    peers: list[PeerValue]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class PeerReport:
    """Per-capita context for a workspace."""

    workspace: str
    city: str
    population: float | None
    population_year: int | None
    population_source: str
    comparisons: list[PeerComparison]
    caveats: list[str] = field(default_factory=lambda: list(CAVEATS))
    peers_file: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


def read_peers(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Rows of a peer table (bundled by default), checked: all problems are reported together."""
    p = Path(path) if path is not None else bundled_peers_path()
    if not p.is_file():
        raise InputError("file not found", file=str(p), rule="exists")
    rows = list(read_csv_rows(p))
    errors: list[InputError] = []
    if rows:
        missing = [c for c in PEER_COLUMNS if c not in rows[0][1]]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", file=str(p), row=1, rule="columns")
    out = []
    for row, cells in rows:
        try:
            value = float(cells["value"])
        except (TypeError, ValueError):
            errors.append(
                InputError(
                    f"{cells['value']!r} is not a number", file=str(p), row=row, column="value", rule="number"
                )
            )
            continue
        year_text = (cells.get("reference_year") or "").strip()
        try:
            year = int(year_text) if year_text else None
        except ValueError:
            errors.append(
                InputError(
                    f"{year_text!r} is not a year", file=str(p), row=row, column="reference_year", rule="year"
                )
            )
            continue
        if not (cells.get("source") or "").strip():
            errors.append(
                InputError(
                    "a source is required", file=str(p), row=row, column="source", rule="missing source"
                )
            )
            continue
        out.append({**cells, "value": value, "reference_year": year})
    if errors:
        raise InputErrors(errors, file=str(p))
    return out


def compare_with_peers(
    ws: Workspace, peers_path: str | os.PathLike[str] | None = None, as_of: int | None = None
) -> PeerReport:
    """Per-100,000 figures of the workspace's venue counts beside the peer table.

    The city's population is its latest ``population`` observation (scope = the city) on or before
    ``as_of``; without one, per-capita figures are left empty and the note says so.
    """
    year = as_of if as_of is not None else date.today().year
    points, _ = resolve_points(observations_frame(ws), year)
    city_pts = points[points["scope"] == ws.city].sort_values("year")
    pop = city_pts[city_pts["indicator"] == "population"]
    population = float(pop["value"].to_numpy(dtype=float)[-1]) if len(pop) else None
    pop_year = int(pop["year"].to_numpy(dtype=float)[-1]) if len(pop) else None
    pop_source = str(pop["source"].iat[-1]) if len(pop) else ""

    peers = read_peers(peers_path)
    peer_pop = {r["city"]: r["value"] for r in peers if r["indicator"] == "population"}
    comparisons = []
    for indicator, peer_codes in PEER_INDICATORS.items():
        mine = city_pts[(city_pts["indicator"] == indicator) & (city_pts["unit"] == "count")]
        value = float(mine["value"].to_numpy(dtype=float)[-1]) if len(mine) else None
        vyear = int(mine["year"].to_numpy(dtype=float)[-1]) if len(mine) else None
        per = value / population * 1e5 if value is not None and population else None
        note = ""
        if value is None:
            note = f"no {indicator} count in the workspace"
        elif population is None:
            note = "no population figure for the city in the workspace: per-capita value not computed"
        elif vyear != pop_year:
            note = f"count of {vyear} divided by the population of {pop_year}"
        rows = []
        for r in peers:
            if r["indicator"] not in peer_codes:
                continue
            is_rate = r["indicator"].endswith("_per_100k")
            rate = (
                r["value"]
                if is_rate
                else (r["value"] / peer_pop[r["city"]] * 1e5 if r["city"] in peer_pop else None)
            )
            rows.append(
                PeerValue(
                    r["city"],
                    r["country"],
                    r["indicator"],
                    r["value"],
                    r["unit"],
                    rate,
                    r["reference_year"],
                    r["source"],
                )
            )
        rows.sort(key=lambda v: (v.per_100k is None, v.city))
        comparisons.append(
            PeerComparison(
                indicator, value, vyear, per, str(mine["source"].iat[-1]) if len(mine) else "", rows, note
            )
        )
    return PeerReport(
        workspace=ws.name,
        city=ws.city,
        population=population,
        population_year=pop_year,
        population_source=pop_source,
        comparisons=comparisons,
        peers_file=str(peers_path) if peers_path else "bundled world_cities_culture.csv",
    )
