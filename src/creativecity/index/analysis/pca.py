"""Principal component analysis of aggregation groups, and the weights it suggests.

PCA serves two purposes in an index audit. As an analysis tool it asks whether the children of an
aggregate are mostly one dimension: a first component explaining most of the variance gives some
justification for adding them up. As a weighting tool, the first component's loadings are sometimes
used as weights. The latter needs care, and this module makes the two arbitrary choices explicit
instead of hiding them:

* **sign**: an eigenvector is only defined up to sign. ``"positive"`` (default) flips it so that the
  loadings sum to a non-negative number, which makes results reproducible across LAPACK builds;
  ``"none"`` keeps whatever the SVD returns (COINr/``prcomp`` behaviour).
* **scaling**: ``"unit"`` keeps the eigenvector (squared loadings sum to 1; COINr's weights),
  ``"sum"`` divides by the sum of loadings (weights summing to 1, usable directly as aggregation
  weights), ``"squared"`` squares the unit loadings (non-negative, summing to 1 — the share of the
  component's variance owed to each code).

Data are used listwise complete (a unit missing any of the group's codes is left out) and standardised
(mean 0, sd 1 with n - 1), so the analysis is of the correlation matrix, as with
``prcomp(scale. = TRUE)``. The decomposition is numpy's SVD of the standardised matrix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from creativecity.errors import InputError

__all__ = ["PCAResult", "pca", "pca_by_parent"]

Sign = Literal["positive", "none"]
Scaling = Literal["unit", "sum", "squared"]
SIGNS: tuple[str, ...] = ("positive", "none")
SCALINGS: tuple[str, ...] = ("unit", "sum", "squared")


class _Tree(Protocol):
    n_levels: int

    def codes_at(self, level: int) -> list[str]: ...

    def children(self, code: str) -> list[str]: ...


@dataclass
class PCAResult:
    """PCA of one group of codes.

    Attributes
    ----------
    codes : list of str
        The codes analysed, in order.
    n : int
        Number of complete units used.
    explained : numpy.ndarray
        Share of total variance explained by each component (sums to 1).
    loadings : pandas.Series
        First-component eigenvector (unit length, sign per ``sign``), index = codes.
    weights : pandas.Series
        ``loadings`` scaled per ``scaling``.
    sign, scaling : str
        The options used, recorded with the result.
    group : str or None
        The parent aggregate, when computed per group.
    """

    codes: list[str]
    n: int
    explained: np.ndarray
    loadings: pd.Series
    weights: pd.Series
    sign: str = "positive"
    scaling: str = "unit"
    group: str | None = None
    eigenvalues: np.ndarray = field(default_factory=lambda: np.array([]))

    @property
    def explained_first(self) -> float:
        """Share of variance on the first component (NaN if undefined)."""
        return float(self.explained[0]) if self.explained.size else math.nan

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "group": self.group,
            "codes": self.codes,
            "n": self.n,
            "explained": [float(v) for v in self.explained],
            "loadings": {k: float(v) for k, v in self.loadings.items()},
            "weights": {k: float(v) for k, v in self.weights.items()},
            "sign": self.sign,
            "scaling": self.scaling,
        }


def pca(
    data: pd.DataFrame,
    codes: Sequence[str] | None = None,
    sign: str = "positive",
    scaling: str = "unit",
    group: str | None = None,
) -> PCAResult:
    """PCA of a set of columns (listwise complete, standardised).

    Parameters
    ----------
    data : pandas.DataFrame
        Units in rows, codes in columns.
    codes : sequence of str, optional
        Columns to analyse (default all); at least two.
    sign : {"positive", "none"}
    scaling : {"unit", "sum", "squared"}
        See the module docstring.
    group : str, optional
        Label stored in the result.

    Raises
    ------
    InputError
        Unknown option, unknown code, fewer than two codes, fewer complete units than codes + 1, a
        constant column (it cannot be standardised), or ``scaling="sum"`` when the loadings sum to 0.
    """
    if sign not in SIGNS:
        raise InputError(
            f"unknown PCA sign option {sign!r}; use one of {', '.join(SIGNS)}",
            column="sign",
            rule="pca option",
        )
    if scaling not in SCALINGS:
        raise InputError(
            f"unknown PCA scaling {scaling!r}; use one of {', '.join(SCALINGS)}",
            column="scaling",
            rule="pca option",
        )
    codes = list(codes) if codes is not None else list(map(str, data.columns))
    for c in codes:
        if c not in data.columns:
            raise InputError(f"code {c!r} is not in the data set", column=c, rule="code exists")
    where = f" (group {group})" if group else ""
    if len(codes) < 2:
        raise InputError(f"PCA needs at least two codes{where}", column=group, rule="pca size")
    x = data[codes].astype(float).dropna(axis=0, how="any")
    n = len(x)
    if n < len(codes) + 1:
        raise InputError(
            f"PCA{where} has {n} complete units for {len(codes)} codes; it needs at least {len(codes) + 1}",
            column=group,
            rule="pca complete units",
        )
    sd = x.std(ddof=1)
    const = [c for c in codes if not sd[c] > 0]
    if const:
        raise InputError(
            f"code {const[0]!r} is constant on the complete units{where}: PCA cannot standardise it",
            column=const[0],
            rule="pca non-constant",
        )
    z = ((x - x.mean()) / sd).to_numpy()
    # SVD of Z/sqrt(n-1): squared singular values are the eigenvalues of the correlation matrix.
    _, s, vt = np.linalg.svd(z / math.sqrt(n - 1), full_matrices=False)
    eig = s**2
    explained = eig / eig.sum()
    v1 = vt[0].copy()
    if sign == "positive" and v1.sum() < 0:
        v1 = -v1
    loadings = pd.Series(v1, index=codes, name="loading")
    if scaling == "unit":
        w = v1.copy()
    elif scaling == "squared":
        w = v1**2
    else:
        total = v1.sum()
        if abs(total) < 1e-12:
            raise InputError(
                f"PCA loadings{where} sum to zero, so they cannot be scaled to sum 1; "
                "use scaling 'squared' or 'unit'",
                column=group,
                rule="pca scaling",
            )
        w = v1 / total
    return PCAResult(
        codes=codes,
        n=n,
        explained=explained,
        loadings=loadings,
        weights=pd.Series(w, index=codes, name="weight"),
        sign=sign,
        scaling=scaling,
        group=group,
        eigenvalues=eig,
    )


def pca_by_parent(
    data: pd.DataFrame,
    framework: _Tree,
    level: int = 2,
    sign: str = "positive",
    scaling: str = "unit",
    skip_invalid: bool = True,
) -> tuple[list[PCAResult], pd.DataFrame]:
    """PCA of the children of each aggregate at ``level``.

    Parameters
    ----------
    data : pandas.DataFrame
        Scores of the children (e.g. normalised indicators for ``level=2``).
    framework : Framework
    level : int
        Level of the parents; the PCA runs over each parent's children at ``level - 1``.
    sign, scaling : str
        As for :func:`pca`.
    skip_invalid : bool
        When True, a group PCA cannot handle (one child, too few complete units, a constant child)
        is reported in the summary with its reason instead of stopping the whole analysis.

    Returns
    -------
    (results, summary)
        One :class:`PCAResult` per analysable group, and a summary table with columns
        ``group, k, n, explained_first, note``.
    """
    results: list[PCAResult] = []
    rows = []
    for agg in framework.codes_at(level):
        kids = [c for c in framework.children(agg) if c in data.columns]
        try:
            res = pca(data, kids, sign=sign, scaling=scaling, group=agg)
        except InputError as exc:
            if not skip_invalid or exc.rule == "pca option":
                raise
            rows.append(
                {
                    "group": agg,
                    "k": len(kids),
                    "n": int(data[kids].dropna().shape[0]),
                    "explained_first": math.nan,
                    "note": exc.message,
                }
            )
            continue
        results.append(res)
        rows.append(
            {"group": agg, "k": len(kids), "n": res.n, "explained_first": res.explained_first, "note": ""}
        )
    return results, pd.DataFrame(rows, columns=["group", "k", "n", "explained_first", "note"])
