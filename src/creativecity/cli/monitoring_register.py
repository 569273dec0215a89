"""Command lines of the initiatives register and the network activity log.

``creativecity initiative add|list|show|edit|remove CITY`` and ``creativecity activity
add|list|remove CITY``. Each command turns its options into the record's flat form and hands it to
the monitoring library's checks (:func:`~creativecity.monitoring.initiatives.parse_initiative`,
:func:`~creativecity.monitoring.activities.parse_activity`), the same ones the folder, the Excel
sheet and the web form use; errors name the option at fault, exit code 2, and nothing is saved. Saves
go through the repository, so every change is in the workspace history with its old value.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from creativecity.cli._support import AS_ACCOUNT, DATABASE, console, handle_errors, print_json
from creativecity.cli.monitoring_dossier import _change
from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.activities import (
    ACTIVITY_KINDS,
    NetworkActivity,
    next_activity_id,
    parse_activity,
)
from creativecity.monitoring.initiatives import (
    AREAS_OF_ACTION,
    LEVELS,
    STATUSES,
    Initiative,
    next_initiative_id,
    parse_initiative,
)
from creativecity.monitoring.model import Workspace

initiative_app = typer.Typer(no_args_is_help=True, help="The initiatives register (local and inter-city).")
activity_app = typer.Typer(no_args_is_help=True, help="The network activity log (MMR section 3).")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _read(name: str, database: str | None) -> Workspace:
    """The workspace to read (the store's, or an exported folder given as a path)."""
    from creativecity.store.home import open_workspace

    return open_workspace(name, database)


def _option_errors(errors: list[InputError]) -> InputErrors:
    """Errors of the shared checks, naming the command-line option (``end_year`` -> ``--end-year``)."""
    out = []
    for e in errors:
        column = (e.column or "").split("(")[-1].rstrip(")")
        option = {"indicators": "indicator", "sources": "source", "partners": "partner"}.get(column, column)
        option = {"uccn_objectives": "objective", "areas": "area", "sdg_targets": "sdg"}.get(option, option)
        option = {"start_year": "start", "end_year": "end"}.get(option, option)
        out.append(InputError(e.message, column="--" + option.replace("_", "-"), rule=e.rule))
    return InputErrors(out)


def _find(ws: Workspace, item_id: str, attr: str) -> int:
    for i, item in enumerate(getattr(ws, attr)):
        if item.id == item_id:
            return i
    raise InputError(f"no {attr[:-1]} {item_id!r} in workspace {ws.name!r}", column="ID", rule="exists")


# -- initiatives ------------------------------------------------------------------------------------
_TEXT = ("name_vi", "name_en", "level", "status", "objectives_en", "objectives_vi", "results_en")
_TEXT2 = ("results_vi", "lead", "currency", "note")


def _cells(opts: dict[str, Any]) -> dict[str, Any]:
    """Options given (not None) as flat-form cells; repeated options become lists."""
    cells: dict[str, Any] = {}
    for key in (*_TEXT, *_TEXT2):
        if opts.get(key) is not None:
            cells[key] = opts[key]
    for key, column in (("start", "start_year"), ("end", "end_year")):
        if opts.get(key) is not None:
            cells[column] = opts[key]
    for key, column in (
        ("partner", "partners"),
        ("objective", "uccn_objectives"),
        ("area", "areas"),
        ("sdg", "sdg_targets"),
        ("indicator", "indicators"),
        ("source", "sources"),
    ):
        if opts.get(key):
            cells[column] = "; ".join(opts[key])
    if opts.get("budget"):
        cells["budget"] = "; ".join(opts["budget"])
    return cells


def _initiative_options() -> dict[str, Any]:
    return {
        "name_vi": typer.Option(None, "--name-vi", help="Vietnamese name."),
        "name_en": typer.Option(None, "--name-en", help="English name."),
        "level": typer.Option(None, "--level", help=f"One of: {', '.join(LEVELS)}."),
        "start": typer.Option(None, "--start", help="First year."),
        "end": typer.Option(None, "--end", help="Last year (none: open-ended)."),
        "status": typer.Option(None, "--status", help=f"One of: {', '.join(STATUSES)}."),
        "objectives_en": typer.Option(None, "--objectives-en", help="What it is for (English)."),
        "objectives_vi": typer.Option(None, "--objectives-vi", help="What it is for (Vietnamese)."),
        "results_en": typer.Option(None, "--results-en", help="What it achieved (English)."),
        "results_vi": typer.Option(None, "--results-vi", help="What it achieved (Vietnamese)."),
        "lead": typer.Option(None, "--lead", help="Body in charge."),
        "partner": typer.Option(None, "--partner", help="A partner (repeat)."),
        "budget": typer.Option(None, "--budget", help="YEAR=AMOUNT (repeat), e.g. 2026=1500."),
        "currency": typer.Option(None, "--currency", help="Currency of the budget."),
        "objective": typer.Option(None, "--objective", help="A UCCN objective 1-6 (repeat)."),
        "area": typer.Option(None, "--area", help=f"Area of action (repeat): {', '.join(AREAS_OF_ACTION)}."),
        "sdg": typer.Option(None, "--sdg", help="An SDG target such as 11.4 (repeat)."),
        "indicator": typer.Option(None, "--indicator", help="CODE[=TARGET[@YEAR]] (repeat)."),
        "source": typer.Option(None, "--source", help="Where it was read (repeat)."),
        "note": typer.Option(None, "--note", help="A note."),
    }


def _parse(ws: Workspace, cells: dict[str, Any]) -> Initiative:
    item, errors = parse_initiative(cells, file="", indicators=ws.indicator_codes())
    if item is None:
        raise _option_errors(errors)
    return item


def initiative_add(
    name: str = typer.Argument(..., help="Workspace name."),
    item_id: str | None = typer.Option(None, "--id", help="Id (default: next free ini-NNNN)."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
    **opts: Any,
) -> None:
    """Add an initiative to the register."""

    def edit(ws: Workspace) -> Initiative:
        cells = _cells(opts) | {"id": item_id or next_initiative_id(i.id for i in ws.initiatives)}
        item = _parse(ws, cells)
        if any(i.id == item.id for i in ws.initiatives):
            raise InputError(f"id {item.id!r} is already used", column="--id", rule="unique")
        ws.initiatives.append(item)
        return item

    item = _change(database, as_account, name, edit)
    if json_out:
        print_json(item.to_json())
        return
    console.print(f"{name}: initiative {item.id} added ({item.name('en')})")


def initiative_edit(
    name: str = typer.Argument(..., help="Workspace name."),
    item_id: str = typer.Argument(..., help="Initiative id (ini-0001)."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
    **opts: Any,
) -> None:
    """Change an initiative: only the options given change (a repeated option replaces the list)."""

    def edit(ws: Workspace) -> Initiative:
        index = _find(ws, item_id, "initiatives")
        new = _parse(ws, ws.initiatives[index].to_dict() | _cells(opts))
        ws.initiatives[index] = new
        return new

    item = _change(database, as_account, name, edit)
    if json_out:
        print_json(item.to_json())
        return
    console.print(f"{name}: initiative {item.id} changed")


def _with_options(func: Any) -> Any:
    """Give ``func`` the register's options as real typer parameters (typer reads the signature)."""
    import inspect
    import typing

    sig = inspect.signature(func)
    hints = typing.get_type_hints(func)  # the module's annotations are strings (PEP 563)
    params = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in sig.parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    types = {"start": int | None, "end": int | None}
    lists = {"partner", "budget", "objective", "area", "sdg", "indicator", "source"}
    for key, default in _initiative_options().items():
        annotation = list[str] | None if key in lists else types.get(key, str | None)
        params.append(
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        )

    def wrapper(**kwargs: Any) -> None:
        func(**kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = func.__name__
    return wrapper


def initiative_list(
    name: str = typer.Argument(..., help="Workspace name."),
    level: str | None = typer.Option(None, "--level", help=f"Only this level ({', '.join(LEVELS)})."),
    lang: str = typer.Option("en", "--lang", help="Language of the names (en, vi)."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """List the register (id, level, period, status, name, SDG targets, sources)."""
    ws = _read(name, database)
    if level is not None and level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}", column="--level", rule="level")
    items = [i for i in ws.initiatives if level is None or i.level == level]
    if json_out:
        print_json([i.to_json() for i in items])
        return
    if not items:
        console.print(f"{name}: the register is empty")
        return
    table = Table("id", "level", "period", "status", "name", "SDG", "sources")
    for i in items:
        table.add_row(
            i.id, i.level, i.period(), i.status, i.name(lang), ", ".join(i.sdg_targets), str(len(i.sources))
        )
    console.print(table)


def initiative_show(
    name: str = typer.Argument(..., help="Workspace name."),
    item_id: str = typer.Argument(..., help="Initiative id."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """Every field of one initiative."""
    ws = _read(name, database)
    item = ws.initiatives[_find(ws, item_id, "initiatives")]
    if json_out:
        print_json(item.to_json())
        return
    for key, value in item.to_dict().items():
        if value not in ("", None):
            console.print(f"[bold]{key}[/bold]: {value}", highlight=False)


def initiative_remove(
    name: str = typer.Argument(..., help="Workspace name."),
    item_id: str = typer.Argument(..., help="Initiative id."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Remove an initiative (its content stays in the audit trail)."""

    def edit(ws: Workspace) -> None:
        del ws.initiatives[_find(ws, item_id, "initiatives")]

    _change(database, as_account, name, edit)
    console.print(f"{name}: initiative {item_id} removed")


# -- activities -------------------------------------------------------------------------------------
def activity_add(
    name: str = typer.Argument(..., help="Workspace name."),
    date: str = typer.Option(..., "--date", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    kind: str = typer.Option(..., "--kind", help=f"One of: {', '.join(ACTIVITY_KINDS)}."),
    title_en: str = typer.Option("", "--title-en", help="Title in English."),
    title_vi: str = typer.Option("", "--title-vi", help="Title in Vietnamese."),
    evidence: str = typer.Option("", "--evidence", help="URL or document proving it (required)."),
    end_date: str = typer.Option("", "--end-date", help="Last date of a span."),
    place: str = typer.Option("", "--place", help="Where."),
    role: str = typer.Option("", "--role", help="host, participant, coordinator..."),
    note: str = typer.Option("", "--note", help="A note."),
    item_id: str | None = typer.Option(None, "--id", help="Id (default: next free net-NNNN)."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Log a contribution to the network, dated, with its evidence."""
    cells = {
        "id": item_id or "",
        "date": date,
        "end_date": end_date,
        "kind": kind,
        "title_en": title_en,
        "title_vi": title_vi,
        "place": place,
        "role": role,
        "evidence": evidence,
        "note": note,
    }

    def edit(ws: Workspace) -> NetworkActivity:
        found, errors = parse_activity(
            cells | {"id": cells["id"] or next_activity_id(a.id for a in ws.activities)}, file=""
        )
        if found is None:
            raise _option_errors(errors)
        if any(a.id == found.id for a in ws.activities):
            raise InputError(f"id {found.id!r} is already used", column="--id", rule="unique")
        ws.activities.append(found)
        return found

    item = _change(database, as_account, name, edit)
    if json_out:
        print_json(item.to_dict())
        return
    console.print(f"{name}: activity {item.id} logged ({item.date}, {item.kind})")


def activity_list(
    name: str = typer.Argument(..., help="Workspace name."),
    since: int | None = typer.Option(None, "--since", help="Only from this year on."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """The log in date order."""
    ws = _read(name, database)
    items = sorted((a for a in ws.activities if since is None or a.year >= since), key=lambda a: a.date)
    if json_out:
        print_json([a.to_dict() for a in items])
        return
    if not items:
        console.print(f"{name}: no network activity logged")
        return
    table = Table("id", "date", "kind", "title", "role", "evidence")
    for a in items:
        when = f"{a.date}/{a.end_date}" if a.end_date else a.date
        table.add_row(a.id, when, a.kind, a.title("en")[0], a.role, a.evidence)
    console.print(table)


def activity_remove(
    name: str = typer.Argument(..., help="Workspace name."),
    item_id: str = typer.Argument(..., help="Activity id (net-0001)."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Remove an activity (its content stays in the audit trail)."""

    def edit(ws: Workspace) -> None:
        del ws.activities[_find(ws, item_id, "activities")]

    _change(database, as_account, name, edit)
    console.print(f"{name}: activity {item_id} removed")


initiative_app.command("add")(handle_errors(_with_options(initiative_add)))
initiative_app.command("list")(handle_errors(initiative_list))
initiative_app.command("show")(handle_errors(initiative_show))
initiative_app.command("edit")(handle_errors(_with_options(initiative_edit)))
initiative_app.command("remove")(handle_errors(initiative_remove))
activity_app.command("add")(handle_errors(activity_add))
activity_app.command("list")(handle_errors(activity_list))
activity_app.command("remove")(handle_errors(activity_remove))


def register(app: typer.Typer) -> None:
    """Add ``initiative`` and ``activity`` to the root command line."""
    app.add_typer(initiative_app, name="initiative", help="The initiatives register (local and inter-city).")
    app.add_typer(activity_app, name="activity", help="The network activity log (MMR section 3).")
