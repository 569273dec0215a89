"""The bundled ASEM example (COINr's test bed): framework, data, specs and assumptions.

Used by the demo, the tests, the web app's index builder (:func:`rank_asem`) and anyone who wants to
try the engine without data of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd
import yaml

from creativecity.errors import InputError
from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.spec import Spec

_DIR = files("creativecity") / "data" / "asem"


def asem_path(name: str) -> Path:
    """Path of a bundled ASEM file (``iMeta.csv``, ``iData.csv``, ``iData_2022.csv``, ``*.yaml``)."""
    return Path(str(_DIR / name))


def asem(year: int = 2018) -> tuple[Framework, UnitData]:
    """ASEM framework and unit data (2018, or 2022 from COINr's panel example)."""
    fw = Framework.read(asem_path("iMeta.csv"))
    data_file = {2018: "iData.csv", 2022: "iData_2022.csv"}.get(year)
    if data_file is None:
        raise ValueError(f"ASEM data exist for 2018 and 2022, not {year}")
    return fw, UnitData.read(asem_path(data_file), fw)


def asem_spec(which: str = "full") -> Spec:
    """The ``full`` (denominate ... aggregate) or ``simple`` (impute, normalise, aggregate) ASEM spec."""
    if which not in ("full", "simple"):
        raise ValueError("which must be 'full' or 'simple'")
    return Spec.read(asem_path(f"asem_{which}.yaml"))


def asem_assumptions_path() -> Path:
    """The ASEM assumptions file for uncertainty and sensitivity analysis (CONTRACTS.md §2)."""
    return asem_path("asem_uncertainty.yaml")


#: Data years and pipeline specs of the bundled example.
ASEM_YEARS: tuple[int, ...] = (2018, 2022)
ASEM_SPECS: tuple[str, ...] = ("full", "simple")


@dataclass(frozen=True)
class RankedUnit:
    """One unit of a ranking: its score and rank on the target, and its 5-95 % rank interval if asked."""

    unit: str
    score: float
    rank: int | None
    q05: float | None = None
    median: float | None = None
    q95: float | None = None


@dataclass(frozen=True)
class ExampleRanking:
    """The best units of the ASEM example built with one pipeline (what the web's index builder shows)."""

    target: str
    units: int
    rows: tuple[RankedUnit, ...]
    n: int | None  # replications behind the rank intervals, None without intervals


def asem_choice(data: str, spec: str) -> tuple[int, str]:
    """Check a data year and a spec name of the bundled example as a form or an option gives them.

    Raises
    ------
    InputError
        Naming ``data`` or ``spec`` when the example has no such data set or spec.
    """
    if data not in {str(y) for y in ASEM_YEARS}:
        raise InputError(f"unknown data set {data!r}", column="data", rule="choice")
    if spec not in ASEM_SPECS:
        raise InputError(f"unknown spec {spec!r}", column="spec", rule="choice")
    return int(data), spec


def asem_spec_yaml(which: str) -> str:
    """A bundled ASEM pipeline spec as YAML text (CONTRACTS.md §1), to start editing from."""
    return yaml.safe_dump(asem_spec(which).to_dict(), sort_keys=False, allow_unicode=True)


def rank_asem(year: int, spec: Spec, top: int, intervals: tuple[int, int] | None = None) -> ExampleRanking:
    """Build the ASEM example for ``year`` with ``spec``; the ``top`` units by :meth:`Results.top`.

    With ``intervals=(n, seed)`` an uncertainty analysis over the bundled ASEM assumptions (n
    replications) gives each unit its median and 5-95 % rank interval.

    Raises
    ------
    InputError
        A year without bundled data, or a spec (or assumption) the engine refuses.
    """
    if year not in ASEM_YEARS:
        raise InputError(
            f"unknown data set {year!r}; the ASEM example has {', '.join(map(str, ASEM_YEARS))}",
            column="data",
            rule="choice",
        )
    framework, data = asem(year)
    results = build(framework, data, spec)
    target = "Index" if "Index" in results.scores.columns else str(results.scores.columns[-1])
    spread: dict[str, tuple[float, float, float]] = {}
    if intervals is not None:
        from creativecity.index.analysis.assumptions import load_assumptions
        from creativecity.index.analysis.uncertainty import run_uncertainty

        aset = load_assumptions(asem_assumptions_path(), framework, spec)
        stats = run_uncertainty(framework, data, spec, aset, intervals[0], intervals[1], nominal=results)
        rs = stats.rank_stats
        for u, lo, mid, hi in zip(rs["uCode"], rs["q05"], rs["median"], rs["q95"], strict=True):
            spread[str(u)] = (float(lo), float(mid), float(hi))
    best = results.top(target, n=top)  # the engine's order: rank, then score, missing last
    rows = []
    for unit, score, rank in zip(best.index, best["score"], best["rank"], strict=True):
        interval: tuple[float | None, ...] = spread.get(str(unit), (None, None, None))
        rows.append(RankedUnit(str(unit), float(score), None if pd.isna(rank) else int(rank), *interval))
    return ExampleRanking(target, len(results.units), tuple(rows), intervals[0] if intervals else None)
