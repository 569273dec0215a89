"""Cronbach's alpha: do the children of an aggregate measure one thing?

Alpha is the classical internal-consistency statistic of a scale. For a pillar it answers "if these
indicators were test items, how consistently would they rank the units?"; values above about 0.7 are
usually read as a coherent group. It is a companion of the correlation tables, summarising a whole
group in one number.

Formula (ENGINE.md §8): ``alpha = k/(k-1) * (1 - trace(C)/sum(C))`` with ``C`` the k x k covariance
matrix computed on pairwise-complete observations (n - 1 denominator), as COINr does with
``cov(use = "pairwise.complete.obs")``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from creativecity.errors import InputError

__all__ = ["cronbach_alpha", "cronbach_by_aggregate"]


class _Tree(Protocol):
    n_levels: int

    def codes_at(self, level: int) -> list[str]: ...

    def children(self, code: str) -> list[str]: ...


def cronbach_alpha(data: pd.DataFrame, codes: Sequence[str] | None = None) -> float:
    """Cronbach's alpha of a set of columns.

    Parameters
    ----------
    data : pandas.DataFrame
        Units in rows, codes in columns (NaN = missing).
    codes : sequence of str, optional
        Columns to use; default all.

    Returns
    -------
    float
        NaN when fewer than two columns are given, or when the covariance cannot be computed or sums
        to zero (all columns constant): alpha is undefined there, and a number would mislead.
    """
    if codes is not None:
        missing = [c for c in codes if c not in data.columns]
        if missing:
            raise InputError(
                f"code {missing[0]!r} is not in the data set", column=str(missing[0]), rule="code exists"
            )
        data = data[list(codes)]
    k = data.shape[1]
    if k < 2:
        return math.nan
    cov = data.astype(float).cov(min_periods=2).to_numpy()
    if np.isnan(cov).any():
        return math.nan
    total = float(cov.sum())
    if total == 0.0:
        return math.nan
    return k / (k - 1) * (1.0 - float(np.trace(cov)) / total)


def cronbach_by_aggregate(
    data: pd.DataFrame, framework: _Tree, levels: Sequence[int] | None = None
) -> pd.DataFrame:
    """Alpha of the children of every aggregate.

    Parameters
    ----------
    data : pandas.DataFrame
        Scores of all codes (normalised indicators and aggregates), codes in columns.
    framework : Framework
    levels : sequence of int, optional
        Aggregate levels to report (default 2..L).

    Returns
    -------
    pandas.DataFrame
        Columns ``code, level, k, n_complete, alpha``; ``n_complete`` is the number of units with all
        children present, a reminder of how much data the pairwise covariances rest on.
    """
    levels = list(levels) if levels is not None else list(range(2, framework.n_levels + 1))
    rows = []
    for lev in levels:
        for agg in framework.codes_at(lev):
            kids = [c for c in framework.children(agg) if c in data.columns]
            sub = data[kids]
            rows.append(
                {
                    "code": agg,
                    "level": lev,
                    "k": len(kids),
                    "n_complete": int(sub.notna().all(axis=1).sum()),
                    "alpha": cronbach_alpha(sub),
                }
            )
    return pd.DataFrame(rows, columns=["code", "level", "k", "n_complete", "alpha"])
