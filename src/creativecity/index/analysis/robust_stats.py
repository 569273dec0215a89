"""Ranks and streaming statistics for uncertainty analysis.

Replications are processed in chunks so that memory stays bounded however many of them are asked for,
yet the statistics must be *exact*, not approximations, and identical however the chunks were cut or
wherever they ran. Ranks are integers 1..n_units, which makes exactness cheap:

- means are kept as integer sums (exact in any order);
- quantiles (median, 5 % and 95 %) come from a per-unit histogram of ranks, which holds the same
  information as the sorted sample, so linear interpolation on it gives the numbers ``np.quantile``
  would give on the full (replications x units) matrix. When there are more units than replications
  (10,000 units, 1,000 replications) the histogram would be the bigger object, so the ranks themselves
  are kept instead, in the smallest integer type that fits; both paths give identical results.

Scores are floats: their mean and standard deviation are merged chunk by chunk with Chan's parallel
formula, always in chunk order, so that in-process and distributed runs agree to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creativecity.index.ranking import rank_block

#: quantile levels reported for every unit (CONTRACTS.md: q05, median, q95)
QUANTILES: tuple[float, ...] = (0.05, 0.5, 0.95)


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank each row of ``scores`` (replications x units) by the engine's one rule; 0 = missing.

    The rule is :func:`creativecity.index.ranking.rank_block` (ties within a relative 1e-12), the very
    function that ranks the nominal build, so replicated and nominal ranks always agree on what a tie
    is. Missing scores (NaN) get rank 0, which the accumulators read as "missing".

    Parameters
    ----------
    scores
        Float array of shape (replications, units).

    Returns
    -------
    numpy.ndarray
        Integer array of the same shape (int32), 0 where the score is missing.
    """
    return rank_block(scores)


def _lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Linear interpolation written exactly as numpy writes it, so results match to the last bit."""
    diff = b - a
    out = a + diff * t
    high = t >= 0.5
    out[high] = (b - diff * (1 - t))[high]
    return out


def quantiles_from_histogram(hist: np.ndarray, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Exact linear-interpolation quantiles of integer samples summarised as per-row histograms.

    ``hist[u, r]`` counts how often unit ``u`` had rank ``r`` (column 0 = missing, ignored). The k-th
    smallest value of a row is the first ``r`` whose cumulative count exceeds ``k``, so numpy's
    "linear" rule (virtual index ``(n - 1) q``, interpolate between its floor and the next order
    statistic) can be applied without ever materialising the sample.

    Returns
    -------
    numpy.ndarray
        Shape (units, len(qs)); NaN for a unit that never had a rank.
    """
    counts = np.asarray(hist)[:, 1:]
    cum = np.cumsum(counts, axis=1)
    n = cum[:, -1].astype(float) if cum.shape[1] else np.zeros(counts.shape[0])
    out = np.full((counts.shape[0], len(qs)), np.nan)
    ok = n > 0
    if not ok.any():
        return out
    cum_ok = cum[ok]
    n_ok = n[ok]
    for j, q in enumerate(qs):
        virtual = (n_ok - 1) * q
        prev = np.floor(virtual)
        gamma = virtual - prev
        nxt = np.minimum(prev + 1, n_ok - 1)
        prev = np.minimum(prev, n_ok - 1)
        # order statistic k (0-based) = 1 + number of ranks r whose cumulative count is <= k
        lo = 1 + (cum_ok <= prev[:, None]).sum(axis=1)
        hi = 1 + (cum_ok <= nxt[:, None]).sum(axis=1)
        out[ok, j] = _lerp(lo.astype(float), hi.astype(float), gamma)
    return out


def quantiles_from_ranks(ranks: np.ndarray, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles per unit (column) of stored integer ranks (0 = missing), as ``np.nanquantile``.

    One sort of the whole (replications x units) block; missing ranks (0) sort first, so the k-th
    order statistic of unit u is at row ``missing_u + k``. Same interpolation arithmetic as numpy.
    """
    ranks = np.asarray(ranks)
    out = np.full((ranks.shape[1], len(qs)), np.nan)
    if ranks.shape[0] == 0:
        return out
    ordered = np.sort(ranks, axis=0)
    missing = (ranks == 0).sum(axis=0)
    n = (ranks.shape[0] - missing).astype(float)
    ok = n > 0
    if not ok.any():
        return out
    top = np.maximum(n - 1, 0)
    for j, q in enumerate(qs):
        virtual = (n - 1) * q
        prev = np.floor(virtual)
        gamma = virtual - prev
        lo_i = (missing + np.minimum(prev, top)).astype(np.intp)
        hi_i = (missing + np.minimum(prev + 1, top)).astype(np.intp)
        lo_i = np.clip(lo_i, 0, ranks.shape[0] - 1)
        hi_i = np.clip(hi_i, 0, ranks.shape[0] - 1)
        lo = np.take_along_axis(ordered, lo_i[None, :], axis=0)[0].astype(float)
        hi = np.take_along_axis(ordered, hi_i[None, :], axis=0)[0].astype(float)
        out[ok, j] = _lerp(lo[ok], hi[ok], gamma[ok])
    return out


@dataclass
class ChunkStats:
    """What one chunk of replications contributes: its ranks and score moments of the target code."""

    start: int
    ranks: np.ndarray  # (replications in chunk, units), 0 = missing
    score_count: np.ndarray  # (units,) non-missing scores
    score_mean: np.ndarray  # (units,)
    score_m2: np.ndarray  # (units,) sum of squared deviations from the chunk mean
    score_min: np.ndarray
    score_max: np.ndarray
    y: np.ndarray | None = None  # per-replication output for sensitivity analysis
    problem: object | None = None  # a value a step refused, reported by the caller

    @classmethod
    def from_scores(cls, start: int, scores: np.ndarray, nominal: np.ndarray | None = None) -> ChunkStats:
        """Summarise a (replications x units) block of target scores.

        ``nominal`` (units,) are the nominal ranks; when given, ``y`` holds each replication's mean
        absolute rank change against them (the sensitivity-analysis output, ENGINE.md §9), averaged
        over units that have a rank in both.
        """
        ranks = rank_rows(scores)
        present = ~np.isnan(scores)
        count = present.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.where(present, scores, 0.0).sum(axis=0)
            mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
            dev = np.where(present, scores - mean, 0.0)
            m2 = (dev * dev).sum(axis=0)
        smin = np.where(count > 0, np.nanmin(np.where(present, scores, np.inf), axis=0), np.nan)
        smax = np.where(count > 0, np.nanmax(np.where(present, scores, -np.inf), axis=0), np.nan)
        y = None
        if nominal is not None:
            both = (ranks > 0) & (nominal[None, :] > 0)
            diff = np.abs(ranks.astype(float) - nominal[None, :]) * both
            with np.errstate(invalid="ignore", divide="ignore"):
                y = diff.sum(axis=1) / both.sum(axis=1)
        return cls(start, compact_ranks(ranks, scores.shape[1]), count, mean, m2, smin, smax, y)


def compact_ranks(ranks: np.ndarray, n_units: int) -> np.ndarray:
    """Store ranks in the smallest unsigned type that holds 0..n_units (memory of the rank store)."""
    dtype = np.uint16 if n_units < np.iinfo(np.uint16).max else np.uint32
    return ranks.astype(dtype, copy=False)


class RankAccumulator:
    """Exact rank and score statistics of the target code, fed chunk by chunk.

    Parameters
    ----------
    n_units
        Number of units ranked.
    n_reps
        Total number of replications that will be added (to size the rank store).
    mode
        ``"histogram"`` (memory n_units^2, independent of replications), ``"store"`` (memory
        n_reps x n_units small integers) or ``"auto"``: whichever is smaller.
    """

    def __init__(self, n_units: int, n_reps: int, mode: str = "auto") -> None:
        self.n_units = n_units
        self.n_reps = n_reps
        rank_bytes = np.dtype(compact_ranks(np.zeros(1, dtype=np.int32), n_units).dtype).itemsize
        hist_bytes = n_units * (n_units + 1) * 4
        store_bytes = n_reps * n_units * rank_bytes
        if mode == "auto":
            mode = "histogram" if hist_bytes <= store_bytes else "store"
        if mode not in ("histogram", "store"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.hist = np.zeros((n_units, n_units + 1), dtype=np.int32) if mode == "histogram" else None
        self.store = (
            np.zeros((n_reps, n_units), dtype=compact_ranks(np.zeros(1), n_units).dtype)
            if mode == "store"
            else None
        )
        self.rank_sum = np.zeros(n_units, dtype=np.int64)
        self.rank_count = np.zeros(n_units, dtype=np.int64)
        self.score_count = np.zeros(n_units, dtype=np.int64)
        self.score_mean = np.zeros(n_units)
        self.score_m2 = np.zeros(n_units)
        self.score_min = np.full(n_units, np.inf)
        self.score_max = np.full(n_units, -np.inf)
        self.added = 0

    def add(self, chunk: ChunkStats) -> None:
        """Fold one chunk in. Call in chunk order so that float merges are reproducible."""
        ranks = chunk.ranks
        r = ranks.shape[0]
        self.added += r
        self.rank_sum += ranks.sum(axis=0, dtype=np.int64)
        self.rank_count += (ranks > 0).sum(axis=0)
        if self.hist is not None:
            flat = np.arange(self.n_units, dtype=np.int64)[None, :] * (self.n_units + 1) + ranks
            if self.hist.size <= 4 * flat.size:  # small histogram: one bincount is fastest
                counts = np.bincount(flat.ravel(), minlength=self.hist.size)
                self.hist += counts.reshape(self.hist.shape).astype(np.int32)
            else:  # large histogram: one increment per (replication, unit), not O(n^2) per chunk
                np.add.at(self.hist.reshape(-1), flat.ravel(), 1)
        else:
            assert self.store is not None
            self.store[chunk.start : chunk.start + r] = ranks
        # Chan et al. parallel merge of mean and M2
        n_a = self.score_count.astype(float)
        n_b = chunk.score_count.astype(float)
        n = n_a + n_b
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_b = np.where(n_b > 0, chunk.score_mean, 0.0)
            delta = mean_b - self.score_mean
            frac = np.where(n > 0, n_b / np.maximum(n, 1), 0.0)
            self.score_mean = self.score_mean + delta * frac
            self.score_m2 = self.score_m2 + np.where(n_b > 0, chunk.score_m2, 0.0) + delta**2 * n_a * frac
        self.score_count = self.score_count + chunk.score_count
        self.score_min = np.fmin(self.score_min, chunk.score_min)
        self.score_max = np.fmax(self.score_max, chunk.score_max)

    def rank_quantiles(self, qs: tuple[float, ...] = QUANTILES) -> np.ndarray:
        """(units x len(qs)) exact quantiles of ranks with numpy's linear interpolation."""
        if self.hist is not None:
            return quantiles_from_histogram(self.hist, qs)
        assert self.store is not None
        return quantiles_from_ranks(self.store[: self.added], qs)

    def rank_mean(self) -> np.ndarray:
        """Mean rank per unit over the replications where it had one."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.rank_count > 0, self.rank_sum / np.maximum(self.rank_count, 1), np.nan)

    def score_summary(self) -> dict[str, np.ndarray]:
        """Mean, standard deviation (n - 1), minimum and maximum of the target score per unit."""
        count = self.score_count
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.where(count > 1, np.sqrt(self.score_m2 / np.maximum(count - 1, 1)), np.nan)
        has = count > 0
        return {
            "score_mean": np.where(has, self.score_mean, np.nan),
            "score_sd": sd,
            "score_min": np.where(has, self.score_min, np.nan),
            "score_max": np.where(has, self.score_max, np.nan),
        }
