"""The UNESCO calendar: next Membership Monitoring Report (designation + 4k), calls for applications."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.monitoring.calendar import calls, city_calendar, next_mmr_due
from creativecity.monitoring.repository import bundled_workspace


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2019, 11, 1), 2023),  # designated 30 October 2019: the first report four years on
        (date(2023, 1, 1), 2023),
        (date(2023, 12, 31), 2023),
        (date(2024, 1, 1), 2027),
        (date(2026, 12, 1), 2027),  # Hanoi's next report (UCCN_DOCUMENTS.md: next due 2027)
        (date(2028, 6, 1), 2031),
    ],
)
def test_next_report_is_designation_plus_four_k(today: date, due: int) -> None:
    assert next_mmr_due(2019, today) == due


def test_not_designated_has_no_report() -> None:
    assert next_mmr_due(None, date(2026, 1, 1)) is None


def test_hanoi_calendar_and_call_deadlines_from_data() -> None:
    cal = city_calendar(bundled_workspace("hanoi"), date(2026, 12, 1))
    assert (cal.next_mmr_due, cal.past_reports_due, cal.period_years) == (2027, [2023], 4)
    deadlines = {c.year: c.deadline for c in calls()}
    assert deadlines[2019] == "2019-06-30" and deadlines[2023] == "2023-06-30"
    assert deadlines[2025] == ""  # UNESCO's 2025 deadline could not be read: not guessed
    assert cal.next_call is not None and (cal.next_call.year, cal.next_call.deadline) == (2027, "")
    assert cal.next_call.status.startswith("inferred")


def test_calendar_command() -> None:
    res = CliRunner().invoke(app, ["calendar", "hanoi", "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["designation_year"] == 2019 and data["next_mmr_due"] >= 2027
    assert CliRunner().invoke(app, ["calendar", "nowhere"]).exit_code == 2
