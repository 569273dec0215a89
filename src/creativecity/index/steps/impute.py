"""Impute: fill missing indicator values, each column on its own.

Observed values are never changed. Group methods borrow only from similar units (e.g. the same
continent), which is what the JRC does for ASEM; a unit without a group label, or a group with no
observed value, keeps its gap and the results say so.
"""

from __future__ import annotations

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
    readonly,
    text,
)

# Every impute method: f(x, group) -> array of the same shape as x (units x indicators).
# ``group`` is an object array of labels per unit (None = no label) or None when not asked for.


def impute_none(x: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    """Leave gaps as they are (a copy)."""
    return np.array(x, copy=True)


def _fill(x: np.ndarray, fill: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), fill, x)


def impute_mean(x: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    """Column mean of the observed values."""
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.sum(~np.isnan(x), axis=0)
        mean = np.where(n > 0, np.nansum(x, axis=0) / np.maximum(n, 1), np.nan)
    return _fill(x, mean[None, :])


def impute_median(x: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    """Column median of the observed values (even n: mean of the two middle values)."""
    med = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        col = col[~np.isnan(col)]
        if col.size:
            med[j] = np.median(col)
    return _fill(x, med[None, :])


def _group_fill(x: np.ndarray, group: np.ndarray | None, how: str) -> np.ndarray:
    if group is None:
        raise ValueError("group imputation needs a group column")
    fill = np.full(x.shape, np.nan)
    labels = pd.Series(group, dtype=object)
    for label in pd.unique(labels.dropna()):
        rows = (labels == label).to_numpy()
        sub = impute_mean(x[rows], None) if how == "mean" else impute_median(x[rows], None)
        fill[rows] = sub
    return _fill(x, fill)


def impute_group_mean(x: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    """Mean of the observed values of units in the same group."""
    return _group_fill(x, group, "mean")


def impute_group_median(x: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    """Median of the observed values of units in the same group."""
    return _group_fill(x, group, "median")


_GROUP = Param("group", text(), doc="group column of the unit data (a Group row of iMeta)")


def _check(p: dict[str, Any], source: str, path: str) -> dict[str, Any]:
    if p["method"].startswith("group_") and not p.get("group"):
        raise InputError(
            f"method {p['method']!r} needs 'group: COLUMN'",
            file=source,
            column=f"{path}.group",
            rule="required parameter",
        )
    return p


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Apply the chosen method and report counts and remaining gaps."""
    method = params["method"]
    group = None
    gname = params.get("group")
    if gname:
        groups = ctx.data._groups
        if gname not in groups.columns:
            raise InputError(
                f"group column {gname!r} is not in the unit data (iMeta Group columns: "
                f"{', '.join(ctx.framework.group_columns) or 'none'})",
                file=ctx.spec_source,
                column=f"{ctx.path}.group",
                rule="known group column",
            )
        group = groups[gname].reindex(state.units).to_numpy(dtype=object)
    func = KIND.methods[method].func
    out = func(state.x, group)
    was = np.isnan(state.x)
    still = np.isnan(out)
    filled = (was & ~still).sum(axis=0)
    warnings: list[str] = []
    if group is not None:
        for label in pd.unique(pd.Series(group).dropna()):
            empty = was[group == label].all(axis=0)
            for code in np.asarray(state.columns, dtype=object)[empty]:
                warnings.append(f"impute: group {label!r} has no values for {code!r}; its gaps stay missing")
        no_label = pd.isna(pd.Series(group)).to_numpy()
        if (no_label[:, None] & was).any():
            units = [str(u) for u in state.units[no_label & was.any(axis=1)]]
            warnings.append(f"impute: unit(s) without a {gname!r} label keep their gaps: {', '.join(units)}")
    if still.any():
        warnings.append(f"impute: {int(still.sum())} value(s) still missing after imputation ({method})")
    details = {
        "method": method,
        "group": gname,
        "imputed": {c: int(n) for c, n in zip(state.columns, filled, strict=True) if n},
        "imputed_total": int(filled.sum()),
        "still_missing": int(still.sum()),
    }
    return StepOutput(State(state.units, state.columns, readonly(out)), details, warnings)


KIND = StepKind(
    name="impute",
    dataset="Imputed",
    methods={
        "mean": Method("mean", impute_mean, (), "column mean"),
        "median": Method("median", impute_median, (), "column median"),
        "group_mean": Method("group_mean", impute_group_mean, (_GROUP,), "mean within the unit's group"),
        "group_median": Method(
            "group_median", impute_group_median, (_GROUP,), "median within the unit's group"
        ),
        "none": Method("none", impute_none, (), "leave gaps"),
    },
    selector="method",
    default_method="mean",
    params=(),
    run=run,
    validate=_check,
    doc="Fill missing values column by column.",
)
