"""Remove-one analysis: how much does each indicator (or pillar) move the ranking?

For each code at a level, its weight is set to zero and the index is rebuilt; the ranks of the target
code (default the index) are compared with the nominal ranks. A code whose removal hardly moves anyone
contributes little beyond what its siblings already say; one whose removal reshuffles the ranking is a
load-bearing part of the index and deserves the most scrutiny of its data. This is the JRC's
"sensitivity to the exclusion of one indicator" check.

Setting the weight to zero, rather than deleting the code, keeps the framework and data unchanged, so
:meth:`Results.rebuild` reuses every data set up to the aggregation and only re-aggregates: removing
each of ASEM's 49 indicators costs 49 aggregations, not 49 full builds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._types import Progress

__all__ = ["RemoveOneResult", "rank_change", "remove_one"]

COLUMNS = ["code", "level", "parent", "mean_abs_rank_change", "max_abs_rank_change", "n_units", "note"]


@dataclass
class RemoveOneResult:
    """Rank changes of the target code when each code is given weight 0.

    Attributes
    ----------
    target : str
        The code whose ranks are compared (e.g. ``Index``).
    level : int
        Level of the removed codes.
    table : pandas.DataFrame
        Columns ``code, level, parent, mean_abs_rank_change, max_abs_rank_change, n_units, note``,
        in framework order. ``note`` explains an empty row (e.g. an only child).
    ranks : pandas.DataFrame
        Units x removed codes: the target's ranks without each code (nominal ranks in ``nominal``).
    """

    target: str
    level: int
    table: pd.DataFrame
    ranks: pd.DataFrame

    def most_influential(self, k: int = 5) -> pd.DataFrame:
        """The ``k`` codes whose removal changes the ranks most on average."""
        return self.table.dropna(subset=["mean_abs_rank_change"]).nlargest(k, "mean_abs_rank_change")

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {"target": self.target, "level": self.level, "table": self.table.to_dict(orient="records")}


def rank_change(nominal: pd.Series, other: pd.Series) -> tuple[float, float, int]:
    """Mean and maximum absolute rank difference over the units ranked in both.

    Returns
    -------
    (mean, max, n)
        NaN for mean and max when no unit is ranked in both.
    """
    a = pd.to_numeric(nominal, errors="coerce").astype(float)
    b = pd.to_numeric(other.reindex(a.index), errors="coerce").astype(float)
    d = (a - b).abs().dropna()
    if d.empty:
        return math.nan, math.nan, 0
    return float(d.mean()), float(d.max()), len(d)


def remove_one(
    results: Any,
    level: int = 1,
    target: str | None = None,
    codes: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> RemoveOneResult:
    """Give each code at ``level`` weight 0 in turn, rebuild, and compare the target's ranks.

    Parameters
    ----------
    results : Results
        A nominal build (its framework, data and spec are reused).
    level : int
        Level of the codes to remove (below the target's level).
    target : str, optional
        Code whose ranks are compared; default the first top-level code.
    codes : sequence of str, optional
        Only these codes of ``level`` (default all).
    progress : callable, optional
        Called as ``progress(done, total)`` after each code.

    Returns
    -------
    RemoveOneResult

    Raises
    ------
    InputError
        The spec has no aggregate step, the target or a code is unknown, or ``level`` is not below the
        target's level.
    """
    from creativecity.index.steps.aggregate import resolve_weights

    fw = results.framework
    spec = results.spec
    target = target or fw.codes_at(fw.n_levels)[0]
    if target not in fw.codes:
        raise InputError(f"unknown target code {target!r}", column="target", rule="known code")
    if not 1 <= level < fw.level(target):
        raise InputError(
            f"level {level} must be at least 1 and below the target's level {fw.level(target)}",
            column="level",
            rule="level below target",
        )
    agg = spec.step("aggregate")
    if agg is None:
        raise InputError(
            "remove-one needs a spec with an aggregate step", file=spec.source, rule="aggregate step"
        )
    base = resolve_weights(fw, agg.resolved.get("weights"), spec.source, "aggregate")
    at_level = fw.codes_at(level)
    if codes is None:
        codes = at_level
    for c in codes:
        if c not in at_level:
            raise InputError(f"{c!r} is not a code at level {level}", column="codes", rule="code at level")
    nominal = results.ranks[target]
    rows = []
    ranks = {"nominal": nominal.astype("Float64")}
    for done, c in enumerate(codes, 1):
        parent = fw.parent(c)
        siblings = fw.children(parent) if parent else [c]
        others = sum(base[s] for s in siblings if s != c)
        note = ""
        mean = mx = math.nan
        n = 0
        if base[c] == 0:
            note = "weight is already 0"
            mean, mx, n = 0.0, 0.0, int(nominal.notna().sum())
            ranks[c] = nominal.astype("Float64")
        elif not others > 0:
            note = f"only weighted child of {parent}: removing it leaves {parent} undefined"
        else:
            new = results.rebuild(spec.set("aggregate.weights", {**base, c: 0.0}))
            r = new.ranks[target]
            ranks[c] = r.astype("Float64")
            mean, mx, n = rank_change(nominal, r)
        rows.append(
            {
                "code": c,
                "level": level,
                "parent": parent,
                "mean_abs_rank_change": mean,
                "max_abs_rank_change": mx,
                "n_units": n,
                "note": note,
            }
        )
        if progress:
            progress(done, len(codes))
    table = pd.DataFrame(rows, columns=COLUMNS)
    rank_table = pd.DataFrame(ranks)
    rank_table.index.name = "uCode"
    return RemoveOneResult(target=target, level=level, table=table, ranks=rank_table.astype(np.float64))
