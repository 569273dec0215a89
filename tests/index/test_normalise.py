"""Normalisation: ENGINE.md §5 check values and hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creativecity.index.steps.base import ColumnError
from creativecity.index.steps.normalise import (
    ColumnInfo,
    borda,
    directed,
    dist2max,
    dist2ref,
    dist2targ,
    fracmax,
    goalposts,
    minmax,
    percentile_rank,
    rank,
    zscore,
)

NAN = math.nan
V = np.array([[5.0], [1.0], [3.0], [NAN], [3.0]])
UNITS = np.array(["A", "B", "C", "D", "E"], dtype=object)


def info(direction: float = 1.0, target: float = NAN) -> ColumnInfo:
    return ColumnInfo(np.array([direction]), np.array([target]), UNITS, ("v",))


def col(a: np.ndarray) -> list[float]:
    return a[:, 0].tolist()


def test_engine_checks() -> None:
    np.testing.assert_array_equal(col(minmax(V, info())), [100, 0, 50, NAN, 50])
    # zscore(10, 2): mean 3, sd sqrt(8/3); 5 -> 2/sqrt(8/3)*2 + 10
    np.testing.assert_allclose(
        col(zscore(V, info(), mean=10, sd=2)), [12.4494897427832, 7.55051025721682, 10, NAN, 10], rtol=1e-13
    )
    np.testing.assert_array_equal(col(rank(V, info())), [4, 1, 2, NAN, 2])
    np.testing.assert_allclose(col(percentile_rank(V, info())), [1, 0, 1 / 3, NAN, 1 / 3], rtol=1e-15)
    # Direction -1 with minmax: direction applied first
    np.testing.assert_array_equal(col(minmax(directed(V, np.array([-1.0])), info(-1))), [0, 100, 50, NAN, 50])


def test_minmax_range() -> None:
    # (x - 1)/(5 - 1) * (100 - 1) + 1: 5 -> 100, 1 -> 1, 3 -> 50.5
    np.testing.assert_array_equal(col(minmax(V, info(), range=(1.0, 100.0))), [100, 1, 50.5, NAN, 50.5])


def test_minmax_constant_column_is_error() -> None:
    with pytest.raises(ColumnError) as e:
        minmax(
            np.array([[2.0, 1.0], [2.0, 3.0]]), ColumnInfo(np.ones(2), np.full(2, NAN), UNITS[:2], ("a", "b"))
        )
    assert e.value.col == 0


def test_borda_fracmax_dist2max() -> None:
    np.testing.assert_array_equal(col(borda(V, info())), [3, 0, 1, NAN, 1])
    np.testing.assert_array_equal(col(fracmax(V, info())), [1, 0.2, 0.6, NAN, 0.6])  # x / 5
    # 1 - (5 - x)/4: 5 -> 1, 1 -> 0, 3 -> 0.5
    np.testing.assert_array_equal(col(dist2max(V, info())), [1, 0, 0.5, NAN, 0.5])


def test_dist2ref() -> None:
    # reference unit C (x = 3), min 1: 1 - (3 - x)/(3 - 1): 5 -> 2, 1 -> 0, 3 -> 1
    np.testing.assert_array_equal(col(dist2ref(V, info(), unit="C")), [2, 0, 1, NAN, 1])
    np.testing.assert_array_equal(col(dist2ref(V, info(), unit="C", cap=True)), [1, 0, 1, NAN, 1])
    with pytest.raises(KeyError):
        dist2ref(V, info(), unit="ZZZ")


def test_dist2targ_both_directions() -> None:
    # Direction 1, target 4: (x - 1)/(4 - 1): 5 -> 4/3, 1 -> 0, 3 -> 2/3
    np.testing.assert_allclose(col(dist2targ(V, info(1, 4.0))), [4 / 3, 0, 2 / 3, NAN, 2 / 3], rtol=1e-15)
    np.testing.assert_allclose(
        col(dist2targ(V, info(1, 4.0), cap=True)), [1, 0, 2 / 3, NAN, 2 / 3], rtol=1e-15
    )
    # Direction -1, target 2: ENGINE formula (max - x)/(max - target) = (5 - x)/3: 5 -> 0, 1 -> 4/3, 3 -> 2/3
    out = dist2targ(directed(V, np.array([-1.0])), info(-1, 2.0))
    np.testing.assert_allclose(col(out), [0, 4 / 3, 2 / 3, NAN, 2 / 3], rtol=1e-15)


def test_dist2targ_needs_target() -> None:
    with pytest.raises(ColumnError):
        dist2targ(V, info(1, NAN))


def test_goalposts_both_directions() -> None:
    # lo 2, hi 4, scale 100: (x - 2)/2 clipped: 5 -> 1, 1 -> 0, 3 -> 0.5
    np.testing.assert_array_equal(col(goalposts(V, info(), lo=2, hi=4, scale=100)), [100, 0, 50, NAN, 50])
    # Direction -1: (hi - x)/(hi - lo) = (4 - x)/2 clipped: 5 -> 0, 1 -> 1, 3 -> 0.5
    out = goalposts(directed(V, np.array([-1.0])), info(-1), lo=2, hi=4, scale=1)
    np.testing.assert_array_equal(col(out), [0, 1, 0.5, NAN, 0.5])


def test_goalposts_per_code() -> None:
    out = goalposts(V, info(), lo={"v": 1.0}, hi={"v": 5.0}, scale=1)
    np.testing.assert_array_equal(col(out), [1, 0, 0.5, NAN, 0.5])


def test_leading_replication_axis() -> None:
    # robustness calls methods on (replications, units, indicators): each replication on its own
    stack = np.stack([V, V * 2])
    out = minmax(stack, info())
    np.testing.assert_array_equal(out[0], minmax(V, info()))
    np.testing.assert_array_equal(out[1], minmax(V * 2, info()))
    r = rank(stack, info())
    np.testing.assert_array_equal(r[1, :, 0], [4, 1, 2, NAN, 2])


def test_input_not_mutated() -> None:
    before = V.copy()
    for f in (minmax, rank, fracmax, dist2max):
        f(V, info())
    np.testing.assert_array_equal(V, before)
