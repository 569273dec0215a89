"""The Vietnamese catalog covers every UI string, and the compiled ``.mo`` matches the ``.po``."""

from __future__ import annotations

from babel.messages.mofile import read_mo

from creativecity.web import catalog, i18n


def test_every_ui_string_has_a_vietnamese_translation() -> None:
    translated = {m.id: m.string for m in catalog.read_catalog("vi") if m.id}
    missing = [m for m in catalog.extract() if not translated.get(m)]
    assert missing == [], f"run `python -m creativecity.web.catalog` and translate: {missing}"


def test_compiled_catalog_is_up_to_date() -> None:
    with (catalog.po_path("vi").with_suffix(".mo")).open("rb") as fh:
        shipped = {m.id: m.string for m in read_mo(fh) if m.id}
    source = {m.id: m.string for m in catalog.read_catalog("vi") if m.id}
    assert shipped == source


def test_pick_language_prefers_cookie_then_browser_then_english() -> None:
    assert i18n.pick_language("vi", "en-GB") == "vi"
    assert i18n.pick_language(None, "fr-FR,vi;q=0.8") == "vi"
    assert i18n.pick_language("xx", "de-DE") == "en"
    assert i18n.pick_language(None, None) == "en"


def test_gettext_follows_the_request_language() -> None:
    i18n.set_language("vi")
    assert i18n.gettext("Sign in") == "Đăng nhập"
    i18n.set_language("en")
    assert i18n.gettext("Sign in") == "Sign in"
    i18n.set_language("klingon")
    assert i18n.current_language() == "en"
