"""``creativecity index build``: a composite indicator from iMeta, iData and a spec (CONTRACTS.md §3)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from creativecity.cli._support import console, handle_errors, print_json, progress_bar
from creativecity.index._output import check_output_dir
from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.results import Results
from creativecity.index.spec import Spec


def run_build(
    meta: Path, data: Path, spec: Path, out: Path, *, progress: Callable[[int, int], None] | None = None
) -> Results:
    """Read, validate, build and write; on any error nothing is written to ``out``."""
    check_output_dir(out)
    fw = Framework.read(meta)
    ud = UnitData.read(data, fw)
    sp = Spec.read(spec)
    results = build(fw, ud, sp, progress=progress)
    results.write(out)
    return results


def summary(results: Results, out: Path) -> dict[str, object]:
    """Machine summary printed by ``--json``."""
    top_code = results.framework.codes_at(results.framework.n_levels)[0]
    top = results.top(top_code, 10)
    return {
        "out": str(out),
        "units": len(results.units),
        "codes": len(results.framework.codes),
        "datasets": list(results.datasets),
        "top_code": top_code,
        "top": [
            {"uCode": u, "uName": r["uName"], "score": float(r["score"]), "rank": int(r["rank"])}
            for u, r in top.iterrows()
        ],
        "warnings": list(results.warnings),
        "files": [
            "scores.csv",
            "ranks.csv",
            "results.json",
            *[f"datasets/{d}.csv" for d in results.datasets],
        ],
    }


def print_summary(results: Results, out: Path) -> None:
    """Readable summary: top ten on the top-level code, warnings, where the outputs are."""
    top_code = results.framework.codes_at(results.framework.n_levels)[0]
    table = Table(title=f"Top 10 on {top_code} ({len(results.units)} units)")
    table.add_column("rank", justify="right")
    table.add_column("uCode")
    table.add_column("name")
    table.add_column("score", justify="right")
    for u, r in results.top(top_code, 10).iterrows():
        table.add_row(str(r["rank"]), str(u), str(r["uName"]), f"{r['score']:.2f}")
    console.print(table)
    if results.warnings:
        console.print(f"[yellow]{len(results.warnings)} warning(s):[/yellow]")
        for w in results.warnings:
            console.print(f"  - {w}", markup=False, highlight=False)
    console.print(
        f"Wrote scores.csv, ranks.csv, results.json and datasets/ ({', '.join(results.datasets)}) to {out}",
        markup=False,
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``build`` to the ``index`` command group."""

    @app.command("build")
    @handle_errors
    def build_cmd(
        meta: Path = typer.Option(..., "--meta", help="Indicator metadata (iMeta), CSV or XLSX."),
        data: Path = typer.Option(..., "--data", help="Unit data (iData), CSV or XLSX."),
        spec: Path = typer.Option(..., "--spec", help="Pipeline spec, YAML or JSON (CONTRACTS.md §1)."),
        out: Path = typer.Option(..., "--out", help="Output folder (written only if the build succeeds)."),
        json_out: bool = typer.Option(False, "--json", help="Print a machine summary (JSON) instead."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    ) -> None:
        """Build a composite indicator: scores.csv, ranks.csv, datasets/*.csv and results.json in OUT."""
        show = not quiet and not json_out and sys.stderr.isatty()
        with progress_bar(show, "building") as progress:
            results = run_build(meta, data, spec, out, progress=progress)
        if json_out:
            print_json(summary(results, out))
        elif not quiet:
            print_summary(results, out)
