"""The assumptions file of uncertainty and sensitivity analysis (CONTRACTS.md §2), read and checked.

An assumption names a point of the pipeline spec (``treat.winmax``, ``normalise``,
``aggregate.weights`` ...) and how it may vary: a list of discrete choices, a continuous range, or
multiplicative noise on the weights of some levels. A typo in this file would otherwise surface, after
thousands of replications, as a cryptic failure deep in a step, or worse as an assumption silently
ignored, so everything is checked up front and every error names the assumption (by its name and its
position in the list) and the field at fault.

Checks come in two passes: :func:`read_assumptions` checks the file on its own (types, exactly one of
``values``/``range``/``noise``, non-empty choices, ``low <= high``); :meth:`AssumptionSet.validate`
checks it against the framework and the pipeline spec (the target code exists, the step is in the
spec, the parameter is one the step knows, noise levels exist and are aggregate levels).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from creativecity.errors import InputError
from creativecity.fileio import load_yaml_text

if TYPE_CHECKING:
    from creativecity.index.framework import Framework
    from creativecity.index.spec import Spec

Kind = Literal["values", "range", "noise"]

#: Parameters that accept a continuous ``range`` (a number drawn uniformly between low and high).
NUMERIC_PARAMETERS: frozenset[str] = frozenset(
    {"winmax", "skew_max", "kurt_max", "min_data", "min_nonzero", "mean", "sd", "lo", "hi", "scale", "p"}
)

#: Parameters whose values are whole numbers: a continuous range on them is drawn and then floored.
INTEGER_PARAMETERS: frozenset[str] = frozenset({"winmax"})


@dataclass(frozen=True)
class Assumption:
    """One varied point of the pipeline.

    Attributes
    ----------
    name
        Label used in outputs (``sensitivity.csv`` rows, plots).
    at
        ``step`` or ``step.parameter``.
    kind
        ``values`` (discrete, equally likely), ``range`` (uniform) or ``noise`` (weights times
        ``1 + factor (2U - 1)``).
    index
        0-based position in the file, for error messages.
    """

    name: str
    at: str
    kind: Kind
    index: int
    values: tuple[Any, ...] = ()
    low: float = math.nan
    high: float = math.nan
    levels: tuple[int, ...] = ()
    factor: float = 0.0

    @property
    def step(self) -> str:
        """The step kind this assumption changes (``treat`` in ``treat.winmax``)."""
        return self.at.split(".", 1)[0]

    @property
    def parameter(self) -> str | None:
        """The parameter changed, or None when the whole step is replaced."""
        parts = self.at.split(".", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def label(self) -> str:
        """How errors name this assumption: its name and its 1-based position."""
        return f"assumption {self.index + 1} ({self.name!r})"

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping in the file's own layout (for results.json and the web app)."""
        out: dict[str, Any] = {"name": self.name, "at": self.at}
        if self.kind == "values":
            out["values"] = [thaw(v) for v in self.values]
        elif self.kind == "range":
            out["range"] = [self.low, self.high]
        else:
            out["noise"] = {"levels": list(self.levels), "factor": self.factor}
        return out


@dataclass
class AssumptionSet:
    """A validated assumptions file: the target code and the assumptions in file order."""

    target: str
    assumptions: list[Assumption]
    version: int = 1
    source: str = "assumptions"
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Assumption names in file order."""
        return [a.name for a in self.assumptions]

    def error(self, assumption: Assumption | None, fld: str, message: str, rule: str) -> InputError:
        """Build an InputError that names the file, the assumption and the field."""
        if assumption is None:
            return InputError(message, file=self.source, column=fld, rule=rule)
        return InputError(
            f"{assumption.label}: {message}",
            file=self.source,
            row=f"assumptions[{assumption.index}]",
            column=fld,
            rule=rule,
        )

    def validate(self, framework: Framework, spec: Spec) -> AssumptionSet:
        """Check the assumptions against the framework and the pipeline spec; return self.

        Raises
        ------
        InputError
            Unknown target code; a step absent from the spec or a parameter the step does not know; a
            noise level that does not exist or is not an aggregate level; noise or a range on a
            parameter that cannot take one.
        """
        codes = set(framework.codes)
        if self.target not in codes:
            raise self.error(
                None,
                "target",
                f"target {self.target!r} is not a code of the framework",
                "target is an indicator or aggregate code",
            )
        n_levels = int(framework.n_levels)
        spec_steps = spec.kinds
        from creativecity.index.steps.registry import REGISTRY

        for a in self.assumptions:
            step = a.step
            if step not in REGISTRY:
                raise self.error(
                    a,
                    "at",
                    f"unknown step {step!r}; steps are {', '.join(REGISTRY)}",
                    "known step",
                )
            if step not in spec_steps:
                raise self.error(
                    a,
                    "at",
                    f"step {step!r} is not in the pipeline spec (its steps: {', '.join(spec_steps)})",
                    "step in spec",
                )
            param = a.parameter
            known = step_parameters(step)
            if param is not None and param not in known:
                raise self.error(
                    a,
                    "at",
                    f"step {step!r} has no parameter {param!r}; known: {', '.join(sorted(known))}",
                    "known parameter",
                )
            if a.kind == "noise":
                if a.at != "aggregate.weights":
                    raise self.error(
                        a, "noise", "noise applies only at aggregate.weights", "noise on weights"
                    )
                for lev in a.levels:
                    if not 1 <= lev <= n_levels:
                        raise self.error(
                            a,
                            "noise.levels",
                            f"level {lev} does not exist (the framework has levels 1..{n_levels})",
                            "noise level exists",
                        )
                    if lev == n_levels:
                        raise self.error(
                            a,
                            "noise.levels",
                            f"level {lev} is the top level; its code has no parent, so no weight to vary",
                            "noise level has weights",
                        )
            if a.kind == "range" and (param is None or param not in NUMERIC_PARAMETERS):
                raise self.error(
                    a,
                    "range",
                    f"a range needs a numeric parameter (one of {', '.join(sorted(NUMERIC_PARAMETERS))})",
                    "range on numeric parameter",
                )
            if a.kind == "values" and param is None:
                for i, v in enumerate(a.values):
                    if not isinstance(v, Mapping):
                        raise self.error(
                            a,
                            f"values[{i}]",
                            f"replacing the whole {step!r} step needs mappings such as "
                            "{method: minmax, range: [1, 100]}",
                            "whole-step choice is a mapping",
                        )
                    unknown = set(v) - known - {"step"}
                    if unknown:
                        raise self.error(
                            a,
                            f"values[{i}]",
                            f"unknown parameter(s) {', '.join(sorted(map(str, unknown)))} for step {step!r}",
                            "known parameter",
                        )
            self._try_choices(a, spec, framework)
        return self

    def _try_choices(self, a: Assumption, spec: Spec, framework: Framework) -> None:
        """Apply each discrete choice (and both ends of a range) to the nominal spec, so that a choice
        the step would refuse is reported now, naming the assumption, not after sampling.

        Aggregation choices are also checked against the framework (a weight set or an aggregate
        code that does not exist), which the spec alone cannot know.
        """
        if a.kind == "noise":
            return
        trials = list(enumerate(a.values)) if a.kind == "values" else [(0, a.low), (1, a.high)]
        fld = "values" if a.kind == "values" else "range"
        for i, value in trials:
            if a.kind == "range" and a.parameter in INTEGER_PARAMETERS:
                value = math.ceil(value) if i == 0 else math.floor(value)
            try:
                changed = spec.set(a.at, thaw(value))
                step = changed.step("aggregate")
                if a.step == "aggregate" and step is not None:
                    from creativecity.index.steps.aggregate import check_against_framework

                    check_against_framework(framework, step.resolved, changed.source, "aggregate")
            except InputError as exc:
                raise self.error(
                    a,
                    f"{fld}[{i}]",
                    f"the choice {thaw(value)!r} is not valid for the spec's {a.step!r} step: {exc.message}",
                    exc.rule or "valid choice",
                ) from None


def step_parameters(step: str) -> frozenset[str]:
    """Parameters a step kind accepts, from the engine's step registry (the one home of the steps):
    its selector, shared parameters and every method's parameters; empty for an unknown step."""
    from creativecity.index.steps.registry import REGISTRY

    kind = REGISTRY.get(step)
    if kind is None:
        return frozenset()
    names = {p.name for p in kind.params}
    if kind.selector:
        names.add(kind.selector)
    for m in kind.methods.values():
        names.update(p.name for p in m.params)
    return frozenset(names)


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def parse_assumptions(raw: Any, source: str = "assumptions") -> AssumptionSet:
    """Check the structure of a loaded assumptions document and return it typed.

    Raises
    ------
    InputError
        Naming the assumption (name and position) and the field for: a missing or wrong ``version``,
        a missing ``target``, a nameless or duplicated assumption, an ``at`` that is not
        ``step[.parameter]``, not exactly one of ``values``/``range``/``noise``, empty choices, a range
        that is not two numbers with low <= high, noise without numeric levels or with a factor
        outside [0, 1] (a larger factor could make weights negative).
    """
    shell = AssumptionSet(target="", assumptions=[], source=source)
    if not isinstance(raw, Mapping):
        raise shell.error(
            None, "", "the assumptions file must be a mapping with version, target and assumptions", "layout"
        )
    version = raw.get("version")
    if version != 1:
        raise shell.error(None, "version", f"version must be 1, got {version!r}", "version 1")
    target = raw.get("target")
    if not isinstance(target, str) or not target.strip():
        raise shell.error(None, "target", "target must name the code whose ranks are studied", "target given")
    items = raw.get("assumptions")
    if not isinstance(items, Sequence) or isinstance(items, (str, bytes)) or not items:
        raise shell.error(None, "assumptions", "assumptions must be a non-empty list", "assumptions given")
    shell.target = target.strip()
    seen_names: dict[str, int] = {}
    seen_at: dict[str, Assumption] = {}
    for i, item in enumerate(items):
        provisional = Assumption(name=str(i + 1), at="", kind="values", index=i)
        if not isinstance(item, Mapping):
            raise shell.error(provisional, "", "each assumption must be a mapping with name and at", "layout")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise shell.error(provisional, "name", "every assumption needs a name", "name given")
        name = name.strip()
        provisional = Assumption(name=name, at="", kind="values", index=i)
        if name in seen_names:
            raise shell.error(
                provisional, "name", f"name already used by assumption {seen_names[name] + 1}", "unique name"
            )
        seen_names[name] = i
        at = item.get("at")
        if not isinstance(at, str) or not at.strip() or at.count(".") > 1 or " " in at.strip():
            raise shell.error(
                provisional, "at", f"at must be 'step' or 'step.parameter', got {at!r}", "at format"
            )
        at = at.strip()
        provisional = Assumption(name=name, at=at, kind="values", index=i)
        present = [k for k in ("values", "range", "noise") if k in item]
        if len(present) != 1:
            raise shell.error(
                provisional,
                "values",
                "give exactly one of values, range or noise"
                + (f" (found {', '.join(present)})" if present else ""),
                "one distribution",
            )
        unknown = set(item) - {"name", "at", "values", "range", "noise", "description"}
        if unknown:
            raise shell.error(
                provisional, ", ".join(sorted(map(str, unknown))), "unknown field(s)", "known fields"
            )
        kind: Kind = present[0]  # type: ignore[assignment]
        a = _parse_distribution(shell, provisional, kind, item[kind])
        for other_at, other in seen_at.items():
            if other_at == at or other_at.startswith(at + ".") or at.startswith(other_at + "."):
                raise shell.error(
                    a, "at", f"{at!r} overlaps {other.label} at {other_at!r}", "each point varied once"
                )
        seen_at[at] = a
        shell.assumptions.append(a)
    return shell


def _parse_distribution(shell: AssumptionSet, a: Assumption, kind: Kind, spec: Any) -> Assumption:
    if kind == "values":
        if not isinstance(spec, Sequence) or isinstance(spec, (str, bytes)):
            raise shell.error(a, "values", "values must be a list of choices", "values is a list")
        if len(spec) == 0:
            raise shell.error(a, "values", "values is empty: give at least one choice", "non-empty choices")
        return Assumption(a.name, a.at, "values", a.index, values=tuple(_freeze(v) for v in spec))
    if kind == "range":
        if not isinstance(spec, Sequence) or isinstance(spec, (str, bytes)) or len(spec) != 2:
            raise shell.error(a, "range", "range must be [low, high]", "range is two numbers")
        low, high = _number(spec[0]), _number(spec[1])
        if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
            raise shell.error(
                a, "range", f"range bounds must be finite numbers, got {list(spec)!r}", "range is two numbers"
            )
        if low > high:
            raise shell.error(a, "range", f"low {spec[0]} is above high {spec[1]}", "range low <= high")
        return Assumption(a.name, a.at, "range", a.index, low=low, high=high)
    # noise
    if not isinstance(spec, Mapping):
        raise shell.error(a, "noise", "noise must be {levels: [...], factor: f}", "noise layout")
    levels = spec.get("levels")
    if not isinstance(levels, Sequence) or isinstance(levels, (str, bytes)) or not levels:
        raise shell.error(
            a, "noise.levels", "levels must be a non-empty list of level numbers", "noise levels given"
        )
    parsed: list[int] = []
    for lev in levels:
        if isinstance(lev, bool) or not isinstance(lev, int):
            raise shell.error(a, "noise.levels", f"level {lev!r} is not a whole number", "noise level exists")
        parsed.append(lev)
    factor = _number(spec.get("factor"))
    if factor is None or not 0 <= factor <= 1:
        raise shell.error(
            a,
            "noise.factor",
            f"factor must be in [0, 1] so that weights stay non-negative, got {spec.get('factor')!r}",
            "noise factor in [0, 1]",
        )
    extra = set(spec) - {"levels", "factor"}
    if extra:
        raise shell.error(
            a, "noise", f"unknown field(s) {', '.join(sorted(map(str, extra)))}", "noise layout"
        )
    return Assumption(a.name, a.at, "noise", a.index, levels=tuple(sorted(set(parsed))), factor=factor)


def _freeze(value: Any) -> Any:
    """Make choices hashable so replications sharing a choice can be grouped (dict -> tuple items)."""
    if isinstance(value, Mapping):
        return FrozenChoice(value)
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


class FrozenChoice(Mapping[str, Any]):
    """A read-only, hashable mapping: one whole-step choice such as ``{method: zscore, mean: 10}``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = {str(k): _freeze(v) for k, v in data.items()}
        self._key = tuple(sorted((k, repr(v)) for k, v in self._data.items()))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenChoice):
            return self._key == other._key
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return repr(thaw(self))


def thaw(value: Any) -> Any:
    """Back to plain YAML-like values (dicts and lists) for the engine's spec."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def read_assumptions(path: str | Path) -> AssumptionSet:
    """Read an assumptions file (YAML or JSON) and check its structure.

    Raises
    ------
    InputError
        The file is missing, is not valid YAML (with the line), or breaks a structural rule.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(p), rule="file exists") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(p), rule="readable UTF-8") from None
    return parse_assumptions(load_yaml_text(text, str(p)), source=str(p))


def load_assumptions(path: str | Path, framework: Any, spec: Any) -> AssumptionSet:
    """Read, check and validate an assumptions file against a framework and a spec."""
    return read_assumptions(path).validate(framework, spec)
