"""Tests for creativecity.cli.demo_network: the demo section prints Hanoi's context and writes files."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from creativecity.cli import demo_network as demo
from creativecity.cli.demo import DemoContext


def test_demo_section(tmp_path: Path) -> None:
    con = Console(record=True, width=200)
    ctx = DemoContext(out=tmp_path, console=con)
    demo.run(ctx)
    text = con.export_text()
    assert "Hanoi (Viet Nam): City of Design since 2019" in text
    assert "396 cities in 106 countries (incomplete)" in text
    assert "Design cities: 53" in text
    for city in ("Hoi An", "Da Lat", "Ho Chi Minh City", "Bangkok"):
        assert city in text
    assert (tmp_path / "network" / "growth.png").exists()
    assert (tmp_path / "network" / "members_map.png").exists()
    shared = ctx.shared["network"]
    assert shared["summary"]["cities"] == 396
    assert len(shared["peers"]["peers"]) == 5
