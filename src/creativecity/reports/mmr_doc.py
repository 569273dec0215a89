"""The Membership Monitoring Report filled from the workspace's data, section by section.

Section 2 (general information) from the workspace and its ``report_info``; section 3 (contribution to
the network's global management) from the activity log; sections 4 and 5 from the register's local and
inter-city initiatives with their results; section 6 (the four-year action plan) from the register's
planned and ongoing initiatives with objectives, budget, partners, indicators and targets and SDG
links, followed by the action-plan lines. The city's own text follows the data in each section, and
a section with neither gets UNESCO's phrase, never an empty heading.

The report covers the four years up to the year it is due (:func:`creativecity.monitoring.calendar.
next_mmr_due`); its plan the four years after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from creativecity.monitoring.application import Contact
from creativecity.monitoring.calendar import next_mmr_due
from creativecity.monitoring.forms import Form
from creativecity.monitoring.initiatives import Initiative
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Block, Cell, Paragraph, Section
from creativecity.reports.register_blocks import activity_tables, initiatives_table, plan_table


def report_period(ctx: BuildContext, form: Form, as_of: int | None, today: date) -> tuple[int, int]:
    """``(first year, due year)`` of the period the report covers (four years up to the due year)."""
    fact = form.extra.get("period_years")
    period = int(fact.value) if fact is not None else 4
    reference = date(as_of, 12, 31) if as_of is not None else today
    due = next_mmr_due(ctx.inp.designation_year, reference, period) or reference.year
    return due - period, due


def _active(item: Initiative, since: int, until: int) -> bool:
    start = item.start_year if item.start_year is not None else since
    end = item.end_year if item.end_year is not None else until
    return start <= until and end >= since


def _focal(ctx: BuildContext, contact: Contact | None) -> str:
    if contact is None or contact.is_empty():
        return ctx.t("label.to_complete")
    parts = [contact.full_name(), " / ".join(p for p in (contact.organisation, contact.title) if p)]
    parts += [contact.email, contact.phone]
    return "; ".join(p for p in parts if p)


def general_information(ctx: BuildContext, facts: list[list[Cell]], due: int) -> list[Block]:
    """Facts of the city, then the report's own: date, preparing entity, earlier reports, focal point."""
    t, info = ctx.t, ctx.inp.ws.report_info
    note = ctx.derived("src.workspace", city=ctx.inp.city_name(ctx.lang))
    when = info.report_date or t("label.to_complete")
    focal = next((c for c in ctx.inp.contacts if c.role == info.focal_point), None)
    rows = [
        *facts,
        [Cell(t("fact.report_date")), Cell(when)],
        [Cell(t("fact.prepared_by")), Cell(info.prepared_by(ctx.lang) or t("label.to_complete"))],
        [Cell(t("fact.earlier_reports")), Cell("; ".join(info.earlier_reports) or "–")],
        [Cell(t("fact.focal_point")), Cell(_focal(ctx, focal))],
        [Cell(t("fact.next_due")), Cell(str(due), (note,), numeric=True)],
    ]
    return [ctx.table(t("caption.facts"), [t("col.figure"), t("col.value")], rows)]


def mmr_sections(
    ctx: BuildContext,
    form: Form,
    *,
    summary: list[Block],
    facts: list[list[Cell]],
    action_lines: Callable[[], list[Any]],
    as_of: int | None,
    today: date,
) -> list[Section]:
    """Sections 1-6 of the MMR in the form's order, each filled from data and the city's text."""
    since, due = report_period(ctx, form, as_of, today)
    register = ctx.inp.ws.initiatives
    out = []
    for sec in form.sections:
        section = Section(sec.id, sec.title(ctx.lang), template=sec.status.startswith("unverified"))
        blocks: list[Block] = []
        if sec.id == "executive_summary":
            blocks += summary
        elif sec.id == "general_information":
            blocks += general_information(ctx, facts, due)
        elif sec.id == "contribution_global":
            blocks += activity_tables(ctx, ctx.inp.ws.activities, since, due)
        elif sec.id in ("local_initiatives", "intercity_initiatives"):
            level = "local" if sec.id == "local_initiatives" else "inter-city"
            items = [
                i for i in register if i.level == level and _active(i, since, due) and i.status != "planned"
            ]
            if items:
                key = "caption.initiatives_local" if level == "local" else "caption.initiatives_intercity"
                blocks.append(initiatives_table(ctx, items, key, results=True))
        elif sec.id == "action_plan":
            items = [i for i in register if i.status in ("planned", "ongoing") and _active(i, due, due + 4)]
            if items:
                blocks.append(plan_table(ctx, items, due, due + 4))
            blocks += action_lines()  # built here so that tables are numbered in reading order
        blocks += ctx.narrative(sec.id, has_data=bool(blocks))
        if not blocks:
            blocks.append(Paragraph([ctx.empty_answer()]))
        section.blocks = blocks
        out.append(section)
    return out
