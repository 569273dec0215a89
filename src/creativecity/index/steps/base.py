"""Building blocks shared by every step kind: parameters, methods, the data passed between steps.

A step kind (``normalise``) has methods (``minmax``, ``zscore``...). Every method of one kind has the
SAME call signature, so that the pipeline, the spec validator and the robustness engine can treat
them uniformly; the per-kind signatures are documented in ``docs/dev/engine.md``.

Methods work on plain numpy arrays (units on axis -2, indicators on axis -1) and never mutate their
input. They report problems located in the data through :class:`CellError`/:class:`ColumnError`
(array positions); the step runner, which knows the codes and the file, turns those into an
:class:`~creativecity.errors.InputError` a person can act on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError

REQUIRED = object()


class CellError(Exception):
    """A method refuses one value: ``unit`` and ``col`` are positions on axes -2 and -1."""

    def __init__(self, unit: int, col: int, message: str, rule: str) -> None:
        super().__init__(message)
        self.unit, self.col, self.message, self.rule = unit, col, message, rule


class ColumnError(Exception):
    """A method refuses a whole column (e.g. min-max of a constant column)."""

    def __init__(self, col: int, message: str, rule: str) -> None:
        super().__init__(message)
        self.col, self.message, self.rule = col, message, rule


# ---------------------------------------------------------------------------- parameter validators
Validator = Callable[[Any, str, str], Any]


def _fail(msg: str, source: str, path: str, rule: str) -> InputError:
    return InputError(msg, file=source, column=path, rule=rule)


def is_number(v: Any) -> bool:
    """True for int/float (not bool) that is finite."""
    return (
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)
    )


def number(
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    nonzero: bool = False,
) -> Validator:
    """A finite number within the given bounds."""

    def check(v: Any, source: str, path: str) -> float:
        if not is_number(v):
            raise _fail(f"expected a number, got {v!r}", source, path, "parameter type")
        v = float(v)
        if lo is not None and (v < lo or (lo_open and v == lo)):
            raise _fail(f"{v!r} must be {'>' if lo_open else '>='} {lo}", source, path, "parameter range")
        if hi is not None and (v > hi or (hi_open and v == hi)):
            raise _fail(f"{v!r} must be {'<' if hi_open else '<='} {hi}", source, path, "parameter range")
        if nonzero and v == 0:
            raise _fail("must not be 0", source, path, "parameter range")
        return v

    check.type_name = "number"  # type: ignore[attr-defined]
    return check


def integer(lo: int | None = None) -> Validator:
    """A whole number >= ``lo``."""

    def check(v: Any, source: str, path: str) -> int:
        if isinstance(v, bool) or not (
            isinstance(v, (int, np.integer)) or (is_number(v) and float(v).is_integer())
        ):
            raise _fail(f"expected a whole number, got {v!r}", source, path, "parameter type")
        v = int(v)
        if lo is not None and v < lo:
            raise _fail(f"{v!r} must be >= {lo}", source, path, "parameter range")
        return v

    check.type_name = "integer"  # type: ignore[attr-defined]
    return check


def boolean() -> Validator:
    """true / false."""

    def check(v: Any, source: str, path: str) -> bool:
        if not isinstance(v, bool):
            raise _fail(f"expected true or false, got {v!r}", source, path, "parameter type")
        return v

    check.type_name = "boolean"  # type: ignore[attr-defined]
    return check


def text(choices: Sequence[str] | None = None) -> Validator:
    """A string, optionally one of ``choices``."""

    def check(v: Any, source: str, path: str) -> str:
        if not isinstance(v, str) or not v:
            raise _fail(f"expected a text value, got {v!r}", source, path, "parameter type")
        if choices is not None and v not in choices:
            raise _fail(f"{v!r} is not one of: {', '.join(choices)}", source, path, "known value")
        return v

    check.type_name = "text" if choices is None else " | ".join(choices)  # type: ignore[attr-defined]
    return check


def interval() -> Validator:
    """Two numbers [low, high] with low < high."""

    def check(v: Any, source: str, path: str) -> tuple[float, float]:
        if not isinstance(v, (list, tuple)) or len(v) != 2:
            raise _fail(
                f"expected a list of two numbers [low, high], got {v!r}", source, path, "parameter type"
            )
        for i, e in enumerate(v):
            if not is_number(e):
                raise _fail(f"expected a number, got {e!r}", source, f"{path}[{i}]", "parameter type")
        lo, hi = float(v[0]), float(v[1])
        if not lo < hi:
            raise _fail(f"low {lo!r} must be below high {hi!r}", source, path, "parameter range")
        return (lo, hi)

    check.type_name = "[low, high]"  # type: ignore[attr-defined]
    return check


def number_or_codes(lo: float | None = None) -> Validator:
    """A number applied to every indicator, or a mapping {code: number}."""
    num = number(lo)

    def check(v: Any, source: str, path: str) -> float | dict[str, float]:
        if isinstance(v, Mapping):
            return {str(k): num(e, source, f"{path}.{k}") for k, e in v.items()}
        return num(v, source, path)

    check.type_name = "number | {code: number}"  # type: ignore[attr-defined]
    return check


# ---------------------------------------------------------------------------- registry classes
@dataclass(frozen=True)
class Param:
    """One parameter of a method or step kind."""

    name: str
    validate: Validator
    default: Any = REQUIRED
    doc: str = ""

    @property
    def required(self) -> bool:
        """Whether the spec must give it."""
        return self.default is REQUIRED

    @property
    def type_name(self) -> str:
        """Human name of the accepted type, for docs and messages."""
        return getattr(self.validate, "type_name", "value")


@dataclass(frozen=True)
class Method:
    """One method of a step kind: its function and its own parameters."""

    name: str
    func: Callable[..., Any]
    params: tuple[Param, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class StepKind:
    """A kind of step: the data set it produces, how a method is chosen, and how it runs.

    Attributes
    ----------
    name
        Spec name (``normalise``).
    dataset
        Name of the data set it produces (``Normalised``).
    methods
        Method name -> :class:`Method` (looked up at run time, so tests can count calls).
    selector
        The spec key that chooses the method (``method``, ``by`` for screen, ``None`` if single).
    default_method
        Method used when the selector is absent.
    params
        Parameters shared by all methods of the kind.
    run
        ``run(state, params, ctx) -> StepOutput``; ``params`` are resolved (defaults filled).
    validate
        Optional extra check of the resolved parameters (cross-parameter rules).
    method_mapping
        Whether the selector may map levels/codes to methods (checked by ``validate``).
    """

    name: str
    dataset: str
    methods: dict[str, Method]
    selector: str | None
    default_method: str
    params: tuple[Param, ...]
    run: Callable[..., StepOutput]
    validate: Callable[[dict[str, Any], str, str], dict[str, Any]] | None = None
    doc: str = ""
    method_mapping: bool = False  # the selector may be a mapping level/code -> method (aggregate)

    def resolve(self, given: Mapping[str, Any], source: str, path: str) -> dict[str, Any]:
        """Check the parameters given in a spec step and fill in defaults.

        Raises
        ------
        InputError
            Unknown method or parameter, wrong type, value out of range, missing required parameter;
            the field path (e.g. ``steps[3].method``) is in ``column``.
        """
        out: dict[str, Any] = {}
        allowed: dict[str, Param] = {p.name: p for p in self.params}
        if self.selector is not None:
            method = given.get(self.selector, self.default_method)
            mapping_ok = self.method_mapping and isinstance(method, Mapping)
            if not mapping_ok and (not isinstance(method, str) or method not in self.methods):
                raise _fail(
                    f"unknown {self.name} {self.selector} {method!r} (one of: {', '.join(self.methods)})",
                    source,
                    f"{path}.{self.selector}",
                    "known method",
                )
            out[self.selector] = method
            if isinstance(method, str):
                allowed.update({p.name: p for p in self.methods[method].params})
            # a mapping of methods (aggregate): only the kind's own parameters apply at this level
        else:
            for m in self.methods.values():
                allowed.update({p.name: p for p in m.params})
        for key, value in given.items():
            if key == self.selector:
                continue
            if key not in allowed:
                what = f"{self.name} method {out.get(self.selector)!r}" if self.selector else self.name
                raise _fail(
                    f"unknown parameter {key!r} for {what} (allowed: {', '.join(allowed) or 'none'})",
                    source,
                    f"{path}.{key}",
                    "known parameter",
                )
            out[key] = allowed[key].validate(value, source, f"{path}.{key}")
        for name, p in allowed.items():
            if name not in out:
                if p.required:
                    raise _fail(
                        f"parameter {name!r} is required", source, f"{path}.{name}", "required parameter"
                    )
                out[name] = p.default
        if self.validate is not None:
            out = self.validate(out, source, path)
        return out


@dataclass(frozen=True)
class State:
    """The data between two steps: units (rows) x columns, as a read-only float64 array."""

    units: pd.Index
    columns: tuple[str, ...]
    x: np.ndarray

    def __post_init__(self) -> None:
        if self.x.flags.writeable:
            self.x.flags.writeable = False

    def frame(self) -> pd.DataFrame:
        """The state as a DataFrame (index uCode); its data cannot be written through."""
        df = pd.DataFrame(self.x, index=self.units, columns=list(self.columns), copy=False)
        df.index.name = "uCode"
        return df


@dataclass
class StepOutput:
    """What a step produced: the new state, details (or a callable building them lazily), warnings."""

    state: State
    details: Any = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildContext:
    """What a step runner may consult besides the data: framework, unit data and where errors point."""

    framework: Any
    data: Any
    spec_source: str
    path: str  # field path of the step in the spec, e.g. "steps[3]"


def readonly(a: np.ndarray) -> np.ndarray:
    """Mark a fresh array read-only (steps never share writable arrays)."""
    a.flags.writeable = False
    return a
