"""Where workspaces live and how they change: the :class:`WorkspaceRepository` protocol.

Two implementations share the protocol: :class:`FileWorkspaceRepository` here (plain folders under
``$CREATIVECITY_HOME/workspaces``) and the SQL store of the web app. :func:`creativecity.monitoring.monitor`
only needs a :class:`~creativecity.monitoring.model.Workspace`, so it runs on either.

Every change goes through a method that records the previous value in the workspace history
(timestamp, user, entity, field, old, new): a figure in a UNESCO report must be traceable to who
entered it and what it replaced.

The bundled ``hanoi`` workspace is read from package data while the user has none of their own; the
first change copies it to the user folder (copy-on-write), so the package is never modified.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.model import (
    HistoryEntry,
    Observation,
    Target,
    Workspace,
    valid_name,
)
from creativecity.monitoring.storage import check_preferred, read_workspace, write_workspace
from creativecity.monitoring.validation import RowContext, parse_observations, parse_targets

#: Workspaces shipped with the package (folders under ``creativecity/data``).
BUNDLED: tuple[str, ...] = ("hanoi",)

_OBS_FIELDS = {f.name for f in dataclasses.fields(Observation)} - {"id"}
_TARGET_FIELDS = {f.name for f in dataclasses.fields(Target)} - {"id"}


def creativecity_home() -> Path:
    """``$CREATIVECITY_HOME`` or ``~/.local/share/creativecity`` (XDG data home when set)."""
    env = os.environ.get("CREATIVECITY_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "creativecity"


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

    def _write(self, workspace: Workspace) -> None:
        """Write a workspace whose changes the ``apply_*`` functions have already recorded."""
        write_workspace(workspace, self.path(workspace.name))

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


# -- the file implementation ----------------------------------------------------------------------


class FileWorkspaceRepository:
    """Workspaces as folders under ``root`` (default ``$CREATIVECITY_HOME/workspaces``).

    Parameters
    ----------
    root
        Folder holding one sub-folder per workspace.
    bundled
        Whether the workspaces shipped with the package (``hanoi``) are visible when the user has no
        workspace of that name.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, bundled: bool = True) -> None:
        self.root = Path(root) if root is not None else creativecity_home() / "workspaces"
        self.bundled = bundled

    def path(self, name: str) -> Path:
        """The user folder of workspace ``name`` (it may not exist yet)."""
        self._check_name(name)
        return self.root / name

    def origin(self, name: str) -> str | None:
        """``"user"``, ``"bundled"`` or ``None`` (no such workspace)."""
        self._check_name(name)
        if (self.root / name / "workspace.yaml").is_file():
            return "user"
        if self.bundled and name in BUNDLED and (bundled_path(name) / "workspace.yaml").is_file():
            return "bundled"
        return None

    def source_path(self, name: str) -> Path:
        """The folder ``get`` reads: the user's copy, else the bundled one."""
        origin = self.origin(name)
        if origin is None:
            known = ", ".join(s["name"] for s in self.list()) or "none yet"
            raise InputError(
                f"no workspace {name!r} (known: {known}); create one with `creativecity workspace new`",
                column="workspace",
                rule="exists",
            )
        return self.root / name if origin == "user" else bundled_path(name)

    def list(self) -> list[dict[str, Any]]:
        """Summaries of every workspace (user ones and, unless shadowed, bundled ones)."""
        names: set[str] = set()
        if self.root.is_dir():
            names |= {p.name for p in self.root.iterdir() if (p / "workspace.yaml").is_file()}
        if self.bundled:
            names |= set(BUNDLED)
        out = []
        for name in sorted(names):
            if not valid_name(name) or self.origin(name) is None:
                continue
            summary = self.get(name).summary()
            summary["origin"] = self.origin(name)
            out.append(summary)
        return out

    def exists(self, name: str) -> bool:
        """Whether ``name`` is a user or bundled workspace."""
        return self.origin(name) is not None

    def get(self, name: str) -> Workspace:
        """Read workspace ``name`` (user copy first, then bundled)."""
        ws = read_workspace(self.source_path(name))
        ws.name = name
        return ws

    def create(self, workspace: Workspace, user: str | None = None) -> Workspace:
        """Store a new workspace under the user folder."""
        self._check_name(workspace.name)
        if self.exists(workspace.name):
            raise InputError(f"workspace {workspace.name!r} already exists", column="name", rule="unique")
        _record(workspace, user or current_user(), "workspace", workspace.name, "created", "", workspace.city)
        write_workspace(workspace, self.path(workspace.name))
        return workspace

    def save(self, workspace: Workspace, user: str | None = None) -> Workspace:
        """Write the whole workspace to the user folder (copy-on-write for a bundled one).

        Every difference from the stored version is added to the history (:func:`diff_history`),
        whatever part of the workspace the caller changed.
        """
        self._check_name(workspace.name)
        if self.exists(workspace.name):
            previous = read_workspace(self.source_path(workspace.name))
            previous.name = workspace.name
            workspace.history.extend(diff_history(previous, workspace, user or current_user()))
        write_workspace(workspace, self.path(workspace.name))
        return workspace

    def _write(self, workspace: Workspace) -> None:
        """Write a workspace whose changes the ``apply_*`` functions have already recorded."""
        write_workspace(workspace, self.path(workspace.name))

    def add_observation(self, name: str, obs: Observation, user: str | None = None) -> Observation:
        """See :class:`WorkspaceRepository`."""
        ws = self.get(name)
        new = apply_add_observation(ws, obs, user or current_user())
        self._write(ws)
        return new

    def update_observation(
        self, name: str, obs_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> Observation:
        """See :class:`WorkspaceRepository`."""
        ws = self.get(name)
        obs = apply_update_observation(ws, obs_id, changes, user or current_user())
        self._write(ws)
        return obs

    def set_preferred(self, name: str, obs_id: str, user: str | None = None) -> Observation:
        """See :class:`WorkspaceRepository`."""
        ws = self.get(name)
        obs = apply_set_preferred(ws, obs_id, user or current_user())
        self._write(ws)
        return obs

    def add_target(self, name: str, target: Target, user: str | None = None) -> Target:
        """See :class:`WorkspaceRepository`."""
        ws = self.get(name)
        tgt = apply_add_target(ws, target, user or current_user())
        self._write(ws)
        return tgt

    def update_target(
        self, name: str, target_id: str, changes: Mapping[str, Any], user: str | None = None
    ) -> Target:
        """See :class:`WorkspaceRepository`."""
        ws = self.get(name)
        tgt = apply_update_target(ws, target_id, changes, user or current_user())
        self._write(ws)
        return tgt

    @staticmethod
    def _check_name(name: str) -> None:
        if not valid_name(name):
            raise InputError(
                f"{name!r} is not a valid workspace name (lower-case letters, digits, - and _)",
                column="name",
                rule="workspace name",
            )


def open_workspace(name_or_path: str, repo: WorkspaceRepository | None = None) -> Workspace:
    """A workspace by name (from ``repo``, default the file store) or by folder path."""
    path = Path(name_or_path)
    if os.sep in name_or_path or (path.is_dir() and (path / "workspace.yaml").is_file()):
        return read_workspace(path)
    return (repo or FileWorkspaceRepository()).get(name_or_path)
