"""One call that runs every statistical check of an index build (what ``index stats`` prints).

A reviewer of an index wants the same set of checks every time: the indicator statistics with their
flags, the correlation structure, the internal consistency of each pillar, how one-dimensional each
pillar is, and how much each indicator really weighs. :func:`analyse` gathers them from a built
:class:`~creativecity.index.results.Results` into one typed :class:`AnalysisReport` that the command
line prints as a table or JSON and writes as CSV files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from creativecity.errors import InputError
from creativecity.index._types import Progress
from creativecity.index.analysis.correlations import (
    CorrelationReport,
    CorrelationThresholds,
    correlation_report,
    denominator_correlations,
)
from creativecity.index.analysis.cronbach import cronbach_by_aggregate
from creativecity.index.analysis.pca import PCAResult, pca_by_parent
from creativecity.index.analysis.remove_one import RemoveOneResult, remove_one
from creativecity.index.analysis.stats import StatsTable, StatsThresholds, indicator_stats
from creativecity.index.analysis.weights import weights_table

__all__ = ["AnalysisReport", "analyse", "default_dataset"]


@dataclass
class AnalysisReport:
    """Every statistical check of one build.

    Attributes
    ----------
    dataset : str
        Data set the statistics table describes.
    stats : StatsTable
        Per-code statistics and flags.
    correlations : CorrelationReport
        Within- and across-level correlations of the scores.
    cronbach : pandas.DataFrame
        Alpha of each aggregate's children (``code, level, k, n_complete, alpha``).
    pca : pandas.DataFrame
        Per aggregate: ``group, level, k, n, explained_first, note``.
    pca_results : list of PCAResult
        Loadings and weights of each analysable group.
    weights : pandas.DataFrame
        Nominal, within-parent and effective weights.
    remove_one : RemoveOneResult or None
        Rank changes when each code of a level is removed, when asked for.
    denominators : pandas.DataFrame
        Pearson correlation of each raw indicator with each denominator column (``flag = "size"`` at
        |r| >= 0.7); empty when the unit data has no denominators.
    """

    dataset: str
    stats: StatsTable
    correlations: CorrelationReport
    cronbach: pd.DataFrame
    pca: pd.DataFrame
    pca_results: list[PCAResult] = field(default_factory=list)
    weights: pd.DataFrame = field(default_factory=pd.DataFrame)
    remove_one: RemoveOneResult | None = None
    denominators: pd.DataFrame = field(default_factory=pd.DataFrame)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report as CSV-ready tables, keyed by file stem."""
        loadings = [
            {"group": r.group, "code": c, "loading": float(r.loadings[c]), "weight": float(r.weights[c])}
            for r in self.pca_results
            for c in r.codes
        ]
        out = {
            "stats": self.stats.table,
            "correlations": self.correlations.pairs,
            "cronbach": self.cronbach,
            "pca": self.pca,
            "pca_loadings": pd.DataFrame(loadings, columns=["group", "code", "loading", "weight"]),
            "weights": self.weights,
            "denominator_correlations": self.denominators,
        }
        if self.remove_one is not None:
            out["remove_one"] = self.remove_one.table
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output (``to_json`` turns NaN into null)."""
        return {
            "dataset": self.dataset,
            "thresholds": {
                "stats": self.stats.thresholds.__dict__,
                "correlations": self.correlations.thresholds.__dict__,
            },
            **{name: t.to_dict(orient="records") for name, t in self.tables().items()},
        }


def default_dataset(datasets: Sequence[str]) -> str:
    """The data set described by default: the indicators as the index sees them before any fix.

    ``Denominated`` when the spec denominates (raw totals of big and small countries are not
    comparable), otherwise ``Raw``. Flags on these values say what imputation and treatment will have
    to deal with.
    """
    return "Denominated" if "Denominated" in datasets else "Raw"


def analyse(
    results: Any,
    framework: Any,
    dataset: str | None = None,
    level: int | None = None,
    methods: Sequence[str] = ("pearson", "spearman", "kendall"),
    stats_thresholds: StatsThresholds | None = None,
    corr_thresholds: CorrelationThresholds | None = None,
    pca_sign: str = "positive",
    pca_scaling: str = "unit",
    remove_one_level: int | None = None,
    target: str | None = None,
    progress: Progress | None = None,
) -> AnalysisReport:
    """Run every check on a built index.

    Parameters
    ----------
    results : Results
        A build's results (``datasets`` name -> DataFrame, ``scores``).
    framework : Framework
        The framework the results were built with (levels, parents, weights).
    dataset : str, optional
        Data set for the statistics table (default :func:`default_dataset`). ``Aggregated`` (or
        ``scores``) gives access to aggregate codes.
    level : int, optional
        Describe only the codes at this level (default: indicators, or every code of the data set when
        it has no indicators).
    methods : sequence of str
        Correlation methods.
    remove_one_level : int, optional
        Also run the remove-one analysis on the codes of this level (against ``target``, default the
        index), which costs one re-aggregation per code.
    progress : callable, optional
        Progress bar for the remove-one analysis.

    Raises
    ------
    InputError
        Unknown data set, or a level with no code in the data set.
    """
    names = list(results.datasets)
    ds = dataset or default_dataset(names)
    if ds == "scores":
        frame = results.scores
    elif ds in results.datasets:
        frame = results.datasets[ds]
    else:
        raise InputError(
            f"unknown data set {ds!r}; this build has: {', '.join([*names, 'scores'])}",
            column="dataset",
            rule="known data set",
        )
    if level is not None:
        if not 1 <= level <= framework.n_levels:
            raise InputError(
                f"level {level} does not exist; levels are 1..{framework.n_levels}",
                column="level",
                rule="known level",
            )
        codes = [c for c in framework.codes_at(level) if c in frame.columns]
        if not codes:
            raise InputError(
                f"data set {ds!r} has no code at level {level} (aggregates are in 'Aggregated' or 'scores')",
                column="level",
                rule="level in data set",
            )
    else:
        codes = [c for c in framework.indicators if c in frame.columns] or [
            c for c in framework.codes if c in frame.columns
        ]
    parents = {c: framework.parent(c) for c in codes}
    stats = indicator_stats(frame, codes, thresholds=stats_thresholds, groups=parents, dataset=ds)
    scores = results.scores
    corr = correlation_report(scores, framework, methods=methods, thresholds=corr_thresholds)
    alpha = cronbach_by_aggregate(scores, framework)
    pca_rows = []
    pca_results: list[PCAResult] = []
    for lev in range(2, framework.n_levels + 1):
        res, summary = pca_by_parent(scores, framework, level=lev, sign=pca_sign, scaling=pca_scaling)
        summary.insert(1, "level", lev)
        pca_rows.append(summary)
        pca_results.extend(res)
    pca_table = pd.concat(pca_rows, ignore_index=True) if pca_rows else pd.DataFrame()
    return AnalysisReport(
        dataset=ds,
        stats=stats,
        correlations=corr,
        cronbach=alpha,
        pca=pca_table,
        pca_results=pca_results,
        weights=weights_table(framework),
        denominators=denominator_correlations(results.datasets["Raw"], results.data.denominators),
        remove_one=(
            remove_one(results, level=remove_one_level, target=target, progress=progress)
            if remove_one_level is not None
            else None
        ),
    )
