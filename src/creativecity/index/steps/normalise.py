"""Normalise: put indicators measured in dollars, percent and counts on one comparable scale.

Direction is applied first (x * Direction), so "higher is better" holds for every method's output and
the methods themselves never need to know about direction. Parameters given in the original units of
an indicator (a target, goalposts) are mapped onto the directed scale the same way; see
``docs/dev/engine.md`` for the algebra showing that this reproduces the textbook formulas.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from creativecity.errors import InputError
from creativecity.index.steps.base import (
    BuildContext,
    ColumnError,
    Method,
    Param,
    State,
    StepKind,
    StepOutput,
    boolean,
    interval,
    number,
    number_or_codes,
    readonly,
    text,
)


@dataclass(frozen=True)
class ColumnInfo:
    """What some normalisation methods need to know about the columns and units.

    Attributes
    ----------
    direction
        +1 / -1 per column (already applied to ``x``; given for parameters in original units).
    target
        iMeta Target per column in ORIGINAL units (NaN where none).
    units
        Unit codes along axis -2 (for ``dist2ref``).
    codes
        Column codes (for parameters given per code).
    """

    direction: np.ndarray
    target: np.ndarray
    units: np.ndarray
    codes: tuple[str, ...]


# Every normalise method: f(x, info, **params) -> array of x's shape.
# x: (..., units, indicators), ALREADY multiplied by direction; statistics along axis -2, NaN ignored.


def _stat(func: Any, x: np.ndarray) -> np.ndarray:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", RuntimeWarning)
        return func(x, axis=-2, keepdims=True)


def _check_spread(lo: np.ndarray, hi: np.ndarray, method: str) -> None:
    flat = (lo == hi).reshape(-1, lo.shape[-1]).any(axis=0)
    if flat.any():
        raise ColumnError(
            int(np.flatnonzero(flat)[0]),
            f"{method} needs at least two different values (max = min)",
            "max > min",
        )


def minmax(x: np.ndarray, info: ColumnInfo, range: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """(x - min) / (max - min) * (u - l) + l."""
    lo_, hi_ = float(range[0]), float(range[1])
    mn, mx = _stat(np.nanmin, x), _stat(np.nanmax, x)
    _check_spread(mn, mx, "minmax")
    return (x - mn) / (mx - mn) * (hi_ - lo_) + lo_


def zscore(x: np.ndarray, info: ColumnInfo, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """(x - mean(x)) / sd(x) * sd + mean, with the sample sd (n - 1)."""
    m = _stat(np.nanmean, x)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", RuntimeWarning)
        s = np.nanstd(x, axis=-2, ddof=1, keepdims=True)
    zero = (s == 0).reshape(-1, s.shape[-1]).any(axis=0)
    if zero.any():
        raise ColumnError(
            int(np.flatnonzero(zero)[0]), "zscore needs a non-zero standard deviation", "sd > 0"
        )
    return (x - m) / s * sd + mean


def _rank_min(x: np.ndarray) -> np.ndarray:
    # scipy.stats is imported here, not at module level: it costs about a second of start-up for
    # every command, and only the rank-based normalisations need it.
    from scipy.stats import rankdata

    return rankdata(x, method="min", axis=-2, nan_policy="omit")


def rank(x: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """Rank, ties take the minimum, 1 = lowest, missing stays missing."""
    return _rank_min(x)


def borda(x: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """Rank - 1."""
    return _rank_min(x) - 1.0


def percentile_rank(x: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """(rank - 1) / (n - 1), n = number of values present in the column."""
    n = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (_rank_min(x) - 1.0) / (n - 1.0)


def fracmax(x: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """x / max."""
    mx = _stat(np.nanmax, x)
    zero = (mx == 0).reshape(-1, mx.shape[-1]).any(axis=0)
    if zero.any():
        raise ColumnError(int(np.flatnonzero(zero)[0]), "fracmax needs a non-zero maximum", "max != 0")
    return x / mx


def dist2max(x: np.ndarray, info: ColumnInfo) -> np.ndarray:
    """1 - (max - x) / (max - min)."""
    mn, mx = _stat(np.nanmin, x), _stat(np.nanmax, x)
    _check_spread(mn, mx, "dist2max")
    return 1.0 - (mx - x) / (mx - mn)


def dist2ref(x: np.ndarray, info: ColumnInfo, unit: str = "", cap: bool = False) -> np.ndarray:
    """1 - (x_ref - x) / (x_ref - min); with ``cap`` values above 1 become 1."""
    where = np.flatnonzero(info.units == unit)
    if where.size == 0:
        raise KeyError(unit)
    ref = x[..., where[0] : where[0] + 1, :]
    mn = _stat(np.nanmin, x)
    _check_spread(mn, ref, "dist2ref (reference unit at the minimum)")
    y = 1.0 - (ref - x) / (ref - mn)
    return np.minimum(y, 1.0) if cap else y


def dist2targ(x: np.ndarray, info: ColumnInfo, cap: bool = False) -> np.ndarray:
    """(x - min) / (target - min) on the directed scale (target * direction); optional cap at 1.

    For Direction -1 this is (max - x) / (max - target) in original units (ENGINE.md §5).
    """
    missing = np.isnan(info.target)
    if missing.any():
        raise ColumnError(
            int(np.flatnonzero(missing)[0]), "dist2targ needs an iMeta Target", "Target present"
        )
    t = info.target * info.direction
    mn = _stat(np.nanmin, x)
    _check_spread(mn, np.broadcast_to(t, mn.shape), "dist2targ (target equals the minimum)")
    y = (x - mn) / (t - mn)
    return np.minimum(y, 1.0) if cap else y


def _per_col(v: float | dict[str, float], info: ColumnInfo, name: str) -> np.ndarray:
    if isinstance(v, Mapping):
        unknown = set(v) - set(info.codes)
        if unknown:
            raise KeyError(f"{name}.{sorted(unknown)[0]}")
        missing = [c for c in info.codes if c not in v]
        if missing:
            raise KeyError(f"{name}.{missing[0]}")
        return np.array([v[c] for c in info.codes], dtype=np.float64)
    return np.full(len(info.codes), float(v))


def goalposts(
    x: np.ndarray,
    info: ColumnInfo,
    lo: float | dict[str, float] = 0.0,
    hi: float | dict[str, float] = 1.0,
    scale: float = 1.0,
) -> np.ndarray:
    """(x - lo) / (hi - lo) clipped to [0, 1], times scale.

    Goalposts are in original units; for Direction -1 they map to lo' = -hi, hi' = -lo, which gives
    (hi - x) / (hi - lo) in original units: the low goalpost is the best value.
    """
    lo_a, hi_a = _per_col(lo, info, "lo"), _per_col(hi, info, "hi")
    bad = ~(lo_a < hi_a)
    if bad.any():
        raise ColumnError(int(np.flatnonzero(bad)[0]), "goalposts need lo < hi", "lo < hi")
    neg = info.direction < 0
    lo_d = np.where(neg, -hi_a, lo_a)
    hi_d = np.where(neg, -lo_a, hi_a)
    y = (x - lo_d) / (hi_d - lo_d)
    return np.clip(y, 0.0, 1.0) * scale


def directed(x: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """x * Direction (the first thing normalisation does)."""
    return x * direction


def run(state: State, params: dict[str, Any], ctx: BuildContext) -> StepOutput:
    """Apply Direction then the method; refer errors to the indicator code (and spec field)."""
    fw = ctx.framework
    method = params["method"]
    kwargs = {k: v for k, v in params.items() if k != "method"}
    same = list(state.columns) == fw.indicators
    dir_s, targ_s = fw.direction, fw.targets
    if not same:
        dir_s, targ_s = dir_s.reindex(list(state.columns)), targ_s.reindex(list(state.columns))
    direction = dir_s.to_numpy(dtype=np.float64)
    info = ColumnInfo(
        direction=direction,
        target=targ_s.to_numpy(dtype=np.float64),
        units=np.asarray(state.units, dtype=object),
        codes=state.columns,
    )
    func = KIND.methods[method].func
    try:
        out = func(directed(state.x, direction), info, **kwargs)
    except ColumnError as e:
        raise InputError(
            f"cannot normalise {state.columns[e.col]!r} with {method}: {e.message}",
            file=ctx.data.source_name,
            column=state.columns[e.col],
            rule=e.rule,
        ) from None
    except KeyError as e:
        key = str(e.args[0])
        if method == "dist2ref":
            raise InputError(
                f"reference unit {key!r} is not among the units being normalised",
                file=ctx.spec_source,
                column=f"{ctx.path}.unit",
                rule="known uCode",
            ) from None
        raise InputError(
            f"goalposts: {key.split('.')[-1]!r} is not given / not an indicator",
            file=ctx.spec_source,
            column=f"{ctx.path}.{key}",
            rule="goalposts per indicator",
        ) from None
    warn = []
    empty = np.isnan(state.x).all(axis=0)
    for code in np.asarray(state.columns, dtype=object)[empty]:
        warn.append(f"normalise: {code!r} has no values")
    return StepOutput(
        State(state.units, state.columns, readonly(np.asarray(out, dtype=np.float64))),
        {"method": method, **kwargs},
        warn,
    )


_CAP = Param("cap", boolean(), False, "values above 1 become 1")

KIND = StepKind(
    name="normalise",
    dataset="Normalised",
    methods={
        "minmax": Method(
            "minmax",
            minmax,
            (Param("range", interval(), (0.0, 100.0), "[l, u]"),),
            "(x - min)/(max - min)(u - l) + l",
        ),
        "zscore": Method(
            "zscore",
            zscore,
            (Param("mean", number(), 0.0), Param("sd", number(0, lo_open=True), 1.0)),
            "standardised, then times sd plus mean",
        ),
        "rank": Method("rank", rank, (), "rank, ties min, 1 = lowest"),
        "borda": Method("borda", borda, (), "rank - 1"),
        "percentile_rank": Method("percentile_rank", percentile_rank, (), "(rank - 1)/(n - 1)"),
        "fracmax": Method("fracmax", fracmax, (), "x / max"),
        "dist2max": Method("dist2max", dist2max, (), "1 - (max - x)/(max - min)"),
        "dist2ref": Method(
            "dist2ref",
            dist2ref,
            (Param("unit", text(), doc="reference uCode"), _CAP),
            "1 - (x_ref - x)/(x_ref - min)",
        ),
        "dist2targ": Method("dist2targ", dist2targ, (_CAP,), "(x - min)/(target - min), iMeta Target"),
        "goalposts": Method(
            "goalposts",
            goalposts,
            (
                Param("lo", number_or_codes()),
                Param("hi", number_or_codes()),
                Param("scale", number(0, lo_open=True), 1.0),
            ),
            "(x - lo)/(hi - lo) clipped to [0, 1], times scale",
        ),
    },
    selector="method",
    default_method="minmax",
    params=(),
    run=run,
    doc="Direction first, then one method for every indicator.",
)
