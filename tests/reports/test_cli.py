"""``creativecity dossier``: formats, exit codes, nothing written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.storage import write_workspace

runner = CliRunner()


def test_html_by_suffix_and_json(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["dossier", "hanoi", "--kind", "application", "--lang", "vi", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "html" and data["lang"] == "vi" and data["city"] == "Hà Nội"
    assert data["size_bytes"] == out.stat().st_size
    assert "Hồ sơ ứng cử" in out.read_text(encoding="utf-8")


def test_docx_with_explicit_format(tmp_path: Path) -> None:
    out = tmp_path / "report.bin"
    result = runner.invoke(
        app,
        ["dossier", "hanoi", "--kind", "monitoring", "--lang", "en", "--format", "docx", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    assert any(p.style.name == "Heading 1" for p in d.paragraphs)


def test_unknown_city_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = runner.invoke(app, ["dossier", "atlantis", "--kind", "monitoring", "--out", str(out)])
    assert result.exit_code == 2
    assert "atlantis" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_options_are_exit_2(tmp_path: Path) -> None:
    cases = [
        (["--kind", "letter", "--out", str(tmp_path / "a.html")], "unknown kind"),
        (["--kind", "monitoring", "--lang", "fr", "--out", str(tmp_path / "a.html")], "unknown language"),
        (["--kind", "monitoring", "--out", str(tmp_path / "a.txt")], "cannot tell the format"),
        (["--kind", "monitoring", "--format", "odt", "--out", str(tmp_path / "a.html")], "unknown format"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["dossier", "hanoi", *args])
        assert result.exit_code == 2, args
        assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_render_leaves_previous_file(tmp_path: Path, monkeypatch: object) -> None:
    import creativecity.reports.render_docx as render_docx

    out = tmp_path / "r.docx"
    out.write_bytes(b"old")

    def boom(doc: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(render_docx, "render_docx", boom)  # type: ignore[attr-defined]
    result = runner.invoke(app, ["dossier", "hanoi", "--kind", "monitoring", "--out", str(out)])
    assert result.exit_code == 1
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_missing_rank_stats_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = [
        "dossier",
        "hanoi",
        "--kind",
        "monitoring",
        "--out",
        str(out),
        "--rank-stats",
        str(tmp_path / "no.csv"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "rank statistics file not found" in result.stderr
    assert not out.exists()


def test_word_limit_option(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    ws = bundled_workspace("hanoi")
    ws.narratives[("executive_summary", "en")] = "Hanoi kept its six commitments and added more."
    write_workspace(ws, tmp_path / "hanoi")
    args = [
        "dossier",
        str(tmp_path / "hanoi"),
        "--kind",
        "monitoring",
        "--lang",
        "en",
        "--out",
        str(out),
        "--json",
    ]
    # the form leaves the executive summary's limit unknown: a run may set it
    result = runner.invoke(app, [*args, "--word-limit", "executive_summary=5"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 1 and warnings[0] == "executive_summary: 8 words, limit 5"
    # general information has no limit in the form: a limit there is refused, like bad syntax
    for bad in ("general_information=50", "general_information", "executive_summary=0", "nosuch=10"):
        result = runner.invoke(app, [*args, "--word-limit", bad])
        assert result.exit_code == 2, bad
        assert "--word-limit" in result.stderr
