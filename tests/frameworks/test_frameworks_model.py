"""Frameworks as data: counts, weights, verified flags, engine trees."""

from __future__ import annotations

import pytest

from creativecity.errors import InputError
from creativecity.frameworks import list_frameworks, load_framework


def test_list() -> None:
    assert list_frameworks() == [
        "creative_city_pillars",
        "cccm",
        "culture2030",
        "vietnam_cultural_industries",
    ]
    with pytest.raises(InputError, match="unknown framework 'x'"):
        load_framework("x")


def test_cccm_structure_and_flags() -> None:
    fw = load_framework("cccm")
    assert len(fw.indicators) == 29 and len(fw.groups) == 9
    subs = [n for n in fw.nodes if n.level == 3]
    assert [(n.code, n.weight, n.verified) for n in subs] == [
        ("CV", 0.4, True),
        ("CE", 0.4, True),
        ("EE", 0.2, True),
    ]
    assert sum(n.weight for n in subs) == pytest.approx(1.0)
    # dimension names verified, weights recalled; indicators recalled as a whole
    d11 = fw.node("D1.1")
    assert d11.verified is False and d11.unverified_fields == ("weight",)
    assert fw.node("museums").unverified_fields == ("name", "parent", "weight")
    assert fw.verified is False
    # dimension weights within each sub-index add up to 1 (e.g. CE: 0.4 + 0.2 + 0.4)
    for sub in subs:
        assert sum(c.weight for c in fw.children(sub.code)) == pytest.approx(1.0)


def test_culture2030() -> None:
    fw = load_framework("culture2030")
    assert len(fw.indicators) == 22 and len(fw.groups) == 4
    kinds = [n.kind for n in fw.indicators]
    assert kinds.count("checklist") == 7 and kinds.count("statistic") == 15
    assert fw.node("c2030_07").verified is True  # cultural employment: definition verified
    assert fw.node("c2030_06").unverified_fields == ("kind",)
    assert [len(fw.children(g.code)) for g in fw.groups] == [5, 7, 5, 5]


def test_pillars_bilingual() -> None:
    fw = load_framework("creative_city_pillars")
    assert [g.code for g in fw.groups] == [
        "infrastructure",
        "industries",
        "attractiveness",
        "consumption",
        "creative_class",
    ]
    assert fw.node("consumption").name_vi == "Thói quen tiêu dùng văn hóa mới"
    assert all(g.name_en and g.name_vi for g in fw.groups)
    assert all(fw.children(g.code) for g in fw.groups)  # every pillar has suggested indicators


def test_vietnam_industries() -> None:
    fw = load_framework("vietnam_cultural_industries")
    assert len(fw.indicators) == 12
    assert sum(n.attributes["in_1755_2016"] == "yes" for n in fw.nodes) == 12
    assert sum(n.attributes["in_2486_2025"] == "yes" for n in fw.nodes) == 10
    with pytest.raises(InputError, match="classification"):
        fw.to_imeta()


def test_to_engine() -> None:
    eng = load_framework("cccm").to_engine()
    assert len(eng.indicators) == 29
    assert eng.n_levels == 4
    assert eng.parent("CV") == "C3" and eng.parent("museums") == "D1.1"
    assert eng.weights["CE"] == pytest.approx(0.4)
    pil = load_framework("creative_city_pillars").to_engine()
    assert pil.children("creative_city") == [
        "infrastructure",
        "industries",
        "attractiveness",
        "consumption",
        "creative_class",
    ]
    imeta = load_framework("culture2030").to_imeta()
    assert list(imeta.columns[:5]) == ["Level", "iCode", "iName", "Direction", "Weight"]
    assert (imeta["Type"] == "Indicator").sum() == 22


def test_cccm_reads_in_vietnamese() -> None:
    """Every node of the JRC monitor has a Vietnamese name, and `framework show cccm --lang vi` prints
    no English word of the list the Vietnamese outputs are checked against."""
    from typer.testing import CliRunner

    from creativecity.cli import app
    from creativecity.frameworks import load_framework
    from english_words import english_words

    fw = load_framework("cccm")
    assert all(n.name_vi for n in fw.nodes)
    assert fw.node("CV").name_vi == "Sức sống văn hóa"
    res = CliRunner().invoke(app, ["framework", "show", "cccm", "--lang", "vi"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert english_words(res.output) == []
