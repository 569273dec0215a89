"""Cronbach's alpha: hand-computed covariance matrices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.cronbach import cronbach_alpha, cronbach_by_aggregate
from creativecity.index.framework import Framework


def test_identical_columns_give_one() -> None:
    # C = [[v, v], [v, v]]: alpha = 2 (1 - 2v / 4v) = 1
    x = pd.DataFrame({"a": [1.0, 4, 2, 8], "b": [1.0, 4, 2, 8]})
    assert cronbach_alpha(x) == pytest.approx(1.0)


def test_scaled_column() -> None:
    # b = 2a: C = [[v, 2v], [2v, 4v]], trace 5v, sum 9v: alpha = 2 (1 - 5/9) = 8/9
    x = pd.DataFrame({"a": [1.0, 4, 2, 8], "b": [2.0, 8, 4, 16]})
    assert cronbach_alpha(x) == pytest.approx(8 / 9)


def test_three_by_three_by_hand() -> None:
    # a = (1,2,3), b = (1,3,2), c = (3,2,1); deviations (-1,0,1), (-1,1,0), (1,0,-1); n - 1 = 2.
    # variances 1, 1, 1; cov(a,b) = 1/2, cov(a,c) = -2/2 = -1, cov(b,c) = -1/2.
    # sum(C) = 3 + 2 (0.5 - 1 - 0.5) = 1, trace 3: alpha = 3/2 (1 - 3/1) = -3
    x = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 3, 2], "c": [3.0, 2, 1]})
    assert cronbach_alpha(x) == pytest.approx(-3.0)


def test_uncorrelated_columns_give_zero() -> None:
    # cov(a, b) = 0, so sum(C) = trace(C) and alpha = 0
    x = pd.DataFrame({"a": [1.0, -1, 1, -1], "b": [1.0, 1, -1, -1]})
    assert cronbach_alpha(x) == pytest.approx(0.0, abs=1e-15)


def test_pairwise_complete_covariance() -> None:
    # b's missing value only removes unit 4 from the pairs involving b.
    x = pd.DataFrame({"a": [1.0, 2, 3, 10], "b": [1.0, 2, 3, np.nan]})
    # var(a) over 4 values: mean 4, d = (-3,-2,-1,6), ss = 50, var = 50/3.
    # var(b) = 1 (1,2,3); cov(a,b) over units 1-3 = ((-1)(-1) + 0 + 1*1)/2 = 1.
    # sum = 50/3 + 1 + 2 = 59/3; trace = 53/3; alpha = 2 (1 - 53/59) = 12/59
    assert cronbach_alpha(x) == pytest.approx(12 / 59)


def test_undefined_cases() -> None:
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2, 3]})))
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 1, 1], "b": [2.0, 2, 2]})))


def test_codes_selection_and_unknown_code() -> None:
    x = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 2, 1]})
    assert cronbach_alpha(x, ["a", "b"]) == pytest.approx(1.0)
    with pytest.raises(InputError) as exc:
        cronbach_alpha(x, ["a", "zz"])
    assert exc.value.column == "zz"


def Tree() -> Framework:  # noqa: N802
    """a, b -> P; c -> Q (one child); P, Q are the top level."""
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 2, 2],
            "iCode": ["a", "b", "c", "P", "Q"],
            "Direction": [1] * 5,
            "Weight": [1] * 5,
            "Parent": ["P", "P", "Q", "", ""],
            "Type": ["Indicator"] * 3 + ["Aggregate"] * 2,
        }
    )
    return Framework.read(meta, name="tree")


def test_by_aggregate() -> None:
    x = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, np.nan], "c": [3.0, 2, 1]})
    t = cronbach_by_aggregate(x, Tree()).set_index("code")
    assert t.loc["P", "k"] == 2 and t.loc["P", "n_complete"] == 2
    # a, b over units 1-2 identical, but var(a) uses 3 units (1) and var(b) 2 units (0.5), cov = 0.5:
    # sum = 1 + 0.5 + 1 = 2.5, trace 1.5, alpha = 2 (1 - 1.5/2.5) = 0.8
    assert t.loc["P", "alpha"] == pytest.approx(0.8)
    assert math.isnan(t.loc["Q", "alpha"])  # one child
