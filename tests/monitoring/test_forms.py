"""UNESCO's forms as data: loaded, validated, the limit rule, the edition a city picks, `form show`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.errors import InputError
from creativecity.monitoring.forms import (
    check_editions,
    check_override,
    form_for,
    list_editions,
    load_form,
    parse_form,
    word_limit,
)
from creativecity.monitoring.repository import bundled_workspace

RAW = yaml.safe_load(
    (Path(__file__).parents[2] / "src/creativecity/data/forms/application-2021.yaml").read_text(
        encoding="utf-8"
    )
)


def test_the_application_form_follows_uccn_documents() -> None:
    form = load_form("application")
    assert form.edition == "2021" and list_editions("application") == ("2021",)
    top = [(s.number, s.id) for s in form.sections if not s.parent]
    assert top[:4] == [("1", "name"), ("2", "country"), ("3", "contacts"), ("4", "field")]
    assert [s.number for s in form.sections if s.parent == "contacts"] == ["3.1", "3.2", "3.3", "3.4"]
    # sections 1-4 were read on a mirror of the form; everything after is reconstructed
    assert all(s.status == "mirror" for s in form.sections[:8])
    assert all(s.status.startswith("unverified") for s in form.sections[8:])
    assert all(s.limit_kind == "unknown" for s in form.text_sections())  # no limit invented
    assert form.section("management_budget").number == "10"  # point 10 of the 2019 numbering
    assert form.rule("max_urls") == 4 and form.rule("max_package_mb") == 20 and form.rule("max_photo_mb") == 3
    assert form.languages.value == ["en", "fr"] and form.languages.status == "verified"
    assert form.section("contact_main").title("fr") == "3.3 Contact exécutif principal"


def test_the_mmr_form_and_its_vietnamese_title() -> None:
    form = load_form("monitoring")  # the reports' name for the MMR
    assert form.kind == "mmr" and [s.number for s in form.sections] == ["1", "2", "3", "4", "5", "6"]
    assert form.title["vi"] == "Báo cáo giám sát tư cách thành viên"
    assert form.extra["period_years"].value == 4


def test_which_limit_applies() -> None:
    form = load_form("application")
    assert word_limit(form, "assets") is None  # unknown and not set
    assert word_limit(form, "assets", {"assets": 800}) == 800  # the city's figure for an unknown limit
    assert word_limit(form, "name", {"name": 5}) is None  # the form sets none: a setting cannot add one
    raw = copy.deepcopy(RAW)
    raw["sections"][8]["word_limit"] = 500  # a form that states a limit
    stated = parse_form(raw, "test.yaml")
    assert word_limit(stated, "general_description", {"general_description": 900}) == 500
    with pytest.raises(InputError, match="sets 500 words for general_description"):
        check_override(stated, "general_description", 900)
    with pytest.raises(InputError, match="no section 'nosuch'"):
        form.section("nosuch")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["sections"][0].pop("heading"), "section lacks 'heading'"),
        (lambda r: r["sections"][0]["heading"].pop("fr"), "heading must be given in en, fr, vi"),
        (
            lambda r: r["sections"][5].update(word_limit="many"),
            "word_limit must be a number, none or unknown",
        ),
        (lambda r: r["sections"][5].update(word_limit=0), "word_limit must be"),
        (lambda r: r["sections"][0].update(fills=["horoscope"]), "unknown fills"),
        (lambda r: r["sections"][1].update(id="name"), "given twice"),
        (lambda r: r["sections"][3].update(parent="later"), "not an earlier section"),
        (lambda r: r["attachments"]["items"].append({"kind": "cake"}), "unknown attachment"),
        (lambda r: r.update(kind="novel"), "kind must be one of"),
    ],
)
def test_bad_form_data_is_refused_naming_the_place(change: object, message: str) -> None:
    raw = copy.deepcopy(RAW)
    change(raw)  # type: ignore[operator]
    with pytest.raises(InputError, match=message) as exc:
        parse_form(raw, "application-2099.yaml")
    assert "application-2099.yaml" in str(exc.value)


def test_a_city_picks_its_edition() -> None:
    ws = bundled_workspace("hanoi")
    assert form_for(ws, "application").edition == "2021"
    editions, errors = check_editions({"application": "2021", "mmr": "1999", "novel": "1"}, "workspace.yaml")
    assert editions == {"application": "2021"}
    assert [e.column for e in errors] == ["form_editions.mmr", "form_editions.novel"]
    runner = CliRunner()
    assert runner.invoke(app, ["workspace", "form-edition", "hanoi", "mmr", "2021"]).exit_code == 0
    assert runner.invoke(app, ["workspace", "form-edition", "hanoi", "mmr", "1999"]).exit_code == 2


def test_form_show() -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["form", "show", "application", "--lang", "vi", "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert (
        data["sections"][0]["heading"]["vi"] == "Tên thành phố"
        and data["sections"][9]["word_limit"] == "unknown"
    )
    assert data["rules"]["max_urls"]["status"].startswith("mirror")
    assert runner.invoke(app, ["form", "show", "application", "--edition", "2019"]).exit_code == 2
    assert runner.invoke(app, ["form", "show", "application", "--lang", "de"]).exit_code == 2
