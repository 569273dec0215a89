"""The network activity log: what the city did for the network as a whole, dated, with evidence.

Section 3 of the Membership Monitoring Report asks for the city's contribution to the network's
global management: annual conferences attended or hosted, meetings of its creative field's
sub-network, evaluations of other cities' applications, support to the Secretariat (UCCN_DOCUMENTS.md).
These are facts with dates, so the register keeps them as records; the report counts and lists them
instead of a city retyping them four years later from memory.

Dates may be partial (``2023``, ``2023-11``, ``2023-11-18``) because the press often gives only the
year; ``end_date`` marks a span (participation in every regional meeting 2019-2023). Every record
needs its evidence (a URL, a letter, a programme), like a figure needs its source.

Nothing here touches the disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from creativecity.errors import InputError
from creativecity.monitoring.rules import next_id, valid_id, year_problem

#: Kinds of contribution the MMR's section 3 asks about, in its order.
ACTIVITY_KINDS: tuple[str, ...] = (
    "conference_attended",
    "conference_hosted",
    "subnetwork_meeting",
    "application_evaluation",
    "secretariat_support",
    "other",
)

#: Columns of the flat form (folder CSV, Excel sheet, SQL table), in order.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "end_date",
    "kind",
    "title_en",
    "title_vi",
    "place",
    "role",
    "evidence",
    "note",
)

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MAX_TEXT = 20_000


def _s(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def check_partial_date(text: str) -> str | None:
    """None when ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (1900-2100); else the reason."""
    match = _DATE.match(text)
    if not match:
        return f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    problem = year_problem(year)
    if problem is not None:
        return f"{text!r}: {problem}"
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return f"{text!r} is not a calendar date"
    return None


@dataclass
class NetworkActivity:
    """One dated contribution to the network (see :data:`ACTIVITY_KINDS`)."""

    id: str
    date: str
    kind: str
    title_en: str = ""
    title_vi: str = ""
    end_date: str = ""
    place: str = ""
    role: str = ""
    evidence: str = ""
    note: str = ""

    @property
    def year(self) -> int:
        """The year the activity started."""
        return int(self.date[:4])

    def title(self, lang: str) -> tuple[str, bool]:
        """The title in ``lang`` and whether it really is in that language."""
        own = self.title_vi if lang == "vi" else self.title_en
        if own:
            return own, True
        return (self.title_en if lang == "vi" else self.title_vi), False

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping in :data:`ACTIVITY_COLUMNS` order."""
        data = asdict(self)
        return {k: data[k] for k in ACTIVITY_COLUMNS}


def parse_activity(
    cells: Mapping[str, Any],
    *,
    file: str,
    row: int | str = "",
    letters: Mapping[str, str] | None = None,
) -> tuple[NetworkActivity | None, list[InputError]]:
    """Check one record: id, a date (partial allowed), a known kind, a title, evidence."""
    errors: list[InputError] = []
    letters = letters or {}

    def err(column: str, message: str, rule: str) -> None:
        shown = f"column {letters[column]} ({column})" if column in letters else column
        errors.append(InputError(message, file=file, row=row or None, column=shown, rule=rule))

    for key in cells:
        if key not in ACTIVITY_COLUMNS:
            err(str(key), f"unknown field {key!r} (known: {', '.join(ACTIVITY_COLUMNS)})", "known field")
    for key, value in cells.items():
        if isinstance(value, str) and (len(value) > _MAX_TEXT or "\x00" in value):
            err(key, f"text longer than {_MAX_TEXT} characters or with NUL characters", "text")
    ident = _s(cells.get("id"))
    if not valid_id(ident):
        err("id", f"{ident[:40]!r} is not a valid id (e.g. net-0001)", "id")
    when, until = _s(cells.get("date")), _s(cells.get("end_date"))
    if not when:
        err("date", "a date is required (YYYY, YYYY-MM or YYYY-MM-DD)", "required")
    elif problem := check_partial_date(when):
        err("date", problem, "date")
    if until:
        if problem := check_partial_date(until):
            err("end_date", problem, "date")
        elif when and not check_partial_date(when) and until < when[: len(until)]:
            err("end_date", f"ends ({until}) before it starts ({when})", "period")
    kind = _s(cells.get("kind"))
    if kind not in ACTIVITY_KINDS:
        err("kind", f"kind must be one of {', '.join(ACTIVITY_KINDS)}, not {kind!r}", "kind")
    title_en, title_vi = _s(cells.get("title_en")), _s(cells.get("title_vi"))
    if not title_en and not title_vi:
        err("title_en", "a title is required (English or Vietnamese)", "required")
    evidence = _s(cells.get("evidence"))
    if not evidence:
        err("evidence", "evidence is required (a URL, a letter, a programme)", "evidence")
    if errors:
        return None, errors
    return (
        NetworkActivity(
            id=ident,
            date=when,
            end_date=until,
            kind=kind,
            title_en=title_en,
            title_vi=title_vi,
            place=_s(cells.get("place")),
            role=_s(cells.get("role")),
            evidence=evidence,
            note=_s(cells.get("note")),
        ),
        [],
    )


def parse_unique(
    parse: Callable[..., tuple[Any, list[InputError]]],
    rows: Iterable[tuple[int | str, Mapping[str, Any]]],
    *,
    file: str,
    **options: Any,
) -> tuple[list[Any], list[InputError]]:
    """Check every record with ``parse``; ids must be unique. The good records and all problems.

    Shared by the activity log and the initiatives register: both are lists of records keyed by id.
    """
    out: list[Any] = []
    errors: list[InputError] = []
    seen: dict[str, int | str] = {}
    for row, cells in rows:
        item, errs = parse(cells, file=file, row=row, **options)
        errors += errs
        if item is None:
            continue
        if item.id in seen:
            message = f"id {item.id!r} is already used in row {seen[item.id]}"
            errors.append(InputError(message, file=file, row=row, column="id", rule="unique"))
            continue
        seen[item.id] = row
        out.append(item)
    return out, errors


def parse_activities(
    rows: Iterable[tuple[int | str, Mapping[str, Any]]],
    *,
    file: str,
    letters: Mapping[str, str] | None = None,
) -> tuple[list[NetworkActivity], list[InputError]]:
    """Check every record of the log; ids must be unique."""
    return parse_unique(parse_activity, rows, file=file, letters=letters)


def next_activity_id(used: Iterable[str]) -> str:
    """Next free ``net-NNNN``."""
    return next_id("net", used)  # the one id rule (monitoring.rules)


def activity_counts(activities: Iterable[NetworkActivity], since: int | None = None) -> dict[str, int]:
    """How many activities of each kind (from year ``since`` on), every kind present, in order."""
    counts = dict.fromkeys(ACTIVITY_KINDS, 0)
    for a in activities:
        if since is None or a.year >= since:
            counts[a.kind] += 1
    return counts
