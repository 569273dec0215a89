"""Comparing the nominal ranking with the rankings the assumptions allow.

A rank is only as meaningful as the choices behind it. After uncertainty analysis, the useful
questions for a city are: does my nominal rank sit where most replications put me (shift = nominal -
median), how wide is the band of plausible ranks (q95 - q05), and which units' ranks are so uncertain
that they should not be reported as a single number. This module answers them from ``rank_stats``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class RankComparison:
    """Nominal versus median ranks of the target code.

    Attributes
    ----------
    table
        One row per unit: ``uCode, nominal, median, q05, q95, shift, width, outside`` where ``shift =
        nominal - median`` (positive: the nominal ranking puts the unit *lower* than most
        replications do), ``width = q95 - q05`` and ``outside`` says whether the nominal rank falls
        outside the 5-95 % band. Sorted by width (widest first), then nominal rank.
    mean_abs_shift
        Mean |nominal - median| over units with both.
    spearman
        Spearman correlation of nominal and median ranks (1 = the same order).
    n_outside
        Units whose nominal rank lies outside their own 5-95 % band.
    """

    table: pd.DataFrame
    mean_abs_shift: float
    spearman: float
    n_outside: int
    notes: list[str] = field(default_factory=list)

    def widest(self, k: int = 10) -> pd.DataFrame:
        """The ``k`` units with the widest 5-95 % rank interval."""
        return self.table.head(k)

    def to_dict(self) -> dict[str, Any]:
        """Summary and the per-unit table as plain values."""
        return {
            "mean_abs_shift": self.mean_abs_shift,
            "spearman": self.spearman,
            "n_outside": self.n_outside,
            "units": self.table.to_dict(orient="records"),
            "notes": list(self.notes),
        }


def compare_rankings(rank_stats: pd.DataFrame) -> RankComparison:
    """Build the comparison from a ``rank_stats`` table (``uCode, nominal, median, q05, q95``)."""
    df = rank_stats.loc[:, ["uCode", "nominal", "median", "q05", "q95"]].copy()
    df["shift"] = df["nominal"] - df["median"]
    df["width"] = df["q95"] - df["q05"]
    both = df["nominal"].notna() & df["median"].notna()
    df["outside"] = both & ((df["nominal"] < df["q05"]) | (df["nominal"] > df["q95"]))
    df = df.sort_values(["width", "nominal", "uCode"], ascending=[False, True, True], na_position="last")
    df = df.reset_index(drop=True)
    notes: list[str] = []
    if both.sum() >= 2:
        a = df.loc[both, "nominal"].rank(method="average")
        b = df.loc[both, "median"].rank(method="average")
        spearman = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else float("nan")
        mean_abs = float((df.loc[both, "shift"]).abs().mean())
    else:
        spearman, mean_abs = float("nan"), float("nan")
        notes.append("fewer than two units have both a nominal and a median rank")
    return RankComparison(df, mean_abs, spearman, int(df["outside"].sum()), notes)
