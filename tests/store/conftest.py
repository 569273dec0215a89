"""Fixtures of the store tests: a fresh, migrated database per test on SQLite and on PostgreSQL.

PostgreSQL runs are skipped, with the reason, when ``CREATIVECITY_TEST_POSTGRES_URL`` is unset; each test
gets its own schema (per xdist worker), dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from creativecity.store import Store, accounts

PG_ENV = "CREATIVECITY_TEST_POSTGRES_URL"

accounts.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _pg(base: str, sql: str) -> None:
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store.sqlite"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests need a server (.ci/run starts one)")
    schema = "s_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    _pg(base, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    _pg(base, f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    _pg(base, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store on the test database."""
    s = Store.open(db_url)
    yield s
    s.dispose()
