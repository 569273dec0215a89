"""The initiatives register page: editors add, edit and remove; bad fields named; viewers read; audited."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from .test_api import counts

ITEM = {
    "name_vi": "Tuần lễ thiết kế",
    "name_en": "Design week",
    "level": "inter-city",
    "status": "planned",
    "start_year": "2026",
    "budget": "2026=1500",
    "currency": "million VND",
    "sdg_targets": "11.4; 8.3",
    "indicators": "creative_spaces=120@2027",
    "sources": "https://example.org/plan",
}


def test_bundled_register_and_log_are_shown_with_their_trail(app: FastAPI, as_role: Any) -> None:
    page = as_role("viewer").get("/w/hanoi/register")
    assert page.status_code == 200
    assert page.text.count('<tr id="initiative-') == 9 and "Hanoi Creative Design Centre" in page.text
    assert 'id="activity-net-0002"' in page.text and 'action="/w/hanoi/register"' not in page.text


def test_editor_adds_edits_and_removes_an_initiative_all_audited(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    page = client.post("/w/hanoi/register", data=ITEM | {"csrf_token": client.csrf})
    assert page.status_code == 200 and '<tr id="initiative-ini-0010">' in page.text
    assert "creative_spaces=120@2027" in page.text
    edited = client.post(
        "/w/hanoi/register/ini-0010", data=ITEM | {"status": "ongoing", "csrf_token": client.csrf}
    )
    assert edited.status_code == 200
    entries = client.get("/api/workspaces/hanoi/audit?limit=5").json()["entries"]
    assert (entries[0]["entity"], entries[0]["entity_id"], entries[0]["field"]) == (
        "initiative",
        "ini-0010",
        "status",
    )
    assert (entries[0]["old_value"], entries[0]["new_value"]) == ("planned", "ongoing")
    assert re.search(r"initiative ini-0010</td><td>status</td>", edited.text)  # the page's own trail
    gone = client.post("/w/hanoi/register/ini-0010/delete", data={"csrf_token": client.csrf})
    assert gone.status_code == 200 and 'ini-0010">' not in gone.text


def test_bad_fields_are_named_and_nothing_is_saved(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    bad = ITEM | {"end_year": "2020", "sdg_targets": "18.1", "indicators": "unicorns", "sources": ""}
    response = client.post("/w/hanoi/register", data=bad | {"csrf_token": client.csrf})
    assert response.status_code == 422
    for label in ("Last year", "SDG targets", "Linked indicators", "Sources"):
        assert re.search(rf'<label class="invalid">{re.escape(label)}.*?field-error', response.text, re.S), (
            label
        )
    assert counts(app) == before


def test_activity_log_add_refuse_remove(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    row = {"date": "2024-07", "kind": "conference_attended", "title_en": "Annual Conference", "evidence": "e"}
    page = client.post("/w/hanoi/activities", data=row | {"csrf_token": client.csrf})
    assert page.status_code == 200 and 'id="activity-net-0003"' in page.text
    bad = client.post("/w/hanoi/activities", data=row | {"date": "2024-13", "csrf_token": client.csrf})
    assert bad.status_code == 422 and "not a calendar date" in bad.text
    gone = client.post("/w/hanoi/activities/net-0003/delete", data={"csrf_token": client.csrf})
    assert gone.status_code == 200 and 'id="activity-net-0003"' not in gone.text


def test_viewer_cannot_change_the_register(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    assert client.post("/w/hanoi/register", data=ITEM | {"csrf_token": client.csrf}).status_code == 403
    assert (
        client.post("/w/hanoi/register/ini-0001/delete", data={"csrf_token": client.csrf}).status_code == 403
    )
    assert client.get("/w/hanoi/register?edit=ini-0001").status_code == 403


def test_dashboard_shows_when_the_next_report_is_due(app: FastAPI, as_role: Any) -> None:
    from datetime import date

    from creativecity.monitoring.calendar import next_mmr_due

    page = as_role("viewer").get("/w/hanoi").text
    due = next_mmr_due(2019, date.today())  # Hanoi: designated 2019, reports every four years
    assert re.search(rf'id="calendar">Next Membership Monitoring Report due: <strong>{due}</strong>', page)
