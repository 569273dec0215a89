"""Command lines for the application-dossier parts of a workspace: contacts, attachments, names, limits.

``creativecity workspace contact|attach|city-name|word-limit`` change one item and save the workspace
through the store's repository, so that every change lands in the audit trail with its old value and
the acting account (``--as``) or operating-system user, as a change made in the web app does. Each
command checks its input with the rules used when the workspace is read, and a rejected change writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer

from creativecity.cli._support import AS_ACCOUNT, DATABASE, console, handle_errors, print_json
from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.application import (
    ATTACHMENT_KINDS,
    CONTACT_ROLES,
    DEFAULT_WORD_LIMITS,
    KNOWN_SECTIONS,
    Attachment,
    Contact,
    check_attachments,
    check_contacts,
    check_photo_sizes,
    check_word_limits,
)
from creativecity.monitoring.model import Workspace

JSON = typer.Option(False, "--json", help="Print JSON.")


T = TypeVar("T")


def _change(database: str | None, account: str | None, name: str, edit: Callable[[Workspace], T]) -> T:
    """Apply ``edit`` (which checks its input) to workspace ``name`` in the store, in one transaction.

    Only what ``edit`` changed is written, audited under ``--as`` or the operating-system user; an
    ``edit`` that raises writes nothing, and a change made meanwhile in the web app is kept.
    """
    from creativecity.store.home import open_store, repository_for

    with open_store(database) as store:
        return repository_for(store, account, changing=name).edit(name, edit)


def _as_options(errors: list[InputError]) -> InputErrors:
    """Errors of the shared checks, re-worded to name the command-line option at fault."""
    return InputErrors([InputError(e.message, column=f"--{e.column}", rule=e.rule) for e in errors])


def _replace(items: list, key: str, value: str, new: object) -> list:  # type: ignore[type-arg]
    """``items`` with the one whose ``key`` is ``value`` replaced by ``new`` (appended if absent)."""
    out = [new if getattr(x, key) == value else x for x in items]
    if not any(getattr(x, key) == value for x in items):
        out.append(new)
    return out


def contact_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    role: str = typer.Argument(..., help=f"One of: {', '.join(CONTACT_ROLES)}."),
    person: str | None = typer.Option(None, "--name", help="Full name."),
    title: str | None = typer.Option(None, "--title", help="Title or position."),
    organisation: str | None = typer.Option(None, "--organisation", help="Organisation."),
    email: str | None = typer.Option(None, "--email", help="E-mail address."),
    phone: str | None = typer.Option(None, "--phone", help="Telephone."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Set the contact of one role of the application form (only the options given change)."""
    if role not in CONTACT_ROLES:
        raise InputError(
            f"unknown role {role!r} (use {', '.join(CONTACT_ROLES)})", column="role", rule="contact role"
        )

    def edit(ws: Workspace) -> Contact:
        old = next((c for c in ws.contacts if c.role == role), Contact(role))
        new = Contact(
            role,
            old.name if person is None else person.strip(),
            old.title if title is None else title.strip(),
            old.organisation if organisation is None else organisation.strip(),
            old.email if email is None else email.strip(),
            old.phone if phone is None else phone.strip(),
        )
        errors = check_contacts([new], "")
        if errors:
            raise _as_options(errors)
        ws.contacts = _replace(ws.contacts, "role", role, new)
        return new

    new = _change(database, as_account, name, edit)
    if json_out:
        print_json(new.to_dict())
        return
    console.print(f"{name}: contact {role} = {new.name or '(no name)'}")


def attach_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    kind: str = typer.Argument(..., help=f"One of: {', '.join(ATTACHMENT_KINDS)}."),
    files: list[Path] = typer.Argument(None, help="The file(s); two support letters, three photos."),
    missing: bool = typer.Option(False, "--missing", help="Mark the document as missing again."),
    note: str | None = typer.Option(None, "--note", help="A note (e.g. 'signed copy on its way')."),
    json_out: bool = JSON,
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Record a document of the attachments checklist as provided (with its files) or missing.

    Files that exist on this computer are checked: photos must be JPEG files of at most 3 MB each.
    Only the file names are stored in the workspace.
    """

    def edit(ws: Workspace) -> Attachment:
        old = next((a for a in ws.attachments if a.kind == kind), Attachment(kind))
        names = [] if missing else [p.name for p in (files or [])]
        new = Attachment(
            kind,
            "missing" if missing else "provided",
            "; ".join(names),
            old.note if note is None else note.strip(),
        )
        errors = check_attachments([new], "")
        if errors:
            raise InputErrors(
                [InputError(e.message, column=(e.column or "").upper(), rule=e.rule) for e in errors]
            )
        if kind == "photos" and not missing:
            for path in files or []:
                errors += check_photo_sizes(Attachment("photos", files=path.name), path.parent)
        if errors:
            raise InputErrors(errors)
        ws.attachments = _replace(ws.attachments, "kind", kind, new)
        return new

    new = _change(database, as_account, name, edit)
    if json_out:
        print_json(new.to_dict())
        return
    console.print(f"{name}: {kind} {new.status}" + (f" ({new.files})" if new.files else ""))


def city_name_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    lang: str = typer.Argument(..., help="Language code (vi, en)."),
    city: str = typer.Argument(..., help="The city's name in that language (empty to remove)."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Set the city's name in one language (``Hà Nội`` in vi); reports fall back to the stored city."""
    if lang not in ("vi", "en"):
        raise InputError(f"unknown language {lang!r} (use vi or en)", column="lang", rule="language")

    def edit(ws: Workspace) -> str:
        names = dict(ws.city_names)
        if city.strip():
            names[lang] = city.strip()
        else:
            names.pop(lang, None)
        ws.city_names = names
        return ws.city_name(lang)

    shown = _change(database, as_account, name, edit)
    console.print(f"{name}: city name ({lang}) = {shown}")


def word_limit_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    section: str = typer.Argument(..., help="Narrative section id."),
    words: int = typer.Argument(..., help="Word limit; 0 returns to the default."),
    database: str | None = DATABASE,
    as_account: str | None = AS_ACCOUNT,
) -> None:
    """Set the word limit of one narrative section (0 = back to the documented default)."""
    if words == 0:
        if section not in KNOWN_SECTIONS:
            raise InputError(f"unknown section {section!r}", column="section", rule="section")
        checked: dict[str, int] = {}
    else:
        checked, errors = check_word_limits({section: words}, "")
        if errors:
            raise InputErrors([InputError(e.message, column="SECTION/WORDS", rule=e.rule) for e in errors])

    def edit(ws: Workspace) -> int | None:
        limits = dict(ws.word_limits)
        limits.pop(section, None)
        limits.update(checked)
        ws.word_limits = limits
        return limits.get(section, DEFAULT_WORD_LIMITS.get(section))

    limit = _change(database, as_account, name, edit)
    console.print(f"{name}: {section} limit {limit} words")


def register(workspace_app: typer.Typer) -> None:
    """Add the dossier commands to ``creativecity workspace``."""
    workspace_app.command("contact")(handle_errors(contact_cmd))
    workspace_app.command("attach")(handle_errors(attach_cmd))
    workspace_app.command("city-name")(handle_errors(city_name_cmd))
    workspace_app.command("word-limit")(handle_errors(word_limit_cmd))
