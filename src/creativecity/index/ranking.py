"""The engine's one ranking rule, for the nominal build and for every replication of an uncertainty run.

Rank of ``-score``: 1 = best, ties share the best rank of their run (``method='min'``), a missing score
has no rank. Scores within a relative :data:`RANK_RTOL` of their neighbour in sorted order are ties:
they are equal in exact arithmetic and differ only by how a sum was rounded, e.g. ``(0.1 + 0.2)`` and
``0.3`` reached through different children. COINr ties only exact equality; docs/method.md ("Where we
differ from COINr") says why we do not. Nominal ranks (:meth:`Results.ranks`) and replicated ranks
(:func:`creativecity.index.analysis.robust_stats.rank_rows`) both come from :func:`rank_block`, so an
uncertainty run can never compare a nominal rank made by one rule with replicated ranks made by another.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Scores closer than this (relative to the larger magnitude) are ties.
RANK_RTOL = 1e-12


def rank_block(rows: npt.ArrayLike, rtol: float = RANK_RTOL) -> npt.NDArray[np.int32]:
    """Rank every row of a (rows x units) block at once; 0 marks a missing score.

    One ``argsort`` of the whole block, then each run of ties gets the position of its first member
    by a running maximum of run starts: no Python loop over rows, so ranking 1,000 replications costs
    about as much as one sort of the block.

    Parameters
    ----------
    rows
        Float array of shape (rows, units); NaN is a missing score.
    rtol
        Relative tie tolerance; ``0`` gives exact ties.

    Returns
    -------
    numpy.ndarray
        int32 array of the same shape: 1 = highest score, 0 = missing.
    """
    scores = np.asarray(rows, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError("scores must be 2-D (rows x units)")
    n_rows, n_units = scores.shape
    if n_units == 0:
        return np.zeros(scores.shape, dtype=np.int32)
    key = -scores  # NaN stays NaN and argsort puts it last
    order = np.argsort(key, axis=1, kind="stable")
    v = np.take_along_axis(key, order, axis=1)
    left, right = v[:, :-1], v[:, 1:]
    if rtol > 0:
        # sorted ascending, so the larger magnitude of a pair is max(-left, right): no abs needed
        scale = np.negative(left)
        np.maximum(scale, right, out=scale)
        scale *= rtol
        with np.errstate(invalid="ignore"):
            diff = right - left  # NaN where a score is missing (or inf - inf)
            same = diff <= scale
        if np.isinf(v).any():  # an infinite scale would tie everything: infinities tie only if equal
            same &= np.isfinite(scale)
            same |= right == left
    else:
        same = right == left
    new_run = np.ones((n_rows, n_units), dtype=bool)
    new_run[:, 1:] = ~same
    positions = np.arange(1, n_units + 1, dtype=np.int32)
    starts = np.where(new_run, positions, np.int32(0))
    sorted_ranks = np.maximum.accumulate(starts, axis=1).astype(np.int32, copy=False)
    sorted_ranks[np.isnan(v)] = 0
    ranks = np.empty_like(sorted_ranks)
    np.put_along_axis(ranks, order, sorted_ranks, axis=1)
    return ranks


def rank_scores(x: npt.ArrayLike, rtol: float = RANK_RTOL) -> npt.NDArray[np.float64]:
    """Rank of -score along axis -2 (units): 1 = best, ties share the best rank, NaN stays NaN.

    The same rule as :func:`rank_block`, for tables laid out units x codes (and any leading axes).
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim < 2:
        raise ValueError("rank_scores needs units on axis -2")
    n = a.shape[-2]
    moved = np.moveaxis(a, -2, -1)
    ranks = rank_block(moved.reshape(-1, n), rtol).astype(np.float64)
    ranks[ranks == 0] = np.nan
    return np.moveaxis(ranks.reshape(moved.shape), -1, -2)
