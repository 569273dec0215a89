"""Import figures and targets into a workspace from the Excel template or a CSV file.

All or nothing: every row of every sheet is checked first, every problem is collected (sheet, row,
column, rule), and the workspace is written only when there is none. A half-imported spreadsheet is
worse than none: nobody can tell afterwards which rows made it.

What an import adds: new indicator definitions (Indicators sheet; codes already defined are kept as they
are), new units (Units sheet), mapping rows not yet present, observations and targets. Ids in the file
are kept (so that an exported workspace imports back identical); empty ids get the next free one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.model import IndicatorDef, MappingRow, Observation, Target, Workspace
from creativecity.monitoring.repository import WorkspaceRepository, current_user, now_iso
from creativecity.monitoring.storage import check_preferred, read_csv_rows
from creativecity.monitoring.validation import (
    RowContext,
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
            "observation_ids": [o.id for o in self.observations],
            "target_ids": [t.id for t in self.targets],
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
        try:
            rows = list(read_csv_rows(p))
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text; save the CSV as UTF-8", file=str(p), rule="encoding") from None
        with p.open(encoding="utf-8-sig") as fh:
            header = {h.strip() for h in fh.readline().strip().split(",")}
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


def check_import(
    ws: Workspace, path: str | os.PathLike[str], progress: Progress | None = None
) -> ImportResult:
    """Check a file against ``ws`` and return what importing it would add.

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

    def ctx(sheet: str) -> RowContext:
        label = f"{p.name} (sheet {sheet})" if p.suffix.lower() != ".csv" else p.name
        return RowContext(sheet=label, letters=sheets[sheet][1])

    result = ImportResult(workspace=ws.name, file=str(p), dry_run=False)

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
        result.observations, errs = parse_observations(
            sheets["Observations"][0],
            ctx("Observations"),
            indicators=known,
            units=units,
            existing=ws.observations,
            new_id=lambda used: ws.next_id("obs", used),
        )
        errors += errs
        errors += check_preferred([*ws.observations, *result.observations], ctx("Observations").sheet)

    if "Targets" in sheets:
        result.targets, errs = parse_targets(
            sheets["Targets"][0],
            ctx("Targets"),
            indicators=known,
            units=units,
            existing=ws.targets,
            new_id=lambda used: ws.next_id("tgt", used),
        )
        errors += errs

    if errors:
        raise InputErrors(errors, file=str(p))
    return result


def import_file(
    repo: WorkspaceRepository,
    name: str,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    user: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check ``path`` and, unless ``dry_run``, add its content to workspace ``name`` in one save.

    On any problem nothing is written and :class:`~creativecity.errors.InputErrors` lists them all.
    ``progress(sheet, rows_read, rows_in_sheet)`` is called while a workbook is read.
    """
    ws = repo.get(name)
    result = check_import(ws, path, progress)
    result.dry_run = dry_run
    if dry_run:
        return result
    who = user or current_user()
    stamp = now_iso()
    ws.units.extend(result.units)
    ws.indicators.extend(result.indicators)
    ws.mapping.extend(result.mapping)
    ws.observations.extend(result.observations)
    ws.targets.extend(result.targets)
    from creativecity.monitoring.model import HistoryEntry

    for obs in result.observations:
        ws.history.append(
            HistoryEntry(stamp, who, "observation", obs.id, "created", "", f"imported from {Path(path).name}")
        )
    for tgt in result.targets:
        ws.history.append(
            HistoryEntry(stamp, who, "target", tgt.id, "created", "", f"imported from {Path(path).name}")
        )
    repo.save(ws, user=who)
    return result
