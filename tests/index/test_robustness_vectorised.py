"""The vectorised replications equal the engine's build of each replication's own spec."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.index import Framework, UnitData, build
from creativecity.index.analysis.assumptions import load_assumptions, parse_assumptions
from creativecity.index.analysis.robust_prepare import prepare, replication_spec
from creativecity.index.analysis.robust_sampling import decode, design_columns, monte_carlo
from creativecity.index.analysis.robust_stats import rank_rows
from creativecity.index.analysis.robust_vectorised import AggConfig, ChunkArg, Shared, Tree, target_scores
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec


@pytest.fixture(scope="module")
def asem_fw_data():  # type: ignore[no-untyped-def]
    return asem()


def _one_parent(method: str, p: float = 1.0, min_data: float | None = None) -> tuple[Shared, ChunkArg]:
    tree = Tree("P", (("a", "b", "c"), ("P",)), ((), ((0, 1, 2),)), (1, 2), (0, 3))
    x = np.array([[2.0, np.nan, 8.0], [1.0, 1.0, 1.0]])
    shared = Shared(tree, ("u1", "u2"), [x], [AggConfig((((method, p),),), min_data)], np.array([1.0, 2.0]))
    arg = ChunkArg(0, np.array([0]), np.array([0]), np.array([[1.0, 1.0, 2.0]]))
    return shared, arg


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # x = (2, NaN, 8), w = (1, 1, 2): b is missing and drops out with its weight (ENGINE.md §6)
        ("arithmetic", (1 * 2 + 2 * 8) / 3),  # = 6
        ("geometric", math.exp((1 * math.log(2) + 2 * math.log(8)) / 3)),  # = 2^(7/3) = 5.0396841995...
        ("harmonic", 3 / (1 / 2 + 2 / 8)),  # = 4
    ],
)
def test_hand_checked_means(method: str, expected: float) -> None:
    shared, arg = _one_parent(method)
    scores, problem = target_scores(shared, arg)
    assert problem is None
    assert scores[0, 0] == pytest.approx(expected, rel=1e-14)
    assert scores[0, 1] == pytest.approx(1.0, rel=1e-14)  # any mean of ones is 1


def test_generalised_and_min_data() -> None:
    shared, arg = _one_parent("generalised", p=2.0)
    # ((1 * 4 + 2 * 64) / 3) ^ (1/2) = sqrt(44)
    assert target_scores(shared, arg)[0][0, 0] == pytest.approx(math.sqrt(44), rel=1e-14)
    shared, arg = _one_parent("arithmetic", min_data=0.7)
    scores = target_scores(shared, arg)[0]
    assert np.isnan(scores[0, 0])  # 2 of 3 children present: 0.667 < 0.7
    assert scores[0, 1] == pytest.approx(1.0)


@pytest.mark.parametrize("block_cells", [100_000, 0])
def test_refused_value_is_reported_not_raised(block_cells, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from creativecity.index.analysis import robust_vectorised

    monkeypatch.setattr(robust_vectorised, "BLOCK_CELLS", block_cells)
    shared, arg = _one_parent("geometric")
    shared.matrices[0][1, 2] = -1.0
    _, problem = target_scores(shared, arg)
    assert problem is not None
    assert (problem.unit, problem.code, problem.parent, problem.method, problem.value) == (
        "u2",
        "c",
        "P",
        "geometric",
        -1.0,
    )


def _check_against_engine(fw, data, spec, aset, n: int, seed: int) -> int:  # type: ignore[no-untyped-def]
    reps = decode(aset, fw, monte_carlo(n, len(design_columns(aset, fw)), seed))
    prep = prepare(fw, data, spec, aset, reps)
    scores = np.vstack([target_scores(prep.shared, a)[0] for a in prep.chunks()])
    ranks = rank_rows(scores)
    units = list(prep.shared.units)
    for i in range(n):
        res = build(fw, data, replication_spec(spec, fw, aset, reps, i))
        expected = res.scores[aset.target].reindex(units).to_numpy(float)
        np.testing.assert_allclose(scores[i], expected, rtol=1e-9, atol=1e-12, err_msg=f"replication {i}")
        exp_rank = res.ranks[aset.target].reindex(units).astype("Float64").fillna(0).to_numpy(float)
        assert np.array_equal(ranks[i], exp_rank), f"ranks differ in replication {i}"
    return prep.n_upstream


def test_bundled_asem_assumptions_equal_engine(asem_fw_data) -> None:  # type: ignore[no-untyped-def]
    fw, data = asem_fw_data
    spec = asem_spec("full")
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    n_up = _check_against_engine(fw, data, spec, aset, n=24, seed=3)
    assert n_up <= 10  # at most 5 winsorisation x 2 normalisation data sets are computed


@pytest.mark.parametrize("block", [True, False], ids=["block-product", "per-aggregate"])
def test_missing_values_min_data_methods_by_level_and_subtree_target(
    asem_fw_data, block, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from creativecity.index.analysis import robust_vectorised

    if not block:  # the path large data take: one product per aggregate
        monkeypatch.setattr(robust_vectorised, "BLOCK_CELLS", 0)
    fw, data = asem_fw_data
    spec = asem_spec("simple")
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Conn",
            "assumptions": [
                {"name": "imputation", "at": "impute", "values": [{"method": "none"}, {"method": "mean"}]},
                {
                    "name": "norm",
                    "at": "normalise",
                    "values": [{"method": "minmax", "range": [1, 100]}, {"method": "rank"}],
                },
                {
                    "name": "agg",
                    "at": "aggregate.method",
                    "values": [
                        "arithmetic",
                        {2: "geometric", 3: "harmonic"},
                        {2: {"method": "generalised", "p": 2}},
                    ],
                },
                {"name": "min_data", "at": "aggregate.min_data", "range": [0.5, 0.9]},
                {"name": "w", "at": "aggregate.weights", "noise": {"levels": [1, 2], "factor": 0.5}},
            ],
        }
    ).validate(fw, spec)
    assert _check_against_engine(fw, data, spec, aset, n=18, seed=11) == 4  # 2 imputations x 2 norms


def test_indicator_target_and_continuous_range(asem_fw_data) -> None:  # type: ignore[no-untyped-def]
    fw, data = asem_fw_data
    spec = asem_spec("full")
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "LPI",
            "assumptions": [
                {"name": "skew", "at": "treat.skew_max", "range": [1.0, 3.0]},
                {"name": "norm", "at": "normalise", "values": [{"method": "zscore"}, {"method": "minmax"}]},
            ],
        }
    ).validate(fw, spec)
    _check_against_engine(fw, data, spec, aset, n=6, seed=2)


@pytest.mark.parametrize("block", [True, False], ids=["block-product", "per-aggregate"])
def test_copeland_falls_back_to_engine_function(block, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from creativecity.index.analysis import robust_vectorised

    if not block:
        monkeypatch.setattr(robust_vectorised, "BLOCK_CELLS", 0)
    rows = [
        {"Level": 1, "iCode": c, "Direction": 1, "Weight": 1.0, "Parent": "Index", "Type": "Indicator"}
        for c in ("a", "b", "c")
    ] + [{"Level": 2, "iCode": "Index", "Direction": 1, "Weight": 1.0, "Parent": "", "Type": "Aggregate"}]
    fw = Framework.read(pd.DataFrame(rows), name="tiny")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"uCode": [f"U{i}" for i in range(8)], **{c: rng.random(8) for c in "abc"}})
    data = UnitData.read(df, fw, name="tiny")
    from creativecity.index import Spec

    spec = Spec.from_dict({"version": 1, "steps": [{"step": "normalise"}, {"step": "aggregate"}]})
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {"name": "agg", "at": "aggregate.method", "values": ["copeland", "arithmetic"]},
                {"name": "w", "at": "aggregate.weights", "noise": {"levels": [1], "factor": 0.9}},
            ],
        }
    ).validate(fw, spec)
    _check_against_engine(fw, data, spec, aset, n=6, seed=1)


def test_weight_sets_as_discrete_choices(asem_fw_data) -> None:  # type: ignore[no-untyped-def]
    fw, data = asem_fw_data
    spec = asem_spec("full")
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Sust",
            "assumptions": [
                {
                    "name": "weighting",
                    "at": "aggregate.weights",
                    "values": ["equal", {"Environ": 3, "Social": 0}],
                },
                {"name": "agg", "at": "aggregate.method", "values": ["arithmetic", {3: "geometric"}]},
            ],
        }
    ).validate(fw, spec)
    _check_against_engine(fw, data, spec, aset, n=8, seed=4)


def test_screening_choices_change_the_set_of_ranked_units(asem_fw_data) -> None:  # type: ignore[no-untyped-def]
    from creativecity.index import Spec

    fw, data = asem_fw_data
    # screen before imputation, so that units with many gaps can be dropped
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [
                {"step": "screen", "by": "missing", "min_data": 0.5},
                {"step": "impute", "method": "mean"},
                {"step": "normalise", "method": "minmax", "range": [1, 100]},
                {"step": "aggregate"},
            ],
        }
    )
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [{"name": "screening", "at": "screen.min_data", "values": [0.5, 0.9, 0.97]}],
        }
    ).validate(fw, spec)
    n_up = _check_against_engine(fw, data, spec, aset, n=9, seed=1)
    assert n_up == 3
    reps = decode(aset, fw, monte_carlo(9, 1, 1))
    prep = prepare(fw, data, spec, aset, reps)
    dropped = [int(np.isnan(m).all(axis=1).sum()) for m in prep.shared.matrices]
    assert dropped[0] <= dropped[1] <= dropped[2] and dropped[2] > dropped[0]  # stricter screens drop more
