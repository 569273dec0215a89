"""The pipeline spec (CONTRACTS.md §1): which steps run, in which order, with which methods.

A spec is data a person writes, so it is validated against the step registry before anything runs,
with errors that give the field path (``steps[3].method``). The original mapping is kept verbatim, so
that writing a spec back reproduces what the person wrote, and so that "the spec as run" in results
is exactly the input (plus the changes made with :meth:`Spec.set`).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from creativecity.errors import InputError
from creativecity.fileio import atomic_write_text, load_yaml_text
from creativecity.index._frozen import FrozenMap
from creativecity.index.steps.registry import REGISTRY

SPEC_VERSION = 1
_TOP_KEYS = ("version", "steps", "name", "description")


def _freeze(v: Any) -> Any:
    if isinstance(v, Mapping):
        return FrozenMap({k: _freeze(e) for k, e in v.items()})
    if isinstance(v, list):
        return tuple(_freeze(e) for e in v)
    return v


def _thaw(v: Any) -> Any:
    """Plain YAML-like values: mappings -> dict, tuples/lists -> list, numpy scalars -> Python."""
    if isinstance(v, Mapping):
        return {(k.item() if hasattr(k, "item") else k): _thaw(e) for k, e in v.items()}
    if isinstance(v, (tuple, list)):
        return [_thaw(e) for e in v]
    if hasattr(v, "item") and hasattr(v, "dtype"):  # numpy scalar
        return v.item()
    return v


@dataclass(frozen=True, eq=False)
class Step:
    """One step of a spec.

    Attributes
    ----------
    kind
        Registry name: denominate, impute, screen, treat, normalise or aggregate.
    params
        Parameters as written in the spec (read-only), without ``step``.
    resolved
        Parameters after validation with every default filled in (what the step actually runs with).
    """

    kind: str
    params: Mapping[str, Any]
    resolved: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Step):
            return NotImplemented
        return self.kind == other.kind and _thaw(self.resolved) == _thaw(other.resolved)

    def __hash__(self) -> int:
        return hash((self.kind, repr(_thaw(self.resolved))))

    @property
    def dataset(self) -> str:
        """Name of the data set this step produces."""
        return REGISTRY[self.kind].dataset


@dataclass(frozen=True, eq=False)
class Spec:
    """A validated pipeline spec.

    Build with :meth:`read` or :meth:`from_dict`; change with :meth:`set` (returns a new spec).
    """

    steps: tuple[Step, ...]
    source: str = "spec"
    _raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    sha256: str | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def read(cls, path: str | Path) -> Spec:
        """Read a YAML or JSON spec file (JSON by ``.json`` suffix or content starting with ``{``)."""
        p = Path(path)
        try:
            blob = p.read_bytes()
            text = blob.decode("utf-8-sig")
        except FileNotFoundError:
            raise InputError("spec file not found", file=str(p), rule="file exists") from None
        except UnicodeDecodeError:
            raise InputError("spec file is not UTF-8 text", file=str(p), rule="YAML or JSON file") from None
        if not text.strip():
            raise InputError("spec file is empty", file=str(p), rule="non-empty file")
        spec = cls.parse(text, source=str(p), json_text=p.suffix.lower() == ".json")
        return dataclasses.replace(spec, sha256=hashlib.sha256(blob).hexdigest())

    @classmethod
    def parse(cls, text: str, source: str = "spec", json_text: bool = False) -> Spec:
        """A spec from YAML or JSON text (JSON when ``json_text`` or the text starts with ``{``).

        Raises
        ------
        InputError
            A syntax error (with its line for YAML), a document that is not a mapping, or any rule of
            :meth:`from_dict`; each names ``source``.
        """
        if json_text or text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not valid JSON: {exc.msg}", file=source, row=exc.lineno, rule="valid JSON"
                ) from None
        else:
            data = load_yaml_text(text, source)
        return cls.from_dict(data, source=source)  # refuses a document that is not a mapping

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "spec") -> Spec:
        """Validate a spec mapping against the step registry.

        Raises
        ------
        InputError
            With ``file=source`` and ``column`` the field path of the problem.
        """
        if not isinstance(d, Mapping):
            raise InputError(
                "the spec must be a mapping with 'version' and 'steps'", file=source, rule="spec structure"
            )
        for key in d:
            if key not in _TOP_KEYS:
                raise InputError(
                    f"unknown top-level field {key!r} (allowed: {', '.join(_TOP_KEYS)})",
                    file=source,
                    column=str(key),
                    rule="known field",
                )
        version = d.get("version", SPEC_VERSION)
        if version != SPEC_VERSION or isinstance(version, bool):
            raise InputError(
                f"unsupported spec version {version!r} (this program reads version 1)",
                file=source,
                column="version",
                rule="spec version 1",
            )
        raw_steps = d.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise InputError(
                "'steps' must be a non-empty list", file=source, column="steps", rule="spec structure"
            )
        steps: list[Step] = []
        seen: dict[str, int] = {}
        for i, s in enumerate(raw_steps):
            path = f"steps[{i}]"
            if not isinstance(s, Mapping) or "step" not in s:
                raise InputError(
                    "each step must be a mapping with a 'step' field",
                    file=source,
                    column=path,
                    rule="spec structure",
                )
            kind = s["step"]
            if not isinstance(kind, str) or kind not in REGISTRY:
                raise InputError(
                    f"unknown step {kind!r} (one of: {', '.join(REGISTRY)})",
                    file=source,
                    column=f"{path}.step",
                    rule="known step",
                )
            if kind in seen:
                raise InputError(
                    f"step {kind!r} appears twice (also steps[{seen[kind]}])",
                    file=source,
                    column=f"{path}.step",
                    rule="each step at most once",
                )
            seen[kind] = i
            given = {k: v for k, v in s.items() if k != "step"}
            resolved = REGISTRY[kind].resolve(given, source, path)
            steps.append(Step(kind, _freeze(given), _freeze(resolved)))
        for need in ("normalise", "aggregate"):
            if need not in seen:
                raise InputError(
                    f"the spec has no {need!r} step",
                    file=source,
                    column="steps",
                    rule=f"{need} step required",
                )
        if seen["aggregate"] != len(raw_steps) - 1:
            raise InputError(
                "'aggregate' must be the last step",
                file=source,
                column=f"steps[{seen['aggregate']}]",
                rule="aggregate last",
            )
        if seen["normalise"] > seen["aggregate"]:
            raise InputError(
                "'normalise' must come before 'aggregate'",
                file=source,
                column=f"steps[{seen['normalise']}]",
                rule="step order",
            )
        return cls(tuple(steps), source, _freeze(copy.deepcopy(dict(d))))

    # ------------------------------------------------------------------ access
    def to_dict(self) -> dict[str, Any]:
        """The spec as written (a fresh plain mapping, original key order)."""
        return _thaw(self._raw)

    def write(self, path: str | Path) -> Path:
        """Write the spec back (JSON for a ``.json`` path, YAML otherwise), atomically."""
        p = Path(path)
        d = self.to_dict()
        if p.suffix.lower() == ".json":
            text = json.dumps(d, indent=2, ensure_ascii=False) + "\n"
        else:
            text = yaml.safe_dump(d, sort_keys=False, allow_unicode=True, default_flow_style=None)
        return atomic_write_text(p, text)

    def step(self, kind: str) -> Step | None:
        """The step of a kind, or ``None`` if the spec skips it."""
        return next((s for s in self.steps if s.kind == kind), None)

    @property
    def kinds(self) -> list[str]:
        """Step kinds in order."""
        return [s.kind for s in self.steps]

    def set(self, at: str, value: Any) -> Spec:
        """A new spec with one point changed (what uncertainty analysis varies).

        Parameters
        ----------
        at
            ``"kind"`` replaces the whole step by ``value`` (a mapping of its parameters, with or without
            ``step``); ``"kind.param"`` sets one parameter (e.g. ``"treat.winmax"``,
            ``"aggregate.weights"``, ``"aggregate.method"``). ``"steps[i]..."`` addresses by position.
        value
            The new value; validated like a spec written by hand.

        Raises
        ------
        InputError
            When the step is not in the spec, or the new value is invalid.
        """
        d = self.to_dict()
        head, _, param = at.partition(".")
        if head.startswith("steps[") and head.endswith("]"):
            try:
                i = int(head[6:-1])
                target = d["steps"][i]
            except (ValueError, IndexError):
                raise InputError(
                    f"no step at {head}", file=self.source, column=at, rule="known step"
                ) from None
        else:
            if head not in REGISTRY:
                raise InputError(f"unknown step {head!r}", file=self.source, column=at, rule="known step")
            i = next((j for j, s in enumerate(d["steps"]) if s.get("step") == head), -1)
            if i < 0:
                raise InputError(
                    f"the spec has no {head!r} step to change",
                    file=self.source,
                    column=at,
                    rule="step present in spec",
                )
            target = d["steps"][i]
        if not param:
            if not isinstance(value, Mapping):
                raise InputError(
                    "replacing a whole step needs a mapping of its parameters",
                    file=self.source,
                    column=at,
                    rule="parameter type",
                )
            new = {"step": target["step"]}
            new.update({k: copy.deepcopy(_thaw(v)) for k, v in value.items() if k != "step"})
            d["steps"][i] = new
        else:
            if param == "step":
                raise InputError(
                    "cannot change the kind of a step", file=self.source, column=at, rule="known parameter"
                )
            target[param] = copy.deepcopy(_thaw(value))
        return Spec.from_dict(d, source=self.source)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Spec):
            return NotImplemented
        return self.steps == other.steps

    def __hash__(self) -> int:
        return hash(self.steps)

    def __repr__(self) -> str:
        return f"Spec({self.source!r}: {' -> '.join(self.kinds)})"
