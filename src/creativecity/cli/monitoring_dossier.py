"""Command lines for the application-dossier parts of a workspace: contacts, attachments, names, limits.

``creativecity workspace contact|attach|city-name|word-limit`` change one item and save the workspace
through the repository, so that every change lands in the history with its old value (the same path
the web app takes). Each command checks its input with the rules used when the workspace is read, and
a rejected change writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer

from creativecity.cli._support import console, handle_errors, print_json
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


def _repo():  # type: ignore[no-untyped-def]
    from creativecity.monitoring.repository import FileWorkspaceRepository

    return FileWorkspaceRepository()


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
) -> None:
    """Set the contact of one role of the application form (only the options given change)."""
    repo = _repo()
    ws: Workspace = repo.get(name)
    if role not in CONTACT_ROLES:
        raise InputError(
            f"unknown role {role!r} (use {', '.join(CONTACT_ROLES)})", column="role", rule="contact role"
        )
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
    repo.save(ws)
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
) -> None:
    """Record a document of the attachments checklist as provided (with its files) or missing.

    Files that exist on this computer are checked: photos must be JPEG files of at most 3 MB each.
    Only the file names are stored in the workspace.
    """
    repo = _repo()
    ws: Workspace = repo.get(name)
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
    repo.save(ws)
    if json_out:
        print_json(new.to_dict())
        return
    console.print(f"{name}: {kind} {new.status}" + (f" ({new.files})" if new.files else ""))


def city_name_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    lang: str = typer.Argument(..., help="Language code (vi, en)."),
    city: str = typer.Argument(..., help="The city's name in that language (empty to remove)."),
) -> None:
    """Set the city's name in one language (``Hà Nội`` in vi); reports fall back to the stored city."""
    repo = _repo()
    ws: Workspace = repo.get(name)
    if lang not in ("vi", "en"):
        raise InputError(f"unknown language {lang!r} (use vi or en)", column="lang", rule="language")
    names = dict(ws.city_names)
    if city.strip():
        names[lang] = city.strip()
    else:
        names.pop(lang, None)
    ws.city_names = names
    repo.save(ws)
    console.print(f"{name}: city name ({lang}) = {ws.city_name(lang)}")


def word_limit_cmd(
    name: str = typer.Argument(..., help="Workspace name."),
    section: str = typer.Argument(..., help="Narrative section id."),
    words: int = typer.Argument(..., help="Word limit; 0 returns to the default."),
) -> None:
    """Set the word limit of one narrative section (0 = back to the documented default)."""
    repo = _repo()
    ws: Workspace = repo.get(name)
    limits = dict(ws.word_limits)
    if words == 0:
        if section not in KNOWN_SECTIONS:
            raise InputError(f"unknown section {section!r}", column="section", rule="section")
        limits.pop(section, None)
    else:
        checked, errors = check_word_limits({section: words}, "")
        if errors:
            raise InputErrors([InputError(e.message, column="SECTION/WORDS", rule=e.rule) for e in errors])
        limits.update(checked)
    ws.word_limits = limits
    repo.save(ws)
    console.print(f"{name}: {section} limit {limits.get(section, DEFAULT_WORD_LIMITS.get(section))} words")


def register(workspace_app: typer.Typer) -> None:
    """Add the dossier commands to ``creativecity workspace``."""
    workspace_app.command("contact")(handle_errors(contact_cmd))
    workspace_app.command("attach")(handle_errors(attach_cmd))
    workspace_app.command("city-name")(handle_errors(city_name_cmd))
    workspace_app.command("word-limit")(handle_errors(word_limit_cmd))
