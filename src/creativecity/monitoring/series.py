"""What a figure is about and how far it can be trusted: level, bounds and series breaks.

Three rules live here, each once:

Level (:func:`level_of`)
    A figure or target is about the ``city`` (its scope is one of the city's names), the ``national``
    context (its scope names the workspace's country: "Viet Nam", "Vietnam", "Việt Nam") or a
    ``district`` (any other scope: a place inside the city such as a district or ward). Summaries count
    the city's own targets; national ones are context, so that a report never credits the city with a
    national achievement (four of Hanoi's nine bundled targets are national).
Bounds (:data:`BOUNDS`, :func:`certain_sides`)
    The press writes "more than 4 %" and "1.7 to 2.3 million workers". ``bound`` records what the
    number is: "" an exact figure; ``lower`` ("more than" / "at least": ``value`` is the floor);
    ``upper`` ("less than" / "at most": ``value`` is the ceiling); ``range`` (``value`` to
    ``value_high``). A status uses only the side that is certain: "more than 4" proves a target of 4
    is met, but cannot prove that a target of 7 is missed.
Breaks (:class:`SeriesBreak`)
    Years in which a series broke (COVID-19 in 2020-2021). A projection never runs through a marked
    break: it uses only the figures after the last break, and needs at least
    :data:`MIN_PROJECTION_POINTS` of them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from creativecity.monitoring.text import clean_text

#: Kinds of bound a figure or target can be ("" = an exact figure).
BOUNDS: tuple[str, ...] = ("", "lower", "upper", "range")

#: Levels a scope can have, in the order reports show them.
LEVELS: tuple[str, ...] = ("city", "district", "national")

#: A projection needs at least this many figures after the last break of its series.
MIN_PROJECTION_POINTS = 3


def _fold(text: str) -> str:
    from creativecity.network.gazetteer import fold

    return fold(clean_text(text))


def city_scopes(city: str, city_names: dict[str, str]) -> set[str]:
    """Folded spellings under which the city is its own scope ("Hanoi", "Hà Nội", "Ha Noi")."""
    names = {city, *city_names.values()}
    folded = {_fold(n) for n in names if n}
    return folded | {f.replace(" ", "") for f in folded}


def level_of(scope: str, city: str, country_iso3: str, city_names: dict[str, str] | None = None) -> str:
    """``city``, ``national`` or ``district`` for a scope (module docs: the one level rule).

    Parameters
    ----------
    scope
        The scope as typed ("Hanoi", "Hà Nội", "Viet Nam", "Hoàn Kiếm").
    city, country_iso3, city_names
        The workspace's city, country and the city's names per language.
    """
    folded = _fold(scope)
    if folded in city_scopes(city, city_names or {}) or folded.replace(" ", "") in city_scopes(
        city, city_names or {}
    ):
        return "city"
    if country_iso3 and _is_country(scope, country_iso3):
        return "national"
    return "district"


def _is_country(scope: str, iso3: str) -> bool:
    from creativecity.network.countries import name_matches

    text = clean_text(scope)
    return name_matches(text, iso3) or name_matches(_fold(text), iso3)


def workspace_level(ws: Any, scope: str) -> str:
    """:func:`level_of` with the workspace's city, country and city names."""
    return level_of(scope, ws.city, ws.country_iso3, getattr(ws, "city_names", {}) or {})


def canonical_scope(ws: Any, scope: str) -> str:
    """The scope a series is keyed on: the city's own spellings become ``ws.city``.

    "Hà Nội" and "Hanoi" are the same place; without this they would be two series and a target set
    for one would not see the figures typed for the other.
    """
    if workspace_level(ws, scope) == "city":
        return str(ws.city)
    return clean_text(scope)


def certain_sides(value: float, bound: str, value_high: float | None) -> tuple[float | None, float | None]:
    """The lowest and highest value a figure certainly lies between (``None`` = open side).

    Examples
    --------
    >>> certain_sides(4.0, "lower", None)
    (4.0, None)
    >>> certain_sides(1.7, "range", 2.3)
    (1.7, 2.3)
    >>> certain_sides(5.82, "", None)
    (5.82, 5.82)
    """
    if bound == "lower":
        return value, None
    if bound == "upper":
        return None, value
    if bound == "range":
        return value, value_high
    return value, value


def meets(value: float, bound: str, value_high: float | None, target: float, direction: float) -> bool | None:
    """Whether a figure certainly meets a target (``True``), certainly falls short (``False``) or
    cannot tell (``None``), using only the certain side of a bound.

    ``direction`` is +1 when more is better, -1 when less is better.
    """
    low, high = certain_sides(value, bound, value_high)
    best, worst = (high, low) if direction > 0 else (low, high)
    if worst is not None and direction * (worst - target) >= 0:
        return True
    if best is not None and direction * (best - target) < 0:
        return False
    return None


def format_bound(text_low: str, bound: str, text_high: str = "", lang: str = "en") -> str:
    """A bound in words: "more than 4", "trên 4", "1.7–2.3"; ``text_*`` are already formatted numbers."""
    if bound == "lower":
        return f"trên {text_low}" if lang == "vi" else f"more than {text_low}"
    if bound == "upper":
        return f"dưới {text_low}" if lang == "vi" else f"less than {text_low}"
    if bound == "range" and text_high:
        return f"{text_low}–{text_high}"
    return text_low


@dataclass(frozen=True)
class SeriesBreak:
    """Years in which a series broke (a pandemic, a change of definition or boundary).

    ``indicator`` and ``scope`` empty mean every indicator / every scope. ``from_year`` to ``to_year``
    (inclusive) are the years of the break; a projection uses only figures after ``to_year``.
    """

    from_year: int
    to_year: int
    note: str = ""
    indicator: str = ""
    scope: str = ""

    def applies(self, indicator: str, scope: str) -> bool:
        """Whether the break concerns a series of ``indicator`` in ``scope``."""
        return (not self.indicator or self.indicator == indicator) and (
            not self.scope or clean_text(self.scope) == clean_text(scope)
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping (``workspace.yaml``, the SQL store's JSON column)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeriesBreak:
        """Build from a mapping; ``to_year`` defaults to ``from_year`` (a one-year break)."""
        start = int(data["from_year"])
        end = int(data.get("to_year") or start)
        if end < start:
            raise ValueError(f"break ends ({end}) before it starts ({start})")
        return cls(
            from_year=start,
            to_year=end,
            note=clean_text(data.get("note")),
            indicator=clean_text(data.get("indicator")),
            scope=clean_text(data.get("scope")),
        )


def last_break_end(breaks: list[SeriesBreak], indicator: str, scope: str, before: float) -> int | None:
    """The end year of the latest break of a series that ends before ``before`` (a latest figure's year)."""
    ends = [b.to_year for b in breaks if b.applies(indicator, scope) and b.from_year <= before]
    return max(ends) if ends else None
