"""Results: immutability, ranks (ties, missing, groups), details, provenance, written files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework, Results, Spec, UnitData, build
from creativecity.index.examples import asem, asem_spec
from creativecity.index.ranking import rank_scores


@pytest.fixture(scope="module")
def full() -> Results:
    fw, data = asem()
    return build(fw, data, asem_spec("full"))


def test_rank_scores_ties_and_missing() -> None:
    s = np.array([[3.0], [5.0], [3.0], [np.nan], [1.0]])
    # -s = (-3, -5, -3, NaN, -1): best 5 -> 1, the two 3s share 2, 1 -> 4
    np.testing.assert_array_equal(rank_scores(s)[:, 0], [2, 1, 2, np.nan, 4])


def test_ranks_int_and_consistent_with_scores(full: Results) -> None:
    r, s = full.ranks, full.scores
    assert str(r["Index"].dtype) == "Int64"
    assert list(r.columns) == list(s.columns) and list(r.index) == list(s.index)
    # rank = 1 + number of units with a strictly higher score (recomputed with pandas)
    for code in ["Index", "Conn", "LPI", "TIRcon"]:
        expected = s[code].apply(lambda v, c=code: 1 + int((s[c] > v).sum()))
        assert (r[code].astype(int) == expected).all()


def test_ranks_within_group(full: Results) -> None:
    rw = full.ranks_within("EurAsia_group")
    groups = full.data.groups["EurAsia_group"]
    europe = groups[groups == "Europe"].index
    s = full.scores.loc[europe, "Index"]
    assert rw.loc[s.idxmax(), "Index"] == 1
    assert rw.loc[europe, "Index"].max() == len(europe)
    with pytest.raises(InputError):
        full.ranks_within("Nope")


def test_results_cannot_be_mutated(full: Results) -> None:
    s = full.scores
    s.loc[:, "Index"] = -1.0
    assert (full.scores["Index"] > 0).all()
    d = full.datasets["Raw"]
    d.iloc[0, 0] = 123456.0
    assert full.datasets["Raw"].iloc[0, 0] != 123456.0
    r = full.ranks
    r.iloc[0, 0] = 99
    assert full.ranks.iloc[0, 0] != 99
    with pytest.raises(TypeError):
        full.datasets["X"] = d  # type: ignore[index]
    t = full.details["treat"]
    t.loc[:, "status"] = "x"
    assert (full.details["treat"]["status"] != "x").any()


def test_details_and_provenance(full: Results) -> None:
    assert set(full.details) == {"denominate", "impute", "screen", "treat", "normalise", "aggregate"}
    assert full.details["impute"]["imputed_total"] > 0
    prov = full.provenance
    assert prov["version"] and len(prov["inputs"]["data"]["sha256"]) == 64
    assert len(prov["inputs"]["spec"]["sha256"]) == 64


def test_write_files(full: Results, tmp_path: Path) -> None:
    out = full.write(tmp_path / "out")
    scores = pd.read_csv(out / "scores.csv", index_col="uCode")
    # floats read back bit-identical
    np.testing.assert_array_equal(scores.to_numpy(), full.scores.to_numpy())
    assert list(scores.columns) == full.framework.codes
    ranks = pd.read_csv(out / "ranks.csv", index_col="uCode")
    assert ranks.dtypes.map(lambda t: t.kind == "i").all()
    names = sorted(p.stem for p in (out / "datasets").glob("*.csv"))
    assert names == sorted(full.datasets)
    agg = pd.read_csv(out / "datasets" / "Aggregated.csv", index_col="uCode")
    assert list(agg.columns) == full.framework.codes
    info = json.loads((out / "results.json").read_text())
    assert info["spec"] == asem_spec("full").to_dict()
    assert info["steps_as_run"][2] == {
        "step": "screen",
        "by": "missing",
        "min_data": 0.9,
        "min_nonzero": 0.05,
        "force": None,
    }  # defaults filled in
    assert {d["iCode"] for d in info["details"]["treat"]} == set(full.framework.indicators)


def test_missing_values_written_empty(tmp_path: Path) -> None:
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 2],
            "iCode": ["a", "b", "I"],
            "Direction": [1, 1, 1],
            "Weight": [1, 1, 1],
            "Parent": ["I", "I", ""],
            "Type": ["Indicator"] * 2 + ["Aggregate"],
        }
    )
    fw = Framework.read(meta)
    data = UnitData.read(
        pd.DataFrame({"uCode": ["X", "Y", "Z"], "a": [1.0, None, 3.0], "b": [1.0, 2.0, 0.5]}), fw
    )
    res = build(fw, data, Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate"}]}))
    res.write(tmp_path / "o")
    lines = (tmp_path / "o" / "ranks.csv").read_text().splitlines()
    assert lines[0] == "uCode,a,b,I"
    assert lines[2].startswith("Y,,")  # Y has no a: empty rank
    assert (tmp_path / "o" / "scores.csv").read_text().splitlines()[2].startswith("Y,,")


def test_everything_pickles(full: Results) -> None:
    # distributed uncertainty analysis ships these objects to Dask workers
    import pickle

    for obj in (full.framework, full.data, full.spec, full):
        _ = getattr(obj, "denominator", None)  # fill cached properties first
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is type(obj)
    again = pickle.loads(pickle.dumps(full))
    pd.testing.assert_frame_equal(again.scores, full.scores)
    assert again.spec == full.spec and again.spec.to_dict() == full.spec.to_dict()
    pd.testing.assert_frame_equal(again.details["treat"], full.details["treat"])


def test_rounding_noise_does_not_break_a_tie() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 in floating point but equals 0.3 exactly: a tie
    s = np.array([[0.1 + 0.2], [0.3], [0.2]])
    np.testing.assert_array_equal(rank_scores(s)[:, 0], [1, 1, 3])
    np.testing.assert_array_equal(rank_scores(s, rtol=0)[:, 0], [1, 2, 3])  # exact comparison
    # clearly different values are never merged
    np.testing.assert_array_equal(rank_scores(np.array([[1.0], [1.0 + 1e-9]]))[:, 0], [2, 1])


def test_rank_scores_leading_axes() -> None:
    s = np.array([[[3.0], [1.0]], [[1.0], [3.0]]])  # two replications
    np.testing.assert_array_equal(rank_scores(s)[:, :, 0], [[1, 2], [2, 1]])


def test_one_tie_rule_for_nominal_and_replicated_ranks() -> None:
    # 0.5 and 0.5 * (1 + 2e-14) differ by about 1e-14: rounding noise, so a tie in both rankings
    from creativecity.index.analysis.robust_stats import rank_rows

    near = 0.5 * (1 + 2e-14)
    assert near != 0.5
    nominal = rank_scores(np.array([[0.5], [near], [0.25], [np.nan]]))[:, 0]
    np.testing.assert_array_equal(nominal, [1, 1, 3, np.nan])
    # two replications, units as columns: the same rule, 0 marks the missing score
    replicated = rank_rows(np.array([[0.5, near, 0.25, np.nan], [0.25, near, 0.5, 0.1]]))
    assert replicated.tolist() == [[1, 1, 3, 0], [3, 1, 1, 4]]
    # a difference far above rounding (1e-9 relative) is never a tie, in either
    assert rank_rows(np.array([[1.0, 1.0 + 1e-9]])).tolist() == [[2, 1]]
    # negative scores and zero: the tolerance is relative to the larger magnitude of the pair
    assert rank_rows(np.array([[-0.5, -0.5 * (1 + 2e-14), 0.0, -1e-300]])).tolist() == [[3, 3, 1, 2]]
    # equal infinities tie as exact equals do
    assert rank_rows(np.array([[np.inf, 1.0, np.inf, -np.inf]])).tolist() == [[1, 3, 1, 4]]


def test_nominal_and_replicated_ranks_agree_on_random_blocks() -> None:
    from creativecity.index.analysis.robust_stats import rank_rows

    rng = np.random.default_rng(7)
    block = rng.integers(0, 5, size=(50, 12)).astype(float) / 3.0  # many exact ties
    block[:, ::3] *= 1 + 1e-15  # and near ties
    block[rng.random(block.shape) < 0.1] = np.nan
    by_rows = rank_rows(block).astype(float)
    by_rows[by_rows == 0] = np.nan
    np.testing.assert_array_equal(by_rows, rank_scores(block.T).T)
