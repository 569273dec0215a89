"""Effective weights: hand-computed products up the tree, the engine's own method, bad weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.weights import (
    effective_weights,
    effective_weights_from,
    normalised_weights,
    weights_table,
)
from creativecity.index.framework import Framework


def tiny() -> Framework:
    # I1 (w 1), I2 (w 3) -> P1 (w 2); I3 (w 1) -> P2 (w 1); P1, P2 -> Index
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 2, 2, 3],
            "iCode": ["I1", "I2", "I3", "P1", "P2", "Index"],
            "Direction": [1, 1, -1, 1, 1, 1],
            "Weight": [1, 3, 1, 2, 1, 1],
            "Parent": ["P1", "P1", "P2", "Index", "Index", ""],
            "Type": ["Indicator"] * 3 + ["Aggregate"] * 3,
        }
    )
    return Framework.read(meta, name="tiny")


def test_tiny_by_hand() -> None:
    ew = effective_weights(tiny())
    # P1 = 2/3, P2 = 1/3 of the index; I1 = 1/4 * 2/3 = 1/6, I2 = 3/4 * 2/3 = 1/2, I3 = 1 * 1/3
    expected = {"I1": 1 / 6, "I2": 1 / 2, "I3": 1 / 3, "P1": 2 / 3, "P2": 1 / 3, "Index": 1.0}
    assert ew.to_dict() == pytest.approx(expected)
    assert list(ew.index) == ["I1", "I2", "I3", "P1", "P2", "Index"]


def test_agrees_with_framework_method() -> None:
    fw = tiny()
    zero = {"I1": 0.0, "I2": 0.0}  # P1 undefined: NaN for I1, I2 in both
    pd.testing.assert_series_equal(
        effective_weights(fw, zero), fw.effective_weights(zero).reindex(fw.codes), check_names=False
    )
    pd.testing.assert_series_equal(
        effective_weights(fw), fw.effective_weights().reindex(fw.codes), check_names=False
    )
    alt = {"I1": 3.0, "P2": 2.0}
    pd.testing.assert_series_equal(
        effective_weights(fw, alt), fw.effective_weights(alt).reindex(fw.codes), check_names=False
    )


def test_what_if_weights() -> None:
    ew = effective_weights(tiny(), {"I1": 3.0, "P2": 2.0})
    # P1 = 2/4, P2 = 2/4; I1 = 3/6 * 1/2 = 1/4
    assert ew["I1"] == pytest.approx(0.25) and ew["P2"] == pytest.approx(0.5)


def test_levels_sum_to_one() -> None:
    fw = tiny()
    ew = effective_weights(fw)
    for level in (1, 2, 3):
        assert ew[fw.codes_at(level)].sum() == pytest.approx(1.0)


def test_table() -> None:
    t = weights_table(tiny()).set_index("code")
    assert t.loc["I2", "within_parent"] == pytest.approx(0.75)
    assert t.loc["I2", "effective"] == pytest.approx(0.5)
    assert pd.isna(t.loc["Index", "parent"]) and t.loc["I3", "level"] == 1


def test_from_plain_maps_and_errors() -> None:
    parents = {"a": "P", "b": "P", "P": None}
    assert effective_weights_from(parents, {"a": 1, "b": 1, "P": 1}).to_dict() == {"a": 0.5, "b": 0.5, "P": 1}
    with pytest.raises(InputError) as exc:
        normalised_weights(parents, {"a": -1, "b": 1, "P": 1})
    assert exc.value.row == "a" and exc.value.column == "Weight"
    # children weights summing to 0: undefined (NaN), as the engine leaves such a parent missing
    zero = normalised_weights(parents, {"a": 0, "b": 0, "P": 1})
    assert np.isnan(zero["a"]) and np.isnan(zero["b"]) and zero["P"] == 1
    with pytest.raises(InputError) as exc:
        effective_weights_from({"a": "b", "b": "a"}, {"a": 1, "b": 1})
    assert exc.value.rule == "no cycles"
    with pytest.raises(InputError):
        effective_weights(tiny(), {"nope": 1.0})


def test_asem_conecfin_indicator_is_002() -> None:
    examples = pytest.importorskip("creativecity.index.examples")
    fw, _ = examples.asem()
    ew = effective_weights(fw)
    # 5 indicators in ConEcFin, 5 pillars in Conn, 2 sub-indices: 1/5 * 1/5 * 1/2
    for code in fw.children("ConEcFin"):
        assert ew[code] == pytest.approx(0.02, rel=1e-15)
    assert ew[fw.codes_at(1)].sum() == pytest.approx(1.0)
