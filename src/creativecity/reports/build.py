"""Assemble the application, the Membership Monitoring Report or the evidence pack as a :class:`Document`.

The structure of the application and the MMR is UNESCO's form, read from data
(:mod:`creativecity.monitoring.forms`, edition chosen by the city): sections, numbers and headings in
order, each filled from the workspace (:mod:`creativecity.reports.form_doc`,
:mod:`creativecity.reports.mmr_doc`). Headings whose status is "unverified" are flagged
``template=True`` in a working draft. A submission (``submission=True``, English or French) holds the
form and the list of attachments only; the internal annexes (indicators and progress, the city in the
network, robustness) make a separate "evidence pack" (kind ``evidence``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from creativecity import __version__
from creativecity.errors import InputError
from creativecity.frameworks import load_framework
from creativecity.monitoring.forms import check_override, form_for
from creativecity.monitoring.model import ActionItem, Workspace
from creativecity.monitoring.rules import check_year
from creativecity.monitoring.texts import SUBMISSION_LANGUAGES, section_texts
from creativecity.reports.context import BuildContext
from creativecity.reports.data import ReportData
from creativecity.reports.evidence import (
    gaps_section,
    indicators_table,
    pillars_section,
    progress_section,
    sourced,
)
from creativecity.reports.form_doc import attachments_section, form_sections, pending_notice
from creativecity.reports.i18n import LANGS, Text
from creativecity.reports.mmr_doc import mmr_sections
from creativecity.reports.model import Cell, Document, Notice, Paragraph, Ref, Section, SourceList
from creativecity.reports.network_context import network_section
from creativecity.reports.robustness_annex import robustness_section

KINDS = ("application", "monitoring", "evidence")


def _monitoring_dict(workspace: Workspace, as_of: int | None = None) -> dict[str, Any]:
    """Run the monitoring area's analysis; its CONTRACTS.md JSON shape is what the report reads."""
    from creativecity.monitoring import monitor

    return dict(monitor(workspace, as_of).to_dict())


def _pillar_names(workspace: Workspace, lang: str) -> dict[str, str]:
    """Pillar code -> name in ``lang`` from the workspace's framework."""
    try:
        fw = load_framework(workspace.framework)
    except (InputError, KeyError, FileNotFoundError):
        return {}  # an unknown framework only costs translated pillar names (monitoring reports it)
    return {g.code: (g.name_vi if lang == "vi" else "") or g.name_en or g.code for g in fw.groups}


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


def _action_cell(ctx: BuildContext, item: ActionItem, field_name: str) -> Cell:
    """Action-plan text in the report's language; English shown with a marker when not translated."""
    text, in_lang = ctx.inp.ws.action_text(item, field_name, ctx.lang)
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


def _application(ctx: BuildContext) -> list[Section]:
    """The form in order, then the list of attachments (nothing else: annexes go to the evidence pack)."""
    form = ctx.form
    assert form is not None
    sections = form_sections(ctx, form)
    sections.append(attachments_section(ctx, form))
    return sections


def _monitoring(
    ctx: BuildContext, registry: Any, as_of: int | None, rank_stats: Path | None, today: date
) -> list[Section]:
    t = ctx.t
    summary: list[Any] = []
    designation = _designation(ctx, registry)
    if designation is not None:
        summary.append(
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
    summary += _status_summary(ctx)
    form = ctx.form
    assert form is not None
    secs = mmr_sections(
        ctx,
        form,
        summary=summary,
        facts=_facts(ctx, registry),
        action_lines=lambda: _action_plan(ctx) if ctx.inp.action_plan else [],
        as_of=as_of,
        today=today,
    )
    secs += _annexes(ctx, registry, as_of, rank_stats, t("mon.evidence"), t("mon.network"))
    return secs


def _annexes(
    ctx: BuildContext, registry: Any, as_of: int | None, rank_stats: Path | None, evidence: str, network: str
) -> list[Section]:
    """Indicators and progress, the city in the network, robustness (built in reading order)."""
    t = ctx.t
    section = Section("evidence", evidence)
    section.subsections = [progress_section(ctx, t("sub.progress"))]
    section.subsections.append(Section("indicators", t("sub.indicators"), indicators_table(ctx)))
    section.subsections += [pillars_section(ctx, t("sub.pillars")), gaps_section(ctx, t("sub.gaps"))]
    return [
        section,
        network_section(ctx, network, registry, as_of),
        robustness_section(ctx, t("sec.robustness"), rank_stats),
    ]


def _evidence(ctx: BuildContext, registry: Any, as_of: int | None, rank_stats: Path | None) -> list[Section]:
    """The internal annexes of the application as their own document, with the key facts first."""
    t = ctx.t
    facts = Section("facts", t("caption.facts"), [Paragraph([t("text.evidence_intro")])])
    facts.blocks.append(
        ctx.table(t("caption.facts"), [t("col.figure"), t("col.value")], _facts(ctx, registry))
    )
    plan = Section("action_plan", t("caption.action_plan"), _action_plan(ctx))
    return [facts, *_annexes(ctx, registry, as_of, rank_stats, t("app.evidence"), t("app.network")), plan]


def _check_kind_lang(kind: str, lang: str, submission: bool) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}", column="kind", rule="kind")
    if submission:
        if kind == "evidence":
            raise InputError(
                "the evidence pack is internal: it has no submission", column="kind", rule="kind"
            )
        if lang not in SUBMISSION_LANGUAGES:
            raise InputError(
                f"UNESCO accepts {' or '.join(SUBMISSION_LANGUAGES)} only, not {lang!r}",
                column="lang",
                rule="lang",
            )
    elif lang not in LANGS:
        raise InputError(
            f"unknown language {lang!r}; use one of: {', '.join(LANGS)} (French: with --submission)",
            column="lang",
            rule="lang",
        )


def build_document(
    workspace: Workspace,
    kind: Literal["application", "monitoring", "evidence"],
    lang: Literal["vi", "en", "fr"],
    *,
    registry: Any = None,
    as_of: int | None = None,
    monitoring: dict[str, Any] | None = None,
    rank_stats: str | Path | None = None,
    word_limits: dict[str, int] | None = None,
    today: date | None = None,
    goal_plan: str | Path | None = None,
    submission: bool = False,
) -> Document:
    """Build the application, the monitoring report or the evidence pack of ``workspace`` in ``lang``.

    Parameters
    ----------
    workspace
        The city workspace (:class:`creativecity.monitoring.model.Workspace`).
    kind, lang
        ``"application"``, ``"monitoring"`` or ``"evidence"``; ``"vi"`` or ``"en"`` (``"en"`` or
        ``"fr"`` for a submission).
    registry
        A ``creativecity.network.Registry`` for the network context; None leaves a visible notice.
    as_of
        The report "as of" this year: the progress analysis ignores figures dated after it, the
        indicators table lists none, and the network is shown after its last round up to it. Default:
        this year's analysis and the latest round.
    monitoring
        Precomputed ``monitor(workspace).to_dict()``; computed here when None.
    rank_stats
        ``rank_stats.csv`` (or its folder) from ``creativecity index uncertainty`` for the robustness
        section; None says that no index was built.
    goal_plan
        ``plan.json`` (or its folder) from ``creativecity index goal``: adds a "What it would take"
        section with the plan table and its odds; None adds nothing.
    word_limits
        Word limits for sections whose limit the form leaves unknown, over the workspace's own.
    today
        Date printed as the generation date and used for the report period (tests fix it).
    submission
        The document UNESCO accepts: the form and the list of attachments, no notes or annexes. The
        rules it must meet are checked by :func:`creativecity.reports.submission.check_submission`.
    """
    _check_kind_lang(kind, lang, submission)
    check_year(as_of, column="as_of")
    today = today or date.today()
    needs_analysis = not submission and kind != "application"
    mon = monitoring if monitoring is not None or not needs_analysis else _monitoring_dict(workspace, as_of)
    inp = ReportData(workspace, mon, as_of)
    t = Text(lang)
    form = form_for(workspace, "mmr" if kind == "monitoring" else "application")
    for section, words in (word_limits or {}).items():
        if any(s.id == section for s in form.sections):
            try:
                check_override(form, section, words)  # a run may set only what the form leaves unknown
            except InputError as exc:
                raise InputError(exc.message, column="--word-limit", rule="form limit") from None
    limits = {**workspace.word_limits, **(word_limits or {})}
    states = {}
    if lang in SUBMISSION_LANGUAGES and kind != "evidence":
        states = {s.section.id: s for s in section_texts(workspace, form.kind, lang, word_limits)}
    ctx = BuildContext(
        t=t,
        inp=inp,
        word_limits=limits,
        pillar_names=_pillar_names(workspace, lang) if needs_analysis else {},
        form=form,
        submission=submission,
        text_states=states,
    )
    stats = Path(rank_stats) if rank_stats is not None else None
    if kind == "application":
        sections = _application(ctx)
    elif kind == "monitoring":
        sections = _monitoring(ctx, registry, as_of, stats, today)
    else:
        sections = _evidence(ctx, registry, as_of, stats)
    if goal_plan is not None:
        if kind == "application":
            raise InputError(
                "the application holds the form only: a goal plan goes to the MMR or the evidence pack",
                column="--goal-plan",
                rule="annex",
            )
        from creativecity.reports.goal_section import goal_section

        sections.append(goal_section(ctx, t("sec.goal"), goal_plan))
    if ctx.pending:
        ctx.warnings += [f"to complete: {p}" for p in ctx.pending]
        sections[0].blocks[:0] = pending_notice(ctx)
    if not submission:
        sections.append(Section("sources", t("sec.sources"), [SourceList(ctx.sources.notes)]))
    city = inp.city_name(lang)
    if kind == "evidence":
        title = t("doc.title.evidence", city=city)
    else:
        title = f"{form.title.get(lang) or form.title['en']}: {city}"
    subtitle = t("doc.subtitle", field=t.field(inp.creative_field), country=t.country(inp.country_iso3))
    generated = t("doc.generated", date=t.date(today), version=__version__)
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
        meta={"generated": generated, "city": city, "pending": str(len(ctx.pending))},
        labels=labels,
        warnings=ctx.warnings,
        submission=submission,
    )
