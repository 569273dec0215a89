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


def test_a_vietnamese_form_reads_1_350_as_one_thousand_three_hundred_fifty(
    app: FastAPI, as_role: Any
) -> None:
    from tests.web.test_api import NEW, observations

    client = as_role("editor")
    client.post("/lang", data={"lang": "vi", "next": "/", "csrf_token": client.csrf})
    form = {k: str(v) for k, v in NEW.items()} | {
        "indicator": "craft_villages",
        "value": "1.350",
        "reference_year": "2026",
        "source": "https://example.org/lang-nghe",
        "csrf_token": client.csrf,
    }
    assert client.post("/w/hanoi/observations", data=form, follow_redirects=False).status_code == 303
    (row,) = [o for o in observations(client) if o["source"] == "https://example.org/lang-nghe"]
    assert row["value"] == 1350
    bad = form | {"value": "13,5", "source": "https://example.org/lang-nghe-2"}  # a count with a fraction
    response = client.post("/w/hanoi/observations", data=bad)
    assert response.status_code == 422 and "fractional" in response.text


def test_the_data_page_names_indicators_in_the_pages_language(app: FastAPI, as_role: Any) -> None:
    import re

    client = as_role("viewer")
    english = client.get("/w/hanoi/data?indicator=cinemas").text
    assert re.search(r'title="History: cinemas">Cinemas</a>', english)
    client.post("/lang", data={"lang": "vi", "next": "/", "csrf_token": client.csrf})
    vietnamese = client.get("/w/hanoi/data?indicator=cinemas").text
    # the name from the workspace's indicators.csv (name_vi), the code kept in the link's title
    assert re.search(r'title="[^"]*: cinemas">Rạp chiếu phim</a>', vietnamese)
    assert ">cinemas</a>" not in vietnamese
