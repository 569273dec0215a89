"""The one entry to the store: which database, first use, the acting account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from creativecity.cli import app as cli
from creativecity.errors import InputError
from creativecity.fileio import creativecity_home
from creativecity.reports.api import load_workspace
from creativecity.store import open_repository, open_store
from creativecity.store.db import database_url
from creativecity.store.home import acting, os_actor
from creativecity.web.app import create_app

runner = CliRunner()


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``$CREATIVECITY_HOME`` and no database named anywhere: the laptop default."""
    home = tmp_path / "home"
    monkeypatch.setenv("CREATIVECITY_HOME", str(home))
    monkeypatch.delenv("CREATIVECITY_DATABASE_URL", raising=False)
    return home


def test_database_is_chosen_by_argument_then_environment_then_home(
    fresh_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert database_url() == f"sqlite:///{fresh_home / 'creativecity.sqlite'}"
    monkeypatch.setenv("CREATIVECITY_DATABASE_URL", f"sqlite:///{tmp_path / 'team.sqlite'}")
    assert database_url() == f"sqlite:///{tmp_path / 'team.sqlite'}"
    assert database_url(str(tmp_path / "x.sqlite")) == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert creativecity_home() == fresh_home


def test_fresh_home_has_hanoi_on_the_command_line(fresh_home: Path) -> None:
    res = runner.invoke(cli, ["workspace", "list", "--json"])
    assert res.exit_code == 0, res.stderr
    assert [r["name"] for r in json.loads(res.stdout)] == ["hanoi"]
    assert (fresh_home / "creativecity.sqlite").is_file()


def test_fresh_home_has_hanoi_in_the_python_api(fresh_home: Path) -> None:
    ws = open_repository().get("hanoi")
    assert (ws.city, len(ws.observations), len(ws.targets)) == ("Hanoi", 52, 9)
    assert load_workspace("hanoi").city == "Hanoi"  # the reports' entry reads the same store
    with pytest.raises(InputError, match=r"no workspace 'hue' \(known: hanoi\)"):
        load_workspace("hue")


def test_fresh_home_has_hanoi_in_the_web_app(fresh_home: Path) -> None:
    web = create_app(secret_key="k")  # no URL: the same default the command line uses
    try:
        with TestClient(web, base_url="http://127.0.0.1") as client:
            assert client.get("/healthz").status_code == 200
        assert open_repository().exists("hanoi")
        assert web.state.store.url == database_url()
    finally:
        web.state.store.dispose()


def test_bad_database_url_is_exit_2(fresh_home: Path) -> None:
    res = runner.invoke(cli, ["workspace", "list", "--database", "mysql://u@h/db"])
    assert res.exit_code == 2 and "unsupported database 'mysql'" in res.stderr


def test_acting_user(fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATIVECITY_USER", "minh")
    assert os_actor().email == "cli:minh"
    with open_store() as store:
        assert acting(store).email == "cli:minh"
        with pytest.raises(InputError) as err:
            acting(store, "nobody@example.org")
        assert (err.value.column, err.value.rule) == ("--as", "known user")


def test_two_programs_opening_a_new_database_at_once_load_hanoi_once(db_url: str) -> None:
    """``serve`` workers or a script and a command starting together on an empty database."""
    from concurrent.futures import ThreadPoolExecutor

    def first_use(_: int) -> list[str]:
        with open_store(db_url, move=False) as store:
            return [w["name"] for w in open_repository(store=store).list()]

    with ThreadPoolExecutor(max_workers=3) as pool:
        seen = list(pool.map(first_use, range(3)))
    assert seen == [["hanoi"]] * 3
