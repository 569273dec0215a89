"""The bundled Hanoi workspace in every format and language, read back.

PDF rendering is the slow part (WeasyPrint), so each language is rendered once per module and reused.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from creativecity.reports.i18n import catalog_ids
from creativecity.reports.model import Document
from creativecity.reports.render_docx import render_docx
from creativecity.reports.render_html import render_html, render_pdf

MONITORING_VI = [
    "1. Tóm tắt",
    "2. Thông tin chung",
    "3. Đóng góp vào công tác quản lý chung của Mạng lưới",
    "4. Các sáng kiến chính ở cấp địa phương",
    "5. Các sáng kiến chính hợp tác giữa các thành phố",
    "6. Kế hoạch hành động đề xuất cho bốn năm tới",
]
MONITORING_EN = [
    "1. Executive summary",
    "2. General information",
    "3. Contribution to the network's global management",
    "4. Main local initiatives",
    "5. Main inter-city initiatives",
    "6. Proposed action plan for the next four years",
]


@pytest.fixture(scope="module")
def docs(hanoi_documents: dict[tuple[str, str], Document]) -> dict[tuple[str, str], Document]:
    return hanoi_documents


def _titles(outline: list[Any]) -> list[str]:
    out: list[str] = []
    for item in outline:
        out.extend(_titles(item) if isinstance(item, list) else [str(item.title)])
    return out


@pytest.fixture(scope="module")
def pdf_text(docs: dict[tuple[str, str], Document]) -> dict[str, tuple[str, int, list[str]]]:
    """Per language: the PDF's text, its page count and its bookmark titles."""
    out = {}
    for lang in ("vi", "en"):
        reader = PdfReader(io.BytesIO(render_pdf(docs[("monitoring", lang)])))
        text = "\n".join(page.extract_text() for page in reader.pages)
        out[lang] = (text.replace("\u00a0", " "), len(reader.pages), _titles(reader.outline))
    return out


def test_pdf_bookmarks_follow_the_headings(pdf_text: dict[str, tuple[str, int, list[str]]]) -> None:
    titles = [t.removesuffix(" ✎") for t in pdf_text["vi"][2]]
    assert titles[:6] == MONITORING_VI
    assert "Tiến độ thực hiện mục tiêu" in titles  # a level-2 heading
    assert "Báo cáo giám sát tư cách thành viên: Hà Nội" not in titles  # the cover title is no bookmark


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def test_pdf_vi_has_headings_diacritics_and_sourced_figures(
    pdf_text: dict[str, tuple[str, int, list[str]]],
) -> None:
    text, pages, _ = pdf_text["vi"]
    assert pages >= 5
    for heading in MONITORING_VI:
        assert heading in text
    assert "Báo cáo giám sát tư cách thành viên: Hà Nội" in text
    assert "Mục lục" in text and "Nguồn tài liệu" in text
    # Hanoi's 2018 cultural-industry share, 3.7, in the Vietnamese form with its source listed
    assert "3,7 %" in text
    assert "vneconomictimes.com" in text
    assert re.search(r"Hình 1\. .+", text)
    assert re.search(r"1 / \d+", text)  # page numbers


def test_pdf_en(pdf_text: dict[str, tuple[str, int, list[str]]]) -> None:
    text, _, _ = pdf_text["en"]
    for heading in MONITORING_EN:
        assert heading in text
    assert "Membership Monitoring Report: Hanoi" in text
    assert "3.7%" in text
    assert "Figure 1." in text


def test_no_message_ids_in_any_output(
    docs: dict[tuple[str, str], Document], pdf_text: dict[str, tuple[str, int, list[str]]]
) -> None:
    keys = [k for k in catalog_ids("vi") if "." in k]
    for (kind, lang), doc in docs.items():
        text = _visible(render_html(doc))
        leaked = [k for k in keys if k in text]
        assert not leaked, f"{kind}/{lang}: untranslated ids {leaked[:5]}"
    for lang, (text, _, _) in pdf_text.items():
        assert not [k for k in keys if k in text], lang


def test_no_english_interface_text_in_vietnamese(docs: dict[tuple[str, str], Document]) -> None:
    en, vi = catalog_ids("en"), catalog_ids("vi")
    # interface sentences that differ between languages and have no placeholders
    english = [en[k] for k in en if en[k] != vi[k] and "{" not in en[k] and len(en[k]) >= 12]
    for kind in ("monitoring", "application"):
        text = _visible(render_html(docs[(kind, "vi")]))
        leaked = [s for s in english if s in text]
        assert not leaked, f"{kind}: English text in the Vietnamese report: {leaked[:3]}"


def test_docx_vi(docs: dict[tuple[str, str], Document]) -> None:
    d = docx.Document(io.BytesIO(render_docx(docs[("monitoring", "vi")])))
    h1 = [p.text.removesuffix(" ✎") for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:6] == MONITORING_VI
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert "Tiến độ thực hiện mục tiêu" in h2
    assert len(d.tables) >= 6
    assert len(d.inline_shapes) >= 2  # progress charts and the network growth chart
    assert any("Hà Nội" in p.text for p in d.paragraphs)


def test_hanoi_application_has_all_form_items(docs: dict[tuple[str, str], Document]) -> None:
    text = _visible(render_html(docs[("application", "en")]))
    for heading in ("1. Name of the city", "3. Contacts", "3.1 Mayor of the City", "4. Creative field"):
        assert heading in text
    assert "List of attachments" in text
    assert "Endorsement letter of the National Commission for UNESCO" in text
    # sections 8 and 9 list the register's three local and three inter-city commitments (and later ones)
    assert "Hanoi Creative Design Centre" in text and "UCCN Southeast Asia forum" in text
    text_vi = _visible(render_html(docs[("application", "vi")]))
    assert "Hồ sơ ứng cử gia nhập Mạng lưới các Thành phố sáng tạo của UNESCO: Hà Nội" in text_vi


def test_hanoi_conflicting_creative_spaces_are_shown(docs: dict[tuple[str, str], Document]) -> None:
    # two 2019 counts of creative spaces (60 and about 200, different definitions) must both appear
    text = _visible(render_html(docs[("monitoring", "en")]))
    assert "Conflicting figures for the same indicator and year" in text
    assert re.search(r"60 \[\d+\]; 200 \[\d+\]", text)


def test_application_pdf_and_docx_en(docs: dict[tuple[str, str], Document]) -> None:
    doc = docs[("application", "en")]
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())  # lines unwrapped
    for heading in ("1. Name of the city", "2. Country", "3. Contacts", "4. Creative field", "Sources"):
        assert heading in text
    assert "UNESCO Creative Cities Network - Application form: Hanoi" in text
    d = docx.Document(io.BytesIO(render_docx(doc)))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:4] == ["1. Name of the city", "2. Country", "3. Contacts", "4. Creative field"]
    captions = [p.text.split(". ", 1)[-1] for p in d.paragraphs if p.style.name == "Caption"]
    assert "Mayor of the City" in captions and "Documents to attach to the application" in captions
