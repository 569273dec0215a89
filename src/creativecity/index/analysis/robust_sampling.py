"""Sampling designs: uniform numbers in, one set of pipeline choices per replication out.

Every replication is driven by a row of uniform numbers on [0, 1): one column per discrete or
continuous assumption and one column per varied weight for weight noise. Keeping the design as a plain
matrix drawn *up front* from the seed is what makes results reproducible everywhere: chunks are slices
of that matrix, so the numbers do not depend on how the work is cut, on how many workers run it, or on
whether it runs in this process or on a Dask cluster.

- Uncertainty analysis uses plain Monte Carlo rows from :func:`numpy.random.default_rng` (seed).
- Sensitivity analysis uses Saltelli's design on a scrambled Sobol' sequence (the same construction as
  :func:`SALib.sample.sobol.sample`, vectorised; a test checks they agree) with one *group* per
  assumption: weight noise is one factor even though it moves many weights.

Mapping uniforms to choices (ENGINE.md §9): k discrete choices -> ``floor(u k)`` (equally likely); a
range ``[low, high]`` -> ``low + u (high - low)`` (whole-number parameters such as ``winmax`` take the
equally likely integers in the range); weight noise -> ``1 + f (2u - 1)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from creativecity.index.analysis.assumptions import INTEGER_PARAMETERS, Assumption, AssumptionSet


@dataclass(frozen=True)
class Column:
    """One column of the design: which assumption it drives and, for noise, which weight."""

    assumption: int
    code: str | None = None


def noise_codes(assumption: Assumption, framework: Any) -> tuple[str, ...]:
    """Codes whose within-parent weight a noise assumption varies (codes at its levels, file order)."""
    codes: list[str] = []
    for lev in assumption.levels:
        codes.extend(framework.codes_at(lev))
    return tuple(codes)


def design_columns(aset: AssumptionSet, framework: Any) -> list[Column]:
    """Columns of the design matrix, in assumption order."""
    cols: list[Column] = []
    for i, a in enumerate(aset.assumptions):
        if a.kind == "noise":
            cols.extend(Column(i, c) for c in noise_codes(a, framework))
        else:
            cols.append(Column(i))
    return cols


def monte_carlo(n: int, n_cols: int, seed: int) -> np.ndarray:
    """(n x n_cols) independent uniforms for uncertainty analysis, reproducible from ``seed``."""
    return np.random.default_rng(seed).random((n, n_cols))


def saltelli(n: int, groups: list[int], seed: int) -> np.ndarray:
    """Saltelli's design (no second order) on a scrambled Sobol' sequence, in SALib's row order.

    For each base point i the rows are A_i, AB_i^(1), ..., AB_i^(G), B_i, where AB^(g) is A with the
    columns of group g taken from B; ``n (G + 2)`` rows in all.

    Parameters
    ----------
    n
        Base sample size N (a power of two keeps the Sobol' sequence balanced; others work).
    groups
        Group id of each column (the assumption it belongs to); groups are numbered by first
        appearance, as SALib numbers them.
    seed
        Seed of the scrambling.
    """
    from scipy.stats import qmc

    d = len(groups)
    order: list[int] = []
    for g in groups:
        if g not in order:
            order.append(g)
    n_groups = len(order)
    sampler = qmc.Sobol(d=2 * d, scramble=True, seed=seed)
    import warnings

    with warnings.catch_warnings():  # balance warning for n not a power of two: documented, harmless
        warnings.simplefilter("ignore", UserWarning)
        base = sampler.random(n)
    a, b = base[:, :d], base[:, d:]
    out = np.empty((n, n_groups + 2, d))
    out[:, 0] = a
    gid = np.asarray(groups)
    for k, g in enumerate(order):
        ab = a.copy()
        cols = gid == g
        ab[:, cols] = b[:, cols]
        out[:, k + 1] = ab
    out[:, -1] = b
    return out.reshape(n * (n_groups + 2), d)


@dataclass
class Replications:
    """The decoded choices of every replication.

    Attributes
    ----------
    aset
        The assumptions.
    n
        Number of replications.
    choice
        Per discrete or integer-range assumption name: chosen index into its ``values`` (discrete) or
        the drawn integer (integer range), shape (n,).
    value
        Per continuous-range assumption name: the drawn number, shape (n,).
    noise
        Per noise assumption name: (codes, multipliers of shape (n, len(codes))).
    """

    aset: AssumptionSet
    n: int
    choice: dict[str, np.ndarray]
    value: dict[str, np.ndarray]
    noise: dict[str, tuple[tuple[str, ...], np.ndarray]]

    def setting(self, a: Assumption, i: int) -> Any:
        """What assumption ``a`` sets in replication ``i`` (a choice, a number; not noise)."""
        if a.kind == "values":
            return a.values[int(self.choice[a.name][i])]
        if a.name in self.choice:
            return int(self.choice[a.name][i])
        return float(self.value[a.name][i])

    def slice(self, start: int, stop: int) -> Replications:
        """Replications ``start..stop-1`` (a chunk), sharing nothing mutable with self."""
        return Replications(
            self.aset,
            stop - start,
            {k: v[start:stop] for k, v in self.choice.items()},
            {k: v[start:stop] for k, v in self.value.items()},
            {k: (c, m[start:stop]) for k, (c, m) in self.noise.items()},
        )


def decode(aset: AssumptionSet, framework: Any, u: np.ndarray) -> Replications:
    """Turn a design matrix of uniforms into the choices of each replication (see module doc)."""
    cols = design_columns(aset, framework)
    if u.shape[1] != len(cols):
        raise ValueError(f"design has {u.shape[1]} columns, assumptions need {len(cols)}")
    n = u.shape[0]
    choice: dict[str, np.ndarray] = {}
    value: dict[str, np.ndarray] = {}
    noise: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    col_of: dict[int, list[int]] = {}
    for j, c in enumerate(cols):
        col_of.setdefault(c.assumption, []).append(j)
    for i, a in enumerate(aset.assumptions):
        js = col_of.get(i, [])
        if a.kind == "values":
            k = len(a.values)
            choice[a.name] = np.minimum((u[:, js[0]] * k).astype(np.int64), k - 1)
        elif a.kind == "range":
            if a.parameter in INTEGER_PARAMETERS:
                lo, hi = math.ceil(a.low), math.floor(a.high)
                k = max(hi - lo + 1, 1)
                choice[a.name] = lo + np.minimum((u[:, js[0]] * k).astype(np.int64), k - 1)
            else:
                value[a.name] = a.low + u[:, js[0]] * (a.high - a.low)
        else:
            codes = tuple(str(cols[j].code) for j in js)  # noise columns always name their weight
            noise[a.name] = (codes, 1.0 + a.factor * (2.0 * u[:, js] - 1.0))
    return Replications(aset, n, choice, value, noise)
