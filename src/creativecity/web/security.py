"""Who is asking, and may they: sessions, API tokens, CSRF and per-workspace roles.

Sessions live in a signed cookie (Starlette's ``SessionMiddleware``: itsdangerous signature, HttpOnly,
SameSite=Lax, Secure when served over https). A cookie-authenticated request that changes anything must
carry the session's CSRF token, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header (htmx
sends the header on every request). Scripts use ``Authorization: Bearer <token>`` instead: a browser
never attaches that header on its own, so token requests need no CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from fastapi import HTTPException, Request
from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session

from creativecity.store import Actor, accounts
from creativecity.store.audit import content_version, content_version_query
from creativecity.store.models import Membership, User, Workspace
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
    if request.headers.get("authorization"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if not sent and form is not None:
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise HTTPException(status_code=403, detail="missing or invalid CSRF token")


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
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = session.get(User, uid)
    if user is None or not user.is_active or request.session.get("pw") != password_stamp(user):
        request.session.pop("uid", None)  # account gone, disabled, or password changed since login
        return None
    return Auth(user, "session")


def password_stamp(user: User) -> str:
    """A short fingerprint of the password hash, kept in the session: a password change ends sessions.

    A digest of the hash rather than a piece of it, because the session cookie is signed, not
    encrypted, and anyone holding it can read it.
    """
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def login_session(request: Request, user: User) -> None:
    """Start a signed-in session; a fresh CSRF token so a token seen before login is useless after."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["pw"] = password_stamp(user)
    request.session["csrf"] = secrets.token_urlsafe(32)


def logout_session(request: Request) -> None:
    """End the session (the cookie is rewritten empty)."""
    request.session.clear()


@dataclass
class Access:
    """A user's access to one workspace."""

    auth: Auth
    workspace: Workspace
    role: str

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


def dashboard_access(request: Request, session: Session, name: str) -> tuple[Access, int]:
    """:func:`workspace_access` for a viewer, plus the workspace's content version, in one query.

    The dashboard is the page everyone keeps open; answering its checks with a single round trip
    instead of four keeps it fast under load. API tokens and odd cases fall back to the general path.
    """
    uid = request.session.get("uid")
    if not isinstance(uid, int) or request.headers.get("authorization"):
        access = workspace_access(request, session, name, "viewer", page=True)
        return access, _version(session, access.workspace.id)
    row = session.execute(_dashboard_stmt(), {"uid": uid, "name": name}).first()
    if row is None:  # unknown user or unknown workspace: let the general path give the right answer
        access = workspace_access(request, session, name, "viewer", page=True)
        return access, _version(session, access.workspace.id)
    user, workspace, member_role, version = row
    if not user.is_active or request.session.get("pw") != password_stamp(user):
        request.session.pop("uid", None)
        raise LoginRequiredError(str(request.url.path))
    effective = "admin" if user.is_admin else member_role
    if effective is None:
        raise HTTPException(status_code=403, detail=f"this needs the viewer role on {name!r}")
    return Access(Auth(user, "session"), workspace, effective), int(version or 0)


@cache
def _dashboard_stmt() -> Select[Any]:
    """The user, the workspace, the user's role there and the content version, built once."""
    role = (
        select(Membership.role)
        .where(Membership.user_id == User.id, Membership.workspace_id == Workspace.id)
        .scalar_subquery()
    )
    version = content_version_query(Workspace.id).scalar_subquery()
    return (
        select(User, Workspace, role, version)
        .select_from(User)
        .join(Workspace, true())  # one user row and one workspace row: a deliberate cross join
        .where(User.id == bindparam("uid"), Workspace.name == bindparam("name"))
    )


def _version(session: Session, workspace_id: int) -> int:
    return content_version(session, workspace_id)


def client_ip(request: Request) -> str:
    """The peer address (proxies are not trusted: a forged header must not dodge rate limiting)."""
    return request.client.host if request.client else "unknown"
