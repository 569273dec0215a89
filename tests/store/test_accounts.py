"""Accounts, roles, API tokens and the login rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from creativecity.errors import InputError
from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.bootstrap import load_bundled
from creativecity.store.models import ApiToken, LoginAttempt, utcnow
from creativecity.store.workspaces import require_workspace

PW = "long enough password"


def test_passwords_are_stored_as_argon2_hashes(store: Store) -> None:
    with store.transaction(SYSTEM) as s:
        user = accounts.create_user(s, "  Ana@Example.ORG ", PW)
        assert user.email == "ana@example.org"
        assert user.password_hash.startswith("$argon2id$") and PW not in user.password_hash
    with store.transaction(SYSTEM) as s:
        assert accounts.authenticate(s, "ANA@example.org", PW) is not None
        assert accounts.authenticate(s, "ana@example.org", PW + "x") is None
        assert accounts.authenticate(s, "nobody@example.org", PW) is None


@pytest.mark.parametrize(
    ("email", "password", "rule"),
    [
        ("not-an-email", PW, "e-mail"),
        ("a@b.org", "short", "password length"),
    ],
)
def test_bad_accounts_are_refused(store: Store, email: str, password: str, rule: str) -> None:
    with pytest.raises(InputError) as err, store.transaction(SYSTEM) as s:
        accounts.create_user(s, email, password)
    assert err.value.rule == rule


def test_duplicate_email_is_refused(store: Store) -> None:
    with store.transaction(SYSTEM) as s:
        accounts.create_user(s, "a@b.org", PW)
    with pytest.raises(InputError, match="already exists"), store.transaction(SYSTEM) as s:
        accounts.create_user(s, "A@B.org", PW)


def test_five_recent_failures_block_that_email_from_that_address_only(store: Store) -> None:
    with store.transaction(SYSTEM) as s:
        for _ in range(4):
            accounts.record_login(s, "a@b.org", "10.0.0.1", success=False)
    with store.reading() as s:
        assert not accounts.login_blocked(s, "a@b.org", "10.0.0.1")  # 4 < 5
    with store.transaction(SYSTEM) as s:
        accounts.record_login(s, "a@b.org", "10.0.0.1", success=False)
    with store.reading() as s:
        assert accounts.login_blocked(s, "a@b.org", "10.0.0.1")
        assert not accounts.login_blocked(s, "a@b.org", "10.0.0.2")
        assert not accounts.login_blocked(s, "c@b.org", "10.0.0.1")


def test_failures_older_than_five_minutes_do_not_count(store: Store) -> None:
    old = utcnow() - timedelta(minutes=6)
    with store.transaction(SYSTEM) as s:
        for _ in range(5):
            s.add(LoginAttempt(email="a@b.org", ip="10.0.0.1", at=old, success=False))
    with store.reading() as s:
        assert not accounts.login_blocked(s, "a@b.org", "10.0.0.1")


def test_roles_per_workspace_and_site_admin(store: Store) -> None:
    load_bundled(store)
    with store.transaction(SYSTEM) as s:
        hanoi = require_workspace(s, "hanoi")
        boss = accounts.create_user(s, "boss@b.org", PW, is_admin=True)
        ed = accounts.create_user(s, "ed@b.org", PW)
        nobody = accounts.create_user(s, "no@b.org", PW)
        accounts.grant(s, ed, hanoi, "viewer")
        accounts.grant(s, ed, hanoi, "editor")  # replaces the earlier role
        assert accounts.role_on(s, boss, hanoi) == "admin"
        assert accounts.role_on(s, ed, hanoi) == "editor"
        assert accounts.role_on(s, nobody, hanoi) is None
        assert [(w.name, r) for w, r in accounts.workspaces_of(s, ed)] == [("hanoi", "editor")]
        with pytest.raises(InputError, match="unknown role"):
            accounts.grant(s, ed, hanoi, "owner")
    assert accounts.role_level("viewer") < accounts.role_level("editor") < accounts.role_level("admin")
    assert accounts.role_level(None) == -1


def test_api_tokens_are_stored_hashed_and_can_be_revoked(store: Store) -> None:
    with store.transaction(SYSTEM) as s:
        user = accounts.create_user(s, "bot@b.org", PW)
        token = accounts.create_token(s, user, "nightly import")
    with store.transaction(SYSTEM) as s:
        row = s.query(ApiToken).one()
        assert token not in row.token_hash and len(row.token_hash) == 64
        assert accounts.user_for_token(s, token).email == "bot@b.org"
        assert accounts.user_for_token(s, token + "x") is None
        assert accounts.user_for_token(s, "no-prefix") is None
        row.revoked = True
    with store.reading() as s:
        assert accounts.user_for_token(s, token) is None
