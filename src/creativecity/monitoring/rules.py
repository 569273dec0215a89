"""The shape rules every entry point checks the same way: names, codes, ids, e-mails, years, languages.

The command line, the web forms, the JSON API, the Excel and folder imports and the store all accept
or refuse the same values because they all call these functions; none keeps a copy of a pattern or a
range. This module imports only the shared kernel (errors), so any layer from monitoring up can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from creativecity.errors import InputError

#: Workspace names become folder names and URL parts: lower-case slugs of up to 64 characters.
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: Indicator codes are column names for the engine: identifier-like.
_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,79}$")
#: Row ids (``obs-0042``) become parts of URLs and file rows: letters, digits, '-', '_' and '.'.
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
#: An e-mail address as a person types it: something@domain.tld, no spaces. Deliverability is the
#: mail server's business; the shape catches a name typed in the e-mail column.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: The longest e-mail address a mail system accepts (RFC 5321 path limit).
EMAIL_MAX = 320

#: The years a figure, a target, a plan line or an "as of" date may name: wide enough for any series
#: a city keeps, narrow enough to catch a typo (20224) or a value typed in the year column.
YEAR_MIN = 1900
YEAR_MAX = 2100

#: Languages of the product: of the city's texts (narratives, the action plan), of the documents and
#: of the web app. Vietnamese for the team, English for submission to UNESCO.
LANGUAGES: tuple[str, ...] = ("vi", "en")
#: The language a text is first written in; the others are its translations.
SOURCE_LANGUAGE = "en"
#: Languages a text is translated into (``objective_vi`` beside ``objective``).
TRANSLATED_LANGUAGES: tuple[str, ...] = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def valid_name(name: str) -> bool:
    """Workspace names become folder names and URL parts, so they are lower-case slugs."""
    return bool(_NAME_RE.match(name))


def valid_code(code: str) -> bool:
    """Indicator codes are used as column names by the engine, so they must be identifier-like."""
    return bool(_CODE_RE.match(code))


def valid_id(value: str) -> bool:
    """Row ids (``obs-0042``, ``act-0003``) are URL parts and file keys: a safe, short token."""
    return bool(_ID_RE.match(value))


def valid_email(email: str) -> bool:
    """An address of the shape ``someone@domain.tld`` and at most :data:`EMAIL_MAX` characters."""
    return len(email) <= EMAIL_MAX and bool(_EMAIL_RE.match(email))


def year_problem(year: int) -> str | None:
    """Why ``year`` is refused (outside :data:`YEAR_MIN`-:data:`YEAR_MAX`), or None when it is fine."""
    if YEAR_MIN <= year <= YEAR_MAX:
        return None
    return f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}"


def check_year(year: int | None, column: str, file: str | None = None) -> None:
    """Raise an :class:`InputError` naming ``column`` when ``year`` is given and out of range."""
    problem = None if year is None else year_problem(year)
    if problem is not None:
        raise InputError(problem, file=file, column=column, rule="year range")


def format_id(prefix: str, number: int) -> str:
    """The id of the ``number``-th record with ``prefix`` (``obs-0042``): the one shape of our ids."""
    return f"{prefix}-{number:04d}"


def id_number(prefix: str, key: str) -> int | None:
    """The number of a sequential id of ``prefix`` (42 for ``obs-0042``), None for any other id."""
    m = re.match(rf"^{re.escape(prefix)}-(\d+)$", key)
    return int(m.group(1)) if m else None


def next_id(prefix: str, used: Iterable[str]) -> str:
    """Next free sequential id (``obs-0042``) after the highest in use: readable in diffs, stable."""
    taken = set(used)
    numbers = [n for i in taken if (n := id_number(prefix, i)) is not None]
    n = max(numbers, default=0) + 1
    while format_id(prefix, n) in taken:
        n += 1
    return format_id(prefix, n)


class IdMaker:
    """Hands out :func:`next_id` ids one after another, in O(1) per id after the first.

    An import of thousands of rows asks for thousands of ids; rescanning every id in use each time
    would make the import quadratic. Call it with the set of ids in use (which the caller grows).
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._next: int | None = None

    def __call__(self, used: set[str]) -> str:
        if self._next is None:
            self._next = int(next_id(self.prefix, used).rsplit("-", 1)[1])
        while format_id(self.prefix, self._next) in used:
            self._next += 1
        key = format_id(self.prefix, self._next)
        self._next += 1
        return key
