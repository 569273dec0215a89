"""Row-by-row checks shared by the workspace files, CSV imports and the Excel template.

Every problem becomes an :class:`~creativecity.errors.InputError` naming the sheet (or file), the row as
a person counts it in a spreadsheet (header = row 1) and the column, and ALL problems of a file are
collected before anything is raised: a city official fixing a spreadsheet wants the whole list at once,
not one error per attempt. Nothing is imported unless the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from creativecity.errors import InputError
from creativecity.monitoring.model import (
    CERTAINTIES,
    DIRECTIONS,
    IndicatorDef,
    MappingRow,
    Observation,
    Target,
    valid_code,
)
from creativecity.monitoring.rules import YEAR_MAX as YEAR_MAX
from creativecity.monitoring.rules import YEAR_MIN as YEAR_MIN
from creativecity.monitoring.rules import year_problem
from creativecity.monitoring.series import BOUNDS
from creativecity.monitoring.text import NumberError, clean_text, parse_number
from creativecity.monitoring.values import figure_problem

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "id",
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
)
TARGET_COLUMNS: tuple[str, ...] = (
    "id",
    "indicator",
    "target_value",
    "unit",
    "target_year",
    "scope",
    "instrument",
    "instrument_date",
    "source",
    "note",
    "method",
    "bound",
    "value_high",
    "instrument_vi",
)
INDICATOR_COLUMNS: tuple[str, ...] = ("code", "name_en", "name_vi", "unit", "direction", "description")
MAPPING_COLUMNS: tuple[str, ...] = ("indicator", "framework", "code", "note")


@dataclass
class RowContext:
    """Where rows come from, so that errors can name the place.

    ``letters`` maps a column name to its spreadsheet letter (Excel imports) so that the error says
    ``column C (value)``; CSV imports leave it empty and the error says ``column value``. ``lang`` is
    the language numbers were typed in (``vi``: "1.350" is 1350; ``None``: unknown, an ambiguous
    "1.350" is refused), see :func:`creativecity.monitoring.text.parse_number`.
    """

    sheet: str
    letters: dict[str, str] = field(default_factory=dict)
    lang: str | None = None

    def error(self, row: int, column: str, message: str, rule: str) -> InputError:
        """An error at ``row``/``column`` of this sheet."""
        letter = self.letters.get(column)
        col = f"{letter} ({column})" if letter else column
        return InputError(message, file=self.sheet, row=row, column=col, rule=rule)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """Cell text, NFC-normalised and without zero-width characters (:func:`clean_text`)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _number(value: Any, lang: str | None = "en", integer: bool = False) -> float:
    """A finite number from a cell, read by the rules of ``lang`` (:func:`parse_number`)."""
    return parse_number(value, lang, integer=integer)


def check_figure(
    ctx: RowContext,
    row: int,
    column: str,
    value: Any,
    errors: list[InputError],
    *,
    unit: str = "",
    required: bool = True,
    never_negative: bool = False,
    integer: bool = False,
) -> float | None:
    """A number cell checked as a figure: a number read in ``ctx.lang`` (:func:`_number`; ``integer``
    for counts), then :func:`figure_problem` (errors are appended).

    ``-0.0`` comes back as ``0.0``: a negative zero would print as "-0" in some renderers.
    """
    number = _check_number(ctx, row, column, value, errors, required=required, integer=integer)
    if number is None:
        return None
    problem = figure_problem(number, unit, never_negative=never_negative)
    if problem is not None:
        errors.append(ctx.error(row, column, f"{number:g} {problem}", "plausible value"))
        return None
    return number + 0.0


def _year(value: Any) -> int:
    number = _number(value)
    if not number.is_integer():
        raise ValueError("not a whole year")
    return int(number)


def _check_number(
    ctx: RowContext,
    row: int,
    column: str,
    value: Any,
    errors: list[InputError],
    required: bool = True,
    integer: bool = False,
) -> float | None:
    if _blank(value):
        if required:
            errors.append(ctx.error(row, column, "a number is required", "required"))
        return None
    try:
        return _number(value, ctx.lang, integer)
    except NumberError as exc:
        errors.append(ctx.error(row, column, str(exc), "number"))
        return None


def check_action_numbers(
    ctx: RowContext, row: int, cells: dict[str, Any], errors: list[InputError], *, indicator_unit: str = ""
) -> tuple[float | None, float | None]:
    """An action-plan line's ``budget`` (never negative) and ``target_value`` (in its indicator's unit).

    One home for the plan's numbers, used by the Excel import and the web form alike.
    """
    budget = check_figure(
        ctx, row, "budget", cells.get("budget"), errors, required=False, never_negative=True
    )
    target = check_figure(
        ctx, row, "target_value", cells.get("target_value"), errors, unit=indicator_unit, required=False
    )
    return budget, target


def _check_bound(
    ctx: RowContext,
    row: int,
    cells: dict[str, Any],
    low_column: str,
    low: float | None,
    errors: list[InputError],
) -> tuple[str, float | None]:
    """The row's ``bound`` kind and ``value_high`` (a range needs a top at least its bottom)."""
    bound = _text(cells.get("bound")).lower()
    bound = BOUND_WORDS.get(bound, bound)
    if bound not in BOUNDS:
        errors.append(ctx.error(row, "bound", f"{bound!r} is not one of lower, upper, range", "bound"))
        return "", None
    high = _check_number(ctx, row, "value_high", cells.get("value_high"), errors, required=bound == "range")
    if high is not None and bound != "range":
        errors.append(ctx.error(row, "value_high", "only a range (bound = range) has a value_high", "bound"))
    if bound == "range" and high is not None and low is not None and high < low:
        errors.append(
            ctx.error(row, "value_high", f"the range ends ({high:g}) below its start ({low:g})", "bound")
        )
    return bound, high if bound == "range" else None


#: Words a person may type in the ``bound`` column, in both languages.
BOUND_WORDS = {
    "more than": "lower",
    "at least": "lower",
    "trên": "lower",
    "hơn": "lower",
    "ít nhất": "lower",
    "less than": "upper",
    "at most": "upper",
    "dưới": "upper",
    "tối đa": "upper",
    "khoảng từ": "range",
    "từ ... đến": "range",
    "exact": "",
    "chính xác": "",
}

#: Units whose values are counts: a fractional value is an error, never rounded.
COUNT_UNITS = frozenset({"count", "persons"})


def _check_year(
    ctx: RowContext, row: int, column: str, value: Any, errors: list[InputError], required: bool
) -> int | None:
    if _blank(value):
        if required:
            errors.append(ctx.error(row, column, "a year is required", "required"))
        return None
    try:
        year = _year(value)
    except ValueError:
        errors.append(ctx.error(row, column, f"{_text(value)!r} is not a year", "year"))
        return None
    problem = year_problem(year)
    if problem is not None:
        errors.append(ctx.error(row, column, problem, "year range"))
        return None
    return year


def _check_required(
    ctx: RowContext, row: int, column: str, value: Any, errors: list[InputError], rule: str = "required"
) -> str:
    text = _text(value)
    if not text:
        what = "a source (URL or citation)" if column == "source" else "a value"
        errors.append(ctx.error(row, column, f"{what} is required", rule))
    return text


def _check_member(
    ctx: RowContext,
    row: int,
    column: str,
    value: str,
    allowed: set[str],
    errors: list[InputError],
    rule: str,
    hint: str,
) -> None:
    if value and value not in allowed:
        errors.append(ctx.error(row, column, f"{value!r} is not {hint}", rule))


def _claim_id(
    ctx: RowContext,
    row: int,
    cells: dict[str, Any],
    used_ids: set[str],
    new_id: Callable[[set[str]], str] | None,
    errors: list[InputError],
    n_before: int,
) -> str | None:
    """The row's id (unique among ``used_ids``) or a fresh one; ``None`` when the row has errors.

    Observations and targets follow the same rule, so a duplicate id reads the same in both sheets.
    """
    row_id = _text(cells.get("id"))
    if row_id and row_id in used_ids:
        errors.append(ctx.error(row, "id", f"id {row_id!r} is already used", "duplicate row"))
    if len(errors) > n_before:
        return None
    if not row_id:
        if new_id is None:
            errors.append(ctx.error(row, "id", "an id is required", "required"))
            return None
        row_id = new_id(used_ids)
    used_ids.add(row_id)
    return row_id


def parse_observations(
    rows: Iterable[tuple[int, dict[str, Any]]],
    ctx: RowContext,
    *,
    indicators: set[str],
    units: set[str],
    existing: Sequence[Observation] = (),
    new_id: Callable[[set[str]], str] | None = None,
) -> tuple[list[Observation], list[InputError]]:
    """Check observation rows and build :class:`Observation` objects.

    Parameters
    ----------
    rows
        ``(row_number, {column: cell})`` pairs; row numbers as the user sees them.
    indicators, units
        The vocabularies an indicator code and a unit must belong to.
    existing
        Observations already in the workspace: an identical row or a reused id is a duplicate.
    new_id
        Makes an id for rows without one (given the ids in use); without it such rows are an error.

    Returns
    -------
    The observations and every problem found (the caller decides to raise; nothing is half-applied).
    """
    errors: list[InputError] = []
    out: list[Observation] = []
    used_ids = {o.id for o in existing}
    seen: dict[tuple[Any, ...], str] = {_obs_identity(o): "the workspace" for o in existing}
    for row, cells in rows:
        n_before = len(errors)
        indicator = _check_required(ctx, row, "indicator", cells.get("indicator"), errors)
        _check_member(
            ctx, row, "indicator", indicator, indicators, errors, "unknown indicator", "a defined indicator"
        )
        scope = _check_required(ctx, row, "scope", cells.get("scope"), errors)
        count = _text(cells.get("unit")) in COUNT_UNITS
        unit = _check_required(ctx, row, "unit", cells.get("unit"), errors)
        value = check_figure(ctx, row, "value", cells.get("value"), errors, unit=unit, integer=count)
        _check_member(ctx, row, "unit", unit, units, errors, "unknown unit", "a known unit")
        bound, high = _check_bound(ctx, row, cells, "value", value, errors)
        year = _check_year(ctx, row, "reference_year", cells.get("reference_year"), errors, required=False)
        source = _check_required(ctx, row, "source", cells.get("source"), errors, rule="missing source")
        certainty = _text(cells.get("certainty")) or "reported"
        _check_member(
            ctx,
            row,
            "certainty",
            certainty,
            set(CERTAINTIES),
            errors,
            "certainty",
            f"one of {', '.join(CERTAINTIES)}",
        )
        preferred: bool | None = None
        pref_text = _text(cells.get("preferred")).lower()
        if pref_text in {"true", "yes", "1", "y", "có"}:
            preferred = True
        elif pref_text in {"false", "no", "0", "n", "không"}:
            preferred = False
        elif pref_text:
            errors.append(ctx.error(row, "preferred", f"{pref_text!r} is not yes/no", "yes/no"))
        obs_id = _claim_id(ctx, row, cells, used_ids, new_id, errors, n_before)
        if obs_id is None:
            continue
        obs = Observation(
            id=obs_id,
            indicator=indicator,
            scope=scope,
            value=float(value),  # type: ignore[arg-type]
            unit=unit,
            reference_year=year,
            reference_year_note=_text(cells.get("reference_year_note")),
            method=_text(cells.get("method")),
            source=source,
            note=_text(cells.get("note")),
            certainty=certainty,
            preferred=preferred,
            bound=bound,
            value_high=high,
        )
        key = _obs_identity(obs)
        if key in seen:
            errors.append(
                ctx.error(
                    row,
                    "indicator",
                    f"the same figure (indicator, scope, year, value, unit, method, source) is already "
                    f"in {seen[key]}",
                    "duplicate row",
                )
            )
            continue
        seen[key] = f"row {row}"
        out.append(obs)
    return out, errors


def _obs_identity(obs: Observation) -> tuple[Any, ...]:
    return (obs.indicator, obs.scope, obs.reference_year, obs.value, obs.unit, obs.method, obs.source)


def parse_targets(
    rows: Iterable[tuple[int, dict[str, Any]]],
    ctx: RowContext,
    *,
    indicators: set[str],
    units: set[str],
    existing: Sequence[Target] = (),
    new_id: Callable[[set[str]], str] | None = None,
) -> tuple[list[Target], list[InputError]]:
    """Check target rows and build :class:`Target` objects (same conventions as observations)."""
    errors: list[InputError] = []
    out: list[Target] = []
    used_ids = {t.id for t in existing}
    seen: dict[tuple[Any, ...], str] = {_target_identity(t): "the workspace" for t in existing}
    for row, cells in rows:
        n_before = len(errors)
        indicator = _check_required(ctx, row, "indicator", cells.get("indicator"), errors)
        _check_member(
            ctx, row, "indicator", indicator, indicators, errors, "unknown indicator", "a defined indicator"
        )
        count = _text(cells.get("unit")) in COUNT_UNITS
        unit = _check_required(ctx, row, "unit", cells.get("unit"), errors)
        value = check_figure(
            ctx, row, "target_value", cells.get("target_value"), errors, unit=unit, integer=count
        )
        bound, high = _check_bound(ctx, row, cells, "target_value", value, errors)
        _check_member(ctx, row, "unit", unit, units, errors, "unknown unit", "a known unit")
        year = _check_year(ctx, row, "target_year", cells.get("target_year"), errors, required=True)
        scope = _check_required(ctx, row, "scope", cells.get("scope"), errors)
        source = _check_required(ctx, row, "source", cells.get("source"), errors, rule="missing source")
        tgt_id = _claim_id(ctx, row, cells, used_ids, new_id, errors, n_before)
        if tgt_id is None:
            continue
        tgt = Target(
            id=tgt_id,
            indicator=indicator,
            target_value=float(value),  # type: ignore[arg-type]
            unit=unit,
            target_year=int(year),  # type: ignore[arg-type]
            scope=scope,
            instrument=_text(cells.get("instrument")),
            instrument_date=_text(cells.get("instrument_date")),
            source=source,
            note=_text(cells.get("note")),
            method=_text(cells.get("method")),
            bound=bound,
            value_high=high,
            instrument_vi=_text(cells.get("instrument_vi")),
        )
        key = _target_identity(tgt)
        if key in seen:
            errors.append(
                ctx.error(
                    row,
                    "indicator",
                    f"the same target (indicator, scope, year, unit, method) is already in {seen[key]}",
                    "duplicate row",
                )
            )
            continue
        seen[key] = f"row {row}"
        out.append(tgt)
    return out, errors


def _target_identity(tgt: Target) -> tuple[Any, ...]:
    return (tgt.indicator, tgt.scope, tgt.target_year, tgt.unit, tgt.method)


def parse_indicators(
    rows: Iterable[tuple[int, dict[str, Any]]], ctx: RowContext, *, units: set[str] | None = None
) -> tuple[list[IndicatorDef], list[InputError]]:
    """Check indicator definitions: identifier-like unique codes, an English name, a known direction."""
    errors: list[InputError] = []
    out: list[IndicatorDef] = []
    seen: dict[str, int] = {}
    for row, cells in rows:
        n_before = len(errors)
        code = _check_required(ctx, row, "code", cells.get("code"), errors)
        if code and not valid_code(code):
            errors.append(
                ctx.error(row, "code", f"{code!r} must start with a letter and use A-Z, 0-9, _ . -", "code")
            )
        if code in seen:
            errors.append(
                ctx.error(row, "code", f"{code!r} is already defined in row {seen[code]}", "unique")
            )
        name_en = _check_required(ctx, row, "name_en", cells.get("name_en"), errors)
        unit = _text(cells.get("unit"))
        if units is not None:
            _check_member(ctx, row, "unit", unit, units, errors, "unknown unit", "a known unit")
        direction = _text(cells.get("direction")) or "increase"
        _check_member(
            ctx, row, "direction", direction, set(DIRECTIONS), errors, "direction", "increase or decrease"
        )
        if len(errors) > n_before:
            continue
        seen[code] = row
        out.append(
            IndicatorDef(
                code=code,
                name_en=name_en,
                name_vi=_text(cells.get("name_vi")),
                unit=unit,
                direction=direction,  # type: ignore[arg-type]
                description=_text(cells.get("description")),
            )
        )
    return out, errors


def parse_mapping(
    rows: Iterable[tuple[int, dict[str, Any]]], ctx: RowContext, *, indicators: set[str]
) -> tuple[list[MappingRow], list[InputError]]:
    """Check mapping rows: a defined indicator, a framework name and a group code."""
    errors: list[InputError] = []
    out: list[MappingRow] = []
    for row, cells in rows:
        n_before = len(errors)
        indicator = _check_required(ctx, row, "indicator", cells.get("indicator"), errors)
        _check_member(
            ctx, row, "indicator", indicator, indicators, errors, "unknown indicator", "a defined indicator"
        )
        framework = _check_required(ctx, row, "framework", cells.get("framework"), errors)
        code = _check_required(ctx, row, "code", cells.get("code"), errors)
        if len(errors) > n_before:
            continue
        out.append(MappingRow(indicator, framework, code, _text(cells.get("note"))))
    return out, errors
