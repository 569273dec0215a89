"""Word output: real headings, real tables with captions, literal narrative text."""

from __future__ import annotations

import io

import docx

from creativecity.monitoring import monitor
from creativecity.network.registry import Registry
from creativecity.reports.build import build_document
from creativecity.reports.render_docx import render_docx

from .conftest import tiny_workspace


def _docx(narrative: str = "Testville **grew**.\n\n- one\n- two") -> docx.document.Document:
    ws = tiny_workspace(narratives={("executive_summary", "en"): narrative})
    doc = build_document(
        ws, "monitoring", "en", registry=Registry.load(), monitoring=monitor(ws, 2021).to_dict()
    )  # type: ignore[arg-type]
    return docx.Document(io.BytesIO(render_docx(doc)))


def test_headings_use_word_styles() -> None:
    d = _docx()
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert h1[0] == "1. Executive summary ✎"
    assert "6. Proposed action plan for the next four years ✎" in h1
    assert "Sources" in h1
    assert "Progress against targets" in h2
    assert [p.text for p in d.paragraphs if p.style.name == "Title"] == [
        "Membership Monitoring Report: Testville"
    ]


def test_tables_have_caption_paragraphs() -> None:
    d = _docx()
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert len(d.tables) >= 4
    assert sum(c.startswith("Table ") for c in captions) == len(d.tables)
    progress = next(t for t in d.tables if t.rows[0].cells[0].text == "Indicator" and len(t.columns) == 9)
    row = [c.text for c in progress.rows[1].cells]
    assert row[0] == "Creative spaces"
    assert row[2].startswith("10 (2018)[")  # value followed by its superscript note
    assert any(c.startswith("Figure 1.") for c in captions)
    assert d.inline_shapes, "the progress chart should be embedded"


def test_markdown_lists_and_literal_script() -> None:
    d = _docx("Hello <script>alert(1)</script>\n\n- one\n- two")
    texts = [p.text for p in d.paragraphs]
    assert "Hello <script>alert(1)</script>" in texts
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["one", "two"]


def test_source_notes_listed() -> None:
    d = _docx()
    notes = [p.text for p in d.paragraphs if p.text.startswith("[")]
    # numbered in reading order: the designation (Testville is not in the registry, so the workspace),
    # the status count of the executive summary, the activity counts of section 3, the action plan,
    # then the progress table: target, baseline, latest, and the two computed values (two figures make
    # no projection: it needs three)
    assert notes[:9] == [
        "[1] Entered by Testville in its monitoring data.",
        "[2] Counted from the table of progress against targets (Annex A), whose values cite their own "
        "sources.",
        "[3] Counted from the network activity log of the Testville workspace (each entry with its "
        "evidence).",
        "[4] Proposed by Testville in its action plan.",
        "[5] Plan 1. https://example.org/plan",
        "[6] https://example.org/a",
        "[7] https://example.org/b",
        "[8] Computed from notes [6] and [7]: (latest − baseline) ÷ years between them.",
        "[9] Computed from notes [5] and [7]: (target − latest) ÷ years left to the target year.",
    ]


def test_table_header_rows_repeat() -> None:
    from docx.oxml.ns import qn

    d = _docx()
    for table in d.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_control_characters_from_excel_do_not_break_word() -> None:
    d = _docx("Line one\x0bline two\x00 end")
    assert "Line oneline two end" in [p.text for p in d.paragraphs]
