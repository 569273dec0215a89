"""The demo section writes Hanoi's MMR (vi, en), the application submission (en) and the evidence pack."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import creativecity.reports.render_html as render_html
from creativecity.cli import demo_reports as demo
from creativecity.cli.demo import DemoContext


def test_demo_writes_the_mmr_submission_and_evidence_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PDF rendering itself is covered by test_hanoi.py; here only the demo's wiring is checked
    monkeypatch.setattr(render_html, "render_pdf", lambda doc: b"%PDF-1.7 " + doc.lang.encode())
    buf = io.StringIO()
    ctx = DemoContext(out=tmp_path, console=Console(file=buf, width=200))
    demo.run(ctx)
    folder = tmp_path / "hanoi"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "application_submission.en.docx",
        "evidence_pack.en.html",
        "monitoring_report.en.docx",
        "monitoring_report.en.html",
        "monitoring_report.en.pdf",
        "monitoring_report.vi.docx",
        "monitoring_report.vi.html",
        "monitoring_report.vi.pdf",
    ]
    # the submission is a draft: Hanoi's contacts and attachment files are not in the bundled data
    assert "pending: 3.1 Mayor of the City" in buf.getvalue()
    assert "Evidence pack: Hanoi" in (folder / "evidence_pack.en.html").read_text(encoding="utf-8")
    assert (folder / "monitoring_report.vi.pdf").read_bytes() == b"%PDF-1.7 vi"
    assert "Hà Nội" in (folder / "monitoring_report.vi.html").read_text(encoding="utf-8")
    assert str(folder / "monitoring_report.en.pdf") in buf.getvalue()
    assert ctx.shared["reports"][0].endswith("monitoring_report.vi.html")
