"""Numbers on the pages follow the page's language."""

from __future__ import annotations

import math

import pytest

from creativecity.web import i18n
from creativecity.web.app import format_number


@pytest.mark.parametrize(
    ("lang", "value", "digits", "expected"),
    [
        ("en", 1350, 2, "1,350"),
        ("vi", 1350, 2, "1.350"),
        ("en", 1350.0, 2, "1,350"),
        ("en", 0.18571, 3, "0.186"),  # rounded to 3 decimals, trailing zeros dropped
        ("vi", 0.18571, 3, "0,186"),
        ("en", 3.7, 2, "3.7"),
        ("vi", 5.82, 2, "5,82"),
        ("en", -0.3636, 3, "-0.364"),
        ("en", 43.0, 0, "43"),
    ],
)
def test_numbers_in_each_language(lang: str, value: float, digits: int, expected: str) -> None:
    i18n.set_language(lang)
    try:
        assert format_number(value, digits) == expected
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("missing", [None, "", math.nan, math.inf])
def test_missing_numbers_are_blank(missing: object) -> None:
    assert format_number(missing) == ""


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [(1e300, "1E300"), (-1e300, "-1E300"), (1e26, "1E26"), (-0.0, "0"), (-0.001, "0"), (5e-324, "0")],
)
def test_format_number_never_raises_on_extreme_floats(lang: str, value: float, expected: str) -> None:
    # issue 13: Babel raised decimal.InvalidOperation from about 1e24-1e26 and every page answered 500
    i18n.set_language(lang)
    try:
        assert format_number(value) == expected
        assert format_number(float("nan")) == format_number(float("-inf")) == ""
    finally:
        i18n.set_language("en")
