"""First start of a fresh database: the bundled ``hanoi`` workspace and the first accounts.

A new installation should open on real data (Hanoi's published figures and targets), not on an empty
page, so ``creativecity serve`` loads the bundled workspaces into a database that has none.
"""

from __future__ import annotations

from sqlalchemy import func, select

from creativecity.monitoring.repository import BUNDLED, bundled_path
from creativecity.monitoring.storage import read_workspace
from creativecity.store import Store
from creativecity.store.audit import SYSTEM
from creativecity.store.models import Workspace
from creativecity.store.repository import save_workspace


def load_bundled(store: Store, names: tuple[str, ...] = BUNDLED) -> list[str]:
    """Copy the bundled workspaces into the database when it holds no workspace yet; return their names.

    Doing nothing on a database that already has workspaces keeps a restart from resurrecting data
    the team deleted on purpose.
    """
    with store.transaction(SYSTEM) as session:
        if session.scalar(select(func.count()).select_from(Workspace)):
            return []
        for name in names:
            workspace = read_workspace(bundled_path(name))
            workspace.name = name
            save_workspace(session, workspace)
    return list(names)
