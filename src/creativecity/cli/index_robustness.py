"""``creativecity index uncertainty`` and ``index sensitivity`` (CONTRACTS.md §3).

Thin layer: read and validate the inputs, run the analysis (in process, on a local Dask cluster with
``--workers`` or on an existing one with ``--scheduler``), write the outputs into a staging folder
that replaces OUT only when everything succeeded, and print a summary or JSON. Heavy modules are
imported inside the commands so that ``creativecity --help`` stays quick.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from creativecity.cli._support import console, handle_errors, print_json, progress_bar

_META = typer.Option(..., "--meta", help="Indicator metadata (iMeta), CSV or XLSX.")
_DATA = typer.Option(..., "--data", help="Unit data (iData), CSV or XLSX.")
_SPEC = typer.Option(..., "--spec", help="Nominal pipeline spec, YAML or JSON (CONTRACTS.md §1).")
_ASSUMPTIONS = typer.Option(..., "--assumptions", help="Assumptions file, YAML (CONTRACTS.md §2).")
_SEED = typer.Option(1, "--seed", min=0, help="Seed: the same seed gives identical results everywhere.")
_OUT = typer.Option(..., "--out", help="Output folder (written only if the analysis succeeds).")
_SCHEDULER = typer.Option(None, "--scheduler", help="Run on an existing Dask cluster: tcp://HOST:PORT.")
_WORKERS = typer.Option(None, "--workers", help="Start a local Dask cluster with this many workers.")
_JSON = typer.Option(False, "--json", help="Print the result as JSON.")
_QUIET = typer.Option(False, "--quiet", help="No progress bar and no summary.")
_PLOTS = typer.Option(True, "--plots/--no-plots", help="Also write PNG and SVG figures.")
_TARGET = typer.Option(None, "--target", help="Study this code instead of the assumptions file's target.")


def load_inputs(
    meta: Path, data: Path, spec: Path, assumptions: Path, target: str | None = None
) -> tuple[Any, Any, Any, Any]:
    """Read and validate framework, unit data, spec and assumptions (InputError on any problem).

    ``target`` replaces the assumptions file's target code (e.g. to study one pillar).
    """
    from creativecity.index.analysis.assumptions import read_assumptions
    from creativecity.index.data import UnitData
    from creativecity.index.framework import Framework
    from creativecity.index.spec import Spec

    fw = Framework.read(meta)
    ud = UnitData.read(data, fw)
    sp = Spec.read(spec)
    aset = read_assumptions(assumptions)
    if target:
        aset.target = target
    aset.validate(fw, sp)
    return fw, ud, sp, aset


def _summary_table(rank_stats: Any, target: str, title: str) -> Any:
    import pandas as pd
    from rich.table import Table

    table = Table(title=title)
    for col, just in (("uCode", "left"), ("nominal", "right"), ("median", "right"), ("5-95 %", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    top = rank_stats.sort_values(["nominal", "uCode"], na_position="last").head(10)
    for _, r in top.iterrows():
        nominal = "" if pd.isna(r["nominal"]) else str(int(r["nominal"]))
        table.add_row(str(r["uCode"]), nominal, f"{r['median']:g}", f"{r['q05']:g}-{r['q95']:g}")
    return table


def _executor(scheduler: str | None, workers: int | None) -> Any:
    from creativecity.index.analysis.distributed import ChunkExecutor

    return ChunkExecutor(scheduler=scheduler, workers=workers)


def run_uncertainty_command(
    meta: Path,
    data: Path,
    spec: Path,
    assumptions: Path,
    n: int,
    seed: int,
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    plots: bool = True,
    progress: Callable[[int, int], None] | None = None,
    target: str | None = None,
) -> tuple[Any, list[Path]]:
    """Everything ``index uncertainty`` does but printing; returns the result and the files written."""
    from creativecity.fileio import atomic_output_dir
    from creativecity.index._output import check_output_dir
    from creativecity.index.analysis.uncertainty import check_n, run_uncertainty

    check_n(n)
    check_output_dir(out)
    fw, ud, sp, aset = load_inputs(meta, data, spec, assumptions, target)
    with _executor(scheduler, workers) as ex:
        result = run_uncertainty(fw, ud, sp, aset, n, seed, executor=ex, progress=progress)
    with atomic_output_dir(out) as stage:
        written = result.write(stage, plots=plots)
    return result, [out / p.relative_to(stage) for p in written]


def run_sensitivity_command(
    meta: Path,
    data: Path,
    spec: Path,
    assumptions: Path,
    n: int,
    seed: int,
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    plots: bool = True,
    progress: Callable[[int, int], None] | None = None,
    n_boot: int = 1000,
    target: str | None = None,
) -> tuple[Any, list[Path]]:
    """Everything ``index sensitivity`` does but printing; returns the result and the files written."""
    from creativecity.fileio import atomic_output_dir
    from creativecity.index._output import check_output_dir
    from creativecity.index.analysis.sensitivity import run_sensitivity
    from creativecity.index.analysis.uncertainty import check_n

    check_n(n)
    check_output_dir(out)
    fw, ud, sp, aset = load_inputs(meta, data, spec, assumptions, target)
    with _executor(scheduler, workers) as ex:
        result = run_sensitivity(fw, ud, sp, aset, n, seed, executor=ex, progress=progress, n_boot=n_boot)
    with atomic_output_dir(out) as stage:
        written = result.write(stage, plots=plots)
    return result, [out / p.relative_to(stage) for p in written]


def register(app: typer.Typer) -> None:
    """Add ``uncertainty`` and ``sensitivity`` to the ``index`` command group."""

    @app.command("uncertainty")
    @handle_errors
    def uncertainty_cmd(
        meta: Path = _META,
        data: Path = _DATA,
        spec: Path = _SPEC,
        assumptions: Path = _ASSUMPTIONS,
        n: int = typer.Option(1000, "--n", help="Number of replications."),
        seed: int = _SEED,
        out: Path = _OUT,
        scheduler: str | None = _SCHEDULER,
        workers: int | None = _WORKERS,
        json_out: bool = _JSON,
        quiet: bool = _QUIET,
        plots: bool = _PLOTS,
        target: str | None = _TARGET,
    ) -> None:
        """Rank uncertainty: N replications of the assumptions; writes OUT/rank_stats.csv (and figures)."""
        show = not quiet and not json_out and sys.stderr.isatty()
        with progress_bar(show, "replications") as prog:
            result, written = run_uncertainty_command(
                meta, data, spec, assumptions, n, seed, out,
                scheduler=scheduler, workers=workers, plots=plots, progress=prog, target=target,
            )  # fmt: skip
        if json_out:
            print_json({**result.to_dict(), "out": str(out), "files": [str(p) for p in written]})
            return
        if quiet:
            return
        console.print(
            _summary_table(result.rank_stats, result.target, f"Ranks of {result.target}: top 10 by nominal")
        )
        comp = result.comparison
        console.print(
            f"{result.n} replications ({result.where}) in {result.seconds:.2f} s; "
            f"mean |nominal - median| = {comp.mean_abs_shift:.2f}; "
            f"{comp.n_outside} unit(s) with the nominal rank outside its 5-95 % interval.",
            markup=False,
            highlight=False,
        )
        console.print(f"Wrote {', '.join(p.name for p in written)} to {out}", markup=False, highlight=False)

    @app.command("sensitivity")
    @handle_errors
    def sensitivity_cmd(
        meta: Path = _META,
        data: Path = _DATA,
        spec: Path = _SPEC,
        assumptions: Path = _ASSUMPTIONS,
        n: int = typer.Option(1024, "--n", help="Base sample size N (N (d + 2) replications; a power of 2)."),
        seed: int = _SEED,
        out: Path = _OUT,
        scheduler: str | None = _SCHEDULER,
        workers: int | None = _WORKERS,
        json_out: bool = _JSON,
        quiet: bool = _QUIET,
        plots: bool = _PLOTS,
        n_boot: int = typer.Option(
            1000, "--bootstrap", min=10, help="Bootstrap resamples for the intervals."
        ),
        target: str | None = _TARGET,
    ) -> None:
        """Sensitivity indices (S1, ST) per assumption; writes OUT/sensitivity.csv and OUT/rank_stats.csv."""
        show = not quiet and not json_out and sys.stderr.isatty()
        with progress_bar(show, "replications") as prog:
            result, written = run_sensitivity_command(
                meta, data, spec, assumptions, n, seed, out,
                scheduler=scheduler, workers=workers, plots=plots, progress=prog, n_boot=n_boot,
                target=target,
            )  # fmt: skip
        if json_out:
            print_json({**result.to_dict(), "out": str(out), "files": [str(p) for p in written]})
            return
        if quiet:
            return
        from rich.table import Table

        table = Table(title=f"Sensitivity of {result.target} ranks ({result.runs} replications)")
        for col in ("assumption", "S1", "S1 interval", "ST", "ST interval"):
            table.add_column(col, justify="left" if col == "assumption" else "right")
        for r in result.indices.to_dict(orient="records"):
            table.add_row(
                str(r["assumption"]),
                f"{r['S1']:.3f}",
                f"{r['S1_low']:.3f}-{r['S1_high']:.3f}",
                f"{r['ST']:.3f}",
                f"{r['ST_low']:.3f}-{r['ST_high']:.3f}",
            )
        console.print(table)
        for w in result.warnings:
            console.print(f"warning: {w}", markup=False, highlight=False)
        console.print(f"Wrote {', '.join(p.name for p in written)} to {out}", markup=False, highlight=False)
