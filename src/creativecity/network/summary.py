"""Network analytics: the summary as of a year, growth by round, and the field x region table.

The summary is honest about what the registry does not know: when UNESCO announced more cities for a
round than the registry lists, ``complete`` is false and the note says how many are missing, and the
official total is shown *as official*, never as the registry's count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from creativecity.network.registry import FIELDS, FOUNDED, REGIONS, Registry


@dataclass(frozen=True)
class NetworkSummary:
    """The network as it stood after the round of ``as_of`` (CONTRACTS.md §3, ``network summary``)."""

    as_of: int | None
    requested_as_of: int | None
    cities: int
    countries: int
    designations: int
    by_field: dict[str, int]
    by_region: dict[str, int]
    complete: bool
    notes: list[str]
    founded: int
    round_year: int | None
    new_cities: int
    uncertain: int
    official: dict[str, Any] | None
    origin: str
    #: Each note as (English template, arguments), so that a page can print it in its own language.
    note_parts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def note(self) -> str:
        """All notes in one sentence-per-line string (the contract's ``note``)."""
        return " ".join(self.notes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``network summary --json``; ``note`` joins ``notes``."""
        d = asdict(self)
        d["note"] = self.note
        d.pop("note_parts", None)  # the JSON contract keeps the English notes only
        return d


#: The notes a summary can carry, as templates: English here, translated by the pages' catalog (the web
#: area lists the same strings for extraction in ``creativecity.web.terms``).
NOTE_BEFORE_FOUNDING = (
    "The network was founded in {founded} (Edinburgh, Literature); it had no members in {as_of}."
)
NOTE_AFTER_LATEST = "No designation round after {latest} is known: figures are as of {latest}."
NOTE_NO_ROUND = "No designation round in {as_of}: figures are as of the {year} round."
NOTE_INCOMPLETE = (
    "The {year} round is incomplete in this registry: {known_new} of UNESCO's {new_cities} new cities are "
    "listed, so it counts {cities} cities where UNESCO announced {total} (official figure, not counted "
    "here). Import a newer list to complete it."
)
NOTE_MORE_CITIES = "The registry counts {cities} cities where UNESCO announced {total}."
NOTE_COUNTRIES = (
    "The registry counts {countries} distinct countries (ISO3 codes) where UNESCO said {official} for "
    "{year}: sources disagree, and UNESCO counts Member States."
)
NOTE_NO_TOTAL = "UNESCO published no total for {year}; nothing to check the count against."
NOTE_AHEAD = (
    "Since 2021 the registry's country count runs ahead of UNESCO's ({n21} vs {official} in 2021): "
    "UNESCO counts Member States."
)
NOTE_UNCERTAIN = "{n} designations have an uncertain year or field."
NOTE_FOUNDED = (
    "Founded in {founded} (Edinburgh, Literature); 2014 was the first round under the revised procedure, "
    "not the founding year."
)
NOTE_TEMPLATES = (
    NOTE_BEFORE_FOUNDING,
    NOTE_AFTER_LATEST,
    NOTE_NO_ROUND,
    NOTE_INCOMPLETE,
    NOTE_MORE_CITIES,
    NOTE_COUNTRIES,
    NOTE_NO_TOTAL,
    NOTE_AHEAD,
    NOTE_UNCERTAIN,
    NOTE_FOUNDED,
)


def summary(registry: Registry, as_of: int | None = None) -> NetworkSummary:
    """Summarise the network after the round of ``as_of`` (default: the latest round).

    ``as_of`` before the founding year gives an empty network with a note; after the last known round,
    the network as of that round (with a note saying so).
    """
    notes: list[str] = []
    parts: list[tuple[str, dict[str, Any]]] = []

    def add(template: str, **args: Any) -> None:
        parts.append((template, args))
        notes.append(template.format(**args))

    year = registry.effective_year(as_of)
    latest = registry.latest_year
    if year is None:
        add(NOTE_BEFORE_FOUNDING, founded=FOUNDED, as_of=as_of)
        return NetworkSummary(
            as_of=as_of,
            requested_as_of=as_of,
            cities=0,
            countries=0,
            designations=0,
            by_field=dict.fromkeys(FIELDS, 0),
            by_region=dict.fromkeys(REGIONS, 0),
            complete=True,
            notes=notes,
            founded=FOUNDED,
            round_year=None,
            new_cities=0,
            uncertain=0,
            official=None,
            origin=registry.origin,
            note_parts=parts,
        )
    if as_of is not None and latest is not None and as_of > latest:
        add(NOTE_AFTER_LATEST, latest=latest)
    elif as_of is not None and as_of != year:
        add(NOTE_NO_ROUND, as_of=as_of, year=year)
    members = registry.members_as_of(year)
    cities = len({m.key for m in members})
    countries = len({m.iso3 for m in members})
    new = {m.key for m in registry.new_in_round(year)}
    official = registry.official_for(year)
    complete = True
    if official is not None:
        if cities < official.network_total:
            complete = False
            missing = official.network_total - cities
            known_new = official.new_cities - missing
            add(
                NOTE_INCOMPLETE,
                year=year,
                known_new=known_new,
                new_cities=official.new_cities,
                cities=cities,
                total=official.network_total,
            )
        elif cities > official.network_total:
            add(NOTE_MORE_CITIES, cities=cities, total=official.network_total)
        if official.countries is not None and official.countries != countries:
            add(NOTE_COUNTRIES, countries=countries, official=official.countries, year=year)
    else:
        add(NOTE_NO_TOTAL, year=year)
    if year >= 2021:
        later = registry.official_for(2021)
        if later is not None and later.countries is not None and year != 2021:
            n21 = registry.count_countries(2021)
            if n21 != later.countries:
                add(NOTE_AHEAD, n21=n21, official=later.countries)
    uncertain = sum(1 for m in members if m.certainty != "verified")
    if uncertain:
        add(NOTE_UNCERTAIN, n=uncertain)
    if year >= 2014 and (as_of is None or as_of >= 2014):
        add(NOTE_FOUNDED, founded=FOUNDED)
    return NetworkSummary(
        as_of=year,
        requested_as_of=as_of,
        cities=cities,
        countries=countries,
        designations=len(members),
        by_field=registry.by_field(year),
        by_region=registry.by_region(year),
        complete=complete,
        notes=notes,
        founded=FOUNDED,
        round_year=year,
        new_cities=len(new),
        uncertain=uncertain,
        official=official.to_dict() if official else None,
        origin=registry.origin,
        note_parts=parts,
    )


@dataclass(frozen=True)
class RoundGrowth:
    """One designation year: what it added and where the network stood after it."""

    year: int
    new_cities: int
    new_by_field: dict[str, int]
    total_cities: int
    total_countries: int
    total_by_field: dict[str, int]
    official_total: int | None

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class Growth:
    """Growth of the network year by year (``network growth``)."""

    rounds: list[RoundGrowth] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {"fields": list(FIELDS), "rounds": [r.to_dict() for r in self.rounds]}

    def to_rows(self) -> list[dict[str, Any]]:
        """Flat rows for CSV: one per year, one column per field (new and cumulative)."""
        rows = []
        for r in self.rounds:
            row: dict[str, Any] = {
                "year": r.year,
                "new_cities": r.new_cities,
                "total_cities": r.total_cities,
                "total_countries": r.total_countries,
                "official_total": "" if r.official_total is None else r.official_total,
            }
            row.update({f"new {f}": r.new_by_field[f] for f in FIELDS})
            row.update({f"total {f}": r.total_by_field[f] for f in FIELDS})
            rows.append(row)
        return rows


def growth(registry: Registry) -> Growth:
    """New and cumulative cities per designation year, by field, with UNESCO's totals beside."""
    rounds = []
    for year in registry.years:
        new = registry.new_in_round(year)
        new_by_field = dict.fromkeys(FIELDS, 0)
        for m in new:
            new_by_field[m.field] += 1
        official = registry.official_for(year)
        rounds.append(
            RoundGrowth(
                year=year,
                new_cities=len({m.key for m in new}),
                new_by_field=new_by_field,
                total_cities=registry.count_cities(year),
                total_countries=registry.count_countries(year),
                total_by_field=registry.by_field(year),
                official_total=official.network_total if official else None,
            )
        )
    return Growth(rounds=rounds)


@dataclass(frozen=True)
class FieldRegionTable:
    """Designations per field (rows) and UNESCO region (columns), with the empty cells listed.

    The gaps are where a city applying in that field from that region would add the most to the
    network's geographical balance, which UNESCO weighs in designations.
    """

    as_of: int | None
    fields: list[str]
    regions: list[str]
    counts: dict[str, dict[str, int]]
    gaps: list[tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output; gaps as ``{"field", "region"}`` objects."""
        return {
            "as_of": self.as_of,
            "fields": self.fields,
            "regions": self.regions,
            "counts": self.counts,
            "gaps": [{"field": f, "region": r} for f, r in self.gaps],
        }


def field_region_table(registry: Registry, as_of: int | None = None) -> FieldRegionTable:
    """Cross-tabulate designations by field and region as of a year."""
    year = registry.effective_year(as_of)
    counts = {f: dict.fromkeys(REGIONS, 0) for f in FIELDS}
    for m in registry.members_as_of(year) if year is not None else []:
        if m.region in counts[m.field]:
            counts[m.field][m.region] += 1
    gaps = [(f, r) for f in FIELDS for r in REGIONS if counts[f][r] == 0]
    return FieldRegionTable(as_of=year, fields=list(FIELDS), regions=list(REGIONS), counts=counts, gaps=gaps)
