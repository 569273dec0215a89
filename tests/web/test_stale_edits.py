"""Stale edits (issue 13, finding 7) through the API and the forms, on SQLite and PostgreSQL.

Two editors open the same figure; A saves a new value; B then saves only a note from the form A's
change made stale. B must not silently put the old value back: the API answers 412, the form comes
back with "changed by A at T" and both values, and the stored value stays A's.
"""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from creativecity.store import Store
from creativecity.store.models import Observation

from .conftest import csrf_from


def _stored(app: FastAPI, key: str) -> tuple[float, str, int]:
    store: Store = app.state.store
    with store.reading() as s:
        row = s.scalar(select(Observation).where(Observation.key == key, Observation.workspace_id == 1))
        assert row is not None
        return row.value, row.note, row.version


def test_api_sends_an_etag_and_refuses_a_stale_if_match(app: FastAPI, as_role: Any) -> None:
    editor, admin = as_role("editor"), as_role("admin")
    first = editor.get("/api/workspaces/hanoi/observations/obs-0003")
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag == f'"v{first.json()["version"]}"'
    headers = {"X-CSRF-Token": admin.csrf, "If-Match": tag}
    saved = admin.patch("/api/workspaces/hanoi/observations/obs-0003", json={"value": 111}, headers=headers)
    assert saved.status_code == 200
    assert saved.headers["etag"] != tag
    stale = editor.patch(
        "/api/workspaces/hanoi/observations/obs-0003",
        json={"note": "only the note"},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": tag},
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["changed_by"] == app.state.team.admin
    assert body["current"]["value"] == 111
    assert _stored(app, "obs-0003")[:2] == (111, "")
    # with the fresh ETag the note goes in, and the value stays
    fresh = editor.patch(
        "/api/workspaces/hanoi/observations/obs-0003",
        json={"note": "only the note"},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": saved.headers["etag"]},
    )
    assert fresh.status_code == 200
    assert _stored(app, "obs-0003")[:2] == (111, "only the note")


def _form_of(client: Any, key: str) -> dict[str, str]:
    page = client.get(f"/w/hanoi/observations/{key}/edit").text
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
    fields |= {
        name: value
        for name, value in re.findall(
            r'<select[^>]*name="(\w+)".*?<option[^>]*value="([^"]*)"[^>]*selected', page, re.S
        )
    }
    fields["note"] = re.search(r'<textarea[^>]*name="note"[^>]*>([^<]*)</textarea>', page).group(1)
    fields["csrf_token"] = csrf_from(page)
    return {k: html.unescape(v) for k, v in fields.items()}


def test_a_stale_form_shows_the_conflict_with_both_values(app: FastAPI, as_role: Any) -> None:
    a, b = as_role("admin"), as_role("editor")
    old_value, note, version = _stored(app, "obs-0004")
    form_a, form_b = _form_of(a, "obs-0004"), _form_of(b, "obs-0004")
    assert form_b["version"] == str(version)
    saved = a.post("/w/hanoi/observations/obs-0004", data=form_a | {"value": "111"}, follow_redirects=False)
    assert saved.status_code == 303
    stale = b.post(
        "/w/hanoi/observations/obs-0004", data=form_b | {"note": "B's note"}, follow_redirects=False
    )
    assert stale.status_code == 409
    page = stale.text
    assert f"Changed by {app.state.team.admin}" in page
    yours = re.search(r'<th>value</th><td class="yours">([^<]*)</td><td class="saved">([^<]*)</td>', page)
    assert yours is not None
    assert float(yours.group(1)) == old_value and float(yours.group(2)) == 111
    assert re.search(r'<th>note</th><td class="yours">B&#39;s note</td>', page)
    assert _stored(app, "obs-0004")[:2] == (111, note)  # nothing of B's stale form was saved
    # the form came back with the new version: saving it again is B's informed choice
    assert f'name="version" value="{version + 1}"' in page


def _text_form(client: Any, section: str, lang: str) -> dict[str, str]:
    page = client.get("/w/hanoi/texts").text
    form = re.search(rf'<form[^>]*id="{section}-{lang}".*?</form>', page, re.S)
    assert form is not None
    version = re.search(r'name="version" value="(\d+)"', form.group(0))
    assert version is not None
    return {"csrf_token": csrf_from(page), "version": version.group(1)}


def test_a_stale_text_form_keeps_the_other_editors_text(app: FastAPI, as_role: Any) -> None:
    from creativecity.store.models import Narrative

    a, b = as_role("admin"), as_role("editor")
    form_a, form_b = _text_form(a, "contribution_global", "en"), _text_form(b, "contribution_global", "en")
    url = "/w/hanoi/texts/contribution_global/en"
    assert a.post(url, data=form_a | {"text": "Text by A"}, follow_redirects=False).status_code == 303
    stale = b.post(url, data=form_b | {"text": "Text by B"}, follow_redirects=False)
    assert stale.status_code == 409
    assert f"Changed by {app.state.team.admin}" in stale.text
    assert re.search(r'<td class="yours">Text by B</td><td class="saved">Text by A</td>', stale.text)
    store: Store = app.state.store
    with store.reading() as s:
        stored = s.scalar(
            select(Narrative.text).where(Narrative.section == "contribution_global", Narrative.lang == "en")
        )
    assert stored == "Text by A"


def _form_fields(client: Any, page_url: str, action: str) -> dict[str, str]:
    """The fields of the form posting to ``action`` on ``page_url``, as a browser would send them."""
    page = client.get(page_url).text
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>.*?</form>', page, re.S)
    assert form is not None
    html_form = form.group(0)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html_form))
    fields |= dict(re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>([^<]*)</textarea>', html_form))
    selects = r'<select[^>]*name="(\w+)".*?<option[^>]*value="([^"]*)"[^>]*selected'
    fields |= dict(re.findall(selects, html_form, re.S))
    return {k: html.unescape(v) for k, v in fields.items()}


def _plan_form(client: Any, item: str) -> dict[str, str]:
    return _form_fields(client, f"/w/hanoi/plan?edit={item}", f"/w/hanoi/plan/{item}")


def test_a_stale_plan_form_keeps_the_other_editors_change(app: FastAPI, as_role: Any) -> None:
    from creativecity.store.models import ActionItem

    a, b = as_role("admin"), as_role("editor")
    form_a, form_b = _plan_form(a, "act-0001"), _plan_form(b, "act-0001")
    assert form_b["version"].isdigit()
    saved = a.post("/w/hanoi/plan/act-0001", data=form_a | {"lead": "Lead set by A"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    stale = b.post(
        "/w/hanoi/plan/act-0001", data=form_b | {"partners": "B's partners"}, follow_redirects=False
    )
    assert stale.status_code == 409
    assert f"Changed by {app.state.team.admin}" in stale.text
    assert re.search(
        r'<th>lead</th><td class="yours">[^<]*</td><td class="saved">Lead set by A</td>', stale.text
    )
    store: Store = app.state.store
    with store.reading() as s:
        row = s.scalar(select(ActionItem).where(ActionItem.key == "act-0001", ActionItem.workspace_id == 1))
    assert row is not None and row.lead == "Lead set by A" and row.partners != "B's partners"


def test_a_stale_target_form_keeps_the_other_editors_value(app: FastAPI, as_role: Any) -> None:
    from creativecity.store.models import Target

    a, b = as_role("admin"), as_role("editor")
    form_a, form_b = (
        _form_fields(c, "/w/hanoi/targets/tgt-0001/edit", "/w/hanoi/targets/tgt-0001") for c in (a, b)
    )
    assert form_b["version"].isdigit()
    saved = a.post("/w/hanoi/targets/tgt-0001", data=form_a | {"note": "A's note"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    stale = b.post(
        "/w/hanoi/targets/tgt-0001", data=form_b | {"instrument": "B's instrument"}, follow_redirects=False
    )
    assert stale.status_code == 409
    assert f"Changed by {app.state.team.admin}" in stale.text
    assert re.search(
        r'<th>note</th><td class="yours">[^<]*</td><td class="saved">A&#39;s note</td>', stale.text
    )
    store: Store = app.state.store
    with store.reading() as s:
        row = s.scalar(select(Target).where(Target.key == "tgt-0001", Target.workspace_id == 1))
    assert row is not None and row.note == "A's note" and row.instrument != "B's instrument"
