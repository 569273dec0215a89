"""Demo section: the bundled city's place in the UNESCO Creative Cities Network.

Prints Hanoi's designation, the network's size now, how many Design cities there are, Viet Nam's
members and Hanoi's five closest peers with the reasons; writes the growth chart and the member map to
``ctx.out / "network"``; and leaves the summary in ``ctx.shared["network"]`` for the reports section.
"""

from __future__ import annotations

from typing import Any

from creativecity.network.peers import peers
from creativecity.network.plots import growth_chart, member_map
from creativecity.network.registry import Registry
from creativecity.network.summary import summary

CITY_NAMES = {"hanoi": ("Hanoi", "VNM")}  # workspace name -> registry name and ISO3


def run(ctx: Any) -> None:
    """Print the network context of ``ctx.city`` and write the chart and map."""
    con = ctx.console
    reg = Registry.load()
    name, iso3 = CITY_NAMES.get(ctx.city, (ctx.city.title(), None))
    con.rule("[bold]UNESCO Creative Cities Network[/bold]")
    s = summary(reg)
    mine = reg.find(name, iso3)
    if mine:
        m = mine[0]
        con.print(
            f"{m.city} ({m.country}): City of {m.field} since {m.year} ({m.certainty}; "
            + (
                f"UNESCO: {m.source_unesco}; press: {m.source})"
                if m.source_unesco
                else f"source: {m.source})"
            ),
            markup=False,
        )
    status = "complete" if s.complete else "incomplete"
    con.print(f"Network as of {s.as_of}: {s.cities} cities in {s.countries} countries ({status}).")
    if s.official and not s.complete:
        con.print(f"  UNESCO's official total for {s.as_of}: {s.official['network_total']} (not all listed).")
    field = mine[0].field if mine else "Design"
    con.print(f"{field} cities: {s.by_field.get(field, 0)}.")
    if iso3:
        vn = reg.members_as_of(country=iso3)
        con.print(
            f"Members in {vn[0].country if vn else iso3}: "
            + ", ".join(f"{m.city} ({m.field}, {m.year})" for m in vn)
        )
    result = None
    if mine:
        result = peers(reg, name, country=iso3, n=5)
        con.print(f"Closest peers of {name}:")
        for i, p in enumerate(result.peers, 1):
            con.print(
                f"  {i}. {p.city} ({p.iso3}, {p.field}, {p.year}), score {p.score:.2f}: "
                + "; ".join(p.reasons)
            )
    out = ctx.out / "network"
    out.mkdir(parents=True, exist_ok=True)
    chart = growth_chart(reg, out / "growth.png")
    world = member_map(reg, out / "members_map.png")
    con.print(f"Wrote {chart} and {world}.")
    ctx.shared["network"] = {
        "summary": s.to_dict(),
        "city": mine[0].to_dict() if mine else None,
        "peers": result.to_dict() if result else None,
        "chart": str(chart),
        "map": str(world),
    }
