"""Peer finder: which member cities a city should learn from and partner with.

A city preparing its dossier or its monitoring report looks for cities like itself: same creative
field first (they share a sub-network and its meetings), then neighbours (a sub-regional group such as
ASEAN shares policy frameworks and funding; a UNESCO region shares a regional meeting), then size, then
how long they have been members (cities of the same round go through monitoring at the same time).

Similarity score, out of 1.0 (the weights are the order of importance above)::

    0.40  same creative field
    0.20  same sub-regional group (ASEAN, EU, SAARC)
    0.15  same UNESCO region
    0.15  population: 0.15 * max(0, 1 - |log10(pop_a / pop_b)|)   (1 at equal size, 0 at 10x)
    0.10  designation year: 0.10 * max(0, 1 - |year_a - year_b| / 10)

Missing population gives 0 for that term (and says so). Each peer carries the reasons that earned it
points, so a user can see why it was proposed. Ties are broken by city name for a stable order.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from creativecity.errors import InputError
from creativecity.network.registry import Member, Registry

W_FIELD, W_SUBREGION, W_REGION, W_POPULATION, W_YEAR = 0.40, 0.20, 0.15, 0.15, 0.10
SIMILAR_POPULATION_LOG10 = math.log10(2)  # "similar population": within a factor of two


@dataclass(frozen=True)
class Subject:
    """The city peers are sought for: a member, or a candidate described by the user."""

    city: str
    iso3: str
    field: str | None
    region: str
    subregions: tuple[str, ...]
    population: int | None
    year: int | None
    is_member: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        d = asdict(self)
        d["subregions"] = list(self.subregions)
        return d


@dataclass(frozen=True)
class Peer:
    """A proposed peer city, its score and why."""

    city: str
    country: str
    iso3: str
    field: str
    year: int
    region: str
    population: int | None
    score: float
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class PeerResult:
    """The subject and its ranked peers (``network peers``)."""

    subject: Subject
    peers: list[Peer] = field(default_factory=list)
    method: str = (
        "score = 0.40 same field + 0.20 same sub-region + 0.15 same UNESCO region "
        "+ 0.15 (1 - |log10 population ratio|)+ + 0.10 (1 - |year gap| / 10)+"
    )

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "subject": self.subject.to_dict(),
            "method": self.method,
            "peers": [p.to_dict() for p in self.peers],
        }


def fmt_population(n: int) -> str:
    """Readable population: 8.1 M, 310 k, 9,800."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} M"
    if n >= 10_000:
        return f"{n / 1000:.0f} k"
    return f"{n:,}"


def _subject(
    registry: Registry,
    city: str,
    country: str | None,
    field_name: str | None,
    population: int | None,
) -> Subject:
    found = registry.find(city, country)
    if field_name:
        wanted = registry.resolve_field(field_name)
        matching = [m for m in found if m.field == wanted]
        found = matching or ([] if country else found)
    else:
        wanted = None
    keys = {m.key for m in found}
    if len(keys) > 1:
        options = "; ".join(sorted(f"{m.city} ({m.iso3}, {m.field}, {m.year})" for m in found))
        raise InputError(
            f"{city!r} names several member cities: {options}; add --country ISO3",
            column="city",
            rule="unambiguous city",
        )
    if found:
        m: Member = found[0]
        return Subject(
            city=m.city,
            iso3=m.iso3,
            field=wanted or m.field,
            region=m.region,
            subregions=m.subregions,
            population=population or m.population,
            year=m.year,
            is_member=True,
        )
    if not country or not field_name:
        raise InputError(
            f"{city!r} is not a member city in the registry; for a candidate city give --country and --field",
            column="city",
            rule="member or candidate",
        )
    iso3 = registry.resolve_country(country)
    c = registry.countries.get(iso3)
    groups = tuple(sorted(g for g, codes in registry.groups.items() if iso3 in codes))
    if population is None:
        population = _gazetteer_population(city, iso3, c.iso2 if c else "")
    return Subject(
        city=city,
        iso3=iso3,
        field=wanted,
        region=c.region if c and c.region else "unassigned",
        subregions=groups,
        population=population,
        year=None,
        is_member=False,
    )


def _gazetteer_population(city: str, iso3: str, iso2: str) -> int | None:
    """Population of a candidate city from GeoNames (loads the gazetteer: about a second)."""
    from creativecity.network.gazetteer import match_city

    return match_city(city, iso2, iso3).population or None


def score_pair(subject: Subject, m: Member) -> tuple[float, list[str]]:
    """Similarity of member ``m`` to ``subject`` and the reasons (see the module docstring)."""
    score = 0.0
    reasons: list[str] = []
    if subject.field and m.field == subject.field:
        score += W_FIELD
        reasons.append(f"same field ({m.field})")
    shared = sorted(set(subject.subregions) & set(m.subregions))
    if shared:
        score += W_SUBREGION
        reasons.append(f"same sub-region ({', '.join(shared)})")
    if m.region == subject.region and m.region != "unassigned":
        score += W_REGION
        reasons.append(f"same UNESCO region ({m.region})")
    if subject.population and m.population:
        gap = abs(math.log10(subject.population / m.population))
        score += W_POPULATION * max(0.0, 1.0 - gap)
        if gap <= SIMILAR_POPULATION_LOG10:
            reasons.append(
                f"similar population ({fmt_population(m.population)} vs {fmt_population(subject.population)})"
            )
    if subject.year is not None:
        dy = abs(m.year - subject.year)
        score += W_YEAR * max(0.0, 1.0 - dy / 10)
        if dy == 0:
            reasons.append(f"same designation round ({m.year})")
        elif dy <= 2:
            reasons.append(f"designated close in time ({m.year} vs {subject.year})")
    return round(score, 4), reasons


def peers(
    registry: Registry,
    city: str,
    *,
    country: str | None = None,
    field: str | None = None,
    population: int | None = None,
    n: int = 10,
) -> PeerResult:
    """Rank member cities by similarity to ``city``.

    Parameters
    ----------
    registry
        The registry to search.
    city
        A member city's name (enough when unique), or a candidate city's name.
    country, field
        Needed for a candidate; for a member, they pick one of several namesakes or designations.
    population
        Overrides the gazetteer's population (e.g. a city's own census figure).
    n
        How many peers to return.
    """
    if n < 1:
        raise InputError("n must be at least 1", column="n", rule="n >= 1")
    if population is not None and population < 1:
        # the size term compares log10 populations: zero or a negative count has no logarithm
        raise InputError(
            f"population must be a positive whole number, got {population}",
            column="population",
            rule="population >= 1",
        )
    subject = _subject(registry, city, country, field, population)
    scored = []
    for m in registry.members:
        if m.key == (subject.city, subject.iso3):
            continue
        s, reasons = score_pair(subject, m)
        scored.append(
            Peer(
                city=m.city,
                country=m.country,
                iso3=m.iso3,
                field=m.field,
                year=m.year,
                region=m.region,
                population=m.population,
                score=s,
                reasons=reasons,
            )
        )
    scored.sort(key=lambda p: (-p.score, p.city, p.iso3))
    return PeerResult(subject=subject, peers=scored[:n])
