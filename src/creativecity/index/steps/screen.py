"""Screen units: drop units with too little data (or too many zeros) to be ranked fairly.

A unit with most indicators missing would get a score built from imputed guesses; screening removes
it and the results say who was removed and why.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index.steps.base import (
    BuildContext,
    Method,
    Param,
    State,
    StepKind,
    StepOutput,
    number,
    readonly,
)

# Every screen method: f(x, min_data, min_nonzero) -> (keep: bool array per unit,
#                                                      availability: float array, non_zero: float array)


def _rates(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n_ind = x.shape[-1]
    missing = np.isnan(x).sum(axis=-1)
    zeros = (x == 0).sum(axis=-1)
    availability = 1.0 - missing / n_ind
    with np.errstate(invalid="ignore", divide="ignore"):
        present = n_ind - missing
        non_zero = np.where(present > 0, 1.0 - zeros / np.maximum(present, 1), np.nan)
    return availability, non_zero


def by_missing(x: np.ndarray, min_data: float, min_nonzero: float) -> tuple[np.ndarray, ...]:
    """Keep units whose availability is not below ``min_data``."""
    avail, nz = _rates(x)
    return ~(avail < min_data), avail, nz


def by_zeros(x: np.ndarray, min_data: float, min_nonzero: float) -> tuple[np.ndarray, ...]:
    """Keep units whose share of non-zero present values is not below ``min_nonzero``."""
    avail, nz = _rates(x)
    return ~(nz < min_nonzero), avail, nz


def by_missing_or_zeros(x: np.ndarray, min_data: float, min_nonzero: float) -> tuple[np.ndarray, ...]:
    """Drop a unit failing either rule."""
    avail, nz = _rates(x)
    return ~((avail < min_data) | (nz < min_nonzero)), avail, nz


def _force(v: Any, source: str, path: str) -> dict[str, list[str]]:
    if v is None:
        return {"keep": [], "drop": []}
    if not isinstance(v, Mapping) or set(v) - {"keep", "drop"}:
        raise InputError(
            "expected {keep: [uCode, ...], drop: [uCode, ...]}",
            file=source,
            column=path,
            rule="parameter type",
        )
    out: dict[str, list[str]] = {"keep": [], "drop": []}
    for k, units in v.items():
        if isinstance(units, str):
            units = [units]
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            raise InputError(
                "expected a list of unit codes", file=source, column=f"{path}.{k}", rule="parameter type"
            )
        out[k] = list(units)
    both = set(out["keep"]) & set(out["drop"])
    if both:
        raise InputError(
            f"unit(s) both kept and dropped: {', '.join(sorted(both))}",
            file=source,
            column=path,
            rule="consistent force",
        )
    return out


_force.type_name = "{keep: [uCode], drop: [uCode]}"  # type: ignore[attr-defined]


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Apply the rule and the force list; record availability, non-zero share and reason per unit."""
    func = KIND.methods[params["by"]].func
    keep, avail, nz = func(state.x, params["min_data"], params["min_nonzero"])
    keep = np.array(keep, dtype=bool)
    reason = np.full(len(keep), "", dtype=object)
    for i in np.flatnonzero(~keep):
        why = []
        if params["by"] in ("missing", "missing_or_zeros") and avail[i] < params["min_data"]:
            why.append(f"availability {avail[i]:.3f} < min_data {params['min_data']:.3f}")
        if params["by"] in ("zeros", "missing_or_zeros") and nz[i] < params["min_nonzero"]:
            why.append(f"non-zero share {nz[i]:.3f} < min_nonzero {params['min_nonzero']:.3f}")
        reason[i] = "; ".join(why)
    units = list(state.units)
    force = params["force"] or {"keep": [], "drop": []}
    for action in ("keep", "drop"):
        for u in force[action]:
            if u not in units:
                raise InputError(
                    f"unit {u!r} is not in the data",
                    file=ctx.spec_source,
                    column=f"{ctx.path}.force.{action}",
                    rule="known uCode",
                )
            k = units.index(u)
            keep[k] = action == "keep"
            reason[k] = f"forced {action}"
    if not keep.any():
        raise InputError(
            "screening drops every unit; lower min_data / min_nonzero",
            file=ctx.spec_source,
            column=f"{ctx.path}.min_data",
            rule="at least one unit kept",
        )
    table = functools.partial(
        pd.DataFrame,
        {"availability": avail, "non_zero": nz, "kept": keep, "reason": reason},
        index=pd.Index(state.units, name="uCode"),
    )  # built when asked for
    dropped = [str(u) for u in state.units[~keep]]
    warnings = [f"screen: dropped {len(dropped)} unit(s): {', '.join(dropped)}"] if dropped else []
    out = State(state.units[keep], state.columns, readonly(np.array(state.x[keep], copy=True)))
    return StepOutput(out, table, warnings)


_COMMON = (
    Param("min_data", number(0, 1), 2 / 3, "minimum share of indicators present (strict <: dropped)"),
    Param("min_nonzero", number(0, 1), 0.05, "minimum share of present values that are not 0"),
    Param("force", _force, None, "{keep: [...], drop: [...]} overrides the rule for named units"),
)

KIND = StepKind(
    name="screen",
    dataset="Screened",
    methods={
        "missing": Method("missing", by_missing, (), "drop when availability < min_data"),
        "zeros": Method("zeros", by_zeros, (), "drop when non-zero share < min_nonzero"),
        "missing_or_zeros": Method("missing_or_zeros", by_missing_or_zeros, (), "either rule"),
    },
    selector="by",
    default_method="missing",
    params=_COMMON,
    run=run,
    doc="Drop units with too little data.",
)
