"""A workspace with nothing in it still renders a complete document in every format."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader

from creativecity.monitoring import monitor
from creativecity.reports.api import render
from creativecity.reports.build import build_document

from .conftest import tiny_workspace


def test_empty_workspace_in_every_format() -> None:
    ws = tiny_workspace(observations=[], targets=[], narratives={}, action_plan=[], mapping=[], indicators=[])
    for kind in ("monitoring", "application"):
        doc = build_document(ws, kind, "vi", monitoring=monitor(ws, 2021).to_dict())  # type: ignore[arg-type]
        html = render(doc, "html").decode("utf-8")
        # UNESCO's phrase, not "missing" (MMR: sections 1-3 show data even when the workspace is empty)
        assert html.count("Không có thông tin liên quan để cung cấp") >= (5 if kind == "application" else 3)
        assert "Chưa có nội dung" not in html
        d = docx.Document(io.BytesIO(render(doc, "docx")))
        headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert headings[-1] == "Nguồn tài liệu"
        if kind == "monitoring":
            reader = PdfReader(io.BytesIO(render(doc, "pdf")))
            text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
            assert "Không gian làm việc chưa có mục tiêu nào" in text
            assert "Không gian làm việc chưa có số liệu nào" in text
            assert text.count("Không có thông tin liên quan để cung cấp") >= 3  # sections 4-6
