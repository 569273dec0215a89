"""Sampling: uniform design -> choices; seeded, equally likely, within bounds."""

from __future__ import annotations

import numpy as np
import pytest

from creativecity.index.analysis.assumptions import parse_assumptions
from creativecity.index.analysis.robust_sampling import decode, design_columns, monte_carlo, saltelli
from creativecity.index.examples import asem


@pytest.fixture(scope="module")
def fw():  # type: ignore[no-untyped-def]
    return asem()[0]


def _aset():  # type: ignore[no-untyped-def]
    return parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {"name": "wm", "at": "treat.winmax", "values": [1, 2, 3, 4, 5]},
                {"name": "skew", "at": "treat.skew_max", "range": [1.5, 2.5]},
                {"name": "w", "at": "aggregate.weights", "noise": {"levels": [2, 3], "factor": 0.25}},
                {"name": "kurt", "at": "treat.kurt_max", "range": [3.5, 3.5]},
            ],
        }
    )


def test_columns_one_per_choice_and_one_per_noisy_weight(fw) -> None:  # type: ignore[no-untyped-def]
    cols = design_columns(_aset(), fw)
    # ASEM: 8 pillars at level 2 and 2 sub-indices at level 3 -> 10 weights; plus 3 scalar assumptions
    assert len(cols) == 3 + 10
    assert [c.assumption for c in cols].count(2) == 10
    assert {c.code for c in cols if c.assumption == 2} == set(fw.codes_at(2) + fw.codes_at(3))


def test_same_seed_same_choices_other_seed_other_choices(fw) -> None:  # type: ignore[no-untyped-def]
    aset = _aset()
    n = len(design_columns(aset, fw))
    r1 = decode(aset, fw, monte_carlo(500, n, 42))
    r2 = decode(aset, fw, monte_carlo(500, n, 42))
    r3 = decode(aset, fw, monte_carlo(500, n, 43))
    assert np.array_equal(r1.choice["wm"], r2.choice["wm"])
    assert np.array_equal(r1.noise["w"][1], r2.noise["w"][1])
    assert not np.array_equal(r1.choice["wm"], r3.choice["wm"])
    assert np.array_equal(saltelli(64, [0, 1, 1], 3), saltelli(64, [0, 1, 1], 3))
    assert not np.array_equal(saltelli(64, [0, 1, 1], 3), saltelli(64, [0, 1, 1], 4))


def test_distributions(fw) -> None:  # type: ignore[no-untyped-def]
    aset = _aset()
    n = 20_000
    reps = decode(aset, fw, monte_carlo(n, len(design_columns(aset, fw)), 0))
    counts = np.bincount(reps.choice["wm"], minlength=5)
    # equally likely: each of 5 choices ~ 4,000; binomial sd = sqrt(20000 * 0.2 * 0.8) ~ 57, allow 5 sd
    assert np.all(np.abs(counts - 4000) < 5 * 57)
    skew = reps.value["skew"]
    assert skew.min() >= 1.5 and skew.max() <= 2.5
    assert abs(skew.mean() - 2.0) < 0.01  # uniform mean (1.5 + 2.5) / 2, sd of mean ~ 0.002
    mult = reps.noise["w"][1]
    assert mult.min() >= 0.75 and mult.max() <= 1.25  # 1 + 0.25 (2U - 1)
    assert abs(mult.mean() - 1.0) < 0.005
    assert np.all(reps.value["kurt"] == 3.5)  # a degenerate range [a, a] is the constant a


def test_boundary_uniforms_map_inside(fw) -> None:  # type: ignore[no-untyped-def]
    aset = _aset()
    n_cols = len(design_columns(aset, fw))
    u = np.array([[0.0] * n_cols, [np.nextafter(1.0, 0.0)] * n_cols])
    reps = decode(aset, fw, u)
    assert reps.choice["wm"].tolist() == [0, 4]  # floor(u k), never k
    assert reps.setting(aset.assumptions[0], 1) == 5


def test_integer_range_gives_whole_numbers(fw) -> None:  # type: ignore[no-untyped-def]
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [{"name": "wm", "at": "treat.winmax", "range": [1, 3]}],
        }
    )
    reps = decode(aset, fw, monte_carlo(3000, 1, 5))
    assert set(np.unique(reps.choice["wm"]).tolist()) == {1, 2, 3}
