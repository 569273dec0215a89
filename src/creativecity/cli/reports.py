"""``creativecity dossier``: the application dossier or the monitoring report as HTML, PDF or Word.

A thin layer over :func:`creativecity.reports.api.generate_dossier`: it parses options, shows a
progress bar while it works (off with ``--quiet`` or when output is not a terminal), and prints
what was written, or JSON with ``--json``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from creativecity.cli._support import DATABASE, console, err_console, handle_errors, print_json


def dossier_cmd(
    city: str = typer.Argument(..., help="Workspace name (hanoi is bundled) or workspace folder."),
    kind: str = typer.Option(..., "--kind", help="application | monitoring"),
    lang: str = typer.Option("vi", "--lang", help="vi | en"),
    out: Path = typer.Option(..., "--out", help="Output file (.html, .pdf or .docx)."),
    fmt: str | None = typer.Option(
        None, "--format", help="html | pdf | docx (default: from the suffix of --out)."
    ),
    as_of: int | None = typer.Option(
        None,
        "--as-of",
        help="Report as of this year: later figures ignored, network after its last round up to it.",
    ),
    rank_stats: Path | None = typer.Option(
        None, "--rank-stats", help="rank_stats.csv from 'index uncertainty' for the robustness annex."
    ),
    goal_plan: Path | None = typer.Option(
        None, "--goal-plan", help="plan.json from 'index goal' for a 'What it would take' section."
    ),
    word_limit: list[str] = typer.Option(
        [], "--word-limit", help="SECTION=WORDS, e.g. executive_summary=300 (repeatable; overrides defaults)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    database: str | None = DATABASE,
) -> None:
    """Write the application dossier or the Membership Monitoring Report of a city workspace."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from creativecity.reports.api import STEPS, generate_dossier

    show = not quiet and not json_out and console.is_terminal
    options = {
        "kind": kind,
        "lang": lang,
        "out": out,
        "fmt": fmt,
        "as_of": as_of,
        "rank_stats": rank_stats,
        "goal_plan": goal_plan,
        "word_limits": parse_word_limits(word_limit),
        "database": database,
    }
    if show:
        columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(f"{city} {kind} ({lang})", total=len(STEPS) - 1)

            def advance(label: str) -> None:
                bar.update(task, completed=STEPS.index(label), description=f"{city} {kind} ({lang}): {label}")

            result = generate_dossier(city, progress=advance, **options)  # type: ignore[arg-type]
    else:
        result = generate_dossier(city, **options)  # type: ignore[arg-type]
    if json_out:
        print_json(result)
        return
    console.print(f"wrote {result.path} ({result.format}, {result.size_bytes:,} bytes)", highlight=False)
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)


def parse_word_limits(items: list[str]) -> dict[str, int]:
    """``["executive_summary=300"]`` -> ``{"executive_summary": 300}``; bad items are exit 2."""
    from creativecity.errors import InputError
    from creativecity.reports.narrative import DEFAULT_WORD_LIMITS

    limits: dict[str, int] = {}
    for item in items:
        section, sep, words = item.partition("=")
        if not sep or not words.strip().isdigit() or int(words) < 1:
            raise InputError(
                f"{item!r}: expected SECTION=WORDS with WORDS a positive whole number",
                column="--word-limit",
                rule="SECTION=WORDS",
            )
        if section.strip() not in DEFAULT_WORD_LIMITS:
            known = ", ".join(sorted(DEFAULT_WORD_LIMITS))
            raise InputError(
                f"unknown section {section!r}; sections: {known}", column="--word-limit", rule="known section"
            )
        limits[section.strip()] = int(words)
    return limits


def register(app: typer.Typer) -> None:
    """Add ``dossier`` to the root command line."""
    app.command("dossier")(handle_errors(dossier_cmd))
