"""``creativecity serve`` and ``creativecity user ...``: run the web app and manage its accounts.

Every command opens the one store (:func:`creativecity.store.open_store`): the database the workspace
commands use too, migrated, with the bundled ``hanoi`` in a fresh one.
The first administrator is made from the command line (``user add EMAIL --admin``), never through an
open web sign-up: a city department's data is not open to whoever finds the server first.
"""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

import typer

from creativecity.cli._support import DATABASE, console, err_console, handle_errors, print_json, require_extra
from creativecity.errors import InputError
from creativecity.fileio import creativecity_home
from creativecity.store import accounts
from creativecity.store.db import database_url, shown_url
from creativecity.store.home import open_store, os_actor
from creativecity.store.workspaces import require_workspace

user_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Accounts and roles of the web app.")


def secret_key() -> str:
    """The session-signing key: ``$CREATIVECITY_SECRET_KEY``, else one kept in the data folder.

    A stored key lets sessions survive restarts and be shared by several workers; the file is readable
    by its owner only.
    """
    env = os.environ.get("CREATIVECITY_SECRET_KEY")
    if env:
        return env
    path = creativecity_home() / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def _password(from_stdin: bool, email: str) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(f"Password for {email}", hide_input=True, confirmation_prompt=True)
    accounts.check_password_rules(password, field="password")
    return password


def _account_change(database: str | None, email: str, change: Any) -> Any:
    """Run ``change(session, user)`` on the account ``email`` in one audited transaction."""
    store = open_store(database)
    try:
        with store.transaction(os_actor()) as session:
            user = accounts.get_user(session, email)
            if user is None:
                raise InputError(f"no user {email!r}", column="EMAIL", rule="known user")
            return change(session, user)
    finally:
        store.dispose()


@user_app.command("add")
@handle_errors
def user_add(
    email: str = typer.Argument(..., help="The person's e-mail address (their login)."),
    admin: bool = typer.Option(False, "--admin", help="Site administrator: admin of every workspace."),
    name: str = typer.Option("", "--name", help="Display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    database: str | None = DATABASE,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create an account (the first one with --admin)."""
    password = _password(password_stdin, email)
    store = open_store(database)
    try:
        with store.transaction(os_actor()) as session:
            user = accounts.create_user(session, email, password, is_admin=admin, display_name=name)
            result = {"email": user.email, "admin": user.is_admin, "id": user.id}
    finally:
        store.dispose()
    if json_out:
        print_json(result)
    else:
        console.print(f"added {result['email']}" + (" (administrator)" if admin else ""))


@user_app.command("list")
@handle_errors
def user_list(
    database: str | None = DATABASE,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """List accounts with their roles."""
    store = open_store(database)
    try:
        with store.reading() as session:
            rows = []
            for user in accounts.list_users(session):
                roles = {ws.name: role for ws, role in accounts.workspaces_of(session, user)}
                rows.append(
                    {"email": user.email, "admin": user.is_admin, "active": user.is_active, "roles": roles}
                )
    finally:
        store.dispose()
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("e-mail", "admin", "active", "roles")
    for row in rows:
        roles = ", ".join(f"{k}: {v}" for k, v in row["roles"].items())
        table.add_row(row["email"], "yes" if row["admin"] else "", "yes" if row["active"] else "no", roles)
    console.print(table)


@user_app.command("grant")
@handle_errors
def user_grant(
    email: str = typer.Argument(..., help="The account's e-mail."),
    workspace: str = typer.Argument(..., help="Workspace name, e.g. hanoi."),
    role: str = typer.Argument(..., help="viewer, editor or admin."),
    database: str | None = DATABASE,
) -> None:
    """Give an account a role on a workspace (replacing its earlier role there)."""
    _account_change(database, email, lambda s, u: accounts.grant(s, u, require_workspace(s, workspace), role))
    console.print(f"{email} is now {role} of {workspace}")


@user_app.command("revoke")
@handle_errors
def user_revoke(
    email: str = typer.Argument(..., help="The account's e-mail."),
    workspace: str = typer.Argument(..., help="Workspace name, e.g. hanoi."),
    database: str | None = DATABASE,
) -> None:
    """Remove an account's role on a workspace (what the web app's members page does with "none")."""
    removed = _account_change(
        database, email, lambda s, u: accounts.revoke(s, u, require_workspace(s, workspace))
    )
    console.print(f"{email} has no role on {workspace}" + ("" if removed else " (had none)"))


@user_app.command("passwd")
@handle_errors
def user_passwd(
    email: str = typer.Argument(..., help="The account's e-mail."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the new password from stdin."),
    database: str | None = DATABASE,
) -> None:
    """Set a new password (the account's sessions end and its API tokens are revoked)."""
    password = _password(password_stdin, email)
    _account_change(database, email, lambda s, u: accounts.set_password(s, u, password))
    console.print(f"password of {email} changed")


@user_app.command("token")
@handle_errors
def user_token(
    email: str = typer.Argument(..., help="The account's e-mail."),
    name: str = typer.Option("script", "--name", help="What the token is for."),
    database: str | None = DATABASE,
) -> None:
    """Issue an API token (printed once) for scripts: send it as ``Authorization: Bearer TOKEN``."""
    token = _account_change(database, email, lambda s, u: accounts.create_token(s, u, name))
    sys.stdout.write(token + "\n")


@user_app.command("revoke-tokens")
@handle_errors
def user_revoke_tokens(
    email: str = typer.Argument(..., help="The account's e-mail."),
    database: str | None = DATABASE,
) -> None:
    """Revoke every API token of an account (a leaked token, a person leaving)."""
    n = _account_change(database, email, accounts.revoke_tokens)
    console.print(f"revoked {n} token(s) of {email}")


@user_app.command("revoke-sessions")
@handle_errors
def user_revoke_sessions(
    email: str = typer.Argument(..., help="The account's e-mail."),
    database: str | None = DATABASE,
) -> None:
    """Sign an account out everywhere: every browser session of it ends now."""
    n = _account_change(database, email, accounts.revoke_sessions)
    console.print(f"ended {n} session(s) of {email}")


@user_app.command("disable")
@handle_errors
def user_disable(
    email: str = typer.Argument(..., help="The account's e-mail."),
    database: str | None = DATABASE,
) -> None:
    """Disable an account: it can no longer sign in, its sessions end and its tokens stop working."""
    _account_change(database, email, lambda s, u: accounts.set_active(s, u, False))
    console.print(f"{email} is disabled")


@user_app.command("enable")
@handle_errors
def user_enable(
    email: str = typer.Argument(..., help="The account's e-mail."),
    database: str | None = DATABASE,
) -> None:
    """Enable a disabled account again (its old sessions and revoked tokens stay ended)."""
    _account_change(database, email, lambda s, u: accounts.set_active(s, u, True))
    console.print(f"{email} is enabled")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``user`` group to the root command line."""

    @app.command("serve")
    @handle_errors
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        database: str | None = DATABASE,
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
        secure_cookies: bool = typer.Option(
            False, "--secure-cookies", help="Mark cookies Secure (when served over https)."
        ),
        forwarded_allow_ips: str = typer.Option(
            "",
            "--forwarded-allow-ips",
            help="Comma-separated addresses of trusted reverse proxies whose X-Forwarded-For is believed "
            "(the login limits then count each client's own address); from anyone else it is ignored.",
        ),
    ) -> None:
        """Run the web app (migrates the database on start; loads the bundled hanoi workspace if empty)."""
        require_extra("web")  # uvicorn's workers import the app: fail here, before any work
        import uvicorn

        url = database_url(database)
        if host not in ("127.0.0.1", "localhost", "::1") and not secure_cookies:
            err_console.print(
                "warning: listening beyond this machine without --secure-cookies; serve it over https "
                "(a reverse proxy) and add --secure-cookies",
                markup=False,
            )
        open_store(url).dispose()  # migrate, load hanoi, move old folders once, before workers start
        os.environ["CREATIVECITY_WEB_DATABASE"] = url
        os.environ["CREATIVECITY_WEB_SECRET"] = secret_key()
        os.environ["CREATIVECITY_WEB_SECURE"] = "1" if secure_cookies else ""
        # read by creativecity.web.asgi in each worker (the command line does not import the web layer)
        os.environ["CREATIVECITY_WEB_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
        console.print(f"database: {shown_url(url)}", highlight=False)
        console.print(f"serving on http://{host}:{port}/")
        uvicorn.run(
            "creativecity.web.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=False,  # the app wraps itself, trusting only --forwarded-allow-ips (asgi.py)
        )

    app.add_typer(user_app, name="user", help="Accounts and roles of the web app.")
