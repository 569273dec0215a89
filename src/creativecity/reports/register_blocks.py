"""Tables of the initiatives register and the network activity log, as the documents print them.

The application's sections 8-9 and the MMR's sections 4-6 list the city's initiatives; the MMR's
section 3 its contributions to the network. Each row cites where its facts were read (the record's
sources, the activity's evidence), so a reader can check every claim, as with the figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from creativecity.monitoring.activities import ACTIVITY_KINDS, NetworkActivity, activity_counts
from creativecity.monitoring.initiatives import Initiative
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Cell, Table


def _cited(ctx: BuildContext, item: Initiative) -> tuple[int, ...]:
    """Notes of an initiative's sources (none in a submission, which carries no source list)."""
    if ctx.submission:
        return ()
    return tuple(ctx.cite(s) for s in item.sources)


def budget_text(ctx: BuildContext, item: Initiative) -> str:
    """``2024: 1,500; 2025: 2,000 million VND`` in the document's number format, or a dash."""
    if not item.budget:
        return "–"
    years = "; ".join(f"{y}: {ctx.t.number(v)}" for y, v in sorted(item.budget.items()))
    return f"{years} {item.currency}".strip()


def _text(ctx: BuildContext, item: Initiative, name: str) -> str:
    text, in_lang = item.text(name, ctx.lang)
    if text and not in_lang:
        ctx.warnings.append(f"initiative {item.id}: {name} has no {ctx.lang} text")
        if not ctx.submission:
            return f"{text} {ctx.t('label.untranslated')}"
    return text or "–"


def initiatives_table(
    ctx: BuildContext, items: Iterable[Initiative], caption_key: str, *, results: bool = False
) -> Table:
    """Name, period, objectives (or results), lead and partners, yearly budget, UCCN objectives, SDGs."""
    t = ctx.t
    rows = []
    for item in items:
        notes = _cited(ctx, item)
        status = t("istatus." + item.status)
        rows.append(
            [
                Cell(f"{item.name(ctx.lang)} ({status})", notes),
                Cell(item.period() or "–"),
                Cell(_text(ctx, item, "results" if results else "objectives")),
                Cell("; ".join(item.bodies(ctx.lang)) or "–"),
                Cell(budget_text(ctx, item)),
                Cell(", ".join(str(o) for o in item.uccn_objectives) or "–"),
                Cell(", ".join(item.sdg_targets) or "–"),
            ]
        )
    header = [
        t("col.initiative"),
        t("col.period"),
        t("col.results" if results else "col.objectives"),
        t("col.partners"),
        t("col.yearly_budget"),
        t("col.uccn_objectives"),
        t("col.sdg"),
    ]
    return ctx.table(t(caption_key), header, rows)


def plan_table(ctx: BuildContext, items: Iterable[Initiative], since: int, until: int) -> Table:
    """The four-year plan from the register: objectives, budget, partners, indicators and targets, SDGs."""
    t = ctx.t
    rows = []
    for item in items:
        notes = _cited(ctx, item)
        links = []
        for link in item.indicators:
            text = ctx.indicator(link.indicator)
            if link.target_value is not None:
                unit = ctx.inp.indicator_units.get(link.indicator, "")
                text += f": {ctx.value(link.target_value, unit)}"
            if link.target_year is not None:
                text += f" ({link.target_year})"
            links.append(text)
        rows.append(
            [
                Cell(f"{item.name(ctx.lang)} ({t('level.' + item.level)})", notes),
                Cell(_text(ctx, item, "objectives")),
                Cell(budget_text(ctx, item)),
                Cell("; ".join(item.bodies(ctx.lang)) or "–"),
                Cell("; ".join(links) or "–"),
                Cell(", ".join(item.sdg_targets) or "–"),
            ]
        )
    header = [
        t("col.initiative"),
        t("col.objectives"),
        t("col.yearly_budget"),
        t("col.partners"),
        t("col.indicators_targets"),
        t("col.sdg"),
    ]
    return ctx.table(t("caption.plan_register", since=since, until=until), header, rows)


def activity_tables(
    ctx: BuildContext, activities: list[NetworkActivity], since: int, until: int
) -> list[Table]:
    """Counts by kind (every kind the MMR asks about, zero included) and the dated list with evidence."""
    t = ctx.t

    def end(a: NetworkActivity) -> int:
        return int(a.end_date[:4]) if a.end_date else a.year

    period = [a for a in activities if a.year <= until and end(a) >= since]  # overlaps the period
    counts = activity_counts(period)
    note = ctx.derived("src.activity_log", city=ctx.inp.city_name(ctx.lang))
    count_rows = [
        [Cell(t("activity." + kind)), Cell(ctx.t.number(counts[kind]), (note,), numeric=True)]
        for kind in ACTIVITY_KINDS
    ]
    out = [
        ctx.table(
            t("caption.activity_counts", since=since, until=until),
            [t("col.kind"), t("col.count")],
            count_rows,
        )
    ]
    rows = []
    for a in sorted(period, key=lambda x: x.date):
        title, _in_lang = a.title(ctx.lang)
        when = f"{a.date}–{a.end_date}" if a.end_date else a.date
        rows.append(
            [
                Cell(when),
                Cell(t("activity." + a.kind)),
                Cell(title, (ctx.cite(a.evidence),)),
                Cell(t.maybe("role." + a.role, a.role) if a.role else "–"),
            ]
        )
    if rows:
        header = [t("col.date"), t("col.kind"), t("col.title"), t("col.role")]
        out.append(ctx.table(t("caption.activities", since=since, until=until), header, rows))
    return out
