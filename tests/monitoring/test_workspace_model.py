"""Domain model helpers and the row checks shared by files, imports and the API."""

from __future__ import annotations

import pytest

from creativecity.errors import InputError
from creativecity.monitoring.create import country_iso3, creative_field, new_workspace
from creativecity.monitoring.model import IndicatorDef, Observation, Workspace
from creativecity.monitoring.validation import RowContext, parse_observations


def test_dict_round_trip() -> None:
    o = Observation("obs-0001", "x", "City", 3.7, "%", None, preferred=False)
    assert Observation.from_dict(o.to_dict()) == o
    assert (
        Observation.from_dict({**o.to_dict(), "preferred": "", "reference_year": "2019"}).reference_year
        == 2019
    )
    ws = Workspace("w", "C", "VNM", "Design", narratives={("general_information", "vi"): "Xin chào"})
    assert Workspace.from_dict(ws.to_dict()) == ws
    assert ws.to_dict()["narratives"] == {"general_information/vi": "Xin chào"}


def test_next_id_and_names() -> None:
    ws = Workspace("w", "C", "VNM", "Design")
    assert ws.next_id("obs", {"obs-0001", "obs-0009", "other"}) == "obs-0010"
    assert ws.next_id("tgt", set()) == "tgt-0001"
    assert IndicatorDef("a", "Museums", "").name("vi") == "Museums"  # falls back to English


def test_series_key_separates_methods() -> None:
    a = Observation("1", "share", "Viet Nam", 3.61, "% of GDP", 2018, method="revenue")
    b = Observation("2", "share", "Viet Nam", 5.82, "% of GDP", 2018, method="value added")
    assert a.series_key() != b.series_key()
    ws = Workspace("w", "C", "VNM", "Design", observations=[a, b])
    assert ws.conflicting(a) == []


def test_all_row_problems_collected() -> None:
    rows = [
        (
            2,
            {
                "indicator": "x",
                "scope": "",
                "value": "1.350",  # language unknown: 1350 or 1.35? refused, not guessed
                "unit": "zz",
                "reference_year": "2019.5",
                "source": "",
            },
        ),
        (
            3,
            {"indicator": "x", "scope": "C", "value": 1, "unit": "count", "certainty": "sure", "source": "s"},
        ),
    ]
    out, errors = parse_observations(
        rows, RowContext("f"), indicators={"x"}, units={"count"}, new_id=lambda u: "n"
    )
    assert out == []
    assert [(e.row, e.column, e.rule) for e in errors] == [
        (2, "scope", "required"),
        (2, "value", "number"),
        (2, "unit", "unknown unit"),
        (2, "reference_year", "year"),
        (2, "source", "missing source"),
        (3, "certainty", "certainty"),
    ]


def test_new_workspace_from_framework() -> None:
    ws = new_workspace("hue", "Hue", "Viet Nam", "crafts and folk art", framework="culture2030")
    assert (ws.country_iso3, ws.creative_field, ws.framework) == ("VNM", "Crafts and Folk Art", "culture2030")
    assert len(ws.indicators) == 22 and len(ws.mapping) == 22
    assert country_iso3("vn") == "VNM"
    with pytest.raises(InputError, match="unknown country"):
        country_iso3("Atlantis")
    with pytest.raises(InputError, match="unknown creative field"):
        creative_field("Cooking")
    with pytest.raises(InputError, match="classification"):
        new_workspace("x", "X", "VNM", "Design", framework="vietnam_cultural_industries")
    with pytest.raises(InputError, match="valid workspace name"):
        new_workspace("Bad Name", "X", "VNM", "Design")
