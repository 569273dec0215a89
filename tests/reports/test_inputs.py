"""Reading workspaces defensively."""

from __future__ import annotations

from types import SimpleNamespace

from creativecity.reports.inputs import from_workspace

from .conftest import tiny_workspace


def test_real_workspace_fields() -> None:
    inp = from_workspace(tiny_workspace())
    assert inp.city == "Testville" and inp.key == "testville"
    assert inp.designation_year == 2019 and inp.designation_date is not None
    assert inp.designation_date.isoformat() == "2019-10-30"
    assert [o.value for o in inp.observations] == [10, 16, 3.7]
    assert inp.targets[0].id == "tgt-0001" and inp.targets[0].unit == "count"
    assert inp.indicator_name("spaces", "vi") == "Không gian sáng tạo"
    assert inp.indicator_name("unknown_code", "vi") == "unknown_code"
    assert inp.narratives[("executive_summary", "vi")] == "Testville **phát triển**."
    assert inp.action_plan[0].budget == 1200.5


def test_sparse_object_gives_empty_parts() -> None:
    ws = SimpleNamespace(name="x", city="X")
    inp = from_workspace(ws)
    assert (inp.observations, inp.targets, inp.action_plan, inp.narratives) == ([], [], [], {})
    assert inp.country_iso3 is None and inp.creative_field is None and inp.designation_year is None


def test_mapping_shapes_and_bad_values() -> None:
    ws = {
        "name": "y",
        "city": "Y",
        "observations": [
            {"indicator": "a", "scope": "Y", "value": "nan", "unit": "count", "source": "s"},
            {
                "indicator": "a",
                "scope": "Y",
                "value": "12",
                "unit": "count",
                "reference_year": "",
                "source": "s",
            },
        ],
        "narratives": {"executive_summary": {"en": "Hello", "vi": "Xin chào"}},
        "indicators": {"a": {"name_en": "A", "name_vi": "Á"}},
    }
    inp = from_workspace(ws)
    assert [(o.value, o.reference_year) for o in inp.observations] == [(12.0, None)]  # NaN dropped
    assert inp.narratives == {("executive_summary", "en"): "Hello", ("executive_summary", "vi"): "Xin chào"}
    assert inp.indicator_name("a", "vi") == "Á"


def test_decomposed_vietnamese_is_composed() -> None:
    import unicodedata

    typed = unicodedata.normalize("NFD", "Hà Nội phát triển")
    assert len(typed) > len("Hà Nội phát triển")
    inp = from_workspace({"name": "z", "city": "Z", "narratives": {("executive_summary", "vi"): typed}})
    assert inp.narratives[("executive_summary", "vi")] == "Hà Nội phát triển"


def test_application_fields_in_other_shapes() -> None:
    """A mapping-shaped workspace (JSON API) with ``{kind: bool}`` attachments and flat translations."""
    ws = {
        "name": "z",
        "city": "Z",
        "city_names": {"vi": "Zê", "fr": ""},
        "attachments": {"photos": True, "mayor_letter": False},
        "action_plan": [{"id": "a1", "objective": "Grow", "initiative": "Plant", "objective_vi": "Lớn"}],
        "word_limits": {"assets": "800"},
    }
    inp = from_workspace(ws)
    assert inp.city_names == {"vi": "Zê", "en": "Z"}  # empty names dropped, English falls back to city
    assert inp.attachments["photos"].provided and not inp.attachments["mayor_letter"].provided
    item = inp.action_plan[0]
    assert item.text("objective", "vi") == ("Lớn", True)
    assert item.text("initiative", "vi") == ("Plant", False)
    assert inp.word_limits == {"assets": 800}
