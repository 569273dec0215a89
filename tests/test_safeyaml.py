"""Issue 13, finding 2: a 458-byte spec of nested aliases took 28 s and 5.1 GB, and its error printed
the expanded value. The kernel's YAML loader refuses aliases and bounds size, values and depth."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.safeyaml import load_yaml


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level is a list of nine aliases of the one before."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for i in range(1, levels):
        prev, cur = names[i - 1], names[i]
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_the_alias_bomb_is_refused_at_once_without_echoing_values() -> None:
    bomb = billion_laughs()
    assert len(bomb) < 600
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_yaml(bomb, source="spec")
    assert time.perf_counter() - start < 0.5
    message = str(info.value)
    assert "alias" in message
    assert message.count("lol") == 0 and len(message) < 400
    assert info.value.row == 2  # the first alias is on line 2


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1}\nother: *b\n",  # a single, harmless-looking alias
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # merge keys are aliases too
    ],
)
def test_every_alias_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="alias"):
        load_yaml(text, source="f.yaml")


def test_size_values_and_depth_are_bounded() -> None:
    with pytest.raises(InputError, match="larger than"):
        load_yaml("x: " + "a" * 2_000, source="f", max_bytes=1_000)
    with pytest.raises(InputError, match="more than 100 values"):
        load_yaml("[" + ",".join(["1"] * 500) + "]", source="f", max_nodes=100)
    start = time.perf_counter()
    with pytest.raises(InputError, match="nested deeper"):
        load_yaml("[" * 50_000 + "]" * 50_000, source="f")
    assert time.perf_counter() - start < 2


def test_ordinary_documents_read_as_before() -> None:
    text = "version: 1\nsteps:\n  - step: normalise\n    method: minmax  # a comment\n"
    text += "    anchor_like: '&a *b'\n"
    assert load_yaml(text, source="spec") == {
        "version": 1,
        "steps": [{"step": "normalise", "method": "minmax", "anchor_like": "&a *b"}],
    }
    with pytest.raises(InputError) as info:
        load_yaml("a: [1, 2\nb: 3\n", source="spec")
    assert info.value.file == "spec" and info.value.row is not None


def test_the_cli_spec_and_assumption_readers_use_the_bounded_loader(tmp_path: Path) -> None:
    from creativecity.index.analysis.assumptions import read_assumptions
    from creativecity.index.spec import Spec

    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    for read in (Spec.read, read_assumptions):
        start = time.perf_counter()
        with pytest.raises(InputError, match="alias"):
            read(path)
        assert time.perf_counter() - start < 0.5
