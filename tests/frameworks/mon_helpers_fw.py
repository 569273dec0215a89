"""Helpers for the framework tests."""

from __future__ import annotations

from creativecity.monitoring.model import Observation


def checklist_obs() -> Observation:
    """A Culture|2030 checklist answer: 0.5 = partly."""
    return Observation(
        "obs-0900",
        "artistic_freedom",
        "Hanoi",
        0.5,
        "checklist (1 yes, 0.5 partly, 0 no)",
        2024,
        source="https://x",
    )
