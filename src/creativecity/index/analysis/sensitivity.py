"""Sensitivity analysis: which assumption is responsible for how much of the rank uncertainty?

Uncertainty analysis says how much ranks move; sensitivity analysis says *why*. With Saltelli's design
(ENGINE.md §9: matrices A, B and A with assumption i taken from B, N (d + 2) replications in all) the
variance of the output, each replication's mean absolute rank change of the target code against the
nominal ranking, is split into first-order indices S1 (the share due to an assumption alone) and total
indices ST (including its interactions with the others), with bootstrap confidence intervals. A high
ST with a low S1 means the assumption matters through interactions (e.g. a weighting choice that only
matters under geometric aggregation).

The replications run through the same vectorised driver as uncertainty analysis, so they can also run
on a Dask cluster with identical results; ``rank_stats`` is computed over all N (d + 2) replications
(each one is a valid draw of the assumptions, since every design column is uniform).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._types import Progress
from creativecity.index.analysis.assumptions import AssumptionSet
from creativecity.index.analysis.distributed import ChunkExecutor
from creativecity.index.analysis.robust_sampling import design_columns, saltelli
from creativecity.index.analysis.robust_sobol import SobolResult, analyse
from creativecity.index.analysis.uncertainty import (
    check_n,
    rank_stats_frame,
    records,
    run_replications,
)

#: Columns of ``sensitivity.csv`` fixed by CONTRACTS.md §3.
SENSITIVITY_COLUMNS = ("assumption", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high")


@dataclass
class SensitivityResult:
    """Result of :func:`run_sensitivity`.

    Attributes
    ----------
    indices
        ``assumption, S1, S1_low, S1_high, ST, ST_low, ST_high`` (CONTRACTS.md §3).
    rank_stats
        As in uncertainty analysis, over all replications of the design.
    runs
        N (d + 2) replications evaluated.
    """

    target: str
    n: int
    seed: int
    runs: int
    indices: pd.DataFrame
    rank_stats: pd.DataFrame
    variance: float
    conf: float
    assumptions: list[dict[str, Any]]
    seconds: float
    where: str = "in process"
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json`` and the web app."""
        return {
            "target": self.target,
            "n": self.n,
            "seed": self.seed,
            "runs": self.runs,
            "output": "mean absolute rank change against the nominal ranking",
            "variance": self.variance,
            "conf": self.conf,
            "assumptions": self.assumptions,
            "indices": self.indices.to_dict(orient="records"),
            "rank_stats": records(self.rank_stats),
            "seconds": self.seconds,
            "where": self.where,
            "warnings": list(self.warnings),
        }

    def write(self, out: str | Path, plots: bool = True) -> list[Path]:
        """Write ``sensitivity.csv``, ``rank_stats.csv`` (and plots) into folder ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "sensitivity.csv", out / "rank_stats.csv"]
        self.indices.to_csv(written[0], index=False, float_format="%.17g")
        self.rank_stats.to_csv(written[1], index=False, float_format="%.17g")
        if plots:
            from creativecity.index.analysis.plots import plot_rank_intervals, plot_sensitivity

            written += plot_sensitivity(records(self.indices), out / "sensitivity", self.target)
            written += plot_rank_intervals(self.rank_stats, out / "rank_intervals", target=self.target)
        return written


def run_sensitivity(
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
    n_boot: int = 1000,
    conf: float = 0.95,
) -> SensitivityResult:
    """Variance-based sensitivity analysis with N base points (N (d + 2) replications).

    Parameters
    ----------
    n
        Base sample size N; a power of two keeps the Sobol' sequence balanced (others work, with a
        warning in the result).
    seed
        Seeds the scrambled Sobol' design and the bootstrap: same seed, identical numbers, in
        process or on a cluster.
    n_boot, conf
        Bootstrap resamples and confidence level of the intervals.

    Raises
    ------
    InputError
        For n < 2, or when a sampled choice cannot be built.
    """
    check_n(n)
    if n < 2:
        raise InputError("--n must be at least 2 for sensitivity analysis", column="--n", rule="n >= 2")
    cols = design_columns(aset, framework)
    groups = [c.assumption for c in cols]
    design = saltelli(n, groups, seed)
    run = run_replications(
        framework,
        data,
        spec,
        aset,
        design,
        executor=executor,
        want_y=True,
        progress=progress,
        nominal=nominal,
    )
    assert run.y is not None
    if not np.all(np.isfinite(run.y)):
        bad = int(np.flatnonzero(~np.isfinite(run.y))[0])
        raise InputError(
            f"replication {bad + 1} ranks no unit that has a nominal rank: its rank change is undefined",
            file=aset.source,
            rule="replications rank the nominal units",
        )
    order: list[int] = []
    for g in groups:
        if g not in order:
            order.append(g)
    names = [aset.assumptions[g].name for g in order]
    sob: SobolResult = analyse(run.y, names, n_boot=n_boot, conf=conf, seed=seed)
    warnings = list(sob.warnings)
    if n & (n - 1):
        warnings.append(f"N = {n} is not a power of two: the Sobol' design is less balanced (use e.g. 1024)")
    where = "in process"
    if executor is not None and executor.distributed:
        where = (
            f"Dask scheduler {executor.scheduler}"
            if executor.scheduler
            else f"{executor.workers} local workers"
        )
    return SensitivityResult(
        target=aset.target,
        n=n,
        seed=seed,
        runs=len(run.y),
        indices=pd.DataFrame(sob.rows(), columns=list(SENSITIVITY_COLUMNS)),
        rank_stats=rank_stats_frame(run),
        variance=sob.variance,
        conf=conf,
        assumptions=[a.to_dict() for a in aset.assumptions],
        seconds=run.seconds,
        where=where,
        warnings=warnings,
    )
