"""Data words in the page's language: scopes, units, instruments, changes per year, indicator labels.

The monitoring report and the workspace hold their words as typed (``Hanoi``, ``% of GRDP``, an English
instrument name); a Vietnamese page must read Vietnamese throughout (issue 12). These filters translate
them with the same catalog and Babel formatting as the documents (:class:`creativecity.reports.i18n.Text`)
and the workspace's own names (``city_names``, ``instrument_vi``, ``name_vi``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from creativecity.monitoring.series import format_bound, workspace_level
from creativecity.web import i18n


@cache
def _text(lang: str) -> Any:
    from creativecity.reports.i18n import Text

    return Text(lang)


def _lang() -> str:
    return i18n.current_language()


def scope_name(ws: Any, scope: str) -> str:
    """The city's name or the country's name in the page's language; other scopes as typed."""
    level = workspace_level(ws, scope)
    lang = _lang()
    if level == "city":
        return str(ws.city_name(lang))
    if level == "national" and ws.country_iso3:
        return str(_text(lang).country(ws.country_iso3))
    return scope


def unit_name(unit: str) -> str:
    """A unit in the page's language ("% of GRDP" -> "% GRDP"); units typed by users stay as typed."""
    return _text(_lang()).maybe("unit." + unit.replace("%", "pct"), unit) if unit else ""


def change(value: float | None, unit: str) -> str:
    """A change per year: percentage points for a percentage ("0,19 điểm phần trăm")."""
    return "" if value is None else str(_text(_lang()).change(value, unit))


def bounded(value: float | None, bound: str = "", high: float | None = None) -> str:
    """A figure with its bound ("trên 4", "1,7–2,3")."""
    from creativecity.web.app import format_number

    if value is None:
        return ""
    high_text = format_number(high) if high is not None else ""
    return format_bound(format_number(value), bound or "", high_text, _lang())


def instrument(row: Any) -> str:
    """A target's instrument in the page's language (``instrument_vi`` in Vietnamese)."""
    vi = getattr(row, "instrument_vi", "") or ""
    return vi if _lang() == "vi" and vi else str(getattr(row, "instrument", "") or "")


def definition(method: str) -> str:
    """A series' definition in the page's language (the documents' catalog)."""
    return _text(_lang()).maybe("definition." + method, method) if method else ""


def indicator_label(ind: Any) -> str:
    """An indicator in a drop-down: its name in Vietnamese pages, "code — name" in English ones.

    Works on the domain's and the store's indicator rows (both have ``code``, ``name_en``, ``name_vi``).
    """
    lang = _lang()
    name_en = str(getattr(ind, "name_en", "") or ind.code)
    name = str(getattr(ind, "name_vi", "") or name_en) if lang == "vi" else name_en
    return name if lang == "vi" else f"{ind.code} — {name}"


def country_name(iso3: str, fallback: str) -> str:
    """A country's name in the page's language (CLDR via Babel; UNESCO's spelling in English)."""
    lang = _lang()
    return fallback if lang == "en" else str(_text(lang).country(iso3))


def member_city(member: Any) -> str:
    """A member city's name in the page's language (Sino-Vietnamese names of Chinese cities...)."""
    from creativecity.network.registry import city_name

    return city_name(member.city, member.iso3, _lang())


def register(env: Any) -> None:
    """Install the filters and globals in the pages' Jinja environment."""
    env.filters["unit"] = unit_name
    env.filters["change"] = change
    env.filters["definition"] = definition
    env.globals["scope_name"] = scope_name
    env.globals["bounded"] = bounded
    env.globals["instrument"] = instrument
    env.globals["indicator_label"] = indicator_label
    env.globals["country_name"] = country_name
    env.globals["member_city"] = member_city
