"""Workspace folders and the store: the one-time move of old folders, folder export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creativecity.cli import app as cli
from creativecity.fileio import creativecity_home
from creativecity.monitoring.create import new_workspace
from creativecity.monitoring.model import HistoryEntry, Observation
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.storage import write_workspace
from creativecity.store.home import open_repository

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(cli, list(args))
    return res.exit_code, res.stdout, res.stderr


def said(text: str, output: str) -> bool:
    """Whether ``text`` is in ``output``, ignoring where lines were wrapped."""
    return "".join(text.split()) in "".join(output.split())


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every entry point of the test uses ``db_url`` (SQLite file or PostgreSQL schema)."""
    monkeypatch.setenv("CREATIVECITY_DATABASE_URL", db_url)
    monkeypatch.setenv("CREATIVECITY_USER", "lan")
    return db_url


def _old_folders() -> Path:
    """Workspace folders as the command line kept them before the database: hue, a changed hanoi, junk."""
    root = creativecity_home() / "workspaces"
    hue = new_workspace("hue", "Hue", "VNM", "Crafts and Folk Art")
    hue.observations.append(
        Observation("obs-0001", "craft_villages", "Hue", 64, "count", 2023, source="https://example.org/v")
    )
    hue.history.append(
        HistoryEntry("2025-03-04T05:06:07+00:00", "lan", "observation", "obs-0001", "created", "", "64")
    )
    write_workspace(hue, root / "hue")
    hanoi = bundled_workspace("hanoi")
    hanoi.observation("obs-0008").preferred = True  # the user had chosen 60 for 2019
    write_workspace(hanoi, root / "hanoi")
    broken = root / "broken"
    write_workspace(new_workspace("broken", "X", "VNM", "Design"), broken)
    (broken / "observations.csv").write_text(
        "id,indicator,scope,value,unit,reference_year,source\nobs-0001,museums,X,many,count,2020,s\n",
        encoding="utf-8",
    )
    return root


def test_old_folders_are_moved_once_with_a_message(database: str) -> None:
    root = _old_folders()
    code, out, err = run("workspace", "list", "--json")
    assert code == 0, err
    # a fresh database: the user's own hanoi replaces the bundled one, hue comes in with its history
    assert {r["name"] for r in json.loads(out)} == {"hanoi", "hue"}
    assert said(f"moved workspace 'hue' from {root / 'hue'} into the database", err)
    assert said(f"moved workspace 'hanoi' from {root / 'hanoi'} into the database", err)
    assert said("could not move workspace 'broken'", err) and said("row 2, column value", err)
    assert sorted(p.name for p in root.iterdir()) == ["broken", "hanoi.in-database", "hue.in-database"]
    repo = open_repository(url=database)
    assert repo.get("hanoi").observation("obs-0008").preferred is True
    hue = repo.get("hue")
    assert [(o.id, o.value) for o in hue.observations] == [("obs-0001", 64)]
    carried = [h for h in hue.history if h.timestamp.startswith("2025-03-04T05:06:07")]
    assert [(h.user, h.entity_id, h.field, h.new) for h in carried] == [("lan", "obs-0001", "created", "64")]
    assert any(h.user == "cli:lan" for h in hue.history)  # the move itself, by the OS user
    # the second command moves nothing and says nothing about the moved folders
    code, _, err = run("workspace", "list")
    assert code == 0 and "moved" not in err and said("could not move workspace 'broken'", err)
    assert len(open_repository(url=database).get("hue").history) == len(hue.history)


def test_a_folder_differing_from_the_database_is_kept_under_a_new_name(database: str) -> None:
    assert run("workspace", "list")[0] == 0  # the database starts with the bundled hanoi
    root = creativecity_home() / "workspaces"
    mine = bundled_workspace("hanoi")
    mine.observation("obs-0009").preferred = True
    write_workspace(mine, root / "hanoi")
    same = bundled_workspace("hanoi")
    write_workspace(same, root / "copy")  # identical content under another name: simply moved
    code, out, err = run("workspace", "list", "--json")
    assert code == 0, err
    assert said("moved workspace 'hanoi'", err) and said("as 'hanoi-from-files'", err)
    assert {r["name"] for r in json.loads(out)} == {"copy", "hanoi", "hanoi-from-files"}
    repo = open_repository(url=database)
    assert repo.get("hanoi").observation("obs-0009").preferred is None  # the database's copy untouched
    assert repo.get("hanoi-from-files").observation("obs-0009").preferred is True


def test_a_folder_equal_to_the_database_is_only_marked(database: str) -> None:
    assert run("workspace", "list")[0] == 0
    root = creativecity_home() / "workspaces"
    write_workspace(bundled_workspace("hanoi"), root / "hanoi")
    code, out, err = run("workspace", "list", "--json")
    assert code == 0 and said("workspace 'hanoi' from", err) and said("is already in the database", err)
    assert [r["name"] for r in json.loads(out)] == ["hanoi"]
    assert (root / "hanoi.in-database").is_dir() and not (root / "hanoi").exists()


def test_export_import_round_trip_through_a_folder(database: str, tmp_path: Path) -> None:
    out = tmp_path / "hanoi"
    assert run("workspace", "export", "hanoi", "--dir", str(out))[0] == 0
    first = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert run("workspace", "export", "hanoi", "--dir", str(out))[0] == 0
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first  # diffs stay empty
    code, text, err = run("workspace", "import", "copy", str(out), "--json")
    assert code == 0 and json.loads(text)["created"] is True, err
    repo = open_repository(url=database)
    original, copy = repo.get("hanoi").to_dict(), repo.get("copy").to_dict()
    for d in (original, copy):
        d.pop("history"), d.pop("name")
    assert copy == original
    # an edited export replaces the workspace's content, audited under the OS user
    obs = out / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("obs-0001,")
    value = lines[1].split(",")[3]
    lines[1] = lines[1].replace(f",{value},", ",0.5,", 1)
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text, err = run("workspace", "import", "hanoi", str(out))
    assert code == 0 and "replaced the content of hanoi" in text, err
    hanoi = open_repository(url=database).get("hanoi")
    assert hanoi.observation("obs-0001").value == 0.5
    last = hanoi.history[-1]
    assert (last.user, last.entity_id, last.field, last.new) == ("cli:lan", "obs-0001", "value", "0.5")


def test_a_bad_folder_imports_nothing_and_names_file_row_column(database: str, tmp_path: Path) -> None:
    out = tmp_path / "h"
    assert run("workspace", "export", "hanoi", "--dir", str(out))[0] == 0
    before = open_repository(url=database).get("hanoi").to_dict()
    obs = out / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[3], "lots", 1)  # row 3: not a number
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "targets.csv").write_text(
        (out / "targets.csv").read_text(encoding="utf-8").replace(",2030,", ",2300,", 1), encoding="utf-8"
    )
    code, _, err = run("workspace", "import", "hanoi", str(out))
    assert code == 2
    assert said("observations.csv, row 3, column value", err) and said("targets.csv", err)
    assert said("column target_year", err)
    assert open_repository(url=database).get("hanoi").to_dict() == before
    code, _, err = run("workspace", "import", "fresh", str(out), "--dry-run")
    assert code == 2 and not open_repository(url=database).exists("fresh")


def test_export_needs_one_destination_and_keeps_foreign_files(database: str, tmp_path: Path) -> None:
    code, _, err = run("workspace", "export", "hanoi")
    assert code == 2 and said("give either --out FILE.xlsx or --dir FOLDER", err)
    repo_dir = tmp_path / "repo"
    assert run("workspace", "export", "hanoi", "--dir", str(repo_dir))[0] == 0
    (repo_dir / ".git").mkdir()
    code, _, err = run("workspace", "export", "hanoi", "--dir", str(repo_dir))
    assert code == 2 and said(".git", err) and (repo_dir / ".git").is_dir()


def test_a_name_means_the_store_even_beside_an_export_of_that_name(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("workspace", "export", "hanoi", "--dir", "hanoi")[0] == 0  # ./hanoi, the old state
    assert run("workspace", "prefer", "hanoi", "obs-0008")[0] == 0
    (stored,) = json.loads(run("monitor", "hanoi", "--json")[1])["conflicts"]
    (exported,) = json.loads(run("monitor", "./hanoi", "--json")[1])["conflicts"]
    assert (stored["resolved"], exported["resolved"]) == (True, False)
    # a folder that names no workspace of the store is read as a folder
    assert run("workspace", "export", "hanoi", "--dir", "hanoi-ws")[0] == 0
    code, out, err = run("workspace", "validate", "hanoi-ws")
    assert code == 0 and "hanoi-ws: valid (52 observations, 9 targets" in out, err
