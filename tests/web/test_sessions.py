"""Issue 13, findings 8, 10 and 3: sessions that end, tokens that can be revoked, login limits per
address and per account (with trusted proxies only), and login floods that do not lock editors out."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from creativecity.cli import app as cli_app
from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.models import ApiToken, LoginAttempt, UserSession
from creativecity.web.proxy import with_proxy_headers

from .conftest import PASSWORD, csrf_from, sign_in

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_login_history(app: FastAPI) -> Iterator[None]:
    """Each test starts without failed logins (the limits would otherwise carry over)."""
    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        s.execute(delete(LoginAttempt))
    yield
    with store.transaction(SYSTEM) as s:
        s.execute(delete(LoginAttempt))


def _cli(app: FastAPI, *args: str) -> Any:
    result = runner.invoke(cli_app, ["user", *args, "--database", app.state.store.url])
    assert result.exit_code == 0, result.output
    return result


def _login(client: TestClient, email: str, password: str = PASSWORD) -> int:
    csrf = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf}, follow_redirects=False
    )
    return response.status_code


def _new_user(app: FastAPI, email: str, role: str = "editor") -> None:
    from creativecity.store.workspaces import require_workspace

    store: Store = app.state.store
    with store.transaction(SYSTEM) as s:
        user = accounts.get_user(s, email) or accounts.create_user(s, email, PASSWORD)
        accounts.grant(s, user, require_workspace(s, "hanoi"), role)


def _token_for(client: Any) -> str:
    page = client.post("/account/tokens", data={"name": "script", "csrf_token": client.csrf})
    assert page.status_code == 200
    token = next(w for w in page.text.replace("<", " ").replace(">", " ").split() if w.startswith("cc_"))
    return token


def _api(app: FastAPI, token: str) -> int:
    with TestClient(app, base_url="http://127.0.0.1") as bot:
        return bot.get(
            "/api/workspaces/hanoi/observations", headers={"Authorization": f"Bearer {token}"}
        ).status_code


# -- finding 8 ----------------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_is_worthless_after(app: FastAPI) -> None:
    _new_user(app, "leaver@example.org")
    browser = sign_in(app, "leaver@example.org")
    copied = browser.cookies.get("cc_session")
    assert browser.get("/w/hanoi", follow_redirects=False).status_code == 200
    assert (
        browser.post("/logout", data={"csrf_token": browser.csrf}, follow_redirects=False).status_code == 303
    )
    thief = TestClient(app, base_url="http://127.0.0.1", cookies={"cc_session": copied})
    assert thief.get("/w/hanoi", follow_redirects=False).status_code == 303  # to the sign-in page
    assert thief.get("/api/workspaces/hanoi/observations").status_code == 401


def test_a_password_change_ends_other_sessions_and_revokes_tokens(app: FastAPI) -> None:
    _new_user(app, "changer@example.org")
    laptop = sign_in(app, "changer@example.org")
    phone = sign_in(app, "changer@example.org")
    token = _token_for(laptop)
    assert _api(app, token) == 200
    changed = laptop.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a new long password", "repeat": "a new long password"}
        | {"csrf_token": laptop.csrf},
    )
    assert changed.status_code == 200, changed.text[-500:]
    assert laptop.get("/w/hanoi", follow_redirects=False).status_code == 200  # this browser stays
    assert phone.get("/w/hanoi", follow_redirects=False).status_code == 303  # the other one is out
    assert _api(app, token) == 401
    with app.state.store.transaction(SYSTEM) as s:  # back to the team password for later tests
        accounts.set_password(s, accounts.get_user(s, "changer@example.org"), PASSWORD)


def test_a_bearer_token_cannot_mint_tokens_or_change_the_password(app: FastAPI) -> None:
    _new_user(app, "scripter@example.org")
    browser = sign_in(app, "scripter@example.org")
    token = _token_for(browser)
    store: Store = app.state.store
    with store.reading() as s:
        before = s.scalar(select(func.count()).select_from(ApiToken))
    with TestClient(app, base_url="http://127.0.0.1") as bot:
        auth = {"Authorization": f"Bearer {token}"}
        minted = bot.post("/account/tokens", data={"name": "more"}, headers=auth)
        assert minted.status_code == 403
        assert "cc_" not in minted.text
        changed = bot.post(
            "/account/password", data={"current": PASSWORD, "new": "x" * 12, "repeat": "x" * 12}, headers=auth
        )
        assert changed.status_code == 403
    # a session without its CSRF token cannot mint either
    assert browser.post("/account/tokens", data={"name": "no csrf"}).status_code == 403
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(ApiToken)) == before
    assert _login(TestClient(app, base_url="http://127.0.0.1"), "scripter@example.org") == 303


def test_cli_revokes_tokens_and_sessions_and_disables_accounts(app: FastAPI) -> None:
    _new_user(app, "ops@example.org")
    browser = sign_in(app, "ops@example.org")
    token = _token_for(browser)
    assert "revoked 1 token(s)" in _cli(app, "revoke-tokens", "ops@example.org").output
    assert _api(app, token) == 401
    assert browser.get("/w/hanoi", follow_redirects=False).status_code == 200  # tokens only
    assert "ended 1 session(s)" in _cli(app, "revoke-sessions", "ops@example.org").output
    assert browser.get("/w/hanoi", follow_redirects=False).status_code == 303

    again = sign_in(app, "ops@example.org")
    second = _token_for(again)
    _cli(app, "disable", "ops@example.org")
    assert again.get("/w/hanoi", follow_redirects=False).status_code == 303
    assert _api(app, second) == 401
    assert _login(TestClient(app, base_url="http://127.0.0.1"), "ops@example.org") == 401
    listed = runner.invoke(cli_app, ["user", "list", "--json", "--database", app.state.store.url])
    assert '"active": false' in listed.output
    _cli(app, "enable", "ops@example.org")
    assert _login(TestClient(app, base_url="http://127.0.0.1"), "ops@example.org") == 303
    assert _api(app, second) == 200  # the token was not revoked, only its account disabled
    missing = runner.invoke(
        cli_app, ["user", "disable", "nobody@example.org", "--database", app.state.store.url]
    )
    assert missing.exit_code == 2


def test_a_site_administrator_ends_a_members_sessions_from_the_page(app: FastAPI, as_role: Any) -> None:
    _new_user(app, "lost-laptop@example.org")
    laptop = sign_in(app, "lost-laptop@example.org")
    admin = as_role("admin")
    assert "End all sessions" in admin.get("/w/hanoi/members").text
    ended = admin.post(
        "/w/hanoi/members/sessions", data={"email": "lost-laptop@example.org", "csrf_token": admin.csrf}
    )
    assert ended.status_code == 200
    assert laptop.get("/w/hanoi", follow_redirects=False).status_code == 303
    trail = admin.get("/api/workspaces/hanoi/audit").json()["entries"]
    assert any(e["entity_id"] == "lost-laptop@example.org" and e["field"] == "sessions" for e in trail)
    # an editor (not even a workspace admin) cannot sign the administrator out
    editor = as_role("editor")
    refused = editor.post(
        "/w/hanoi/members/sessions", data={"email": app.state.team.admin, "csrf_token": editor.csrf}
    )
    assert refused.status_code == 403
    assert admin.get("/w/hanoi", follow_redirects=False).status_code == 200


def test_logout_deletes_the_session_row(app: FastAPI) -> None:
    _new_user(app, "row@example.org")
    store: Store = app.state.store
    with store.reading() as s:
        user = accounts.get_user(s, "row@example.org")
        before = s.scalar(select(func.count()).where(UserSession.user_id == user.id))
    browser = sign_in(app, "row@example.org")
    with store.reading() as s:
        assert s.scalar(select(func.count()).where(UserSession.user_id == user.id)) == before + 1
    browser.post("/logout", data={"csrf_token": browser.csrf})
    with store.reading() as s:
        assert s.scalar(select(func.count()).where(UserSession.user_id == user.id)) == before


# -- finding 10 ---------------------------------------------------------------------------------


def _from(app: Any, address: str) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", client=(address, 40000))


def test_one_address_guessing_many_accounts_is_limited(app: FastAPI) -> None:
    guesser = _from(app, "198.51.100.7")
    for i in range(accounts.LOGIN_MAX_PER_ADDRESS):
        assert _login(guesser, f"guess{i}@example.org", "wrong password") == 401
    # the limit is the address's: even a right password for a real account is refused from it now
    assert _login(guesser, app.state.team.editor) == 429
    assert _login(_from(app, "198.51.100.8"), app.state.team.editor) == 303


def test_many_addresses_guessing_one_account_are_limited(app: FastAPI) -> None:
    victim = app.state.team.viewer
    for i in range(accounts.LOGIN_MAX_PER_ACCOUNT):
        assert _login(_from(app, f"203.0.113.{i + 1}"), victim, "wrong password") == 401
    assert _login(_from(app, "192.0.2.200"), victim) == 429
    assert _login(_from(app, "192.0.2.200"), app.state.team.editor) == 303  # other accounts are fine


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(app: FastAPI) -> None:
    proxied = with_proxy_headers(app, "10.0.0.1")
    store: Store = app.state.store
    # an untrusted peer forging a new address for every try is still one address
    forger = _from(proxied, "203.0.113.66")
    for i in range(accounts.LOGIN_MAX_FAILURES):
        forger.headers["x-forwarded-for"] = f"192.0.2.{i + 1}"
        assert _login(forger, "target@example.org", "wrong") == 401
    forger.headers["x-forwarded-for"] = "192.0.2.99"
    assert _login(forger, "target@example.org", "wrong") == 429
    with store.reading() as s:
        ips = set(s.scalars(select(LoginAttempt.ip).where(LoginAttempt.email == "target@example.org")))
    assert ips == {"203.0.113.66"}
    # the trusted proxy's forwarded addresses are the clients' own
    proxy = _from(proxied, "10.0.0.1")
    for i in range(3):
        proxy.headers["x-forwarded-for"] = f"198.51.100.{i + 1}"
        assert _login(proxy, "someone@example.org", "wrong") == 401
    with store.reading() as s:
        ips = set(s.scalars(select(LoginAttempt.ip).where(LoginAttempt.email == "someone@example.org")))
    assert ips == {"198.51.100.1", "198.51.100.2", "198.51.100.3"}


# -- finding 3 ----------------------------------------------------------------------------------


def test_the_password_hash_is_checked_outside_any_write_transaction(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    store: Store = app.state.store
    if store.backend != "sqlite":
        pytest.skip("the single write lock is SQLite's")
    import sqlite3

    path = store.engine.url.database
    seen: list[str] = []
    real = accounts._hasher

    class Probe:
        """Argon2 whose verify first checks that another connection could take the write lock now."""

        def verify(self, hashed: str, password: str) -> bool:
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                seen.append("free")
            except sqlite3.OperationalError as exc:
                seen.append(str(exc))
            finally:
                probe.close()
            return real.verify(hashed, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(accounts, "_hasher", Probe())
    client = TestClient(app, base_url="http://127.0.0.1")
    assert _login(client, app.state.team.editor, "wrong password") == 401
    assert _login(client, app.state.team.editor) == 303
    assert seen == ["free", "free"]


def test_a_login_flood_does_not_fail_an_editors_saves(app: FastAPI, as_role: Any) -> None:
    from argon2 import PasswordHasher

    # production-like cost for the flood (about 20-50 ms a check), set back afterwards
    slow, cheap = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1), accounts._hasher
    accounts.set_hasher(slow)
    editor = as_role("editor")
    stop = threading.Event()
    failures: list[int] = []

    def flood(n: int) -> None:
        client = _from(app, f"100.64.0.{n}")
        while not stop.is_set():
            code = _login(client, f"nobody{n}@example.org", "wrong password")
            if code not in (401, 429):
                failures.append(code)

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    codes, slowest = [], 0.0
    try:
        time.sleep(0.3)
        for i in range(10):
            start = time.perf_counter()
            response = editor.patch(
                "/api/workspaces/hanoi/observations/obs-0001",
                json={"note": f"saved during a login flood {i}"},
                headers={"X-CSRF-Token": editor.csrf},
            )
            slowest = max(slowest, time.perf_counter() - start)
            codes.append(response.status_code)
    finally:
        stop.set()
        for t in threads:
            t.join()
        accounts.set_hasher(cheap)
    assert codes == [200] * 10, codes
    assert not failures
    assert slowest < 10  # well inside the 10 s busy timeout that used to run out
