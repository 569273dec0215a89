"""The four-year action plan: what a valid line is, and adding, editing and removing lines.

One rule for a line, whatever brings it in (the web form, the Excel workbook, the workspace folder):
a line needs **both an objective and an initiative**. The Membership Monitoring Report's plan lists
initiatives, each serving an objective (UCCN_DOCUMENTS.md, section 6): an objective with no initiative
is an aim with nothing done for it, an initiative with no objective cannot say what it serves, and
either would print as an empty cell in the table UNESCO reads. :func:`line_problems` is that rule;
:func:`parse_line` checks a whole line typed in a form, and :func:`add_line`, :func:`edit_line` and
:func:`remove_line` change a :class:`~creativecity.monitoring.model.Workspace` (the web app's routes and
any script call them inside one store transaction, so every change is audited).

Lines are typed in English; their translations (``objective_vi``...) are kept where the workspace keeps
them, ``Workspace.action_plan_translations``, so that the reports use them and mark what is untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.model import ACTION_TEXT_FIELDS, ActionItem, Workspace
from creativecity.monitoring.rules import TRANSLATED_LANGUAGES, IdMaker, year_problem
from creativecity.monitoring.validation import RowContext, check_action_numbers

#: Fields a line requires (see the module's docstring for why both).
REQUIRED_FIELDS: tuple[str, ...] = ("objective", "initiative")
#: Text fields of a line, in the form's order.
TEXT_FIELDS: tuple[str, ...] = (
    "objective",
    "initiative",
    "currency",
    "indicator",
    "lead",
    "partners",
    "source",
)
#: Translated text fields (``objective_vi``...), one per translated language and text field.
TRANSLATED_FIELDS: tuple[str, ...] = tuple(
    f"{f}_{lang}" for lang in TRANSLATED_LANGUAGES for f in ACTION_TEXT_FIELDS
)
#: Every field a form (or a sheet row) may give for a line.
FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "budget", "target_value", "target_year", *TRANSLATED_FIELDS)
#: Longest text a field accepts: a plan line is a sentence or two, not a document.
MAX_LENGTH = 2000


def line_problems(objective: str, initiative: str) -> list[tuple[str, str]]:
    """``(field, message)`` for each required text a line lacks; empty when the line is valid."""
    given = {"objective": objective.strip(), "initiative": initiative.strip()}
    return [
        (name, f"an {name} is required: each line of the plan is an initiative serving an objective")
        for name in REQUIRED_FIELDS
        if not given[name]
    ]


def parse_line(
    ws: Workspace, cells: Mapping[str, str], item_id: str | None = None, lang: str | None = None
) -> ActionItem:
    """Check one line as typed in a form; every problem is reported at once, naming the field.

    ``item_id`` is the line being edited; a new line gets the next free ``act-NNNN``. ``lang`` is the
    language numbers are typed in (a Vietnamese form: "1.500" is 1500), read by
    :func:`creativecity.monitoring.text.parse_number`.

    Raises
    ------
    InputErrors
        One error per bad field (``file="form"``): a missing objective or initiative, a text over
        :data:`MAX_LENGTH`, an undefined indicator, a budget or target that is not a finite number,
        a year that is not a year or lies outside the accepted range.
    """
    errors: list[InputError] = []

    def err(column: str, message: str, rule: str) -> None:
        errors.append(InputError(message, file="form", column=column, rule=rule))

    values = {k: str(cells.get(k, "") or "").strip() for k in FIELDS}
    for key, value in values.items():
        if len(value) > MAX_LENGTH:
            err(key, f"longer than {MAX_LENGTH} characters", "max length")
    for column, message in line_problems(values["objective"], values["initiative"]):
        err(column, message, "required")
    if values["indicator"] and values["indicator"] not in ws.indicator_codes():
        err("indicator", f"{values['indicator']!r} is not a defined indicator", "unknown indicator")
    definition = ws.indicator(values["indicator"]) if values["indicator"] else None
    # the plan's numbers follow the figures' plausibility rule (finite, in range, budgets never negative)
    budget, target_value = check_action_numbers(
        RowContext(sheet="form", lang=lang),
        1,
        values,
        errors,
        indicator_unit=definition.unit if definition else "",
    )
    numbers: dict[str, float | None] = {"budget": budget, "target_value": target_value}
    year: int | None = None
    if values["target_year"]:
        try:
            year = int(values["target_year"])
        except ValueError:
            err("target_year", f"{values['target_year']!r} is not a year", "year")
        else:
            problem = year_problem(year)
            if problem is not None:
                err("target_year", problem, "year range")
    if errors:
        raise InputErrors(errors, file="form")
    return ActionItem(
        id=item_id or IdMaker("act")({a.id for a in ws.action_plan}),
        objective=values["objective"],
        initiative=values["initiative"],
        budget=numbers["budget"],
        currency=values["currency"],
        indicator=values["indicator"],
        target_value=numbers["target_value"],
        target_year=year,
        lead=values["lead"],
        partners=values["partners"],
        source=values["source"],
    )


def line_values(ws: Workspace, item: ActionItem) -> dict[str, str]:
    """The form values of a stored line, translations included (what an edit form starts from)."""
    values = {
        "objective": item.objective,
        "initiative": item.initiative,
        "currency": item.currency,
        "indicator": item.indicator,
        "lead": item.lead,
        "partners": item.partners,
        "source": item.source,
        "budget": "" if item.budget is None else f"{item.budget:g}",
        "target_value": "" if item.target_value is None else f"{item.target_value:g}",
        "target_year": "" if item.target_year is None else str(item.target_year),
    }
    for lang in TRANSLATED_LANGUAGES:
        texts = ws.action_plan_translations.get(lang, {}).get(item.id, {})
        for f in ACTION_TEXT_FIELDS:
            values[f"{f}_{lang}"] = texts.get(f, "")
    return values


def set_translations(ws: Workspace, item_id: str, cells: Mapping[str, str]) -> None:
    """Store the translated fields of a line; empty ones are removed (the report then marks them)."""
    for lang in TRANSLATED_LANGUAGES:
        texts = {f: str(cells.get(f"{f}_{lang}", "") or "").strip() for f in ACTION_TEXT_FIELDS}
        by_item = ws.action_plan_translations.setdefault(lang, {})
        kept = {f: t for f, t in texts.items() if t}
        if kept:
            by_item[item_id] = kept
        else:
            by_item.pop(item_id, None)
        if not by_item:
            ws.action_plan_translations.pop(lang, None)


def add_line(ws: Workspace, cells: Mapping[str, str], lang: str | None = None) -> ActionItem:
    """Check a new line and append it to the plan, with its translations; returns the line."""
    item = parse_line(ws, cells, lang=lang)
    ws.action_plan.append(item)
    set_translations(ws, item.id, cells)
    return item


def edit_line(ws: Workspace, item_id: str, cells: Mapping[str, str], lang: str | None = None) -> ActionItem:
    """Replace line ``item_id`` by the checked new values (its place in the plan is kept).

    Raises
    ------
    LookupError
        No line ``item_id`` (a page shows 404: the line was removed meanwhile).
    InputErrors
        As :func:`parse_line`.
    """
    index = next((i for i, a in enumerate(ws.action_plan) if a.id == item_id), None)
    if index is None:
        raise LookupError(item_id)
    item = parse_line(ws, cells, item_id, lang=lang)
    ws.action_plan[index] = item
    set_translations(ws, item_id, cells)
    return item


def remove_line(ws: Workspace, item_id: str) -> None:
    """Remove line ``item_id`` and its translations.

    Raises
    ------
    InputError
        No line ``item_id``.
    """
    if not any(a.id == item_id for a in ws.action_plan):
        raise InputError(f"no action {item_id!r}", column="id", rule="exists")
    ws.action_plan = [a for a in ws.action_plan if a.id != item_id]
    set_translations(ws, item_id, {})
