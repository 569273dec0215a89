"""Statistics table: hand-computed values, SciPy cross-checks and flag thresholds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from creativecity.errors import InputError
from creativecity.index.analysis.stats import (
    StatsThresholds,
    indicator_stats,
    kurtosis_g2,
    skewness_g1,
)


def test_g1_g2_engine_check_values() -> None:
    # ENGINE.md §4 check values for x = (1, 2, 3, 4, 10, 50).
    x = [1, 2, 3, 4, 10, 50]
    assert skewness_g1(x) == pytest.approx(2.30674586222836, rel=1e-13)
    assert kurtosis_g2(x) == pytest.approx(5.40564953233131, rel=1e-13)


def test_g1_by_hand() -> None:
    # x = (0, 0, 3): mean 1, d = (-1, -1, 2), sum d^2 = 6, sum d^3 = 6.
    # g1 = sqrt(3) * 6 / 6^1.5 = 1/sqrt(2); G1 = g1 * sqrt(3*2) / (3-2) = sqrt(6)/sqrt(2) = sqrt(3).
    assert skewness_g1([0, 0, 3]) == pytest.approx(math.sqrt(3), rel=1e-12)
    # symmetric data: sum d^3 = 0
    assert skewness_g1([1, 2, 3]) == pytest.approx(0.0, abs=1e-15)


def test_g2_by_hand() -> None:
    # x = (0, 0, 0, 4): mean 1, d = (-1, -1, -1, 3), sum d^2 = 12, sum d^4 = 84, r = 4*84/144 = 7/3.
    # G2 = ((5)(7/3 - 3) + 6)(3) / ((2)(1)) = (-10/3 + 6) * 3/2 = 4.
    assert kurtosis_g2([0, 0, 0, 4]) == pytest.approx(4.0, rel=1e-12)


def test_missing_values_are_ignored() -> None:
    assert skewness_g1([0, np.nan, 0, 3]) == pytest.approx(math.sqrt(3), rel=1e-12)
    assert kurtosis_g2(pd.Series([0, 0, None, 0, 4], dtype=float)) == pytest.approx(4.0, rel=1e-12)


def test_undefined_cases_are_nan() -> None:
    assert math.isnan(skewness_g1([1, 2]))  # n < 3
    assert math.isnan(kurtosis_g2([1, 2, 3]))  # n < 4
    assert math.isnan(skewness_g1([5, 5, 5, 5]))  # zero variance
    assert math.isnan(kurtosis_g2([5, 5, 5, 5]))


def test_against_scipy_unbiased_estimators() -> None:
    rng = np.random.default_rng(7)
    for n in (3, 4, 7, 51):
        x = rng.lognormal(size=n)
        assert skewness_g1(x) == pytest.approx(sps.skew(x, bias=False), rel=1e-10)
        if n >= 4:
            assert kurtosis_g2(x) == pytest.approx(sps.kurtosis(x, bias=False), rel=1e-10)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [1, 2, 3, 4, 10, 50],  # skewed: G1 2.31 >= 2 and G2 5.41 >= 3.5 -> outliers
            "b": [0, 0, 0, 1, np.nan, 2],  # 3 zeros of 5 available = 0.6 > 0.5 -> many_zeros
            "c": [1, 1, 2, 1, 2, np.nan],  # unique 2/5 = 0.4 < 0.5 -> few_unique
            "d": [np.nan, np.nan, np.nan, 3, 1, 2],  # availability 3/6 = 0.5 < 0.65
        },
        index=pd.Index(["U1", "U2", "U3", "U4", "U5", "U6"], name="uCode"),
    )


def test_table_values_by_hand() -> None:
    t = indicator_stats(_frame()).table.set_index("code")
    b = t.loc["b"]
    assert b["n"] == 5 and b["n_missing"] == 1
    assert b["min"] == 0 and b["max"] == 2
    assert b["mean"] == pytest.approx(0.6)  # (0+0+0+1+2)/5
    assert b["median"] == 0
    # sd(n-1): deviations -0.6,-0.6,-0.6,0.4,1.4; squares sum 0.36*3+0.16+1.96 = 3.2; /4 = 0.8
    assert b["sd"] == pytest.approx(math.sqrt(0.8))
    assert b["availability"] == pytest.approx(5 / 6)
    assert b["frac_zero"] == pytest.approx(0.6)
    assert b["frac_unique"] == pytest.approx(3 / 5)
    assert t.loc["c", "frac_unique"] == pytest.approx(0.4)
    assert t.loc["d", "availability"] == pytest.approx(0.5)
    assert math.isnan(t.loc["d", "kurt"])  # n = 3 < 4


def test_flags() -> None:
    t = indicator_stats(_frame()).table.set_index("code")
    assert t.loc["a", "flags"] == "outliers"
    assert t.loc["b", "flags"] == "many_zeros"
    assert t.loc["c", "flags"] == "few_unique"
    # No pair reaches r >= 0.9 (largest: a-b, 68/sqrt(1810*3.2) = 0.89; d has < 3 complete pairs with b
    # and c and correlates negatively with a), so collinearity adds no flag here.
    assert t.loc["d", "flags"] == "low_availability"


def test_availability_threshold_is_strict() -> None:
    # 13 of 20 available = 0.65 exactly: not below 0.65, so not flagged; 12/20 = 0.6 is.
    x = pd.DataFrame(
        {"a": [float(i) for i in range(13)] + [np.nan] * 7, "b": [float(i) for i in range(12)] + [np.nan] * 8}
    )
    t = indicator_stats(x).table.set_index("code")
    assert not t.loc["a", "flag_low_availability"]
    assert t.loc["b", "flag_low_availability"]


def test_collinearity_within_groups_only() -> None:
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8.5], "c": [1.0, 2, 3, 4.1]})
    plain = indicator_stats(x).table.set_index("code")
    assert plain.loc["a", "collinear_with"] == "b,c"
    grouped = indicator_stats(x, groups={"a": "P", "b": "Q", "c": "P"}).table.set_index("code")
    assert grouped.loc["a", "collinear_with"] == "c"
    assert not grouped.loc["b", "flag_collinear"]
    # a higher threshold switches the flag off (r(a,c) < 1)
    strict = indicator_stats(x, thresholds=StatsThresholds(collinear=0.99999)).table.set_index("code")
    assert not strict.loc["c", "flag_collinear"]


def test_codes_select_and_order() -> None:
    t = indicator_stats(_frame(), codes=["c", "a"]).table
    assert list(t["code"]) == ["c", "a"]


def test_unknown_code_is_an_input_error() -> None:
    with pytest.raises(InputError) as exc:
        indicator_stats(_frame(), codes=["a", "zz"])
    assert exc.value.column == "zz"


def test_non_numeric_value_names_unit_and_column() -> None:
    x = pd.DataFrame({"a": [1, 2, 3], "b": ["1", "two", "3"]}, index=["U1", "U2", "U3"])
    with pytest.raises(InputError) as exc:
        indicator_stats(x)
    assert exc.value.row == "U2" and exc.value.column == "b" and exc.value.rule == "numeric values"


def test_to_dict_is_json_ready() -> None:
    from creativecity.cli._support import to_json

    d = indicator_stats(_frame(), dataset="Raw").to_dict()
    assert d["dataset"] == "Raw" and d["thresholds"]["availability"] == 0.65
    text = to_json(d)
    assert "NaN" not in text
