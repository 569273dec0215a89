"""The key pages in Vietnamese: no English word from ``tests/english_words.txt`` (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from english_words import english_words, visible_text

# the data page is left out: it shows the figures and notes exactly as typed (notes are often English)
PAGES = ["/w/hanoi", "/w/hanoi/targets", "/w/hanoi/plan", "/w/hanoi/dossier", "/network"]


@pytest.mark.parametrize("path", PAGES)
def test_key_pages_read_vietnamese(app: FastAPI, as_role: Any, path: str) -> None:
    client = as_role("viewer")
    client.post("/lang", data={"lang": "vi", "next": "/", "csrf_token": client.csrf})
    page = client.get(path)
    assert page.status_code == 200
    assert 'lang="vi"' in page.text
    assert english_words(visible_text(page.text)) == []
