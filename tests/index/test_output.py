"""``--out`` checked before any work: a path that cannot become a folder is bad input (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.errors import InputError
from creativecity.index._output import check_output_dir
from creativecity.index.examples import asem_assumptions_path, asem_path

runner = CliRunner()


def test_new_nested_folder_is_accepted_and_nothing_is_created(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    check_output_dir(out)
    assert not (tmp_path / "a").exists()  # the check creates nothing


def test_existing_file_and_file_in_the_path_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "f.csv"
    f.write_text("x")
    with pytest.raises(InputError) as e:
        check_output_dir(f)
    assert (e.value.file, e.value.rule) == (str(f), "output is a folder")
    with pytest.raises(InputError) as e:
        check_output_dir(f / "sub" / "out", option="--out")
    assert e.value.rule == "output is a folder" and "is a file, not a folder" in e.value.message
    assert f.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_parent_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(InputError) as e:
            check_output_dir(ro / "out")
        assert e.value.rule == "writable output folder"
    finally:
        ro.chmod(0o755)


@pytest.mark.parametrize("command", ["build", "uncertainty", "sensitivity", "stats"])
def test_every_command_exits_2_before_reading_inputs(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    out = blocker / "out"
    args = ["index", command, "--meta", str(asem_path("iMeta.csv")), "--data", str(asem_path("iData.csv"))]
    args += ["--spec", str(asem_path("asem_full.yaml")), "--out", str(out), "--quiet"]
    if command in ("uncertainty", "sensitivity"):
        args += ["--assumptions", str(asem_assumptions_path()), "--n", "4", "--seed", "1", "--no-plots"]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "not a folder" in r.output and "output is a folder" in r.output
    assert blocker.read_text() == "a file where a folder should be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
