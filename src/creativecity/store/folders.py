"""Workspace folders and the database: the one-time move of old folders, and folder import.

Before the database was the only home of workspaces, the command line kept each one as a folder of
CSV/YAML files under ``$CREATIVECITY_HOME/workspaces/<name>``. :func:`move_folders` moves such folders
into the database once: each is read and checked like any import, stored with its ``history.csv``
carried into the audit trail, and the folder is renamed ``<name>.in-database`` so that it is never
moved twice (and stays on disk, for the user to compare or delete).

A folder whose name the database already holds with different content (the web app kept its own copy)
is stored under a new name, ``<name>-from-files``: two versions of a city's figures are never merged
silently, and the message says which to compare.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from creativecity.errors import InputError, InputErrors
from creativecity.fileio import creativecity_home
from creativecity.monitoring.model import HistoryEntry, Workspace, valid_name
from creativecity.monitoring.storage import read_workspace
from creativecity.store import Store
from creativecity.store.audit import Actor
from creativecity.store.models import AuditEntry, utcnow
from creativecity.store.repository import load_workspace, save_workspace
from creativecity.store.workspaces import get_workspace

#: Suffix given to a folder once its workspace is in the database.
MOVED_SUFFIX = ".in-database"
#: Audit action of an entry carried over from a folder's ``history.csv``.
HISTORY_ACTION = "history"

Notify = Callable[[str], None]


def folders_root() -> Path:
    """Where the command line kept workspace folders: ``$CREATIVECITY_HOME/workspaces``."""
    return creativecity_home() / "workspaces"


def pending_folders(root: Path | None = None) -> list[Path]:
    """Workspace folders not yet moved into the database, by name.

    A folder counts when its name is a valid workspace name and it holds ``workspace.yaml``; a moved
    folder's name ends in :data:`MOVED_SUFFIX`, which no workspace name may contain.
    """
    base = folders_root() if root is None else root
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if valid_name(p.name) and (p / "workspace.yaml").is_file())


def _content(ws: Workspace) -> dict[str, object]:
    """What makes two versions of a workspace the same, whatever their history or name."""
    data = ws.to_dict()
    data.pop("history", None)
    data.pop("name", None)
    return data


def _at(timestamp: str) -> datetime:
    """A history timestamp as the audit log's naive UTC time (now, when it cannot be read)."""
    try:
        stamp = datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return utcnow()
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def history_rows(workspace_id: int, history: list[HistoryEntry]) -> list[AuditEntry]:
    """A folder's ``history.csv`` as audit rows, with their original time and author.

    They are marked with the action :data:`HISTORY_ACTION`, so the trail tells entries carried over from
    a file (what the file says happened) from changes this database saw being made.
    """
    return [
        AuditEntry(
            at=_at(h.timestamp),
            actor_email=_cut(h.user or "unknown", 320),
            workspace_id=workspace_id,
            action=HISTORY_ACTION,
            entity=_cut(h.entity or "workspace", 50),
            entity_id=_cut(h.entity_id, 100) or None,
            field=_cut(h.field, 100) or None,
            old_value=h.old or None,
            new_value=h.new or None,
        )
        for h in history
    ]


def store_new(store: Store, workspace: Workspace, actor: Actor) -> None:
    """Store a workspace under a name the database does not hold yet, with its folder history.

    One transaction: the workspace, its audited creation and the carried-over history commit together.
    """
    with store.transaction(actor) as session:
        if get_workspace(session, workspace.name) is not None:
            raise InputError(f"workspace {workspace.name!r} already exists", column="name", rule="unique")
        row = save_workspace(session, workspace)
        session.add_all(history_rows(row.id, workspace.history))


def _free_name(store: Store, base: str) -> str:
    with store.reading() as session:
        for i in range(1, 1000):
            name = f"{base}-from-files" + ("" if i == 1 else f"-{i}")
            if get_workspace(session, name) is None:
                return name
    raise InputError(f"no free name for a copy of {base!r}", column="name", rule="unique")


def _mark_moved(folder: Path) -> Path:
    """Rename ``folder`` so that it is not moved again; return the new path."""
    for i in range(1, 1000):
        target = folder.with_name(folder.name + MOVED_SUFFIX + ("" if i == 1 else f"-{i}"))
        if not target.exists():
            os.replace(folder, target)
            return target
    raise OSError(f"cannot rename {folder}: too many earlier copies")


def move_folders(store: Store, actor: Actor, notify: Notify, root: Path | None = None) -> list[str]:
    """Move every pending workspace folder into the database once; return the names stored.

    A folder with errors is left where it is, with a message listing them: it does not stop the
    command the user ran, and it is tried again next time (after the user fixes it).
    """
    moved = []
    for folder in pending_folders(root):
        try:
            ws = read_workspace(folder)
        except (InputError, InputErrors) as exc:
            notify(f"could not move workspace {folder.name!r} from {folder} into the database: {exc}")
            continue
        ws.name = folder.name
        with store.reading() as session:
            existing = (
                load_workspace(session, ws.name, history=False)
                if get_workspace(session, ws.name) is not None
                else None
            )
        if existing is not None and _content(existing) == _content(ws):
            try:
                done = _mark_moved(folder)
            except OSError:
                continue  # moved by another program meanwhile, or a read-only home: nothing to do
            notify(f"workspace {ws.name!r} from {folder} is already in the database (folder kept as {done})")
            continue
        if existing is not None:
            ws.name = _free_name(store, folder.name)
        try:
            store_new(store, ws, actor)
        except InputError:
            continue  # another program opening the store at the same moment moved it first
        try:
            kept = str(_mark_moved(folder))
        except OSError as exc:  # a read-only home: the next start finds the same content and says so
            kept = f"{folder} (could not rename it: {exc})"
        where = "" if ws.name == folder.name else f" as {ws.name!r} (it has another {folder.name!r})"
        notify(
            f"moved workspace {folder.name!r} from {folder} into the database{where}; folder kept as {kept}"
        )
        moved.append(ws.name)
    return moved


def import_folder(
    store: Store, name: str, path: str | os.PathLike[str], actor: Actor, *, dry_run: bool = False
) -> dict[str, object]:
    """Read a workspace folder (an export) into workspace ``name``: all of it, or nothing.

    The folder is read and checked first (every problem, each naming its file, row and column, and
    nothing written on any). A new name is created with the folder's ``history.csv`` carried into the
    audit trail; an existing workspace is replaced as a whole by the folder's content (rows the folder
    lacks are removed), every difference audited under ``actor``. Returns what was read.
    """
    from creativecity.store.home import check_may_change, create_workspace
    from creativecity.store.repository import SqlWorkspaceRepository

    ws = read_workspace(path)
    ws.name = name
    repo = SqlWorkspaceRepository(store.engine, actor=actor)
    exists = repo.exists(name)
    summary: dict[str, object] = ws.summary() | {"created": not exists, "dry_run": dry_run}
    if exists:
        check_may_change(store, actor, name)
    if dry_run:
        return summary
    if exists:
        repo.save(ws)
    else:
        create_workspace(store, ws, actor, history=True)
    return summary
