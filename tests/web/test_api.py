"""The JSON API of CONTRACTS.md §4, for every role, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.models import AuditEntry, Observation

NEW = {
    "indicator": "cinemas",
    "scope": "Hanoi",
    "value": 47,
    "unit": "count",
    "reference_year": 2024,
    "source": "https://example.org/cinemas-2024",
}


def counts(app: FastAPI) -> tuple[int, int]:
    """(observations, audit entries) in the whole database: 'nothing changed' means both are equal."""
    store: Store = app.state.store
    with store.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(Observation)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def observations(client: Any, name: str = "hanoi") -> list[dict[str, Any]]:
    response = client.get(f"/api/workspaces/{name}/observations")
    assert response.status_code == 200
    return response.json()["observations"]


def test_healthz_answers_with_the_database(app: FastAPI, as_role: Any) -> None:
    response = as_role(None).get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] in ("sqlite", "postgresql")


def test_openapi_lists_the_contract_endpoints(app: FastAPI, as_role: Any) -> None:
    paths = as_role(None).get("/openapi.json").json()["paths"]
    assert "/api/network/summary" in paths
    assert {"get", "post"} <= set(paths["/api/workspaces/{name}/observations"])


def test_network_summary_is_public_and_matches_the_library(app: FastAPI, as_role: Any) -> None:
    from creativecity.network.registry import Registry
    from creativecity.network.summary import summary

    body = as_role(None).get("/api/network/summary", params={"as_of": 2017}).json()
    # data/uccn/README.md: the registry reproduces 180 cities in 72 countries after the 2017 round
    assert (body["as_of"], body["cities"], body["countries"]) == (2017, 180, 72)
    assert body == summary(Registry.load(), 2017).to_dict()
    assert isinstance(body["complete"], bool) and "by_field" in body and "note" in body


def test_network_summary_rejects_a_bad_year(app: FastAPI, as_role: Any) -> None:
    assert as_role(None).get("/api/network/summary", params={"as_of": "soon"}).status_code == 422


def test_anonymous_cannot_read_observations(app: FastAPI, as_role: Any) -> None:
    assert as_role(None).get("/api/workspaces/hanoi/observations").status_code == 401


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_members_read_observations(app: FastAPI, as_role: Any, role: str) -> None:
    rows = observations(as_role(role))
    assert len(rows) >= 52  # the bundled hanoi workspace has 52 figures (data/hanoi/observations.csv)
    assert all(r["source"] for r in rows)


def test_outsider_cannot_read_another_workspace(app: FastAPI, as_role: Any) -> None:
    assert as_role("outsider").get("/api/workspaces/hanoi/observations").status_code == 403


def test_unknown_workspace_is_404(app: FastAPI, as_role: Any) -> None:
    assert as_role("admin").get("/api/workspaces/nowhere/observations").status_code == 404


def test_anonymous_post_is_refused_and_changes_nothing(app: FastAPI, as_role: Any) -> None:
    client = as_role(None)
    before = counts(app)
    response = client.post(
        "/api/workspaces/hanoi/observations", json=NEW, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 401
    assert counts(app) == before


def test_viewer_cannot_add(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    before = counts(app)
    response = client.post(
        "/api/workspaces/hanoi/observations", json=NEW, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 403
    assert counts(app) == before


def test_editor_without_csrf_token_is_refused(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    assert client.post("/api/workspaces/hanoi/observations", json=NEW).status_code == 403
    wrong = client.post("/api/workspaces/hanoi/observations", json=NEW, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    assert counts(app) == before


def test_editor_of_another_workspace_cannot_add(app: FastAPI, as_role: Any) -> None:
    client = as_role("outsider")
    before = counts(app)
    response = client.post(
        "/api/workspaces/hanoi/observations", json=NEW, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 403
    assert counts(app) == before


def test_editor_adds_an_observation_and_it_is_audited(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    obs_before, audit_before = counts(app)
    body = dict(NEW, value=48, source="https://example.org/editor-add")
    response = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("obs-") and created["value"] == 48.0
    assert counts(app)[0] == obs_before + 1
    trail = client.get("/api/workspaces/hanoi/audit", params={"indicator": "cinemas"}).json()["entries"]
    newest = trail[0]
    assert (newest["actor"], newest["action"], newest["entity_id"]) == (
        "editor@example.org",
        "create",
        created["id"],
    )
    assert counts(app)[1] > audit_before


def test_invalid_observation_is_422_with_the_field(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    bad = dict(NEW, unit="parsecs", source="https://example.org/bad-unit")
    response = client.post(
        "/api/workspaces/hanoi/observations", json=bad, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 422
    assert any("unit" in (e["column"] or "") for e in response.json()["errors"])
    assert counts(app) == before


def test_unknown_json_field_is_refused(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    body = dict(NEW, workspace_id=2)
    response = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 422


def test_api_token_works_without_csrf_and_a_bad_token_is_401(app: FastAPI, as_role: Any) -> None:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        user = accounts.get_user(s, app.state.team.editor)
        token = accounts.create_token(s, user, "test script")
    client = as_role(None)
    before = counts(app)
    body = dict(NEW, value=49, source="https://example.org/token-add")
    good = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert good.status_code == 201, good.text
    assert counts(app)[0] == before[0] + 1
    bad = client.post(
        "/api/workspaces/hanoi/observations",
        json=dict(body, value=50),
        headers={"Authorization": "Bearer cc_not-a-real-token"},
    )
    assert bad.status_code == 401
    assert counts(app)[0] == before[0] + 1


def test_api_token_of_a_viewer_cannot_write(app: FastAPI, as_role: Any) -> None:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        token = accounts.create_token(s, accounts.get_user(s, app.state.team.viewer))
    before = counts(app)
    response = as_role(None).post(
        "/api/workspaces/hanoi/observations",
        json=dict(NEW, source="https://example.org/viewer-token"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert counts(app) == before


def test_patch_changes_one_field_and_records_old_and_new(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    target = next(o for o in observations(client) if o["indicator"] == "craft_villages")
    response = client.patch(
        f"/api/workspaces/hanoi/observations/{target['id']}",
        json={"note": "checked by phone"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 200
    entry = client.get("/api/workspaces/hanoi/audit").json()["entries"][0]
    assert (entry["entity_id"], entry["field"], entry["old_value"], entry["new_value"]) == (
        target["id"],
        "note",
        target["note"],
        "checked by phone",
    )


INJECTIONS = ["'; DROP TABLE observations; --", "1 OR 1=1", "Robert'); DELETE FROM users; --"]


@pytest.mark.parametrize(
    "field",
    [
        "id",
        "indicator",
        "scope",
        "value",
        "unit",
        "reference_year",
        "reference_year_note",
        "method",
        "source",
        "note",
        "certainty",
        "preferred",
    ],
)
def test_sql_injection_in_any_field_changes_nothing_else(app: FastAPI, as_role: Any, field: str) -> None:
    client = as_role("editor")
    before_rows = {o["id"]: o for o in observations(client)}
    for payload in INJECTIONS:
        body = dict(NEW, source=f"https://example.org/inj-{field}") | {field: payload}
        response = client.post(
            "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
        )
        # free-text fields store the string verbatim; coded and typed fields refuse it
        assert response.status_code in (201, 422), response.text
        if field in ("id", "value", "reference_year", "preferred", "indicator", "unit", "certainty"):
            assert response.status_code == 422
        if response.status_code == 201:
            assert response.json()[field] == payload
            before_rows[response.json()["id"]] = response.json()
    after = {o["id"]: o for o in observations(client)}
    assert after == before_rows  # every earlier row intact, tables still there
    store: Store = app.state.store
    with store.reading() as s:
        assert len(accounts.list_users(s)) == 4


def test_monitor_json_has_the_contract_keys(app: FastAPI, as_role: Any) -> None:
    body = as_role("viewer").get("/api/workspaces/hanoi/monitor").json()
    assert {"city", "as_of", "targets", "pillars", "conflicts", "stale"} <= set(body)
    keys = {
        "indicator",
        "scope",
        "target_value",
        "target_year",
        "baseline_value",
        "latest_value",
        "status",
        "source",
    }
    assert keys <= set(body["targets"][0])
    assert as_role("outsider").get("/api/workspaces/hanoi/monitor").status_code == 403


def test_preferred_marks_one_conflicting_figure(app: FastAPI, as_role: Any) -> None:
    editor = as_role("editor")
    conflicts = editor.get("/api/workspaces/hanoi/monitor").json()["conflicts"]
    assert conflicts, "the bundled data has conflicting figures (README: creative spaces 60 vs ~200)"
    chosen = conflicts[0]["values"][-1]["observation_id"]
    viewer = as_role("viewer")
    url = f"/api/workspaces/hanoi/observations/{chosen}/preferred"
    assert viewer.post(url, headers={"X-CSRF-Token": viewer.csrf}).status_code == 403
    response = editor.post(url, headers={"X-CSRF-Token": editor.csrf})
    assert response.status_code == 200 and response.json()["preferred"] is True
    after = editor.get("/api/workspaces/hanoi/monitor").json()["conflicts"]
    again = next(c for c in after if chosen in [v["observation_id"] for v in c["values"]])
    assert again["resolved"] is True and again["chosen_id"] == chosen


def test_injection_in_the_workspace_name_is_just_unknown(app: FastAPI, as_role: Any) -> None:
    client = as_role("admin")
    before = counts(app)
    name = "hanoi'; DROP TABLE observations; --"
    assert client.get(f"/api/workspaces/{name}/observations").status_code == 404
    response = client.post(
        f"/api/workspaces/{name}/observations", json=NEW, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 404
    assert counts(app) == before
    assert len(observations(client)) >= 52


def test_healthz_is_503_when_the_database_does_not_answer(
    app: FastAPI, as_role: Any, monkeypatch: Any
) -> None:
    store: Store = app.state.store

    def refuse() -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(store.engine, "connect", refuse)
    response = as_role(None).get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_workspace_list_shows_only_ones_own(app: FastAPI, as_role: Any) -> None:
    assert as_role(None).get("/api/workspaces").status_code == 401
    mine = as_role("outsider").get("/api/workspaces").json()["workspaces"]
    assert mine == [{"name": "other", "city": "Other City", "role": "editor"}]
    everything = {w["name"]: w["role"] for w in as_role("admin").get("/api/workspaces").json()["workspaces"]}
    assert everything == {"hanoi": "admin", "other": "admin"}


@pytest.mark.parametrize("text", ["a\x00b", "x" * 20_001])
def test_text_the_database_cannot_hold_is_422_not_500(app: FastAPI, as_role: Any, text: str) -> None:
    client = as_role("editor")
    before = counts(app)
    body = dict(NEW, note=text, source="https://example.org/odd-text")
    response = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "note"
    assert counts(app) == before


def test_unicode_text_round_trips(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    note = "Hà Nội — 文化 — 🎨 — \u200b zero-width — 'quotes' \"double\" \\ backslash"
    body = dict(NEW, note=note, source="https://example.org/unicode")
    created = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
    )
    assert created.status_code == 201
    stored = next(o for o in observations(client) if o["id"] == created.json()["id"])
    # every character kept except the zero-width space, which is stripped before storing (issue 12)
    assert stored["note"] == note.replace("\u200b", "")
