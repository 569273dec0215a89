"""Fixtures of the web tests: one database per test module and backend (SQLite, PostgreSQL).

Every test that takes ``app`` runs twice: on a SQLite file and on PostgreSQL. PostgreSQL is skipped,
with the reason, when ``CREATIVECITY_TEST_POSTGRES_URL`` is unset (``.ci/run`` sets it). Each module
gets its own PostgreSQL schema (per xdist worker), created fresh and dropped afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.repository import save_workspace
from creativecity.store.workspaces import require_workspace
from creativecity.web.app import create_app

PG_ENV = "CREATIVECITY_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery"

# Argon2 with production parameters costs ~50 ms per hash; tests hash hundreds of times.
accounts.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def pg_schema_url(base: str, schema: str) -> str:
    """``base`` with its search_path set to ``schema``, after (re)creating that schema empty."""
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def drop_pg_schema(base: str, schema: str) -> None:
    """Remove a test schema."""
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database URL for the module: SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.sqlite'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests need a server (.ci/run starts one)")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])
    schema = f"t_{worker}_{module}"[:60]
    yield pg_schema_url(base, schema)
    drop_pg_schema(base, schema)


@dataclass
class Team:
    """The accounts every web test module starts with."""

    admin: str = "admin@example.org"
    editor: str = "editor@example.org"
    viewer: str = "viewer@example.org"
    outsider: str = "other-editor@example.org"  # editor of workspace "other" only


@pytest.fixture(scope="module")
def app(db_url: str) -> Iterator[FastAPI]:
    """The app on a migrated database with hanoi, a second workspace ``other`` and the team."""
    application = create_app(db_url, secret_key="test-secret-key-not-for-production")
    store: Store = application.state.store
    team = Team()
    with store.transaction(SYSTEM) as session:
        hanoi = require_workspace(session, "hanoi")
        from creativecity.store.repository import load_workspace

        other = load_workspace(session, "hanoi", history=False)
        other.name, other.city = "other", "Other City"
        save_workspace(session, other)
        other_ws = require_workspace(session, "other")
        accounts.create_user(session, team.admin, PASSWORD, is_admin=True)
        ed = accounts.create_user(session, team.editor, PASSWORD)
        accounts.grant(session, ed, hanoi, "editor")
        vi = accounts.create_user(session, team.viewer, PASSWORD)
        accounts.grant(session, vi, hanoi, "viewer")
        out = accounts.create_user(session, team.outsider, PASSWORD)
        accounts.grant(session, out, other_ws, "editor")
    application.state.team = team
    yield application
    store.dispose()


def csrf_from(html: str) -> str:
    """The CSRF token a page carries (hidden form field)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browser(TestClient):
    """A test client that remembers its CSRF token after signing in."""

    csrf: str = ""


def sign_in(app: FastAPI, email: str | None) -> Browser:
    """A client signed in as ``email`` (anonymous for None), with its CSRF token."""
    client = Browser(app, base_url="http://127.0.0.1")
    page = client.get("/login")
    client.csrf = csrf_from(page.text)
    if email is None:
        return client
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": client.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    client.csrf = csrf_from(client.get("/w/hanoi/audit" if email != Team.outsider else "/").text)
    return client


@pytest.fixture
def as_role(app: FastAPI) -> Iterator[object]:
    """``as_role("editor")`` gives a signed-in client for that member of the team (or ``None``)."""
    clients: list[Browser] = []

    def make(role: str | None) -> Browser:
        team: Team = app.state.team
        email = None if role is None else getattr(team, role)
        client = sign_in(app, email)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()
