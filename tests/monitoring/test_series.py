"""Level, bounds and breaks (creativecity.monitoring.series), checked by hand."""

from __future__ import annotations

import pytest

from creativecity.errors import InputErrors
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.series import SeriesBreak, certain_sides, format_bound, level_of, meets
from creativecity.monitoring.storage import read_workspace, write_workspace
from creativecity.monitoring.validation import RowContext, parse_observations, parse_targets

NAMES = {"vi": "Hà Nội", "en": "Hanoi"}


@pytest.mark.parametrize(
    ("scope", "level"),
    [
        ("Hanoi", "city"),
        ("Hà Nội", "city"),
        ("Ha\u0300 N\u00f4\u0323i", "city"),  # combining accents: the same city
        ("Ha Noi", "city"),
        ("Hanoi\u200b", "city"),  # a pasted zero-width space changes nothing
        ("Viet Nam", "national"),
        ("Vietnam", "national"),
        ("Việt Nam", "national"),
        ("Hoàn Kiếm", "district"),
    ],
)
def test_one_level_rule(scope: str, level: str) -> None:
    assert level_of(scope, "Hanoi", "VNM", NAMES) == level


def test_certain_sides_and_meets() -> None:
    assert certain_sides(4.0, "lower", None) == (4.0, None)
    assert certain_sides(1.7, "range", 2.3) == (1.7, 2.3)
    # "more than 4" meets 4, cannot show 7 missed; "less than 4" shows 7 missed, cannot show 3 met
    assert meets(4.0, "lower", None, 4.0, 1.0) is True
    assert meets(4.0, "lower", None, 7.0, 1.0) is None
    assert meets(4.0, "upper", None, 7.0, 1.0) is False
    assert meets(4.0, "upper", None, 3.0, 1.0) is None
    # a range 1.7-2.3 meets 1.5, misses 2.5, cannot decide 2.0
    assert [meets(1.7, "range", 2.3, t, 1.0) for t in (1.5, 2.5, 2.0)] == [True, False, None]
    # less is better: "less than 10" meets a ceiling of 10
    assert meets(10.0, "upper", None, 10.0, -1.0) is True


def test_bounds_in_words() -> None:
    assert format_bound("4", "lower", lang="vi") == "trên 4"
    assert format_bound("4", "lower", lang="en") == "more than 4"
    assert format_bound("1,7", "range", "2,3", "vi") == "1,7–2,3"
    assert format_bound("5,82", "", lang="vi") == "5,82"


def test_bounds_are_checked_on_input() -> None:
    rows = [
        (2, {"indicator": "x", "scope": "C", "value": "1,7", "unit": "m", "source": "s", "bound": "range"}),
        (3, {"indicator": "x", "scope": "C", "value": "4", "unit": "m", "source": "s", "value_high": "5"}),
        (
            4,
            {
                "indicator": "x",
                "scope": "C",
                "value": "3",
                "unit": "m",
                "source": "s",
                "bound": "range",
                "value_high": "2",
            },
        ),
        (5, {"indicator": "x", "scope": "C", "value": "4", "unit": "m", "source": "s", "bound": "maybe"}),
        (6, {"indicator": "x", "scope": "C", "value": "4", "unit": "m", "source": "t", "bound": "trên"}),
    ]
    out, errors = parse_observations(
        rows, RowContext("f", lang="vi"), indicators={"x"}, units={"m"}, new_id=lambda u: f"n{len(u)}"
    )
    assert [(e.row, e.column) for e in errors] == [
        (2, "value_high"),
        (3, "value_high"),
        (4, "value_high"),
        (5, "bound"),
    ]
    (ok,) = out
    assert (ok.value, ok.bound) == (4.0, "lower")  # "trên" (more than) is a lower bound
    targets, errs = parse_targets(
        [
            (
                2,
                {
                    "indicator": "x",
                    "target_value": "1",
                    "unit": "m",
                    "target_year": "2025",
                    "scope": "C",
                    "source": "s",
                    "bound": "range",
                    "value_high": "2",
                    "instrument_vi": "Nghị quyết 24",
                },
            )
        ],
        RowContext("t"),
        indicators={"x"},
        units={"m"},
        new_id=lambda u: "t1",
    )
    assert errs == [] and (targets[0].bound, targets[0].value_high, targets[0].instrument_vi) == (
        "range",
        2.0,
        "Nghị quyết 24",
    )


def test_breaks_and_source_titles_round_trip_through_the_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = bundled_workspace("hanoi")
    assert ws.series_breaks == [SeriesBreak(2020, 2021, ws.series_breaks[0].note)]
    assert ws.source_title(
        "Viet Nam 2019 Population and Housing Census (General Statistics Office)", "vi"
    ) == ("Tổng điều tra dân số và nhà ở năm 2019 (Tổng cục Thống kê)")
    write_workspace(ws, tmp_path / "copy")
    again = read_workspace(tmp_path / "copy")
    assert again.series_breaks == ws.series_breaks and again.source_titles == ws.source_titles
    assert again.to_dict() == ws.to_dict()


def test_a_bad_break_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = bundled_workspace("hanoi")
    write_workspace(ws, tmp_path / "w")
    meta = (tmp_path / "w" / "workspace.yaml").read_text(encoding="utf-8")
    meta = meta.replace("to_year: 2021", "to_year: 2019")
    (tmp_path / "w" / "workspace.yaml").write_text(meta, encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        read_workspace(tmp_path / "w")
    (e,) = err.value.errors
    assert e.column == "series_breaks" and "ends (2019) before it starts (2020)" in e.message
