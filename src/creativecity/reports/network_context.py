"""The city in the network: its designation, field and region figures, peers and the network's growth.

Figures are counted from the network registry (``creativecity.network``). A count rests on many rows,
each with its own source, so it cites one note that says what was counted and where the rows are; the
city's own designation cites its row's source, and UNESCO's published totals cite theirs. When the
registry knows it lacks members of a round, the report says so instead of presenting a lower bound as
the total.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from creativecity.errors import InputError
from creativecity.network.registry import city_name
from creativecity.reports.charts import growth_chart
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Block, Cell, Notice, Paragraph, Ref, Section


def _peers(ctx: BuildContext, registry: Any, city: str, iso3: str, field: str) -> list[tuple[Any, str]]:
    """Peer members ranked by the network area's similarity score, with reasons in our language.

    The network module gives its reasons in English; we rebuild them from the same facts (field,
    sub-regions, region, population ratio, designation year) so the Vietnamese report has Vietnamese
    reasons, and we show no population figure (it has no source note in the registry). ``city`` may be
    a candidate (not yet a member): the network module then places it by country and field.
    """
    from creativecity.network.peers import SIMILAR_POPULATION_LOG10, peers

    t = ctx.t
    result = peers(registry, city, country=iso3, field=field, n=10)
    subject = result.subject
    out = []
    for p in result.peers:
        member = next((m for m in registry.find(p.city, p.iso3) if m.field == p.field), None)
        if member is None:
            continue
        reasons = []
        if subject.field and p.field == subject.field:
            reasons.append(t("peer.same_field", field=t.field(p.field)))
        shared = sorted(set(subject.subregions) & set(member.subregions))
        if shared:
            reasons.append(t("peer.same_subregion", groups=", ".join(shared)))
        if p.region == subject.region and p.region != "unassigned":
            reasons.append(t("peer.same_region", region=_region(ctx, p.region)))
        ratio = (subject.population / p.population) if subject.population and p.population else 0
        if ratio and abs(math.log10(ratio)) <= SIMILAR_POPULATION_LOG10:
            reasons.append(t("peer.similar_population"))
        if subject.year is not None:
            gap = abs(p.year - subject.year)
            if gap == 0:
                reasons.append(t("peer.same_round"))
            elif gap <= 2:
                reasons.append(t("peer.close_round"))
        out.append((member, "; ".join(reasons)))
    return out


def _region(ctx: BuildContext, region: str) -> str:
    return ctx.t.maybe("region." + region, region)


def network_section(ctx: BuildContext, heading: str, registry: Any, as_of: int | None) -> Section:
    """Build the "city in the network" section, or a notice when no registry is available."""
    t = ctx.t
    section = Section("network", heading)
    if registry is None:
        section.blocks.append(Notice(t("notice.no_registry"), "missing"))
        return section
    year = registry.effective_year(as_of)
    if year is None:
        section.blocks.append(Notice(t("notice.before_network", year=as_of), "info"))
        return section
    members = registry.members_as_of(year)
    count_note = ctx.derived("src.registry_count", n=len(members), year=year)
    city = ctx.inp.city_name(ctx.lang)
    mine = [m for m in registry.find(ctx.inp.city, ctx.inp.country_iso3 or None) if m.year <= year] or [
        m for m in registry.find(ctx.inp.city) if m.year <= year
    ]
    me = mine[0] if mine else None
    if me is not None:
        notes = ctx.cite_member(me)
        section.blocks.append(
            Paragraph(
                [
                    t("net.designated", city=city, field=t.field(me.field), year=me.year),
                    Ref(notes),
                ]
            )
        )
    else:
        section.blocks.append(Notice(t("net.not_member", city=city, year=year), "info"))
    blocks: list[Block] = []
    rows: list[list[Cell]] = [
        [Cell(t("net.cities")), Cell(t.number(registry.count_cities(year)), (count_note,), numeric=True)],
        [Cell(t("net.countries")), Cell(t.number(registry.count_countries(year)), (count_note,), True)],
    ]
    field = me.field if me else ctx.inp.creative_field
    if field:
        n_field = registry.by_field(year).get(field, 0)
        rows.append(
            [Cell(t("net.in_field", field=t.field(field))), Cell(t.number(n_field), (count_note,), True)]
        )
    if me is not None:
        n_region = registry.by_region(year).get(me.region, 0)
        rows.append(
            [
                Cell(t("net.in_region", region=_region(ctx, me.region))),
                Cell(t.number(n_region), (count_note,), True),
            ]
        )
        n_country = len({m.key for m in members if m.iso3 == me.iso3})
        rows.append(
            [
                Cell(t("net.in_country", country=t.country(me.iso3))),
                Cell(t.number(n_country), (count_note,), True),
            ]
        )
    official = registry.official_for(year)
    if official is not None:
        off_note = ctx.cite(official.source)
        rows.append(
            [Cell(t("net.official_total")), Cell(t.number(official.network_total), (off_note,), True)]
        )
    header = [t("col.figure"), t("col.value")]
    blocks.append(ctx.table(t("caption.network", year=year), header, rows))
    if official is not None and official.network_total > registry.count_cities(year):
        blocks.append(Notice(t("notice.registry_incomplete", year=year), "warning"))
    uncertain = [m for m in members if m.certainty != "verified"]
    if uncertain:
        blocks.append(Notice(t("notice.registry_uncertain", n=len(uncertain)), "info"))
    section.blocks.extend(blocks)

    subject = (me.city, me.iso3, me.field) if me is not None else None
    if subject is None and ctx.inp.country_iso3 and ctx.inp.creative_field:
        subject = (ctx.inp.city, ctx.inp.country_iso3, ctx.inp.creative_field)  # a candidate city
    if subject is not None:
        try:
            peers = _peers(ctx, registry, *subject)
        except InputError as exc:  # e.g. a country code the registry does not know
            ctx.warnings.append(f"peers: {exc}")
            peers = []
        sub = Section("peers", t("sub.peers"))
        if peers:
            prow = []
            for m, reason in peers:
                notes = ctx.cite_member(m)
                prow.append(
                    [
                        Cell(city_name(m.city, m.iso3, ctx.lang)),
                        Cell(t.country(m.iso3)),
                        Cell(t.field(m.field)),
                        Cell(str(m.year), notes, numeric=True),
                        Cell(reason),
                    ]
                )
            header = [t("col.city"), t("col.country"), t("col.field"), t("col.designated"), t("col.reason")]
            sub.blocks.append(Paragraph([t("peer.method")]))
            sub.blocks.append(ctx.table(t("caption.peers", city=city), header, prow))
        else:
            sub.blocks.append(Notice(t("notice.no_peers"), "info"))
        section.subsections.append(sub)

    growth: dict[int, Counter[str]] = defaultdict(Counter)
    for m in members:
        growth[m.year][m.field] += 1
    if growth:
        sub = Section("growth", t("sub.growth"))
        png = growth_chart(
            {y: dict(c) for y, c in growth.items()},
            title=t("chart.growth_title", year=year),
            field_label=t.field,
            labels={"round": t("chart.round"), "cities": t("chart.designations")},
        )
        sub.blocks.append(
            ctx.figure(t("caption.growth", year=year), png, t("caption.growth", year=year), (count_note,))
        )
        section.subsections.append(sub)
    return section
