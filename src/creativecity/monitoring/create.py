"""Starting a new city workspace from a framework.

A new workspace starts with its framework's indicator definitions and their mapping onto pillars or
dimensions, so that the Excel template's drop-downs are filled and the coverage report knows its pillars
from day one; the city then adds its own indicators as needed.
"""

from __future__ import annotations

import pycountry

from creativecity.errors import InputError
from creativecity.frameworks import load_framework
from creativecity.monitoring.model import DEFAULT_UNITS, IndicatorDef, MappingRow, Workspace, valid_name
from creativecity.network.registry import FIELDS

#: UNESCO Creative Cities Network fields: one list for the whole product, kept by the registry.
CREATIVE_FIELDS: tuple[str, ...] = FIELDS


def country_iso3(text: str) -> str:
    """ISO 3166 alpha-3 code from a code (``VNM``, ``VN``) or an English name (``Viet Nam``)."""
    t = text.strip()
    country = None
    if len(t) == 3:
        country = pycountry.countries.get(alpha_3=t.upper())
    elif len(t) == 2:
        country = pycountry.countries.get(alpha_2=t.upper())
    if country is None:
        try:
            country = pycountry.countries.lookup(t)
        except LookupError:
            country = None
    if country is None:
        raise InputError(
            f"unknown country {text!r} (use an ISO code such as VNM)", column="country", rule="country"
        )
    return str(country.alpha_3)


def creative_field(text: str) -> str:
    """The canonical spelling of a UCCN field, case-insensitively."""
    for f in CREATIVE_FIELDS:
        if f.lower() == text.strip().lower():
            return f
    raise InputError(
        f"unknown creative field {text!r} (one of: {', '.join(CREATIVE_FIELDS)})",
        column="field",
        rule="field",
    )


def new_workspace(
    name: str,
    city: str,
    country: str,
    field: str,
    framework: str = "creative_city_pillars",
    designation_year: int | None = None,
) -> Workspace:
    """A new workspace with ``framework``'s indicators and mapping (not yet stored)."""
    if not valid_name(name):
        raise InputError(
            f"{name!r} is not a valid workspace name (lower-case letters, digits, - and _)",
            column="name",
            rule="workspace name",
        )
    if not city.strip():
        raise InputError("a city name is required", column="city", rule="required")
    fw = load_framework(framework)
    if fw.kind == "classification":
        raise InputError(
            f"{framework} is a classification, not a monitoring framework",
            column="framework",
            rule="framework",
        )
    indicators = [
        IndicatorDef(code=n.code, name_en=n.name_en, name_vi=n.name_vi, unit=n.unit) for n in fw.indicators
    ]
    mapping = [MappingRow(n.code, fw.name, n.parent) for n in fw.indicators if n.parent]
    units = list(dict.fromkeys([*DEFAULT_UNITS, *(i.unit for i in indicators if i.unit)]))
    return Workspace(
        name=name,
        city=city.strip(),
        country_iso3=country_iso3(country),
        creative_field=creative_field(field),
        designation_year=designation_year,
        framework=fw.name,
        indicators=indicators,
        mapping=mapping,
        units=units,
    )
