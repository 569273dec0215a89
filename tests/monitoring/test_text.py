"""Numbers and text as people type them (creativecity.monitoring.text), checked by hand."""

from __future__ import annotations

import pytest

from creativecity.monitoring.text import NumberError, clean_text, parse_number


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1.350", "vi", 1350.0),  # how the Vietnamese pages write the 1,350 craft villages
        ("3,7", "vi", 3.7),
        ("1.059,5", "vi", 1059.5),
        ("300.000", "vi", 300000.0),
        ("1,350", "en", 1350.0),
        ("3.7", "en", 3.7),
        ("1,059.5", "en", 1059.5),
        ("3.7", None, 3.7),  # one digit after the mark: cannot be a thousands group
        ("3,7", None, 3.7),
        ("1350", None, 1350.0),
        ("1.059,5", None, 1059.5),  # both marks: the last one is the decimal mark
        (" −4,5 ", "vi", -4.5),
        (12, None, 12.0),  # a number cell is taken as it is
    ],
)
def test_parse_number_by_language(text: object, lang: str | None, expected: float) -> None:
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "fragment"),
    [
        ("1.350", None, "ambiguous"),  # 1350 or 1.35? never guessed
        ("1,350", None, "ambiguous"),
        ("1.059,5", "en", "decimal mark"),  # "," as decimal mark is not the English convention
        ("3.7", "vi", "groups of 3"),  # "." groups thousands in Vietnamese
        ("ten", "vi", "not a number"),
        ("1,2,3", "vi", "more than one decimal mark"),
    ],
)
def test_parse_number_refuses_to_guess(text: str, lang: str | None, fragment: str) -> None:
    with pytest.raises(NumberError, match=fragment):
        parse_number(text, lang)


def test_a_count_cannot_be_fractional() -> None:
    assert parse_number("1.350", "vi", integer=True) == 1350
    with pytest.raises(NumberError, match="fractional"):
        parse_number("13,5", "vi", integer=True)


def test_clean_text_nfc_and_zero_width() -> None:
    decomposed = "Ha\u0300 N\u00f4\u0323i"  # a + combining grave, o-circumflex + combining dot below
    precomposed = "H\u00e0 N\u1ed9i"
    assert decomposed != precomposed
    assert clean_text(decomposed) == precomposed
    assert clean_text("Hanoi\u200b ") == "Hanoi"
    assert clean_text(None) == ""


def test_numbers_with_an_exponent_follow_the_decimal_mark_of_the_language() -> None:
    # an exponent leaves no thousands group to guess: 1.5e3 = 1,500 and 2,5E-4 = 0.00025 in Vietnamese
    assert parse_number("1.5e3", "en") == 1500.0
    assert parse_number("2,5E-4", "vi") == 0.00025
    assert parse_number("-3e2", None) == -300.0
    assert parse_number("1e300", None) == 1e300  # read; whether it is plausible is the figures' rule
    with pytest.raises(NumberError, match="decimal mark"):
        parse_number("1.5e3", "vi")
    with pytest.raises(NumberError, match="finite"):
        parse_number("1e9999", None)
