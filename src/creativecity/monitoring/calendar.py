"""The city's UNESCO calendar: when the next Membership Monitoring Report is due, and calls for applications.

A designated city reports every four years counted from the year of designation (MMR guidelines 2015
and 2021, mirror; the period is data in ``mmr-2021.yaml``): Hanoi, designated in 2019, reported in 2023
and reports next in 2027. Calls for applications open every two years; their UNESCO deadlines, where a
source gives them, are data too (``data/forms/calls.yaml``), each with its status and source, and a
deadline nobody could read stays empty rather than guessed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

import yaml

from creativecity.monitoring.forms import form_for


@dataclass(frozen=True)
class CallDeadline:
    """One call for applications: its year, UNESCO's deadline ("" when unknown), status and source."""

    year: int
    deadline: str
    status: str
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return {
            "year": self.year,
            "deadline": self.deadline or None,
            "status": self.status,
            "source": self.source,
            "note": self.note,
        }


@functools.cache
def calls() -> tuple[CallDeadline, ...]:
    """The calls for applications known to the bundled data, oldest first."""
    path = resources.files("creativecity") / "data" / "forms" / "calls.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = [
        CallDeadline(
            int(c["year"]),
            str(c.get("deadline") or ""),
            str(c.get("status") or ""),
            str(c.get("source") or ""),
            str(c.get("note") or ""),
        )
        for c in raw.get("calls") or []
    ]
    return tuple(sorted(out, key=lambda c: c.year))


def mmr_due_years(designation_year: int, period: int, until: int) -> list[int]:
    """Years a report is due: designation + period, + 2 periods, ... up to ``until``."""
    return list(range(designation_year + period, until + 1, period))


def next_mmr_due(designation_year: int | None, today: date, period: int = 4) -> int | None:
    """The first due year (designation + k x period, k >= 1) not before this year; None if not designated."""
    if designation_year is None:
        return None
    k = max(1, -(-(today.year - designation_year) // period))
    return designation_year + k * period


@dataclass
class Calendar:
    """What is due when, for one workspace."""

    city: str
    designation_year: int | None
    period_years: int
    next_mmr_due: int | None
    past_reports_due: list[int] = field(default_factory=list)
    calls: list[CallDeadline] = field(default_factory=list)
    next_call: CallDeadline | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``creativecity calendar --json``."""
        return {
            "city": self.city,
            "designation_year": self.designation_year,
            "mmr_period_years": self.period_years,
            "next_mmr_due": self.next_mmr_due,
            "past_reports_due": self.past_reports_due,
            "next_call": self.next_call.to_dict() if self.next_call else None,
            "calls": [c.to_dict() for c in self.calls],
        }


def city_calendar(workspace: Any, today: date | None = None) -> Calendar:
    """The calendar of ``workspace`` as of ``today``: next MMR, earlier due years, calls and deadlines."""
    today = today or date.today()
    form = form_for(workspace, "mmr")
    fact = form.extra.get("period_years")
    period = int(fact.value) if fact is not None else 4
    year = workspace.designation_year
    due = next_mmr_due(year, today, period)
    past = mmr_due_years(year, period, today.year - 1) if year else []
    known = list(calls())
    upcoming = [c for c in known if c.year >= today.year]
    if not upcoming and known:
        # calls open every two years (secondary, unesco.at notice): the year is inferred, the deadline unknown
        year_next = known[-1].year + 2 * max(1, -(-(today.year - known[-1].year) // 2))
        upcoming = [
            CallDeadline(
                year_next,
                "",
                "inferred (calls every two years, secondary)",
                "https://www.unesco.at/ueber-uns/unesco/artikel/article/unesco-creative-cities-call-for-applications-2023-offen",
            )
        ]
    return Calendar(
        city=workspace.city_name("en"),
        designation_year=year,
        period_years=period,
        next_mmr_due=due,
        past_reports_due=past,
        calls=known,
        next_call=upcoming[0] if upcoming else None,
    )
