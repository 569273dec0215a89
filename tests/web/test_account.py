"""A person's own account page: password change and API tokens, audited, CSRF-protected."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from creativecity.store import SYSTEM, Store, accounts

from .conftest import PASSWORD, sign_in
from .test_api import NEW


def _fresh(app: FastAPI, email: str) -> Any:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        user = accounts.create_user(s, email, PASSWORD)
        from creativecity.store.workspaces import require_workspace

        accounts.grant(s, user, require_workspace(s, "hanoi"), "editor")
    return sign_in(app, email)


def test_account_page_needs_a_session(app: FastAPI, as_role: Any) -> None:
    response = as_role(None).get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_token_issued_on_the_page_works_and_revoking_it_stops_it(app: FastAPI, as_role: Any) -> None:
    client = _fresh(app, "scripter@example.org")
    page = client.post("/account/tokens", data={"name": "nightly", "csrf_token": client.csrf})
    token = re.search(r'<code id="new-token">(cc_[^<]+)</code>', page.text).group(1)
    bot = TestClient(app, base_url="http://127.0.0.1")
    body = dict(NEW, value=5, source="https://example.org/from-a-token")
    auth = {"Authorization": f"Bearer {token}"}
    assert bot.post("/api/workspaces/hanoi/observations", json=body, headers=auth).status_code == 201
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', client.get("/account").text).group(1)
    assert client.post(f"/account/tokens/{token_id}/revoke", data={}).status_code == 403  # no CSRF token
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": client.csrf})
    again = dict(body, value=6)
    assert bot.post("/api/workspaces/hanoi/observations", json=again, headers=auth).status_code == 401
    trail = [
        e
        for e in client.get("/api/workspaces/hanoi/audit").json()["entries"]
        if e["actor"] == "scripter@example.org"
    ]
    assert trail and trail[0]["entity"] == "observation"


def test_someone_elses_token_cannot_be_revoked(app: FastAPI, as_role: Any) -> None:
    owner = _fresh(app, "owner@example.org")
    owner.post("/account/tokens", data={"name": "mine", "csrf_token": owner.csrf})
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', owner.get("/account").text).group(1)
    thief = as_role("viewer")
    thief.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": thief.csrf})
    assert f'action="/account/tokens/{token_id}/revoke"' in owner.get("/account").text  # still active


def test_password_change_checks_the_current_one_and_ends_other_sessions(app: FastAPI, as_role: Any) -> None:
    here = _fresh(app, "changer@example.org")
    elsewhere = sign_in(app, "changer@example.org")
    form = {
        "current": "wrong",
        "new": "a new password 1",
        "repeat": "a new password 1",
        "csrf_token": here.csrf,
    }
    assert here.post("/account/password", data=form).status_code == 422
    mismatch = form | {"current": PASSWORD, "repeat": "something else"}
    assert here.post("/account/password", data=mismatch).status_code == 422
    ok = here.post("/account/password", data=form | {"current": PASSWORD})
    assert ok.status_code == 200 and "Password changed" in ok.text
    assert here.get("/w/hanoi", follow_redirects=False).status_code == 200  # this session continues
    assert elsewhere.get("/w/hanoi", follow_redirects=False).status_code == 303  # the other one ended
