"""One store for the command line, the Python API and the web app (issue 10, points 1 and 5).

Each test drives the real entry points on one database, on SQLite and on PostgreSQL: the ``creativecity``
command line (in process, with the database named by ``$CREATIVECITY_DATABASE_URL`` or ``--database``),
the JSON API and pages of the web app (FastAPI's TestClient on the same URL), and the Python API.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from creativecity.cli import app as cli
from creativecity.store import Store
from creativecity.store.home import open_repository
from creativecity.web.app import create_app

PASSWORD = "correct horse battery"
runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run the command line in process; ``(exit code, stdout, stderr)``."""
    res = runner.invoke(cli, list(args), input=stdin)
    return res.exit_code, res.stdout, res.stderr


def said(text: str, output: str) -> bool:
    """Whether ``text`` is in ``output``, ignoring where rich wrapped the lines."""
    return "".join(text.split()) in "".join(output.split())


def sign_in(client: TestClient, email: str) -> str:
    """Sign ``client`` in with the login form; return the session's CSRF token."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    res = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert res.status_code == 303, res.text[:300]
    return token.group(1)


@pytest.fixture
def team(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The issue's scenario on the command line: ``hue`` made, an officer and a site admin added."""
    monkeypatch.setenv("CREATIVECITY_DATABASE_URL", db_url)
    monkeypatch.setenv("CREATIVECITY_USER", "analyst")
    code, _, err = run(
        "workspace", "new", "hue", "--city", "Hue", "--country", "VNM", "--field", "Crafts and Folk Art"
    )
    assert code == 0, err
    for args in (("officer@example.org",), ("admin@example.org", "--admin"), ("viewer@example.org",)):
        code, _, err = run("user", "add", *args, "--password-stdin", stdin=PASSWORD + "\n")
        assert code == 0, err
    code, out, err = run("user", "grant", "officer@example.org", "hue", "editor")
    assert code == 0 and "officer@example.org is now editor of hue" in out, err
    assert run("user", "grant", "viewer@example.org", "hue", "viewer")[0] == 0
    return db_url


def test_cli_workspace_edited_through_the_api_is_seen_by_the_cli(team: str) -> None:
    code, token, err = run("user", "token", "officer@example.org", "--name", "join-test")
    assert code == 0, err
    web = create_app(team, secret_key="test-key")
    try:
        with TestClient(web, base_url="http://127.0.0.1") as api:
            auth = {"Authorization": f"Bearer {token.strip()}"}
            body = {
                "indicator": "craft_villages",
                "scope": "Hue",
                "value": 64,
                "unit": "count",
                "reference_year": 2024,
                "source": "https://example.org/hue-crafts-2024",
            }
            res = api.post("/api/workspaces/hue/observations", json=body, headers=auth)
            assert res.status_code == 201, res.text
            obs_id = res.json()["id"]
            assert obs_id == "obs-0001"  # the first figure of a new workspace
            res = api.patch(f"/api/workspaces/hue/observations/{obs_id}", json={"value": 66}, headers=auth)
            assert res.status_code == 200, res.text
    finally:
        web.state.store.dispose()
    # the command line reads the same database: the figure and its correction are there
    code, out, err = run("workspace", "show", "hue", "--json", "--database", team)
    assert code == 0, err
    (shown,) = json.loads(out)["observations"]
    assert (shown["id"], shown["indicator"], shown["value"], shown["reference_year"]) == (
        "obs-0001",
        "craft_villages",
        66,
        2024,
    )
    # and its history names the officer for the API's change, the OS user for the CLI's creation
    history = json.loads(out)["history"]
    assert any(
        (h["user"], h["entity_id"], h["field"], h["old"], h["new"])
        == ("officer@example.org", "obs-0001", "value", "64.0", "66.0")
        for h in history
    )
    assert any(h["user"] == "cli:analyst" and h["entity"] == "workspace" for h in history)


def test_cli_changes_carry_the_acting_account_and_the_web_sees_them(team: str) -> None:
    web = create_app(team, secret_key="test-key")
    try:
        with TestClient(web, base_url="http://127.0.0.1") as browser:
            sign_in(browser, "admin@example.org")
            assert browser.get("/w/hue").status_code == 200  # the site admin opens the CLI's workspace
            # the 2019 count of creative spaces: two sources disagree, and nobody has chosen yet
            (conflict,) = browser.get("/api/workspaces/hanoi/monitor").json()["conflicts"]
            assert conflict["resolved"] is False
            # the command line changes the store while the web app runs (and caches its dashboards)
            code, _, err = run("workspace", "city-name", "hue", "vi", "Huế", "--as", "officer@example.org")
            assert code == 0, err
            assert run("workspace", "word-limit", "hue", "assets", "800")[0] == 0  # no --as: the OS user
            assert run("workspace", "prefer", "hanoi", "obs-0008", "--as", "admin@example.org")[0] == 0
            (conflict,) = browser.get("/api/workspaces/hanoi/monitor").json()["conflicts"]
            assert conflict["resolved"] is True and conflict["chosen_id"] == "obs-0008"
            rows = browser.get("/api/workspaces/hue/audit?limit=50").json()["entries"]
            who = {(r["field"], r["new_value"]): r["actor"] for r in rows if r["field"]}
            assert who[("city_names.vi", "Huế")] == "officer@example.org"
            assert who[("word_limits.assets", "800")] == "cli:analyst"
            rows = browser.get("/api/workspaces/hanoi/audit?limit=10").json()["entries"]
            chosen = [r for r in rows if r["entity_id"] == "obs-0008" and r["field"] == "preferred"]
            assert [(r["actor"], r["new_value"]) for r in chosen] == [("admin@example.org", "True")]
    finally:
        web.state.store.dispose()


def test_as_must_name_an_editor_of_the_workspace(team: str) -> None:
    before = open_repository(url=team).get("hue").to_dict()
    code, _, err = run("workspace", "city-name", "hue", "vi", "Huế", "--as", "nobody@example.org")
    assert code == 2 and said("'nobody@example.org' is not an account of this database", err)
    code, _, err = run("workspace", "city-name", "hue", "vi", "Huế", "--as", "viewer@example.org")
    assert code == 2 and said("viewer@example.org may not change 'hue' (role: viewer)", err)
    code, _, err = run("workspace", "prefer", "hanoi", "obs-0008", "--as", "officer@example.org")
    assert code == 2 and said("(role: none)", err)  # an editor of hue only
    after = open_repository(url=team).get("hue").to_dict()
    assert after == before  # nothing written, not even a line of history


def test_python_api_changes_are_audited_under_the_account(team: str) -> None:
    repo = open_repository("officer@example.org", team)
    ws = repo.get("hue")
    ws.description = "City of Crafts and Folk Art since 2025"
    repo.save(ws)
    with pytest.raises(Exception, match="not an account"):
        open_repository("ghost@example.org", team)
    history = open_repository(url=team).get("hue").history
    assert (history[-1].user, history[-1].field, history[-1].new) == (
        "officer@example.org",
        "description",
        "City of Crafts and Folk Art since 2025",
    )


def test_store_opened_twice_does_not_reload_deleted_hanoi(db_url: str) -> None:
    """Hanoi comes on first use only: a team that deleted it does not get it back on the next start."""
    from creativecity.store.home import open_store

    with open_store(db_url) as store:
        open_repository(store=store).delete("hanoi")
    with open_store(db_url) as store:
        assert open_repository(store=store).list() == []
    assert isinstance(store, Store)


def test_an_account_that_creates_a_workspace_administers_it(team: str) -> None:
    code, _, err = run(
        "workspace",
        "new",
        "hoian",
        "--city",
        "Hoi An",
        "--country",
        "VNM",
        "--field",
        "Crafts and Folk Art",
        "--as",
        "officer@example.org",
    )
    assert code == 0, err
    users = {u["email"]: u for u in json.loads(run("user", "list", "--json")[1])}
    assert users["officer@example.org"]["roles"] == {"hoian": "admin", "hue": "editor"}
    assert users["viewer@example.org"]["roles"] == {"hue": "viewer"}
    code, _, err = run("workspace", "new", "hoian", "--city", "X", "--country", "VNM", "--field", "Design")
    assert code == 2 and said("workspace 'hoian' already exists", err)


def test_delete_needs_the_admin_role_and_confirmation(team: str) -> None:
    code, _, err = run("workspace", "delete", "hue", "--yes", "--as", "officer@example.org")
    assert code == 2 and said("(role: editor)", err) and said("hue admin", err)
    code, _, err = run("workspace", "delete", "hue", stdin="n\n")
    assert code == 2 and said("nothing deleted", err)
    assert open_repository(url=team).exists("hue")
    code, out, err = run("workspace", "delete", "hue", "--yes", "--as", "admin@example.org")
    assert code == 0 and "deleted workspace hue" in out, err
    assert not open_repository(url=team).exists("hue")
    code, _, err = run("workspace", "delete", "hue", "--yes")
    assert code == 2 and said("no workspace 'hue' (known: hanoi)", err)
