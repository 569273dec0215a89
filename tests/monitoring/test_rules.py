"""The shape rules every entry point shares (names, ids, e-mails, years, languages)."""

from __future__ import annotations

import pytest

from creativecity.errors import InputError
from creativecity.monitoring import rules


def test_year_range_bounds_are_inclusive() -> None:
    assert rules.year_problem(1900) is None and rules.year_problem(2100) is None
    assert rules.year_problem(1899) == "year 1899 is outside 1900-2100"
    assert rules.year_problem(20224) == "year 20224 is outside 1900-2100"
    rules.check_year(None, column="--as-of")  # no year given: nothing to check
    with pytest.raises(InputError) as exc:
        rules.check_year(2101, column="--as-of")
    assert exc.value.column == "--as-of" and exc.value.rule == "year range"


def test_names_ids_and_emails() -> None:
    assert rules.valid_name("hue") and rules.valid_name("ha-noi_2")
    assert not rules.valid_name("Hue") and not rules.valid_name("-hue") and not rules.valid_name("a" * 65)
    assert rules.valid_id("obs-0042") and rules.valid_id("2019.a")
    assert not rules.valid_id("obs 42") and not rules.valid_id("../x") and not rules.valid_id("")
    assert rules.valid_email("ana@example.org")
    assert not rules.valid_email("Ana Nguyen") and not rules.valid_email("a b@example.org")
    assert not rules.valid_email("a@" + "x" * 320 + ".org")  # longer than a mail system accepts


def test_next_id_after_the_highest_in_use_and_the_fast_maker_agrees() -> None:
    used = {"obs-0001", "obs-0007", "tgt-0099", "obs-x"}
    assert rules.next_id("obs", used) == "obs-0008"
    assert rules.next_id("act", used) == "act-0001"
    maker = rules.IdMaker("obs")
    first = maker(used)
    used.add(first)
    assert (first, maker(used)) == ("obs-0008", "obs-0009")


def test_one_list_of_languages_for_workspace_texts_documents_and_web() -> None:
    from creativecity.monitoring import model
    from creativecity.reports import i18n as documents
    from creativecity.web import i18n as web

    assert model.LANGUAGES is documents.LANGS is web.LANGUAGES is rules.LANGUAGES
    assert rules.TRANSLATED_LANGUAGES == ("vi",)  # English is the source, Vietnamese its translation
