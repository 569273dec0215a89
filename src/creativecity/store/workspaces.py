"""Reading and changing a workspace's content in the database.

Every function takes an open :class:`~sqlalchemy.orm.Session`; the caller owns the transaction (see
:meth:`creativecity.store.Store.transaction`), so several changes, or a whole import, commit together or
not at all. Changes are audited by the session hook in :mod:`creativecity.store.audit`.

Records are checked by the monitoring area's validation (:mod:`creativecity.monitoring.validation`), so
a figure refused by an Excel import is refused by the web form and the JSON API with the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.monitoring.rules import IdMaker, valid_id
from creativecity.monitoring.storage import check_preferred
from creativecity.monitoring.validation import (
    OBSERVATION_COLUMNS,
    RowContext,
    parse_observations,
)
from creativecity.store import audit
from creativecity.store.models import IndicatorDef, Observation, Target, Workspace

# Longest text the columns hold; checked here so PostgreSQL never raises on an over-long value.
_MAX_LENGTH = {"id": 100, "indicator": 200, "scope": 200, "unit": 100, "certainty": 30}
_MAX_TEXT = 20_000


def check_workspace_name(name: str) -> str:
    """Workspace names appear in URLs and folder names: lower-case letters, digits, ``-`` and ``_``."""
    if not dm.valid_name(name):
        raise InputError(
            f"workspace name {name!r} must be lower-case letters, digits, '-' or '_' (at most 64)",
            column="WORKSPACE",
            rule="workspace name",
        )
    return name


def check_lengths(model: type[Any], values: dict[str, Any], where: str) -> None:
    """Refuse text longer than its column holds, naming the field (PostgreSQL would fail the insert).

    The domain model has no length limits; the database columns do. Checking here turns a database
    error at commit time into an input error that says which value is too long.
    """
    errors = []
    for name, value in values.items():
        column = model.__table__.columns.get(name)
        length = getattr(column.type, "length", None) if column is not None else None
        if isinstance(value, str) and "\x00" in value:
            errors.append(
                InputError("text may not contain NUL characters", file=where, column=name, rule="text")
            )
        elif length and isinstance(value, str) and len(value) > length:
            errors.append(
                InputError(
                    f"{value[:30]!r}... is longer than {length} characters",
                    file=where,
                    column=name,
                    rule="max length",
                )
            )
    if errors:
        raise InputErrors(errors, file=where)


def get_workspace(session: Session, name: str) -> Workspace | None:
    """The workspace called ``name``, or None."""
    return session.scalar(select(Workspace).where(Workspace.name == name))


def require_workspace(session: Session, name: str) -> Workspace:
    """The workspace called ``name``; InputError when there is none."""
    workspace = get_workspace(session, name)
    if workspace is None:
        raise InputError(f"no workspace called {name!r}", column="WORKSPACE", rule="known workspace")
    return workspace


def list_workspaces(session: Session) -> list[Workspace]:
    """All workspaces by name."""
    return list(session.scalars(select(Workspace).order_by(Workspace.name)))


def units_of(session: Session, workspace: Workspace) -> set[str]:
    """The unit vocabulary: the workspace's declared units plus those of its indicator definitions."""
    declared = set(json.loads(workspace.units or "[]"))
    stmt = select(IndicatorDef.unit).where(IndicatorDef.workspace_id == workspace.id)
    return declared | {u for u in session.scalars(stmt) if u}


def indicator_codes(session: Session, workspace: Workspace) -> set[str]:
    """Codes of the indicators defined in the workspace."""
    stmt = select(IndicatorDef.code).where(IndicatorDef.workspace_id == workspace.id)
    return set(session.scalars(stmt))


def list_indicators(session: Session, workspace: Workspace) -> list[IndicatorDef]:
    """The workspace's indicator definitions by code."""
    stmt = select(IndicatorDef).where(IndicatorDef.workspace_id == workspace.id).order_by(IndicatorDef.code)
    return list(session.scalars(stmt))


def list_observations(
    session: Session,
    workspace: Workspace,
    indicator: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[Observation]:
    """A workspace's observations by indicator, scope and year (the order of an index), or a page of them."""
    stmt = select(Observation).where(Observation.workspace_id == workspace.id)
    if indicator is not None:
        stmt = stmt.where(Observation.indicator == indicator)
    stmt = stmt.order_by(Observation.indicator, Observation.scope, Observation.reference_year, Observation.id)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return list(session.scalars(stmt))


def count_observations(session: Session, workspace: Workspace, indicator: str | None = None) -> int:
    """How many observations a workspace holds (of one indicator)."""
    stmt = select(func.count()).select_from(Observation).where(Observation.workspace_id == workspace.id)
    if indicator is not None:
        stmt = stmt.where(Observation.indicator == indicator)
    return int(session.scalar(stmt) or 0)


def conflicting_groups(
    session: Session, workspace: Workspace, pairs: set[tuple[str, str]]
) -> set[tuple[Any, ...]]:
    """Series and years (indicator, scope, unit, method, year) holding more than one value.

    Only for the given (indicator, scope) pairs, the ones a page shows: an index range per pair. A
    cheap filter in the database; whether the figures of a group conflict is then the monitoring
    library's rule (:func:`creativecity.monitoring.progress.conflicting_ids`).
    """
    if not pairs:
        return set()
    o = Observation
    stmt = (
        select(o.indicator, o.scope, o.unit, o.method, o.reference_year)
        .where(
            o.workspace_id == workspace.id,
            o.indicator.in_({i for i, _ in pairs}),
            o.scope.in_({s for _, s in pairs}),
            o.reference_year.is_not(None),
        )
        .group_by(o.indicator, o.scope, o.unit, o.method, o.reference_year)
        .having(func.count(func.distinct(o.value)) > 1)
    )
    return {tuple(r) for r in session.execute(stmt)}


def list_observations_in(
    session: Session, workspace: Workspace, pairs: set[tuple[str, str]]
) -> list[Observation]:
    """The dated observations of the given (indicator, scope) pairs: the members of candidate groups."""
    if not pairs:
        return []
    o = Observation
    stmt = select(o).where(
        o.workspace_id == workspace.id,
        o.indicator.in_({i for i, _ in pairs}),
        o.scope.in_({s for _, s in pairs}),
        o.reference_year.is_not(None),
    )
    return list(session.scalars(stmt))


def list_targets(session: Session, workspace: Workspace) -> list[Target]:
    """A workspace's targets by indicator and year."""
    stmt = (
        select(Target)
        .where(Target.workspace_id == workspace.id)
        .order_by(Target.indicator, Target.target_year, Target.id)
    )
    return list(session.scalars(stmt))


def observation_to_domain(row: Observation) -> dm.Observation:
    """The monitoring library's :class:`~creativecity.monitoring.model.Observation` for a row."""
    return dm.Observation(
        id=row.key,
        indicator=row.indicator,
        scope=row.scope,
        value=row.value,
        unit=row.unit,
        reference_year=row.reference_year,
        reference_year_note=row.reference_year_note,
        method=row.method,
        source=row.source,
        note=row.note,
        certainty=row.certainty,
        preferred=row.preferred,
        bound=row.bound or "",
        value_high=row.value_high,
    )


def set_fields(row: Observation, obs: dm.Observation) -> None:
    """Copy the domain figure's fields onto its row, touching only those that differ (audited)."""
    for name in (
        "indicator",
        "scope",
        "value",
        "unit",
        "reference_year",
        "reference_year_note",
        "method",
        "source",
        "note",
        "certainty",
        "preferred",
        "bound",
        "value_high",
    ):
        new = getattr(obs, name)
        if getattr(row, name) != new:
            setattr(row, name, new)


def _lengths(cells: dict[str, Any], ctx: RowContext, row: int) -> list[InputError]:
    errors = []
    for key, value in cells.items():
        limit = _MAX_LENGTH.get(key, _MAX_TEXT)
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold NUL
            errors.append(ctx.error(row, key, "text may not contain NUL characters", "text"))
        elif isinstance(value, str) and len(value) > limit:
            errors.append(ctx.error(row, key, f"longer than {limit} characters", "max length"))
    return errors


def _bad_ids(cells: dict[str, Any], ctx: RowContext, row: int) -> list[InputError]:
    # ids become parts of URLs and file rows: letters, digits, '-', '_' and '.', like obs-0042
    value = cells.get("id")
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if not valid_id(str(value).strip()):
        return [ctx.error(row, "id", f"{str(value)[:40]!r} is not a valid id (e.g. obs-0042)", "id format")]
    return []


def _unknown_columns(cells: dict[str, Any], ctx: RowContext, row: int) -> list[InputError]:
    return [
        ctx.error(row, str(key), f"unknown field {key!r}", "known field")
        for key in cells
        if key not in OBSERVATION_COLUMNS
    ]


def check_raw(cells: dict[str, Any], *, file: str, row: int = 1) -> None:
    """Refuse unknown fields and over-long text before any domain check (the columns have limits)."""
    ctx = RowContext(sheet=file)
    errors = _unknown_columns(cells, ctx, row) + _lengths(cells, ctx, row) + _bad_ids(cells, ctx, row)
    if errors:
        raise InputErrors(errors, file=file)


def parse_records(
    session: Session,
    workspace: Workspace,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    file: str,
    exclude_key: str | None = None,
    max_errors: int = 200,
    letters: dict[str, str] | None = None,
    lang: str | None = None,
) -> list[dm.Observation]:
    """Check observation records against the workspace's vocabularies; raise every problem at once.

    Parameters
    ----------
    rows
        ``(row number as the user counts it, record)`` pairs.
    file
        Name carried into the errors (``form``, ``api``, the uploaded file's name).
    exclude_key
        The observation being edited: it is not a duplicate of itself.
    letters
        Spreadsheet column letters by column name, so that errors say ``column C (value)``.
    lang
        The language numbers typed as text follow (a Vietnamese form: "1.350" is 1350); ``None``
        refuses an ambiguous "1.350" (:func:`creativecity.monitoring.text.parse_number`).

    Raises
    ------
    InputErrors
        Every problem, each naming the row and column.
    """
    ctx = RowContext(sheet=file, letters=letters or {}, lang=lang)
    existing = [
        observation_to_domain(o) for o in list_observations(session, workspace) if o.key != exclude_key
    ]
    rows = list(rows)
    errors: list[InputError] = []
    for row, cells in rows:
        errors += _unknown_columns(cells, ctx, row) + _lengths(cells, ctx, row) + _bad_ids(cells, ctx, row)
    parsed, problems = parse_observations(
        rows,
        ctx,
        indicators=indicator_codes(session, workspace),
        units=units_of(session, workspace),
        existing=existing,
        new_id=IdMaker("obs"),
    )
    errors += problems
    if errors:
        errors.sort(key=lambda e: e.row if isinstance(e.row, int) else 0)
        raise InputErrors(errors[:max_errors], file=file)
    return parsed


def get_observation(session: Session, workspace: Workspace, key: str) -> Observation:
    """One observation of this workspace by its id; an id of another workspace is treated as absent."""
    obs = session.scalar(
        select(Observation).where(Observation.workspace_id == workspace.id, Observation.key == key)
    )
    if obs is None:
        raise InputError(
            f"no observation {key!r} in workspace {workspace.name!r}", column="id", rule="known observation"
        )
    return obs


@dataclass
class ImportResult:
    """What an import did: how many rows were added, to which workspace, from which file."""

    workspace: str
    file: str
    added: int
    ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON."""
        return {"workspace": self.workspace, "file": self.file, "added": self.added, "ids": self.ids}


def import_observations(
    session: Session,
    workspace: Workspace,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    file: str = "import",
    letters: dict[str, str] | None = None,
    lang: str | None = None,
) -> ImportResult:
    """Validate every row first, then add them all: one bad row means nothing is added.

    The caller's transaction makes the import all-or-nothing in the database too: a crash half-way
    through the inserts leaves none of them (the transaction never commits).
    """
    session.execute(select(Workspace.id).where(Workspace.id == workspace.id).with_for_update())
    parsed = parse_records(session, workspace, rows, file=file, letters=letters, lang=lang)
    if not parsed:
        raise InputError("the file holds no observations", file=file, rule="not empty")
    existing = [observation_to_domain(o) for o in list_observations(session, workspace)]
    conflicts = check_preferred([*existing, *parsed], file)
    if conflicts:
        raise InputErrors(conflicts, file=file)
    objects = []
    for obs in parsed:
        row = Observation(workspace_id=workspace.id, key=obs.id, source=obs.source, value=obs.value)
        set_fields(row, obs)
        objects.append(row)
    session.add_all(objects)
    session.flush()
    audit.record(
        session,
        action="import",
        entity="observation",
        workspace_id=workspace.id,
        new_value=f"{len(objects)} observations from {file}",
    )
    return ImportResult(workspace=workspace.name, file=file, added=len(objects), ids=[o.key for o in objects])
