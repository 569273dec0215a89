"""Tests for creativecity.network.plots: offline rendering and antimeridian handling."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.network.plots import _unwrap, growth_chart, member_map
from creativecity.network.registry import Registry


def test_unwrap_removes_antimeridian_jump() -> None:
    # 179 -> -179 is a 2-degree step east, not 358 degrees west.
    assert _unwrap([[170.0, 60.0], [179.0, 61.0], [-179.0, 62.0], [-170.0, 63.0]]) == [
        (170.0, 60.0),
        (179.0, 61.0),
        (181.0, 62.0),
        (190.0, 63.0),
    ]
    assert _unwrap([[-10.0, 0.0], [10.0, 0.0]]) == [(-10.0, 0.0), (10.0, 0.0)]


def test_map_renders_without_network(tiny: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the map tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    out = member_map(tiny, tmp_path / "m.png")
    assert out.stat().st_size > 10_000


def test_chart_on_tiny(tiny: Registry, tmp_path: Path) -> None:
    out = growth_chart(tiny, tmp_path / "g.svg")
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text


@pytest.mark.parametrize("draw", [growth_chart, member_map])
def test_out_that_is_a_folder_is_an_input_error(tiny: Registry, tmp_path: Path, draw: object) -> None:
    folder = tmp_path / "chart.png"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        draw(tiny, folder)  # type: ignore[operator]
    assert (err.value.column, err.value.rule) == ("--out", "output is a file")
    assert folder.is_dir() and list(folder.iterdir()) == []
