"""Saltelli design and variance-based sensitivity estimators."""

from __future__ import annotations

import numpy as np
import pytest

from creativecity.index.analysis.robust_sampling import saltelli
from creativecity.index.analysis.robust_sobol import analyse, sobol_indices, split_runs


def test_design_equals_salib_sampler_with_groups() -> None:
    from SALib.sample import sobol

    groups = ["a", "b", "b", "c"]
    problem = {"num_vars": 4, "names": ["x1", "x2", "x3", "x4"], "bounds": [[0, 1]] * 4, "groups": groups}
    expected = sobol.sample(problem, 64, calc_second_order=False, seed=5)
    got = saltelli(64, [0, 1, 1, 2], seed=5)
    assert got.shape == (64 * (3 + 2), 4)  # N (G + 2) rows
    assert np.array_equal(got, expected)


def test_recovers_linear_model_indices() -> None:
    # y = x1 + 2 x2 + 0 x3, x uniform on [0, 1]: Var = 1/12 + 4/12 = 5/12, so
    # S1 = (1/12)/(5/12) = 0.2, S2 = (4/12)/(5/12) = 0.8, S3 = 0; additive, so ST = S.
    x = saltelli(4096, [0, 1, 2], seed=2)
    y = x[:, 0] + 2 * x[:, 1] + 0 * x[:, 2]
    res = analyse(y, ["x1", "x2", "x3"], n_boot=200, seed=1)
    assert pytest.approx([0.2, 0.8, 0.0], abs=0.05) == res.S1
    assert pytest.approx([0.2, 0.8, 0.0], abs=0.05) == res.ST
    assert np.all(res.S1_low <= res.S1 + 1e-12) and np.all(res.S1_high + 1e-12 >= res.S1)
    assert np.all(res.ST_low <= res.ST + 1e-12) and np.all(res.ST_high + 1e-12 >= res.ST)


def test_recovery_with_plain_random_design_too() -> None:
    # The estimator, not the quasi-random design, must do the work: use pseudo-random A and B.
    rng = np.random.default_rng(9)
    n = 4096
    a, b = rng.random((n, 3)), rng.random((n, 3))
    f = lambda m: m[:, 0] + 2 * m[:, 1]  # noqa: E731
    y_ab = np.column_stack([f(np.where(np.arange(3) == i, b, a)) for i in range(3)])
    s1, st, var = sobol_indices(f(a), y_ab, f(b))
    assert var == pytest.approx(5 / 12, rel=0.05)
    assert s1 == pytest.approx([0.2, 0.8, 0.0], abs=0.05)
    assert st == pytest.approx([0.2, 0.8, 0.0], abs=0.05)


def test_point_estimates_equal_salib() -> None:
    from SALib.analyze import sobol

    x = saltelli(512, [0, 1, 2], seed=4)
    y = np.sin(2 * x[:, 0]) + x[:, 1] ** 2 * x[:, 2]  # with an interaction, so S1 != ST
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    ref = sobol.analyze(problem, y, calc_second_order=False, seed=1)
    res = analyse(y, ["a", "b", "c"], n_boot=50)
    assert np.allclose(res.S1, ref["S1"], atol=1e-12)
    assert np.allclose(res.ST, ref["ST"], atol=1e-12)


def test_bootstrap_is_seeded() -> None:
    x = saltelli(256, [0, 1], seed=1)
    y = x[:, 0] + x[:, 1] ** 3
    r1 = analyse(y, ["a", "b"], n_boot=100, seed=7)
    r2 = analyse(y, ["a", "b"], n_boot=100, seed=7)
    r3 = analyse(y, ["a", "b"], n_boot=100, seed=8)
    assert np.array_equal(r1.S1_low, r2.S1_low) and np.array_equal(r1.ST_high, r2.ST_high)
    assert not np.array_equal(r1.S1_low, r3.S1_low)


def test_constant_output_gives_zero_indices_and_a_warning() -> None:
    res = analyse(np.ones(8 * 4), ["a", "b"], n_boot=10)
    assert res.S1.tolist() == [0.0, 0.0] and res.ST.tolist() == [0.0, 0.0]
    assert res.warnings


def test_split_runs_layout() -> None:
    # rows per base point: A, AB_1, AB_2, B
    y = np.arange(8.0)
    a, ab, b = split_runs(y, 2)
    assert a.tolist() == [0, 4] and b.tolist() == [3, 7] and ab.tolist() == [[1, 2], [5, 6]]
