"""``creativecity index stats``: the statistical audit of an index, as tables or JSON.

A thin layer: it reads the three inputs, builds the index, calls
:func:`creativecity.index.analysis.overview.analyse` and prints the typed result. All the numbers come
from the library so that the web app and the reports show exactly what the command line shows.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd
import typer
from rich import box
from rich.table import Table

from creativecity.cli._support import console, handle_errors, print_json, progress_bar
from creativecity.errors import InputError
from creativecity.fileio import atomic_output_dir
from creativecity.index._output import check_output_dir
from creativecity.index.analysis.correlations import METHODS, CorrelationThresholds
from creativecity.index.analysis.overview import AnalysisReport, analyse
from creativecity.index.analysis.pca import SCALINGS, SIGNS
from creativecity.index.analysis.stats import StatsThresholds


def _fmt(v: object, digits: int = 3) -> str:
    """Compact number for a terminal table (empty for missing): significant digits, not decimals,
    because indicator scales range from 1e-6 (per-capita shares) to 1e5 (counts)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return str(v)


def _table(title: str, frame: pd.DataFrame, columns: list[tuple[str, str]], digits: int = 3) -> Table:
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for key, header in columns:
        numeric = key in frame.columns and pd.api.types.is_numeric_dtype(frame[key])
        t.add_column(
            header,
            justify="right" if numeric else "left",
            no_wrap=key != "flags" and key != "note",
            overflow="fold",
        )
    for row in frame.to_dict(orient="records"):
        t.add_row(*(_fmt(row.get(key), digits) for key, _ in columns))
    return t


def print_report(report: AnalysisReport, top: int = 5) -> None:
    """Print the report as rich tables (statistics, correlations, alpha, PCA, weights)."""
    st = report.stats.thresholds
    console.print(
        _table(
            f"Statistics of data set {report.dataset}",
            report.stats.table,
            [
                ("code", "code"),
                ("n", "n"),
                ("availability", "avail"),
                ("median", "median"),
                ("sd", "sd"),
                ("skew", "G1"),
                ("kurt", "G2"),
                ("flags", "flags"),
            ],
        )
    )
    console.print(
        f"Flags: low_availability < {st.availability}; outliers |G1| >= {st.skew} and G2 >= {st.kurt}; "
        f"many_zeros > {st.zeros}; few_unique < {st.unique}; collinear r >= {st.collinear} with a sibling. "
        "Means, shares of zeros and unique values: --out or --json.",
        highlight=False,
    )
    pair_cols = [
        ("code_1", "code"),
        ("code_2", "with"),
        ("n", "n"),
        ("r", "r"),
        ("p", "p"),
        ("significant", "signif."),
        ("flag", "flag"),
    ]
    console.print(
        _table(
            f"Strongest sibling correlations (Pearson, top {top})",
            report.correlations.strongest(top),
            pair_cols,
        )
    )
    console.print(
        _table(
            f"Weakest code-parent correlations (Pearson, bottom {top})",
            report.correlations.weakest(top),
            pair_cols,
        )
    )
    console.print(
        _table(
            "Cronbach's alpha of each aggregate's children",
            report.cronbach,
            [
                ("code", "aggregate"),
                ("level", "level"),
                ("k", "k"),
                ("n_complete", "complete units"),
                ("alpha", "alpha"),
            ],
        )
    )
    console.print(
        _table(
            "PCA: variance explained by the first component",
            report.pca,
            [
                ("group", "aggregate"),
                ("level", "level"),
                ("k", "k"),
                ("n", "units"),
                ("explained_first", "explained"),
                ("note", "note"),
            ],
        )
    )
    console.print(
        _table(
            "Weights",
            report.weights,
            [
                ("code", "code"),
                ("level", "level"),
                ("parent", "parent"),
                ("weight", "weight"),
                ("within_parent", "in parent"),
                ("effective", "effective"),
            ],
            digits=4,
        )
    )
    size = report.denominators
    if len(size):
        size = size[size["flag"] == "size"]
        title = "Raw indicators that follow a size denominator (|r| >= 0.7, Pearson): consider dividing"
        if len(size):
            console.print(
                _table(
                    title,
                    size,
                    [("code_1", "indicator"), ("code_2", "denominator"), ("n", "n"), ("r", "r"), ("p", "p")],
                )
            )
        else:
            console.print(f"{title}: none.", highlight=False)
    ro = report.remove_one
    if ro is not None:
        console.print(
            _table(
                f"Remove-one: rank changes of {ro.target} when each level-{ro.level} code has weight 0",
                ro.table,
                [
                    ("code", "removed"),
                    ("parent", "parent"),
                    ("mean_abs_rank_change", "mean |change|"),
                    ("max_abs_rank_change", "max |change|"),
                    ("n_units", "units"),
                    ("note", "note"),
                ],
            )
        )


def write_report(report: AnalysisReport, out: Path) -> list[Path]:
    """Write every table of the report as CSV into ``out`` (all or nothing)."""
    written = []
    with atomic_output_dir(out) as stage:
        for name, frame in report.tables().items():
            frame.to_csv(stage / f"{name}.csv", index=False, float_format="%.17g")
            written.append(out / f"{name}.csv")
    return written


def register(app: typer.Typer) -> None:
    """Add ``index stats`` to the ``index`` command group."""

    @app.command("stats")
    @handle_errors
    def stats(
        meta: Path = typer.Option(..., "--meta", help="Indicator metadata (iMeta), CSV or XLSX."),
        data: Path = typer.Option(..., "--data", help="Unit data (iData), CSV or XLSX."),
        spec: Path = typer.Option(..., "--spec", help="Pipeline spec (YAML or JSON)."),
        dataset: str | None = typer.Option(
            None,
            "--dataset",
            help="Data set to describe (default Denominated if any, else Raw; "
            "'scores' or 'Aggregated' include aggregates).",
        ),
        level: int | None = typer.Option(None, "--level", help="Describe only the codes at this level."),
        method: list[str] = typer.Option(
            list(METHODS), "--method", help="Correlation method(s): pearson, spearman, kendall."
        ),
        pca_sign: str = typer.Option("positive", "--pca-sign", help=f"PCA sign: {', '.join(SIGNS)}."),
        pca_scaling: str = typer.Option("unit", "--pca-scaling", help=f"PCA scaling: {', '.join(SCALINGS)}."),
        availability: float = typer.Option(0.65, "--min-availability", help="Flag below this availability."),
        collinear: float = typer.Option(
            0.9, "--collinear", help="Flag sibling correlations at or above this."
        ),
        weak: float = typer.Option(0.3, "--weak", help="Flag code-parent correlations below this."),
        top: int = typer.Option(5, "--top", min=1, help="Pairs shown among the strongest/weakest."),
        remove_level: int | None = typer.Option(
            None, "--remove-one", help="Also rank changes when each code of this level is given weight 0."
        ),
        target: str | None = typer.Option(None, "--target", help="Code whose ranks remove-one compares."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
        out: Path | None = typer.Option(None, "--out", help="Write stats.csv, correlations.csv, ... here."),
        as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
    ) -> None:
        """Statistics, correlations, Cronbach's alpha, PCA and effective weights of an index."""
        from creativecity.index.data import UnitData
        from creativecity.index.framework import Framework
        from creativecity.index.pipeline import build
        from creativecity.index.spec import Spec

        for name, value in (
            ("--min-availability", availability),
            ("--collinear", collinear),
            ("--weak", weak),
        ):
            if not 0 <= value <= 1:
                raise InputError(f"{value} must be between 0 and 1", column=name, rule="share in [0, 1]")
        if out is not None:
            check_output_dir(out)
        fw = Framework.read(meta)
        ud = UnitData.read(data, fw)
        sp = Spec.read(spec)
        results = build(fw, ud, sp)
        show = not quiet and not as_json and sys.stderr.isatty() and remove_level is not None
        with progress_bar(show, "remove-one") as progress:
            report = analyse(
                results,
                fw,
                dataset=dataset,
                level=level,
                methods=tuple(method),
                stats_thresholds=StatsThresholds(availability=availability, collinear=collinear),
                corr_thresholds=CorrelationThresholds(high=collinear, low=weak),
                pca_sign=pca_sign,
                pca_scaling=pca_scaling,
                remove_one_level=remove_level,
                target=target,
                progress=progress,
            )
        written = write_report(report, out) if out is not None else []
        if as_json:
            print_json(report)
            return
        print_report(report, top=top)
        for p in written:
            console.print(f"wrote {p}", highlight=False)
