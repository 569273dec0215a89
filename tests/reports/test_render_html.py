"""HTML output: self-contained, offline, escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from creativecity.monitoring import monitor
from creativecity.network.registry import Registry
from creativecity.reports.build import build_document
from creativecity.reports.render_html import render_html

from .conftest import tiny_workspace


class _Links(HTMLParser):
    """Collects src/href of tags that make a browser fetch something, and all <script> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: list[tuple[str, str]] = []
        self.scripts = 0
        self.anchors: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "script":
            self.scripts += 1
        if tag in ("img", "link", "script", "iframe", "source", "video", "audio", "embed", "object"):
            for key in ("src", "href", "data"):
                if a.get(key):
                    self.fetching.append((tag, str(a[key])))
        if tag == "a" and a.get("href"):
            self.anchors.append(str(a["href"]))


def _html(lang: str = "en", narrative: str = "Safe text.") -> str:
    ws = tiny_workspace(narratives={("executive_summary", lang): narrative})
    doc = build_document(
        ws, "monitoring", lang, registry=Registry.load(), monitoring=monitor(ws, 2021).to_dict()
    )  # type: ignore[arg-type]
    return render_html(doc)


def test_no_external_requests() -> None:
    parser = _Links()
    parser.feed(_html())
    assert parser.fetching, "expected the charts as <img>"
    for tag, url in parser.fetching:
        assert not url.lower().startswith(("http:", "https:", "//")), f"<{tag}> fetches {url}"
        assert url.startswith("data:image/png;base64,"), url
    assert parser.scripts == 0
    html = _html()
    assert "url(" not in html and "@import" not in html  # nothing fetched from CSS either


def test_script_in_narrative_is_shown_as_text() -> None:
    html = _html(narrative='Before <script>alert("pwned")</script> <img src="https://evil.example/x.png">')
    parser = _Links()
    parser.feed(html)
    assert parser.scripts == 0
    assert not any("evil.example" in url for _, url in parser.fetching)
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html


def test_toc_links_resolve_and_notes_link_to_sources() -> None:
    parser = _Links()
    parser.feed(_html())
    internal = [a for a in parser.anchors if a.startswith("#")]
    assert any(a.startswith("#sec-") for a in internal)
    assert any(a.startswith("#note-") for a in internal)
    for anchor in internal:
        assert anchor[1:] in parser.ids, f"dangling link {anchor}"


def test_vietnamese_page_is_tagged_and_translated() -> None:
    html = _html(lang="vi", narrative="Xin chào")
    assert '<html lang="vi">' in html
    assert "Báo cáo giám sát tư cách thành viên: Testville" in html
    assert "Không có thông tin liên quan để cung cấp" in html  # UNESCO's phrase for an empty section
    assert "Noto Sans" in html and "DejaVu Sans" in html


def test_column_widths_give_each_column_its_longest_word_first() -> None:
    from creativecity.reports.model import Cell, Table
    from creativecity.reports.render_html import column_widths

    table = Table("c", ["A", "B"], [[Cell("x"), Cell("hello world")]])
    # minimums: 1.15 * len("A") + 2 = 3.15 and len("hello") + 2 = 7; column B's typical cell (11
    # characters) wants 4 more, so it takes all of the spare 100 - 10.15 = 89.85: 7 + 89.85 = 96.85
    assert column_widths(table) == [3.15, 96.85]
