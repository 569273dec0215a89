"""Aggregation: ENGINE.md §6 check values, hand-worked cases and the Copeland method."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creativecity.index.steps.aggregate import arithmetic, copeland, generalised, geometric, harmonic
from creativecity.index.steps.base import CellError

NAN = math.nan
X = np.array([[2.0, NAN, 8.0]])
W = np.array([1.0, 1.0, 2.0])


def test_engine_checks() -> None:
    # available (2, 8) with weights (1, 2)/3
    assert arithmetic(X, W)[0] == pytest.approx(6.0, rel=1e-15)  # (2 + 16)/3
    assert geometric(X, W)[0] == pytest.approx(5.03968419957949, rel=1e-13)  # 2^(1/3) 8^(2/3) = 2^(7/3)
    assert harmonic(X, W)[0] == pytest.approx(4.0, rel=1e-15)  # 3 / (1/2 + 2/8)


def test_generalised() -> None:
    # p = 2: sqrt((1*4 + 2*64)/3) = sqrt(44)
    assert generalised(X, W, p=2.0)[0] == pytest.approx(math.sqrt(44), rel=1e-14)
    # p = 1 is the arithmetic mean
    assert generalised(X, W, p=1.0)[0] == pytest.approx(6.0, rel=1e-15)
    # p = -1 is the harmonic mean
    assert generalised(X, W, p=-1.0)[0] == pytest.approx(4.0, rel=1e-14)


def test_all_missing_gives_missing() -> None:
    x = np.array([[NAN, NAN, NAN], [1.0, 1.0, 1.0]])
    assert np.isnan(arithmetic(x, W)[0]) and arithmetic(x, W)[1] == 1.0
    assert np.isnan(geometric(x, W)[0])


def test_geometric_refuses_non_positive() -> None:
    with pytest.raises(CellError) as e:
        geometric(np.array([[1.0, 2.0], [3.0, 0.0]]), np.array([1.0, 1.0]))
    assert (e.value.unit, e.value.col) == (1, 1)
    with pytest.raises(CellError):
        harmonic(np.array([[1.0, 0.0]]), np.array([1.0, 1.0]))
    with pytest.raises(CellError):
        generalised(np.array([[1.0, -1.0]]), np.array([1.0, 1.0]), p=2.0)


def test_copeland_by_hand() -> None:
    # three units, two equally weighted indicators
    # A = (3, 3), B = (1, 2), C = (2, 1)
    # A vs B: A greater on both -> O = 1 -> +1; A vs C: +1 -> A = 2
    # B vs C: B lower on 1st, greater on 2nd -> O = 1/2 -> 0; B vs A -> -1 -> B = -1; C likewise -1
    x = np.array([[3.0, 3.0], [1.0, 2.0], [2.0, 1.0]])
    np.testing.assert_array_equal(copeland(x, np.array([1.0, 1.0])), [2, -1, -1])
    # weights (2, 1): B vs C -> C greater on the heavier -> C beats B: B = -2, C = 0
    np.testing.assert_array_equal(copeland(x, np.array([2.0, 1.0])), [2, -2, 0])


def test_copeland_float_ties_are_ties() -> None:
    # weights 0.1, 0.2, 0.3: 0.1 + 0.2 != 0.3 in floating point; A wins on the first two, B on the third
    x = np.array([[2.0, 2.0, 1.0], [1.0, 1.0, 2.0]])
    np.testing.assert_array_equal(copeland(x, np.array([0.1, 0.2, 0.3])), [0, 0])


def test_copeland_missing() -> None:
    # B lacks the 2nd indicator: compared on the 1st only (weights renormalised over common ones)
    x = np.array([[3.0, 1.0], [2.0, NAN], [NAN, NAN]])
    out = copeland(x, np.array([1.0, 1.0]))
    assert out[0] == 1 and out[1] == -1 and np.isnan(out[2])


def test_zero_weight_child_ignored() -> None:
    x = np.array([[10.0, 1000.0]])
    assert arithmetic(x, np.array([1.0, 0.0]))[0] == 10.0
    assert np.isnan(arithmetic(np.array([[NAN, 5.0]]), np.array([1.0, 0.0]))[0])


def test_leading_axis() -> None:
    stack = np.stack([X, X * 2])
    np.testing.assert_allclose(arithmetic(stack, W)[:, 0], [6.0, 12.0])
    np.testing.assert_allclose(copeland(np.stack([X, X]), W)[:, 0], [0.0, 0.0])
