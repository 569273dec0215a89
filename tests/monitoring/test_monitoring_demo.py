"""The monitoring section of `creativecity demo`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from creativecity.cli import demo_monitoring as demo
from creativecity.cli.demo import DemoContext


def test_demo_section(tmp_path: Path) -> None:
    buf = io.StringIO()
    ctx = DemoContext(out=tmp_path, console=Console(file=buf, width=200))
    demo.run(ctx)
    doc = json.loads((tmp_path / "hanoi" / "monitoring.json").read_text(encoding="utf-8"))
    assert len(doc["targets"]) == 9
    assert (tmp_path / "hanoi" / "workspace.xlsx").stat().st_size > 0
    assert ctx.shared["monitoring"].city == "Hanoi"
    text = buf.getvalue()
    # indicator names, not codes (issue 12); the city's targets apart from the national ones
    assert "New cultural consumption habits" in text and "Creative spaces" in text
    assert "creative_spaces" not in text and "The city's targets" in text
