"""The initiatives register: what a creative city committed to do, and did, for the network.

A UCCN application promises initiatives at local level and through inter-city cooperation; the
Membership Monitoring Report (MMR) asks every four years what became of them and what comes next
(sections 4-6, UCCN_DOCUMENTS.md). Hanoi's six commitments of 2019 were restated in Plans
102/KH-UBND and 161/KH-UBND; keeping them as records rather than prose lets the report list them with
their period, partners, budget, SDG targets and the workspace indicators that measure them, and lets an
officer see what still lacks a result before the report is due.

One record is an :class:`Initiative`. Its list-valued fields have a flat text form (``"a; b"``,
``"2023=1.5; 2024=2"``, ``"creative_spaces=100@2025"``) used by the Excel sheet, the SQL columns and
the history, and a nested form used by the folder's ``initiatives.yaml``; :func:`parse_initiative`
reads either and is the one place where a record is checked, whatever it comes from.

Nothing here touches the disk.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from creativecity.errors import InputError
from creativecity.monitoring.activities import parse_unique
from creativecity.monitoring.rules import next_id, valid_id, year_problem

#: Levels of an initiative, as the application form and the MMR split them.
LEVELS: tuple[str, ...] = ("local", "inter-city")

#: Where an initiative stands.
STATUSES: tuple[str, ...] = ("planned", "ongoing", "completed", "discontinued")

#: The network's six objectives (UCCN_DOCUMENTS.md, "Mission"), numbered as the mission lists them.
UCCN_OBJECTIVES: tuple[int, ...] = (1, 2, 3, 4, 5, 6)

#: The network's areas of action (UCCN_DOCUMENTS.md), as short codes.
AREAS_OF_ACTION: tuple[str, ...] = (
    "sharing",  # sharing experience and good practice
    "pilot_projects",  # pilot projects and partnerships
    "exchanges",  # professional and artistic exchanges
    "studies",  # studies and evaluations
    "policies",  # urban-development policies
    "communication",  # communication and awareness
)

#: Columns of the flat form (Excel sheet, SQL table), in order.
INITIATIVE_COLUMNS: tuple[str, ...] = (
    "id",
    "name_vi",
    "name_en",
    "level",
    "start_year",
    "end_year",
    "status",
    "objectives_en",
    "objectives_vi",
    "results_en",
    "results_vi",
    "lead",
    "partners",
    "lead_vi",
    "partners_vi",
    "budget",
    "currency",
    "uccn_objectives",
    "areas",
    "sdg_targets",
    "indicators",
    "sources",
    "note",
)

_SDG = re.compile(r"^(\d{1,2})\.([1-9]\d?|[a-z])$")
_MAX_TEXT = 20_000


def _s(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _num(value: float) -> str:
    """A number as text that reads back to the same float (``1500`` rather than ``1500.0``)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def split_list(value: Any) -> list[str]:
    """``"a; b"`` or ``["a", "b"]`` -> ``["a", "b"]`` (empty items dropped)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_s(v) for v in value if _s(v)]
    return [p.strip() for p in str(value).split(";") if p.strip()]


@dataclass(frozen=True)
class IndicatorLink:
    """A workspace indicator that measures an initiative, with the target the initiative aims at."""

    indicator: str
    target_value: float | None = None
    target_year: int | None = None

    def flat(self) -> str:
        """``code``, ``code=100`` or ``code=100@2025``."""
        text = self.indicator
        if self.target_value is not None:
            text += f"={_num(self.target_value)}"
        if self.target_year is not None:
            text += f"@{self.target_year}"
        return text


@dataclass
class Initiative:
    """One initiative of the register.

    ``start_year``/``end_year`` give the period (``end_year`` None: open-ended, e.g. a yearly
    festival). ``budget`` maps a year to the amount planned for it, in ``currency``. ``results_*`` is
    what the MMR reports as done; ``objectives_*`` what the initiative is for. ``sources`` are where
    each fact was read (a URL or a citation); a record without one is refused, like a figure.
    """

    id: str
    name_vi: str = ""
    name_en: str = ""
    level: str = "local"
    start_year: int | None = None
    end_year: int | None = None
    status: str = "ongoing"
    objectives_en: str = ""
    objectives_vi: str = ""
    results_en: str = ""
    results_vi: str = ""
    lead: str = ""
    partners: list[str] = field(default_factory=list)
    lead_vi: str = ""
    partners_vi: list[str] = field(default_factory=list)
    budget: dict[int, float] = field(default_factory=dict)
    currency: str = ""
    uccn_objectives: list[int] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    indicators: list[IndicatorLink] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""

    def name(self, lang: str) -> str:
        """The name in ``lang``, else the other one."""
        return (self.name_vi or self.name_en) if lang == "vi" else (self.name_en or self.name_vi)  # fr: en

    def text(self, field_name: str, lang: str) -> tuple[str, bool]:
        """``objectives``/``results`` in ``lang`` and whether it really is in that language."""
        own = str(getattr(self, f"{field_name}_{lang}", "") or "")
        if own:
            return own, True
        other = "en" if lang != "en" else "vi"  # French falls back to English, not to Vietnamese
        return str(getattr(self, f"{field_name}_{other}", "") or ""), False

    def bodies(self, lang: str) -> list[str]:
        """The lead and the partners in ``lang`` (Vietnamese names when given, else as typed)."""
        if lang == "vi":
            return [b for b in [self.lead_vi or self.lead, *(self.partners_vi or self.partners)] if b]
        return [b for b in [self.lead, *self.partners] if b]

    def period(self) -> str:
        """``2019-2025``, ``2022-`` (open-ended) or ``2023``."""
        if self.start_year is None:
            return ""
        if self.end_year is None:
            return f"{self.start_year}-"
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}-{self.end_year}"

    def total_budget(self) -> float | None:
        """Sum of the yearly amounts, None when no amount is known."""
        return sum(self.budget.values()) if self.budget else None

    def to_dict(self) -> dict[str, Any]:
        """The flat form: every value a string or number (Excel row, SQL columns, history)."""
        return {
            "id": self.id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "level": self.level,
            "start_year": self.start_year,
            "end_year": self.end_year,
            "status": self.status,
            "objectives_en": self.objectives_en,
            "objectives_vi": self.objectives_vi,
            "results_en": self.results_en,
            "results_vi": self.results_vi,
            "lead": self.lead,
            "partners": "; ".join(self.partners),
            "lead_vi": self.lead_vi,
            "partners_vi": "; ".join(self.partners_vi),
            "budget": "; ".join(f"{y}={_num(v)}" for y, v in sorted(self.budget.items())),
            "currency": self.currency,
            "uccn_objectives": "; ".join(str(o) for o in self.uccn_objectives),
            "areas": "; ".join(self.areas),
            "sdg_targets": "; ".join(self.sdg_targets),
            "indicators": "; ".join(link.flat() for link in self.indicators),
            "sources": "; ".join(self.sources),
            "note": self.note,
        }

    def to_yaml(self) -> dict[str, Any]:
        """The nested form of ``initiatives.yaml`` (lists as lists, empty fields left out)."""
        out: dict[str, Any] = {}
        for key, value in self.to_dict().items():
            if key == "budget":
                value = {y: v for y, v in sorted(self.budget.items())}
            elif key == "uccn_objectives":
                value = list(self.uccn_objectives)
            elif key == "indicators":
                value = [
                    {
                        k: v
                        for k, v in (
                            ("indicator", x.indicator),
                            ("target_value", x.target_value),
                            ("target_year", x.target_year),
                        )
                        if v is not None
                    }
                    for x in self.indicators
                ]
            elif key in ("partners", "partners_vi", "areas", "sdg_targets", "sources"):
                value = list(getattr(self, key))
            if value in ("", None, [], {}):
                continue
            out[key] = value
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON form for ``--json`` and the API: every column, lists as lists."""
        nested = self.to_yaml()
        empty: dict[str, Any] = {"budget": {}, "start_year": None, "end_year": None}
        for key in (
            "partners",
            "partners_vi",
            "uccn_objectives",
            "areas",
            "sdg_targets",
            "indicators",
            "sources",
        ):
            empty[key] = []
        return {k: nested.get(k, empty.get(k, "")) for k in INITIATIVE_COLUMNS}


def _year(raw: Any, column: str, err: Any) -> int | None:
    text = _s(raw)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        err(column, f"{text!r} is not a year", "year")
        return None
    if not number.is_integer():
        err(column, f"{text!r} is not a whole year", "year")
        return None
    problem = year_problem(int(number))
    if problem is not None:
        err(column, problem, "year range")
        return None
    return int(number)


def _budget(raw: Any, err: Any) -> dict[int, float]:
    out: dict[int, float] = {}
    items: Iterable[tuple[Any, Any]]
    if isinstance(raw, Mapping):
        items = raw.items()
    else:
        items = []
        for part in split_list(raw):
            year_text, sep, amount_text = part.partition("=")
            if not sep:
                err("budget", f"{part!r} is not YEAR=AMOUNT (e.g. 2024=1500)", "budget format")
                continue
            items.append((year_text.strip(), amount_text.strip()))
    for year_raw, amount_raw in items:
        year = _year(year_raw, "budget", err)
        try:
            amount = float(_s(amount_raw).replace(",", ""))
        except ValueError:
            err("budget", f"{_s(amount_raw)!r} is not an amount", "number")
            continue
        if not math.isfinite(amount) or amount < 0 or amount > 1e15:
            err("budget", f"{_s(amount_raw)!r} is not an amount between 0 and 10^15", "number range")
            continue
        if year is None:
            continue
        if year in out:
            err("budget", f"year {year} given twice", "unique")
        out[year] = amount
    return out


def _links(raw: Any, indicators: set[str] | None, err: Any) -> list[IndicatorLink]:
    items: list[tuple[str, Any, Any]] = []
    if isinstance(raw, list) and all(isinstance(x, Mapping) for x in raw):
        items = [(_s(x.get("indicator")), x.get("target_value"), x.get("target_year")) for x in raw]
    else:
        for part in split_list(raw):
            code, _, rest = part.partition("=")
            value_text, _, year_text = rest.partition("@")
            if "@" in code:  # code@year without a value
                code, _, year_text = code.partition("@")
            items.append((code.strip(), value_text.strip() or None, year_text.strip() or None))
    out = []
    for code, value_raw, year_raw in items:
        if not code:
            err("indicators", "an indicator code is empty", "indicator")
            continue
        if indicators is not None and code not in indicators:
            err("indicators", f"{code!r} is not an indicator of the workspace", "unknown indicator")
            continue
        value: float | None = None
        if value_raw is not None and _s(value_raw):
            try:
                value = float(_s(value_raw))
            except ValueError:
                err("indicators", f"target {_s(value_raw)!r} of {code} is not a number", "number")
                continue
            if not math.isfinite(value) or abs(value) > 1e15:
                err("indicators", f"target of {code} is out of range", "number range")
                continue
        year = _year(year_raw, "indicators", err)
        out.append(IndicatorLink(code, value, year))
    return out


def parse_initiative(
    cells: Mapping[str, Any],
    *,
    file: str,
    row: int | str = "",
    indicators: set[str] | None = None,
    letters: Mapping[str, str] | None = None,
) -> tuple[Initiative | None, list[InputError]]:
    """Check one record (flat or nested form) and build it; every problem names its column.

    Rules: an id of letters, digits, ``-_.``; a name in at least one language; level in
    :data:`LEVELS`, status in :data:`STATUSES`; years 1900-2100 with the end not before the start;
    budget amounts non-negative; UCCN objectives 1-6; areas in :data:`AREAS_OF_ACTION`; SDG targets
    such as ``11.4`` or ``11.a`` (goals 1-17); linked indicators defined in the workspace (when
    ``indicators`` is given); at least one source; no text longer than 20,000 characters.
    """
    errors: list[InputError] = []
    letters = letters or {}

    def err(column: str, message: str, rule: str) -> None:
        shown = f"column {letters[column]} ({column})" if column in letters else column
        errors.append(InputError(message, file=file, row=row or None, column=shown, rule=rule))

    unknown = [k for k in cells if k not in INITIATIVE_COLUMNS]
    for key in unknown:
        err(str(key), f"unknown field {key!r} (known: {', '.join(INITIATIVE_COLUMNS)})", "known field")
    for key, value in cells.items():
        if isinstance(value, str) and (len(value) > _MAX_TEXT or "\x00" in value):
            err(key, f"text longer than {_MAX_TEXT} characters or with NUL characters", "text")
    ident = _s(cells.get("id"))
    if not valid_id(ident):
        err("id", f"{ident[:40]!r} is not a valid id (letters, digits, '-', '_', '.'; e.g. ini-0001)", "id")
    name_vi, name_en = _s(cells.get("name_vi")), _s(cells.get("name_en"))
    if not name_vi and not name_en:
        err("name_en", "a name is required (Vietnamese or English)", "required")
    level = _s(cells.get("level")) or "local"
    if level == "international":  # the plans' word for inter-city initiatives
        level = "inter-city"
    if level not in LEVELS:
        err("level", f"level must be one of {', '.join(LEVELS)}, not {level!r}", "level")
    status = _s(cells.get("status")) or "ongoing"
    if status not in STATUSES:
        err("status", f"status must be one of {', '.join(STATUSES)}, not {status!r}", "status")
    start = _year(cells.get("start_year"), "start_year", err)
    end = _year(cells.get("end_year"), "end_year", err)
    if start is not None and end is not None and end < start:
        err("end_year", f"the period ends ({end}) before it starts ({start})", "period")
    if end is not None and start is None:
        err("start_year", "a period with an end needs a start", "period")
    budget = _budget(cells.get("budget"), err)
    currency = _s(cells.get("currency"))
    if budget and not currency:
        err("currency", "a budget needs its currency (e.g. VND, USD)", "required")
    objectives: list[int] = []
    raw_obj = cells.get("uccn_objectives")
    for part in raw_obj if isinstance(raw_obj, list) else split_list(raw_obj):
        text = _s(part)
        if not text.isdigit() or int(text) not in UCCN_OBJECTIVES:
            err("uccn_objectives", f"{text!r} is not one of the network's objectives 1-6", "objective")
        elif int(text) not in objectives:
            objectives.append(int(text))
    areas = split_list(cells.get("areas"))
    for area in areas:
        if area not in AREAS_OF_ACTION:
            err("areas", f"{area!r} is not an area of action ({', '.join(AREAS_OF_ACTION)})", "area")
    sdgs = split_list(cells.get("sdg_targets"))
    for target in sdgs:
        match = _SDG.match(target)
        if not match or not 1 <= int(match.group(1)) <= 17:
            err("sdg_targets", f"{target!r} is not an SDG target such as 11.4 or 11.a", "SDG target")
    links = _links(cells.get("indicators"), indicators, err)
    sources = split_list(cells.get("sources"))
    if not sources:
        err("sources", "at least one source is required (where the initiative was read)", "source")
    if errors:
        return None, errors
    return (
        Initiative(
            id=ident,
            name_vi=name_vi,
            name_en=name_en,
            level=level,
            start_year=start,
            end_year=end,
            status=status,
            objectives_en=_s(cells.get("objectives_en")),
            objectives_vi=_s(cells.get("objectives_vi")),
            results_en=_s(cells.get("results_en")),
            results_vi=_s(cells.get("results_vi")),
            lead=_s(cells.get("lead")),
            partners=split_list(cells.get("partners")),
            lead_vi=_s(cells.get("lead_vi")),
            partners_vi=split_list(cells.get("partners_vi")),
            budget=budget,
            currency=currency,
            uccn_objectives=objectives,
            areas=areas,
            sdg_targets=sdgs,
            indicators=links,
            sources=sources,
            note=_s(cells.get("note")),
        ),
        [],
    )


def parse_initiatives(
    rows: Iterable[tuple[int | str, Mapping[str, Any]]],
    *,
    file: str,
    indicators: set[str] | None = None,
    letters: Mapping[str, str] | None = None,
) -> tuple[list[Initiative], list[InputError]]:
    """Check every record of the register; ids must be unique."""
    return parse_unique(parse_initiative, rows, file=file, indicators=indicators, letters=letters)


def next_initiative_id(used: Iterable[str]) -> str:
    """Next free ``ini-NNNN``."""
    return next_id("ini", used)  # the one id rule (monitoring.rules)
