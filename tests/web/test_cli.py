"""``creativecity user ...`` and ``serve --help``: accounts from the command line, exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from creativecity.cli import app

runner = CliRunner()


def _db(tmp_path: object) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path}/cli.sqlite"]


def test_first_admin_from_stdin_then_list_and_grant(tmp_path: object) -> None:
    db = _db(tmp_path)
    added = runner.invoke(
        app, ["user", "add", "Boss@Example.org", "--admin", "--password-stdin", *db], input="s3cret-pass\n"
    )
    assert added.exit_code == 0, added.output
    runner.invoke(app, ["user", "add", "ed@example.org", "--password-stdin", *db], input="another-pass\n")
    granted = runner.invoke(app, ["user", "grant", "ed@example.org", "hanoi", "editor", *db])
    assert granted.exit_code == 0, granted.output
    listed = runner.invoke(app, ["user", "list", "--json", *db])
    rows = {r["email"]: r for r in json.loads(listed.stdout)}
    assert rows["boss@example.org"]["admin"] is True
    assert rows["ed@example.org"]["roles"] == {"hanoi": "editor"}


def test_short_password_is_exit_2(tmp_path: object) -> None:
    result = runner.invoke(
        app, ["user", "add", "a@example.org", "--password-stdin", *_db(tmp_path)], input="short\n"
    )
    assert result.exit_code == 2
    assert "at least 8 characters" in result.output


def test_duplicate_user_is_exit_2(tmp_path: object) -> None:
    db = _db(tmp_path)
    runner.invoke(app, ["user", "add", "a@example.org", "--password-stdin", *db], input="long-password\n")
    again = runner.invoke(
        app, ["user", "add", "A@example.org", "--password-stdin", *db], input="long-password\n"
    )
    assert again.exit_code == 2 and "already exists" in again.output


def test_grant_with_a_bad_role_or_unknown_user_is_exit_2(tmp_path: object) -> None:
    db = _db(tmp_path)
    runner.invoke(app, ["user", "add", "a@example.org", "--password-stdin", *db], input="long-password\n")
    bad_role = runner.invoke(app, ["user", "grant", "a@example.org", "hanoi", "owner", *db])
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    nobody = runner.invoke(app, ["user", "grant", "x@example.org", "hanoi", "viewer", *db])
    assert nobody.exit_code == 2
    no_ws = runner.invoke(app, ["user", "grant", "a@example.org", "atlantis", "viewer", *db])
    assert no_ws.exit_code == 2 and "atlantis" in no_ws.output


def test_token_is_printed_once_and_works(tmp_path: object) -> None:
    from creativecity.store import Store, accounts

    db = _db(tmp_path)
    runner.invoke(app, ["user", "add", "bot@example.org", "--password-stdin", *db], input="long-password\n")
    result = runner.invoke(app, ["user", "token", "bot@example.org", *db])
    token = result.stdout.strip()
    assert result.exit_code == 0 and token.startswith("cc_")
    store = Store(db[1])
    with store.reading() as s:
        assert accounts.user_for_token(s, token).email == "bot@example.org"
    store.dispose()


def test_serve_help_names_the_contract_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--database"):
        assert option in result.output


def test_serve_with_an_unsupported_database_is_exit_2() -> None:
    result = runner.invoke(app, ["serve", "--database", "mysql://u@h/db"])
    assert result.exit_code == 2 and "unsupported database" in result.output


def test_passwd_changes_the_password(tmp_path: object) -> None:
    from creativecity.store import Store, accounts

    db = _db(tmp_path)
    runner.invoke(app, ["user", "add", "a@example.org", "--password-stdin", *db], input="first-password\n")
    changed = runner.invoke(
        app, ["user", "passwd", "a@example.org", "--password-stdin", *db], input="second-password\n"
    )
    assert changed.exit_code == 0, changed.output
    store = Store(db[1])
    with store.transaction() as s:
        assert accounts.authenticate(s, "a@example.org", "second-password") is not None
        assert accounts.authenticate(s, "a@example.org", "first-password") is None
    store.dispose()
    assert (
        runner.invoke(
            app, ["user", "passwd", "b@example.org", "--password-stdin", *db], input="x" * 9 + "\n"
        ).exit_code
        == 2
    )


def test_revoke_removes_the_role_the_web_page_would_remove(tmp_path: object) -> None:
    db = _db(tmp_path)
    runner.invoke(app, ["user", "add", "ed@example.org", "--password-stdin", *db], input="another-pass\n")
    runner.invoke(app, ["user", "grant", "ed@example.org", "hanoi", "editor", *db])
    revoked = runner.invoke(app, ["user", "revoke", "ed@example.org", "hanoi", *db])
    assert revoked.exit_code == 0, revoked.output
    rows = {r["email"]: r for r in json.loads(runner.invoke(app, ["user", "list", "--json", *db]).stdout)}
    assert rows["ed@example.org"]["roles"] == {}
    again = runner.invoke(app, ["user", "revoke", "ed@example.org", "hanoi", *db])
    assert again.exit_code == 0 and "had none" in again.output
    nobody = runner.invoke(app, ["user", "revoke", "x@example.org", "hanoi", *db])
    assert nobody.exit_code == 2 and "no user" in nobody.output
