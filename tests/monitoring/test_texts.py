"""Texts per language: counts on the submission text, limits from the form, out-of-date translations."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.monitoring.forms import load_form
from creativecity.monitoring.model import HistoryEntry
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.texts import (
    empty_answer,
    is_empty_answer,
    section_texts,
    urls,
    word_count,
)


def test_words_links_and_unescos_phrase() -> None:
    assert word_count("Hà Nội là thành phố sáng tạo.") == 7  # one word per Vietnamese syllable
    assert word_count("Design-led growth, l'économie créative") == 4
    assert urls("See https://a.vn/x, www.b.org and http://c.com.") == [
        "https://a.vn/x",
        "www.b.org",
        "http://c.com",
    ]
    form = load_form("application")
    assert empty_answer(form, "fr") == "Aucune information pertinente à fournir"
    assert is_empty_answer(form, "No relevant information to provide.")
    assert is_empty_answer(form, "không có thông tin liên quan để cung cấp")
    assert not is_empty_answer(form, "No relevant information yet")


def _entry(stamp: str, section: str, lang: str) -> HistoryEntry:
    return HistoryEntry(stamp, "u", "narrative", f"{section}/{lang}", "text", "", "x")


def test_counts_on_the_submission_language_and_flags_a_lagging_translation() -> None:
    ws = bundled_workspace("hanoi")
    ws.word_limits = {"assets": 4}
    ws.narratives[("assets", "vi")] = "Hà Nội có nhiều làng nghề và không gian sáng tạo"  # 11 words
    ws.narratives[("assets", "en")] = "Hanoi has many craft villages"  # 5 words > 4
    ws.narratives[("contribution", "vi")] = "Hà Nội"
    ws.narratives[("contribution", "en")] = "Hanoi"
    ws.history += [
        _entry("2026-01-01T10:00:00Z", "assets", "en"),
        _entry("2026-02-01T10:00:00Z", "assets", "vi"),  # the working text changed after the English one
        _entry("2026-01-01T10:00:00Z", "contribution", "vi"),
        _entry("2026-03-01T10:00:00Z", "contribution", "en"),
    ]
    states = {s.section.id: s for s in section_texts(ws, "application", "en")}
    assets = states["assets"]
    assert (assets.words, assets.limit, assets.over_limit, assets.out_of_date) == (5, 4, True, True)
    assert assets.to_dict()["working_words"] == 11
    assert not states["contribution"].out_of_date and not states["contribution"].over_limit
    assert (
        states["general_description"].limit is None and states["general_description"].limit_kind == "unknown"
    )
    fr = {s.section.id: s for s in section_texts(ws, "application", "fr")}
    assert fr["assets"].empty and fr["assets"].words == 0


def test_workspace_texts_command() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["workspace", "word-limit", "hanoi", "management_budget", "40"]).exit_code == 0
    res = runner.invoke(app, ["workspace", "texts", "hanoi", "--kind", "application", "--json"])
    assert res.exit_code == 0
    rows = {r["section"]: r for r in json.loads(res.stdout)}
    # Hanoi's management text is 73 words in English: over the 40 just set
    assert rows["management_budget"]["limit"] == 40 and rows["management_budget"]["over_limit"]
    assert rows["assets"]["limit"] == "unknown" and not rows["assets"]["empty"]
    res = runner.invoke(app, ["workspace", "texts", "hanoi", "--lang", "de"])
    assert res.exit_code == 2 and "English or French" in res.stderr
    # a limit the form sets (or says is none) cannot be overridden
    res = runner.invoke(app, ["workspace", "word-limit", "hanoi", "general_information", "40"])
    assert res.exit_code == 2 and "only unknown ones can be set" in "".join(res.stderr.split("\n"))
