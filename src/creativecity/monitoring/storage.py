"""A workspace as a folder of plain files (CSV and YAML), readable in a diff and in a spreadsheet.

Layout::

    workspace.yaml          name, city, country, field, designation, framework, unit vocabulary
    observations.csv        one published figure per row, with its source
    targets.csv             one commitment per row, with its instrument and source
    indicators.csv          indicator definitions (English and Vietnamese names, unit, direction)
    mapping.csv             indicator -> framework pillar/dimension
    action_plan.csv         the four-year action plan
    initiatives.yaml        the initiatives register (local and inter-city commitments, with sources)
    activities.csv          the network activity log (conferences, sub-network meetings, evaluations...)
    history.csv             every change: timestamp, user, entity, id, field, old, new
    narratives/<lang>/<section>.md

Why plain files: a department of culture keeps its evidence for years, passes it between staff and
consultants and may need to read it without this program. Reading checks every row with the same rules
as an import and reports all problems at once; writing goes through a staging folder so that a crash
never leaves a half-written workspace.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.action_plan import line_problems
from creativecity.monitoring.activities import ACTIVITY_COLUMNS, parse_activities
from creativecity.monitoring.application import (
    Attachment,
    Contact,
    check_attachments,
    check_contacts,
    check_word_limits,
)
from creativecity.monitoring.initiatives import parse_initiatives
from creativecity.monitoring.model import (
    ACTION_TEXT_FIELDS,
    ActionItem,
    HistoryEntry,
    Observation,
    Workspace,
)
from creativecity.monitoring.reportinfo import check_report_info
from creativecity.monitoring.rules import TRANSLATED_LANGUAGES
from creativecity.monitoring.series import SeriesBreak
from creativecity.monitoring.text import clean_text
from creativecity.monitoring.validation import (
    INDICATOR_COLUMNS,
    MAPPING_COLUMNS,
    OBSERVATION_COLUMNS,
    TARGET_COLUMNS,
    RowContext,
    parse_indicators,
    parse_mapping,
    parse_observations,
    parse_targets,
)
from creativecity.safeyaml import load_yaml

FORMAT_VERSION = 1
ACTION_COLUMNS: tuple[str, ...] = (
    "id",
    "objective",
    "initiative",
    "budget",
    "currency",
    "indicator",
    "target_value",
    "target_year",
    "lead",
    "partners",
    "source",
    "objective_vi",
    "initiative_vi",
    "lead_vi",
    "partners_vi",
)
#: Languages whose action-plan translations are columns of ``action_plan.csv`` (``objective_vi``...).
TRANSLATED_LANGS: tuple[str, ...] = TRANSLATED_LANGUAGES
HISTORY_COLUMNS: tuple[str, ...] = ("timestamp", "user", "entity", "entity_id", "field", "old", "new")
#: ``sources.csv``: the title of each source in English and Vietnamese (reports cite the title).
SOURCE_COLUMNS: tuple[str, ...] = ("source", "title_en", "title_vi")


def format_cell(value: Any) -> str:
    """CSV text for a value: whole numbers without ``.0``, floats in shortest round-trip form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """Render rows as CSV with a fixed column order (stable diffs)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def read_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row_number, row)`` pairs; the header is row 1, as in a spreadsheet.

    A file that is not UTF-8 (a CSV re-saved by a spreadsheet in a legacy encoding) is the user's input
    to fix, so it raises :class:`InputError` (exit 2) rather than a bare ``UnicodeDecodeError``.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8", file=str(path), rule="encoding"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for i, row in enumerate(reader, start=2):
        yield i, {k: v for k, v in row.items() if k is not None}


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return list(read_csv_rows(path)) if path.exists() else []


def read_workspace(path: str | os.PathLike[str]) -> Workspace:
    """Read and check a workspace folder.

    Raises
    ------
    InputError
        The folder or ``workspace.yaml`` is missing or malformed.
    InputErrors
        Every bad row of every file, each naming its file, row and column.
    """
    root = Path(path)
    meta_path = root / "workspace.yaml"
    if not meta_path.is_file():
        raise InputError("not a workspace folder (no workspace.yaml)", file=str(root), rule="workspace")
    meta = load_yaml(meta_path.read_text(encoding="utf-8"), source=str(meta_path)) or {}
    if not isinstance(meta, dict) or not meta.get("name"):
        raise InputError("must be a mapping with at least 'name'", file=str(meta_path), rule="workspace")
    errors: list[InputError] = []
    ws = Workspace(
        name=str(meta["name"]),
        city=str(meta.get("city") or ""),
        country_iso3=str(meta.get("country_iso3") or ""),
        creative_field=str(meta.get("creative_field") or ""),
        designation_year=meta.get("designation_year"),
        designation_date=str(meta.get("designation_date") or ""),
        framework=str(meta.get("framework") or "creative_city_pillars"),
        description=str(meta.get("description") or ""),
    )
    if meta.get("units"):
        ws.units = [str(u) for u in meta["units"]]
    errors += _read_application(meta, ws, str(meta_path))

    def ctx(name: str) -> RowContext:
        # the folder format is written by the program: numbers in the "en" convention ("3.7", "1350")
        return RowContext(sheet=str(root / name), lang="en")

    ws.indicators, errs = parse_indicators(_rows(root / "indicators.csv"), ctx("indicators.csv"))
    errors += errs
    codes = ws.indicator_codes()
    units = ws.known_units()
    ws.observations, errs = parse_observations(
        _rows(root / "observations.csv"), ctx("observations.csv"), indicators=codes, units=units
    )
    errors += errs
    ws.targets, errs = parse_targets(
        _rows(root / "targets.csv"), ctx("targets.csv"), indicators=codes, units=units
    )
    errors += errs
    ws.mapping, errs = parse_mapping(_rows(root / "mapping.csv"), ctx("mapping.csv"), indicators=codes)
    errors += errs
    for row, cells in _rows(root / "action_plan.csv"):
        try:
            item = ActionItem.from_dict(cells)
        except (ValueError, KeyError) as exc:
            errors.append(InputError(str(exc), file=str(root / "action_plan.csv"), row=row, rule="action"))
            continue
        problems = line_problems(item.objective, item.initiative)  # the plan's one rule for a line
        where = str(root / "action_plan.csv")
        errors += [InputError(m, file=where, row=row, column=c, rule="required") for c, m in problems]
        if problems:
            continue
        ws.action_plan.append(item)
        for lang in TRANSLATED_LANGS:
            texts = {f: str(cells.get(f"{f}_{lang}") or "").strip() for f in ACTION_TEXT_FIELDS}
            texts = {f: t for f, t in texts.items() if t}
            if texts:
                ws.action_plan_translations.setdefault(lang, {})[item.id] = texts
    errors += _read_register(root, ws, codes)
    ws.history = [HistoryEntry.from_dict(cells) for _, cells in _rows(root / "history.csv")]
    for _, cells in _rows(root / "sources.csv"):
        titles = {lang: clean_text(cells.get(f"title_{lang}")) for lang in ("en", "vi")}
        if clean_text(cells.get("source")):
            ws.source_titles[clean_text(cells.get("source"))] = {k: v for k, v in titles.items() if v}
    narr = root / "narratives"
    if narr.is_dir():
        for md in sorted(narr.glob("*/*.md")):
            ws.narratives[(md.stem, md.parent.name)] = md.read_text(encoding="utf-8")
    errors += check_preferred(ws.observations, str(root / "observations.csv"))
    if errors:
        raise InputErrors(errors, file=str(root))
    return ws


def _read_application(meta: dict[str, Any], ws: Workspace, file: str) -> list[InputError]:
    """City names per language, contacts, attachments and word limits from ``workspace.yaml``."""
    errors: list[InputError] = []
    names = meta.get("city_names")
    if names is not None:
        if not isinstance(names, dict):
            errors.append(
                InputError("must map language to name", file=file, column="city_names", rule="mapping")
            )
        else:
            ws.city_names = {str(k): str(v).strip() for k, v in names.items() if v and str(v).strip()}
    for key, cls, check in (
        ("contacts", Contact, check_contacts),
        ("attachments", Attachment, check_attachments),
    ):
        raw = meta.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            errors.append(InputError("must be a list of mappings", file=file, column=key, rule="list"))
            continue
        items = [cls.from_dict(r) for r in raw]  # type: ignore[attr-defined]
        errors += check(items, file)
        setattr(ws, key, items)
    if meta.get("report_info") is not None:
        ws.report_info, errs = check_report_info(meta["report_info"], file)
        errors += errs
    editions = meta.get("form_editions")
    if editions is not None:
        from creativecity.monitoring.forms import check_editions

        ws.form_editions, errs = check_editions(editions, file)
        errors += errs
    breaks = meta.get("series_breaks")
    if breaks is not None:
        if not isinstance(breaks, list) or not all(isinstance(b, dict) for b in breaks):
            errors.append(
                InputError("must be a list of mappings", file=file, column="series_breaks", rule="list")
            )
        else:
            for k, raw in enumerate(breaks, start=1):
                try:
                    ws.series_breaks.append(SeriesBreak.from_dict(raw))
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append(
                        InputError(f"break {k}: {exc}", file=file, column="series_breaks", rule="break")
                    )
    limits = meta.get("word_limits")
    if limits is not None:
        if not isinstance(limits, dict):
            errors.append(
                InputError("must map section to words", file=file, column="word_limits", rule="mapping")
            )
        else:
            ws.word_limits, errs = check_word_limits(limits, file)
            errors += errs
    return errors


def _read_register(root: Path, ws: Workspace, codes: set[str]) -> list[InputError]:
    """The initiatives register (``initiatives.yaml``) and the activity log (``activities.csv``)."""
    errors: list[InputError] = []
    path = root / "initiatives.yaml"
    if path.is_file():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            return [InputError(f"invalid YAML: {exc}", file=str(path), rule="yaml")]
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            return [InputError("must be a list of mappings", file=str(path), rule="list")]
        ws.initiatives, errs = parse_initiatives(
            ((f"initiatives[{i}]", r) for i, r in enumerate(raw, start=1)), file=str(path), indicators=codes
        )
        errors += errs
    path = root / "activities.csv"
    ws.activities, errs = parse_activities(_rows(path), file=str(path))
    return errors + errs


def action_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Rows of ``action_plan.csv``: each item with its translations as ``objective_vi``... columns."""
    rows = []
    for item in ws.action_plan:
        row = item.to_dict()
        for lang in TRANSLATED_LANGS:
            for f, text in ws.action_plan_translations.get(lang, {}).get(item.id, {}).items():
                row[f"{f}_{lang}"] = text
        rows.append(row)
    return rows


def check_preferred(observations: Sequence[Observation], file: str) -> list[InputError]:
    """At most one observation per series and year may be the preferred one."""
    chosen: dict[tuple[Any, ...], str] = {}
    errors: list[InputError] = []
    for obs in observations:
        if obs.preferred:
            key = (*obs.series_key(), obs.reference_year)
            if key in chosen:
                errors.append(
                    InputError(
                        f"{obs.id} and {chosen[key]} are both preferred for {obs.indicator} "
                        f"({obs.scope}, {obs.reference_year}); choose one",
                        file=file,
                        row=obs.id,
                        column="preferred",
                        rule="one preferred",
                    )
                )
            else:
                chosen[key] = obs.id
    return errors


def workspace_files(ws: Workspace) -> dict[str, str]:
    """Every file of the workspace folder as ``{relative path: text}``."""
    meta = {
        "format_version": FORMAT_VERSION,
        "name": ws.name,
        "city": ws.city,
        "country_iso3": ws.country_iso3,
        "creative_field": ws.creative_field,
        "designation_year": ws.designation_year,
        "designation_date": ws.designation_date,
        "framework": ws.framework,
        "description": ws.description,
        "units": list(ws.units),
        "city_names": dict(ws.city_names),
        "contacts": [c.to_dict() for c in ws.contacts],
        "attachments": [a.to_dict() for a in ws.attachments],
        "word_limits": dict(ws.word_limits),
        "form_editions": dict(ws.form_editions),
        "report_info": ws.report_info.to_dict(),
        "series_breaks": [b.to_dict() for b in ws.series_breaks],
    }
    files = {
        "workspace.yaml": yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110),
        "observations.csv": csv_text(OBSERVATION_COLUMNS, [vars(o) for o in ws.observations]),
        "targets.csv": csv_text(TARGET_COLUMNS, [vars(t) for t in ws.targets]),
        "indicators.csv": csv_text(INDICATOR_COLUMNS, [i.to_dict() for i in ws.indicators]),
        "mapping.csv": csv_text(MAPPING_COLUMNS, [m.to_dict() for m in ws.mapping]),
        "action_plan.csv": csv_text(ACTION_COLUMNS, action_rows(ws)),
        "history.csv": csv_text(HISTORY_COLUMNS, [vars(h) for h in ws.history]),
        "activities.csv": csv_text(ACTIVITY_COLUMNS, [a.to_dict() for a in ws.activities]),
        "sources.csv": csv_text(
            SOURCE_COLUMNS,
            [
                {"source": src, "title_en": t.get("en", ""), "title_vi": t.get("vi", "")}
                for src, t in ws.source_titles.items()
            ],
        ),
    }
    if ws.initiatives:
        files["initiatives.yaml"] = yaml.safe_dump(
            [i.to_yaml() for i in ws.initiatives], allow_unicode=True, sort_keys=False, width=110
        )
    for (section, lang), text in ws.narratives.items():
        files[f"narratives/{lang}/{section}.md"] = text
    return files


def write_workspace(ws: Workspace, path: str | os.PathLike[str]) -> Path:
    """Write ``ws`` to the folder ``path``, replacing it as a whole.

    The new folder is built next to the old one and swapped in with two renames, so that readers see
    the old or the new workspace, never a mix; a failure before the swap leaves the old one untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
    backup: Path | None = None
    try:
        for rel, text in workspace_files(ws).items():
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
        if target.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.rmdir(backup)
            os.replace(target, backup)
        os.replace(staging, target)
    except BaseException:
        if backup is not None and backup.exists() and not target.exists():
            os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    return target


def folder_entries(ws: Workspace) -> set[str]:
    """Top-level names a workspace folder may hold (its files and the ``narratives`` folder)."""
    return {rel.split("/", 1)[0] for rel in workspace_files(ws)} | {"narratives"}


def export_folder(ws: Workspace, path: str | os.PathLike[str]) -> Path:
    """Write ``ws`` as a folder for git or a colleague: a new or empty folder, or an earlier export.

    The files diff well: fixed column order, rows in the workspace's order, no time stamp of the export
    itself (``history.csv`` holds the time of each change). Writing replaces the folder as a whole
    (:func:`write_workspace`), so a folder holding anything else (a ``.git`` folder, notes) is refused
    rather than lost: export into a sub-folder of such a repository.

    Raises
    ------
    InputError
        ``path`` is a file, or a folder holding entries that are not part of a workspace folder.
    """
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise InputError("is a file; give a folder", file=str(target), column="--dir", rule="folder")
        foreign = sorted(p.name for p in target.iterdir() if p.name not in folder_entries(ws))
        if foreign and (target / "workspace.yaml").is_file():
            raise InputError(
                f"holds {', '.join(foreign[:5])}, which are not part of a workspace folder and would be "
                "lost; export into a sub-folder",
                file=str(target),
                column="--dir",
                rule="no overwrite",
            )
        if foreign:
            raise InputError(
                "exists and is not a workspace folder; choose a new or empty folder",
                file=str(target),
                column="--dir",
                rule="no overwrite",
            )
    return write_workspace(ws, target)
