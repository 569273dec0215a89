"""Vietnamese and English text, numbers and dates for the reports.

Every string the reports print comes from a Babel message catalog
(``reports/locale/{vi,en}/LC_MESSAGES/messages.po``). The message ids are keys such as
``"mon.exec_summary"`` rather than English sentences, so that an untranslated message can never pass
for English text: a key showing up in a report is a bug that a test catches.

The compiled ``.mo`` files are committed; when a ``.mo`` is missing or older than its ``.po`` (a fresh
clone does not keep file times), the catalog is compiled in memory from the ``.po`` with Babel's own
reader and writer, so a stale binary can never hide a corrected translation.
"""

from __future__ import annotations

import functools
import io
import math
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from creativecity.monitoring.rules import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = LANGUAGES  # the product's languages, one list (creativecity.monitoring.rules)

# Babel's CLDR pattern for Vietnamese percentages has no space ("3,7%"); Vietnamese typography (and the
# city's own documents) put a non-breaking space before the sign, so we pass explicit patterns.
_PERCENT_PATTERNS = {"vi": "#,##0.0\u00a0%", "en": "#,##0.0%"}


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


#: English names UNESCO and the UN use where CLDR's common name differs (UNESCO writes "Viet Nam").
UN_ENGLISH_NAMES: dict[str, str] = {"VNM": "Viet Nam"}


def compile_catalog(lang: str) -> bytes:
    """Compile the ``.po`` of ``lang`` to ``.mo`` bytes (used at load time and by the sync test)."""
    with _po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


@functools.cache
def translations(lang: str) -> Translations:
    """The gettext catalog of ``lang``, from the committed ``.mo`` unless it is missing or stale."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    po = _po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        data = compile_catalog(lang)
    return Translations(io.BytesIO(data), domain="messages")


def catalog_ids(lang: str) -> dict[str, str]:
    """Every message id of ``lang``'s ``.po`` with its translation (for completeness tests)."""
    with _po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id}


class Text:
    """Translation and locale formatting for one language, passed to every document builder.

    Parameters
    ----------
    lang
        ``"vi"`` or ``"en"``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)
        self._t = translations(lang)

    def __call__(self, key: str, **kwargs: object) -> str:
        """Translate ``key`` and fill ``{name}`` placeholders."""
        text = self._t.gettext(key)
        return text.format(**kwargs) if kwargs else text

    def has(self, key: str) -> bool:
        """Whether the catalog translates ``key`` (used for optional keys such as unit names)."""
        return self._t.gettext(key) != key

    def maybe(self, key: str, fallback: str) -> str:
        """Translation of ``key`` if the catalog has it, else ``fallback`` (data the user typed)."""
        text = self._t.gettext(key)
        return fallback if text == key else text

    def number(self, value: float, max_decimals: int = 2) -> str:
        """Locale number: ``1.234,5`` in Vietnamese, ``1,234.5`` in English."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        rounded = round(float(value), max_decimals)
        if rounded == int(rounded) and abs(rounded) < 1e15:
            return format_decimal(int(rounded), locale=self.locale)
        pattern = "#,##0." + "#" * max_decimals
        return format_decimal(rounded, format=pattern, locale=self.locale)

    def percent(self, value: float) -> str:
        """A value already in percent (3.7 means 3.7 %): ``3,7 %`` in Vietnamese, ``3.7%`` in English."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        pattern = _PERCENT_PATTERNS[self.lang]
        if round(value, 1) != round(value, 2):
            pattern = pattern.replace("0.0", "0.00")
        return format_percent(value / 100.0, format=pattern, locale=self.locale)

    def date(self, value: date) -> str:
        """Long date: ``ngày 30 tháng 10 năm 2019`` / ``October 30, 2019``.

        CLDR's long Vietnamese pattern gives "30 tháng 10, 2019"; Vietnamese official writing (the
        way decrees and reports date themselves) is "ngày 30 tháng 10 năm 2019", so Babel formats
        that pattern explicitly.
        """
        if self.lang == "vi":
            return format_date(value, format="'ngày' d 'tháng' M 'năm' y", locale=self.locale)
        return format_date(value, format="long", locale=self.locale)

    def change(self, value: float, unit: str) -> str:
        """A change per year in its unit: percentage points for a percentage ("0,19 điểm phần trăm")."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        if unit.strip().startswith("%"):
            return f"{self.number(value, 2)} {self('unit.pp')}"
        return self.number(value, 2)

    def country(self, iso3: str | None) -> str:
        """Country name in this language from its ISO 3166 alpha-3 code, via CLDR territory names."""
        if not iso3:
            return "–"
        import pycountry

        entry = pycountry.countries.get(alpha_3=iso3.upper())
        if entry is None:
            return iso3
        if self.lang == "en" and iso3.upper() in UN_ENGLISH_NAMES:
            return UN_ENGLISH_NAMES[iso3.upper()]
        return str(self.locale.territories.get(entry.alpha_2, entry.name))

    def field(self, name: str | None) -> str:
        """A UCCN creative field (English name in the data) in this language."""
        if not name:
            return "–"
        return self.maybe("field." + name, name)

    def join_notes(self, notes: tuple[int, ...] | list[int]) -> str:
        """``[3] and [7]`` / ``[3] và [7]`` for "computed from notes ..." sentences."""
        items = [f"[{n}]" for n in notes]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " " + self("text.and") + " " + items[-1]
