"""Who is asking, and may they: sessions, API tokens, CSRF and per-workspace roles.

The signed cookie (Starlette's ``SessionMiddleware``: itsdangerous signature, HttpOnly, SameSite=Lax,
Secure when served over https) carries a random session id and the CSRF token; the session itself is
a row of the ``sessions`` table, so logging out, a password change, ``user disable`` or an
administrator's ``user revoke-sessions`` ends it for good: a copied cookie is worthless afterwards.
A cookie-authenticated request that changes anything must
carry the session's CSRF token, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header (htmx
sends the header on every request). Scripts use ``Authorization: Bearer <token>`` instead: a browser
never attaches that header on its own, so token requests need no CSRF token.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from fastapi import HTTPException, Request
from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session

from creativecity.store import Actor, accounts
from creativecity.store.audit import content_version, content_version_query
from creativecity.store.models import Membership, User, UserSession, Workspace, utcnow
from creativecity.store.workspaces import get_workspace

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Auth:
    """The signed-in user of a request and how they proved it (``session`` cookie or API ``token``)."""

    user: User
    via: Literal["session", "token"]

    @property
    def actor(self) -> Actor:
        """The audit actor for changes made by this request."""
        return Actor(email=self.user.email, user_id=self.user.id)


class LoginRequiredError(Exception):
    """Raised by page handlers; turned into a redirect to the login page."""

    def __init__(self, next_url: str = "/") -> None:
        super().__init__(next_url)
        self.next_url = next_url


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (anonymous sessions get one too, for login)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def csrf_guard(request: Request) -> None:
    """Refuse a state-changing, cookie-authenticated request without the session's CSRF token.

    Installed as an application-wide dependency so that no route can forget it. Requests with an API
    token skip the check (the token is validated by :func:`authenticate`).
    """
    if request.method in SAFE_METHODS:
        return
    ctype = request.headers.get("content-type", "")
    form = None
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        # text fields with NUL cannot be stored (PostgreSQL) and never come from a real form
        if any(isinstance(v, str) and "\x00" in v for v in form.values()):
            raise HTTPException(status_code=400, detail="NUL characters are not allowed in form fields")
    elif "json" in ctype:
        await refuse_lone_surrogates(request)
    if request.headers.get("authorization"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if not sent and form is not None:
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise HTTPException(status_code=403, detail="missing or invalid CSRF token")


def _surrogate_path(value: Any, path: str = "") -> str | None:
    """The path of the first text in a parsed JSON value that holds an unpaired UTF-16 surrogate."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "body"
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _surrogate_path(key) is not None:
            return f"{path}.{key!r}" if path else repr(key)
        found = _surrogate_path(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


async def refuse_lone_surrogates(request: Request) -> None:
    """422 for a JSON body with ``"\\ud800"`` in a text: no database can store it (it was a 500).

    JSON may escape half of a UTF-16 pair on its own; Python reads it into a ``str`` that cannot be
    encoded as UTF-8, so SQLite and PostgreSQL both fail on it deep inside a write. Checked before any
    route runs, so every JSON route is covered; a body that is not JSON is left to the route.
    """
    body = await request.body()
    if b"\\u" not in body and b"\\U" not in body:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return
    where = _surrogate_path(data)
    if where is not None:
        raise HTTPException(
            status_code=422,
            detail=f"field {where}: text with an unpaired surrogate (\\ud800-\\udfff) is not valid Unicode",
        )


def authenticate(request: Request, session: Session) -> Auth | None:
    """The request's user: from an API token if one is sent (invalid token = 401), else the session."""
    token = _bearer(request)
    if token is not None:
        user = accounts.user_for_token(session, token)
        if user is None:
            raise HTTPException(status_code=401, detail="invalid API token")
        return Auth(user, "token")
    if request.headers.get("authorization"):
        raise HTTPException(status_code=401, detail="unsupported authorization scheme; use Bearer")
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        return None
    user = accounts.user_for_session(session, sid)
    if user is None:
        request.session.pop("sid", None)  # logged out, revoked, expired, or the account disabled
        return None
    return Auth(user, "session")


def login_session(request: Request, sid: str) -> None:
    """Put a new session id (from :func:`accounts.start_session`) in the cookie, with a fresh CSRF token.

    The fresh token makes a CSRF token seen before login useless after it.
    """
    request.session.clear()
    request.session["sid"] = sid
    request.session["csrf"] = secrets.token_urlsafe(32)


def session_id(request: Request) -> str | None:
    """The session id the cookie carries, if any."""
    sid = request.session.get("sid")
    return sid if isinstance(sid, str) else None


def logout_session(request: Request) -> None:
    """Forget the session in the cookie (the caller deletes its row with ``accounts.end_session``)."""
    request.session.clear()


@dataclass
class Access:
    """A user's access to one workspace."""

    auth: Auth
    workspace: Workspace
    role: str
    version: int | None = None
    """The workspace's content version (sign-offs included) when the check read it in the same query
    (:func:`viewer_access`); pages cached per version then need no query of their own."""

    def can(self, role: str) -> bool:
        """Whether the user's role is at least ``role``."""
        return accounts.role_level(self.role) >= accounts.role_level(role)


def workspace_access(
    request: Request, session: Session, name: str, need: str = "viewer", *, page: bool = False
) -> Access:
    """Check that the request's user holds at least ``need`` on workspace ``name``.

    Raises 404 for an unknown workspace, 401 (or a login redirect for pages) without a user, and 403
    when the role is missing or too weak: an editor of one city cannot touch another city's data.
    """
    auth = authenticate(request, session)
    if auth is None:
        if page:
            raise LoginRequiredError(str(request.url.path))
        raise HTTPException(status_code=401, detail="sign in first")
    workspace = get_workspace(session, name)
    if workspace is None:
        raise HTTPException(status_code=404, detail=f"no workspace {name!r}")
    role = accounts.role_on(session, auth.user, workspace)
    if role is None or accounts.role_level(role) < accounts.role_level(need):
        raise HTTPException(status_code=403, detail=f"this needs the {need} role on {name!r}")
    return Access(auth, workspace, role)


def viewer_access(request: Request, session: Session, name: str, *, page: bool = True) -> Access:
    """:func:`workspace_access` for a viewer, with the content version, in one query.

    ``page``: a missing or ended session redirects to the login page (pages) or is a 401 (the API).
    """
    access, version = dashboard_access(request, session, name, page=page)
    access.version = version
    return access


def dashboard_access(
    request: Request, session: Session, name: str, *, page: bool = True
) -> tuple[Access, int]:
    """:func:`workspace_access` for a viewer, plus the workspace's content version, in one query.

    The pages everyone keeps open are read far more often than they change; answering their checks
    with a single round trip instead of four keeps them fast under load. The version counts sign-offs
    (:func:`creativecity.store.audit.content_version` ``with_signoffs``), as the page caches key on it.
    API tokens and odd cases fall back to the general path.
    """
    sid = session_id(request)
    if sid is None or request.headers.get("authorization"):
        access = workspace_access(request, session, name, "viewer", page=page)
        return access, _version(session, access.workspace.id)
    params = {"sid": accounts.session_hash(sid), "now": utcnow(), "name": name}
    row = session.execute(_dashboard_stmt(), params).first()
    if row is None:  # no such session or workspace: let the general path give the right answer
        access = workspace_access(request, session, name, "viewer", page=page)
        return access, _version(session, access.workspace.id)
    user, workspace, member_role, version = row
    if not user.is_active:
        request.session.pop("sid", None)
        if not page:
            raise HTTPException(status_code=401, detail="sign in first")
        raise LoginRequiredError(str(request.url.path))
    effective = "admin" if user.is_admin else member_role
    if effective is None:
        raise HTTPException(status_code=403, detail=f"this needs the viewer role on {name!r}")
    return Access(Auth(user, "session"), workspace, effective), int(version or 0)


@cache
def _dashboard_stmt() -> Select[Any]:
    """The session's user, the workspace, the user's role there and the content version, built once."""
    role = (
        select(Membership.role)
        .where(Membership.user_id == User.id, Membership.workspace_id == Workspace.id)
        .scalar_subquery()
    )
    version = content_version_query(Workspace.id, with_signoffs=True).scalar_subquery()
    return (
        select(User, Workspace, role, version)
        .select_from(UserSession)
        .join(User, User.id == UserSession.user_id)
        .join(Workspace, true())  # one user row and one workspace row: a deliberate cross join
        .where(
            UserSession.token_hash == bindparam("sid"),
            UserSession.expires_at > bindparam("now"),
            Workspace.name == bindparam("name"),
        )
    )


def _version(session: Session, workspace_id: int) -> int:
    return content_version(session, workspace_id, with_signoffs=True)


def client_ip(request: Request) -> str:
    """The peer address, used by the login limits.

    ``X-Forwarded-For`` is believed only from the proxies named with ``serve --forwarded-allow-ips``
    (:func:`creativecity.web.proxy.with_proxy_headers` rewrites the peer before the app sees it), so a
    forged header from anyone else cannot dodge the limits.
    """
    return request.client.host if request.client else "unknown"
