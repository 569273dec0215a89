"""The demo section writes Hanoi's monitoring report in both languages, HTML and PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import creativecity.reports.render_html as render_html
from creativecity.cli import demo_reports as demo
from creativecity.cli.demo import DemoContext


def test_demo_writes_four_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PDF rendering itself is covered by test_hanoi.py; here only the demo's wiring is checked
    monkeypatch.setattr(render_html, "render_pdf", lambda doc: b"%PDF-1.7 " + doc.lang.encode())
    buf = io.StringIO()
    ctx = DemoContext(out=tmp_path, console=Console(file=buf, width=200))
    demo.run(ctx)
    folder = tmp_path / "hanoi"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "monitoring_report.en.html",
        "monitoring_report.en.pdf",
        "monitoring_report.vi.html",
        "monitoring_report.vi.pdf",
    ]
    assert (folder / "monitoring_report.vi.pdf").read_bytes() == b"%PDF-1.7 vi"
    assert "Hà Nội" in (folder / "monitoring_report.vi.html").read_text(encoding="utf-8")
    assert str(folder / "monitoring_report.en.pdf") in buf.getvalue()
    assert ctx.shared["reports"][0].endswith("monitoring_report.vi.html")
