"""Command lines of UNESCO's forms and the texts written for them.

``creativecity form show application|mmr [--edition 2021] [--lang vi] [--json]`` prints a form's
sections with what each asks, its word limit and the status and source of each fact.
``creativecity workspace texts CITY [--kind application|mmr] [--lang en|fr]`` shows, section by section,
the working (Vietnamese) and submission texts with the word count against the limit, and flags a
translation older than its working text. ``creativecity workspace form-edition CITY KIND EDITION``
picks the edition a city answers.
"""

from __future__ import annotations

import typer
from rich.table import Table

from creativecity.cli._support import AS_ACCOUNT, DATABASE, console, handle_errors, print_json
from creativecity.errors import InputError
from creativecity.monitoring.forms import FORM_KINDS, FORM_LANGS, check_editions, kind_of, load_form
from creativecity.monitoring.model import Workspace
from creativecity.monitoring.texts import SUBMISSION_LANGUAGES, section_texts

form_app = typer.Typer(no_args_is_help=True, help="UNESCO's forms (application, MMR) as data.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _read(name: str, database: str | None) -> Workspace:
    from creativecity.store.home import open_workspace

    return open_workspace(name, database)


def form_show(
    kind: str = typer.Argument(..., help="application | mmr"),
    edition: str | None = typer.Option(None, "--edition", help="Edition (default: the latest bundled)."),
    lang: str = typer.Option("en", "--lang", help=f"Language of the headings: {', '.join(FORM_LANGS)}."),
    json_out: bool = JSON,
) -> None:
    """The sections of a form in order: number, heading, what it asks, word limit, status, source."""
    if lang not in FORM_LANGS:
        raise InputError(f"language must be one of {', '.join(FORM_LANGS)}", column="--lang", rule="lang")
    form = load_form(kind, edition)
    if json_out:
        print_json(form.to_dict())
        return
    console.print(f"[bold]{form.title.get(lang) or form.title['en']}[/bold] ({form.edition}, {form.status})")
    if form.note:
        console.print(form.note, highlight=False)
    table = Table("no.", "heading", "asks", "words", "status", "source", "filled from")
    for s in form.sections:
        limit = str(s.word_limit) if s.word_limit is not None else s.limit_kind
        table.add_row(s.number, s.heading[lang], s.asks, limit, s.status, s.source or "-", ", ".join(s.fills))
    console.print(table)
    for name, fact in form.rules.items():
        console.print(f"{name}: {fact.value} ({fact.status})", highlight=False)


def texts_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    kind: str = typer.Option("application", "--kind", help="application | mmr"),
    lang: str = typer.Option("en", "--lang", help="Submission language: en | fr."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """Each text section: submission words against the limit, empty or out-of-date translation."""
    if lang not in SUBMISSION_LANGUAGES:
        raise InputError("UNESCO accepts English or French only", column="--lang", rule="submission language")
    ws = _read(name, database)
    states = section_texts(ws, kind_of(kind), lang)
    if json_out:
        print_json([s.to_dict() for s in states])
        return
    table = Table("no.", "section", "vi words", f"{lang} words", "limit", "state")
    for s in states:
        flags = []
        if s.empty and s.section.fills != ("narrative",):
            flags.append("no text (filled from the workspace's data)")
        elif s.empty:
            flags.append("empty: write the text or 'No relevant information to provide'")
        if s.over_limit:
            flags.append(f"over the limit by {s.words - (s.limit or 0)}")
        if s.out_of_date:
            flags.append("translation out of date")
        limit = str(s.limit) if s.limit is not None else s.limit_kind
        table.add_row(
            s.section.number,
            s.section.id,
            str(s.to_dict()["working_words"]),
            str(s.words),
            limit,
            "; ".join(flags) or "ok",
        )
    console.print(table)


def form_edition_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    kind: str = typer.Argument(..., help=f"One of: {', '.join(FORM_KINDS)}."),
    edition: str = typer.Argument(..., help="A bundled edition (see `creativecity form show`)."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Pick the edition of a form the city answers (its sections and limits follow)."""
    from creativecity.cli.monitoring_dossier import _change

    checked, errors = check_editions({kind: edition}, "")
    if errors:
        raise InputError(errors[0].message, column="KIND/EDITION", rule=errors[0].rule)

    def edit(ws: Workspace) -> None:
        ws.form_editions = {**ws.form_editions, **checked}

    _change(database, as_account, name, edit)
    console.print(f"{name}: {kind} form, edition {edition}")


def calendar_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
) -> None:
    """Next Membership Monitoring Report due (designation year + 4k) and the calls' deadlines."""
    from creativecity.monitoring.calendar import city_calendar

    cal = city_calendar(_read(name, database))
    if json_out:
        print_json(cal.to_dict())
        return
    if cal.next_mmr_due is None:
        console.print(f"{cal.city}: not designated (no designation year): no report is due")
    else:
        console.print(
            f"{cal.city}: designated {cal.designation_year}; a Membership Monitoring Report every "
            f"{cal.period_years} years; next due [bold]{cal.next_mmr_due}[/bold]"
            + (f" (earlier: {', '.join(map(str, cal.past_reports_due))})" if cal.past_reports_due else "")
        )
    table = Table("call", "UNESCO deadline", "status", "source")
    for c in cal.calls:
        table.add_row(str(c.year), c.deadline or "not known", c.status, c.source or c.note or "-")
    console.print(table)


form_app.command("show")(handle_errors(form_show))


def register(app: typer.Typer) -> None:
    """Add ``form`` and ``calendar`` to the root command line."""
    app.add_typer(form_app, name="form", help="UNESCO's forms (application, MMR) as data.")
    app.command("calendar")(handle_errors(calendar_cmd))


def register_workspace(workspace_app: typer.Typer) -> None:
    """Add ``texts`` and ``form-edition`` to ``creativecity workspace``."""
    workspace_app.command("texts")(handle_errors(texts_cmd))
    workspace_app.command("form-edition")(handle_errors(form_edition_cmd))
