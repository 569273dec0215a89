"""Import figures and targets into a workspace from the Excel template or a CSV file.

All or nothing: every row of every sheet is checked first, every problem is collected (sheet, row,
column, rule), and the workspace is written only when there is none. A half-imported spreadsheet is
worse than none: nobody can tell afterwards which rows made it.

What an import adds: new indicator definitions (Indicators sheet; codes already defined are kept as they
are), new units (Units sheet), mapping rows not yet present, observations and targets. Ids in the file
are kept (so that an exported workspace imports back identical); empty ids get the next free one.

An exported workbook also carries the dossier sheets (``Action plan``, ``Texts``, ``Contacts``,
``Attachments``, ``Profile``); when present they replace, item by item, what they name: an action
item by id (with its Vietnamese translations), a narrative by section and language, a contact by
role, an attachment by kind, a city name by language, a word limit by section. Items the sheet does
not name are kept; a sheet that is absent leaves that part of the workspace unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creativecity.errors import InputError, InputErrors
from creativecity.filelimits import MAX_FILE_BYTES, check_csv
from creativecity.monitoring.action_plan import line_problems
from creativecity.monitoring.activities import NetworkActivity
from creativecity.monitoring.application import (
    Attachment,
    Contact,
    check_attachments,
    check_contacts,
    check_word_limits,
)
from creativecity.monitoring.excel_register import check_register_sheets
from creativecity.monitoring.initiatives import Initiative
from creativecity.monitoring.model import (
    ACTION_TEXT_FIELDS,
    ActionItem,
    HistoryEntry,
    IndicatorDef,
    MappingRow,
    Observation,
    Target,
    Workspace,
    valid_code,
)
from creativecity.monitoring.repository import WorkspaceRepository, current_user, now_iso
from creativecity.monitoring.rules import valid_id
from creativecity.monitoring.storage import TRANSLATED_LANGS, check_preferred, read_csv_rows
from creativecity.monitoring.validation import (
    RowContext,
    _check_number,
    _check_year,
    _text,
    check_action_numbers,
    parse_indicators,
    parse_mapping,
    parse_observations,
    parse_targets,
)

#: Called as ``progress(sheet, rows_read, rows_in_sheet)`` while a workbook is read.
Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    """What an import added (or would add, for a dry run)."""

    workspace: str
    file: str
    dry_run: bool
    observations: list[Observation] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[IndicatorDef] = field(default_factory=list)
    mapping: list[MappingRow] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    action_plan: list[ActionItem] = field(default_factory=list)
    #: ``lang -> action id -> field -> text`` for the items of ``action_plan`` (replacing theirs).
    action_translations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    narratives: dict[tuple[str, str], str] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    city_names: dict[str, str] = field(default_factory=dict)
    word_limits: dict[str, int] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    activities: list[NetworkActivity] = field(default_factory=list)
    #: Rows whose id the workspace already has and whose content differs: they replace the old ones.
    updated_observations: list[Observation] = field(default_factory=list)
    updated_targets: list[Target] = field(default_factory=list)
    #: ``{"entity", "id", "field", "old", "new"}`` for every field an update changes (the diff shown).
    changes: list[dict[str, str]] = field(default_factory=list)
    #: The language numbers typed as text were read in ("vi", "en" or None = unknown).
    lang: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Counts and ids (JSON output of the command)."""
        return {
            "workspace": self.workspace,
            "file": self.file,
            "dry_run": self.dry_run,
            "observations": len(self.observations),
            "targets": len(self.targets),
            "indicators": len(self.indicators),
            "mapping": len(self.mapping),
            "units": list(self.units),
            "action_plan": len(self.action_plan),
            "narratives": len(self.narratives),
            "contacts": len(self.contacts),
            "attachments": len(self.attachments),
            "city_names": len(self.city_names),
            "word_limits": len(self.word_limits),
            "initiatives": len(self.initiatives),
            "activities": len(self.activities),
            "observation_ids": [o.id for o in self.observations],
            "target_ids": [t.id for t in self.targets],
            "updated_observations": [o.id for o in self.updated_observations],
            "updated_targets": [t.id for t in self.updated_targets],
            "changes": list(self.changes),
            "lang": self.lang,
        }


def _csv_kind(header: set[str]) -> str:
    if "target_value" in header:
        return "Targets"
    if "value" in header:
        return "Observations"
    if {"code", "name_en"} <= header:
        return "Indicators"
    if {"indicator", "framework", "code"} <= header:
        return "Mapping"
    return ""


def csv_language(header: list[str]) -> str | None:
    """``vi`` when a CSV header is Vietnamese (bilingual "Giá trị / value" or accented words), else None."""
    return "vi" if any(not h.isascii() for h in header) else None


def read_import_file(
    path: str | os.PathLike[str], progress: Progress | None = None
) -> dict[str, tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]]:
    """The sheets of an .xlsx file, or one CSV file as the sheet its header says it is."""
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", file=str(p), rule="exists")
    suffix = p.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        from creativecity.monitoring.excel import read_workbook

        return read_workbook(p, progress)
    if suffix == ".csv":
        if p.stat().st_size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", file=str(p), rule="size"
            )
        from creativecity.monitoring.excel import canonical_column

        try:
            check_csv(p.read_text(encoding="utf-8-sig"), name=str(p))
            rows = [(n, {canonical_column(k): v for k, v in r.items()}) for n, r in read_csv_rows(p)]
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text; save the CSV as UTF-8", file=str(p), rule="encoding") from None
        with p.open(encoding="utf-8-sig") as fh:
            header = {canonical_column(h) for h in fh.readline().strip().split(",")}
        kind = _csv_kind(header)
        if not kind:
            raise InputError(
                "cannot tell what the CSV holds: observations need a 'value' column, targets a "
                "'target_value' column, indicators 'code' and 'name_en'",
                file=str(p),
                row=1,
                rule="csv kind",
            )
        return {kind: (rows, {})}
    raise InputError("import reads .xlsx or .csv files", file=str(p), rule="file type")


def _file_language(p: Path, lang: str | None) -> str | None:
    """The convention numbers typed as text follow (module :mod:`creativecity.monitoring.text`).

    A workbook (our template is Vietnamese first) is Vietnamese input; a CSV is Vietnamese when its
    header is; ``lang`` given by the user (``--lang``) wins. Unknown stays ``None``: then "1.350" is
    refused rather than guessed.
    """
    if lang:
        return lang
    if p.suffix.lower() in {".xlsx", ".xlsm"}:
        return "vi"
    if p.suffix.lower() == ".csv" and p.is_file():
        try:
            with p.open(encoding="utf-8-sig") as fh:
                return csv_language(fh.readline().strip().split(","))
        except UnicodeDecodeError:
            return None
    return None


def check_import(
    ws: Workspace, path: str | os.PathLike[str], progress: Progress | None = None, lang: str | None = None
) -> ImportResult:
    """Check a file against ``ws`` and return what importing it would add or change.

    Rows whose ``id`` the workspace already has update that row (an exported workbook imports back
    into its own workspace: changed rows are updated, the diff is in ``changes``, unchanged rows are
    left alone); rows with a new or empty id are added.

    Raises
    ------
    InputErrors
        Every problem found, each naming the sheet (or file), row and column.
    """
    p = Path(path)
    sheets = read_import_file(p, progress)
    if not any(sheets[s][0] for s in sheets):
        raise InputError("no rows to import", file=str(p), rule="empty")
    errors: list[InputError] = []

    number_lang = _file_language(p, lang)

    def ctx(sheet: str) -> RowContext:
        label = f"{p.name} (sheet {sheet})" if p.suffix.lower() != ".csv" else p.name
        return RowContext(sheet=label, letters=sheets[sheet][1], lang=number_lang)

    result = ImportResult(workspace=ws.name, file=str(p), dry_run=False, lang=number_lang)

    units = ws.known_units()
    if "Units" in sheets:
        for _, cells in sheets["Units"][0]:
            unit = str(cells.get("unit") or "").strip()
            if unit and unit not in units:
                result.units.append(unit)
                units.add(unit)

    known = ws.indicator_codes()
    if "Indicators" in sheets:
        defs, errs = parse_indicators(sheets["Indicators"][0], ctx("Indicators"), units=units | {""})
        errors += errs
        result.indicators = [d for d in defs if d.code not in known]
        known |= {d.code for d in defs}

    if "Mapping" in sheets:
        rows, errs = parse_mapping(sheets["Mapping"][0], ctx("Mapping"), indicators=known)
        errors += errs
        have = {(m.indicator, m.framework, m.code) for m in ws.mapping}
        for m in rows:
            if (m.indicator, m.framework, m.code) not in have:
                have.add((m.indicator, m.framework, m.code))
                result.mapping.append(m)

    if "Observations" in sheets:
        rows = sheets["Observations"][0]
        kept = _not_named(ws.observations, rows)
        parsed, errs = parse_observations(
            rows,
            ctx("Observations"),
            indicators=known,
            units=units,
            existing=kept,
            new_id=lambda used: ws.next_id("obs", used | {o.id for o in ws.observations}),
        )
        errors += errs
        result.observations, result.updated_observations = _split(
            ws.observations, parsed, "observation", result.changes
        )
        errors += check_preferred([*kept, *parsed], ctx("Observations").sheet)

    if "Targets" in sheets:
        rows = sheets["Targets"][0]
        parsed_t, errs = parse_targets(
            rows,
            ctx("Targets"),
            indicators=known,
            units=units,
            existing=_not_named(ws.targets, rows),
            new_id=lambda used: ws.next_id("tgt", used | {t.id for t in ws.targets}),
        )
        errors += errs
        result.targets, result.updated_targets = _split(ws.targets, parsed_t, "target", result.changes)

    errors += _check_dossier(ws, sheets, ctx, known, result)
    initiatives, activities, errs = check_register_sheets(sheets, lambda s: ctx(s).sheet, known)
    result.initiatives, result.activities = initiatives or [], activities or []
    errors += errs

    if errors:
        raise InputErrors(errors, file=str(p))
    return result


Rows = list[tuple[int, dict[str, Any]]]


def _not_named(items: list[Any], rows: Rows) -> list[Any]:
    """The workspace's rows the file does not name by id (the others are being updated)."""
    named = {_text(cells.get("id")) for _, cells in rows} - {""}
    return [x for x in items if x.id not in named]


def _split(
    old: list[Any], parsed: list[Any], entity: str, changes: list[dict[str, str]]
) -> tuple[list[Any], list[Any]]:
    """New rows, and rows that update a known id with different content (their diff into ``changes``)."""
    from creativecity.monitoring.storage import format_cell

    by_id = {x.id: x for x in old}
    new, updated = [], []
    for item in parsed:
        before = by_id.get(item.id)
        if before is None:
            new.append(item)
            continue
        diff = [
            {
                "entity": entity,
                "id": item.id,
                "field": k,
                "old": format_cell(v),
                "new": format_cell(item.to_dict()[k]),
            }
            for k, v in before.to_dict().items()
            if format_cell(v) != format_cell(item.to_dict()[k])
        ]
        if diff:
            changes.extend(diff)
            updated.append(item)
    return new, updated


def _rewrap(ctx: RowContext, row: int, errs: list[InputError]) -> list[InputError]:
    """Errors of the application checks (which name ``contacts[1]``) at the sheet's row and column."""
    return [ctx.error(row, e.column or "", e.message, e.rule or "") for e in errs]


def _parse_actions(
    ws: Workspace, rows: Rows, ctx: RowContext, known: set[str], result: ImportResult
) -> list[InputError]:
    errors: list[InputError] = []
    seen: dict[str, int] = {}
    used = {a.id for a in ws.action_plan} | {_text(c.get("id")) for _, c in rows}
    for row, cells in rows:
        n_before = len(errors)
        item_id = _text(cells.get("id"))
        if item_id and not valid_id(item_id):
            errors.append(
                ctx.error(row, "id", f"{item_id[:40]!r} is not a valid id (e.g. act-0003)", "id format")
            )
        elif item_id in seen:
            errors.append(
                ctx.error(row, "id", f"{item_id!r} is already used in row {seen[item_id]}", "unique")
            )
        objective, initiative = _text(cells.get("objective")), _text(cells.get("initiative"))
        for column, message in line_problems(objective, initiative):
            errors.append(ctx.error(row, column, message, "required"))
        indicator = _text(cells.get("indicator"))
        definition = ws.indicator(indicator) if indicator else None
        budget, target_value = check_action_numbers(
            ctx, row, cells, errors, indicator_unit=definition.unit if definition else ""
        )
        target_year = _check_year(ctx, row, "target_year", cells.get("target_year"), errors, required=False)
        if indicator and indicator not in known:
            errors.append(
                ctx.error(row, "indicator", f"{indicator!r} is not a defined indicator", "unknown indicator")
            )
        if len(errors) > n_before:
            continue
        if not item_id:
            item_id = ws.next_id("act", used)
            used.add(item_id)
        seen[item_id] = row
        result.action_plan.append(
            ActionItem(
                id=item_id,
                objective=objective,
                initiative=initiative,
                budget=budget,
                currency=_text(cells.get("currency")),
                indicator=indicator,
                target_value=target_value,
                target_year=target_year,
                lead=_text(cells.get("lead")),
                partners=_text(cells.get("partners")),
                source=_text(cells.get("source")),
            )
        )
        for lang in TRANSLATED_LANGS:
            texts = {f: _text(cells.get(f"{f}_{lang}")) for f in ACTION_TEXT_FIELDS}
            result.action_translations.setdefault(lang, {})[item_id] = {f: t for f, t in texts.items() if t}
    return errors


def _parse_texts(rows: Rows, ctx: RowContext, result: ImportResult) -> list[InputError]:
    errors: list[InputError] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        n_before = len(errors)
        key = []
        for column in ("section", "lang"):
            value = _text(cells.get(column))
            if not value:
                errors.append(ctx.error(row, column, "a value is required", "required"))
            elif not valid_code(value):
                errors.append(
                    ctx.error(
                        row, column, f"{value!r} must start with a letter and use A-Z, 0-9, _ . -", "code"
                    )
                )
            key.append(value)
        section, lang = key
        if (section, lang) in seen:
            errors.append(
                ctx.error(
                    row,
                    "section",
                    f"{section}/{lang} is already given in row {seen[(section, lang)]}",
                    "unique",
                )
            )
        text = cells.get("text")
        if len(errors) > n_before or text is None or not str(text).strip():
            continue  # an empty text leaves the narrative as it is
        seen[(section, lang)] = row
        result.narratives[(section, lang)] = str(text)
    return errors


def _parse_profile(rows: Rows, ctx: RowContext, result: ImportResult) -> list[InputError]:
    errors: list[InputError] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        setting, key, value = _text(cells.get("setting")), _text(cells.get("key")), cells.get("value")
        if setting not in ("city_name", "word_limit"):
            errors.append(ctx.error(row, "setting", f"{setting!r} is not city_name or word_limit", "setting"))
            continue
        if not key:
            errors.append(ctx.error(row, "key", "a value is required", "required"))
            continue
        if (setting, key) in seen:
            errors.append(
                ctx.error(
                    row, "key", f"{setting} {key!r} is already given in row {seen[(setting, key)]}", "unique"
                )
            )
            continue
        seen[(setting, key)] = row
        if setting == "city_name":
            if _text(value):
                result.city_names[key] = _text(value)
            continue
        words = _check_number(ctx, row, "value", value, errors)
        if words is None:
            continue
        limit = int(words) if words.is_integer() else words
        out, errs = check_word_limits({key: limit}, ctx.sheet)
        errors += [
            ctx.error(row, "key" if e.rule == "section" else "value", e.message, e.rule or "") for e in errs
        ]
        result.word_limits.update(out)
    return errors


def _check_dossier(
    ws: Workspace,
    sheets: dict[str, tuple[Rows, dict[str, str]]],
    ctx: Callable[[str], RowContext],
    known: set[str],
    result: ImportResult,
) -> list[InputError]:
    """Check the dossier sheets of an exported workbook (those present) into ``result``."""
    errors: list[InputError] = []
    if "Action plan" in sheets:
        errors += _parse_actions(ws, sheets["Action plan"][0], ctx("Action plan"), known, result)
    if "Texts" in sheets:
        errors += _parse_texts(sheets["Texts"][0], ctx("Texts"), result)
    if "Profile" in sheets:
        errors += _parse_profile(sheets["Profile"][0], ctx("Profile"), result)
    for name, cls, check, key, target in (
        ("Contacts", Contact, check_contacts, "role", result.contacts),
        ("Attachments", Attachment, check_attachments, "kind", result.attachments),
    ):
        if name not in sheets:
            continue
        c, seen = ctx(name), {}
        for row, cells in sheets[name][0]:
            item = cls.from_dict({k: _text(v) for k, v in cells.items()})  # type: ignore[attr-defined]
            errs = _rewrap(c, row, check([item], c.sheet))  # type: ignore[operator]
            ident = getattr(item, key)
            if not errs and ident in seen:
                errs = [c.error(row, key, f"{ident!r} is already given in row {seen[ident]}", "unique")]
            errors += errs
            if not errs:
                seen[ident] = row
                target.append(item)
    return errors


def _upsert(items: list[Any], new: list[Any], key: str) -> None:
    """Replace the items of ``items`` that ``new`` names by ``key`` in place; append the others."""
    where = {getattr(x, key): i for i, x in enumerate(items)}
    for item in new:
        if getattr(item, key) in where:
            items[where[getattr(item, key)]] = item
        else:
            where[getattr(item, key)] = len(items)
            items.append(item)


def import_file(
    repo: WorkspaceRepository,
    name: str,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    user: str | None = None,
    progress: Progress | None = None,
    lang: str | None = None,
) -> ImportResult:
    """Check ``path`` and, unless ``dry_run``, add its content to workspace ``name`` in one change.

    On any problem nothing is written and :class:`~creativecity.errors.InputErrors` lists them all.
    ``progress(sheet, rows_read, rows_in_sheet)`` is called while a workbook is read.

    The file is read and checked against the workspace as it was (slow, outside any transaction); the
    rows are then added through :meth:`WorkspaceRepository.edit`, in one transaction. Should a colleague
    have changed the workspace in between (a figure added in the web app), the file is checked again
    against the workspace as it now is, so their change is kept and no id or row is taken twice.
    """
    snapshot = repo.get(name)
    result = check_import(snapshot, path, progress, lang=lang)
    result.dry_run = dry_run
    if dry_run:
        return result
    who = user or current_user()
    before = _content(snapshot)

    def add(ws: Workspace) -> ImportResult:
        checked = result if _content(ws) == before else check_import(ws, path, lang=lang)
        apply_import(ws, checked, who, Path(path).name)
        return checked

    return repo.edit(name, add, user=who)


def _content(ws: Workspace) -> dict[str, Any]:
    data = ws.to_dict()
    data.pop("history", None)
    return data


def apply_import(ws: Workspace, result: ImportResult, user: str, file_name: str) -> None:
    """Add a checked import to ``ws``: new rows appended, dossier rows replacing what they name."""
    stamp = now_iso()
    ws.units.extend(result.units)
    ws.indicators.extend(result.indicators)
    ws.mapping.extend(result.mapping)
    _upsert(ws.observations, result.updated_observations, "id")
    _upsert(ws.targets, result.updated_targets, "id")
    ws.observations.extend(result.observations)
    ws.targets.extend(result.targets)
    _upsert(ws.action_plan, result.action_plan, "id")
    for lang, items in result.action_translations.items():
        by_item = ws.action_plan_translations.setdefault(lang, {})
        for item_id, texts in items.items():
            if texts:
                by_item[item_id] = texts
            else:
                by_item.pop(item_id, None)
        if not by_item:
            ws.action_plan_translations.pop(lang)
    ws.narratives.update(result.narratives)
    _upsert(ws.contacts, result.contacts, "role")
    _upsert(ws.attachments, result.attachments, "kind")
    _upsert(ws.initiatives, result.initiatives, "id")
    _upsert(ws.activities, result.activities, "id")
    ws.city_names.update(result.city_names)
    ws.word_limits.update(result.word_limits)
    for obs in result.observations:
        ws.history.append(
            HistoryEntry(stamp, user, "observation", obs.id, "created", "", f"imported from {file_name}")
        )
    for tgt in result.targets:
        ws.history.append(
            HistoryEntry(stamp, user, "target", tgt.id, "created", "", f"imported from {file_name}")
        )
    for change in result.changes:
        ws.history.append(
            HistoryEntry(
                stamp, user, change["entity"], change["id"], change["field"], change["old"], change["new"]
            )
        )
