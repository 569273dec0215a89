"""The one way into the store, for the command line, the Python API and the web app alike.

A city team uses both an analyst's scripts and the officers' browser, so all of them must read and
change the same workspaces. :func:`open_store` is the single entry: it picks the database (argument,
else ``$CREATIVECITY_DATABASE_URL``, else the SQLite file in ``$CREATIVECITY_HOME``), brings its schema
to the newest migration, loads the bundled ``hanoi`` into a database that never held a workspace, and
moves the workspace folders of earlier versions into it once. :func:`open_repository` gives the
monitoring library's repository on it, acting for a named account or the operating-system user, so every
change lands in the audit trail with who made it.

Typical use::

    from creativecity.store import open_repository
    repo = open_repository("analyst@example.org")      # a known account; None = the OS user
    repo.set_preferred("hanoi", "obs-0008")
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from creativecity.errors import InputError
from creativecity.monitoring.model import Workspace
from creativecity.monitoring.repository import current_user
from creativecity.monitoring.storage import read_workspace
from creativecity.store import Store, accounts
from creativecity.store.audit import Actor
from creativecity.store.bootstrap import load_bundled
from creativecity.store.db import database_url
from creativecity.store.folders import move_folders, pending_folders, store_new
from creativecity.store.models import User
from creativecity.store.repository import SqlWorkspaceRepository
from creativecity.store.workspaces import get_workspace, list_workspaces

#: Prefix of the audit actor for a command-line change made without ``--as`` (``cli:ana``).
OS_ACTOR_PREFIX = "cli:"


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def open_store(
    url: str | None = None,
    *,
    bootstrap: bool = True,
    move: bool = True,
    notify: Callable[[str], None] | None = None,
) -> Store:
    """The migrated store every entry point uses (close it with :meth:`Store.dispose` or ``with``).

    Parameters
    ----------
    url
        SQLAlchemy URL or SQLite path; default ``$CREATIVECITY_DATABASE_URL``, else
        ``$CREATIVECITY_HOME/creativecity.sqlite``.
    bootstrap
        Load the bundled workspaces into a database that never held one.
    move
        Move workspace folders kept under ``$CREATIVECITY_HOME/workspaces`` into the database (once).
    notify
        Receives one sentence per folder moved (default: printed on stderr).
    """
    store = Store.open(database_url(url))
    try:
        if bootstrap:
            load_bundled(store, skip={p.name for p in pending_folders()} if move else ())
        if move:
            move_folders(store, os_actor(), notify or _stderr)
    except BaseException:
        store.dispose()
        raise
    return store


def os_actor() -> Actor:
    """The operating-system user as the audit actor (``cli:`` + ``$CREATIVECITY_USER`` or login name)."""
    return Actor(email=OS_ACTOR_PREFIX + current_user())


def acting(store: Store, email: str | None = None) -> Actor:
    """Who a command acts as: the active account ``email`` (``--as``), else the operating-system user.

    Raises
    ------
    InputError
        ``email`` names no account of this database, or a deactivated one (exit 2 on the command line).
    """
    if email is None:
        return os_actor()
    with store.reading() as session:
        user = accounts.get_user(session, email)
        if user is None or not user.is_active:
            state = "an account" if user is None else "an active account"
            raise InputError(
                f"{email!r} is not {state} of this database (see `creativecity user list`)",
                column="--as",
                rule="known user",
            )
        return Actor(email=user.email, user_id=user.id)


def check_may_change(store: Store, actor: Actor, name: str, role: str = "editor") -> None:
    """Refuse a change by an account whose role on workspace ``name`` is below ``role``.

    The web app asks the same of its users; acting as an account on the command line must not let a
    viewer's name stand on a change. The operating-system user (no account) is not checked: whoever
    can open the database file or URL can change it anyway.
    """
    if actor.user_id is None:
        return
    with store.reading() as session:
        user = session.get(User, actor.user_id)
        workspace = get_workspace(session, name)
        if user is None or workspace is None:
            return  # an unknown workspace is reported by the change itself
        held = accounts.role_on(session, user, workspace)
    if accounts.role_level(held) < accounts.role_level(role):
        raise InputError(
            f"{actor.email} may not change {name!r} (role: {held or 'none'}); a workspace admin can "
            f"grant one with `creativecity user grant {actor.email} {name} {role}`",
            column="--as",
            rule=f"{role} role",
        )


def repository_for(
    store: Store,
    account: Actor | str | None = None,
    *,
    changing: str | None = None,
    role: str = "editor",
) -> SqlWorkspaceRepository:
    """The workspace repository of ``store`` acting for ``account`` (see :func:`acting`).

    ``changing`` names the workspace the caller is about to change: an account without ``role``
    there (``admin`` to delete it) is refused before anything is written.
    """
    actor = account if isinstance(account, Actor) else acting(store, account)
    if changing is not None:
        check_may_change(store, actor, changing, role)
    return SqlWorkspaceRepository(store.engine, actor=actor)


def open_repository(
    actor: Actor | str | None = None, url: str | None = None, *, store: Store | None = None
) -> SqlWorkspaceRepository:
    """The workspace repository of the store, acting for ``actor``: the Python API's entry.

    ``actor`` is an :class:`Actor`, the e-mail of a known account, or ``None`` for the operating-system
    user. ``store`` reuses an open store (its owner disposes of it); otherwise one is opened on ``url``
    and lives as long as the process (a script's connection pool).
    """
    return repository_for(store or open_store(url), actor)


def create_workspace(
    store: Store, workspace: Workspace, account: Actor | str | None = None, *, history: bool = False
) -> Workspace:
    """Store a new workspace; an account that creates one becomes its admin.

    Without the role, an officer who made ``hue`` with ``--as`` could not open it in the web app;
    a site administrator is admin everywhere already. ``history=True`` carries ``workspace.history``
    (a folder's ``history.csv``) into the audit trail.
    """
    actor = account if isinstance(account, Actor) else acting(store, account)
    if history:
        store_new(store, workspace, actor)
        created = workspace
    else:
        created = SqlWorkspaceRepository(store.engine, actor=actor).create(workspace)
    if actor.user_id is not None:
        with store.transaction(actor) as session:
            user = session.get(User, actor.user_id)
            row = get_workspace(session, workspace.name)
            if user is not None and row is not None and not user.is_admin:
                accounts.grant(session, user, row, "admin")
    return created


def unknown_workspace(store: Store, name: str) -> InputError:
    """The error for a workspace the database does not hold, naming the ones it does."""
    with store.reading() as session:
        known = ", ".join(w.name for w in list_workspaces(session)) or "none yet"
    return InputError(
        f"no workspace {name!r} (known: {known}); create one with `creativecity workspace new`",
        column="WORKSPACE",
        rule="known workspace",
    )


def is_path(name_or_path: str) -> bool:
    """Whether the argument is written as a path (``./hanoi-ws``, ``exports/hue``), never a store name."""
    return "/" in name_or_path or "\\" in name_or_path


def open_workspace(name_or_path: str, url: str | None = None, *, store: Store | None = None) -> Workspace:
    """A workspace to read: by name from the store, or a folder (an export) read without storing it.

    A name the store holds is the store's workspace, even when a folder of that name sits in the
    current directory (an earlier export would otherwise hide the team's current figures); a folder
    is read when the argument is written as a path, or names no workspace of the store.
    """
    if is_path(name_or_path):
        return read_workspace(name_or_path)
    own = store is None
    store = store or open_store(url)
    try:
        repo = SqlWorkspaceRepository(store.engine)
        if repo.exists(name_or_path):
            return repo.get(name_or_path)
        if (Path(name_or_path) / "workspace.yaml").is_file():
            return read_workspace(name_or_path)
        raise unknown_workspace(store, name_or_path)
    finally:
        if own:
            store.dispose()
