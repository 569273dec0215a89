"""The dashboard's inline SVG series charts, checked on hand-made points."""

from __future__ import annotations

import re

from creativecity.monitoring.model import Observation
from creativecity.web.charts import HEIGHT, PAD, WIDTH, series_points, sparkline


def _obs(year: int | None, value: float, preferred: bool | None = None, scope: str = "Hanoi") -> Observation:
    return Observation("", "cinemas", scope, value, "count", year, source="s", preferred=preferred)


def test_series_points_keep_one_value_per_year_preferring_the_chosen_one() -> None:
    rows = [
        _obs(2020, 40),
        _obs(2019, 30),
        _obs(2020, 45, preferred=True),
        _obs(None, 99),
        _obs(2020, 1, scope="VN"),
    ]
    assert series_points(rows, "cinemas", "Hanoi", "count", "") == [(2019, 30.0), (2020, 45.0)]


def test_sparkline_scales_points_into_the_box() -> None:
    svg = str(sparkline([(2010, 10.0), (2020, 20.0)], target=(2030, 30.0), label="x"))
    # x: 2010 -> PAD, 2030 -> WIDTH - PAD; y: 10 -> HEIGHT - PAD (bottom), 30 -> PAD (top)
    assert f'points="{PAD:.1f},{HEIGHT - PAD:.1f} {WIDTH / 2:.1f},{HEIGHT / 2:.1f}"' in svg
    ring = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="3.2"', svg)
    assert ring and (float(ring.group(1)), float(ring.group(2))) == (WIDTH - PAD, PAD)


def test_sparkline_escapes_its_label_and_is_empty_without_points() -> None:
    assert str(sparkline([], None)) == ""
    svg = str(sparkline([(2020, 1.0)], None, label='<script>"'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
