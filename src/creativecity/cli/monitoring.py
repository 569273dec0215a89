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

from creativecity.cli._support import AS_ACCOUNT, DATABASE, console, err_console, handle_errors, print_json
from creativecity.cli.monitoring_dossier import register as register_dossier
from creativecity.cli.monitoring_report import STATUS_STYLE as STATUS_STYLE
from creativecity.cli.monitoring_report import default_lang, print_framework
from creativecity.cli.monitoring_report import print_report as print_report
from creativecity.errors import InputError
from creativecity.monitoring.rules import check_year

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


def _read(name_or_path: str, database: str | None):  # type: ignore[no-untyped-def]
    """The workspace to read: by name from the store, or a workspace folder (an export)."""
    from creativecity.store.home import open_workspace

    return open_workspace(name_or_path, database)


# -- monitor ----------------------------------------------------------------------------------------


def monitor_cmd(
    city: str = typer.Argument(..., help="Workspace name (hanoi is bundled) or folder."),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    lang: str = typer.Option(
        "", "--lang", help="vi | en (default: vi when LANG is Vietnamese, e.g. vi_VN.UTF-8, else en)."
    ),
    database: str | None = DATABASE,
) -> None:
    """Progress of a city workspace against its targets, pillar coverage, conflicts and stale figures."""
    from creativecity.monitoring.progress import monitor

    check_year(as_of, column="--as-of")
    if lang and lang not in {"vi", "en"}:
        raise InputError(f"unknown language {lang!r}; use vi or en", column="--lang", rule="lang")
    ws = _read(city, database)
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
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Create a workspace with its framework's indicators, in the database (shared with the web app)."""
    from creativecity.monitoring.create import new_workspace
    from creativecity.store.db import shown_url
    from creativecity.store.home import create_workspace, open_store

    fresh = new_workspace(name, city, country, field, framework, designation_year)
    with open_store(database) as store:
        ws = create_workspace(store, fresh, as_account)
        where = shown_url(store.url)
    if json_out:
        print_json(ws.summary())
        return
    console.print(
        f"created workspace [bold]{ws.name}[/bold] ({ws.city}, {ws.country_iso3}, {ws.creative_field}) "
        f"in {where}",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"{len(ws.indicators)} indicators from {ws.framework}; next: "
        f"creativecity workspace template {ws.framework} --out {name}.xlsx"
    )


@workspace_app.command("import")
@handle_errors
def import_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    file: Path = typer.Argument(
        ..., help="Excel workbook (.xlsx), CSV of observations / targets, or a workspace folder (export)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check only; change nothing."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    lang: str = typer.Option(
        "", "--lang", help="Language numbers typed as text follow: vi ('1.350' = 1350) or en."
    ),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Import figures and targets, or a whole workspace folder; on any problem nothing is imported.

    A workbook or CSV adds its rows to the workspace; rows whose id the workspace knows update it (the
    changes are listed). A folder (written by ``workspace export --dir``) is the whole workspace: it
    creates NAME, or replaces NAME's content with the folder's.
    """
    from rich.progress import Progress

    from creativecity.monitoring.importing import import_file
    from creativecity.store.folders import import_folder
    from creativecity.store.home import acting, open_store, repository_for

    if file.is_dir():
        with open_store(database) as store:
            summary = import_folder(store, name, file, acting(store, as_account), dry_run=dry_run)
        if json_out:
            print_json(summary)
            return
        if dry_run:
            action = "would create" if summary["created"] else "would replace the content of"
        else:
            action = "created" if summary["created"] else "replaced the content of"
        console.print(
            f"{action} {name} from {file}: {summary['observations']} observations, "
            f"{summary['targets']} targets, {summary['indicators']} indicators",
            highlight=False,
        )
        return
    show = not (quiet or json_out or not console.is_terminal)
    with open_store(database) as store, Progress(disable=not show, transient=True, console=console) as bar:
        task = bar.add_task(f"reading {file.name}", total=None)

        def step(sheet: str, done: int, total: int) -> None:
            bar.update(task, description=f"reading {file.name}: {sheet}", completed=done, total=total or None)

        repo = repository_for(store, as_account, changing=name)
        result = import_file(
            repo, name, file, dry_run=dry_run, user=repo.actor.email, progress=step, lang=lang or None
        )
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
    out: Path | None = typer.Option(None, "--out", help="FILE.xlsx: the Excel workbook."),
    folder: Path | None = typer.Option(
        None, "--dir", help="A folder of CSV/YAML files that diffs well in git (`workspace import` reads it)."
    ),
    database: str | None = DATABASE,
) -> None:
    """Export a workspace to its Excel workbook (--out) or to a folder of plain files (--dir)."""
    from creativecity.monitoring.excel import export_xlsx
    from creativecity.monitoring.storage import export_folder

    if (out is None) == (folder is None):
        raise InputError(
            "give either --out FILE.xlsx or --dir FOLDER", column="--out/--dir", rule="one output"
        )
    if out is not None and out.suffix.lower() != ".xlsx":
        folder, out = out, None  # `--out DIR` of earlier versions: a folder
    ws = _read(name, database)
    if out is not None:
        export_xlsx(ws, out)
    else:
        assert folder is not None
        export_folder(ws, folder)
    console.print(f"exported {name} to {out or folder}", highlight=False)


@workspace_app.command("validate")
@handle_errors
def validate_cmd(
    target: str = typer.Argument(..., help="Workspace name or folder."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """Check every file of a workspace; list all problems (exit 2) or confirm it is clean.

    Narratives under an unknown section id or language are warnings (printed, exit 0): no report
    would show them, which is usually a misspelt file name.
    """
    from creativecity.monitoring.application import narrative_warnings
    from creativecity.monitoring.texts import TEXT_LANGUAGES as LANGUAGES

    ws = _read(target, database)
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
def list_cmd(json_out: bool = JSON, database: str | None = DATABASE) -> None:
    """List the workspaces of the database (the web app shows the same ones)."""
    from creativecity.store.home import open_store
    from creativecity.store.repository import SqlWorkspaceRepository

    with open_store(database) as store:
        rows = SqlWorkspaceRepository(store.engine).list()
    if json_out:
        print_json(rows)
        return
    t = Table("name", "city", "country", "field", "framework", "observations", "targets")
    for r in rows:
        t.add_row(
            r["name"],
            r["city"],
            r["country_iso3"],
            r["creative_field"],
            r["framework"],
            str(r["observations"]),
            str(r["targets"]),
        )
    _print(t)


@workspace_app.command("show")
@handle_errors
def show_cmd(
    name: str = typer.Argument(..., help="Workspace name or folder."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """A workspace: description, indicators with their figures and sources, narratives."""
    ws = _read(name, database)
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
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Choose the preferred figure among conflicting ones of the same series and year (audited)."""
    from creativecity.store.home import open_store, repository_for

    with open_store(database) as store:
        obs = repository_for(store, as_account, changing=name).set_preferred(name, observation)
    console.print(
        f"{obs.id} ({obs.indicator} {obs.scope} {obs.reference_year}: {fmt(obs.value)}) is now preferred"
    )


@workspace_app.command("delete")
@handle_errors
def delete_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Delete a workspace from the database (the audit trail keeps its last content; export it first)."""
    from creativecity.store.home import open_store, repository_for, unknown_workspace

    with open_store(database) as store:
        repo = repository_for(store, as_account, changing=name, role="admin")
        if not repo.exists(name):
            raise unknown_workspace(store, name)
        if not yes and not typer.confirm(f"delete workspace {name!r} for everyone using this database?"):
            raise InputError("not confirmed; nothing deleted", column="--yes", rule="confirmation")
        repo.delete(name)
    console.print(f"deleted workspace {name}", highlight=False)


@workspace_app.command("peers")
@handle_errors
def peers_cmd(
    name: str = typer.Argument(..., help="Workspace name or folder."),
    peers: Path | None = typer.Option(
        None, "--peers", help="Your own peer CSV (city,country,indicator,value,unit,reference_year,source)."
    ),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """Cultural venues per 100,000 inhabitants beside world cities (context with caveats, not a ranking)."""
    from creativecity.monitoring.peers import compare_with_peers

    report = compare_with_peers(_read(name, database), peers, as_of)
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
    database: str | None = DATABASE,
) -> None:
    """The framework's tree (verified flags shown), or with --city the city's profile in it."""
    from creativecity.frameworks import load_framework
    from creativecity.monitoring.profile import profile

    if lang and lang not in {"vi", "en"}:
        raise InputError(f"unknown language {lang!r}; use vi or en", column="--lang", rule="lang")
    fw = load_framework(name)
    ws = _read(city, database) if city else None
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
