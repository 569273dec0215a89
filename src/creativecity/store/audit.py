"""The audit trail: every change to a workspace's content is recorded with who made it.

Recording happens in a SQLAlchemy ``after_flush`` hook rather than in each repository function, so no
code path (a page, the API, an import, a script using the library) can change audited data without
leaving a trace. A flush that changes audited rows without an actor set on the session fails: an
untraceable change is a bug, not something to record as "unknown".

The audit rows are written on the same connection, inside the same transaction, as the change itself:
a rolled-back import leaves neither data nor audit rows behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from creativecity.store.models import (
    ActionItem,
    AuditEntry,
    IndicatorDef,
    MappingRow,
    Membership,
    Narrative,
    Observation,
    Target,
    Workspace,
    utcnow,
)

AUDITED: dict[type, str] = {
    Observation: "observation",
    Target: "target",
    Narrative: "narrative",
    ActionItem: "action_item",
    Membership: "membership",
    Workspace: "workspace",
    IndicatorDef: "indicator",
    MappingRow: "mapping",
}
"""Models whose changes are recorded, and the entity name shown in the trail."""

_SKIP_FIELDS = {"id", "updated_at", "created_at", "workspace_id", "password_hash", "version"}
ACTOR_KEY = "creativecity.actor"


@dataclass(frozen=True)
class Actor:
    """Who is making the changes in a session: a user, or a named system process (``user_id`` None)."""

    email: str
    user_id: int | None = None


SYSTEM = Actor(email="system")


def set_actor(session: Session, actor: Actor) -> None:
    """Declare who makes the changes flushed from ``session`` from now on."""
    session.info[ACTOR_KEY] = actor


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _columns(obj: Any) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in _SKIP_FIELDS]


def _workspace_id(obj: Any) -> int | None:
    if isinstance(obj, Workspace):
        return obj.id
    return getattr(obj, "workspace_id", None)


def _entity_id(obj: Any) -> str:
    for attr in ("key", "code", "name"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(obj.id)


def _indicator(obj: Any) -> str | None:
    if isinstance(obj, IndicatorDef):
        return obj.code
    value = getattr(obj, "indicator", None)
    return value or None


def _row(actor: Actor, at: datetime, obj: Any, action: str, **extra: Any) -> dict[str, Any]:
    return {
        "at": at,
        "user_id": actor.user_id,
        "actor_email": actor.email,
        "workspace_id": _workspace_id(obj),
        "action": action,
        "entity": AUDITED[type(obj)],
        "entity_id": _entity_id(obj),
        "indicator": _indicator(obj),
        "field": None,
        "old_value": None,
        "new_value": None,
    } | extra


def _snapshot(obj: Any) -> str:
    return json.dumps({k: getattr(obj, k) for k in _columns(obj)}, ensure_ascii=False, default=str)


#: Columns holding JSON whose changes are recorded leaf by leaf (``contacts.main.email``).
JSON_COLUMNS: frozenset[str] = frozenset({"extra"})
#: Length of the audit log's ``field`` column (a longer path is cut, marked with an ellipsis).
FIELD_LENGTH = 100
#: Keys that name an item of a list of records (contacts by role, attachments by kind).
_ITEM_KEYS: tuple[str, ...] = ("role", "kind", "id")


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """A JSON value as ``{dotted path: leaf}``: records in lists are addressed by role, kind or id.

    The workspace keeps contacts, attachments, word limits and action-plan translations in one JSON
    column; recording that column as one old and one new blob would make the audit trail unreadable.
    Paths such as ``contacts.main.email`` or ``action_plan_translations.vi.act-0003.objective`` say what
    changed, from which value to which.
    """
    out: dict[str, Any] = {}
    if isinstance(value, (dict, list)) and not value:
        return out  # an empty mapping or list holds nothing to trace; its items appear when added
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) for v in value)
        and (key := next((k for k in _ITEM_KEYS if all(k in v for v in value)), None)) is not None
        and len({str(v[key]) for v in value}) == len(value)
    ):
        for v in value:
            item = {k: x for k, x in v.items() if k != key}
            out.update(flatten(item, f"{prefix}.{v[key]}"))
    else:
        out[prefix] = value
    return out


def json_changes(column: str, old: Any, new: Any) -> list[tuple[str, str | None, str | None]]:
    """``(path, old, new)`` per changed leaf of a JSON column; the whole column if it is not JSON.

    The path leaves out the column's name: ``contacts.main.email`` reads better than
    ``extra.contacts.main.email``, and no table column has such a dotted name.
    """
    try:
        before = json.loads(old) if old else {}
        after = json.loads(new) if new else {}
    except (TypeError, ValueError):
        return [(column, _text(old), _text(new))]
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [(column, _text(old), _text(new))]
    flat_old, flat_new = flatten(before), flatten(after)
    out = []
    for path in sorted(set(flat_old) | set(flat_new)):
        a, b = flat_old.get(path), flat_new.get(path)
        if a == b:
            continue
        field = path if len(path) <= FIELD_LENGTH else path[: FIELD_LENGTH - 1] + "…"
        out.append((field, _leaf(a), _leaf(b)))
    return out


def _leaf(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _after_flush(session: Session, _context: Any) -> None:
    changed = [o for o in (*session.new, *session.dirty, *session.deleted) if type(o) in AUDITED]
    if not changed:
        return
    actor = session.info.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        raise RuntimeError("a change to audited data needs an actor: call store.audit.set_actor first")
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if type(obj) in AUDITED:
            rows.append(_row(actor, at, obj, "create", new_value=_snapshot(obj)))
    for obj in session.dirty:
        if type(obj) not in AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for key in _columns(obj):
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            if key in JSON_COLUMNS:
                for field, before, after in json_changes(key, old, new):
                    rows.append(
                        _row(actor, at, obj, "update", field=field, old_value=before, new_value=after)
                    )
                continue
            extra = {"field": key, "old_value": _text(old), "new_value": _text(new)}
            if key == "indicator":  # a renamed indicator shows up in the history of both names
                extra["indicator"] = _text(new)
            rows.append(_row(actor, at, obj, "update", **extra))
    for obj in session.deleted:
        if type(obj) in AUDITED:
            rows.append(_row(actor, at, obj, "delete", old_value=_snapshot(obj)))
    known = {o.id: o.name for o in changed if isinstance(o, Workspace)}
    names = workspace_names(session, {r["workspace_id"] for r in rows} - set(known)) | known
    gone = {o.id for o in session.deleted if isinstance(o, Workspace)}
    for row in rows:
        row["workspace_name"] = names.get(row["workspace_id"])
        if row["workspace_id"] in gone:  # the trail of a deleted workspace keeps its name only
            row["workspace_id"] = None
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


_NAMES_KEY = "creativecity.workspace_names"


def workspace_names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    """Names of workspaces by id, remembered for the session (a rename is not a thing here).

    Audit rows carry the workspace's name beside its id, so the trail of a deleted workspace still
    says whose history it is.
    """
    cache: dict[int | None, str] = session.info.setdefault(_NAMES_KEY, {})
    missing = {i for i in ids if i is not None and i not in cache}
    if missing:  # a change usually has its workspace loaded (and locked) already
        loaded = (o for o in session.identity_map.values() if isinstance(o, Workspace))
        cache.update({o.id: o.name for o in loaded if o.id in missing})
        missing -= set(cache)
    if missing:
        stmt = select(Workspace.id, Workspace.name).where(Workspace.id.in_(missing))
        cache.update({i: n for i, n in session.connection().execute(stmt)})
    return {i: cache[i] for i in ids if i in cache}


def install(session_class: type[Session] = Session) -> None:
    """Attach the audit hook to every session of ``session_class`` (done once on import)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    workspace_id: int | None = None,
    entity_id: str | None = None,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
    indicator: str | None = None,
) -> None:
    """Record an event that is not a row change (an import summary, a login, a token issued)."""
    actor = session.info.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        raise RuntimeError("an audit record needs an actor: call store.audit.set_actor first")
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id,
            actor_email=actor.email,
            workspace_id=workspace_id,
            workspace_name=workspace_names(session, {workspace_id}).get(workspace_id),
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old_value=old_value,
            new_value=new_value,
            indicator=indicator,
        )
    )


def entries(
    session: Session,
    workspace_id: int,
    *,
    indicator: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 200,
    before: int | None = None,
) -> list[AuditEntry]:
    """The newest audit entries of a workspace, optionally of one indicator or one row.

    ``before`` is a cursor: only entries with a smaller id (older ones) are returned, so a page of
    the trail costs one index range scan however long the trail is.
    """
    stmt = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if indicator is not None:
        stmt = stmt.where(AuditEntry.indicator == indicator)
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    stmt = stmt.order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(stmt))


install()


#: The audit action of a report sign-off: it records a decision about the content, not a change to it.
APPROVE = "approve"


def content_version_query(workspace_id: Any, *, with_signoffs: bool = False) -> Select[Any]:
    """The query of a workspace's content version: its newest audit entry that is not a sign-off.

    ``workspace_id`` is an id or a column (``Workspace.id``), so the same rule serves a plain lookup
    and a correlated subquery. Every change to a workspace's data lands in the audit trail, so the
    newest entry id is a version that grows with each change: caches of rendered pages and reports key
    on it, and a sign-off is stale once the version passes the sign-off's own entry. A sign-off itself
    does not change the content, so it does not move the version. ``with_signoffs=True`` counts them
    too: the key of a cached page that shows the sign-offs.
    """
    stmt = select(func.max(AuditEntry.id)).where(AuditEntry.workspace_id == workspace_id)
    return stmt if with_signoffs else stmt.where(AuditEntry.action != APPROVE)


def content_version(session: Session, workspace_id: int, *, with_signoffs: bool = False) -> int:
    """The content version of a workspace (0 before any change); see :func:`content_version_query`."""
    return int(session.scalar(content_version_query(workspace_id, with_signoffs=with_signoffs)) or 0)
