"""Charts for the reports, drawn with matplotlib's object API (no pyplot global state).

Charts are returned as PNG bytes: one format that HTML (as a data URI), WeasyPrint and Word all embed
without extra converters. Labels come translated from the caller, and the default DejaVu Sans font
carries Vietnamese diacritics.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# matplotlib's "tab10": eight creative fields need eight colours that stay apart in print
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def _png(fig: Figure, bottom: float = 0.15) -> bytes:
    # fixed margins instead of bbox_inches="tight": "tight" draws every chart twice (twice the time)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=bottom)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


@dataclass(frozen=True)
class ProgressSeries:
    """Points of one indicator's progress chart (years and values; None where unknown)."""

    baseline: tuple[int, float] | None
    latest: tuple[int, float] | None
    targets: Sequence[tuple[int, float]]
    projection: tuple[int, float] | None = None
    #: Every observed point of the series (years in order); when given, all are drawn, so that a line
    #: from 2018 to 2023 never hides the figures of the years between.
    points: Sequence[tuple[int, float]] = ()


def progress_chart(
    series: ProgressSeries,
    *,
    title: str,
    unit: str,
    labels: dict[str, str],
    fmt: Callable[[float], str],
    number: Callable[[float], str] = str,
) -> bytes:
    """Baseline -> latest -> target(s), with the latest pace extended as a dashed projection.

    Parameters
    ----------
    labels
        Translated legend texts: ``baseline``, ``latest``, ``target``, ``projection``, ``year``.
    fmt
        Locale value formatter for the point labels (``3,7 %`` in Vietnamese).
    number
        Locale number formatter for the axis ticks (``6,5``).
    """
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.add_subplot()
    # baseline and latest are one point when a series has a single figure: draw and label it once
    observed = list(dict.fromkeys(p for p in (series.baseline, series.latest) if p is not None))
    if series.points:
        observed = sorted(dict.fromkeys([*series.points, *observed]))
    if observed:
        ax.plot(
            [p[0] for p in observed],
            [p[1] for p in observed],
            "-o",
            color=_COLOURS[0],
            label=labels["observed"],
            zorder=3,
        )
        for year, value in observed:
            ax.annotate(fmt(value), (year, value), textcoords="offset points", xytext=(0, 7), ha="center")
    if series.latest is not None and series.projection is not None:
        (x0, y0), (x1, y1) = series.latest, series.projection
        ax.plot([x0, x1], [y0, y1], "--", color=_COLOURS[0], alpha=0.7, label=labels["projection"])
    if series.targets:
        ax.plot(
            [t[0] for t in series.targets],
            [t[1] for t in series.targets],
            "*",
            markersize=13,
            color=_COLOURS[1],
            label=labels["target"],
            zorder=4,
        )
        for year, value in series.targets:
            ax.annotate(fmt(value), (year, value), textcoords="offset points", xytext=(0, 8), ha="center")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(labels["year"])
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    ax.grid(True, alpha=0.3)
    ax.margins(x=0.08, y=0.2)
    _integer_ticks(ax)
    ax.legend(fontsize=8, loc="best")
    return _png(fig)


def growth_chart(
    counts: dict[int, dict[str, int]],
    *,
    title: str,
    field_label: Callable[[str], str],
    labels: dict[str, str],
) -> bytes:
    """Stacked bars of new designations per round, one colour per creative field.

    The registry rarely changes within a process, so the PNG is cached on the counts and the texts
    (the web app and the demo draw the same chart again and again).
    """
    fields = sorted({f for per in counts.values() for f in per})
    return _growth_png(
        tuple(sorted((y, tuple(sorted(per.items()))) for y, per in counts.items())),
        title,
        tuple((f, field_label(f)) for f in fields),
        tuple(sorted(labels.items())),
    )


@functools.lru_cache(maxsize=32)
def _growth_png(
    counts_key: tuple[tuple[int, tuple[tuple[str, int], ...]], ...],
    title: str,
    field_names: tuple[tuple[str, str], ...],
    labels_key: tuple[tuple[str, str], ...],
) -> bytes:
    counts = {y: dict(per) for y, per in counts_key}
    labels = dict(labels_key)
    names = dict(field_names)
    years = sorted(counts)
    fields = sorted(names)
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.add_subplot()
    bottom = [0] * len(years)
    for i, name in enumerate(fields):
        heights = [counts[y].get(name, 0) for y in years]
        ax.bar(
            [str(y) for y in years],
            heights,
            bottom=bottom,
            color=_COLOURS[i % len(_COLOURS)],
            label=names[name],
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(labels["round"])
    ax.set_ylabel(labels["cities"])
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    # headroom above the tallest bar so that the legend (up to four rows) never covers a bar
    ax.set_ylim(0, max(max(bottom, default=0), 1) * 1.6)
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    ax.grid(True, axis="y", alpha=0.3)
    return _png(fig, bottom=0.2)


def rank_chart(
    rows: Sequence[tuple[str, float, float, float, float]],
    *,
    title: str,
    labels: dict[str, str],
    max_units: int = 30,
) -> bytes:
    """Nominal rank (dot), median (tick) and 5-95 % interval (bar) per unit, best rank on top.

    ``rows`` are ``(code, nominal, median, q05, q95)``; only the ``max_units`` best are drawn so the
    chart stays readable on a page (the table lists them all).
    """
    shown = list(rows)[:max_units]
    fig = Figure(figsize=(6.4, max(2.0, 0.22 * len(shown) + 0.9)))
    ax = fig.add_subplot()
    ys = list(range(len(shown)))
    for y, (_code, nominal, median, q05, q95) in zip(ys, shown, strict=True):
        ax.plot([q05, q95], [y, y], "-", color=_COLOURS[0], alpha=0.45, linewidth=4)
        ax.plot([median], [y], "|", color=_COLOURS[0], markersize=9)
        ax.plot([nominal], [y], "o", color=_COLOURS[1], markersize=4)
    ax.set_yticks(ys, [r[0] for r in shown], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(labels["rank"])
    ax.set_title(title, fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)
    handles = [
        ax.plot([], [], "o", color=_COLOURS[1])[0],
        ax.plot([], [], "|", color=_COLOURS[0], markersize=9)[0],
        ax.plot([], [], "-", color=_COLOURS[0], alpha=0.45, linewidth=4)[0],
    ]
    ax.legend(
        handles, [labels["nominal"], labels["median"], labels["interval"]], fontsize=7, loc="lower right"
    )
    return _png(fig, bottom=0.12)


def pillar_chart(
    pillars: Sequence[tuple[str, int, bool]],
    *,
    title: str,
    labels: dict[str, str],
    number: Callable[[float], str] = str,
) -> bytes:
    """Observations per pillar as horizontal bars; pillars without data are marked, not hidden.

    ``pillars`` are ``(name, observations, gap)`` in the framework's order.
    """
    fig = Figure(figsize=(6.4, max(1.8, 0.45 * len(pillars) + 0.9)))
    ax = fig.add_subplot()
    ys = list(range(len(pillars)))
    counts = [n for _name, n, _gap in pillars]
    colours = [_COLOURS[3] if gap else _COLOURS[2] for _name, _n, gap in pillars]
    ax.barh(ys, counts, color=colours)
    for y, (_name, n, gap) in zip(ys, pillars, strict=True):
        text = labels["gap"] if gap else number(n)
        ax.annotate(text, (n, y), textcoords="offset points", xytext=(4, 0), va="center", fontsize=8)
    names = [textwrap.fill(name, 38) for name, _n, _gap in pillars]
    ax.set_yticks(ys, names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(labels["observations"])
    ax.set_title(title, fontsize=10)
    ax.margins(x=0.15)
    _integer_ticks(ax)
    ax.grid(True, axis="x", alpha=0.3)
    fig.subplots_adjust(left=0.42, right=0.97, top=0.88, bottom=0.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _integer_ticks(ax: Any) -> None:
    """Years on the x axis: ticks on whole numbers only (no 2021.5), keeping matplotlib's tick count."""
    locator = ax.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
