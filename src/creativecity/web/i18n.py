"""Vietnamese and English for the web pages, from a Babel message catalog.

The UI strings are marked in the templates with ``_()`` and translated in
``web/locale/vi/LC_MESSAGES/messages.po`` (compiled to ``.mo``). The language of a request comes from a
cookie the switch sets, else the browser's ``Accept-Language``; it is kept in a context variable so that
one shared Jinja environment serves concurrent requests in different languages.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from creativecity.monitoring.rules import LANGUAGES as LANGUAGES

DEFAULT_LANGUAGE = "en"
COOKIE = "cc_lang"
LOCALE_DIR = Path(__file__).with_name("locale")

_current: ContextVar[str] = ContextVar("creativecity_lang", default=DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English is the source language: no catalog needed)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], domain="messages")


def set_language(lang: str) -> None:
    """Make ``lang`` the language of the current request (context)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of the current request."""
    return _current.get()


def gettext(message: str) -> str:
    """Translate ``message`` into the current request's language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation."""
    return translations(_current.get()).ngettext(singular, plural, n)


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language if valid, else the first supported one the browser asks for."""
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
