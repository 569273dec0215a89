"""``creativecity monitor``, ``creativecity workspace ...`` and ``creativecity framework ...``.

A thin printing layer: every command calls the library, gets a typed result and prints it as a rich table
or, with ``--json``, as JSON. Errors go through :func:`~creativecity.cli._support.handle_errors` (exit 2 for
bad input, naming file/sheet, row and column).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from creativecity.cli._support import console, err_console, handle_errors, print_json
from creativecity.cli.monitoring_dossier import register as register_dossier
from creativecity.cli.monitoring_report import STATUS_STYLE as STATUS_STYLE
from creativecity.cli.monitoring_report import default_lang, print_framework
from creativecity.cli.monitoring_report import print_report as print_report
from creativecity.errors import InputError

JSON = typer.Option(False, "--json", help="Print JSON.")
AS_OF = typer.Option(None, "--as-of", help="Year: ignore figures dated after it (default: this year).")


workspace_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="City workspaces: figures and targets."
)
framework_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Creative-city frameworks.")


def fmt(value: float | None, pct: bool = False) -> str:
    """Numbers for tables: thousands separators for large values, 3 significant digits otherwise."""
    if value is None:
        return "–"
    if pct:
        return f"{value * 100:+.1f} %"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _print(renderable: object) -> None:
    """Print a table; off a terminal rich would wrap at 80 columns, so use a wide fixed width."""
    if console.is_terminal:
        console.print(renderable)
    else:
        Console(width=170, highlight=False).print(renderable)


def _repo():  # type: ignore[no-untyped-def]
    from creativecity.monitoring.repository import FileWorkspaceRepository

    return FileWorkspaceRepository()


# -- monitor ----------------------------------------------------------------------------------------


def monitor_cmd(
    city: str = typer.Argument(..., help="Workspace name (hanoi is bundled) or folder."),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    lang: str = typer.Option(
        "", "--lang", help="vi | en (default: vi when LANG is Vietnamese, e.g. vi_VN.UTF-8, else en)."
    ),
) -> None:
    """Progress of a city workspace against its targets, pillar coverage, conflicts and stale figures."""
    from creativecity.monitoring.progress import monitor
    from creativecity.monitoring.repository import open_workspace

    if as_of is not None and not 1900 <= as_of <= 2100:
        raise InputError(f"{as_of} is outside 1900-2100", column="--as-of", rule="year range")
    if lang and lang not in {"vi", "en"}:
        raise InputError(f"unknown language {lang!r}; use vi or en", column="--lang", rule="lang")
    ws = open_workspace(city)
    report = monitor(ws, as_of)
    if json_out:
        print_json(report)
        return
    print_report(report, lang=lang or default_lang(), ws=ws)


# -- workspace ----------------------------------------------------------------------------------------


@workspace_app.command("new")
@handle_errors
def new_cmd(
    name: str = typer.Argument(..., help="Workspace name: lower-case letters, digits, - and _."),
    city: str = typer.Option(..., "--city", help="City name."),
    country: str = typer.Option(..., "--country", help="ISO3 code (VNM) or English country name."),
    field: str = typer.Option(..., "--field", help="UCCN creative field, e.g. Design."),
    framework: str = typer.Option("creative_city_pillars", "--framework", help="Framework of indicators."),
    designation_year: int | None = typer.Option(None, "--designation-year", help="Year designated."),
    json_out: bool = JSON,
) -> None:
    """Create a workspace with its framework's indicators (stored under $CREATIVECITY_HOME)."""
    from creativecity.monitoring.create import new_workspace

    repo = _repo()
    ws = repo.create(new_workspace(name, city, country, field, framework, designation_year))
    if json_out:
        print_json(ws.summary())
        return
    console.print(
        f"created workspace [bold]{ws.name}[/bold] ({ws.city}, {ws.country_iso3}, {ws.creative_field}) "
        f"at {repo.path(name)}"
    )
    console.print(
        f"{len(ws.indicators)} indicators from {ws.framework}; next: "
        f"creativecity workspace template {ws.framework} --out {name}.xlsx"
    )


@workspace_app.command("import")
@handle_errors
def import_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    file: Path = typer.Argument(..., help="Excel template (.xlsx) or CSV of observations / targets."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check only; change nothing."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    lang: str = typer.Option(
        "", "--lang", help="Language numbers typed as text follow: vi ('1.350' = 1350) or en."
    ),
    json_out: bool = JSON,
) -> None:
    """Import figures and targets; on any problem nothing is imported and all problems are listed.

    Rows whose id the workspace knows update it (the changes are listed); new rows are added.
    """
    from rich.progress import Progress

    from creativecity.monitoring.importing import import_file

    with Progress(
        disable=quiet or json_out or not console.is_terminal, transient=True, console=console
    ) as bar:
        task = bar.add_task(f"reading {file.name}", total=None)

        def step(sheet: str, done: int, total: int) -> None:
            bar.update(task, description=f"reading {file.name}: {sheet}", completed=done, total=total or None)

        result = import_file(_repo(), name, file, dry_run=dry_run, progress=step, lang=lang or None)
    if json_out:
        print_json(result)
        return
    verb = "would import" if dry_run else "imported"
    for change in result.changes:
        console.print(
            f"{change['entity']} {change['id']} {change['field']}: {change['old']!r} -> {change['new']!r}",
            markup=False,
        )
    if result.changes:
        console.print(
            f"{'would update' if dry_run else 'updated'}: {len(result.updated_observations)} observations, "
            f"{len(result.updated_targets)} targets"
        )
    console.print(
        f"{verb} into {name}: {len(result.observations)} observations, {len(result.targets)} targets, "
        f"{len(result.indicators)} new indicators, {len(result.units)} new units, "
        f"{len(result.mapping)} mapping rows"
        + (
            f"; dossier: {len(result.action_plan)} action items, {len(result.narratives)} narratives, "
            f"{len(result.contacts)} contacts, {len(result.attachments)} attachments, "
            f"{len(result.city_names)} city names, {len(result.word_limits)} word limits"
            if result.action_plan
            or result.narratives
            or result.contacts
            or result.attachments
            or result.city_names
            or result.word_limits
            else ""
        )
    )


@workspace_app.command("export")
@handle_errors
def export_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    out: Path = typer.Option(..., "--out", help="FILE.xlsx (Excel template) or a folder (CSV/YAML files)."),
) -> None:
    """Export a workspace to its Excel template or to a folder of plain files."""
    from creativecity.monitoring.excel import export_xlsx
    from creativecity.monitoring.storage import write_workspace

    ws = _repo().get(name)
    if out.suffix.lower() == ".xlsx":
        export_xlsx(ws, out)
    else:
        if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / "workspace.yaml").is_file())
        ):
            raise InputError(
                "exists and is not a workspace folder; choose a new or empty folder",
                file=str(out),
                rule="no overwrite",
            )
        write_workspace(ws, out)
    console.print(f"exported {name} to {out}")


@workspace_app.command("validate")
@handle_errors
def validate_cmd(
    target: str = typer.Argument(..., help="Workspace name or folder."), json_out: bool = JSON
) -> None:
    """Check every file of a workspace; list all problems (exit 2) or confirm it is clean.

    Narratives under an unknown section id or language are warnings (printed, exit 0): no report
    would show them, which is usually a misspelt file name.
    """
    from creativecity.monitoring.application import narrative_warnings
    from creativecity.monitoring.model import LANGUAGES
    from creativecity.monitoring.repository import open_workspace

    ws = open_workspace(target)
    warnings = narrative_warnings(ws.narratives, LANGUAGES)
    if json_out:
        print_json({"valid": True, **ws.summary(), "warnings": warnings})
        return
    s = ws.summary()
    for w in warnings:
        err_console.print(f"[yellow]warning:[/yellow] {w}")
    console.print(
        f"{target}: valid ({s['observations']} observations, {s['targets']} targets, "
        f"{s['indicators']} indicators)"
    )


@workspace_app.command("template")
@handle_errors
def template_cmd(
    framework: str = typer.Argument(..., help="Framework name (see `creativecity framework list`)."),
    out: Path = typer.Option(..., "--out", help="FILE.xlsx to write."),
) -> None:
    """Write the empty Excel template of a framework (drop-downs, instructions in Vietnamese and English)."""
    from creativecity.monitoring.excel import write_template

    if out.suffix.lower() != ".xlsx":
        raise InputError("the template is an .xlsx file", file=str(out), column="--out", rule="file type")
    write_template(framework, out)
    console.print(f"wrote {out}")


@workspace_app.command("list")
@handle_errors
def list_cmd(json_out: bool = JSON) -> None:
    """List workspaces (yours and the bundled ones)."""
    rows = _repo().list()
    if json_out:
        print_json(rows)
        return
    t = Table("name", "city", "country", "field", "framework", "observations", "targets", "origin")
    for r in rows:
        t.add_row(
            r["name"],
            r["city"],
            r["country_iso3"],
            r["creative_field"],
            r["framework"],
            str(r["observations"]),
            str(r["targets"]),
            r["origin"],
        )
    _print(t)


@workspace_app.command("show")
@handle_errors
def show_cmd(
    name: str = typer.Argument(..., help="Workspace name or folder."), json_out: bool = JSON
) -> None:
    """A workspace: description, indicators with their figures and sources, narratives."""
    from creativecity.monitoring.repository import open_workspace

    ws = open_workspace(name)
    if json_out:
        print_json(ws)
        return
    console.print(
        f"[bold]{ws.city}[/bold] ({ws.name}) — {ws.country_iso3}, {ws.creative_field}, "
        f"designated {ws.designation_date or ws.designation_year or '–'}"
    )
    if ws.description:
        console.print(ws.description, highlight=False)
    t = Table("id", "indicator", "scope", "value", "unit", "year", "certainty", "pref.", "source")
    for o in sorted(ws.observations, key=lambda o: (o.indicator, o.scope, o.reference_year or 0)):
        pref = {True: "yes", False: "no", None: ""}[o.preferred]
        t.add_row(
            o.id,
            o.indicator,
            o.scope,
            fmt(o.value),
            o.unit,
            str(o.reference_year or "undated"),
            o.certainty,
            pref,
            o.source,
        )
    _print(t)
    tt = Table("id", "indicator", "scope", "target", "year", "instrument")
    for g in ws.targets:
        tt.add_row(
            g.id, g.indicator, g.scope, f"{fmt(g.target_value)} {g.unit}", str(g.target_year), g.instrument
        )
    _print(tt)
    if ws.narratives:
        console.print("narratives: " + ", ".join(f"{s} ({lang})" for s, lang in sorted(ws.narratives)))
    names = ", ".join(f"{lang}: {n}" for lang, n in sorted(ws.city_names.items())) or "–"
    filled = [c.role for c in ws.contacts if c.name]
    provided = [a.kind for a in ws.attachments if a.status == "provided"]
    console.print(
        f"dossier: city names {names}; contacts {len(filled)}/{len(ws.contacts)} named; "
        f"attachments {len(provided)}/{len(ws.attachments)} provided"
        + (f"; word limits {ws.word_limits}" if ws.word_limits else ""),
        highlight=False,
    )


@workspace_app.command("prefer")
@handle_errors
def prefer_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    observation: str = typer.Argument(..., help="Id of the figure to prefer (e.g. obs-0008)."),
) -> None:
    """Choose the preferred figure among conflicting ones of the same series and year (kept in history)."""
    obs = _repo().set_preferred(name, observation)
    console.print(
        f"{obs.id} ({obs.indicator} {obs.scope} {obs.reference_year}: {fmt(obs.value)}) is now preferred"
    )


@workspace_app.command("peers")
@handle_errors
def peers_cmd(
    name: str = typer.Argument(..., help="Workspace name or folder."),
    peers: Path | None = typer.Option(
        None, "--peers", help="Your own peer CSV (city,country,indicator,value,unit,reference_year,source)."
    ),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
) -> None:
    """Cultural venues per 100,000 inhabitants beside world cities (context with caveats, not a ranking)."""
    from creativecity.monitoring.peers import compare_with_peers
    from creativecity.monitoring.repository import open_workspace

    report = compare_with_peers(open_workspace(name), peers, as_of)
    if json_out:
        print_json(report)
        return
    if report.population is None:
        console.print(
            "[yellow]no population figure for the city in the workspace: "
            "per-capita values not computed[/yellow]"
        )
    else:
        console.print(
            f"{report.city}: population {fmt(report.population)} "
            f"({report.population_year}; {report.population_source})"
        )
    for c in report.comparisons:
        t = Table(
            "city",
            "per 100,000",
            "value",
            "unit",
            "year",
            title=f"{c.indicator}: {report.city} {fmt(c.city_per_100k)} per 100,000 "
            f"({fmt(c.city_value)} in {c.city_year or '–'})",
            title_justify="left",
        )
        for p in c.peers:
            t.add_row(p.city, fmt(p.per_100k), fmt(p.value), p.unit, str(p.reference_year or "–"))
        _print(t)
        if c.note:
            console.print(f"[dim]{c.note}[/dim]")
    for cav in report.caveats:
        console.print(f"[yellow]caveat:[/yellow] {cav}", highlight=False)


# -- framework ----------------------------------------------------------------------------------------


@framework_app.command("list")
@handle_errors
def framework_list_cmd(json_out: bool = JSON) -> None:
    """The shipped frameworks, with how much of each is verified."""
    from creativecity.frameworks import list_frameworks, load_framework

    rows = [load_framework(n).summary() for n in list_frameworks()]
    if json_out:
        print_json(rows)
        return
    t = Table("name", "title", "kind", "groups", "indicators", "verified")
    for r in rows:
        ver = "yes" if r["verified"] else f"[yellow]no ({r['unverified_nodes']} unverified rows)[/yellow]"
        t.add_row(r["name"], r["title"], r["kind"], str(r["groups"]), str(r["indicators"]), ver)
    _print(t)


@framework_app.command("show")
@handle_errors
def framework_show_cmd(
    name: str = typer.Argument(..., help="Framework name."),
    city: str | None = typer.Option(None, "--city", help="Workspace to profile with this framework."),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    lang: str = typer.Option("", "--lang", help="vi | en (default: vi when LANG is Vietnamese, else en)."),
) -> None:
    """The framework's tree (verified flags shown), or with --city the city's profile in it."""
    from creativecity.frameworks import load_framework, profile
    from creativecity.monitoring.repository import open_workspace

    if lang and lang not in {"vi", "en"}:
        raise InputError(f"unknown language {lang!r}; use vi or en", column="--lang", rule="lang")
    fw = load_framework(name)
    ws = open_workspace(city) if city else None
    prof = profile(fw, ws, as_of) if ws is not None else None
    if json_out:
        print_json(prof if prof is not None else fw)
        return
    print_framework(fw, prof, lang or default_lang(), ws, console)


def register(app: typer.Typer) -> None:
    """Add ``monitor``, ``workspace`` and ``framework`` to the root command line."""
    if "contact" not in {c.name for c in workspace_app.registered_commands}:
        register_dossier(workspace_app)  # contact, attach, city-name, word-limit (listed last)
    app.command("monitor")(handle_errors(monitor_cmd))
    app.add_typer(
        workspace_app, name="workspace", help="City workspaces: figures, targets, Excel import/export."
    )
    app.add_typer(
        framework_app, name="framework", help="Creative-city frameworks (CCCM, Culture|2030, pillars)."
    )
