"""Narratives: safe Markdown, word counts and limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from creativecity.reports.narrative import check_limit, render_html, to_blocks, word_count


def test_script_is_escaped_not_rendered() -> None:
    html = render_html('Hello <script>alert("x")</script> <b>bold</b>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_images_disabled_so_nothing_is_fetched() -> None:
    html = render_html("![logo](https://example.org/logo.png)")
    assert "<img" not in html


def test_markdown_structure() -> None:
    html = render_html("# Title\n\nSome **bold** text.\n\n- a\n- b")
    assert "<strong>bold</strong>" in html
    assert html.count("<li>") == 2
    blocks = to_blocks("# Title\n\nSome **bold** text.\n\n- a\n- b\n\n1. x")
    assert [b.kind for b in blocks] == ["heading", "paragraph", "bullet", "bullet", "ordered"]
    assert any(r.bold and r.text == "bold" for r in blocks[1].runs)


def test_to_blocks_keeps_raw_html_as_text() -> None:
    blocks = to_blocks("<script>alert(1)</script>")
    text = "".join(r.text for b in blocks for r in b.runs)
    assert "<script>alert(1)</script>" in text


def test_word_count_counts_vietnamese_syllables() -> None:
    # "Hà", "Nội", "gia", "nhập", "năm", "2019" = 6 words; punctuation and Markdown marks are not words
    assert word_count("Hà Nội **gia nhập** năm 2019.") == 6
    assert word_count("") == 0
    assert word_count("co-working spaces, UNESCO's network") == 4


def test_limits_default_and_override() -> None:
    assert check_limit("executive_summary", "one two three") == (3, None)  # no invented default
    assert check_limit("executive_summary", "one two three", {"executive_summary": 2}) == (3, 2)
    assert check_limit("no_such_section", "x") == (1, None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/\"'=& scriptimgonerrahf:!()[]*#-\n")), max_size=80))
def test_no_raw_tag_ever_survives(text: str) -> None:
    # whatever the city types, the rendered fragment contains only markdown-it's own tags
    html = render_html("<script>" + text)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
