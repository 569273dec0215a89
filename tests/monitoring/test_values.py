"""The plausibility rule of stored figures (issue 13, finding 1), case by case."""

from __future__ import annotations

import math

import pytest

from creativecity.monitoring.values import figure_problem


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (0.0, "count"),
        (8_053_663.0, "persons"),  # Hanoi's population, the largest bundled figure
        (4.2e14, "VND"),  # about Hanoi's yearly budget in dong
        (-999_999_999_999_999.0, "trillion VND"),  # just inside 1e15
        (100.0, "% of GDP"),
        (-35.5, "%"),  # a fall, in percent
        (0.5, "checklist (1 yes, 0.5 partly, 0 no)"),
        (1e-6, "index"),
        (-3.2, "index"),
    ],
)
def test_plausible_values_pass(value: float, unit: str) -> None:
    assert figure_problem(value, unit) is None


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1e300, "count", "too large"),
        (1e15, "index", "too large"),
        (-1e15, "index", "too large"),
        (math.inf, "count", "not a finite"),
        (math.nan, "count", "not a finite"),
        (9e-7, "index", "too small"),
        (100.5, "% of GRDP", "0-100"),
        (-0.1, "% of respondents", "0-100"),
        (10_001.0, "%", "±10,000"),
        (1.5, "checklist (1 yes, 0.5 partly, 0 no)", "0-1"),
        (-1.0, "count", "negative"),
        (-2.0, "per 100,000 inhabitants", "negative"),
        (-0.3, "million visitors per year", "negative"),
    ],
)
def test_implausible_values_are_named(value: float, unit: str, words: str) -> None:
    problem = figure_problem(value, unit)
    assert problem is not None and words in problem


def test_budgets_are_never_negative_whatever_their_currency() -> None:
    assert figure_problem(-5.0, "million VND") is None  # a figure in money may be negative (a deficit)
    assert figure_problem(-5.0, "million VND", never_negative=True) is not None
