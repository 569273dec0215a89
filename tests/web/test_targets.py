"""Targets pages: viewers read, editors add and edit under the monitoring rules, changes audited."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from .test_api import counts

TARGET = {
    "indicator": "cinemas",
    "scope": "Hanoi",
    "target_value": "60",
    "unit": "count",
    "target_year": "2030",
    "instrument": "Plan 99/KH-UBND (test)",
    "instrument_date": "2026-01-15",
    "source": "https://example.org/plan-99",
}


def test_viewer_reads_targets_but_cannot_add(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    page = client.get("/w/hanoi/targets").text
    assert "Resolution 09-NQ/TU" in page and "Add a target" not in page
    before = counts(app)
    assert client.post("/w/hanoi/targets", data=TARGET | {"csrf_token": client.csrf}).status_code == 403
    assert counts(app) == before


def test_editor_adds_then_edits_a_target_and_the_dashboard_shows_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    added = client.post("/w/hanoi/targets", data=TARGET | {"csrf_token": client.csrf})
    assert added.status_code == 200 and "Plan 99/KH-UBND (test)" in added.text
    target_id = re.search(
        r'<tr id="target-(tgt-\d+)">\s*<td>tgt-\d+</td>\s*<td><a[^>]*>Cinemas</a>', added.text
    ).group(1)
    assert "60 count (2030)" in client.get("/w/hanoi").text
    form = client.get(f"/w/hanoi/targets/{target_id}/edit")
    assert form.status_code == 200 and 'value="60.0"' in form.text
    saved = client.post(
        f"/w/hanoi/targets/{target_id}", data=TARGET | {"target_value": "65", "csrf_token": client.csrf}
    )
    assert saved.status_code == 200 and "65 count (2030)" in saved.text
    entry = client.get("/api/workspaces/hanoi/audit", params={"indicator": "cinemas"}).json()["entries"][0]
    assert (entry["entity"], entry["entity_id"], entry["field"], entry["old_value"], entry["new_value"]) == (
        "target",
        target_id,
        "target_value",
        "60.0",
        "65.0",
    )


def test_invalid_target_shows_the_field_and_saves_nothing(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    response = client.post(
        "/w/hanoi/targets",
        data=TARGET | {"target_year": "next year", "source": "", "csrf_token": client.csrf},
    )
    assert response.status_code == 422
    assert re.search(r'<label class="invalid">Target year.*?field-error', response.text, re.S)
    assert re.search(r'<label class="invalid">Source.*?field-error', response.text, re.S)
    assert counts(app) == before
    assert client.get("/w/hanoi/targets/tgt-9999/edit").status_code == 404
