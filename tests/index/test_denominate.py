"""Denomination: ENGINE.md §1 check value and the zero-denominator error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework, Spec, UnitData, build
from creativecity.index.examples import asem
from creativecity.index.steps.base import CellError
from creativecity.index.steps.denominate import divide

SPEC = {"version": 1, "steps": [{"step": "denominate"}, {"step": "normalise"}, {"step": "aggregate"}]}


def test_engine_check_flights_population_aut() -> None:
    fw, data = asem()
    res = build(fw, data, Spec.from_dict(SPEC))
    # 29.01725 / 8735.453 (ENGINE.md §1)
    assert res.datasets["Denominated"].loc["AUT", "Flights"] == pytest.approx(0.00332177964897756, rel=1e-14)
    # an indicator without a denominator is unchanged
    assert res.datasets["Denominated"].loc["AUT", "LPI"] == data.values.loc["AUT", "LPI"]


def test_divide_by_hand() -> None:
    x = np.array([[6.0, 1.0], [math.nan, 2.0], [4.0, 3.0]])
    den = np.array([[3.0, math.nan], [5.0, math.nan], [math.nan, math.nan]])
    out = divide(x, den, np.array([True, False]))
    np.testing.assert_array_equal(out, [[2.0, 1.0], [math.nan, 2.0], [math.nan, 3.0]])
    np.testing.assert_array_equal(x[0], [6.0, 1.0])  # input untouched


def test_zero_denominator_cell_error() -> None:
    with pytest.raises(CellError) as e:
        divide(np.array([[1.0], [2.0]]), np.array([[1.0], [0.0]]), np.array([True]))
    assert e.value.unit == 1


def test_zero_denominator_names_unit_and_denominator() -> None:
    meta = pd.DataFrame(
        {
            "Level": [1, 2, None],
            "iCode": ["a", "Idx", "Pop"],
            "Direction": [1, 1, None],
            "Weight": [1, 1, None],
            "Parent": ["Idx", "", ""],
            "Denominator": ["Pop", "", ""],
            "Type": ["Indicator", "Aggregate", "Denominator"],
        }
    )
    fw = Framework.read(meta)
    data = UnitData.read(pd.DataFrame({"uCode": ["X", "Y"], "Pop": [10.0, 0.0], "a": [1.0, 2.0]}), fw)
    with pytest.raises(InputError) as e:
        build(fw, data, Spec.from_dict(SPEC))
    # Y is the second data row: spreadsheet row 3
    assert e.value.row == 3 and e.value.column == "Pop" and e.value.rule == "non-zero denominator"
    assert "'Y'" in e.value.message
