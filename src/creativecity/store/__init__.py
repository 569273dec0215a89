"""The shared database of a city's team: accounts, roles, workspaces and the audit trail.

SQLite (one file, WAL) on a laptop, PostgreSQL on a server, through one SQLAlchemy code path. Every
change to a workspace is made in a transaction in the name of an :class:`~creativecity.store.audit.Actor`
and recorded in the audit log by a session hook.

The command line, the Python API and the web app open it through one function,
:func:`open_store` (``creativecity.store.home``): it picks the database, migrates it, loads the bundled
``hanoi`` on first use and moves old workspace folders in; :func:`open_repository` gives the monitoring
library's repository on it, acting for an account or the operating-system user.

Typical use::

    store = open_store("sqlite:///team.sqlite")          # migrates to the newest schema
    with store.transaction(Actor("ana@example.org", 1)) as session:
        ws = workspaces.require_workspace(session, "hanoi")
        workspaces.add_observation(session, ws, {...})
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from creativecity.store.audit import SYSTEM, Actor, set_actor
from creativecity.store.db import database_url, default_database_url, make_engine, session_factory, writer
from creativecity.store.migrate import head_revision, migrate

__all__ = [
    "SYSTEM",
    "Actor",
    "Store",
    "default_database_url",
    "make_engine",
    "migrate",
    "open_repository",
    "open_store",
    "open_workspace",
]

_HOME = ("open_store", "open_repository", "open_workspace")


def __getattr__(name: str) -> object:
    """``open_store``, ``open_repository`` and ``open_workspace`` from :mod:`creativecity.store.home`.

    Loaded on first use because that module needs :class:`Store`, defined here.
    """
    if name in _HOME:
        from creativecity.store import home

        return getattr(home, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Store:
    """A migrated database and the sessions to use it.

    Parameters
    ----------
    url
        SQLAlchemy URL; ``None`` means ``$CREATIVECITY_DATABASE_URL``, else the laptop default
        (:func:`creativecity.store.db.database_url`).
    engine
        An existing engine (tests share one); otherwise one is made for ``url``.
    """

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = database_url(url)
        self.engine = engine or make_engine(self.url)
        self._sessions = session_factory(self.engine)
        self._writers = session_factory(writer(self.engine))

    @classmethod
    def open(cls, url: str | None = None, *, upgrade: bool = True) -> Store:
        """Connect to ``url`` and, unless ``upgrade`` is false, bring its schema to the newest revision."""
        store = cls(url)
        if upgrade:
            migrate(store.url, engine=store.engine)
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def session(self) -> Session:
        """A session for reading (the caller closes it; use :meth:`transaction` to change data)."""
        return self._sessions()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session, closed (and its snapshot released) on exit."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()  # ends the transaction; loaded objects stay readable (detached)

    @contextmanager
    def transaction(self, actor: Actor | None = SYSTEM) -> Iterator[Session]:
        """A session whose changes commit together on success and roll back entirely on any error.

        ``actor=None`` leaves the actor to be set (with :func:`set_actor`) once the request's user is
        known; audited changes made before that fail instead of going untraced.
        """
        session = self._writers()
        if actor is not None:
            set_actor(session, actor)
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def healthy(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def is_current(store: Store) -> bool:
    """Whether the database is at the newest shipped migration."""
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head_revision()
