"""Screening units: availability / zero rules, strict threshold, force lists, the report."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework, Spec, UnitData, build
from creativecity.index.examples import asem
from creativecity.index.steps.screen import by_missing, by_missing_or_zeros, by_zeros

NAN = math.nan
# 4 indicators. U0 all present; U1 1 missing (avail 0.75); U2 2 missing (0.5); U3 zeros 3 of 4 present.
X = np.array([[1.0, 2, 3, 4], [1, NAN, 3, 4], [NAN, NAN, 3, 4], [0, 0, 0, 5]])


def test_by_missing_strict_threshold() -> None:
    keep, avail, _ = by_missing(X, 0.75, 0.05)
    np.testing.assert_array_equal(avail, [1, 0.75, 0.5, 1])
    np.testing.assert_array_equal(keep, [True, True, False, True])  # 0.75 is not < 0.75


def test_by_zeros() -> None:
    # U3: 3 zeros of 4 present -> non_zero = 0.25; U1: 0 zeros of 3 present -> 1
    keep, _, nz = by_zeros(X, 0.9, 0.3)
    np.testing.assert_array_equal(nz, [1, 1, 1, 0.25])
    np.testing.assert_array_equal(keep, [True, True, True, False])
    keep2, _, _ = by_missing_or_zeros(X, 0.75, 0.3)
    np.testing.assert_array_equal(keep2, [True, True, False, False])


def test_default_min_data_two_thirds() -> None:
    keep, _, _ = by_missing(X, 2 / 3, 0.05)
    np.testing.assert_array_equal(keep, [True, True, False, True])


def _spec(**screen: object) -> Spec:
    return Spec.from_dict(
        {"version": 1, "steps": [{"step": "screen", **screen}, {"step": "normalise"}, {"step": "aggregate"}]}
    )


def test_asem_screen_drops_exactly_low_availability_units() -> None:
    fw, data = asem()
    res = build(fw, data, _spec(by="missing", min_data=0.9))
    raw = data.values
    avail = 1 - raw.isna().sum(axis=1) / raw.shape[1]  # computed independently with pandas
    expected_dropped = sorted(avail[avail < 0.9].index)
    assert expected_dropped, "the test needs at least one unit below 0.9 in ASEM"
    table = res.details["screen"]
    assert sorted(table.index[~table["kept"]]) == expected_dropped
    assert sorted(set(data.units) - set(res.units)) == expected_dropped
    assert len(res.datasets["Screened"]) == 51 - len(expected_dropped)
    assert any("dropped" in w for w in res.warnings)


def test_force_keep_and_drop() -> None:
    fw, data = asem()
    res0 = build(fw, data, _spec(min_data=0.9))
    dropped = sorted(set(data.units) - set(res0.units))
    res = build(fw, data, _spec(min_data=0.9, force={"keep": [dropped[0]], "drop": ["AUT"]}))
    assert dropped[0] in res.units and "AUT" not in res.units
    assert res.details["screen"].loc["AUT", "reason"] == "forced drop"


def test_force_unknown_unit_is_error() -> None:
    fw, data = asem()
    with pytest.raises(InputError) as e:
        build(fw, data, _spec(force={"drop": ["XXX"]}))
    assert e.value.column == "steps[0].force.drop"


def test_dropping_everyone_is_error() -> None:
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 2],
            "iCode": ["a", "b", "I"],
            "Direction": [1, 1, 1],
            "Weight": [1, 1, 1],
            "Parent": ["I", "I", ""],
            "Type": ["Indicator"] * 2 + ["Aggregate"],
        }
    )
    fw = Framework.read(meta)
    data = UnitData.read(pd.DataFrame({"uCode": ["X", "Y"], "a": [1.0, None], "b": [None, 2.0]}), fw)
    with pytest.raises(InputError, match="every unit"):
        build(fw, data, _spec(min_data=0.9))
