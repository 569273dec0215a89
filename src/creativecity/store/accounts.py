"""Accounts, roles, API tokens and login rate limiting.

Passwords are hashed with Argon2id (argon2-cffi), the current recommendation for password storage;
API tokens are random and only their SHA-256 is stored. Failed logins are counted in the database,
not in process memory, so that the limit holds when the app runs with several workers.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.rules import valid_email
from creativecity.store.models import ROLES, ApiToken, LoginAttempt, Membership, User, Workspace, utcnow

_hasher = PasswordHasher()
MIN_PASSWORD = 8
LOGIN_WINDOW = timedelta(minutes=5)
LOGIN_MAX_FAILURES = 5
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


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose password matches, else None (in constant-ish time either way)."""
    user = get_user(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change a user's password after checking the rules."""
    check_password_rules(password)
    user.password_hash = hash_password(password)


def login_blocked(session: Session, email: str, ip: str) -> bool:
    """True when this e-mail from this address failed too often in the last five minutes."""
    since = utcnow() - LOGIN_WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.email == normalise_email(email),
            LoginAttempt.ip == ip,
            LoginAttempt.at >= since,
            LoginAttempt.success.is_(False),
        )
    )
    return (failures or 0) >= LOGIN_MAX_FAILURES


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
