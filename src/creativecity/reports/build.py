"""Assemble the application dossier or the Membership Monitoring Report as a :class:`Document`.

The structure follows ``UCCN_DOCUMENTS.md``. Only the first four items of the application form (name,
country, contacts, field) were read in a primary source; every other heading comes from earlier calls
or published reports, so those sections are flagged ``template=True`` and the document says they are an
editable template rather than UNESCO's fixed wording.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path
from typing import Any, Literal

from creativecity import __version__
from creativecity.errors import InputError
from creativecity.monitoring.application import (
    APPLICATION_SECTIONS,
    ATTACHMENT_KINDS,
    CONTACT_ROLES,
    MONITORING_SECTIONS,
)
from creativecity.reports.charts import rank_chart
from creativecity.reports.context import BuildContext
from creativecity.reports.evidence import (
    gaps_section,
    indicators_table,
    pillars_section,
    progress_section,
    sourced,
)
from creativecity.reports.i18n import LANGS, Text
from creativecity.reports.inputs import AttachmentState, ReportInputs, from_workspace
from creativecity.reports.model import Cell, Document, Notice, Paragraph, Ref, Section, SourceList
from creativecity.reports.network_context import network_section

KINDS = ("application", "monitoring")

# Narrative section ids and the application form's lists belong to the workspace model.
APPLICATION_NARRATIVES = APPLICATION_SECTIONS
MONITORING_NARRATIVES = MONITORING_SECTIONS
ATTACHMENTS = (*ATTACHMENT_KINDS,)
# The network's objectives as paraphrased in UCCN_DOCUMENTS.md (our words, not UNESCO's text).
OBJECTIVES = tuple(f"objective.{i}" for i in range(1, 7))


def _monitoring_dict(workspace: Any, as_of: int | None = None) -> dict[str, Any]:
    """Run the monitoring area's analysis; its CONTRACTS.md JSON shape is what the report reads."""
    from creativecity.monitoring import monitor

    return dict(monitor(workspace, as_of).to_dict())


def _pillar_names(workspace: Any, lang: str) -> dict[str, str]:
    """Pillar code -> name in ``lang`` from the workspace's framework, when the frameworks area has it."""
    from creativecity import frameworks

    loader = getattr(frameworks, "load_framework", None)
    name = getattr(workspace, "framework", None)
    if loader is None or not name:
        return {}
    try:
        fw = loader(name)
    except (InputError, KeyError, ValueError, FileNotFoundError):
        return {}  # an unknown framework only costs translated pillar names (monitoring reports it)
    out: dict[str, str] = {}
    for group in getattr(fw, "groups", None) or getattr(fw, "pillars", None) or []:
        code = getattr(group, "code", None)
        if not code:
            continue
        names = [
            getattr(group, f"name_{lang}", ""),
            getattr(group, "name_en", ""),
            getattr(group, "name", ""),
        ]
        out[code] = next((n for n in names if n), code)
    return out


def _facts(ctx: BuildContext, registry: Any) -> list[list[Cell]]:
    """Key facts: city, country, field, designation and the latest sourced population."""
    t, inp = ctx.t, ctx.inp
    rows = [
        [Cell(t("fact.city")), Cell(inp.city_name(ctx.lang))],
        [Cell(t("fact.country")), Cell(t.country(inp.country_iso3))],
        [Cell(t("fact.field")), Cell(t.field(inp.creative_field))],
    ]
    designation = _designation(ctx, registry)
    if designation is not None:
        rows.append([Cell(t("fact.designated")), designation])
    pops = [o for o in sourced(ctx) if o.indicator == "population" and o.scope == inp.city]
    if pops:
        pop = max(pops, key=lambda o: o.reference_year or 0)
        note = ctx.cite_obs(pop)
        text = f"{t.number(pop.value)} ({pop.reference_year or t('label.undated')})"
        rows.append([Cell(t("fact.population")), Cell(text, (note,), numeric=True)])
    return rows


def _designation(ctx: BuildContext, registry: Any) -> Cell | None:
    """The designation date, cited from the registry row and/or the workspace that gave it."""
    inp = ctx.inp
    if registry is not None:
        rows = [m for m in registry.find(inp.city, inp.country_iso3 or None) if m.field == inp.creative_field]
        if rows:
            notes = ctx.cite_member(rows[0])  # UNESCO's page first, the press source second
            if inp.designation_date and inp.designation_date.year == rows[0].year:
                # the registry gives the year; the day comes from the workspace, so cite both
                day_note = ctx.derived("src.workspace", city=inp.city_name(ctx.lang))
                return Cell(ctx.t.date(inp.designation_date), (*notes, day_note), numeric=True)
            return Cell(str(rows[0].year), notes, numeric=True)
    if inp.designation_year:
        note = ctx.derived("src.workspace", city=inp.city_name(ctx.lang))
        text = ctx.t.date(inp.designation_date) if inp.designation_date else str(inp.designation_year)
        return Cell(text, (note,), numeric=True)
    return None


def _status_summary(ctx: BuildContext) -> list[Any]:
    """One sentence counting the targets per status, citing the progress analysis it counts."""
    rows = (ctx.inp.monitoring or {}).get("targets") or []
    if not rows or not ctx.inp.targets:
        return []
    t = ctx.t
    note = ctx.derived("src.progress_counts")
    out: list[Any] = []
    # The city's own targets are counted; the nation's are context (never credited to the city).
    for level in ("city", "district", "national"):
        level_rows = [r for r in rows if str(r.get("level") or "city") == level]
        if not level_rows:
            continue
        counts: dict[str, int] = {}
        for row in level_rows:
            status = str(row.get("status") or "")
            counts[status] = counts.get(status, 0) + 1
        parts = ", ".join(f"{t.number(n)} {t.maybe('status.' + s, s)}" for s, n in counts.items())
        key = "text.status_summary" if level == "city" else f"text.status_summary_{level}"
        out.append(Paragraph([t(key, n=t.number(len(level_rows)), parts=parts), Ref((note,))]))
    return out


def _action_cell(ctx: BuildContext, item: Any, field_name: str) -> Cell:
    """Action-plan text in the report's language; English shown with a marker when not translated."""
    text, in_lang = item.text(field_name, ctx.lang)
    if in_lang:
        return Cell(text)
    ctx.warnings.append(f"action {item.id or item.objective[:30]}: {field_name} has no {ctx.lang} text")
    return Cell(f"{text} {ctx.t('label.untranslated')}")


def _action_plan(ctx: BuildContext) -> list[Any]:
    t = ctx.t
    if not ctx.inp.action_plan:
        return [Notice(t("notice.no_action_plan"), "missing")]
    rows = []
    for item in ctx.inp.action_plan:
        note = (
            ctx.cite(item.source)
            if item.source
            else ctx.derived("src.action_plan", city=ctx.inp.city_name(ctx.lang))
        )
        budget = (
            Cell(f"{t.number(item.budget)} {item.currency}".strip(), (note,), numeric=True)
            if item.budget is not None
            else Cell("–")
        )
        unit = ctx.inp.indicator_units.get(item.indicator, "")
        target = ctx.value_cell(item.target_value, unit, (note,))
        rows.append(
            [
                _action_cell(ctx, item, "objective"),
                _action_cell(ctx, item, "initiative"),
                budget,
                Cell(ctx.indicator(item.indicator) if item.indicator else "–"),
                target,
                ctx.year_cell(item.target_year, (note,)) if item.target_year else Cell("–"),
            ]
        )
    header = [
        t(k)
        for k in (
            "col.objective",
            "col.initiative",
            "col.budget",
            "col.indicator",
            "col.target",
            "col.target_year",
        )
    ]
    return [ctx.table(t("caption.action_plan"), header, rows)]


def _robustness(ctx: BuildContext, heading: str, rank_stats: Path | None) -> Section:
    """Rank statistics of a composite index under uncertainty (``index uncertainty`` output)."""
    t = ctx.t
    section = Section("robustness", heading)
    if rank_stats is None:
        section.blocks.append(Notice(t("notice.no_index"), "info"))
        return section
    path = Path(rank_stats)
    if path.is_dir():
        path = path / "rank_stats.csv"
    if not path.exists():
        raise InputError("rank statistics file not found", file=str(path), rule="file exists")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"uCode", "nominal", "median", "q05", "q95"}
            missing = need - set(reader.fieldnames or [])
            if missing:
                raise InputError(
                    f"missing columns: {', '.join(sorted(missing))}",
                    file=str(path),
                    rule="rank_stats columns",
                )
            records = list(reader)
    except UnicodeDecodeError as exc:
        # a spreadsheet saved in a legacy encoding: the user's file is at fault, not the program
        raise InputError(
            f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8", file=str(path), rule="UTF-8 CSV"
        ) from None
    note = ctx.derived("src.rank_stats", file=path.name)
    need_num = ("nominal", "median", "q05", "q95")
    parsed: list[tuple[str, list[float]]] = []
    for i, rec in enumerate(records, start=2):  # row 1 is the header
        vals: list[float] = []
        for k in need_num:
            raw = (rec[k] or "").strip()
            try:
                vals.append(float(raw) if raw else math.nan)
            except ValueError:
                raise InputError(
                    f"{raw!r} is not a number (ranks are numbers; empty = missing)",
                    file=str(path),
                    row=i,
                    column=k,
                    rule="numeric ranks",
                ) from None
        parsed.append((rec["uCode"], vals))
    parsed.sort(key=lambda item: (math.isnan(item[1][0]), item[1][0], item[0]))
    rows = [
        [Cell(code)]
        + [Cell(t.number(v, 1), (note,), numeric=True) if math.isfinite(v) else Cell("–") for v in vals]
        + [
            Cell(t.number(vals[3] - vals[2], 1), (note,), numeric=True)
            if math.isfinite(vals[3] - vals[2])
            else Cell("–")
        ]
        for code, vals in parsed
    ]
    header = [t(k) for k in ("col.unit_code", "col.nominal", "col.median", "col.q05", "col.q95", "col.width")]
    section.blocks.append(Paragraph([t("text.robustness")]))
    section.blocks.append(ctx.table(t("caption.robustness"), header, rows))
    drawable = [(code, *vals) for code, vals in parsed if all(math.isfinite(v) for v in vals)]
    if drawable:
        labels = {k: t("chart." + k) for k in ("rank", "nominal", "median", "interval")}
        png = rank_chart(drawable, title=t("chart.rank_title"), labels=labels)
        caption = t("caption.rank_chart", n=min(len(drawable), 30))
        section.blocks.append(ctx.figure(caption, png, caption, (note,)))
    return section


def _application(
    ctx: BuildContext, registry: Any, as_of: int | None, rank_stats: Path | None
) -> list[Section]:
    t, inp = ctx.t, ctx.inp
    city = inp.city_name(ctx.lang)
    secs = [
        Section("name", t("app.name"), [Paragraph([city])]),
        Section("country", t("app.country"), [Paragraph([t.country(inp.country_iso3)])]),
    ]
    by_role = {c.get("role", ""): c for c in inp.contacts}
    contact_rows = []
    fields = ("name", "title", "organisation", "email", "phone")
    for role in CONTACT_ROLES:
        c = by_role.get(role, {})
        c = {**c, "title": c.get("title") or c.get("position", "")}
        contact_rows.append(
            [Cell(t("contact." + role))] + [Cell(c.get(k) or t("label.to_complete")) for k in fields]
        )
    header = [
        t(k) for k in ("col.role", "col.name", "col.position", "col.organisation", "col.email", "col.phone")
    ]
    secs.append(
        Section("contacts", t("app.contacts"), [ctx.table(t("caption.contacts"), header, contact_rows)])
    )
    field_blocks: list[Any] = [Paragraph([t.field(inp.creative_field)])]
    if not inp.creative_field:
        field_blocks = [Notice(t("notice.no_field"), "missing")]
    secs.append(Section("field", t("app.field"), field_blocks))

    general = Section("general_description", t("app.general_description"), template=True)
    general.blocks += ctx.narrative("general_description")
    general.blocks.append(
        ctx.table(t("caption.facts"), [t("col.figure"), t("col.value")], _facts(ctx, registry))
    )
    secs.append(general)
    assets = Section("assets", t("app.assets"), template=True)
    assets.blocks += ctx.narrative("assets")
    assets.blocks += indicators_table(ctx)
    secs.append(assets)
    contribution = Section("contribution", t("app.contribution"), template=True)
    contribution.blocks.append(Paragraph([t("text.objectives_intro")]))
    contribution.blocks += [Paragraph([f"{i}. ", t(k)]) for i, k in enumerate(OBJECTIVES, start=1)]
    contribution.blocks += ctx.narrative("contribution")
    secs.append(contribution)
    initiatives = Section("initiatives", t("app.initiatives"), template=True)
    initiatives.subsections = [
        Section("initiatives_local", t("sub.local"), ctx.narrative("initiatives_local")),
        Section("initiatives_intercity", t("sub.intercity"), ctx.narrative("initiatives_intercity")),
    ]
    secs.append(initiatives)
    management = Section("management_budget", t("app.management"), template=True)
    management.blocks += ctx.narrative("management_budget")
    management.blocks += _action_plan(ctx)
    secs.append(management)
    communication = Section("communication_plan", t("app.communication"), template=True)
    communication.blocks += ctx.narrative("communication_plan")
    secs.append(communication)
    call_note = ctx.derived("src.uccn_call")
    att_rows = []
    for key in ATTACHMENTS:
        state = inp.attachments.get(key) or AttachmentState()
        att_rows.append(
            [
                Cell(t("attachment." + key), (call_note,)),
                Cell(t("label.provided") if state.provided else t("label.to_provide")),
                Cell("; ".join(filter(None, ["; ".join(state.files), state.note])) or "–"),
            ]
        )
    att_header = [t("col.document"), t("col.status"), t("col.files")]
    secs.append(
        Section(
            "attachments",
            t("app.attachments"),
            [ctx.table(t("caption.attachments"), att_header, att_rows)],
        )
    )
    evidence = Section("evidence", t("app.evidence"))
    evidence.subsections = [
        progress_section(ctx, t("sub.progress")),
        pillars_section(ctx, t("sub.pillars")),
        gaps_section(ctx, t("sub.gaps")),
    ]
    secs.append(evidence)
    secs.append(network_section(ctx, t("app.network"), registry, as_of))
    secs.append(_robustness(ctx, t("sec.robustness"), rank_stats))
    return secs


def _monitoring(
    ctx: BuildContext, registry: Any, as_of: int | None, rank_stats: Path | None
) -> list[Section]:
    t = ctx.t
    secs = []
    summary = Section("executive_summary", t("mon.exec_summary"), template=True)
    designation = _designation(ctx, registry)
    if designation is not None:
        summary.blocks.append(
            Paragraph(
                [
                    t(
                        "text.designated_since",
                        city=ctx.inp.city_name(ctx.lang),
                        field=t.field(ctx.inp.creative_field),
                        when=designation.text,
                    ),
                    Ref(designation.notes),
                ]
            )
        )
    summary.blocks += _status_summary(ctx)
    summary.blocks += ctx.narrative("executive_summary")
    secs.append(summary)
    general = Section("general_information", t("mon.general_information"), template=True)
    general.blocks.append(
        ctx.table(t("caption.facts"), [t("col.figure"), t("col.value")], _facts(ctx, registry))
    )
    general.blocks += ctx.narrative("general_information")
    secs.append(general)
    secs.append(
        Section(
            "contribution_global",
            t("mon.global_management"),
            ctx.narrative("contribution_global"),
            template=True,
        )
    )
    secs.append(
        Section(
            "local_initiatives", t("mon.local_initiatives"), ctx.narrative("local_initiatives"), template=True
        )
    )
    secs.append(
        Section(
            "intercity_initiatives",
            t("mon.intercity_initiatives"),
            ctx.narrative("intercity_initiatives"),
            template=True,
        )
    )
    plan = Section("action_plan", t("mon.action_plan"), template=True)
    plan.blocks += ctx.narrative("action_plan")
    plan.blocks += _action_plan(ctx)
    secs.append(plan)
    evidence = Section("evidence", t("mon.evidence"))
    # built in reading order, so that source notes are numbered in the order a reader meets them
    evidence.subsections = [progress_section(ctx, t("sub.progress"))]
    evidence.subsections.append(Section("indicators", t("sub.indicators"), indicators_table(ctx)))
    evidence.subsections += [pillars_section(ctx, t("sub.pillars")), gaps_section(ctx, t("sub.gaps"))]
    secs.append(evidence)
    secs.append(network_section(ctx, t("mon.network"), registry, as_of))
    secs.append(_robustness(ctx, t("sec.robustness"), rank_stats))
    return secs


def build_document(
    workspace: Any,
    kind: Literal["application", "monitoring"],
    lang: Literal["vi", "en"],
    *,
    registry: Any = None,
    as_of: int | None = None,
    monitoring: dict[str, Any] | None = None,
    rank_stats: str | Path | None = None,
    word_limits: dict[str, int] | None = None,
    today: date | None = None,
    goal_plan: str | Path | None = None,
) -> Document:
    """Build the application dossier or the monitoring report of ``workspace`` in ``lang``.

    Parameters
    ----------
    workspace
        The city workspace (``creativecity.monitoring`` model, or a :class:`ReportInputs`).
    kind, lang
        ``"application"`` or ``"monitoring"``; ``"vi"`` or ``"en"``.
    registry
        A ``creativecity.network.Registry`` for the network context; None leaves a visible notice.
    as_of
        The report "as of" this year: the progress analysis ignores figures dated after it, the
        indicators table lists none, and the network is shown after its last round up to it. Default:
        this year's analysis and the latest round.
    monitoring
        Precomputed ``monitor(workspace).to_dict()``; computed here when None and available.
    rank_stats
        ``rank_stats.csv`` (or its folder) from ``creativecity index uncertainty`` for the robustness
        section; None says that no index was built.
    goal_plan
        ``plan.json`` (or its folder) from ``creativecity index goal``: adds a "What it would take"
        section with the plan table and its odds; None adds nothing.
    word_limits
        Per-section word limits overriding :data:`~creativecity.reports.narrative.DEFAULT_WORD_LIMITS`.
    today
        Date printed as the generation date (tests fix it).
    """
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}", column="kind", rule="kind")
    if lang not in LANGS:
        raise InputError(
            f"unknown language {lang!r}; use one of: {', '.join(LANGS)}", column="lang", rule="lang"
        )
    if as_of is not None and not 1900 <= as_of <= 2100:
        raise InputError(f"{as_of} is outside 1900-2100", column="as_of", rule="year range")
    if isinstance(workspace, ReportInputs):
        inp = workspace
    else:
        mon = monitoring if monitoring is not None else _monitoring_dict(workspace, as_of)
        inp = from_workspace(workspace, mon)
    if as_of is not None:  # later figures are not evidence "as of" that year (undated ones stay)
        inp.observations = [
            o for o in inp.observations if o.reference_year is None or o.reference_year <= as_of
        ]
    t = Text(lang)
    ctx = BuildContext(
        t=t,
        inp=inp,
        word_limits={**inp.word_limits, **(word_limits or {})},
        pillar_names=_pillar_names(workspace, lang),
    )
    stats = Path(rank_stats) if rank_stats is not None else None
    builder = _application if kind == "application" else _monitoring
    sections = builder(ctx, registry, as_of, stats)
    if goal_plan is not None:
        from creativecity.reports.goal_section import goal_section

        sections.append(goal_section(ctx, t("sec.goal"), goal_plan))
    sections.append(Section("sources", t("sec.sources"), [SourceList(ctx.sources.notes)]))
    city = inp.city_name(lang)
    title = t("doc.title." + kind, city=city)
    subtitle = t("doc.subtitle", field=t.field(inp.creative_field), country=t.country(inp.country_iso3))
    generated = t("doc.generated", date=t.date(today or date.today()), version=__version__)
    labels = {
        k: t("label." + k)
        for k in ("contents", "template", "template_note", "page", "missing", "warning", "info", "notes")
    }
    return Document(
        kind=kind,
        lang=lang,
        title=title,
        subtitle=subtitle,
        sections=sections,
        meta={"generated": generated, "city": city},
        labels=labels,
        warnings=ctx.warnings,
    )
