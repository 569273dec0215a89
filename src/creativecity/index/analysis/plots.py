"""Figures of robustness analysis: rank intervals per unit and sensitivity indices.

Both are written as PNG (for documents and the web page) and SVG (for print and editing), each file
atomically, so a failed run never leaves a half-drawn figure next to the results. Matplotlib's
object-oriented API is used with the Agg canvas, without ``pyplot``: no global state, no display
needed, safe on Dask workers and in the web app.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from creativecity.fileio import atomic_output_file

#: Units shown at most in the rank-interval plot (the best by nominal rank); more would be unreadable.
MAX_UNITS_PLOTTED = 60


def _save(fig: object, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` atomically.

    Margins are fixed on the figure (``bbox_inches="tight"`` or a layout engine would draw everything
    twice) and SVG text stays text (smaller files, editable, faster than text as paths).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # type: ignore[arg-type]
    written: list[Path] = []
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        for ext in ("png", "svg"):
            target = stem.with_suffix(f".{ext}")
            with atomic_output_file(target) as tmp:
                fig.savefig(tmp, format=ext, dpi=130)  # type: ignore[attr-defined]
            written.append(target)
    return written


def plot_rank_intervals(
    rank_stats: pd.DataFrame, stem: str | Path, target: str = "Index", max_units: int = MAX_UNITS_PLOTTED
) -> list[Path]:
    """Nominal rank, median and 5-95 % interval per unit, sorted by nominal rank.

    Parameters
    ----------
    rank_stats
        Columns ``uCode, nominal, median, q05, q95`` (as in ``rank_stats.csv``).
    stem
        Output path without extension; ``.png`` and ``.svg`` are written.
    target
        Code whose ranks these are (for the title).
    max_units
        Only the best ``max_units`` units by nominal rank are drawn (said in the title).

    Returns
    -------
    list of Path
        The files written.
    """
    from matplotlib.figure import Figure

    df = rank_stats.sort_values(["nominal", "uCode"], na_position="last").reset_index(drop=True)
    shown = df.head(max_units)
    n = len(shown)
    fig = Figure(figsize=(max(6.0, 0.18 * n + 2), 4.5))
    # fixed margins: a layout engine would cost more than drawing the figure itself
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.15)
    ax = fig.add_subplot()
    x = np.arange(n)
    low = shown["q05"].to_numpy(float)
    high = shown["q95"].to_numpy(float)
    ax.vlines(x, low, high, color="#9ecae1", linewidth=4, label="5-95 % of replications")
    ax.scatter(x, shown["median"], color="#08519c", s=14, zorder=3, label="median rank")
    ax.scatter(x, shown["nominal"], color="#d94801", marker="_", s=60, zorder=4, label="nominal rank")
    ax.set_xticks(x, shown["uCode"].astype(str), rotation=90, fontsize=7)
    ax.invert_yaxis()
    ax.set_ylabel(f"rank of {target} (1 = best)")
    title = f"Rank intervals of {target}"
    if len(df) > n:
        title += f" (best {n} of {len(df)} units by nominal rank)"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, Path(stem))


def plot_sensitivity(
    rows: Sequence[dict[str, object]], stem: str | Path, target: str = "Index"
) -> list[Path]:
    """First-order (S1) and total (ST) indices per assumption, with their bootstrap intervals.

    Parameters
    ----------
    rows
        Rows of ``sensitivity.csv``: ``assumption, S1, S1_low, S1_high, ST, ST_low, ST_high``.
    stem
        Output path without extension.
    """
    from matplotlib.figure import Figure

    df = pd.DataFrame(list(rows))
    n = len(df)
    fig = Figure(figsize=(max(5.0, 1.2 * n + 2), 4.0))
    fig.subplots_adjust(left=0.12, right=0.98, top=0.9, bottom=0.2)
    ax = fig.add_subplot()
    x = np.arange(n)
    width = 0.38
    for offset, key, colour in ((-width / 2, "S1", "#3182bd"), (width / 2, "ST", "#e6550d")):
        val = df[key].to_numpy(float)
        err = np.vstack(
            [
                np.clip(val - df[f"{key}_low"].to_numpy(float), 0, None),
                np.clip(df[f"{key}_high"].to_numpy(float) - val, 0, None),
            ]
        )
        label = "first order S1" if key == "S1" else "total ST"
        ax.bar(x + offset, val, width, yerr=err, capsize=3, color=colour, label=label)
    ax.set_xticks(x, df["assumption"].astype(str), rotation=20, ha="right")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel("share of variance of the mean rank change")
    ax.set_title(f"Sensitivity of {target} ranks to each assumption", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, Path(stem))
