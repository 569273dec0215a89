"""Bring a database's schema up to date with the migrations shipped inside the package.

Running Alembic programmatically (no ``alembic.ini``) lets ``creativecity serve`` migrate on start on a
laptop with nothing but the installed package, and lets tests migrate a fresh database per test.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from creativecity.store.db import make_engine, normalise_url, writer

MIGRATIONS = Path(__file__).with_name("migrations")
#: PostgreSQL advisory-lock key held while the schema is upgraded.
MIGRATION_LOCK = 0x63630000


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the package's migrations, for ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str, *, engine: Engine | None = None) -> str:
    """Run ``upgrade head`` on the database at ``url``; return the revision it is now at.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``).
    engine
        An engine to reuse (its connection runs the migration), so that an in-process app and its
        migration share one pool.
    """
    cfg = alembic_config(url)
    own = engine is None
    engine = engine or make_engine(url)
    try:
        # Programs that start together on a new database (serve's workers, a script beside a command)
        # must not run the migrations side by side: the second would create tables the first has just
        # made. SQLite queues writers (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock. The second
        # then finds the schema at head and does nothing.
        with writer(engine).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() or ""
    finally:
        if own:
            engine.dispose()


def head_revision() -> str:
    """The newest revision shipped with the package."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head() or ""
