"""Denominate: turn totals into ratios (flights per person, trade per unit of GDP).

Without this, big countries win every size-driven indicator. A zero denominator is refused with the
unit named, because dividing by it would silently produce infinities that later steps cannot handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from creativecity.errors import InputError
from creativecity.index.steps.base import (
    BuildContext,
    CellError,
    Method,
    Param,
    State,
    StepKind,
    StepOutput,
    readonly,
)


def divide(x: np.ndarray, denom: np.ndarray, has: np.ndarray) -> np.ndarray:
    """Divide the columns flagged in ``has`` by ``denom`` (same shape as ``x``); others are copied.

    Missing values or missing denominators give missing results. A zero denominator under a present
    value raises :class:`CellError` (the reference tool yields Inf/NaN silently).
    """
    cols = np.flatnonzero(has)
    out = np.array(x, dtype=np.float64, copy=True)
    sub = denom[..., cols]
    zero = (sub == 0) & ~np.isnan(x[..., cols])
    if zero.any():
        u, c = np.argwhere(zero)[0][-2:]
        raise CellError(int(u), int(cols[c]), "the denominator is 0", "non-zero denominator")
    with np.errstate(divide="ignore", invalid="ignore"):
        out[..., cols] = x[..., cols] / sub
    return out


def _params_check(p: dict[str, Any], source: str, path: str) -> dict[str, Any]:
    den = p.get("denominators")
    if den is not None and (
        not isinstance(den, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in den.items())
    ):
        raise InputError(
            "expected a mapping {indicator: denominator column}",
            file=source,
            column=f"{path}.denominators",
            rule="parameter type",
        )
    return p


def _mapping(v: Any, source: str, path: str) -> Any:
    if v is None or isinstance(v, Mapping):
        return v
    raise InputError(
        f"expected a mapping {{indicator: column}}, got {v!r}",
        file=source,
        column=path,
        rule="parameter type",
    )


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Divide each indicator with a Denominator (iMeta, or the spec's ``denominators``) by it."""
    fw, data = ctx.framework, ctx.data
    mapping = dict(fw.denominator)
    for ind, col in (params.get("denominators") or {}).items():
        if ind not in fw.indicators:
            raise InputError(
                f"unknown indicator {ind!r}",
                file=ctx.spec_source,
                column=f"{ctx.path}.denominators.{ind}",
                rule="known code",
            )
        mapping[ind] = col
    dens = data._denominators
    if not dens.index.equals(state.units):
        dens = dens.reindex(state.units)
    has = np.array([c in mapping for c in state.columns])
    denom = np.full(state.x.shape, np.nan)
    for j, code in enumerate(state.columns):
        if code in mapping:
            col = mapping[code]
            if col not in dens.columns:
                raise InputError(
                    f"denominator column {col!r} (for indicator {code!r}) is not in the unit data",
                    file=data.source_name,
                    column=col,
                    rule="denominator column present",
                )
            denom[:, j] = dens[col].to_numpy(dtype=np.float64)
    func = KIND.methods["ratio"].func
    try:
        out = func(state.x, denom, has)
    except CellError as e:
        unit, code = state.units[e.unit], state.columns[e.col]
        raise InputError(
            f"unit {unit!r}: denominator {mapping[code]!r} is 0, so {code!r} cannot be divided by it",
            file=data.source_name,
            row=data.row_of(unit) or unit,
            column=mapping[code],
            rule=e.rule,
        ) from None
    warnings = []
    lost = np.isnan(out) & ~np.isnan(state.x)
    if lost.any():
        n = int(lost.sum())
        warnings.append(f"denominate: {n} value(s) became missing because their denominator is missing")
    return StepOutput(
        State(state.units, state.columns, readonly(out)),
        details={"denominators": {k: v for k, v in mapping.items() if k in state.columns}},
        warnings=warnings,
    )


KIND = StepKind(
    name="denominate",
    dataset="Denominated",
    methods={"ratio": Method("ratio", divide, (), "x / denominator")},
    selector=None,
    default_method="ratio",
    params=(Param("denominators", _mapping, None, "override iMeta: {indicator: denominator column}"),),
    run=run,
    validate=_params_check,
    doc="Divide indicators by their iMeta Denominator column.",
)
