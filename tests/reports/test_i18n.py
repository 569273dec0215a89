"""Catalogs, locale numbers and names."""

from __future__ import annotations

import io
import re
from datetime import date

from babel.support import Translations

from creativecity.reports.i18n import LANGS, LOCALE_DIR, Text, catalog_ids, compile_catalog


def test_percent_vietnamese_has_comma_and_space() -> None:
    # 3.7 (a value in percent) -> "3,7 %" with a non-breaking space in Vietnamese, "3.7%" in English
    assert Text("vi").percent(3.7) == "3,7\u00a0%"
    assert Text("en").percent(3.7) == "3.7%"
    # two decimals kept when they matter: 5.82 -> "5,82 %"
    assert Text("vi").percent(5.82) == "5,82\u00a0%"


def test_numbers_by_locale() -> None:
    assert Text("vi").number(8053663) == "8.053.663"
    assert Text("en").number(8053663) == "8,053,663"
    assert Text("vi").number(1.5) == "1,5"
    assert Text("en").number(1200.5) == "1,200.5"


def test_dates_and_countries() -> None:
    assert Text("vi").date(date(2019, 10, 30)) == "ngày 30 tháng 10 năm 2019"  # as decrees write it
    assert Text("en").date(date(2019, 10, 30)) == "30 October 2019"  # UNESCO's day-month-year
    assert Text("vi").country("VNM") == "Việt Nam"
    assert Text("en").country("VNM") == "Viet Nam"  # UNESCO's spelling
    assert Text("vi").field("Design") == "Thiết kế"


def test_join_notes() -> None:
    assert Text("en").join_notes((3, 7)) == "[3] and [7]"
    assert Text("vi").join_notes((1, 2, 5)) == "[1], [2] và [5]"
    assert Text("vi").join_notes((4,)) == "[4]"


def test_catalogs_have_the_same_keys_and_every_translation() -> None:
    en, vi = catalog_ids("en"), catalog_ids("vi")
    assert set(en) == set(vi)
    assert len(en) > 150
    for key in en:
        assert en[key].strip(), f"empty English text for {key}"
        assert vi[key].strip(), f"empty Vietnamese text for {key}"
        # placeholders must match, or .format() would fail in one language only
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", vi[key])), key


def test_committed_mo_matches_po() -> None:
    for lang in LANGS:
        committed = Translations(io.BytesIO((LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo").read_bytes()))
        fresh = Translations(io.BytesIO(compile_catalog(lang)))
        for key in catalog_ids(lang):
            assert committed.gettext(key) == fresh.gettext(key), f"{lang}: stale .mo for {key}"


def test_unknown_key_falls_back_visibly() -> None:
    t = Text("vi")
    assert t.maybe("unit.furlongs", "furlongs") == "furlongs"
    assert t.maybe("unit.count", "count") == "số lượng"
    assert not t.has("no.such.key")


def test_catalogs_pass_babels_checks() -> None:
    # the checks `pybabel compile` runs (placeholder compatibility of python-format messages)
    from babel.messages.pofile import read_po

    for lang in LANGS:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
        assert problems == [], problems
