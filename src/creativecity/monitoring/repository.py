"""Where workspaces live and how they change: the :class:`WorkspaceRepository` protocol.

The store (:class:`creativecity.store.repository.SqlWorkspaceRepository`, one database for the command
line, the Python API and the web app) implements the protocol; the rules of every change live here, as
functions on an in-memory :class:`~creativecity.monitoring.model.Workspace` (``apply_*``,
:func:`diff_history`), so that no store can apply them differently. Folders and workbooks are import and
export formats (:mod:`creativecity.monitoring.storage`, :mod:`creativecity.monitoring.excel`), not stores.

Every change goes through a method that records the previous value in the workspace history
(timestamp, user, entity, field, old, new): a figure in a UNESCO report must be traceable to who
entered it and what it replaced.

The bundled ``hanoi`` workspace is package data (:func:`bundled_workspace`); the store copies it into a
new database, so the package is never modified.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.model import (
    HistoryEntry,
    Observation,
    Target,
    Workspace,
)
from creativecity.monitoring.storage import check_preferred, read_workspace
from creativecity.monitoring.validation import RowContext, parse_observations, parse_targets

#: Workspaces shipped with the package (folders under ``creativecity/data``).
BUNDLED: tuple[str, ...] = ("hanoi",)

T = TypeVar("T")

_OBS_FIELDS = {f.name for f in dataclasses.fields(Observation)} - {"id"}
_TARGET_FIELDS = {f.name for f in dataclasses.fields(Target)} - {"id"}


def bundled_path(name: str) -> Path:
    """Folder of a bundled workspace inside the installed package."""
    return Path(str(resources.files("creativecity") / "data" / name))


def current_user() -> str:
    """Who is making a change: ``$CREATIVECITY_USER`` or the login name."""
    env = os.environ.get("CREATIVECITY_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        return "unknown"


def now_iso() -> str:
    """UTC timestamp with seconds, the format of ``history.csv``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@runtime_checkable
class WorkspaceRepository(Protocol):
    """What the monitoring, reports and web areas need from a workspace store.

    Names are workspace slugs (``hanoi``). Methods raise :class:`~creativecity.errors.InputError` for an
    unknown workspace, observation or target and for invalid values; a failed call changes nothing.
    ``user`` is recorded in the history of every change.
    """

    def list(self) -> list[dict[str, Any]]:
        """Summaries (``Workspace.summary()`` plus ``origin``) of every workspace, sorted by name."""
        ...

    def exists(self, name: str) -> bool:
        """Whether a workspace of that name exists."""
        ...

    def get(self, name: str) -> Workspace:
        """The whole workspace."""
        ...

    def create(self, workspace: Workspace, user: str | None = None) -> Workspace:
        """Store a new workspace; an existing name is an error."""
        ...

    def save(self, workspace: Workspace, user: str | None = None) -> Workspace:
        """Replace a workspace as a whole (imports, edits of narratives or the action plan)."""
        ...

    def edit(self, name: str, operation: Callable[[Workspace], T], user: str | None = None) -> T:
        """Apply ``operation`` to the workspace and store what it changed, as one change.

        No change made meanwhile by someone else is lost or overwritten, and an ``operation`` that
        raises changes nothing. Imports and the command line's dossier edits go through it.
        """
        ...

    def add_observation(self, name: str, obs: Observation, user: str | None = None) -> Observation:
        """Check and add one observation (an empty id gets the next free one); returns it."""
        ...

    def update_observation(
        self, name: str, obs_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> Observation:
        """Change fields of one observation, keeping each old value in the history."""
        ...

    def set_preferred(self, name: str, obs_id: str, user: str | None = None) -> Observation:
        """Make ``obs_id`` the preferred figure of its series and year; the others become not preferred."""
        ...

    def add_target(self, name: str, target: Target, user: str | None = None) -> Target:
        """Check and add one target."""
        ...

    def update_target(
        self, name: str, target_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> Target:
        """Change fields of one target, keeping each old value in the history."""
        ...


# -- operations on an in-memory workspace, shared by every implementation -------------------------


def apply_add_observation(ws: Workspace, obs: Observation, user: str) -> Observation:
    """Validate ``obs`` against ``ws`` and append it, recording the creation in the history."""
    row = {k: v for k, v in obs.to_dict().items()}
    row["preferred"] = "" if obs.preferred is None else obs.preferred
    (new,), _ = _parse_one(ws, row, "observation")
    ws.observations.append(new)
    errs = check_preferred(ws.observations, "observation")
    if errs:
        ws.observations.pop()
        raise InputErrors(errs)
    _record(ws, user, "observation", new.id, "created", "", _summary(new))
    return new


def apply_update_observation(
    ws: Workspace, obs_id: str, changes: Mapping[str, Any], user: str, lang: str | None = None
) -> Observation:
    """Change fields of one observation after checking the changed row as a whole."""
    obs = ws.observation(obs_id)
    if obs is None:
        raise InputError(f"no observation {obs_id!r} in {ws.name}", column="id", rule="exists")
    unknown = set(changes) - _OBS_FIELDS
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(sorted(unknown))}", rule="fields")
    row = obs.to_dict() | dict(changes)
    row["preferred"] = "" if row.get("preferred") is None else row["preferred"]
    others = [o for o in ws.observations if o.id != obs_id]
    ctx = RowContext(sheet=f"observation {obs_id}", lang=lang)
    parsed, errors = parse_observations(
        [(1, row)], ctx, indicators=ws.indicator_codes(), units=ws.known_units(), existing=others
    )
    if errors:
        raise InputErrors(errors)
    new = parsed[0]
    errs = check_preferred([*others, new], f"observation {obs_id}")
    if errs:
        raise InputErrors(errs)
    for f in _OBS_FIELDS:
        old_v, new_v = getattr(obs, f), getattr(new, f)
        if old_v != new_v:
            _record(ws, user, "observation", obs_id, f, _cell(old_v), _cell(new_v))
            setattr(obs, f, new_v)
    return obs


def apply_set_preferred(ws: Workspace, obs_id: str, user: str) -> Observation:
    """Mark one observation preferred and the others of its series and year as not preferred."""
    obs = ws.observation(obs_id)
    if obs is None:
        raise InputError(f"no observation {obs_id!r} in {ws.name}", column="id", rule="exists")
    for other in ws.conflicting(obs):
        if other.preferred is not False:
            _record(ws, user, "observation", other.id, "preferred", _cell(other.preferred), "False")
            other.preferred = False
    if obs.preferred is not True:
        _record(ws, user, "observation", obs.id, "preferred", _cell(obs.preferred), "True")
        obs.preferred = True
    return obs


def apply_add_target(ws: Workspace, target: Target, user: str) -> Target:
    """Validate ``target`` against ``ws`` and append it."""
    (new,), _ = _parse_one(ws, target.to_dict(), "target")
    ws.targets.append(new)
    _record(
        ws,
        user,
        "target",
        new.id,
        "created",
        "",
        f"{new.indicator} {new.target_value:g} by {new.target_year}",
    )
    return new


def apply_update_target(
    ws: Workspace, target_id: str, changes: Mapping[str, Any], user: str, lang: str | None = None
) -> Target:
    """Change fields of one target after checking the changed row as a whole."""
    tgt = ws.target(target_id)
    if tgt is None:
        raise InputError(f"no target {target_id!r} in {ws.name}", column="id", rule="exists")
    unknown = set(changes) - _TARGET_FIELDS
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(sorted(unknown))}", rule="fields")
    row = tgt.to_dict() | dict(changes)
    others = [t for t in ws.targets if t.id != target_id]
    parsed, errors = parse_targets(
        [(1, row)],
        RowContext(sheet=f"target {target_id}", lang=lang),
        indicators=ws.indicator_codes(),
        units=ws.known_units(),
        existing=others,
    )
    if errors:
        raise InputErrors(errors)
    new = parsed[0]
    for f in _TARGET_FIELDS:
        old_v, new_v = getattr(tgt, f), getattr(new, f)
        if old_v != new_v:
            _record(ws, user, "target", target_id, f, _cell(old_v), _cell(new_v))
            setattr(tgt, f, new_v)
    return tgt


#: Workspace fields whose changes :func:`diff_history` records.
META_FIELDS: tuple[str, ...] = (
    "city",
    "country_iso3",
    "creative_field",
    "designation_year",
    "designation_date",
    "framework",
    "description",
)


def _flat(mapping: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {_cell(v)}" for k, v in mapping.items() if _cell(v))


def diff_history(old: Workspace, new: Workspace, user: str) -> list[HistoryEntry]:
    """History entries for everything that differs between two versions of a workspace.

    A save replaces the workspace as a whole, so whatever the caller changed directly (a workspace
    field, a narrative, the action plan or its translations, an indicator definition, the mapping,
    contacts, attachments, word limits, and also figures and targets edited without the ``apply_*``
    functions) is found here by comparing the two versions, and every old value is kept. A created
    record has its summary as the new value, a deleted one as the old value.

    Changes the caller has already recorded in ``new.history`` (entries absent from ``old.history``,
    e.g. by an ``apply_*`` function or an import that names its file) are not recorded twice.
    """
    stamp = now_iso()
    out: list[HistoryEntry] = []
    previous = {tuple(vars(h).values()) for h in old.history}
    recorded = {
        (h.entity, h.entity_id, h.field) for h in new.history if tuple(vars(h).values()) not in previous
    }

    def add(entity: str, entity_id: str, field: str, before: Any, after: Any) -> None:
        if (entity, entity_id, field) in recorded:
            return
        out.append(HistoryEntry(stamp, user, entity, entity_id, field, _cell(before), _cell(after)))

    for f in META_FIELDS:
        if getattr(old, f) != getattr(new, f):
            add("workspace", new.name, f, getattr(old, f), getattr(new, f))
    if old.units != new.units:
        add("workspace", new.name, "units", "; ".join(old.units), "; ".join(new.units))
    for lang in sorted(set(old.city_names) | set(new.city_names)):
        before, after = old.city_names.get(lang, ""), new.city_names.get(lang, "")
        if before != after:
            add("workspace", new.name, f"city_names.{lang}", before, after)
    for kind in sorted(set(old.form_editions) | set(new.form_editions)):
        if old.form_editions.get(kind) != new.form_editions.get(kind):
            add(
                "workspace",
                new.name,
                f"form_editions.{kind}",
                old.form_editions.get(kind),
                new.form_editions.get(kind),
            )
    b_info, a_info = old.report_info.to_dict(), new.report_info.to_dict()
    for key in a_info:
        if b_info[key] != a_info[key]:
            add("workspace", new.name, f"report_info.{key}", b_info[key], a_info[key])
    for section in sorted(set(old.word_limits) | set(new.word_limits)):
        before_l, after_l = old.word_limits.get(section), new.word_limits.get(section)
        if before_l != after_l:
            add("workspace", new.name, f"word_limits.{section}", before_l, after_l)
    for key in sorted(set(old.narratives) | set(new.narratives)):
        before, after = old.narratives.get(key, ""), new.narratives.get(key, "")
        if before != after:
            add("narrative", f"{key[0]}/{key[1]}", "text", before, after)
    for lang in sorted(set(old.action_plan_translations) | set(new.action_plan_translations)):
        b_items = old.action_plan_translations.get(lang, {})
        a_items = new.action_plan_translations.get(lang, {})
        for item_id in sorted(set(b_items) | set(a_items)):
            b_f, a_f = b_items.get(item_id, {}), a_items.get(item_id, {})
            for f in sorted(set(b_f) | set(a_f)):
                if b_f.get(f, "") != a_f.get(f, ""):
                    add("action", item_id, f"{f}_{lang}", b_f.get(f, ""), a_f.get(f, ""))
    keyed: tuple[tuple[str, list[Any], list[Any], Any], ...] = (
        ("observation", old.observations, new.observations, lambda x: x.id),
        ("target", old.targets, new.targets, lambda x: x.id),
        ("action", old.action_plan, new.action_plan, lambda x: x.id),
        ("indicator", old.indicators, new.indicators, lambda x: x.code),
        ("mapping", old.mapping, new.mapping, lambda x: f"{x.indicator}->{x.framework}:{x.code}"),
        ("contact", old.contacts, new.contacts, lambda x: x.role),
        ("attachment", old.attachments, new.attachments, lambda x: x.kind),
        ("initiative", old.initiatives, new.initiatives, lambda x: x.id),
        ("activity", old.activities, new.activities, lambda x: x.id),
    )
    for kind, olds, news, key in keyed:
        before_by = {key(x): x.to_dict() for x in olds}
        after_by = {key(x): x.to_dict() for x in news}
        for k in sorted(set(before_by) | set(after_by)):
            b, a = before_by.get(k), after_by.get(k)
            if b is None:
                add(kind, k, "created", "", _flat(a or {}))
            elif a is None:
                add(kind, k, "deleted", _flat(b), "")
            else:
                for f in a:
                    if a[f] != b.get(f):
                        add(kind, k, f, b.get(f), a[f])
    return out


#: The fields that group observations for the rules comparing one row with others: a duplicate figure
#: (same indicator, scope, year, value, unit, method, source) and two preferred figures of one series
#: and year can only occur between rows sharing these. A store that changes one row checks it with the
#: ``apply_*`` functions against a workspace holding only that row's peers (and the row with its id),
#: and gets the same answer as against the whole workspace.
PEER_FIELDS: tuple[str, ...] = ("indicator", "scope", "reference_year")


def peer_key(obs: Observation) -> tuple[str, str, int | None]:
    """The :data:`PEER_FIELDS` of an observation: which other rows a change to it is checked against."""
    return (obs.indicator, obs.scope, obs.reference_year)


def target_peer_key(target: Target) -> str:
    """Targets compared by the duplicate rule share their indicator (it is part of their identity)."""
    return target.indicator


def check_observation_row(
    ws: Workspace, row: Mapping[str, Any], sheet: str, lang: str | None = None
) -> Observation:
    """One observation record checked against the workspace's vocabularies, not against its rows.

    A store uses it to learn the row's :func:`peer_key` (with the same cleaning the rules apply, e.g.
    a year typed as text) before loading the few peers and calling :func:`apply_add_observation` or
    :func:`apply_update_observation`, which then check duplicates and the preferred rule.
    """
    cells = dict(row)
    cells["preferred"] = "" if cells.get("preferred") is None else cells["preferred"]
    parsed, errors = parse_observations(
        [(1, cells)],
        RowContext(sheet=sheet, lang=lang),
        indicators=ws.indicator_codes(),
        units=ws.known_units(),
        new_id=lambda used: "new",
    )
    if errors:
        raise InputErrors(errors)
    return parsed[0]


def check_target_row(ws: Workspace, row: Mapping[str, Any], sheet: str, lang: str | None = None) -> Target:
    """One target record checked against the workspace's vocabularies (see :func:`check_observation_row`).

    ``lang`` is the language numbers typed as text follow (a Vietnamese form reads "1.350" as 1350).
    """
    parsed, errors = parse_targets(
        [(1, dict(row))],
        RowContext(sheet=sheet, lang=lang),
        indicators=ws.indicator_codes(),
        units=ws.known_units(),
        new_id=lambda used: "new",
    )
    if errors:
        raise InputErrors(errors)
    return parsed[0]


def _parse_one(ws: Workspace, row: dict[str, Any], kind: str) -> tuple[list[Any], list[Any]]:
    ctx = RowContext(sheet=f"new {kind}")
    if kind == "observation":
        parsed, errors = parse_observations(
            [(1, row)],
            ctx,
            indicators=ws.indicator_codes(),
            units=ws.known_units(),
            existing=ws.observations,
            new_id=lambda used: ws.next_id("obs", used),
        )
    else:
        parsed, errors = parse_targets(
            [(1, row)],
            ctx,
            indicators=ws.indicator_codes(),
            units=ws.known_units(),
            existing=ws.targets,
            new_id=lambda used: ws.next_id("tgt", used),
        )
    if errors:
        raise InputErrors(errors)
    return parsed, errors


def _summary(obs: Observation) -> str:
    return f"{obs.indicator} {obs.scope} {obs.reference_year or 'undated'}: {obs.value:g} {obs.unit}"


def _record(ws: Workspace, user: str, entity: str, entity_id: str, field: str, old: str, new: str) -> None:
    ws.history.append(HistoryEntry(now_iso(), user, entity, entity_id, field, old, new))


# -- the bundled workspaces ----------------------------------------------------------------------


def bundled_workspace(name: str = "hanoi") -> Workspace:
    """A workspace shipped with the package (read from its folder under ``creativecity/data``).

    The database loads these on first use (:func:`creativecity.store.open_store`); reading the package
    copy directly serves tests and examples that need Hanoi's published figures without a database.
    """
    if name not in BUNDLED:
        raise InputError(
            f"no bundled workspace {name!r} (bundled: {', '.join(BUNDLED)})",
            column="workspace",
            rule="bundled workspace",
        )
    ws = read_workspace(bundled_path(name))
    ws.name = name
    return ws
