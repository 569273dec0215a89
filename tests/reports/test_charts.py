"""Charts: PNG output and caching."""

from __future__ import annotations

import struct

from creativecity.reports.charts import ProgressSeries, growth_chart, progress_chart

LABELS = {"observed": "Observed", "projection": "Projection", "target": "Target", "year": "Year"}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_progress_chart_size() -> None:
    series = ProgressSeries((2018, 10.0), (2021, 16.0), [(2027, 25.0)], (2027, 28.0))
    png = progress_chart(series, title="Hà Nội", unit="count", labels=LABELS, fmt=str)
    # 6.4 x 3.2 inches at 100 dpi
    assert _png_size(png) == (640, 320)


def test_growth_chart_is_cached_on_its_inputs() -> None:
    counts = {2004: {"Literature": 1}, 2005: {"Crafts and Folk Art": 1, "Music": 2}}
    labels = {"round": "Round", "cities": "Cities"}
    first = growth_chart(counts, title="t", field_label=str.upper, labels=labels)
    again = growth_chart(dict(counts), title="t", field_label=str.upper, labels=dict(labels))
    assert first is again  # same inputs -> the cached bytes
    other = growth_chart(counts, title="other", field_label=str.upper, labels=labels)
    assert other is not first and _png_size(other) == (640, 340)


def test_pillar_chart_height_grows_with_pillars() -> None:
    from creativecity.reports.charts import pillar_chart

    labels = {"gap": "gap", "observations": "Observations"}
    two = pillar_chart([("A", 3, False), ("B", 0, True)], title="t", labels=labels)
    five = pillar_chart([(c, 1, False) for c in "ABCDE"], title="t", labels=labels)
    # height = max(1.8, 0.45 * n + 0.9) inches at 100 dpi: 2 -> 1.8 in, 5 -> 3.15 in
    assert _png_size(two) == (640, 180)
    assert _png_size(five) == (640, 315)


def test_progress_chart_draws_every_observed_point() -> None:
    # the value-added share 2018-2023: six figures, the COVID dip included; a line from the first to the
    # last alone would hide 6.02 (2019), 4.32 (2020), 3.92 (2021) and 4.04 (2022)
    points = [(2018, 5.82), (2019, 6.02), (2020, 4.32), (2021, 3.92), (2022, 4.04), (2023, 4.0)]
    labelled: list[float] = []

    def fmt(value: float) -> str:
        labelled.append(value)
        return str(value)

    series = ProgressSeries((2018, 5.82), (2023, 4.0), [(2030, 7.0)], None, points=points)
    progress_chart(series, title="share", unit="%", labels=LABELS, fmt=fmt)
    assert sorted(labelled) == sorted([v for _, v in points] + [7.0])  # every figure and the target
