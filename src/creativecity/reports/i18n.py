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
from babel.numbers import format_decimal, format_percent, format_scientific
from babel.support import Translations

from creativecity.monitoring.rules import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = LANGUAGES  # the product's languages, one list (creativecity.monitoring.rules)
#: French: the submission build only (UNESCO's other working language; the catalog covers its labels).
SUBMISSION_ONLY_LANGS = ("fr",)
ALL_LANGS = (*LANGS, *SUBMISSION_ONLY_LANGS)

# Babel's CLDR pattern for Vietnamese percentages has no space ("3,7%"); Vietnamese typography (and the
# city's own documents) put a non-breaking space before the sign, so we pass explicit patterns.
_PERCENT_PATTERNS = {"vi": "#,##0.0\u00a0%", "en": "#,##0.0%", "fr": "#,##0.0\u00a0%"}


#: From this magnitude on numbers are written in scientific notation (1E300): Babel formats through a
#: 28-digit decimal context and raised ``InvalidOperation`` on 1e26, and a float has no more than 15-16
#: exact digits anyway. Validation keeps new figures below it; old stored ones must still print.
SCIENTIFIC_FROM = 1e15


def format_number(value: object, max_decimals: int, locale: Locale | str, missing: str = "") -> str:
    """A number in the locale's digits (``1.234,5`` / ``1,234.5``) that never raises, for any input.

    The one formatter of the pages and the reports: at most ``max_decimals`` decimals, no trailing
    zeros; ``missing`` for ``None``, NaN and infinities; ``-0.0`` (or a tiny negative rounded to zero)
    as ``0``; huge values in scientific notation. A page must render even a bad value stored in the
    database before validation refused such values.
    """
    if value is None or value == "" or isinstance(value, bool):
        return missing if not isinstance(value, bool) else str(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return str(value)
    if not math.isfinite(number):
        return missing
    digits = max(0, int(max_decimals))
    try:
        if abs(number) >= SCIENTIFIC_FROM:
            return format_scientific(number, format="0.###E0", locale=locale)
        rounded = round(number, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
        if rounded == 0:
            rounded = 0.0
        if rounded == int(rounded):
            return format_decimal(int(rounded), locale=locale)
        return format_decimal(rounded, format="#,##0." + "#" * digits, locale=locale)
    except Exception:  # a renderer must not fail on a number: fall back to Python's own text
        return f"{number:g}"


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
    if lang not in ALL_LANGS:
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
        return format_number(value, max_decimals, self.locale, missing="–")

    def percent(self, value: float) -> str:
        """A value already in percent (3.7 means 3.7 %): ``3,7 %`` in Vietnamese, ``3.7%`` in English."""
        if value is None or not math.isfinite(value):
            return "–"
        if abs(value) >= SCIENTIFIC_FROM:
            return format_number(value, 2, self.locale) + ("\u00a0%" if self.lang == "vi" else "%")
        pattern = _PERCENT_PATTERNS[self.lang]
        if round(value, 1) != round(value, 2):
            pattern = pattern.replace("0.0", "0.00")
        return format_percent(value / 100.0, format=pattern, locale=self.locale)

    def date(self, value: date) -> str:
        """Long date: ``ngày 30 tháng 10 năm 2019`` / ``30 October 2019`` / ``30 octobre 2019``.

        CLDR's long Vietnamese pattern gives "30 tháng 10, 2019"; Vietnamese official writing (the
        way decrees and reports date themselves) is "ngày 30 tháng 10 năm 2019", so Babel formats
        that pattern explicitly. English follows UNESCO's house style (day, month, year: British
        English, as the Word files are marked en-GB), not CLDR's American "October 30, 2019".
        """
        if self.lang == "vi":
            return format_date(value, format="'ngày' d 'tháng' M 'năm' y", locale=self.locale)
        if self.lang == "en":
            return format_date(value, format="long", locale="en_GB")
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
