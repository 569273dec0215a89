"""The bundled ASEM example (COINr's test bed): framework, data, specs and assumptions.

Used by the demo, the tests and anyone who wants to try the engine without data of their own.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
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
