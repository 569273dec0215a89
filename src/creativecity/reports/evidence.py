"""The evidence sections: indicators, progress against targets, pillar profile, gaps and conflicts.

Numbers come only from the workspace's observations and targets, each cited by its own source; values
the monitoring analysis computes (pace per year, projection) cite the notes they were computed from.
When the analysis reports a baseline or latest value without a source, the report shows a dash and a
warning rather than an untraceable number.
"""

from __future__ import annotations

import math
from typing import Any

from creativecity.monitoring.model import Observation, Target
from creativecity.monitoring.progress import STALE_YEARS  # the sentence matches the analysis
from creativecity.reports.charts import ProgressSeries, pillar_chart, progress_chart
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Block, Cell, Notice, Paragraph, Section

Point = tuple[int, float, tuple[int, ...]]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def sourced(ctx: BuildContext) -> list[Observation]:
    """Observations that carry a source (the only ones a report may show)."""
    return [o for o in ctx.inp.observations if o.source]


def indicators_table(ctx: BuildContext) -> list[Block]:
    """Every sourced observation: indicator, scope, year, value, unit, certainty."""
    t = ctx.t
    if not ctx.inp.observations:
        return [Notice(t("notice.no_data"), "missing")]
    observations = sourced(ctx)
    ordered = sorted(
        observations,
        key=lambda o: (o.scope != ctx.inp.city, ctx.indicator(o.indicator), o.reference_year or 0),
    )
    rows: list[list[Cell]] = []
    for obs in ordered:
        note = ctx.cite_obs(obs)
        remark = ""
        if obs.certainty and obs.certainty != "reported":
            remark = t.maybe("certainty." + obs.certainty, obs.certainty)
        if obs.preferred is False:
            remark = ", ".join(x for x in (remark, t("label.set_aside")) if x)
        rows.append(
            [
                Cell(ctx.indicator(obs.indicator)),
                Cell(ctx.scope(obs.scope)),
                ctx.year_cell(obs.reference_year, (note,)),
                ctx.value_cell(obs.value, obs.unit, (note,)),
                Cell(ctx.unit(obs.unit)),
                Cell(remark),
            ]
        )
    header = [t(k) for k in ("col.indicator", "col.scope", "col.year", "col.value", "col.unit", "col.remark")]
    blocks: list[Block] = [ctx.table(t("caption.indicators", city=ctx.inp.city_name(ctx.lang)), header, rows)]
    missing = len(ctx.inp.observations) - len(observations)
    if missing:
        blocks.append(Notice(t("notice.unsourced", n=missing), "warning"))
    return blocks


def _target_for(ctx: BuildContext, row: dict[str, Any]) -> Target | None:
    """The workspace target a progress row describes (by id, else by indicator, scope, year, value)."""
    tid = str(row.get("target_id") or "")
    for tgt in ctx.inp.targets:
        if tid and tgt.id == tid:
            return tgt
    for tgt in ctx.inp.targets:
        if (
            tgt.indicator == row.get("indicator")
            and tgt.scope == row.get("scope", tgt.scope)
            and tgt.target_year == row.get("target_year")
            and _close(tgt.target_value, float(row.get("target_value", math.nan)))
        ):
            return tgt
    return None


def _num(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _int(row: dict[str, Any], key: str) -> int | None:
    value = _num(row, key)
    return int(value) if value is not None else None


def _point(ctx: BuildContext, row: dict[str, Any], which: str, tgt: Target) -> Point | None:
    """Baseline or latest point with its note; None when the value has no source to cite."""
    year, value = _int(row, f"{which}_year"), _num(row, f"{which}_value")
    if year is None or value is None:
        return None
    source = str(row.get(f"{which}_source") or "")
    if not source:
        found = [
            o
            for o in sourced(ctx)
            if o.indicator == tgt.indicator
            and o.scope == tgt.scope
            and o.reference_year == year
            and _close(o.value, value)
        ]
        source = found[0].source if found else ""
    if not source:
        ctx.warnings.append(f"{tgt.indicator} {year}: value {value} has no source; not shown")
        return None
    return year, value, (ctx.cite(source),)


def _point_cell(ctx: BuildContext, point: Point | None, unit: str, bound: str = "", high: Any = None) -> Cell:
    if point is None:
        return Cell("–")
    year, value, notes = point
    high_value = float(high) if high is not None and high == high else None
    return Cell(f"{ctx.bounded(value, unit, bound, high_value)} ({year})", notes, numeric=True)


def _series_points(ctx: BuildContext, tgt: Target, method: str) -> list[tuple[int, float]]:
    """Every dated, sourced figure of the series a target follows (one per year; conflicts left out)."""
    by_year: dict[int, set[float]] = {}
    for o in sourced(ctx):
        same = (o.indicator, o.scope, o.unit, o.method) == (tgt.indicator, tgt.scope, tgt.unit, method)
        if same and o.reference_year and o.preferred is not False:
            by_year.setdefault(o.reference_year, set()).add(o.value)
    return sorted((y, next(iter(v))) for y, v in by_year.items() if len(v) == 1)


def progress_section(ctx: BuildContext, heading: str) -> Section:
    """Targets table (baseline, latest, pace, projection, status) and one chart per indicator."""
    t = ctx.t
    section = Section("progress", heading)
    if not ctx.inp.targets:
        section.blocks.append(Notice(t("notice.no_targets"), "missing"))
        return section
    rows_in = (ctx.inp.monitoring or {}).get("targets")
    if rows_in is None:
        section.blocks.append(Notice(t("notice.no_monitoring"), "missing"))
        return section
    rows: list[list[Cell]] = []
    national: list[list[Cell]] = []
    charts: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows_in:
        tgt = _target_for(ctx, row)
        if tgt is None:
            ctx.warnings.append(f"target {row.get('indicator')} {row.get('target_year')}: not in workspace")
            continue
        unit = tgt.unit
        t_note = ctx.cite_target(tgt)
        base, last = _point(ctx, row, "baseline", tgt), _point(ctx, row, "latest", tgt)
        obs_notes = tuple(n for p in (base, last) if p for n in p[2])
        both = base is not None and last is not None and base[0] != last[0]
        achieved = _num(row, "achieved_per_year") if both else None
        required = _num(row, "required_per_year") if last else None
        projected = _num(row, "projected_value") if both else None
        pace_note = ctx.computed(obs_notes, "how.achieved") if achieved is not None else 0
        req_note = ctx.computed((*obs_notes[-1:], t_note), "how.required") if required is not None else 0
        proj_note = ctx.computed(obs_notes, "how.projected") if projected is not None else 0
        status = str(row.get("status") or "")
        target_text = ctx.bounded(
            tgt.target_value, unit, str(row.get("target_bound") or ""), _num(row, "target_value_high")
        )
        method = str(row.get("method") or "")
        name = ctx.indicator(tgt.indicator)
        if method:
            name += f" ({t('label.definition')}: {t.maybe('definition.' + method, method)})"
        (rows if str(row.get("level") or "city") != "national" else national).append(
            [
                Cell(name),
                Cell(ctx.scope(tgt.scope)),
                _point_cell(ctx, base, unit, str(row.get("baseline_bound") or "")),
                _point_cell(
                    ctx, last, unit, str(row.get("latest_bound") or ""), row.get("latest_value_high")
                ),
                Cell(f"{target_text} ({tgt.target_year})", (t_note,), numeric=True),
                ctx.change_cell(achieved, unit, (pace_note,)),
                ctx.change_cell(required, unit, (req_note,)),
                ctx.value_cell(projected, unit, (proj_note,)),
                Cell(t.maybe("status." + status, status)),
            ]
        )
        chart = charts.setdefault(
            (tgt.indicator, tgt.scope, unit),
            {
                "base": base,
                "last": last,
                "targets": [],
                "proj": None,
                "notes": set(),
                "points": _series_points(ctx, tgt, method),
            },
        )
        chart["targets"].append((tgt.target_year, tgt.target_value))
        chart["notes"].update({*obs_notes, t_note})
        if (
            projected is not None
            and last is not None
            and tgt.target_year is not None
            and tgt.target_year >= last[0]
            and (chart["proj"] is None or tgt.target_year < chart["proj"][0])
        ):
            chart["proj"] = (tgt.target_year, projected)
            chart["notes"].add(proj_note)
    header = [
        t(k)
        for k in (
            "col.indicator",
            "col.scope",
            "col.baseline",
            "col.latest",
            "col.target",
            "col.achieved_per_year",
            "col.required_per_year",
            "col.projected",
            "col.status",
        )
    ]
    if rows:
        section.blocks.append(ctx.table(t("caption.progress"), header, rows))
    if national:
        section.blocks.append(ctx.table(t("caption.progress_national"), header, national))
    section.blocks.append(Paragraph([t("text.progress_reading")]))
    labels = {k: t("chart." + k) for k in ("observed", "projection", "target", "year")}
    for (code, scope, unit), info in charts.items():
        if info["base"] is None and info["last"] is None:
            continue  # nothing observed: the table already says "no data", a lone star says nothing
        series = ProgressSeries(
            baseline=info["base"][:2] if info["base"] else None,
            latest=info["last"][:2] if info["last"] else None,
            targets=sorted(info["targets"]),
            projection=info["proj"],
            points=info["points"],
        )
        name = f"{ctx.indicator(code)} ({ctx.scope(scope)})"
        png = progress_chart(
            series,
            title=name,
            unit=ctx.unit(unit),
            labels=labels,
            fmt=lambda v, u=unit: ctx.value(v, u),
            number=lambda v: t.number(v, 2),
        )
        notes = tuple(sorted(info["notes"]))
        section.blocks.append(ctx.figure(t("caption.progress_chart", name=name), png, name, notes))
    return section


def _pillar_name(ctx: BuildContext, entry: dict[str, Any]) -> str:
    code = str(entry.get("pillar", ""))
    return (
        str(entry.get(f"name_{ctx.lang}") or "")
        or ctx.pillar_names.get(code)
        or str(entry.get("name_en") or "")
        or code
    )


def _count(value: Any) -> int:
    return len(value) if isinstance(value, (list, tuple)) else int(value or 0)


def pillars_section(ctx: BuildContext, heading: str) -> Section:
    """Coverage of the framework's pillars: how many indicators and observations each has."""
    t = ctx.t
    section = Section("pillars", heading)
    pillars = (ctx.inp.monitoring or {}).get("pillars")
    if not pillars:
        section.blocks.append(Notice(t("notice.no_pillars"), "missing"))
        return section
    note = ctx.derived("src.pillar_counts")
    rows = [
        [
            Cell(_pillar_name(ctx, entry)),
            Cell(t.number(_count(entry.get("indicators"))), (note,), numeric=True),
            Cell(t.number(_count(entry.get("observations"))), (note,), numeric=True),
            Cell(t("label.gap") if entry.get("gap") else t("label.covered")),
        ]
        for entry in pillars
    ]
    header = [t("col.pillar"), t("col.n_indicators"), t("col.n_observations"), t("col.coverage")]
    section.blocks.append(ctx.table(t("caption.pillars"), header, rows))
    bars = [(_pillar_name(ctx, e), _count(e.get("observations")), bool(e.get("gap"))) for e in pillars]
    png = pillar_chart(
        bars,
        title=t("chart.pillars_title"),
        labels={"gap": t("label.gap"), "observations": t("col.n_observations")},
        number=t.number,
    )
    section.blocks.append(ctx.figure(t("caption.pillars_chart"), png, t("caption.pillars_chart"), (note,)))
    return section


def gaps_section(ctx: BuildContext, heading: str) -> Section:
    """Data gaps and conflicting figures, stated plainly."""
    t = ctx.t
    section = Section("gaps", heading)
    mon = ctx.inp.monitoring or {}
    blocks: list[Block] = []
    if not ctx.inp.observations:
        blocks.append(Notice(t("notice.no_data"), "missing"))
    if not ctx.inp.targets:
        blocks.append(Notice(t("notice.no_targets"), "missing"))
    for entry in mon.get("pillars") or []:
        if entry.get("gap"):
            blocks.append(Notice(t("gap.pillar", pillar=_pillar_name(ctx, entry)), "warning"))
    undated = sorted({ctx.indicator(o.indicator) for o in sourced(ctx) if o.reference_year is None})
    if undated:
        n = sum(1 for o in sourced(ctx) if o.reference_year is None)
        blocks.append(Notice(t("gap.undated", n=n, names="; ".join(undated)), "warning"))
    # stale is per series: the revenue share last known in 2018 is stale even though the value-added
    # share runs to 2023, so each entry names its definition
    stale = sorted(
        {
            (str(item.get("indicator", "")), str(item.get("method") or ""), int(item["latest_year"]))
            for item in mon.get("stale") or []
            if isinstance(item, dict) and item.get("latest_year") is not None
        }
    )
    if stale:
        items = "; ".join(
            f"{ctx.indicator(code)}"
            + (f" ({t('label.definition')}: {t.maybe('definition.' + m, m)})" if m else "")
            + f" ({year})"
            for code, m, year in stale
        )
        blocks.append(Notice(t("gap.stale", years=STALE_YEARS, items=items), "warning"))
    conflicts = mon.get("conflicts") or []
    if conflicts:
        blocks.append(_conflicts_table(ctx, conflicts))
    section.blocks = blocks or [Paragraph([t("gap.none")])]
    return section


def _conflicts_table(ctx: BuildContext, conflicts: list[dict[str, Any]]) -> Block:
    """One row per indicator-year with each disagreeing value followed by its own source note."""
    t = ctx.t
    rows = []
    for item in conflicts:
        unit = str(item.get("unit") or "")
        texts, notes = [], []
        for entry in item.get("values") or []:
            rec = entry if isinstance(entry, dict) else {"value": entry}
            value, source = _num(rec, "value"), str(rec.get("source") or "")
            if value is None or not source:
                continue
            note = ctx.cite(source)
            mark = f" ({t('label.chosen')})" if rec.get("preferred") is True else ""
            texts.append(f"{ctx.value(value, unit)} [{note}]{mark}")
            notes.append(note)
        if not texts:
            continue
        year = item.get("year")
        rows.append(
            [
                Cell(ctx.indicator(str(item.get("indicator", "")))),
                Cell(ctx.scope(str(item.get("scope", "")))),
                Cell(str(year) if year is not None else t("label.undated"), tuple(notes), True, True),
                Cell("; ".join(texts), tuple(sorted(set(notes))), numeric=True, inline_notes=True),
                Cell(ctx.unit(unit)),
            ]
        )
    header = [t("col.indicator"), t("col.scope"), t("col.year"), t("col.values"), t("col.unit")]
    return ctx.table(t("caption.conflicts"), header, rows)
