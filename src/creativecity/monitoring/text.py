"""Text and numbers as people type them: one home for cleaning text and reading typed numbers.

Why this module exists
    "Hà Nội" typed with combining accents (``a`` + U+0300) and with precomposed letters (U+00E0) look
    the same but compare different, so one city became two scopes; a zero-width space pasted from a web
    page slipped past the duplicate check. :func:`clean_text` is applied to every text field before it
    is stored or compared (validation calls it on every row).

    Vietnamese writes numbers the other way round from English: "1.350" is one thousand three hundred
    and fifty and "3,7" is three point seven. Reading "1.350" as 1.35 silently divides a count of craft
    villages by a thousand. :func:`parse_number` reads a typed number by the rules of the input's
    language and refuses to guess when the language is unknown and the text could be read both ways.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

#: Characters that are invisible and carry no meaning in a figure or a name (zero-width space,
#: non-joiner, joiner, word joiner, byte-order mark, soft hyphen).
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

#: Languages whose numbers use "." for thousands and "," for decimals (Vietnamese, French...).
COMMA_DECIMAL = frozenset({"vi", "fr", "de", "es", "it", "pt", "id"})

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_PLAIN = re.compile(r"^\d+(?:[.,]\d+)?$")


def clean_text(value: Any) -> str:
    """``value`` as NFC text without zero-width characters and surrounding white space.

    Parameters
    ----------
    value
        Anything a reader produced (``None`` gives "").

    Returns
    -------
    str
        The normalised text: two spellings of "Hà Nội" that differ only in Unicode composition give
        the same string, so they are one scope and one duplicate key.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(ZERO_WIDTH)
    return text.strip()


#: A number with an exponent ("1.5e3", "2,5E-4" in a comma-decimal language).
_SCIENTIFIC = re.compile(r"(\d+(?:[.,]\d+)?)[eE]([+-]?\d{1,4})")


class NumberError(ValueError):
    """A typed number that cannot be read without guessing; the message says why."""


def parse_number(value: Any, lang: str | None = None, *, integer: bool = False) -> float:
    """Read a number typed by a person, by the rules of ``lang``.

    Parameters
    ----------
    value
        A cell value: numbers (from a spreadsheet cell typed as a number) are taken as they are; text is
        cleaned (:func:`clean_text`), spaces and a leading "+" dropped.
    lang
        ``"vi"`` (or another comma-decimal language): "." groups thousands, "," is the decimal mark
        ("1.350" = 1350, "3,7" = 3.7). ``"en"``: "," groups thousands, "." is the decimal mark.
        ``None`` (unknown): only unambiguous text is accepted; "1.350" or "1,350" (a separator followed
        by exactly three digits) is refused, "3.7", "1350" and "1.350,5" are read.
    integer
        The value is a count: a fractional result is refused rather than rounded.

    Returns
    -------
    float
        The number.

    Raises
    ------
    NumberError
        Text that is not a number, is ambiguous in an unknown language, mixes separators in the wrong
        order for ``lang``, or is fractional where a count is expected. The message names the reading
        options so that the person can retype it.
    """
    if isinstance(value, bool):
        raise NumberError(f"{value!r} is not a number")
    number = float(value) if isinstance(value, (int, float)) else _parse_text(clean_text(value), lang)
    if math.isnan(number) or math.isinf(number):
        raise NumberError(f"{value!r} is not a finite number")
    if integer and number != int(number):
        raise NumberError(f"{value!r} is a count but has a fractional part")
    return number


def _parse_text(text: str, lang: str | None) -> float:
    raw = text
    text = _SPACES.sub("", text)
    sign = ""
    if text[:1] in "+-\u2212":
        sign = "-" if text[0] != "+" else ""
        text = text[1:]
    comma_decimal = lang in COMMA_DECIMAL if lang else None
    sci = _SCIENTIFIC.fullmatch(text)
    if sci:  # 1.5e3: an exponent leaves no thousands group to guess; the mark is the language's
        mantissa, exponent = sci.group(1), sci.group(2)
        if ("," in mantissa and comma_decimal is False) or ("." in mantissa and comma_decimal):
            raise NumberError(f"{raw!r} does not use the {lang} decimal mark")
        return float(f"{sign}{mantissa.replace(',', '.')}e{exponent}")
    if not text or not re.fullmatch(r"[\d.,]+", text):
        raise NumberError(f"{raw!r} is not a number")
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        # both marks: the last one is the decimal mark; it must agree with the language if known
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        if comma_decimal is not None and (decimal == ",") != comma_decimal:
            raise NumberError(f"{raw!r} uses {decimal!r} as decimal mark, not the {lang} convention")
        group = "." if decimal == "," else ","
        whole, _, frac = text.rpartition(decimal)
        if not _GROUPED.match(whole) and not whole.isdigit():
            raise NumberError(f"{raw!r} has misplaced thousands separators")
        return float(sign + whole.replace(group, "") + "." + frac)
    if not has_dot and not has_comma:
        return float(sign + text)
    mark = "." if has_dot else ","
    if comma_decimal is None:
        if _GROUPED.match(text):
            raise NumberError(
                f"{raw!r} is ambiguous: {mark!r} may group thousands "
                f"({text.replace(mark, '')}) or be a decimal mark ({text.replace(mark, '.', 1)}); "
                "say the language (e.g. --lang vi) or type the number without separators"
            )
        if not _PLAIN.match(text):
            raise NumberError(f"{raw!r} is not a number")
        return float(sign + text.replace(",", "."))
    decimal = "," if comma_decimal else "."
    if mark == decimal:
        if not _PLAIN.match(text):
            raise NumberError(f"{raw!r} has more than one decimal mark")
        return float(sign + text.replace(",", "."))
    if not _GROUPED.match(text):
        raise NumberError(f"{raw!r}: {mark!r} groups thousands in {lang} but is not followed by groups of 3")
    return float(sign + text.replace(mark, ""))
