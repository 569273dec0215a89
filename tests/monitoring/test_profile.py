"""A framework read as the profile of one city."""

from __future__ import annotations

from creativecity.monitoring.model import MappingRow, Observation
from creativecity.monitoring.profile import profile
from creativecity.monitoring.repository import bundled_workspace


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


def test_hanoi_pillars_profile() -> None:
    ws = bundled_workspace("hanoi")
    prof = profile("creative_city_pillars", ws, as_of=2026)
    groups = {g.code: g for g in prof.groups}
    assert groups["consumption"].missing == [
        "household_cultural_spending",
        "cultural_participation",
        "digital_cultural_consumption",
    ]
    infra = {i.code: i for i in groups["infrastructure"].items}
    (lib,) = infra["libraries"].values
    assert (lib.latest_value, lib.latest_year) == (83, 2021)
    assert lib.source.startswith("http://hanoicapital")
    # an undated figure is shown, not reported missing
    (houses,) = infra["cultural_houses_coverage"].values
    assert houses.latest_year is None and houses.latest_value == 57
    assert groups["industries"].missing == ["cultural_industry_centres"]


def test_culture2030_profile_with_checklist_answer() -> None:
    ws = bundled_workspace("hanoi")

    ws.indicators.append(
        ws.indicators[0].__class__(
            "artistic_freedom", "Artistic freedom", "", "checklist (1 yes, 0.5 partly, 0 no)"
        )
    )
    ws.mapping.append(MappingRow("artistic_freedom", "culture2030", "c2030_19"))
    ws.observations.append(checklist_obs())
    prof = profile("culture2030", ws, as_of=2026)
    items = {i.code: i for g in prof.groups for i in g.items}
    assert items["c2030_19"].kind == "checklist"
    assert items["c2030_19"].values[0].answer == "partly"
    assert items["c2030_04"].indicators == ["cinemas", "creative_spaces", "libraries", "museums", "theatres"]
    assert items["c2030_01"].missing
    assert items["c2030_06"].verified is False
