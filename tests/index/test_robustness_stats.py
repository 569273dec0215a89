"""Ranks and exact streaming statistics (robust_stats)."""

from __future__ import annotations

import numpy as np
import pytest

from creativecity.index.analysis.robust_stats import (
    ChunkStats,
    RankAccumulator,
    quantiles_from_histogram,
    rank_rows,
)


def test_rank_rows_ties_take_min_and_missing_is_zero() -> None:
    # scores 5, 1, 3, NaN, 3 -> ordered 5 (1st), 3 and 3 (tie for 2nd), 1 (4th); NaN has no rank
    scores = np.array([[5.0, 1.0, 3.0, np.nan, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    assert rank_rows(scores).tolist() == [[1, 4, 2, 0, 2], [5, 4, 3, 2, 1]]


def test_rank_rows_matches_scipy_on_random_blocks() -> None:
    from scipy.stats import rankdata

    rng = np.random.default_rng(3)
    s = rng.integers(0, 6, size=(50, 40)).astype(float)  # many ties on purpose
    s[rng.random(s.shape) < 0.1] = np.nan
    ref = rankdata(-s, axis=1, method="min", nan_policy="omit")
    ref = np.where(np.isnan(s), 0, ref).astype(int)
    assert np.array_equal(rank_rows(s), ref)


def test_quantiles_from_histogram_by_hand() -> None:
    # one unit with ranks 1, 2, 2, 4 (histogram counts at ranks 1..4 = 1, 2, 0, 1)
    # linear rule: virtual index (n-1) q = 3 q
    # q=0.05 -> 0.15: 1 + 0.15 (2 - 1) = 1.15; q=0.5 -> 1.5: 2 + 0.5 (2 - 2) = 2;
    # q=0.95 -> 2.85: 2 + 0.85 (4 - 2) = 3.7
    hist = np.array([[0, 1, 2, 0, 1]])
    got = quantiles_from_histogram(hist)
    assert got[0] == pytest.approx([1.15, 2.0, 3.7], abs=1e-12)


@pytest.mark.parametrize(
    ("mode", "chunk"),
    [("histogram", 64), ("histogram", 1), ("store", 64)],  # chunk 1: the histogram's add.at path
)
def test_streaming_quantiles_equal_numpy_on_full_matrix(mode: str, chunk: int) -> None:
    rng = np.random.default_rng(11)
    n_rep, n_units = 997, 23  # a prime number of replications so that chunks are uneven
    scores = rng.normal(size=(n_rep, n_units)) + np.linspace(0, 3, n_units)
    scores[rng.random(scores.shape) < 0.05] = np.nan
    acc = RankAccumulator(n_units, n_rep, mode=mode)
    for start in range(0, n_rep, chunk):
        acc.add(ChunkStats.from_scores(start, scores[start : start + chunk]))
    full = rank_rows(scores).astype(float)
    full[full == 0] = np.nan
    expected = np.nanquantile(full, [0.05, 0.5, 0.95], axis=0).T
    assert acc.mode == mode
    # exact, not approximate: same interpolation arithmetic as numpy
    assert np.array_equal(acc.rank_quantiles(), expected)
    assert np.allclose(acc.rank_mean(), np.nanmean(full, axis=0), rtol=0, atol=1e-12)
    summary = acc.score_summary()
    assert np.allclose(summary["score_mean"], np.nanmean(scores, axis=0), atol=1e-12)
    assert np.allclose(summary["score_sd"], np.nanstd(scores, axis=0, ddof=1), atol=1e-12)
    assert np.array_equal(summary["score_min"], np.nanmin(scores, axis=0))


def test_auto_mode_picks_the_smaller_representation() -> None:
    # 51 units, 10,000 replications: histogram 51*52*4 B << ranks 10,000*51*2 B
    assert RankAccumulator(51, 10_000).mode == "histogram"
    # 10,000 units, 1,000 replications: ranks 1,000*10,000*2 B = 20 MB << histogram 400 MB
    assert RankAccumulator(10_000, 1_000).mode == "store"


def test_chunk_y_is_mean_absolute_rank_change() -> None:
    # nominal ranks (1, 2, 3); replication ranks (2, 1, 3) -> |1| + |1| + 0 over 3 units = 2/3
    chunk = ChunkStats.from_scores(0, np.array([[2.0, 3.0, 1.0]]), nominal=np.array([1.0, 2.0, 3.0]))
    assert chunk.y is not None
    assert chunk.y[0] == pytest.approx(2 / 3)
