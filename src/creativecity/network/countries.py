"""Country names and codes, resolved with pycountry.

UNESCO writes country names the UN way ("Iran (Islamic Republic of)", "Republic of Korea"), ISO 3166
the encyclopaedia way ("Iran, Islamic Republic of", "Korea, Republic of"). An imported list may use
either, so a name is accepted for an ISO3 code when it matches any spelling of that code after the two
conventions are folded together. pycountry is imported here only, lazily, because importing it costs
more than loading the whole registry.
"""

from __future__ import annotations

import re
from functools import lru_cache

from creativecity.network.gazetteer import fold

# Spellings used by UNESCO that neither pycountry nor the folding rules below reach.
UN_NAMES: dict[str, tuple[str, ...]] = {
    "KOR": ("Republic of Korea",),
    "PRK": ("Democratic People's Republic of Korea",),
    "COD": ("Democratic Republic of the Congo",),
    "PSE": ("Palestine",),
    "TUR": ("Turkey", "Türkiye"),
    "LAO": ("Lao People's Democratic Republic",),
    "MDA": ("Republic of Moldova",),
    "TZA": ("United Republic of Tanzania",),
    "GBR": ("United Kingdom", "United Kingdom of Great Britain and Northern Ireland"),
    "USA": ("United States", "United States of America"),
    "CZE": ("Czech Republic", "Czechia"),
    "SWZ": ("Swaziland", "Eswatini"),
    "MKD": ("North Macedonia", "The former Yugoslav Republic of Macedonia"),
    "CIV": ("Côte d'Ivoire", "Cote d'Ivoire"),
    "VNM": ("Viet Nam", "Vietnam"),
    "RUS": ("Russian Federation", "Russia"),
    "SYR": ("Syrian Arab Republic", "Syria"),
}


def _variants(name: str) -> set[str]:
    """Folded spellings of a name: as given, "A, B" -> "B A", "A (B)" -> "B A" and "A, B"."""
    out = {fold(name)}
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if m:
        out |= {fold(f"{m.group(2)} {m.group(1)}"), fold(f"{m.group(1)}, {m.group(2)}")}
    m = re.fullmatch(r"(.+?),\s*(.+)", name)
    if m:
        out.add(fold(f"{m.group(2)} {m.group(1)}"))
    return out


@lru_cache(maxsize=1)
def _names_by_iso3() -> dict[str, set[str]]:
    import pycountry

    table: dict[str, set[str]] = {}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")}
        folded: set[str] = set()
        for n in filter(None, names):
            folded |= _variants(n)
        for n in UN_NAMES.get(c.alpha_3, ()):
            folded |= _variants(n)
        table[c.alpha_3] = folded
    return table


def is_iso3(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code known to pycountry."""
    return code in _names_by_iso3()


def name_matches(name: str, iso3: str) -> bool:
    """Whether ``name`` is a spelling of country ``iso3`` (UNESCO, ISO official or common)."""
    return bool(_variants(name) & _names_by_iso3().get(iso3, set()))


def lookup_iso3(name: str) -> str | None:
    """ISO3 code of a country name in any of the accepted spellings, or None."""
    wanted = _variants(name)
    hits = [iso3 for iso3, names in _names_by_iso3().items() if wanted & names]
    return hits[0] if len(hits) == 1 else None


def iso2_of(iso3: str) -> str:
    """ISO2 code of an ISO3 code ('' if unknown)."""
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return c.alpha_2 if c else ""
