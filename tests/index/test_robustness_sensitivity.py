"""Sensitivity analysis on ASEM: design size, index sanity, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creativecity.index import build
from creativecity.index.analysis.assumptions import load_assumptions, parse_assumptions
from creativecity.index.analysis.sensitivity import SENSITIVITY_COLUMNS, run_sensitivity
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    fw, data = asem()
    spec = asem_spec("full")
    return fw, data, spec, build(fw, data, spec)


def test_asem_sensitivity(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, nominal = setup
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    res = run_sensitivity(fw, data, spec, aset, 128, 1, nominal=nominal, n_boot=200)
    assert res.runs == 128 * (4 + 2)  # N (d + 2) with d = 4 assumptions
    idx = res.indices
    assert tuple(idx.columns) == SENSITIVITY_COLUMNS
    assert idx["assumption"].tolist() == ["winsorisation", "normalisation", "weights", "aggregation"]
    assert (idx["S1_low"] <= idx["S1"]).all() and (idx["S1"] <= idx["S1_high"]).all()
    assert (idx["ST_low"] <= idx["ST"]).all() and (idx["ST"] <= idx["ST_high"]).all()
    assert (idx["ST"] >= 0).all()
    assert res.variance > 0
    assert len(res.rank_stats) == 51
    again = run_sensitivity(fw, data, spec, aset, 128, 1, nominal=nominal, n_boot=200)
    pd.testing.assert_frame_equal(again.indices, idx, check_exact=True)
    other = run_sensitivity(fw, data, spec, aset, 128, 2, nominal=nominal, n_boot=200)
    assert not np.array_equal(other.indices["S1"], idx["S1"])


def test_an_assumption_without_effect_gets_zero_total_index(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, nominal = setup
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {"name": "inert", "at": "treat.winmax", "values": [5, 5]},  # both choices are nominal
                {"name": "norm", "at": "normalise", "values": [{"method": "minmax"}, {"method": "zscore"}]},
            ],
        }
    ).validate(fw, spec)
    res = run_sensitivity(fw, data, spec, aset, 64, 3, nominal=nominal, n_boot=100)
    rows = res.indices.set_index("assumption")
    # ST_i = sum (y_A - y_ABi)^2 / (2 N V): y_ABi = y_A exactly when factor i changes nothing
    assert rows.loc["inert", "ST"] == 0.0 and rows.loc["inert", "S1"] == pytest.approx(0.0, abs=1e-12)
    # with one influential factor left, it explains all the variance: S1 = ST = 1
    assert rows.loc["norm", "ST"] == pytest.approx(1.0, abs=1e-12)
    assert rows.loc["norm", "S1"] == pytest.approx(1.0, abs=1e-12)
    assert not any("power of two" in w for w in res.warnings)  # 64 is one
