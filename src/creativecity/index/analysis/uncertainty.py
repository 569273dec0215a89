"""Uncertainty analysis: how far would a unit's rank move under other defensible choices?

A composite indicator's rank depends on choices (how to treat outliers, normalise, weight, aggregate)
that reasonable analysts make differently. Uncertainty analysis (ENGINE.md §9) samples those choices
N times from the assumptions file and reports, per unit, the nominal rank next to the distribution of
ranks over the replications (mean, median, 5th and 95th percentiles), plus the target score's spread.

This module holds the driver shared with sensitivity analysis (:func:`run_replications`): decode a
design matrix into choices, prepare the shared upstream data once, evaluate chunks (in process or on a
Dask cluster) and fold their statistics in chunk order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._types import Progress
from creativecity.index.analysis.assumptions import AssumptionSet
from creativecity.index.analysis.distributed import ChunkExecutor
from creativecity.index.analysis.robust_compare import RankComparison, compare_rankings
from creativecity.index.analysis.robust_prepare import Prepared, prepare
from creativecity.index.analysis.robust_sampling import Replications, decode, design_columns, monte_carlo
from creativecity.index.analysis.robust_stats import RankAccumulator
from creativecity.index.analysis.robust_vectorised import CellProblem, evaluate_chunk

#: Columns of ``rank_stats.csv`` fixed by CONTRACTS.md §3; score statistics follow them.
RANK_COLUMNS = ("uCode", "nominal", "mean", "median", "q05", "q95")


@dataclass
class ReplicationRun:
    """What :func:`run_replications` returns: statistics, optional per-run outputs, bookkeeping."""

    accumulator: RankAccumulator
    y: np.ndarray | None
    prepared: Prepared
    replications: Replications
    n_chunks: int
    seconds: float


def check_n(n: int, what: str = "--n") -> None:
    """Refuse a replication count that cannot give statistics."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"{what} must be a whole number >= 1, got {n!r}", column=what, rule="n >= 1")


def describe_replication(aset: AssumptionSet, reps: Replications, i: int) -> str:
    """The choices of replication ``i`` in words (for error messages)."""
    parts = []
    for a in aset.assumptions:
        if a.kind == "noise":
            parts.append(f"{a.name} = noise on levels {list(a.levels)}")
        else:
            parts.append(f"{a.name} = {reps.setting(a, i)!r}")
    return ", ".join(parts)


def _raise_problem(aset: AssumptionSet, reps: Replications, p: CellProblem) -> None:
    hint = ""
    if p.method in ("geometric", "harmonic", "generalised"):
        hint = (
            " A geometric or harmonic mean needs values above zero: pair it with a normalisation whose"
            " range is positive, e.g. {method: minmax, range: [1, 100]}."
        )
    raise InputError(
        f"replication {p.rep + 1} ({describe_replication(aset, reps, p.rep)}): unit {p.unit!r}: "
        f"{p.code!r} value {p.value!r} cannot enter a {p.method} mean (aggregating {p.parent!r}).{hint}",
        file=aset.source,
        row=p.unit,
        column=p.code,
        rule="values a mean can take",
    )


def run_replications(
    framework: Any,
    data: Any,
    spec: Any,
    aset: AssumptionSet,
    design: np.ndarray,
    *,
    executor: ChunkExecutor | None = None,
    want_y: bool = False,
    progress: Progress | None = None,
    nominal: Any | None = None,
) -> ReplicationRun:
    """Evaluate every row of a design matrix as a replication and accumulate rank statistics.

    Parameters
    ----------
    design
        (replications x columns) uniforms, columns as :func:`robust_sampling.design_columns`.
    executor
        Where chunks run; in process when None.
    want_y
        Also return each replication's mean absolute rank change against nominal (for SA).
    progress
        Called as ``progress(done, total)``: upstream data sets, then chunks of replications.
    nominal
        A nominal build to reuse (saves one build).
    """
    t0 = time.perf_counter()
    reps = decode(aset, framework, design)
    n_groups = 0

    def on_group(done_groups: int, total_groups: int) -> None:
        # upstream data sets first, then chunks; the chunk count is not known yet, count one per group
        nonlocal n_groups
        n_groups = total_groups
        if progress:
            progress(done_groups, 2 * total_groups)

    prepared = prepare(framework, data, spec, aset, reps, nominal=nominal, progress=on_group)
    chunks = prepared.chunks(want_y=want_y)
    acc = RankAccumulator(len(prepared.shared.units), reps.n)
    ys: list[np.ndarray] = []
    done = 0

    def on_done(_: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(n_groups + done, n_groups + len(chunks))

    ex = executor or ChunkExecutor()
    for stats in ex.map(evaluate_chunk, prepared.shared, chunks, on_done):
        if stats.problem is not None:
            assert isinstance(stats.problem, CellProblem)
            _raise_problem(aset, reps, stats.problem)
        acc.add(stats)
        if want_y and stats.y is not None:
            ys.append(stats.y)
    y = np.concatenate(ys) if want_y else None
    return ReplicationRun(acc, y, prepared, reps, len(chunks), time.perf_counter() - t0)


def rank_stats_frame(run: ReplicationRun) -> pd.DataFrame:
    """The ``rank_stats`` table: contract columns, then score statistics of the target."""
    shared = run.prepared.shared
    acc = run.accumulator
    q = acc.rank_quantiles()
    nominal = pd.array(np.where(shared.nominal > 0, shared.nominal, np.nan), dtype="Float64").astype("Int64")
    df = pd.DataFrame(
        {
            "uCode": list(shared.units),
            "nominal": nominal,
            "mean": acc.rank_mean(),
            "median": q[:, 1],
            "q05": q[:, 0],
            "q95": q[:, 2],
        }
    )
    target = shared.tree.target
    nominal_scores = run.prepared.nominal_results.scores[target].reindex(list(shared.units))
    df["score_nominal"] = nominal_scores.to_numpy(dtype=float)
    for k, v in acc.score_summary().items():
        df[k] = v
    return df


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts with None for missing values (JSON has no NA)."""
    plain = df.astype(object).where(df.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in plain.to_dict(orient="records")]


@dataclass
class UncertaintyResult:
    """Result of :func:`run_uncertainty`.

    Attributes
    ----------
    rank_stats
        ``uCode, nominal, mean, median, q05, q95`` (ranks of the target; CONTRACTS.md §3) then
        ``score_nominal, score_mean, score_sd, score_min, score_max``.
    """

    target: str
    n: int
    seed: int
    rank_stats: pd.DataFrame
    assumptions: list[dict[str, Any]]
    upstream_datasets: int
    chunks: int
    seconds: float
    where: str = "in process"
    warnings: list[str] = field(default_factory=list)

    @property
    def comparison(self) -> RankComparison:
        """Nominal versus median ranks, shifts and the widest intervals."""
        return compare_rankings(self.rank_stats)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json`` and the web app."""
        comp = self.comparison
        return {
            "target": self.target,
            "n": self.n,
            "seed": self.seed,
            "assumptions": self.assumptions,
            "upstream_datasets": self.upstream_datasets,
            "chunks": self.chunks,
            "seconds": self.seconds,
            "where": self.where,
            "mean_abs_shift": comp.mean_abs_shift,
            "spearman_nominal_median": comp.spearman,
            "units_outside_interval": comp.n_outside,
            "rank_stats": records(self.rank_stats),
            "warnings": list(self.warnings),
        }

    def write(self, out: str | Path, plots: bool = True) -> list[Path]:
        """Write ``rank_stats.csv`` (and ``rank_comparison.csv``, plots) into folder ``out``.

        Meant to be called on a staging folder from :func:`creativecity.fileio.atomic_output_dir`.
        """
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "rank_stats.csv", out / "rank_comparison.csv"]
        self.rank_stats.to_csv(written[0], index=False, float_format="%.17g")
        self.comparison.table.to_csv(written[1], index=False, float_format="%.17g")
        if plots:
            from creativecity.index.analysis.plots import plot_rank_intervals

            written += plot_rank_intervals(self.rank_stats, out / "rank_intervals", target=self.target)
        return written


def run_uncertainty(
    framework: Any,
    data: Any,
    spec: Any,
    aset: AssumptionSet,
    n: int,
    seed: int,
    *,
    executor: ChunkExecutor | None = None,
    progress: Progress | None = None,
    nominal: Any | None = None,
) -> UncertaintyResult:
    """Uncertainty analysis with N Monte Carlo replications (ENGINE.md §9).

    Parameters
    ----------
    framework, data, spec
        The nominal composite indicator.
    aset
        Validated assumptions (:func:`assumptions.load_assumptions`).
    n, seed
        Replications and seed; the same seed gives identical numbers in process and on a cluster.
    executor
        Where chunks run (see :class:`distributed.ChunkExecutor`); in process when None.

    Raises
    ------
    InputError
        For n < 1, or when a sampled choice cannot be built (naming the replication's choices).
    """
    check_n(n)
    cols = design_columns(aset, framework)
    design = monte_carlo(n, len(cols), seed)
    run = run_replications(
        framework, data, spec, aset, design, executor=executor, progress=progress, nominal=nominal
    )
    where = "in process"
    if executor is not None and executor.distributed:
        where = (
            f"Dask scheduler {executor.scheduler}"
            if executor.scheduler
            else f"{executor.workers} local workers"
        )
    return UncertaintyResult(
        target=aset.target,
        n=n,
        seed=seed,
        rank_stats=rank_stats_frame(run),
        assumptions=[a.to_dict() for a in aset.assumptions],
        upstream_datasets=run.prepared.n_upstream,
        chunks=run.n_chunks,
        seconds=run.seconds,
        where=where,
        warnings=list(aset.warnings) + list(run.prepared.warnings),
    )
