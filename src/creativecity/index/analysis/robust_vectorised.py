"""Thousands of pipeline replications at the cost of a few: shared prefixes, vectorised aggregation.

A replication is the nominal spec with some choices changed. Rebuilding the whole pipeline for each
one would cost N builds; instead the work is split by where the choices act:

1. **Upstream** (denominate ... normalise): replications that make the same upstream choices share
   one data set. Distinct choice tuples are found with ``np.unique``; steps before the first varied one
   are taken from the nominal build, and each distinct pre-normalisation state is computed once and
   then normalised once per normalisation choice (5 winsorisation choices x 2 normalisations -> 5
   treat runs and 10 normalised matrices, whatever N is). These steps run through the engine's own
   step registry, so they are the engine's numbers by construction.
2. **Aggregation and ranking** are vectorised across replications: weights are a (replications x
   codes) array; on the first level the replications' weights multiply the shared (indicators x
   units) matrix, in one product per aggregate on large data or one block product for all aggregates
   on small data; higher levels are sums over a (codes x replications x units) array; ranks come from
   one ``argsort`` of the (replications x units) score block. Only the target's subtree is computed.

The arithmetic mirrors ``creativecity.index.steps.aggregate`` (missing children dropped with their
weights, ``min_data`` share, refusals of values a mean cannot take); a test compares scores and ranks
with ``build`` on the replication's own spec. Copeland, which has no matrix form, calls the engine's
function replication by replication.

Everything a worker needs is in :class:`Shared` (sent once) and :class:`ChunkArg` (one per chunk);
:func:`evaluate_chunk` is a pure function of the two, which is what makes Dask runs reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from creativecity.index.analysis.robust_stats import ChunkStats

#: Aggregation methods with a matrix form (a weighted mean of t(x), then the inverse of t).
VECTORISED = ("arithmetic", "geometric", "harmonic", "generalised")
#: Upper bound on the floats of one chunk's largest intermediate (about 64 MB).
CHUNK_FLOATS = 8_000_000
#: Data with at most this many (units x indicators) cells aggregate their first level in one block product.
BLOCK_CELLS = 100_000
#: Chunks never exceed this many replications (progress stays informative, work spreads on a cluster).
MAX_CHUNK = 1024


# ---------------------------------------------------------------------------- the target's subtree
@dataclass(frozen=True)
class Tree:
    """The part of the framework that feeds the target code.

    Attributes
    ----------
    target
        Code whose scores and ranks are studied.
    level_codes
        ``level_codes[0]``: indicators under the target (framework order); ``level_codes[j]``: codes at
        level j + 1 under the target. The last entry is ``(target,)``.
    children
        For levels j >= 1: per code, positions of its children in ``level_codes[j - 1]``.
    weight_offsets
        Start of each level's codes in the weight vector (codes of levels 1 .. L-1 concatenated).
    """

    target: str
    level_codes: tuple[tuple[str, ...], ...]
    children: tuple[tuple[tuple[int, ...], ...], ...]
    levels: tuple[int, ...]
    weight_offsets: tuple[int, ...]

    @property
    def weight_codes(self) -> tuple[str, ...]:
        """Codes whose within-parent weight matters, in weight-vector order."""
        return tuple(c for codes in self.level_codes[:-1] for c in codes)

    @classmethod
    def from_framework(cls, framework: Any, target: str) -> Tree:
        """Collect the target's descendants level by level, in framework order."""
        top = framework.level(target)
        below: set[str] = set()
        stack = [target]
        while stack:
            code = stack.pop()
            for k in framework.children(code):
                below.add(k)
                stack.append(k)
        level_codes: list[tuple[str, ...]] = []
        levels: list[int] = []
        if top == 1:
            return cls(target, ((target,),), ((),), (1,), (0,))
        for lev in range(1, top + 1):
            codes = tuple(c for c in framework.codes_at(lev) if c in below or c == target)
            level_codes.append(codes)
            levels.append(lev)
        children: list[tuple[tuple[int, ...], ...]] = [()]
        for j in range(1, len(level_codes)):
            pos = {c: i for i, c in enumerate(level_codes[j - 1])}
            children.append(tuple(tuple(pos[k] for k in framework.children(c)) for c in level_codes[j]))
        offsets = [0]
        for codes in level_codes[:-1]:
            offsets.append(offsets[-1] + len(codes))
        return cls(target, tuple(level_codes), tuple(children), tuple(levels), tuple(offsets))


@dataclass(frozen=True)
class AggConfig:
    """One aggregation setup: a method (and exponent) per aggregate of the subtree, and min_data."""

    methods: tuple[tuple[tuple[str, float], ...], ...]  # per level j >= 1, per code: (name, p)
    min_data: float | None


# ---------------------------------------------------------------------------- what workers get
@dataclass
class Shared:
    """Data every chunk reads: sent once to each Dask worker.

    ``matrices[g]`` is the normalised data of upstream group g, (units x indicators of the subtree),
    NaN rows for units a replication's screening dropped. ``nominal`` holds the engine's nominal ranks
    of the target (0 = no rank).
    """

    tree: Tree
    units: tuple[str, ...]
    matrices: list[np.ndarray]
    configs: list[AggConfig]
    nominal: np.ndarray
    _cache: dict[tuple[int, str, float], Any] = field(default_factory=dict, repr=False)

    def transformed(self, g: int, name: str, p: float) -> tuple[np.ndarray, np.ndarray | None]:
        """t(x) of matrix g for method ``name`` as (indicators x units), missing set to 0, and the
        presence mask in the same layout (None when nothing is missing); cached per worker."""
        key = (g, name, p)
        if key not in self._cache:
            x = np.ascontiguousarray(self.matrices[g].T)
            missing = np.isnan(x)
            self._cache[key] = (_transform(x, name, p), ~missing if missing.any() else None)
        return self._cache[key]


@dataclass
class ChunkArg:
    """One chunk: replications ``start .. start + len(group) - 1``."""

    start: int
    group: np.ndarray  # (R,) upstream group of each replication
    config: np.ndarray  # (R,) aggregation config of each replication
    weights: np.ndarray  # (R, n_weight_codes) raw within-parent weights
    want_y: bool = False


@dataclass
class CellProblem:
    """A value a mean cannot take, found in replication ``rep`` (reported by the parent process)."""

    rep: int
    unit: str
    code: str
    parent: str
    method: str
    value: float


class _RefusedError(Exception):
    """A value a mean cannot take: replication row, unit, child position (level filled in above)."""

    def __init__(self, row: int, unit: int, child: int, value: float) -> None:
        super().__init__("refused")
        self.row, self.unit, self.child, self.value = row, unit, child, value
        self.level, self.parent, self.method = 0, 0, ""


def _transform(x: np.ndarray, name: str, p: float, complete: bool = False) -> np.ndarray:
    """t(x) of the weighted mean (x, ln x, 1/x, x^p); missing values become 0 (they carry no weight)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "arithmetic":
            t = x
        elif name == "geometric":
            t = np.log(x)
        elif name == "harmonic":
            t = 1.0 / x
        else:  # generalised
            t = np.power(x, p)
    return t if complete else np.where(np.isnan(x), 0.0, t)


def _refused_at(x: np.ndarray, name: str, p: float) -> np.ndarray | None:
    """Index of the first value the mean cannot take (the engine refuses it), or None.

    Comparisons with NaN are false, so missing values are never refused.
    """
    if name in ("geometric", "harmonic"):
        bad = x <= 0
    elif name == "generalised":
        bad = (x < 0) | ((x == 0) & (p < 0))
    else:
        return None
    if not bad.any():
        return None
    return np.argwhere(bad)[0]


def _finish(mean: np.ndarray, name: str, p: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if name == "arithmetic":
            return mean
        if name == "geometric":
            return np.exp(mean)
        if name == "harmonic":
            return 1.0 / mean
        return np.power(mean, 1.0 / p)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where no weight is left (den = 0), as the engine."""
    if np.all(den > 0):
        return num / den
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _aggregate(
    values: np.ndarray | None,
    shared: Shared,
    g: int,
    w: np.ndarray,
    ch: tuple[int, ...],
    name: str,
    p: float,
    min_data: float | None,
) -> np.ndarray:
    """One aggregate for a block of replications; returns (R x units).

    Layout is (codes, replications, units) so that every result is a contiguous (R x units) block.
    ``values is None``: the children are indicators of the shared matrix of group g, and the weighted
    sum for all replications is one matrix product ``w (R x k) @ t(x) (k x units)``; otherwise
    ``values`` is (codes below x R x units) and the sum runs over the few children. Mirrors
    ``steps.aggregate``: sum(w t(x)) / sum(w) over the children present, then the inverse of t; NaN
    when no weight is left or when the share of children present is below ``min_data``.
    """
    idx = list(ch)
    if name == "copeland":
        from creativecity.index.steps.aggregate import copeland

        out = np.empty((w.shape[0], len(shared.units)))
        for r in range(w.shape[0]):
            x = shared.matrices[g][:, idx] if values is None else values[idx, r, :].T
            out[r] = copeland(x, w[r])
        present = ~np.isnan(shared.matrices[g][:, idx].T if values is None else values[idx])
        complete = bool(present.all())
    elif values is None:
        raw = shared.matrices[g][:, idx]
        at = _refused_at(raw, name, p)
        if at is not None:
            raise _RefusedError(0, int(at[0]), idx[int(at[1])], float(raw[tuple(at)]))
        t_all, present_all = shared.transformed(g, name, p)
        num = w @ t_all[idx]
        present = None if present_all is None else present_all[idx]
        complete = present is None or bool(present.all())
        den = w.sum(axis=1)[:, None] if complete else w @ present.astype(float)  # type: ignore[union-attr]
        out = _finish(_ratio(num, den), name, p)
    else:
        x = values[idx]
        at = _refused_at(x, name, p)
        if at is not None:
            raise _RefusedError(int(at[1]), int(at[2]), idx[int(at[0])], float(x[tuple(at)]))
        missing = np.isnan(x)
        complete = not missing.any()
        t = _transform(x, name, p, complete)
        num = np.einsum("kru,rk->ru", t, w)
        present = None if complete else ~missing
        den = w.sum(axis=1)[:, None] if complete else np.einsum("kru,rk->ru", present.astype(float), w)  # type: ignore[union-attr]
        out = _finish(_ratio(num, den), name, p)
    if min_data is not None and not complete:
        assert present is not None
        share = present.sum(axis=0) / len(idx)
        out = np.where(share < min_data, np.nan, out)
    return out


def target_scores(shared: Shared, arg: ChunkArg) -> tuple[np.ndarray, CellProblem | None]:
    """Scores of the target code for every replication of a chunk: (R x units), and any refusal.

    Replications are grouped by aggregation config; within a config, the first level is computed per
    upstream group (each has its own indicator matrix), and the levels above for all of the config's
    replications at once.
    """
    tree = shared.tree
    n_rep = len(arg.group)
    n_units = len(shared.units)
    scores = np.full((n_rep, n_units), np.nan)
    if len(tree.level_codes) == 1:  # the target is an indicator
        for g in np.unique(arg.group):
            scores[arg.group == g] = shared.matrices[g][:, 0][None, :]
        return scores, None
    for c in np.unique(arg.config):
        rows_c = np.flatnonzero(arg.config == c)
        config = shared.configs[c]
        values = np.empty((len(tree.level_codes[1]), len(rows_c), n_units))
        try:
            for g in np.unique(arg.group[rows_c]):
                sel = np.flatnonzero(arg.group[rows_c] == g)
                values[:, sel, :] = _one_level(None, shared, int(g), arg.weights[rows_c[sel]], config, 1)
            for j in range(2, len(tree.level_codes)):
                values = _one_level(values, shared, 0, arg.weights[rows_c], config, j)
        except _RefusedError as e:
            return scores, CellProblem(
                arg.start + int(rows_c[e.row]),
                shared.units[e.unit],
                tree.level_codes[e.level - 1][e.child],
                tree.level_codes[e.level][e.parent],
                e.method,
                e.value,
            )
        scores[rows_c] = values[0]
    return scores, None


def _one_level(
    values: np.ndarray | None, shared: Shared, g: int, weights: np.ndarray, config: AggConfig, j: int
) -> np.ndarray:
    """All aggregates of tree level j for a block of replications: (codes at level j x R x units)."""
    tree = shared.tree
    off = tree.weight_offsets[j - 1]
    w_level = weights[:, off : off + len(tree.level_codes[j - 1])]
    out = np.empty((len(tree.level_codes[j]), weights.shape[0], len(shared.units)))
    if values is None and len(shared.units) * len(tree.level_codes[0]) <= BLOCK_CELLS:
        _first_level_block(out, shared, g, w_level, config)
        return out
    for k, ch in enumerate(tree.children[j]):
        name, p = config.methods[j - 1][k]
        try:
            out[k] = _aggregate(values, shared, g, w_level[:, list(ch)], ch, name, p, config.min_data)
        except _RefusedError as e:
            e.level, e.method, e.parent = j, name, k
            raise
    return out


def _first_level_block(
    out: np.ndarray, shared: Shared, g: int, w_level: np.ndarray, config: AggConfig
) -> None:
    """First level on small data: every aggregate sharing a method in ONE matrix product.

    Block weights B ((parents x R) x indicators) hold w[r, c] where indicator c belongs to the parent,
    zero elsewhere, so ``B @ t(x)`` gives all weighted sums at once. It multiplies by zeros (a factor
    of the number of parents), which costs nothing on small data and saves a Python-level call per
    aggregate; large data take the per-aggregate path instead.
    """
    tree = shared.tree
    children = tree.children[1]
    n_ind = len(tree.level_codes[0])
    n_rep = w_level.shape[0]
    methods: dict[tuple[str, float], list[int]] = {}
    for k, m in enumerate(config.methods[0]):
        methods.setdefault(m, []).append(k)
    for (name, p), parents in methods.items():
        if name == "copeland":
            for k in parents:
                out[k] = _aggregate(
                    None, shared, g, w_level[:, list(children[k])], children[k], name, p, config.min_data
                )
            continue
        order = [c for k in parents for c in children[k]]
        raw = shared.matrices[g][:, order]
        at = _refused_at(raw, name, p)
        if at is not None:
            child = order[int(at[1])]
            e = _RefusedError(0, int(at[0]), child, float(raw[tuple(at)]))
            e.level, e.method = 1, name
            e.parent = next(k for k in parents if child in children[k])
            raise e
        block = np.zeros((len(parents), n_rep, n_ind))
        for i, k in enumerate(parents):
            ch = list(children[k])
            block[i][:, ch] = w_level[:, ch]
        flat = block.reshape(-1, n_ind)
        t_all, present = shared.transformed(g, name, p)
        num = (flat @ t_all).reshape(len(parents), n_rep, -1)
        if present is None:
            den = block.sum(axis=2)[:, :, None]
        else:
            den = (flat @ present.astype(float)).reshape(len(parents), n_rep, -1)
        res = _finish(_ratio(num, den), name, p)
        if config.min_data is not None and present is not None:
            share = np.stack([present[list(children[k])].sum(axis=0) / len(children[k]) for k in parents])
            res = np.where(share[:, None, :] < config.min_data, np.nan, res)
        out[parents] = res


_CONTROLLER: Any = None


def _single_threaded_blas() -> Any:
    """Context keeping BLAS on one thread: the products here are small and many, so BLAS threads
    only fight over the cores (10-50x slower on a loaded 2-core machine); parallelism comes from
    chunks on Dask workers instead."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def evaluate_chunk(shared: Shared, arg: ChunkArg) -> ChunkStats:
    """Scores, ranks and streaming statistics of one chunk (runs in process or on a Dask worker)."""
    with _single_threaded_blas():
        scores, problem = target_scores(shared, arg)
    stats = ChunkStats.from_scores(arg.start, scores, shared.nominal if arg.want_y else None)
    stats.problem = problem
    return stats


def chunk_size(tree: Tree, n_units: int, n_reps: int) -> int:
    """Replications per chunk: the largest intermediate stays under :data:`CHUNK_FLOATS` floats.

    Depends only on the problem (units, widest level, replications), never on the workers, so the
    chunks, and therefore every float sum, are the same in process and on a cluster.
    """
    widest = max([len(c) for c in tree.level_codes[1:]] + [1])
    per_rep = max(n_units * (widest + 4), 1)
    return int(max(1, min(MAX_CHUNK, CHUNK_FLOATS // per_rep, max(n_reps, 1))))
