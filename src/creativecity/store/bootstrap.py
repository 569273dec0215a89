"""First use of a fresh database: the bundled ``hanoi`` workspace.

A new installation should open on real data (Hanoi's published figures and targets), not on an empty
page, so every entry point (:func:`creativecity.store.open_store`: the command line, the Python API,
``creativecity serve``) loads the bundled workspaces into a database that has never held one.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, text

from creativecity.monitoring.repository import BUNDLED, bundled_workspace
from creativecity.store import Store
from creativecity.store.audit import SYSTEM
from creativecity.store.models import AuditEntry, Workspace
from creativecity.store.repository import save_workspace

#: PostgreSQL advisory-lock key held while a new database receives its first workspaces.
FIRST_USE_LOCK = 0x63630001


def load_bundled(store: Store, names: tuple[str, ...] = BUNDLED, *, skip: Collection[str] = ()) -> list[str]:
    """Copy the bundled workspaces into a database that never held a workspace; return their names.

    A database that holds workspaces, or whose audit trail shows that it held some (the team deleted
    them on purpose), is left alone: a restart must not resurrect deleted data. ``skip`` names bundled
    workspaces not to load because the user's own copy is about to be moved in (a folder of that name
    kept before the database was the only store).
    """
    with store.transaction(SYSTEM) as session:
        if store.backend == "postgresql":
            # two programs starting on a new database at once: the second waits, then finds hanoi there
            # (SQLite's writers already queue: the transaction begins IMMEDIATE)
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_USE_LOCK})
        if session.scalar(select(func.count()).select_from(Workspace)):
            return []
        ever = select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "workspace")
        if session.scalar(ever):
            return []
        loaded = []
        for name in names:
            if name in skip:
                continue
            save_workspace(session, bundled_workspace(name))
            loaded.append(name)
    return loaded
