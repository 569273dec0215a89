"""Signing in, sessions, CSRF on forms and login rate limiting (kept in the database)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.models import LoginAttempt, UserSession
from creativecity.web.app import create_app
from creativecity.web.routes_auth import safe_next

from .conftest import PASSWORD, csrf_from


def _login(client: TestClient, email: str, password: str, token: str | None = None) -> Any:
    if token is None:
        token = csrf_from(client.get("/login").text)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False
    )


def test_home_redirects_to_login_when_signed_out(app: FastAPI, as_role: Any) -> None:
    response = as_role(None).get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_workspace_page_redirects_to_login_with_next(app: FastAPI, as_role: Any) -> None:
    response = as_role(None).get("/w/hanoi", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/w/hanoi"


def test_login_sets_a_httponly_lax_cookie_and_lands_on_the_dashboard(app: FastAPI) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")
    response = _login(client, app.state.team.editor, PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "cc_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    home = client.get("/")
    assert home.url.path == "/w/hanoi"  # one workspace: straight to its dashboard


def test_secure_cookies_option_marks_the_cookie_secure(db_url: str, app: FastAPI) -> None:
    secure = create_app(db_url, secret_key="k" * 32, secure_cookies=True, load_bundled=False)
    client = TestClient(secure, base_url="https://127.0.0.1")
    response = _login(client, app.state.team.editor, PASSWORD)
    assert "secure" in response.headers["set-cookie"].lower()
    secure.state.store.dispose()


def test_wrong_password_is_401_and_does_not_sign_in(app: FastAPI) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")
    response = _login(client, app.state.team.viewer, "wrong password")
    assert response.status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_login_form_without_csrf_token_is_refused(app: FastAPI) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")
    client.get("/login")
    response = client.post(
        "/login", data={"email": app.state.team.editor, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403


def test_logout_needs_csrf_and_ends_the_session(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/w/hanoi", follow_redirects=False).status_code == 200
    out = client.post("/logout", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/w/hanoi", follow_redirects=False).status_code == 303


def test_five_failures_block_the_sixth_try_even_with_the_right_password(app: FastAPI) -> None:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        accounts.create_user(s, "target@example.org", PASSWORD)
    client = TestClient(app, base_url="http://127.0.0.1")
    for _ in range(5):
        assert _login(client, "target@example.org", "guess").status_code == 401
    blocked = _login(client, "target@example.org", PASSWORD)
    assert blocked.status_code == 429
    # the count lives in the database: a second app (another worker) on the same database agrees
    other_worker = create_app(store.url, secret_key="other", load_bundled=False)
    second = TestClient(other_worker, base_url="http://127.0.0.1")
    assert _login(second, "target@example.org", PASSWORD).status_code == 429
    other_worker.state.store.dispose()
    # the other accounts are not affected
    assert (
        _login(TestClient(app, base_url="http://127.0.0.1"), app.state.team.viewer, PASSWORD).status_code
        == 303
    )
    with store.transaction(SYSTEM) as s:
        s.execute(delete(LoginAttempt).where(LoginAttempt.email == "target@example.org"))
    assert _login(client, "target@example.org", PASSWORD).status_code == 303


def test_four_failures_then_success_clears_the_counter(app: FastAPI) -> None:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        accounts.create_user(s, "careless@example.org", PASSWORD)
    client = TestClient(app, base_url="http://127.0.0.1")
    for _ in range(4):
        _login(client, "careless@example.org", "typo")
    assert _login(client, "careless@example.org", PASSWORD).status_code == 303
    with store.reading() as s:
        assert not accounts.login_blocked(s, "careless@example.org", "testclient")


def test_next_parameter_cannot_send_users_off_site() -> None:
    assert safe_next("/w/hanoi") == "/w/hanoi"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("//evil.example/") == "/"
    assert safe_next("/\\evil.example") == "/"
    assert safe_next(None) == "/"


def test_tampered_session_cookie_is_ignored(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    value = client.cookies.get("cc_session")
    assert value
    client.cookies.set("cc_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert client.get("/w/hanoi", follow_redirects=False).status_code == 303


def test_a_password_change_ends_open_sessions(app: FastAPI, as_role: Any) -> None:
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        accounts.create_user(s, "mover@example.org", PASSWORD)
    client = TestClient(app, base_url="http://127.0.0.1")
    assert _login(client, "mover@example.org", PASSWORD).status_code == 303
    assert client.get("/login", follow_redirects=False).status_code == 303  # already signed in
    with store.transaction(SYSTEM) as s:
        accounts.set_password(s, accounts.get_user(s, "mover@example.org"), "a brand new password")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_the_session_cookie_reveals_nothing_of_the_password_hash(app: FastAPI, as_role: Any) -> None:
    import base64
    import json

    client = as_role("editor")
    payload = client.cookies.get("cc_session").split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    store: Store = app.state.store
    with store.reading() as s:
        stored = accounts.get_user(s, app.state.team.editor).password_hash
    assert set(data) == {"sid", "csrf"}  # a random session id: the session itself is on the server
    assert "argon2" not in json.dumps(data) and stored not in json.dumps(data)
    with store.reading() as s:  # only the id's digest is stored, so a database leak opens no session
        hashes = set(s.scalars(select(UserSession.token_hash)))
    assert data["sid"] not in hashes and accounts.session_hash(data["sid"]) in hashes
