"""What a stored figure may be: the one plausibility rule for every number a workspace keeps.

Figures, targets and action-plan budgets are shown by the pages (Babel), the reports (HTML, PDF, DOCX)
and the Excel export. A value of 1e300 was accepted once and every one of them failed on it (issue
13), so every path that stores a number (workspace files, Excel and CSV imports, web forms, the JSON
API) checks it here first, through :func:`creativecity.monitoring.validation.check_figure`.
"""

from __future__ import annotations

import math

#: Largest magnitude a figure, target or budget may have. Every renderer must show it digit for digit:
#: Babel formats through a 28-digit decimal context (1e300 raised ``InvalidOperation`` on every page),
#: a float holds 15-16 significant digits exactly, and Excel shows 15. No city figure comes near it:
#: Hanoi's yearly budget is about 4e14 VND.
MAX_MAGNITUDE = 1e15
#: Smallest non-zero magnitude: pages and reports show at most a few decimals, so a smaller figure
#: would print as 0 (a typo such as 3e-9 for 3e9 is the usual cause); use a smaller unit instead.
MIN_MAGNITUDE = 1e-6
#: Units whose figures are never negative (numbers of people, things, events or rates per inhabitant).
_COUNT_UNITS = frozenset({"count", "persons", "visits", "events per year", "activities"})
#: Plain percentages (growth rates and the like) within this range; shares ("% of ...") within 0-100.
PERCENT_LIMIT = 10_000.0


def figure_problem(value: float, unit: str = "", *, never_negative: bool = False) -> str | None:
    """Why ``value`` cannot be stored as a figure in ``unit`` (``None`` when it can).

    The one rule every path that stores a number calls (workspace files, Excel and CSV imports, web
    forms, the JSON API, targets and action-plan budgets), so that no value reaches the database that
    a page, a report or a spreadsheet cannot show. ``value`` is already known to be a float.

    Parameters
    ----------
    value
        The number.
    unit
        The figure's unit; shares (``% of GDP``), counts and checklists carry a range of their own.
    never_negative
        For amounts without a unit rule that cannot be negative (an action's budget).
    """
    if not math.isfinite(value):
        return "is not a finite number"
    size = abs(value)
    if size >= MAX_MAGNITUDE:
        return f"is too large (a figure must stay below {MAX_MAGNITUDE:g} in size; use a larger unit)"
    if 0 < size < MIN_MAGNITUDE:
        return f"is too small to show (a non-zero figure is at least {MIN_MAGNITUDE:g}; use a smaller unit)"
    unit = unit.strip()
    if unit.startswith("% of") and not 0 <= value <= 100:
        return f"is outside 0-100 (a share, {unit})"
    if unit == "%" and size > PERCENT_LIMIT:
        return f"is outside ±{PERCENT_LIMIT:,.0f} (a percentage)"
    if unit.startswith("checklist") and not 0 <= value <= 1:
        return "is outside 0-1 (a checklist value)"
    counts = unit in _COUNT_UNITS or unit.startswith(("per ", "million visitors", "million workers"))
    if (never_negative or counts) and value < 0:
        return f"is negative, which {unit or 'this amount'} cannot be"
    return None
