"""Small hand-checkable workspaces for the report tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from creativecity.monitoring.model import (
    ActionItem,
    IndicatorDef,
    MappingRow,
    Observation,
    Target,
    Workspace,
)

SRC_A = "https://example.org/a"
SRC_B = "https://example.org/b"
SRC_T = "https://example.org/plan"


def tiny_workspace(**overrides: Any) -> Workspace:
    """Testville, Design, 2019: one indicator 10 (2018) -> 16 (2021), target 25 in 2027.

    By hand: achieved per year = (16 - 10) / (2021 - 2018) = 2; required per year = (25 - 16) /
    (2027 - 2021) = 1.5; projected 2027 = 16 + 2 * 6 = 28 >= 25, so "on track" as of 2021.
    """
    data: dict[str, Any] = {
        "name": "testville",
        "city": "Testville",
        "country_iso3": "VNM",
        "creative_field": "Design",
        "designation_year": 2019,
        "designation_date": "2019-10-30",
        "observations": [
            Observation("obs-0001", "spaces", "Testville", 10, "count", 2018, source=SRC_A),
            Observation("obs-0002", "spaces", "Testville", 16, "count", 2021, source=SRC_B),
            Observation("obs-0003", "share", "Testville", 3.7, "% of GRDP", 2018, source=SRC_A),
        ],
        "targets": [Target("tgt-0001", "spaces", 25, "count", 2027, "Testville", "Plan 1", source=SRC_T)],
        "indicators": [
            IndicatorDef("spaces", "Creative spaces", "Không gian sáng tạo", "count"),
            IndicatorDef("share", "Creative industry share", "Tỷ trọng công nghiệp sáng tạo", "% of GRDP"),
        ],
        "mapping": [MappingRow("spaces", "creative_city_pillars", "infrastructure")],
        "narratives": {
            ("executive_summary", "en"): "Testville **grew**.\n\n- one\n- two",
            ("executive_summary", "vi"): "Testville **phát triển**.",
        },
        "action_plan": [
            ActionItem("act-0001", "More spaces", "Open hubs", 1200.5, "million VND", "spaces", 25, 2027)
        ],
    }
    data.update(overrides)
    return Workspace(**data)


@pytest.fixture
def make_ws() -> Callable[..., Workspace]:
    """Factory for :func:`tiny_workspace` with overrides."""
    return tiny_workspace


@pytest.fixture(scope="session")
def hanoi_documents() -> dict[tuple[str, str], Any]:
    """The bundled Hanoi workspace's two documents in both languages, built once per session."""
    from creativecity.monitoring import bundled_workspace
    from creativecity.network.registry import Registry
    from creativecity.reports.build import build_document

    ws = bundled_workspace("hanoi")
    registry = Registry.load()
    return {
        (kind, lang): build_document(ws, kind, lang, registry=registry)  # type: ignore[arg-type]
        for kind in ("monitoring", "application")
        for lang in ("vi", "en")
    }
