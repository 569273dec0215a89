"""Accounts, roles, sessions, API tokens and login rate limiting.

Passwords are hashed with Argon2id (argon2-cffi), the current recommendation for password storage;
session ids and API tokens are random and only their SHA-256 is stored. Failed logins are counted in
the database, not in process memory, so that the limits hold when the app runs with several workers.

An Argon2 check costs tens of milliseconds by design. :func:`check_password` works on an already
loaded account and touches no database, so callers run it outside any write transaction: on SQLite a
login flood would otherwise hold the database's single write lock and editors' saves would fail with
"database is locked" (issue 13).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.rules import valid_email
from creativecity.store.models import (
    ROLES,
    ApiToken,
    LoginAttempt,
    Membership,
    User,
    UserSession,
    Workspace,
    utcnow,
)

_hasher = PasswordHasher()
MIN_PASSWORD = 8
LOGIN_WINDOW = timedelta(minutes=5)
#: Failures within :data:`LOGIN_WINDOW` after which the same e-mail from the same address is refused.
LOGIN_MAX_FAILURES = 5
#: Failures from one address, whatever the e-mail (one machine guessing many accounts).
LOGIN_MAX_PER_ADDRESS = 30
#: Failures on one account, whatever the address (many machines guessing one account; behind a proxy
#: without ``--forwarded-allow-ips`` every user shares one address, and this limit still holds).
LOGIN_MAX_PER_ACCOUNT = 20
#: How long a signed-in session lasts: a working day, so a forgotten laptop does not stay signed in.
SESSION_LIFETIME = timedelta(hours=8)
TOKEN_PREFIX = "cc_"
# A real hash of a random password: verifying against it when the user does not exist costs the same
# time as a real check, so response times do not tell which e-mail addresses have accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def set_hasher(hasher: PasswordHasher) -> None:
    """Replace the password hasher (tests use cheaper parameters; production keeps the defaults)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    """Lower-cased, trimmed e-mail: people type their address with varying case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password_rules(password: str, field: str = "password") -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD} characters", column=field, rule="password length"
        )


def create_user(
    session: Session, email: str, password: str, *, is_admin: bool = False, display_name: str = ""
) -> User:
    """Add an account. Raises InputError for a malformed e-mail, a short password or a duplicate."""
    email = normalise_email(email)
    if not valid_email(email):
        raise InputError(f"not an e-mail address: {email!r}", column="EMAIL", rule="e-mail")
    check_password_rules(password)
    if get_user(session, email) is not None:
        raise InputError(f"a user {email} already exists", column="EMAIL", rule="unique e-mail")
    user = User(
        email=email, password_hash=hash_password(password), is_admin=is_admin, display_name=display_name
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, email: str) -> User | None:
    """The account with this e-mail, or None."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users(session: Session) -> list[User]:
    """All accounts, by e-mail."""
    return list(session.scalars(select(User).order_by(User.email)))


def check_password(user: User | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` opens ``user`` (active), and a new hash when the stored one is outdated.

    Touches no database: run it outside any write transaction. A missing account is checked against a
    dummy hash, so the time taken does not tell which e-mail addresses have accounts.
    """
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if user is None or not user.is_active:
        return False, None
    return True, hash_password(password) if _hasher.check_needs_rehash(user.password_hash) else None


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose password matches, else None (in constant-ish time either way).

    For scripts and the command line; the web app loads the account, checks the password with
    :func:`check_password` outside any transaction, and writes only the outcome.
    """
    user = get_user(session, email)
    ok, rehash = check_password(user, password)
    if not ok or user is None:
        return None
    if rehash is not None:
        user.password_hash = rehash
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change a user's password after checking the rules; every session and API token of it ends.

    Whoever knew the old password may have opened sessions or issued tokens with it.
    """
    check_password_rules(password)
    user.password_hash = hash_password(password)
    revoke_sessions(session, user)
    revoke_tokens(session, user)


def set_active(session: Session, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions (its tokens stop working with it)."""
    user.is_active = active
    if not active:
        revoke_sessions(session, user)


def login_blocked(session: Session, email: str, ip: str) -> bool:
    """True when logins are refused for this e-mail from this address for now.

    Three limits over the last :data:`LOGIN_WINDOW`: failures of this e-mail from this address, of any
    e-mail from this address, and of this e-mail from any address.
    """
    since = utcnow() - LOGIN_WINDOW
    email = normalise_email(email)[:320]
    failed = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    )
    limits = (
        (LOGIN_MAX_FAILURES, (LoginAttempt.email == email, LoginAttempt.ip == ip)),
        (LOGIN_MAX_PER_ADDRESS, (LoginAttempt.ip == ip,)),
        (LOGIN_MAX_PER_ACCOUNT, (LoginAttempt.email == email,)),
    )
    return any((session.scalar(failed.where(*where)) or 0) >= limit for limit, where in limits)


def record_login(session: Session, email: str, ip: str, success: bool) -> None:
    """Record a login attempt; a success clears that pair's earlier failures, old rows are pruned."""
    email = normalise_email(email)[:320]
    now = utcnow()
    if success:
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.ip == ip))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 12 * LOGIN_WINDOW))
    session.add(LoginAttempt(email=email, ip=ip[:64], at=now, success=success))


def role_level(role: str | None) -> int:
    """Position of a role in :data:`ROLES` (-1 for no role), so roles compare as numbers."""
    return ROLES.index(role) if role in ROLES else -1


def role_on(session: Session, user: User, workspace: Workspace) -> str | None:
    """The user's role on a workspace; site administrators are admins everywhere."""
    if user.is_admin:
        return "admin"
    return session.scalar(
        select(Membership.role).where(Membership.user_id == user.id, Membership.workspace_id == workspace.id)
    )


def grant(session: Session, user: User, workspace: Workspace, role: str) -> Membership:
    """Give ``user`` the ``role`` on ``workspace`` (replacing any earlier role); audited."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}", column="ROLE", rule="role")
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == workspace.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def revoke(session: Session, user: User, workspace: Workspace) -> bool:
    """Remove ``user``'s role on ``workspace``; audited. False when the user had none there.

    A site administrator keeps access everywhere (that is an account flag, not a role on a workspace),
    so revoking a workspace role never locks the site out of its data.
    """
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == workspace.id)
    )
    if membership is None:
        return False
    session.delete(membership)
    session.flush()
    return True


def members_of(session: Session, workspace: Workspace) -> list[tuple[str, str]]:
    """(email, role) of everyone with a role on ``workspace``, by email."""
    rows = session.execute(
        select(User.email, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id)
        .order_by(User.email)
    )
    return [(email, role) for email, role in rows]


def site_admins(session: Session) -> list[str]:
    """Emails of the site administrators (admins of every workspace), sorted."""
    return list(session.scalars(select(User.email).where(User.is_admin.is_(True)).order_by(User.email)))


def workspaces_of(session: Session, user: User) -> list[tuple[Workspace, str]]:
    """Workspaces the user may open, with the role there."""
    if user.is_admin:
        return [(w, "admin") for w in session.scalars(select(Workspace).order_by(Workspace.name))]
    rows = session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
        .order_by(Workspace.name)
    )
    return [(w, r) for w, r in rows]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "") -> str:
    """Issue an API token for ``user``; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name[:200], token_hash=_token_hash(token)))
    session.flush()
    return token


def start_session(session: Session, user: User, ip: str = "", lifetime: timedelta = SESSION_LIFETIME) -> str:
    """Record a signed-in session for ``user``; returns the random id to keep in the cookie."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at < now))  # prune the expired
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_token_hash(sid),
            created_at=now,
            expires_at=now + lifetime,
            ip=ip[:64],
        )
    )
    session.flush()
    return sid


def user_for_session(session: Session, sid: str) -> User | None:
    """The active user of an unexpired, unrevoked session id, or None."""
    row = session.scalar(
        select(UserSession).where(
            UserSession.token_hash == _token_hash(sid), UserSession.expires_at > utcnow()
        )
    )
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def end_session(session: Session, sid: str) -> None:
    """Revoke one session (logging out)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(sid)))


def revoke_sessions(session: Session, user: User) -> int:
    """End every session of ``user``; returns how many there were."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)


def revoke_tokens(session: Session, user: User) -> int:
    """Revoke every API token of ``user``; returns how many were live."""
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False)).values(revoked=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def session_hash(sid: str) -> str:
    """The stored form of a session id (for queries that join sessions themselves)."""
    return _token_hash(sid)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user an unrevoked token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(token), ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.is_active:
        return None
    return row.user
