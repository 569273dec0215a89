"""Small inline SVG charts for the dashboard: a figure's series over the years and its target.

Drawn as plain SVG text on the server (no JavaScript, no image requests), so the dashboard stays one
cacheable document that prints and works offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 160, 44, 5


def series_points(
    observations: Iterable[object], indicator: str, scope: str, unit: str, method: str
) -> list[tuple[int, float]]:
    """Dated values of one series (indicator, scope, unit, method), one per year, by year.

    Where sources disagree for a year, the preferred figure wins, else the first one read: the chart
    shows the line the city reports, the conflicts table shows the disagreement.
    """
    by_year: dict[int, tuple[bool, float]] = {}
    for o in observations:
        if (o.indicator, o.scope, o.unit) != (indicator, scope, unit):  # type: ignore[attr-defined]
            continue
        if method and o.method != method:  # type: ignore[attr-defined]
            continue
        year = o.reference_year  # type: ignore[attr-defined]
        if year is None:
            continue
        preferred = o.preferred is True  # type: ignore[attr-defined]
        if year not in by_year or (preferred and not by_year[year][0]):
            by_year[year] = (preferred, float(o.value))  # type: ignore[attr-defined]
    return sorted((y, v) for y, (_, v) in by_year.items())


def sparkline(
    points: list[tuple[int, float]], target: tuple[int, float] | None = None, label: str = ""
) -> Markup:
    """An SVG line of ``points`` with the target as a ringed dot; empty when there is nothing to draw."""
    everything = points + ([target] if target else [])
    if not points:
        return Markup("")
    years = [p[0] for p in everything]
    values = [p[1] for p in everything]
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1

    def xy(year: int, value: float) -> tuple[float, float]:
        x = PAD + (year - x0) / span_x * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - (value - y0) / span_y * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    coords = [xy(*p) for p in points]
    line = " ".join(f"{x},{y}" for x, y in coords)
    parts = [
        f'<svg class="spark" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    if len(coords) > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="#0b5fa5" stroke-width="1.6"/>')
    for (x, y), (year, value) in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="2.2" fill="#0b5fa5"><title>{year}: {value:g}</title></circle>'
        )
    if target:
        tx, ty = xy(*target)
        lx, ly = coords[-1]
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{tx}" y2="{ty}" stroke="#9a6700" '
            'stroke-dasharray="3,2" stroke-width="1"/>'
        )
        parts.append(
            f'<circle cx="{tx}" cy="{ty}" r="3.2" fill="none" stroke="#9a6700" stroke-width="1.4">'
            f"<title>{target[0]}: {target[1]:g}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
