"""The SQL implementation of the monitoring library's workspace repository.

The monitoring computations (``monitor(workspace)``, reports) work on the domain
:class:`creativecity.monitoring.model.Workspace`. This module turns database rows into that object and
back, so a DB-backed workspace runs through exactly the same library code as a file-backed one.

Saving compares the incoming workspace with the stored rows by id and changes only what differs, so
the audit trail records real changes (one entry per changed field), not a delete-and-reinsert of
everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.monitoring.activities import ACTIVITY_COLUMNS, parse_activity
from creativecity.monitoring.initiatives import INITIATIVE_COLUMNS, parse_initiative
from creativecity.store import audit, models, rows
from creativecity.store.db import session_factory, writer
from creativecity.store.workspaces import (
    check_lengths,
    check_workspace_name,
    count_observations,
    get_workspace,
    list_workspaces,
    observation_to_domain,
)

_HANDLED = frozenset(
    {
        "name",
        "city",
        "country_iso3",
        "creative_field",
        "designation_year",
        "designation_date",
        "framework",
        "description",
        "units",
        "observations",
        "targets",
        "indicators",
        "mapping",
        "narratives",
        "action_plan",
        "history",
        "initiatives",
        "activities",
    }
)
"""Parts of the domain workspace stored in columns and tables of their own; the rest goes to ``extra``."""

_WS_FIELDS = (
    "city",
    "country_iso3",
    "creative_field",
    "designation_year",
    "designation_date",
    "framework",
    "description",
)


def _rows(session: Session, model: type[Any], workspace_id: int) -> list[Any]:
    stmt = select(model).where(model.workspace_id == workspace_id).order_by(model.id)
    return list(session.scalars(stmt))


def load_workspace(
    session: Session, name: str, *, history: bool = True, observations: bool = True
) -> dm.Workspace:
    """The domain workspace stored under ``name``, with its history from the audit log.

    ``history=False`` skips reading the audit log, for loads that only apply a change;
    ``observations=False`` skips the figures (the bulk of a workspace) for changes that do not touch
    them (texts, the plan, contacts): such a workspace must be saved with ``observations=False``.
    """
    ws = get_workspace(session, name)
    if ws is None:
        raise InputError(f"no workspace called {name!r}", column="WORKSPACE", rule="known workspace")
    targets = [rows.target_to_domain(t) for t in _rows(session, models.Target, ws.id)]
    indicators = [
        dm.IndicatorDef(
            code=i.code,
            name_en=i.name_en,
            name_vi=i.name_vi,
            unit=i.unit,
            direction=i.direction,  # type: ignore[arg-type]
            description=i.description,
        )
        for i in _rows(session, models.IndicatorDef, ws.id)
    ]
    mapping = [
        dm.MappingRow(indicator=m.indicator, framework=m.framework, code=m.code, note=m.note)
        for m in _rows(session, models.MappingRow, ws.id)
    ]
    actions = sorted(_rows(session, models.ActionItem, ws.id), key=lambda a: (a.position, a.id))
    history = [
        dm.HistoryEntry(
            timestamp=e.at.isoformat(timespec="seconds") + "Z",
            user=e.actor_email,
            entity=e.entity,
            entity_id=e.entity_id or "",
            field=e.field or "",
            old=e.old_value or "",
            new=e.new_value or "",
        )
        for e in (reversed(audit.entries(session, ws.id, limit=100_000)) if history else ())
    ]
    workspace = dm.Workspace(
        name=ws.name,
        city=ws.city,
        country_iso3=ws.country_iso3,
        creative_field=ws.creative_field,
        designation_year=ws.designation_year,
        designation_date=ws.designation_date,
        framework=ws.framework,
        description=ws.description,
        units=list(json.loads(ws.units or "[]")),
        observations=[observation_to_domain(o) for o in _rows(session, models.Observation, ws.id)]
        if observations
        else [],
        targets=targets,
        indicators=indicators,
        mapping=mapping,
        narratives={(n.section, n.lang): n.text for n in _rows(session, models.Narrative, ws.id)},
        action_plan=[
            dm.ActionItem(
                id=a.key,
                objective=a.objective,
                initiative=a.initiative,
                budget=a.budget,
                currency=a.currency,
                indicator=a.indicator,
                target_value=a.target_value,
                target_year=a.target_year,
                lead=a.lead,
                partners=a.partners,
                source=a.source,
            )
            for a in actions
        ],
        history=history,
        initiatives=[
            _from_row(parse_initiative, r, INITIATIVE_COLUMNS)
            for r in _ordered(session, models.Initiative, ws.id)
        ],
        activities=[
            _from_row(parse_activity, r, ACTIVITY_COLUMNS)
            for r in _ordered(session, models.NetworkActivity, ws.id)
        ],
    )
    extra = json.loads(ws.extra or "{}")
    if extra:
        # fields kept as JSON are read back by the domain's own from_dict, so they get its types
        merged = dm.Workspace.from_dict(workspace.to_dict() | extra)
        for key in extra:
            if hasattr(workspace, key):
                setattr(workspace, key, getattr(merged, key))
    return workspace


def _ordered(session: Session, model: type[Any], workspace_id: int) -> list[Any]:
    return sorted(_rows(session, model, workspace_id), key=lambda r: (r.position, r.id))


def _from_row(parse: Callable[..., Any], row: Any, columns: tuple[str, ...]) -> Any:
    """A register record from its row, read with the monitoring library's checks."""
    cells = {c: getattr(row, "key" if c == "id" else c) for c in columns}
    item, errors = parse(cells, file=f"{row.__tablename__} {row.key}")
    if item is None:
        raise InputErrors(errors)
    return item


def _register_rows(items: list[Any]) -> list[dict[str, Any]]:
    out = []
    for position, item in enumerate(items):
        d = item.to_dict()
        d["key"] = d.pop("id")
        d["position"] = position
        out.append(d)
    return out


def _extra(workspace: dm.Workspace) -> str:
    """The domain fields without a table of their own, as canonical JSON."""
    data = {k: v for k, v in workspace.to_dict().items() if k not in _HANDLED}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def _sync(
    session: Session,
    model: type[Any],
    workspace_id: int,
    items: list[dict[str, Any]],
    key: str,
) -> None:
    """Make the rows of ``model`` equal ``items`` (matched on ``key``), touching only what differs."""
    existing = {getattr(r, key): r for r in _rows(session, model, workspace_id)}
    wanted: dict[Any, dict[str, Any]] = {}
    for item in items:
        wanted[item[key]] = item
    for k, row in existing.items():
        if k not in wanted:
            session.delete(row)
    for k, item in wanted.items():
        check_lengths(model, item, f"{model.__tablename__} {k}")
        row = existing.get(k)
        if row is None:
            session.add(model(workspace_id=workspace_id, **item))
            continue
        for name, value in item.items():
            if getattr(row, name) != value:
                setattr(row, name, value)


def save_workspace(
    session: Session, workspace: dm.Workspace, *, observations: bool = True
) -> models.Workspace:
    """Store a domain workspace under its name (created if new), changing only what differs.

    History entries of the domain object are not written back: the database's audit log is the
    history, recorded as the changes are made. ``observations=False`` leaves the stored figures as
    they are (the workspace was loaded without them).
    """
    check_workspace_name(workspace.name)
    check_lengths(
        models.Workspace, {n: getattr(workspace, n) for n in _WS_FIELDS}, f"workspace {workspace.name}"
    )
    ws = get_workspace(session, workspace.name)
    if ws is None:
        ws = models.Workspace(name=workspace.name)
        session.add(ws)
    for name in _WS_FIELDS:
        value = getattr(workspace, name)
        if getattr(ws, name) != value:
            setattr(ws, name, value)
    units = json.dumps(list(workspace.units), ensure_ascii=False)
    if ws.units != units:
        ws.units = units
    extra = _extra(workspace)
    if (ws.extra or "{}") != extra:
        ws.extra = extra
    session.flush()
    if observations:
        figures = []
        for o in workspace.observations:
            d = o.to_dict()
            d["key"] = d.pop("id")
            figures.append(d)
        _sync(session, models.Observation, ws.id, figures, "key")
    targets = []
    for t in workspace.targets:
        d = t.to_dict()
        d["key"] = d.pop("id")
        targets.append(d)
    _sync(session, models.Target, ws.id, targets, "key")
    _sync(session, models.IndicatorDef, ws.id, [i.to_dict() for i in workspace.indicators], "code")
    mapping = [m.to_dict() | {"_k": (m.indicator, m.framework, m.code)} for m in workspace.mapping]
    existing_map = {(r.indicator, r.framework, r.code): r for r in _rows(session, models.MappingRow, ws.id)}
    wanted_map = {m.pop("_k"): m for m in mapping}
    for k, row in existing_map.items():
        if k not in wanted_map:
            session.delete(row)
        elif row.note != wanted_map[k]["note"]:
            row.note = wanted_map[k]["note"]
    for k, m in wanted_map.items():
        check_lengths(models.MappingRow, m, "mapping")
        if k not in existing_map:
            session.add(models.MappingRow(workspace_id=ws.id, **m))
    narratives = {(n.section, n.lang): n for n in _rows(session, models.Narrative, ws.id)}
    for k, row in narratives.items():
        if k not in workspace.narratives:
            session.delete(row)
    for (section, lang), text in workspace.narratives.items():
        check_lengths(models.Narrative, {"section": section, "lang": lang, "text": text}, "narratives")
        row = narratives.get((section, lang))
        if row is None:
            session.add(models.Narrative(workspace_id=ws.id, section=section, lang=lang, text=text))
        elif row.text != text:
            row.text = text
    actions = []
    for position, a in enumerate(workspace.action_plan):
        d = a.to_dict()
        d["key"] = d.pop("id")
        d["position"] = position
        actions.append(d)
    _sync(session, models.ActionItem, ws.id, actions, "key")
    _sync(session, models.Initiative, ws.id, _register_rows(workspace.initiatives), "key")
    _sync(session, models.NetworkActivity, ws.id, _register_rows(workspace.activities), "key")
    session.flush()
    return ws


T = TypeVar("T")


def change(
    session: Session, name: str, operation: Callable[[dm.Workspace], T], *, observations: bool = True
) -> T:
    """Apply a monitoring-library operation to the stored workspace and write back what it changed.

    For changes to the workspace as a whole (texts, the action plan, contacts); one figure or target
    is changed row by row by :mod:`creativecity.store.rows`. The workspace's row is locked first, so
    two changes of one workspace cannot interleave (one would write back a copy lacking the other's
    change); other workspaces are not held up. ``observations=False`` neither loads nor writes the
    figures, for operations that do not touch them: a text edit then costs the same with 20 or 20,000
    figures.
    """
    rows.lock_workspace(session, name)
    workspace = load_workspace(session, name, history=False, observations=observations)
    result = operation(workspace)
    save_workspace(session, workspace, observations=observations)
    return result


def _actor_email(session: Session) -> str:
    actor = session.info.get(audit.ACTOR_KEY)
    return actor.email if isinstance(actor, audit.Actor) else "system"


def add_observation(
    session: Session, name: str, data: Mapping[str, Any], *, file: str = "form", lang: str | None = None
) -> dm.Observation:
    """Check a raw record (form, JSON) and add it as a new observation; returns it with its id."""
    return observation_to_domain(
        rows.add_observation(session, name, data, _actor_email(session), file=file, lang=lang)
    )


def update_observation(
    session: Session,
    name: str,
    key: str,
    changes: Mapping[str, Any],
    *,
    file: str = "form",
    expected_version: int | None = None,
    lang: str | None = None,
) -> dm.Observation:
    """Change some fields of observation ``key`` (the row as a whole is re-checked).

    ``expected_version``: the version the change was made from; another one raises
    :class:`~creativecity.store.rows.EditConflictError`. ``lang``: the language numbers typed as text
    follow.
    """
    row = rows.update_observation(
        session,
        name,
        key,
        changes,
        _actor_email(session),
        file=file,
        expected_version=expected_version,
        lang=lang,
    )
    return observation_to_domain(row)


def delete_observation(session: Session, name: str, key: str) -> None:
    """Remove observation ``key``; its last values stay in the audit trail."""
    rows.delete_observation(session, name, key)


class SqlWorkspaceRepository:
    """Workspaces kept in a SQL database: the monitoring library's ``WorkspaceRepository`` protocol.

    Each call is one transaction; ``user`` (or the repository's default actor) is recorded in the
    audit trail for every change.

    Parameters
    ----------
    engine
        A SQLAlchemy engine of a migrated database (see :func:`creativecity.store.migrate`).
    actor
        Who changes are made by when a call names no ``user``.
    """

    def __init__(self, engine: Any, actor: audit.Actor = audit.SYSTEM) -> None:
        self._sessions = session_factory(engine)
        self._writers = session_factory(writer(engine))
        self.actor = actor

    @contextmanager
    def _transaction(self, user: str | None) -> Iterator[Session]:
        actor = self.actor if user in (None, self.actor.email) else audit.Actor(email=str(user))
        with self._writers() as session, session.begin():
            audit.set_actor(session, actor)
            yield session

    def list(self) -> list[dict[str, Any]]:
        """Summaries of every workspace, sorted by name (``origin`` is ``"database"``)."""
        with self._sessions() as session:
            out = []
            for ws in list_workspaces(session):
                # the figures are counted, not loaded: a listing costs the same at 20 or 20,000 rows
                summary = load_workspace(session, ws.name, history=False, observations=False).summary()
                out.append(summary | {"observations": count_observations(session, ws), "origin": "database"})
            return out

    def exists(self, name: str) -> bool:
        """Whether a workspace called ``name`` is stored."""
        with self._sessions() as session:
            return get_workspace(session, name) is not None

    def get(self, name: str) -> dm.Workspace:
        """The whole domain workspace ``name``, with its history (InputError when absent)."""
        with self._sessions() as session:
            return load_workspace(session, name)

    def create(self, workspace: dm.Workspace, user: str | None = None) -> dm.Workspace:
        """Store a new workspace; an existing name is an error."""
        with self._transaction(user) as session:
            if get_workspace(session, workspace.name) is not None:
                raise InputError(f"workspace {workspace.name!r} already exists", column="name", rule="unique")
            save_workspace(session, workspace)
        return workspace

    def save(self, workspace: dm.Workspace, user: str | None = None) -> dm.Workspace:
        """Replace a workspace as a whole; only the differences are written (and audited)."""
        with self._transaction(user) as session:
            save_workspace(session, workspace)
        return workspace

    def edit(self, name: str, operation: Callable[[dm.Workspace], T], user: str | None = None) -> T:
        """Apply ``operation`` to workspace ``name`` and write back what it changed, in one transaction.

        The workspace is locked, loaded, changed and saved together, so an edit made meanwhile (in the
        web app) is neither lost nor overwritten; an ``operation`` that raises changes nothing. The
        command line's dossier commands (contacts, attachments, city names, word limits) use it.
        """
        with self._transaction(user) as session:
            return change(session, name, operation)

    def _write(self, workspace: dm.Workspace) -> None:
        """Store a workspace changed by the monitoring library's ``apply_*`` functions (audited)."""
        self.save(workspace)

    def add_observation(self, name: str, obs: dm.Observation, user: str | None = None) -> dm.Observation:
        """Check and add one observation (an empty id gets the next free one)."""
        with self._transaction(user) as session:
            row = rows.add_observation(
                session, name, obs.to_dict(), _actor_email(session), file="observation"
            )
            return observation_to_domain(row)

    def update_observation(
        self, name: str, obs_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> dm.Observation:
        """Change fields of one observation."""
        with self._transaction(user) as session:
            row = rows.update_observation(session, name, obs_id, changes, _actor_email(session))
            return observation_to_domain(row)

    def set_preferred(self, name: str, obs_id: str, user: str | None = None) -> dm.Observation:
        """Make ``obs_id`` the preferred figure of its series and year."""
        with self._transaction(user) as session:
            return observation_to_domain(rows.set_preferred(session, name, obs_id, _actor_email(session)))

    def add_target(self, name: str, target: dm.Target, user: str | None = None) -> dm.Target:
        """Check and add one target."""
        with self._transaction(user) as session:
            row = rows.add_target(session, name, target.to_dict(), _actor_email(session), file="target")
            return rows.target_to_domain(row)

    def update_target(
        self, name: str, target_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> dm.Target:
        """Change fields of one target."""
        with self._transaction(user) as session:
            row = rows.update_target(session, name, target_id, changes, _actor_email(session))
            return rows.target_to_domain(row)

    def delete(self, name: str, user: str | None = None) -> None:
        """Remove a workspace and everything in it (the deletion is audited).

        The audit trail stays: its rows lose the link to the workspace (``ON DELETE SET NULL``) and
        keep its name, so the history of a deleted workspace can still be read.
        """
        with self._transaction(user) as session:
            ws = get_workspace(session, name)
            if ws is None:
                raise InputError(f"no workspace called {name!r}", column="WORKSPACE", rule="known workspace")
            session.delete(ws)
