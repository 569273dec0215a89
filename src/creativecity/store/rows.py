"""Row-level changes of figures and targets: a change costs what it changes, not the workspace's size.

Adding or editing one figure reads the workspace's vocabularies (indicator codes and units, a few dozen
rows), the figure's peers (the rows sharing its indicator, scope and year, found by an index) and the
figure itself; it writes that one row. The domain rules are not repeated here: the monitoring library's
``apply_*`` functions run on a workspace holding only those rows, which
:data:`creativecity.monitoring.repository.PEER_FIELDS` says is all the rules compare with.

Every change runs under the workspace's row lock (``SELECT ... FOR NO KEY UPDATE`` on PostgreSQL, the
write transaction on SQLite): changes to one workspace are serialised, those of another city's
workspace are not held up, and ids (``obs-0042``) are handed out under that lock from a per-workspace
counter, so two editors adding at once never get the same one.

Each figure, target, text and plan line carries a ``version`` that every change raises. A change made
from an older version (a stale form, an ``If-Match`` header) is refused with :class:`EditConflictError`,
which says who changed it, when, and what it holds now.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring import model as dm
from creativecity.monitoring import repository as mrepo
from creativecity.monitoring.rules import format_id, id_number
from creativecity.store import audit, models
from creativecity.store.workspaces import (
    check_lengths,
    check_raw,
    get_observation,
    observation_to_domain,
    set_fields,
)


class EditConflictError(Exception):
    """A change was made from an older version of a row than the stored one.

    Parameters
    ----------
    entity, key
        What was being changed (``observation``, ``obs-0042``).
    expected
        The version the editor's form or ``If-Match`` header was made from.
    version
        The stored version.
    current
        The stored values, shown beside the editor's own so that nothing is lost.
    by, at
        Who made the newest change to the row, and when (from the audit trail).
    """

    def __init__(
        self,
        entity: str,
        key: str,
        expected: int,
        version: int,
        current: dict[str, Any],
        by: str,
        at: datetime | None,
    ) -> None:
        self.entity, self.key, self.expected, self.version = entity, key, expected, version
        self.current, self.by, self.at = current, by, at
        when = at.isoformat(timespec="seconds") + "Z" if at else "an unknown time"
        super().__init__(
            f"{entity} {key} was changed by {by} at {when} (version {version}; "
            f"your copy is version {expected}): nothing was saved"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON body of a 412 answer."""
        return {
            "detail": str(self),
            "entity": self.entity,
            "id": self.key,
            "your_version": self.expected,
            "version": self.version,
            "changed_by": self.by,
            "changed_at": self.at.isoformat(timespec="seconds") + "Z" if self.at else None,
            "current": self.current,
        }


def _missing(name: str) -> InputError:
    return InputError(f"no workspace called {name!r}", column="WORKSPACE", rule="known workspace")


def lock_workspace(session: Session, name: str) -> models.Workspace:
    """The workspace row, locked for the rest of the transaction against other changes to it.

    ``FOR NO KEY UPDATE`` (PostgreSQL) conflicts with itself but not with the key-share locks that
    inserts referencing the workspace take, so only changes to this workspace wait. On SQLite the
    writing transaction already holds the database's write lock.
    """
    stmt = select(models.Workspace).where(models.Workspace.name == name).with_for_update(key_share=True)
    ws = session.scalar(stmt)
    if ws is None:
        raise _missing(name)
    return ws


def vocabulary(session: Session, ws: models.Workspace) -> dm.Workspace:
    """A domain workspace with the vocabularies (units, indicator codes and units) and no rows yet.

    Only what the rules check a row against is read: indicator codes and units, not their names.
    """
    return dm.Workspace(
        name=ws.name,
        city=ws.city,
        country_iso3=ws.country_iso3,
        creative_field=ws.creative_field,
        framework=ws.framework,
        units=list(json.loads(ws.units or "[]")),
        indicators=[
            dm.IndicatorDef(code=code, name_en="", unit=unit)
            for code, unit in session.execute(
                select(models.IndicatorDef.code, models.IndicatorDef.unit).where(
                    models.IndicatorDef.workspace_id == ws.id
                )
            )
        ],
    )


def allocate_key(session: Session, ws: models.Workspace, prefix: str, model: type[Any]) -> str:
    """The next free ``prefix-NNNN`` id of the workspace, from its counter row (call under the lock).

    The counter starts from the highest id in use (read once); ids given by hand or by an import are
    skipped. Deleted ids are not handed out again, so the audit trail never mixes two rows under one id.
    """
    counter = session.get(models.KeyCounter, (ws.id, prefix))
    if counter is None:
        keys = session.scalars(select(model.key).where(model.workspace_id == ws.id))
        last = max((n for k in keys if (n := id_number(prefix, k)) is not None), default=0)
        counter = models.KeyCounter(workspace_id=ws.id, prefix=prefix, last=last)
        session.add(counter)
    while True:
        counter.last += 1
        key = format_id(prefix, counter.last)
        taken = session.scalar(select(model.id).where(model.workspace_id == ws.id, model.key == key))
        if taken is None:
            return key


def _peer_observations(
    session: Session, ws: models.Workspace, peer: tuple[str, str, int | None], keys: Iterable[str]
) -> list[models.Observation]:
    indicator, scope, year = peer
    obs_t = models.Observation
    same_year = obs_t.reference_year.is_(None) if year is None else obs_t.reference_year == year
    stmt = select(obs_t).where(
        obs_t.workspace_id == ws.id, obs_t.indicator == indicator, obs_t.scope == scope, same_year
    )
    rows = {r.id: r for r in session.scalars(stmt)}
    keys = [k for k in keys if k]
    if keys:
        rows |= {
            r.id: r
            for r in session.scalars(select(obs_t).where(obs_t.workspace_id == ws.id, obs_t.key.in_(keys)))
        }
    return sorted(rows.values(), key=lambda r: r.id)


def _write_observations(
    session: Session, ws: models.Workspace, rows: list[models.Observation], changed: list[dm.Observation]
) -> dict[str, models.Observation]:
    by_key = {r.key: r for r in rows}
    for obs in changed:
        row = by_key.get(obs.id)
        if row is None:
            row = models.Observation(workspace_id=ws.id, key=obs.id, source=obs.source, value=obs.value)
            session.add(row)
            by_key[obs.id] = row
        set_fields(row, obs)
    session.flush()
    return by_key


def conflict(
    session: Session,
    ws: models.Workspace,
    entity: str,
    key: str,
    expected: int,
    row: Any,
    current: dict[str, Any],
    *,
    audit_id: str | None = None,
) -> EditConflictError:
    """The :class:`EditConflictError` for ``row``, naming the author and time of its newest change.

    ``row`` may be ``None`` (removed since): its version is then 0. ``audit_id`` is the row's id in the
    audit trail when it differs from ``key``.
    """
    last = []
    if row is not None:
        audit_entity = audit.AUDITED[type(row)]
        last = audit.entries(session, ws.id, entity=audit_entity, entity_id=audit_id or key, limit=1)
    by, at = (last[0].actor_email, last[0].at) if last else ("someone", None)
    return EditConflictError(
        entity, key, expected, int(row.version) if row is not None else 0, current, by, at
    )


def check_version(
    session: Session,
    ws: models.Workspace,
    entity: str,
    key: str,
    row: Any,
    expected: int | None,
    current: Any,
) -> None:
    """Refuse a change made from version ``expected`` when ``row`` holds another (``None``: no check)."""
    if expected is not None and int(row.version) != int(expected):
        values = current() if callable(current) else current
        raise conflict(session, ws, entity, key, int(expected), row, values)


def check_text_version(session: Session, name: str, section: str, lang: str, expected: int | None) -> None:
    """Refuse saving a report text from a form made before someone else's save (version 0: no text yet)."""
    ws = lock_workspace(session, name)
    n = models.Narrative
    row = session.scalar(select(n).where(n.workspace_id == ws.id, n.section == section, n.lang == lang))
    version = row.version if row is not None else 0
    if expected is not None and version != expected:
        current = {"text": row.text if row is not None else ""}
        audit_id = audit.entity_id(row) if row is not None else None
        raise conflict(session, ws, "text", f"{section}/{lang}", expected, row, current, audit_id=audit_id)


def check_action_version(session: Session, name: str, key: str, expected: int | None) -> None:
    """Refuse saving a plan line from a form made before someone else's change to it."""
    ws = lock_workspace(session, name)
    a = models.ActionItem
    row = session.scalar(select(a).where(a.workspace_id == ws.id, a.key == key))
    if row is None or expected is None or row.version == expected:
        return
    fields = [
        c.key
        for c in a.__table__.columns
        if c.key not in ("id", "workspace_id", "key", "position", "version")
    ]
    raise conflict(session, ws, "action", key, expected, row, {f: getattr(row, f) for f in fields})


def versions(session: Session, ws: models.Workspace, model: type[Any]) -> dict[Any, int]:
    """Versions of a workspace's texts (by section and language) or plan lines (by id), for forms."""
    if model is models.Narrative:
        stmt = select(model.section, model.lang, model.version).where(model.workspace_id == ws.id)
        return {(s, lang): v for s, lang, v in session.execute(stmt)}
    stmt = select(model.key, model.version).where(model.workspace_id == ws.id)
    return dict(session.execute(stmt).all())


def add_observation(
    session: Session,
    name: str,
    data: Mapping[str, Any],
    user: str,
    *,
    file: str = "form",
    lang: str | None = None,
) -> models.Observation:
    """Check one raw record (form, JSON, domain object) and add it; an empty id gets the next free one."""
    cells = {k: v for k, v in dict(data).items() if not (k == "preferred" and v is None)}
    check_raw(cells, file=file)
    ws = lock_workspace(session, name)
    shell = vocabulary(session, ws)
    parsed = mrepo.check_observation_row(shell, cells | {"id": ""}, file, lang=lang)
    key = str(cells.get("id") or "").strip() or allocate_key(session, ws, "obs", models.Observation)
    rows = _peer_observations(session, ws, mrepo.peer_key(parsed), [key])
    shell.observations = [observation_to_domain(r) for r in rows]
    parsed.id = key
    new = mrepo.apply_add_observation(shell, parsed, user)
    return _write_observations(session, ws, rows, [new])[new.id]


def update_observation(
    session: Session,
    name: str,
    key: str,
    changes: Mapping[str, Any],
    user: str,
    *,
    file: str = "form",
    expected_version: int | None = None,
    lang: str | None = None,
) -> models.Observation:
    """Change some fields of one figure (the changed row is re-checked as a whole against its peers).

    ``lang``: the language numbers typed as text follow (a Vietnamese form: "1.350" is 1350).
    """
    changes = dict(changes)
    if str(changes.pop("id", key) or key) != key:
        raise InputError("the id of an observation cannot change", file=file, column="id", rule="fixed id")
    check_raw(changes, file=file)
    ws = lock_workspace(session, name)
    row = get_observation(session, ws, key)
    current = observation_to_domain(row)
    check_version(session, ws, "observation", key, row, expected_version, current.to_dict)
    shell = vocabulary(session, ws)
    parsed = mrepo.check_observation_row(shell, current.to_dict() | changes, f"observation {key}", lang=lang)
    peers = _peer_observations(session, ws, mrepo.peer_key(parsed), [])
    rows = [row, *(r for r in peers if r.id != row.id)]  # the row itself is loaded already
    shell.observations = [observation_to_domain(r) for r in rows]
    obs = mrepo.apply_update_observation(shell, key, changes, user, lang=lang)
    return _write_observations(session, ws, rows, [obs])[key]


def set_preferred(session: Session, name: str, key: str, user: str) -> models.Observation:
    """Make ``key`` the preferred figure of its series and year (the others of it become not preferred)."""
    ws = lock_workspace(session, name)
    row = get_observation(session, ws, key)
    current = observation_to_domain(row)
    rows = _peer_observations(session, ws, mrepo.peer_key(current), [])
    rows = [row, *(r for r in rows if r.id != row.id)]
    shell = vocabulary(session, ws)
    shell.observations = [observation_to_domain(r) for r in rows]
    mrepo.apply_set_preferred(shell, key, user)
    return _write_observations(session, ws, rows, shell.observations)[key]


def delete_observation(session: Session, name: str, key: str, *, expected_version: int | None = None) -> None:
    """Remove one figure; its last values stay in the audit trail."""
    ws = lock_workspace(session, name)
    row = get_observation(session, ws, key)
    check_version(
        session, ws, "observation", key, row, expected_version, lambda: observation_to_domain(row).to_dict()
    )
    session.delete(row)
    session.flush()


def target_to_domain(row: models.Target) -> dm.Target:
    """The monitoring library's :class:`~creativecity.monitoring.model.Target` for a row."""
    return dm.Target(
        id=row.key,
        indicator=row.indicator,
        target_value=row.target_value,
        unit=row.unit,
        target_year=row.target_year,
        scope=row.scope,
        instrument=row.instrument,
        instrument_date=row.instrument_date,
        source=row.source,
        note=row.note,
        method=row.method,
        bound=row.bound or "",
        value_high=row.value_high,
        instrument_vi=row.instrument_vi or "",
    )


def _peer_targets(session: Session, ws: models.Workspace, indicator: str, key: str) -> list[models.Target]:
    tgt_t = models.Target
    stmt = select(tgt_t).where(
        tgt_t.workspace_id == ws.id, (tgt_t.indicator == indicator) | (tgt_t.key == key)
    )
    return list(session.scalars(stmt.order_by(tgt_t.id)))


def _write_target(
    session: Session, ws: models.Workspace, row: models.Target | None, tgt: dm.Target
) -> models.Target:
    values = tgt.to_dict()
    values["key"] = values.pop("id")
    check_lengths(models.Target, values, f"targets {tgt.id}")
    if row is None:
        row = models.Target(workspace_id=ws.id, **values)
        session.add(row)
    else:
        for field, value in values.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
    session.flush()
    return row


def add_target(
    session: Session,
    name: str,
    data: Mapping[str, Any],
    user: str,
    *,
    file: str = "form",
    lang: str | None = None,
) -> models.Target:
    """Check one raw target record and add it; an empty id gets the next free one (``tgt-0007``)."""
    cells = dict(data)
    ws = lock_workspace(session, name)
    shell = vocabulary(session, ws)
    parsed = mrepo.check_target_row(shell, cells | {"id": ""}, file, lang=lang)
    key = str(cells.get("id") or "").strip() or allocate_key(session, ws, "tgt", models.Target)
    rows = _peer_targets(session, ws, mrepo.target_peer_key(parsed), key)
    shell.targets = [target_to_domain(r) for r in rows]
    parsed.id = key
    new = mrepo.apply_add_target(shell, parsed, user)
    return _write_target(session, ws, None, new)


def update_target(
    session: Session,
    name: str,
    key: str,
    changes: Mapping[str, Any],
    user: str,
    *,
    expected_version: int | None = None,
    lang: str | None = None,
) -> models.Target:
    """Change some fields of one target (re-checked as a whole against the targets of its indicator)."""
    ws = lock_workspace(session, name)
    tgt_t = models.Target
    row = session.scalar(select(tgt_t).where(tgt_t.workspace_id == ws.id, tgt_t.key == key))
    if row is None:
        raise InputError(f"no target {key!r} in {name}", column="id", rule="exists")
    current = target_to_domain(row)
    check_version(session, ws, "target", key, row, expected_version, current.to_dict)
    shell = vocabulary(session, ws)
    parsed = mrepo.check_target_row(shell, current.to_dict() | dict(changes), f"target {key}", lang=lang)
    rows = _peer_targets(session, ws, mrepo.target_peer_key(parsed), key)
    shell.targets = [target_to_domain(r) for r in rows]
    tgt = mrepo.apply_update_target(shell, key, changes, user, lang=lang)
    return _write_target(session, ws, row, tgt)
