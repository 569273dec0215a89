"""Alembic environment: runs the package's migrations against the connection ``migrate`` hands in.

The schema is described by :mod:`creativecity.store.models`; migrations are shipped inside the package
so that ``creativecity serve`` can bring any database up to date without an ``alembic.ini`` on disk.
"""

from __future__ import annotations

from alembic import context

from creativecity.store.db import make_engine
from creativecity.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the caller's connection when there is one (tests, ``migrate``), else open the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover - the project never emits SQL scripts
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
