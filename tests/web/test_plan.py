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


def _add(client: Any, line: dict[str, str]) -> str:
    page = client.post("/w/hanoi/plan", data=line | {"csrf_token": client.csrf})
    assert page.status_code == 200, page.text[-2000:]
    ids = re.findall(r'<tr id="action-([^"]+)">', page.text)
    return ids[-1]


def _audit(client: Any, n: int) -> list[dict[str, Any]]:
    return client.get(f"/api/workspaces/hanoi/audit?limit={n}").json()["entries"]


def test_editor_edits_a_line_in_place_with_its_vietnamese_wording_audited(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    item = _add(client, LINE | {"initiative": "Pop-up design markets"})
    form = client.get(f"/w/hanoi/plan?edit={item}")
    assert form.status_code == 200
    assert f'action="/w/hanoi/plan/{item}"' in form.text and 'value="Pop-up design markets"' in form.text
    edited = LINE | {
        "initiative": "Pop-up design markets in 12 districts",
        "budget": "2000",
        "initiative_vi": "Chợ thiết kế tạm thời ở 12 quận",
        "objective_vi": "Mở rộng tiếp cận đời sống văn hoá",
    }
    saved = client.post(
        f"/w/hanoi/plan/{item}", data=edited | {"csrf_token": client.csrf}, follow_redirects=False
    )
    assert saved.status_code == 303
    entries = _audit(client, 10)
    changed = {(e["entity"], e["field"]): (e["old_value"], e["new_value"]) for e in entries[:4]}
    assert changed[("action_item", "initiative")] == (
        "Pop-up design markets",
        "Pop-up design markets in 12 districts",
    )
    assert changed[("action_item", "budget")][1] in ("2000", "2000.0")
    # the translations are traced field by field, from nothing to the Vietnamese text
    vi = f"action_plan_translations.vi.{item}"
    assert changed[("workspace", f"{vi}.initiative")] == (None, "Chợ thiết kế tạm thời ở 12 quận")
    assert changed[("workspace", f"{vi}.objective")] == (None, "Mở rộng tiếp cận đời sống văn hoá")
    assert all(e["actor"] == "editor@example.org" for e in entries[:4])
    # the Vietnamese page shows the Vietnamese wording; the English page the English one
    client.cookies.set("cc_lang", "vi")
    assert "Chợ thiết kế tạm thời ở 12 quận" in client.get("/w/hanoi/plan").text
    client.cookies.set("cc_lang", "en")
    page = client.get("/w/hanoi/plan").text
    assert "Pop-up design markets in 12 districts" in page and "Chợ thiết kế" not in page
    # the edit form starts from the stored translations
    again = client.get(f"/w/hanoi/plan?edit={item}").text
    assert 'name="initiative_vi" value="Chợ thiết kế tạm thời ở 12 quận"' in again
    client.post(f"/w/hanoi/plan/{item}/delete", data={"csrf_token": client.csrf})


def test_a_bad_edit_is_refused_next_to_the_field_and_changes_nothing(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    item = _add(client, LINE)
    before = counts(app)
    last = _audit(client, 1)[0]
    bad = LINE | {"objective": "", "target_year": "1850", "objective_vi": "x" * 2001}
    response = client.post(f"/w/hanoi/plan/{item}", data=bad | {"csrf_token": client.csrf})
    assert response.status_code == 422
    edit_form = response.text[response.text.find(f'<tr id="action-{item}" class="editing">') :]
    for label in ("Objective", "Target year", "Objective \\(vi\\)"):
        assert re.search(rf'<label class="invalid">{label}.*?field-error', edit_form, re.S), label
    assert counts(app) == before and _audit(client, 1)[0] == last
    client.post(f"/w/hanoi/plan/{item}/delete", data={"csrf_token": client.csrf})


def test_editing_needs_an_editor_and_an_existing_line(app: FastAPI, as_role: Any) -> None:
    viewer = as_role("viewer")
    assert viewer.get("/w/hanoi/plan?edit=act-0001").status_code == 403
    assert viewer.post("/w/hanoi/plan/act-0001", data=LINE | {"csrf_token": viewer.csrf}).status_code == 403
    editor = as_role("editor")
    assert editor.get("/w/hanoi/plan?edit=act-9999").status_code == 404
    assert editor.post("/w/hanoi/plan/act-9999", data=LINE | {"csrf_token": editor.csrf}).status_code == 404
