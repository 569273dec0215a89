"""Effective weights: how much each code really counts in the index.

Nominal weights are set within each parent (ASEM gives every indicator weight 1 inside its pillar), so
they say little about influence on the index: an indicator in a pillar of five, in a sub-index of five
pillars, in an index of two sub-indices, counts 1/5 x 1/5 x 1/2 = 0.02, while one in a pillar of three
counts more. Showing the effective weights next to the nominal ones is the first check a reviewer asks
for, and it is cheap.

Effective weight of a code = product, up the tree, of its weight normalised within its parent
(ENGINE.md §8). The top code has effective weight 1; the effective weights of each level sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from creativecity.errors import InputError

__all__ = ["effective_weights", "effective_weights_from", "normalised_weights", "weights_table"]


def _is_missing(p: object) -> bool:
    return p is None or p == "" or (isinstance(p, float) and math.isnan(p))


def normalised_weights(parents: Mapping[str, str | None], weights: Mapping[str, float]) -> pd.Series:
    """Each code's weight divided by the sum of its siblings' weights (top codes get 1).

    Raises
    ------
    InputError
        A negative or non-finite weight; the error names the code and the ``Weight`` column.

    Notes
    -----
    Children whose weights sum to zero get NaN: their parent is undefined in the build too (the engine
    leaves such an aggregate missing), so the report shows the gap instead of refusing to run.
    """
    sums: dict[str, float] = {}
    for code, parent in parents.items():
        w = float(weights[code]) if code in weights else math.nan
        if _is_missing(parent):
            continue
        if not math.isfinite(w) or w < 0:
            raise InputError(
                f"weight of {code!r} is {w}; weights must be finite and >= 0",
                row=code,
                column="Weight",
                rule="weight >= 0",
            )
        sums[str(parent)] = sums.get(str(parent), 0.0) + w
    out = {}
    for code, parent in parents.items():
        if _is_missing(parent):
            out[code] = 1.0
            continue
        total = sums[str(parent)]
        out[code] = float(weights[code]) / total if total > 0 else math.nan
    return pd.Series(out, name="within_parent", dtype=float)


def effective_weights_from(parents: Mapping[str, str | None], weights: Mapping[str, float]) -> pd.Series:
    """Effective weights from a ``code -> parent`` map and ``code -> weight`` map.

    Framework-free so it can be used on any tree (and to cross-check the Framework's own method).
    """
    within = normalised_weights(parents, weights)
    out: dict[str, float] = {}
    for code in parents:
        w = 1.0
        c: Any = code
        seen = set()
        while not _is_missing(c):
            if c in seen:
                raise InputError(
                    f"the parent chain of {code!r} loops through {c!r}",
                    row=code,
                    column="Parent",
                    rule="no cycles",
                )
            seen.add(c)
            w *= within[c]
            c = parents.get(c)
        out[code] = w
    return pd.Series(out, name="effective", dtype=float)


def _framework_parents(framework: Any) -> dict[str, str | None]:
    return {c: framework.parent(c) for c in framework.codes}


def _framework_weights(framework: Any) -> dict[str, float]:
    w = framework.weights
    return {str(k): float(v) for k, v in (w.items() if hasattr(w, "items") else w)}


def effective_weights(framework: Any, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Effective weight of every indicator and aggregate of a Framework.

    Parameters
    ----------
    framework : Framework
        The engine's framework (``codes``, ``parent(code)``, ``weights``).
    weights : mapping, optional
        Other weights (``code -> weight``) to evaluate instead of the framework's, e.g. a what-if set;
        codes not given keep their framework weight.

    Returns
    -------
    pandas.Series
        Index = codes in framework order.
    """
    # Our own computation validates (negative weights, zero-sum siblings) with clear errors; the
    # Framework's own ``effective_weights`` must agree with it, which the tests check.
    base = _framework_weights(framework)
    if weights is not None:
        unknown = [k for k in weights if k not in base]
        if unknown:
            raise InputError(
                f"weight given for unknown code {unknown[0]!r}", column=unknown[0], rule="code exists"
            )
        base.update({k: float(v) for k, v in weights.items()})
    return effective_weights_from(_framework_parents(framework), base).reindex(list(framework.codes))


def weights_table(framework: Any, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Nominal, within-parent and effective weights side by side, one row per code.

    Columns: ``code, level, parent, weight, within_parent, effective``.
    """
    base = _framework_weights(framework)
    if weights is not None:
        base.update({k: float(v) for k, v in weights.items()})
    parents = _framework_parents(framework)
    within = normalised_weights(parents, base)
    eff = effective_weights(framework, weights)
    rows = [
        {
            "code": c,
            "level": int(framework.level(c)),
            "parent": None if _is_missing(parents[c]) else parents[c],
            "weight": base.get(c, math.nan),
            "within_parent": float(within[c]),
            "effective": float(eff[c]),
        }
        for c in framework.codes
    ]
    return pd.DataFrame(rows, columns=["code", "level", "parent", "weight", "within_parent", "effective"])
