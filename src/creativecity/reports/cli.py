"""``creativecity dossier``: the application dossier or the monitoring report as HTML, PDF or Word.

A thin layer over :func:`creativecity.reports.api.generate_dossier`: it parses options, shows a
spinner while WeasyPrint works (off with ``--quiet`` or when output is not a terminal), and prints
what was written, or JSON with ``--json``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from creativecity.cli_support import console, err_console, handle_errors, print_json


def dossier_cmd(
    city: str = typer.Argument(..., help="Workspace name (hanoi is bundled) or workspace folder."),
    kind: str = typer.Option(..., "--kind", help="application | monitoring"),
    lang: str = typer.Option("vi", "--lang", help="vi | en"),
    out: Path = typer.Option(..., "--out", help="Output file (.html, .pdf or .docx)."),
    fmt: str | None = typer.Option(
        None, "--format", help="html | pdf | docx (default: from the suffix of --out)."
    ),
    as_of: int | None = typer.Option(None, "--as-of", help="Year of the network snapshot (default: latest)."),
    rank_stats: Path | None = typer.Option(
        None, "--rank-stats", help="rank_stats.csv from 'index uncertainty' for the robustness annex."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
) -> None:
    """Write the application dossier or the Membership Monitoring Report of a city workspace."""
    from creativecity.reports.api import generate_dossier

    show = not quiet and not json_out and console.is_terminal
    if show:
        with console.status(f"Writing the {kind} report of {city} ({lang}) ..."):
            result = generate_dossier(
                city, kind=kind, lang=lang, out=out, fmt=fmt, as_of=as_of, rank_stats=rank_stats
            )
    else:
        result = generate_dossier(
            city, kind=kind, lang=lang, out=out, fmt=fmt, as_of=as_of, rank_stats=rank_stats
        )
    if json_out:
        print_json(result)
        return
    console.print(f"wrote {result.path} ({result.format}, {result.size_bytes:,} bytes)", highlight=False)
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``dossier`` to the root command line."""
    app.command("dossier")(handle_errors(dossier_cmd))
