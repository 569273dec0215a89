"""The database schema of a city team's shared place, as SQLAlchemy 2 typed models.

The tables mirror the monitoring domain (observations, targets, narratives, action plan) and add
what a shared, multi-person place needs: accounts, per-workspace roles, an audit log, login attempts
(for rate limiting that holds across workers) and API tokens for scripts. Every value keeps its
``source`` column because a dossier has to cite where each figure was read.

Migrations in ``store/migrations`` are the source of truth for the deployed schema; a test checks that
they and these models agree, so the two cannot drift apart silently.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
"""Per-workspace roles, weakest first: the order is used to compare levels."""

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current time in UTC; one clock for every row so audit entries sort across servers."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints the same everywhere."""

    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A person with an account. ``is_admin`` is a site administrator (may manage every workspace)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(300), nullable=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Workspace(Base):
    """A city's monitoring workspace (``hanoi``); mirrors :class:`creativecity.monitoring.model.Workspace`.

    ``units`` holds the workspace's unit vocabulary as a JSON list (a short list read with the workspace).
    """

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    city: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    country_iso3: Mapped[str] = mapped_column(String(3), nullable=False, default="")
    creative_field: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    designation_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    designation_date: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    framework: Mapped[str] = mapped_column(String(100), nullable=False, default="creative_city_pillars")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    units: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    extra: Mapped[str] = mapped_column(Text, nullable=False, default="{}", server_default="{}")
    """Workspace-level fields of the domain model without a table of their own (contacts, attachment
    checklist, city names, word limits...), as JSON: new fields of the domain survive a round trip
    through the database without a schema change."""
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A user's role on one workspace: what they may see and change there."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "workspace_id", name="uq_memberships_user_workspace"),
        CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    workspace: Mapped[Workspace] = relationship(back_populates="memberships")


def _ws_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)


class Observation(Base):
    """One published figure, as read, with its source. ``key`` is the domain id (``obs-0001``)."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key", name="uq_observations_ws_key"),
        # the data page's order and cursor, and the group a change is checked against (same
        # indicator, scope and year): one index serves both
        Index("ix_observations_ws_order", "workspace_id", "indicator", "scope", "reference_year", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    indicator: Mapped[str] = mapped_column(String(200), nullable=False)
    scope: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    reference_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reference_year_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    method: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    certainty: Mapped[str] = mapped_column(String(30), nullable=False, default="reported")
    preferred: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    bound: Mapped[str] = mapped_column(String(10), nullable=False, default="", server_default="")
    value_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    """Raised by one on every change (SQLAlchemy's version counter): an edit made from an older
    version is refused instead of silently undoing someone else's change."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a plain dict)


class Target(Base):
    """A policy target for an indicator, with the instrument (resolution, decision) that set it."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key", name="uq_targets_ws_key"),
        Index("ix_targets_ws_indicator", "workspace_id", "indicator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    indicator: Mapped[str] = mapped_column(String(200), nullable=False)
    target_value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    target_year: Mapped[int] = mapped_column(Integer, nullable=False)
    scope: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    instrument: Mapped[str] = mapped_column(Text, nullable=False, default="")
    instrument_date: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    source: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    method: Mapped[str] = mapped_column(Text, nullable=False, default="")
    bound: Mapped[str] = mapped_column(String(10), nullable=False, default="", server_default="")
    value_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    instrument_vi: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    """Raised by one on every change (SQLAlchemy's version counter): an edit made from an older
    version is refused instead of silently undoing someone else's change."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a plain dict)


class IndicatorDef(Base):
    """What an indicator code means, in English and Vietnamese, and which way is better."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("workspace_id", "code", name="uq_indicators_ws_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    code: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    name_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    unit: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    direction: Mapped[str] = mapped_column(String(20), nullable=False, default="increase")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")


class MappingRow(Base):
    """Indicator ``indicator`` counts towards group ``code`` of ``framework``."""

    __tablename__ = "indicator_mapping"
    __table_args__ = (Index("ix_mapping_ws", "workspace_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    indicator: Mapped[str] = mapped_column(String(200), nullable=False)
    framework: Mapped[str] = mapped_column(String(100), nullable=False)
    code: Mapped[str] = mapped_column(String(100), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Narrative(Base):
    """A written section of a dossier or report (e.g. ``executive_summary``) in one language."""

    __tablename__ = "narratives"
    __table_args__ = (UniqueConstraint("workspace_id", "section", "lang", name="uq_narratives_section"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    section: Mapped[str] = mapped_column(String(100), nullable=False)
    lang: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    """Raised by one on every change (SQLAlchemy's version counter): an edit made from an older
    version is refused instead of silently undoing someone else's change."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a plain dict)


class ActionItem(Base):
    """One line of the four-year action plan: objective, initiative, budget, indicator, target."""

    __tablename__ = "action_items"
    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_action_items_ws_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    objective: Mapped[str] = mapped_column(Text, nullable=False, default="")
    initiative: Mapped[str] = mapped_column(Text, nullable=False, default="")
    budget: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    indicator: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    target_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lead: Mapped[str] = mapped_column(Text, nullable=False, default="")
    partners: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    """Raised by one on every change (SQLAlchemy's version counter): an edit made from an older
    version is refused instead of silently undoing someone else's change."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a plain dict)


class KeyCounter(Base):
    """The last number handed out for ids of one kind (``obs``, ``tgt``) in one workspace.

    Read and raised inside the writing transaction, under the workspace's lock, so two editors
    adding figures at once get different ids, in O(1), without scanning the ids in use.
    """

    __tablename__ = "key_counters"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Initiative(Base):
    """One record of the initiatives register, in its flat form (lists as ``a; b`` text).

    The flat form is the monitoring library's (``Initiative.to_dict``), the one the Excel sheet uses,
    so the store holds exactly what an export shows and the audit trail reads ``partners: A -> A; B``.
    """

    __tablename__ = "initiatives"
    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_initiatives_ws_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    name_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    level: Mapped[str] = mapped_column(String(20), nullable=False, default="local")
    start_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="ongoing")
    objectives_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    objectives_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    results_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    results_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead: Mapped[str] = mapped_column(Text, nullable=False, default="")
    partners: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    partners_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    budget: Mapped[str] = mapped_column(Text, nullable=False, default="")
    currency: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    uccn_objectives: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    areas: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sdg_targets: Mapped[str] = mapped_column(Text, nullable=False, default="")
    indicators: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sources: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class NetworkActivity(Base):
    """One dated contribution to the network (conference, sub-network meeting, evaluation...)."""

    __tablename__ = "network_activities"
    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_network_activities_ws_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = _ws_fk()
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    date: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    end_date: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    title_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    title_vi: Mapped[str] = mapped_column(Text, nullable=False, default="")
    place: Mapped[str] = mapped_column(Text, nullable=False, default="")
    role: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class AuditEntry(Base):
    """One recorded change: who, when, what (entity, id, field) and the old and new value.

    ``actor_email`` is copied rather than only referenced so that the trail stays readable after an
    account is removed; ``indicator`` is copied so that the history of one indicator is one query.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        # newest first by id: the pages' order and cursor, and the content version (max id)
        Index("ix_audit_ws_id", "workspace_id", "id"),
        Index("ix_audit_ws_indicator", "workspace_id", "indicator", "id"),
        Index("ix_audit_ws_entity_id", "workspace_id", "entity_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    actor_email: Mapped[str] = mapped_column(String(320), nullable=False)
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL"), nullable=True
    )
    """Cleared when the workspace is deleted; its trail stays, under ``workspace_name``."""
    workspace_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    entity: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    indicator: Mapped[str | None] = mapped_column(String(200), nullable=True)
    field: Mapped[str | None] = mapped_column(String(100), nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)


class LoginAttempt(Base):
    """A login try, kept in the database so that rate limiting holds across server processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_ip_at", "email", "ip", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
        Index("ix_login_attempts_email_at", "email", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)


class ApiToken(Base):
    """A token for scripts; only its SHA-256 is stored, so a database leak does not leak tokens."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    user: Mapped[User] = relationship()


class UserSession(Base):
    """A signed-in browser, kept on the server so that it can be ended (issue 13).

    The cookie carries a random session id; only its SHA-256 is stored, so a database leak does not
    hand out live sessions. Logging out deletes the row; a password change, ``user disable`` and an
    administrator's ``user revoke-sessions`` delete every row of the account, and a cookie copied
    before is worthless from then on.
    """

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False, default="")
