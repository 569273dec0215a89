"""Helpers that build hand-checkable observations and targets (imported by the monitoring tests)."""

from __future__ import annotations

from creativecity.monitoring.model import Observation, Target


def obs(i: int, indicator: str, year: int | None, value: float, **kw: object) -> Observation:
    """An observation with a default scope, unit and a distinct source."""
    base: dict[str, object] = {
        "scope": "City",
        "unit": "count",
        "source": f"https://example.org/{indicator}/{year}/{i}",
    }
    base.update(kw)
    return Observation(id=f"obs-{i:04d}", indicator=indicator, reference_year=year, value=value, **base)  # type: ignore[arg-type]


def tgt(i: int, indicator: str, value: float, year: int, **kw: object) -> Target:
    """A target with a default scope and unit."""
    base: dict[str, object] = {"scope": "City", "unit": "count", "source": "https://example.org/plan"}
    base.update(kw)
    return Target(id=f"tgt-{i:04d}", indicator=indicator, target_value=value, target_year=year, **base)  # type: ignore[arg-type]
