"""Atomic output: all or nothing, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from creativecity.fileio import (
    atomic_output_dir,
    atomic_output_file,
    atomic_write_bytes,
    atomic_write_text,
)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_write_text_replaces_whole_file_with_umask_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "sub" / "a.txt"
    atomic_write_text(target, "old")
    atomic_write_text(target, "héllo")
    assert target.read_text(encoding="utf-8") == "héllo"
    assert _mode(target) == 0o644  # 0666 & ~022
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]  # no temp file left


def test_output_file_failure_keeps_old_content(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    atomic_write_bytes(target, b"old")
    with pytest.raises(RuntimeError), atomic_output_file(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("render failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_output_file_success(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "r.pdf"
    with atomic_output_file(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o644


def test_output_dir_failure_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(ValueError), atomic_output_dir(target) as staging:
        (staging / "scores.csv").write_text("x")
        raise ValueError("bad input")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_output_dir_new_and_existing(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "out"
    with atomic_output_dir(target) as staging:
        (staging / "datasets").mkdir()
        (staging / "datasets" / "Raw.csv").write_text("1")
    assert (target / "datasets" / "Raw.csv").read_text() == "1"
    assert _mode(target) == 0o755
    (target / "keep.txt").write_text("k")
    with atomic_output_dir(target) as staging:
        (staging / "datasets").mkdir()
        (staging / "datasets" / "Raw.csv").write_text("2")
    assert (target / "datasets" / "Raw.csv").read_text() == "2"
    assert (target / "keep.txt").read_text() == "k"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
