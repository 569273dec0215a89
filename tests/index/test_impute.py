"""Imputation: ENGINE.md §2 check values, warnings, and that observed values never change."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.index import Framework, Spec, UnitData, build
from creativecity.index.steps.impute import (
    impute_group_mean,
    impute_group_median,
    impute_mean,
    impute_median,
    impute_none,
)

NAN = math.nan


def test_engine_check_group_mean() -> None:
    x = np.array([[1.0], [NAN], [3.0], [NAN], [NAN], [10.0]])
    g = np.array(["A", "A", "A", "B", "B", None], dtype=object)
    out = impute_group_mean(x, g)[:, 0]
    # A: mean(1, 3) = 2; B has no values; the unlabelled unit keeps its value
    np.testing.assert_array_equal(out, [1, 2, 3, NAN, NAN, 10])


def test_engine_check_group_median() -> None:
    x = np.array([[1.0], [NAN], [3.0], [7.0], [NAN], [2.0]])
    g = np.array(["A", "A", "A", "A", "B", "B"], dtype=object)
    # A: median(1, 3, 7) = 3; B: median(2) = 2
    np.testing.assert_array_equal(impute_group_median(x, g)[:, 0], [1, 3, 3, 7, 2, 2])


def test_mean_median_none() -> None:
    x = np.array([[1.0, 4.0], [NAN, NAN], [2.0, 1.0], [6.0, 2.0], [NAN, 3.0]])
    # col 0: mean (1+2+6)/3 = 3, median of (1, 2, 6) = 2; col 1: mean 10/4 = 2.5, median (2+3)/2 = 2.5
    np.testing.assert_array_equal(impute_mean(x, None)[:, 0], [1, 3, 2, 6, 3])
    np.testing.assert_array_equal(impute_median(x, None)[:, 0], [1, 2, 2, 6, 2])
    np.testing.assert_array_equal(impute_median(x, None)[1, 1], 2.5)
    np.testing.assert_array_equal(impute_none(x, None), x)


def test_unlabelled_unit_with_gap_stays_missing() -> None:
    x = np.array([[1.0], [NAN], [NAN]])
    g = np.array(["A", "A", None], dtype=object)
    np.testing.assert_array_equal(impute_group_mean(x, g)[:, 0], [1, 1, NAN])


def _tiny() -> tuple[Framework, UnitData]:
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 2, None],
            "iCode": ["a", "b", "Idx", "G"],
            "Direction": [1, 1, 1, None],
            "Weight": [1, 1, 1, None],
            "Parent": ["Idx", "Idx", "", ""],
            "Type": ["Indicator", "Indicator", "Aggregate", "Group"],
        }
    )
    fw = Framework.read(meta)
    data = pd.DataFrame(
        {
            "uCode": ["U1", "U2", "U3", "U4"],
            "G": ["x", "x", "y", "y"],
            "a": [1.0, None, 3.0, None],
            "b": [1.0, 2.0, 3.0, 5.0],
        }
    )
    return fw, UnitData.read(data, fw)


def test_pipeline_warns_for_empty_group_and_counts() -> None:
    fw, data = _tiny()
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [
                {"step": "impute", "method": "group_mean", "group": "G"},
                {"step": "normalise", "method": "rank"},
                {"step": "aggregate"},
            ],
        }
    )
    res = build(fw, data, spec)
    imputed = res.datasets["Imputed"]
    # group x: a = (1, NaN) -> U2 gets 1; group y: a = (3, NaN) -> U4 gets 3
    assert imputed.loc["U2", "a"] == 1.0 and imputed.loc["U4", "a"] == 3.0
    assert res.details["impute"]["imputed"] == {"a": 2}
    assert not any("still missing" in w for w in res.warnings)


def test_pipeline_warns_when_values_remain_missing() -> None:
    fw, _ = _tiny()
    data = UnitData.read(
        pd.DataFrame(
            {"uCode": ["U1", "U2", "U3"], "G": ["x", "x", "y"], "a": [1.0, 2.0, None], "b": [1.0, 2.0, 3.0]}
        ),
        fw,
    )
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [
                {"step": "impute", "method": "group_mean", "group": "G"},
                {"step": "normalise", "method": "rank"},
                {"step": "aggregate"},
            ],
        }
    )
    res = build(fw, data, spec)
    assert any("group 'y' has no values for 'a'" in w for w in res.warnings)
    assert any("still missing" in w for w in res.warnings)


def test_unknown_group_column_is_input_error() -> None:
    from creativecity.errors import InputError

    fw, data = _tiny()
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [
                {"step": "impute", "method": "group_mean", "group": "Nope"},
                {"step": "normalise"},
                {"step": "aggregate"},
            ],
        }
    )
    with pytest.raises(InputError) as e:
        build(fw, data, spec)
    assert e.value.column == "steps[0].group"
