"""Uncertainty analysis on the bundled ASEM example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import build
from creativecity.index.analysis import robust_vectorised
from creativecity.index.analysis.assumptions import load_assumptions, parse_assumptions
from creativecity.index.analysis.uncertainty import RANK_COLUMNS, run_uncertainty
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    fw, data = asem()
    spec = asem_spec("full")
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    nominal = build(fw, data, spec)
    return fw, data, spec, aset, nominal


@pytest.fixture(scope="module")
def ua(setup):  # type: ignore[no-untyped-def]
    fw, data, spec, aset, nominal = setup
    return run_uncertainty(fw, data, spec, aset, 300, 1, nominal=nominal)


def test_columns_and_nominal_equals_engine_ranks(setup, ua) -> None:  # type: ignore[no-untyped-def]
    *_, nominal = setup
    df = ua.rank_stats
    assert tuple(df.columns[:6]) == RANK_COLUMNS
    assert df["uCode"].tolist() == sorted(nominal.units)
    engine = nominal.ranks["Index"].reindex(df["uCode"]).to_numpy()
    assert np.array_equal(df["nominal"].to_numpy(dtype=float), engine.astype(float))
    assert np.allclose(df["score_nominal"], nominal.scores["Index"].reindex(df["uCode"]), rtol=0, atol=0)


def test_interval_ordering_and_ranges(ua) -> None:  # type: ignore[no-untyped-def]
    df = ua.rank_stats
    n_units = len(df)
    assert (df["q05"] <= df["median"]).all() and (df["median"] <= df["q95"]).all()
    assert (df["q05"] >= 1).all() and (df["q95"] <= n_units).all()
    assert (df["mean"] >= 1).all() and (df["mean"] <= n_units).all()
    # ranks 1..51 of 51 units in each replication: mean ranks sum to 1 + ... + 51 = 51 * 52 / 2
    assert df["mean"].sum() == pytest.approx(51 * 52 / 2)
    assert (df["score_min"] <= df["score_mean"]).all() and (df["score_mean"] <= df["score_max"]).all()
    assert ua.upstream_datasets == 10  # 5 winsorisation x 2 normalisation choices


def test_same_seed_identical_other_seed_different(setup, ua) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, aset, nominal = setup
    again = run_uncertainty(fw, data, spec, aset, 300, 1, nominal=nominal)
    pd.testing.assert_frame_equal(again.rank_stats, ua.rank_stats, check_exact=True)
    other = run_uncertainty(fw, data, spec, aset, 300, 2, nominal=nominal)
    assert not other.rank_stats["mean"].equals(ua.rank_stats["mean"])


def test_results_do_not_depend_on_chunking(setup, ua, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, aset, nominal = setup
    monkeypatch.setattr(robust_vectorised, "MAX_CHUNK", 37)  # 300 replications in 9 uneven chunks
    chunked = run_uncertainty(fw, data, spec, aset, 300, 1, nominal=nominal)
    assert chunked.chunks == 9
    cols = ["uCode", "nominal", "mean", "median", "q05", "q95", "score_min", "score_max"]
    pd.testing.assert_frame_equal(chunked.rank_stats[cols], ua.rank_stats[cols], check_exact=True)
    np.testing.assert_allclose(chunked.rank_stats["score_mean"], ua.rank_stats["score_mean"], rtol=1e-13)
    np.testing.assert_allclose(chunked.rank_stats["score_sd"], ua.rank_stats["score_sd"], rtol=1e-9)


def test_no_op_assumptions_give_zero_width_intervals(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, _, nominal = setup
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {"name": "same winmax", "at": "treat.winmax", "values": [5]},  # the nominal value
                {"name": "no noise", "at": "aggregate.weights", "noise": {"levels": [2, 3], "factor": 0}},
            ],
        }
    ).validate(fw, spec)
    res = run_uncertainty(fw, data, spec, aset, 50, 3, nominal=nominal)
    df = res.rank_stats
    nominal_rank = df["nominal"].to_numpy(dtype=float)
    for col in ("mean", "median", "q05", "q95"):
        assert np.array_equal(df[col].to_numpy(), nominal_rank), col
    assert np.allclose(df["score_sd"], 0.0, atol=1e-12)
    assert res.upstream_datasets == 1


def test_geometric_with_non_positive_values_names_the_replication(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, _, nominal = setup
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {"name": "norm", "at": "normalise", "values": [{"method": "minmax", "range": [0, 100]}]},
                {"name": "agg", "at": "aggregate.method", "values": ["geometric"]},
            ],
        },
        source="ua.yaml",
    ).validate(fw, spec)
    with pytest.raises(InputError) as exc:
        run_uncertainty(fw, data, spec, aset, 5, 1, nominal=nominal)
    err = exc.value
    # minmax [0, 100] puts each indicator's worst unit at 0, which a geometric mean cannot take
    assert "replication 1" in err.message and "agg = 'geometric'" in err.message
    assert "geometric mean" in err.message and "range: [1, 100]" in err.message
    assert err.file == "ua.yaml" and err.row is not None and err.column in fw.indicators


@pytest.mark.parametrize(
    ("item", "choice", "words"),
    [
        # choices only these data can refuse: each names the assumptions file, the assumption and
        # the offending choice (values[1]), not the nominal spec, which is fine
        (
            {
                "name": "ref",
                "at": "normalise",
                "values": [{"method": "minmax"}, {"method": "dist2ref", "unit": "XXX"}],
            },
            "values[1]",
            "reference unit 'XXX'",
        ),
        ({"name": "grp", "at": "impute.group", "values": ["EurAsia_group", "Nope"]}, "values[1]", "'Nope'"),
    ],
)
def test_choice_the_data_refuse_names_the_assumption(setup, item, choice, words) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, _, nominal = setup
    aset = parse_assumptions({"version": 1, "target": "Index", "assumptions": [item]}, source="ua.yaml")
    aset = aset.validate(fw, spec)
    with pytest.raises(InputError) as exc:
        run_uncertainty(fw, data, spec, aset, 8, 1, nominal=nominal)
    err = exc.value
    assert (err.file, err.row, err.column) == ("ua.yaml", "assumptions[0]", choice)
    assert f"assumption 1 ({item['name']!r})" in err.message and words in err.message


def test_n_must_be_positive(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, aset, _ = setup
    with pytest.raises(InputError, match="--n must be a whole number >= 1"):
        run_uncertainty(fw, data, spec, aset, 0, 1)


def test_comparison_of_rankings(ua) -> None:  # type: ignore[no-untyped-def]
    comp = ua.comparison
    t = comp.table
    assert (t["shift"] == t["nominal"] - t["median"]).all()
    assert (t["width"] == t["q95"] - t["q05"]).all()
    assert t["width"].is_monotonic_decreasing
    assert comp.widest(3)["width"].tolist() == sorted(t["width"], reverse=True)[:3]
    assert -1 <= comp.spearman <= 1 and comp.spearman > 0.8  # the assumptions reshuffle, not reverse


def test_noise_outside_the_target_subtree_is_flagged(setup) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, _, nominal = setup
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Physical",  # a pillar: the sub-index weights (level 3) are above it
            "assumptions": [
                {"name": "w", "at": "aggregate.weights", "noise": {"levels": [3], "factor": 0.2}}
            ],
        }
    ).validate(fw, spec)
    res = run_uncertainty(fw, data, spec, aset, 20, 1, nominal=nominal)
    assert any("changes nothing" in w for w in res.warnings)
    assert (res.rank_stats["q05"] == res.rank_stats["q95"]).all()
