"""Aggregate: combine children into their parent, level by level, up to the index.

Weights are renormalised over the children a unit actually has, so a missing indicator neither counts
as zero nor silently shifts weight to a different pillar. Methods can differ by level and by aggregate
(e.g. arithmetic inside pillars, geometric across them to limit compensation).
"""

from __future__ import annotations

import math
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
    is_number,
    number,
    readonly,
)

# Every aggregate method: f(x, w, **params) -> array of shape x.shape[:-1].
# x: (..., units, children) with NaN for missing; w: (children,) weights >= 0 (any scale). Missing
# children are dropped with their weights; NaN when nothing is left (or the weights left sum to 0).


def _avail(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = ~np.isnan(x)
    wsum = np.where(ok, w, 0.0).sum(axis=-1)
    return ok, wsum


def _finish(num: np.ndarray, wsum: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, num / np.where(wsum > 0, wsum, 1.0), np.nan)


def arithmetic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """sum(w x) / sum(w) over the available children."""
    ok, wsum = _avail(x, w)
    num = np.where(ok, x * w, 0.0).sum(axis=-1)
    return _finish(num, wsum)


def _refuse(x: np.ndarray, bad: np.ndarray, message: str, rule: str) -> None:
    if bad.any():
        u, c = np.argwhere(bad)[0][-2:]
        raise CellError(int(u), int(c), message.format(value=float(x[tuple(np.argwhere(bad)[0])])), rule)


def geometric(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """exp(sum(w ln x) / sum(w)); values <= 0 are refused."""
    ok, wsum = _avail(x, w)
    _refuse(x, ok & (x <= 0), "value {value!r} <= 0 cannot enter a geometric mean", "positive values")
    with np.errstate(divide="ignore", invalid="ignore"):
        num = np.where(ok, w * np.log(np.where(ok, x, 1.0)), 0.0).sum(axis=-1)
    out = _finish(num, wsum)
    return np.exp(out)


def harmonic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """sum(w) / sum(w / x); values <= 0 are refused."""
    ok, wsum = _avail(x, w)
    _refuse(x, ok & (x <= 0), "value {value!r} <= 0 cannot enter a harmonic mean", "positive values")
    den = np.where(ok, w / np.where(ok, x, 1.0), 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, wsum / np.where(wsum > 0, den, 1.0), np.nan)


def generalised(x: np.ndarray, w: np.ndarray, p: float = 1.0) -> np.ndarray:
    """(sum(w x^p) / sum(w))^(1/p); negative values (and zeros when p < 0) are refused."""
    ok, wsum = _avail(x, w)
    bad = ok & ((x < 0) | ((x == 0) & (p < 0)))
    _refuse(
        x, bad, "value {value!r} cannot enter a generalised mean with p = " + repr(p), "non-negative values"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        num = np.where(ok, w * np.power(np.where(ok, x, 1.0), p), 0.0).sum(axis=-1)
    return np.power(_finish(num, wsum), 1.0 / p)


def copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland score: sum over other units j of sign(O_ij - 1/2).

    O_ij = sum w[x_i > x_j] + 1/2 sum w[x_i = x_j] over the children both units have, weights
    normalised to 1 over those children. Since O_ij - 1/2 = (G - L) / (2 S) (G, L: weight where i is
    greater, lower; S: total), the sign is taken of G - L, with differences below 1e-12 S counted as a
    tie so that rounding in the weights cannot break a mathematical tie.
    """
    lead = x.shape[:-2]
    n, k = x.shape[-2:]
    flat = x.reshape(-1, n, k)
    out = np.empty((flat.shape[0], n))
    for r in range(flat.shape[0]):
        xr = flat[r]
        ok = ~np.isnan(xr)
        for i in range(n):
            both = ok[i] & ok  # (n, k)
            wb = np.where(both, w, 0.0)
            s = wb.sum(axis=1)
            g = np.where(both & (xr[i] > xr), wb, 0.0).sum(axis=1)
            lo = np.where(both & (xr[i] < xr), wb, 0.0).sum(axis=1)
            diff = g - lo
            sign = np.where(np.abs(diff) <= 1e-12 * s, 0.0, np.sign(diff))
            sign[i] = 0.0
            sign[s <= 0] = 0.0
            out[r, i] = sign.sum() if ok[i].any() else np.nan
    return out.reshape(*lead, n)


METHODS = {
    "arithmetic": Method("arithmetic", arithmetic, (), "weighted arithmetic mean"),
    "geometric": Method("geometric", geometric, (), "weighted geometric mean (values > 0)"),
    "harmonic": Method("harmonic", harmonic, (), "weighted harmonic mean (values > 0)"),
    "generalised": Method(
        "generalised",
        generalised,
        (Param("p", number(nonzero=True), 1.0),),
        "weighted power mean with exponent p",
    ),
    "copeland": Method("copeland", copeland, (), "pairwise outranking (Copeland)"),
}


# ---------------------------------------------------------------------------- spec parameters
def _one_method(v: Any, source: str, path: str) -> dict[str, Any]:
    was_text = isinstance(v, str)
    if was_text:
        v = {"method": v}
    if not isinstance(v, Mapping) or "method" not in v:
        raise InputError(
            f"expected a method name or {{method: NAME, p: ...}}, got {v!r}",
            file=source,
            column=path,
            rule="parameter type",
        )
    name = v["method"]
    if not isinstance(name, str) or name not in METHODS:
        raise InputError(
            f"unknown aggregate method {name!r} (one of: {', '.join(METHODS)})",
            file=source,
            column=path if was_text else f"{path}.method",
            rule="known method",
        )
    out: dict[str, Any] = {"method": name}
    allowed = {p.name: p for p in METHODS[name].params}
    for key, value in v.items():
        if key == "method":
            continue
        if key not in allowed:
            raise InputError(
                f"unknown parameter {key!r} for aggregate method {name!r}",
                file=source,
                column=f"{path}.{key}",
                rule="known parameter",
            )
        out[key] = allowed[key].validate(value, source, f"{path}.{key}")
    return out


def parse_method(v: Any, source: str, path: str) -> dict[str, Any]:
    """Validate ``method``: a name, or a mapping {level | aggregate code: name or {method, p}}.

    Returns ``{"default": {...}}`` or ``{"default": None, key: {...}, ...}``; levels become ints.
    """
    if isinstance(v, str):
        return {"default": _one_method(v, source, path)}
    if isinstance(v, Mapping):
        out: dict[Any, Any] = {"default": None}
        for key, m in v.items():
            k: Any = key
            if isinstance(key, bool):
                raise InputError(
                    f"bad key {key!r}", file=source, column=f"{path}.{key}", rule="parameter type"
                )
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                k = int(key)
                if k < 2:
                    raise InputError(
                        f"level {k} has nothing to aggregate (levels start at 2)",
                        file=source,
                        column=f"{path}.{key}",
                        rule="parameter range",
                    )
            out[k] = _one_method(m, source, f"{path}.{key}")
        return out
    raise InputError(
        f"expected a method name or a mapping level/code -> method, got {v!r}",
        file=source,
        column=path,
        rule="parameter type",
    )


def _weights(v: Any, source: str, path: str) -> Any:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, Mapping):
        out = {}
        for code, w in v.items():
            if not is_number(w) or w < 0:
                raise InputError(
                    f"weight {w!r} must be a number >= 0",
                    file=source,
                    column=f"{path}.{code}",
                    rule="Weight >= 0",
                )
            out[str(code)] = float(w)
        return out
    raise InputError(
        f"expected a weight set name or {{code: weight}}, got {v!r}",
        file=source,
        column=path,
        rule="parameter type",
    )


_weights.type_name = "name | {code: weight}"  # type: ignore[attr-defined]


def _validate(p: dict[str, Any], source: str, path: str) -> dict[str, Any]:
    """Cross-check: ``p`` belongs to ``generalised``; the method mapping is parsed."""
    p = dict(p)
    plan = parse_method(p["method"], source, f"{path}.method")
    names = {m["method"] for m in plan.values() if m}
    if p.get("p") is not None and "generalised" not in names:
        raise InputError(
            "parameter 'p' only applies to method generalised",
            file=source,
            column=f"{path}.p",
            rule="known parameter",
        )
    return p


def resolve_weights(fw: Any, spec_weights: Any, source: str, path: str) -> dict[str, float]:
    """Code -> weight: iMeta, replaced by a named set or by the codes given in a mapping."""
    if isinstance(spec_weights, str):
        try:
            base = fw.weight_set(spec_weights)
        except InputError as e:
            raise InputError(e.message, file=source, column=f"{path}.weights", rule=e.rule) from None
    else:
        base = fw.weights
    w = {c: float(base.get(c, math.nan)) for c in fw.codes}
    if isinstance(spec_weights, Mapping):
        for code, value in spec_weights.items():
            if code not in w:
                raise InputError(
                    f"unknown code {code!r} in weights",
                    file=source,
                    column=f"{path}.weights.{code}",
                    rule="known code",
                )
            w[code] = float(value)
    return w


def method_for(plan: Mapping[Any, Any], code: str, level: int, p: float | None) -> dict[str, Any]:
    """The method (with parameters) that aggregates ``code``: by code, else by level, else default."""
    m = plan.get(code) or plan.get(level) or plan.get("default") or {"method": "arithmetic"}
    m = dict(m)
    if m["method"] == "generalised" and "p" not in m:
        m["p"] = 1.0 if p is None else p
    return m


def check_against_framework(
    fw: Any, params: Mapping[str, Any], source: str, path: str
) -> tuple[dict[Any, Any], dict[str, float]]:
    """The aggregation plan and the weights of resolved ``params``, checked against the framework.

    The spec alone cannot tell whether ``Conn: geometric`` or ``weights: pca`` exist; this is the
    check the build makes, shared with the assumptions file so that a bad choice there is refused
    before any replication runs.
    """
    plan = parse_method(params["method"], source, f"{path}.method")
    for key in plan:
        if key != "default" and isinstance(key, str) and key not in fw.aggregates:
            raise InputError(
                f"{key!r} is not an aggregate of the framework",
                file=source,
                column=f"{path}.method.{key}",
                rule="known code",
            )
        if isinstance(key, int) and key > fw.n_levels:
            raise InputError(
                f"level {key} does not exist (the framework has {fw.n_levels})",
                file=source,
                column=f"{path}.method.{key}",
                rule="known level",
            )
    return plan, resolve_weights(fw, params.get("weights"), source, path)


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Aggregate level by level; the output holds the input columns then every aggregate (codes order)."""
    fw = ctx.framework
    plan, weights = check_against_framework(fw, params, ctx.spec_source, ctx.path)
    min_data = params.get("min_data")
    codes = fw.codes
    pos = {c: i for i, c in enumerate(codes)}
    n = len(state.units)
    out = np.full((n, len(codes)), np.nan)
    col_in = {c: j for j, c in enumerate(state.columns)}
    for c in fw.indicators:
        out[:, pos[c]] = state.x[:, col_in[c]]
    used: dict[str, str] = {}
    for level in range(2, fw.n_levels + 1):
        for agg in fw.codes_at(level):
            kids = fw.children(agg)
            idx = [pos[k] for k in kids]
            x = out[:, idx]
            w = np.array([weights[k] for k in kids], dtype=np.float64)
            m = method_for(plan, agg, level, params.get("p"))
            name = m.pop("method")
            used[agg] = name
            func = KIND.methods[name].func
            try:
                y = func(x, w, **m)
            except CellError as e:
                unit = str(state.units[e.unit])
                hint = " Use a normalisation range above zero, e.g. minmax with range: [1, 100]."
                raise InputError(
                    f"unit {unit!r}: the {'normalised value' if kids[e.col] in fw.indicators else 'score'} "
                    f"of {kids[e.col]!r}: {e.message} "
                    f"(aggregating {agg!r} with {name}, {ctx.path}.method in {ctx.spec_source}).{hint}",
                    file=ctx.data.source_name,
                    row=ctx.data.row_of(unit) or unit,
                    column=kids[e.col],
                    rule=e.rule,
                ) from None
            if min_data is not None:
                share = (~np.isnan(x)).sum(axis=1) / len(kids)
                y = np.where(share < min_data, np.nan, y)
            out[:, pos[agg]] = y
    warnings = []
    for agg in fw.aggregates:
        miss = int(np.isnan(out[:, pos[agg]]).sum())
        if miss:
            warnings.append(f"aggregate: {agg!r} is missing for {miss} unit(s)")
    details = {"methods": used, "weights": {c: weights[c] for c in codes}}
    return StepOutput(State(state.units, tuple(codes), readonly(out)), details, warnings)


KIND = StepKind(
    name="aggregate",
    dataset="Aggregated",
    methods=METHODS,
    selector="method",
    default_method="arithmetic",
    params=(
        Param("weights", _weights, None, "named weight set or {code: weight}; default iMeta Weight"),
        Param("min_data", number(0, 1), None, "minimum share of children present, else missing"),
        Param("p", number(nonzero=True), None, "exponent of the generalised mean"),
    ),
    run=run,
    validate=_validate,
    doc="Aggregate children into parents, level by level.",
    method_mapping=True,
)
