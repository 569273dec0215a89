"""Outlier treatment: ENGINE.md §4 check values and hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creativecity.index.steps.treat import (
    kurtosis,
    log_ct,
    passes,
    skewness,
    treat_none,
    treat_winsorise,
    winsorise_column,
)

X = np.array([1.0, 2, 3, 4, 10, 50])


def test_engine_check_skew_kurt() -> None:
    # ENGINE.md §4 check values for x = (1, 2, 3, 4, 10, 50)
    assert skewness(X) == pytest.approx(2.30674586222836, rel=1e-12)
    assert kurtosis(X) == pytest.approx(5.40564953233131, rel=1e-12)


def test_skew_by_hand_small() -> None:
    # x = (0, 0, 3): mean 1, d = (-1, -1, 2); sum d^2 = 6, sum d^3 = -1 - 1 + 8 = 6
    # g1 = sqrt(3) * 6 / 6^1.5 = sqrt(3)/sqrt(6) = 1/sqrt(2)
    # G1 = g1 * sqrt(3*2)/(3-2) = sqrt(6)/sqrt(2) = sqrt(3)
    assert skewness(np.array([0.0, 0, 3])) == pytest.approx(math.sqrt(3), rel=1e-12)


def test_kurt_by_hand_small() -> None:
    # x = (0, 0, 0, 4): mean 1, d = (-1,-1,-1,3); sum d^2 = 12, sum d^4 = 1+1+1+81 = 84
    # r = 4*84/144 = 7/3; G2 = ((5)(7/3 - 3) + 6)(3) / ((2)(1)) = ((-10/3) + 6) * 3 / 2 = 4
    assert kurtosis(np.array([0.0, 0, 0, 4])) == pytest.approx(4.0, rel=1e-12)


def test_statistics_undefined() -> None:
    assert math.isnan(skewness(np.array([1.0, 2.0])))  # n < 3
    assert math.isnan(kurtosis(np.array([1.0, 2.0, 3.0])))  # n < 4
    assert math.isnan(skewness(np.array([5.0, 5, 5, 5])))  # zero variance
    assert math.isnan(kurtosis(np.array([5.0, 5, 5, 5, np.nan])))


def test_missing_values_ignored() -> None:
    assert skewness(np.array([1.0, np.nan, 2, 3, 4, 10, 50])) == pytest.approx(2.30674586222836, rel=1e-12)


def test_engine_check_log_ct() -> None:
    expected = [
        -0.713349887877465,
        0.398776119957368,
        0.912282710476616,
        1.24990173621434,
        2.25023861262184,
        3.90177062896379,
    ]
    np.testing.assert_allclose(log_ct(X), expected, rtol=1e-12)
    # by hand: min 1, max 50 -> ln(x - 1 + 0.49); first value ln(0.49)
    assert log_ct(X)[0] == pytest.approx(math.log(0.49), rel=1e-15)


def test_three_valued_pass_logic() -> None:
    nan = math.nan
    assert passes(1.0, 10.0, 2, 3.5) is True  # skew passes
    assert passes(3.0, 1.0, 2, 3.5) is True  # kurtosis passes
    assert passes(3.0, 10.0, 2, 3.5) is False
    assert passes(nan, 1.0, 2, 3.5) is True  # the defined one passes
    assert passes(nan, 10.0, 2, 3.5) is None  # undefined cannot pass alone
    assert passes(nan, nan, 2, 3.5) is None
    assert passes(-2.0, 3.5, 2, 3.5) is False  # strict: |G1| = 2 and G2 = 3.5 both fail


def test_engine_check_top_two_become_19() -> None:
    # (1..19, 100, 200), winmax 5: 200 -> 100 (still fails), then both 100 -> 19
    x = np.concatenate([np.arange(1.0, 20), [100.0, 200.0]])
    y, rec = winsorise_column(x, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y[:19], np.arange(1.0, 20))
    np.testing.assert_array_equal(y[19:], [19.0, 19.0])
    assert rec["high"] == 2 and rec["low"] == 0 and rec["log"] is False
    assert rec["status"] == "winsorised"


def test_engine_check_low_outliers_become_1() -> None:
    x = np.concatenate([[-300.0, -100.0], np.arange(1.0, 21)])
    y, rec = winsorise_column(x, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y[:2], [1.0, 1.0])
    np.testing.assert_array_equal(y[2:], np.arange(1.0, 21))
    assert rec["low"] == 2 and rec["high"] == 0


def test_engine_check_ties_count_three() -> None:
    # three tied maxima move together; count 3 exceeds winmax 2 and the loop stops
    x = np.concatenate([np.arange(1.0, 21), [300.0, 300, 300]])
    y, rec = winsorise_column(x, 2, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y[20:], [20.0, 20, 20])
    assert rec["high"] + rec["low"] == 3
    assert rec["log"] is False


def test_fallback_log_on_original_column() -> None:
    # winmax 0: no winsorisation allowed, the column fails -> log_ct of the ORIGINAL values
    y, rec = winsorise_column(X, 0, 2, 3.5, "log_ct")
    np.testing.assert_allclose(y, log_ct(X), rtol=1e-15)
    assert rec["log"] is True and rec["status"] == "log_ct"
    assert rec["skew_before"] == pytest.approx(2.30674586222836, rel=1e-12)
    # winmax 1 -> 50 becomes 10; (1,2,3,4,10,10) passes? skew: mean 5, d=(-4,-3,-2,-1,5,5)
    # sum d^2 = 16+9+4+1+25+25 = 80, sum d^3 = -64-27-8-1+125+125 = 150 -> g1 = sqrt6*150/80^1.5 = 0.5135
    y1, rec1 = winsorise_column(X, 1, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y1, [1, 2, 3, 4, 10, 10])
    assert rec1["status"] == "winsorised"


def test_fallback_none_leaves_winsorised_and_reports_failure() -> None:
    y, rec = winsorise_column(X, 0, 2, 3.5, "none")
    np.testing.assert_array_equal(y, X)
    assert rec["status"] == "failed" and rec["passed"] is False


def test_undefined_column_left_untreated() -> None:
    x = np.array([5.0, 5, 5, 5, 5])
    y, rec = winsorise_column(x, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y, x)
    assert rec["status"] == "undefined"


def test_direction_redecided_each_step() -> None:
    # a high outlier and a low outlier: the sign of G1 decides each step
    x = np.concatenate([[-1000.0], np.arange(1.0, 30), [500.0]])
    y, rec = winsorise_column(x, 5, 2, 3.5, "log_ct")
    # G1 < 0 first (-1000 dominates): -1000 -> 1; then +skew: 500 -> 29
    assert y[0] == 1.0 and y[-1] == 29.0
    assert rec["low"] == 1 and rec["high"] == 1


def test_matrix_methods_do_not_mutate_input() -> None:
    m = np.column_stack([X, X[::-1]])
    before = m.copy()
    out, recs = treat_winsorise(m, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(m, before)
    assert len(recs) == 2 and out.shape == m.shape
    out2, recs2 = treat_none(m, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(out2, m)
    assert recs2[0]["status"] == "untreated"


def test_undefined_after_winsorising_restores_original() -> None:
    # (1, 1, 1, 1, 1, 1, 100): fails; 100 -> 1 makes the variance 0 -> test undefined -> untreated
    x = np.array([1.0, 1, 1, 1, 1, 1, 100])
    assert passes(skewness(x), kurtosis(x), 2, 3.5) is False
    y, rec = winsorise_column(x, 5, 2, 3.5, "log_ct")
    np.testing.assert_array_equal(y, x)
    assert rec["status"] == "undefined" and rec["log"] is False
