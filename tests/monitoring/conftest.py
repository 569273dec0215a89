"""Small hand-checkable workspaces for the monitoring tests."""

from __future__ import annotations

import pytest
from mon_helpers import obs

from creativecity.monitoring.model import IndicatorDef, MappingRow, Workspace


@pytest.fixture
def tiny() -> Workspace:
    """Indicators x (2018: 10, 2022: 18), y (10, 14, 18 in 2018/2020/2022), z (2015: 5, 2019: 9),
    w (decreasing: 2018: 100, 2022: 80)."""
    return Workspace(
        name="tiny",
        city="City",
        country_iso3="VNM",
        creative_field="Design",
        indicators=[
            IndicatorDef("x", "X", "X vi", "count"),
            IndicatorDef("y", "Y", "", "count"),
            IndicatorDef("z", "Z", "", "count"),
            IndicatorDef("w", "W", "", "count", direction="decrease"),
            IndicatorDef("v", "V", "", "count"),
        ],
        observations=[
            obs(1, "x", 2018, 10),
            obs(2, "x", 2022, 18),
            obs(3, "y", 2018, 10),
            obs(4, "y", 2020, 14),
            obs(5, "y", 2022, 18),
            obs(6, "z", 2015, 5),
            obs(7, "z", 2019, 9),
            obs(8, "w", 2018, 100),
            obs(9, "w", 2022, 80),
        ],
        mapping=[
            MappingRow("x", "creative_city_pillars", "infrastructure"),
            MappingRow("y", "creative_city_pillars", "industries"),
            MappingRow("w", "creative_city_pillars", "attractiveness"),
            MappingRow("v", "creative_city_pillars", "consumption"),
        ],
    )
