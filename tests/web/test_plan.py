"""The action plan page: editors add and remove lines, with checks; viewers read; audited."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from .test_api import counts

LINE = {
    "objective": "Widen access to cultural life",
    "initiative": "Free design workshops in 30 community houses",
    "budget": "1500",
    "currency": "million VND",
    "indicator": "cinemas",
    "target_value": "30",
    "target_year": "2029",
    "lead": "Department of Culture and Sports",
}


def test_editor_adds_and_removes_a_line_and_both_are_audited(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    page = client.post("/w/hanoi/plan", data=LINE | {"csrf_token": client.csrf})
    assert page.status_code == 200 and "Free design workshops in 30 community houses" in page.text
    row = re.search(r'<tr id="action-([^"]+)">\s*<td>[^<]+</td><td>Widen access', page.text)
    assert row, page.text[-3000:]
    item = row.group(1)
    entry = client.get("/api/workspaces/hanoi/audit").json()["entries"][0]
    assert (entry["action"], entry["entity"], entry["entity_id"]) == ("create", "action_item", item)
    gone = client.post(f"/w/hanoi/plan/{item}/delete", data={"csrf_token": client.csrf})
    assert gone.status_code == 200 and "Free design workshops" not in gone.text
    assert client.get("/api/workspaces/hanoi/audit").json()["entries"][0]["action"] == "delete"


def test_bad_lines_are_refused_field_by_field(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    bad = LINE | {"initiative": "", "budget": "a lot", "target_year": "3000", "indicator": "unicorns"}
    response = client.post("/w/hanoi/plan", data=bad | {"csrf_token": client.csrf})
    assert response.status_code == 422
    for label in ("Initiative", "Budget", "Target year", "Indicator"):
        assert re.search(rf'<label class="invalid">{label}.*?field-error', response.text, re.S), label
    assert counts(app) == before


def test_viewer_reads_the_plan_but_cannot_change_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    page = client.get("/w/hanoi/plan")
    assert page.status_code == 200 and 'action="/w/hanoi/plan"' not in page.text
    assert client.post("/w/hanoi/plan", data=LINE | {"csrf_token": client.csrf}).status_code == 403
    assert client.post("/w/hanoi/plan/act-0001/delete", data={"csrf_token": client.csrf}).status_code == 403
