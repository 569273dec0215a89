"""The chart of a plan: how far each indicator moves, in shares of its observed range.

Spread units put indicators in dollars, percent and counts on one axis, which is also the norm the
plan minimises, so the longest bar is where most of the effort goes. Matplotlib's object-oriented API
with the Agg canvas (no ``pyplot`` state), as the other engine figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from creativecity.index.goal.result import GoalResult


def plot_plan(result: GoalResult, path: str | Path) -> Path:
    """Write a PNG bar chart of ``change_in_spread_units`` per indicator (largest effort on top)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    plan = result.plan_frame()
    n = max(len(plan), 1)
    fig = Figure(figsize=(7.0, 1.2 + 0.32 * n))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.38, right=0.96, top=1 - 0.55 / (1.2 + 0.32 * n), bottom=0.5 / (1.2 + 0.32 * n))
    ax = fig.add_subplot()
    if len(plan):
        y = np.arange(len(plan))[::-1]
        val = plan["change_in_spread_units"].to_numpy(float)
        colour = np.where(val >= 0, "#3182bd", "#e6550d")
        ax.barh(y, val, color=colour)
        labels = [f"{c} {str(nm)[:28]}" for c, nm in zip(plan["iCode"], plan["name"], strict=True)]
        ax.set_yticks(y, labels, fontsize=7)
        ax.axvline(0, color="black", linewidth=0.6)
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no change needed", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("change as a share of the observed range (spread units); orange = decrease", fontsize=8)
    verdict = f"rank {result.start_rank} -> {result.reached_rank}"
    if not result.reached:
        verdict += " (target not reachable within the bounds)"
    ax.set_title(f"{result.unit}: what it would take, {result.target_label}: {verdict}", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    out = Path(path)
    fig.savefig(out, format="png", dpi=130)
    return out
