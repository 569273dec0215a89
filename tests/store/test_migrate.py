"""Migrations: they build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from creativecity.errors import InputError
from creativecity.store import Store, is_current, migrate
from creativecity.store.db import make_engine, normalise_url
from creativecity.store.migrate import head_revision
from creativecity.store.models import Base


def test_migrations_create_every_table_at_head(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert is_current(store)


def test_migrations_and_models_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_twice_is_harmless(store: Store) -> None:
    assert migrate(store.url) == head_revision() == migrate(store.url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    store = Store.open(f"sqlite:///{tmp_path}/x.sqlite")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.dispose()


def test_health_check(store: Store) -> None:
    assert store.healthy()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_url_spellings(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_a_bare_path_becomes_a_sqlite_url(tmp_path: object) -> None:
    assert normalise_url(f"{tmp_path}/a.sqlite") == f"sqlite:///{tmp_path}/a.sqlite"


@pytest.mark.parametrize("bad", ["", "mysql://u@h/db", "not a url://"])
def test_unsupported_or_empty_urls_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        make_engine(bad)
