"""Remove-one analysis: a hand-worked 4-unit index, edge cases, and ASEM."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.remove_one import rank_change, remove_one
from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.spec import Spec

SPEC = {"version": 1, "steps": [{"step": "normalise", "method": "minmax", "range": [0, 100]},
                                {"step": "aggregate", "method": "arithmetic"}]}  # fmt: skip


def tiny(weights: tuple[float, ...] = (1, 1, 1, 1, 1, 1)) -> Framework:
    # I1, I2 -> P1; I3 -> P2 (only child); P1, P2 -> Index
    return Framework.read(
        pd.DataFrame(
            {
                "Level": [1, 1, 1, 2, 2, 3],
                "iCode": ["I1", "I2", "I3", "P1", "P2", "Index"],
                "Direction": [1] * 6,
                "Weight": list(weights),
                "Parent": ["P1", "P1", "P2", "Index", "Index", ""],
                "Type": ["Indicator"] * 3 + ["Aggregate"] * 3,
            }
        ),
        name="tiny",
    )


def built(fw: Framework | None = None) -> object:
    fw = fw or tiny()
    # min-max 0-100: I1 = (0, 33.3, 66.7, 100), I2 = (100, 0, 50, 66.7), I3 = (16.7, 100, 0, 66.7)
    data = pd.DataFrame(
        {"uCode": ["A", "B", "C", "D"], "I1": [1, 2, 3, 4], "I2": [4, 1, 2.5, 3], "I3": [1.5, 4, 1, 3]}
    )
    return build(fw, UnitData.read(data, fw, name="tiny data"), Spec.from_dict(SPEC))


def test_nominal_ranks_by_hand() -> None:
    # P1 = (50, 16.7, 58.3, 83.3), P2 = I3; Index = (33.3, 58.3, 29.2, 75) -> ranks A3 B2 C4 D1
    assert built().ranks["Index"].tolist() == [3, 2, 4, 1]


def test_level_one_by_hand() -> None:
    res = remove_one(built(), level=1)
    t = res.table.set_index("code")
    # without I1: P1 = I2, Index = (58.3, 50, 25, 66.7) -> ranks (2, 3, 4, 1); |diff| = 1, 1, 0, 0
    assert t.loc["I1", "mean_abs_rank_change"] == pytest.approx(0.5)
    assert t.loc["I1", "max_abs_rank_change"] == 1
    assert res.ranks["I1"].tolist() == [2, 3, 4, 1]
    # without I2: P1 = I1, Index = (8.3, 66.7, 33.3, 83.3) -> ranks (4, 2, 3, 1); |diff| = 1, 0, 1, 0
    assert t.loc["I2", "mean_abs_rank_change"] == pytest.approx(0.5)
    assert t.loc["I2", "n_units"] == 4
    # I3 is P2's only child: removing it would leave P2 undefined
    assert math.isnan(t.loc["I3", "mean_abs_rank_change"])
    assert "only weighted child" in t.loc["I3", "note"]


def test_level_two_by_hand() -> None:
    t = remove_one(built(), level=2).table.set_index("code")
    # without P1: Index = P2 = (16.7, 100, 0, 66.7) -> (3, 1, 4, 2); |diff| = 0, 1, 0, 1
    assert t.loc["P1", "mean_abs_rank_change"] == pytest.approx(0.5)
    # without P2: Index = P1 = (50, 16.7, 58.3, 83.3) -> (3, 4, 2, 1); |diff| = 0, 2, 2, 0
    assert t.loc["P2", "mean_abs_rank_change"] == pytest.approx(1.0)
    assert t.loc["P2", "max_abs_rank_change"] == 2


def test_same_as_a_full_build_with_zero_weight() -> None:
    res = remove_one(built(), level=1, codes=["I2"])
    full = built(tiny((1, 0, 1, 1, 1, 1)))
    assert res.ranks["I2"].tolist() == full.ranks["Index"].astype(float).tolist()


def test_zero_weight_code_and_target_choice() -> None:
    res = remove_one(built(tiny((1, 0, 1, 1, 1, 1))), level=1, target="P1")
    t = res.table.set_index("code")
    assert t.loc["I2", "note"] == "weight is already 0" and t.loc["I2", "mean_abs_rank_change"] == 0
    assert res.target == "P1"
    # I3 is not under P1: removing it cannot change P1's ranks -- but it is an only child (undefined P2)
    assert list(res.table["code"]) == ["I1", "I2", "I3"]


def test_bad_inputs() -> None:
    r = built()
    with pytest.raises(InputError, match="level"):
        remove_one(r, level=3)
    with pytest.raises(InputError, match="unknown target"):
        remove_one(r, target="Nope")
    with pytest.raises(InputError, match="not a code at level"):
        remove_one(r, level=1, codes=["P1"])


def test_rank_change_helper() -> None:
    a = pd.Series([1, 2, 3, pd.NA], index=list("wxyz"), dtype="Int64")
    b = pd.Series([3, 2, np.nan, 1.0], index=list("wxyz"))
    # only w and x are ranked in both: |1-3| = 2, |2-2| = 0
    assert rank_change(a, b) == (1.0, 2.0, 2)
    assert math.isnan(rank_change(a, pd.Series(np.nan, index=list("wxyz")))[0])


def test_asem_removing_a_sub_index_leaves_the_other() -> None:
    from creativecity.index.examples import asem, asem_spec

    fw, data = asem()
    r = build(fw, data, asem_spec("full"))
    res = remove_one(r, level=3).table.set_index("code")
    # Index = mean(Conn, Sust); with Conn at weight 0 the index IS Sust, so the rank change is that
    # between the Index ranks and the Sust ranks, computed independently here.
    d = (r.ranks["Index"].astype(float) - r.ranks["Sust"].astype(float)).abs()
    assert res.loc["Conn", "mean_abs_rank_change"] == pytest.approx(d.mean())
    assert res.loc["Conn", "max_abs_rank_change"] == d.max()
    assert res.loc["Conn", "n_units"] == len(r.units)
