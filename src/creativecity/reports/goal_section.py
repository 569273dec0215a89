"""The "What it would take" section: a goal-seeking plan (``creativecity index goal``) in a report.

The plan is read from the ``plan.json`` the command wrote (or its folder), so that the numbers in the
document are exactly those of the plan a person ran and checked, and every cell cites that file. The
table rows and facts come from :func:`creativecity.index.goal.what_it_would_take`, the one place that
decides how a plan is shown (the web index builder uses it too).
"""

from __future__ import annotations

import json
from pathlib import Path

from creativecity.errors import InputError
from creativecity.index.goal import GoalResult, what_it_would_take
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Cell, Notice, Paragraph, Section


def read_plan(path: str | Path) -> GoalResult:
    """A plan from ``plan.json`` (or the folder holding it); errors name the file and field."""
    p = Path(path)
    if p.is_dir():
        p = p / "plan.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("plan file not found", file=str(p), rule="file exists") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a JSON plan: {exc}", file=str(p), rule="plan.json from index goal") from None
    return GoalResult.from_dict(data, source=str(p))


def goal_section(ctx: BuildContext, heading: str, plan_path: str | Path) -> Section:
    """The plan table, the verdict and, when computed, the odds under uncertainty."""
    t = ctx.t
    plan = read_plan(plan_path)
    data = what_it_would_take(plan)
    name = Path(plan_path).name if Path(plan_path).suffix else "plan.json"
    note = ctx.derived("src.goal_plan", file=name)
    section = Section("what_it_would_take", heading)
    target = (
        t("goal.target_rank", rank=int(plan.target))
        if plan.target_kind == "rank"
        else t("goal.target_score", score=t.number(plan.target, 2))
    )
    facts = {
        "unit": plan.unit_name or plan.unit,
        "code": plan.level,
        "target": target,
        "start": plan.start_rank,
        "reached": plan.reached_rank,
        "n": plan.units_ranked,
    }
    section.blocks.append(Paragraph([t("goal.text", **facts)]))
    if not plan.reachable:
        section.blocks.append(Notice(t("goal.unreachable", best=plan.best_rank), "warning"))
    if data["rows"]:
        header = [
            t(k)
            for k in ("col.indicator", "col.goal_from", "col.goal_to", "col.goal_change", "col.goal_spread")
        ]
        rows = [
            [
                Cell(f"{r['iCode']} – {r['name']}"),
                Cell(t.number(r["from"], 2), (note,), numeric=True),
                Cell(t.number(r["to"], 2), (note,), numeric=True),
                Cell(t.number(r["change"], 2), (note,), numeric=True),
                Cell(t.number(r["spread_units"], 3), (note,), numeric=True),
            ]
            for r in data["rows"]
        ]
        section.blocks.append(ctx.table(t("caption.goal", unit=plan.unit), header, rows))
    method = t("goal.exact") if plan.exact else t("goal.search")
    section.blocks.append(Paragraph([t("goal.method", norm=t.number(plan.norm, 3), method=method)]))
    if plan.odds is not None:
        o = plan.odds
        section.blocks.append(
            Paragraph(
                [
                    t(
                        "goal.odds",
                        n=o.n,
                        rank=o.rank_needed,
                        after=t.percent(100 * o.probability),
                        before=t.percent(100 * o.probability_before),
                        q05=t.number(o.interval[0], 1),
                        q95=t.number(o.interval[2], 1),
                    )
                ]
            )
        )
    return section
