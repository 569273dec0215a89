"""Database connections: SQLite on a laptop, PostgreSQL on a server, one code path.

SQLite is opened in WAL mode (readers never block the writer, and a killed process leaves a
consistent file), with foreign keys enforced (SQLite ignores them unless asked) and a busy timeout
so that two requests writing at once wait for each other instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from creativecity.errors import InputError
from creativecity.fileio import creativecity_home

SQLITE_BUSY_TIMEOUT_MS = 10_000


#: Environment variable naming the database of every entry point (command line, Python API, web app).
DATABASE_ENV = "CREATIVECITY_DATABASE_URL"


def default_database_url() -> str:
    """SQLite file in the user's data folder (:func:`creativecity.fileio.creativecity_home`)."""
    return f"sqlite:///{creativecity_home() / 'creativecity.sqlite'}"


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``$CREATIVECITY_DATABASE_URL``, else the laptop default.

    One rule for every entry point, so that ``creativecity workspace new``, ``creativecity serve`` and a
    script calling :func:`creativecity.store.open_store` all find the same workspaces.
    """
    return normalise_url(url or os.environ.get(DATABASE_ENV) or default_database_url())


def normalise_url(url: str) -> str:
    """Accept the URL spellings people paste and pick the drivers the project installs.

    ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://`` (psycopg 3 is the driver
    shipped); a bare path becomes a SQLite URL.
    """
    url = url.strip()
    if not url:
        raise InputError("the database URL is empty", column="--database", rule="database URL")
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shown_url(url: str) -> str:
    """``url`` as it may be printed: the password hidden."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # an unreadable URL is reported where it is used; print it as given
        return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event start transactions (pysqlite would otherwise delay BEGIN until
    # the first write, so a read-then-write transaction would read outside any snapshot).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the database's write lock when their transaction starts (BEGIN IMMEDIATE), so two
    # read-check-write transactions cannot interleave and lose one another's changes; readers use a
    # plain BEGIN and never block in WAL mode.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: Engine) -> Engine:
    """The engine to use for transactions that change data (same pool; SQLite begins IMMEDIATE)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings this project relies on.

    Raises
    ------
    InputError
        When the URL names a database kind other than SQLite or PostgreSQL.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise InputError(
            f"cannot read database URL: {exc}", column="--database", rule="database URL"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    raise InputError(
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://...",
        column="--database",
        rule="database URL",
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (pages render after the transaction)."""
    return sessionmaker(engine, expire_on_commit=False)
