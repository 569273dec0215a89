"""The "What it would take" section: a goal-seeking plan (plan.json) shown in a report, cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.index.goal import GoalResult, Odds, PlanStep
from creativecity.monitoring import monitor
from creativecity.reports.build import build_document
from creativecity.reports.model import Notice, Paragraph, SourceList, Table

from .conftest import tiny_workspace

# A plan written by hand: VNM from rank 36 to 20 of 51 by two changes. Spread units by hand:
# CO2 1.8 -> 0.6 over a spread of 12: -1.2 / 12 = -0.1; FDI 25 -> 66.5 over 83: 41.5 / 83 = 0.5.
PLAN = GoalResult(
    unit="VNM", unit_name="Vietnam", level="Index", target_kind="rank", target=20.0,
    start_rank=36, start_score=43.2, reached_rank=20, reached_score=55.7, reached=True,
    reachable=True, best_rank=1, best_score=89.4, units_ranked=51, norm=0.6,
    solver="sequential linear programming", exact=False, iterations=3, rebuilds=100, seconds=1.0,
    steps=(
        PlanStep("FDI", "Foreign direct investment", 25.0, 66.5, 83.0),
        PlanStep("CO2", "CO2", 1.8, 0.6, 12.0),
    ),
    odds=Odds(200, 1, "a.yaml", 20, 0.31, 0.0, (14.0, 26.0, 35.0), (35.0, 36.0, 38.0)),
)  # fmt: skip


def _doc(plan_path: Path, lang: str = "en") -> object:
    ws = tiny_workspace()
    return build_document(ws, "monitoring", lang, monitoring=monitor(ws, 2021).to_dict(), goal_plan=plan_path)


def test_section_shows_the_plan_with_its_odds(tmp_path: Path) -> None:
    PLAN.write(tmp_path / "goal", chart=False)
    doc = _doc(tmp_path / "goal")
    sec = next(s for _, s in doc.iter_sections() if s.id == "what_it_would_take")
    table = next(b for b in sec.blocks if isinstance(b, Table))
    assert [r[0].text for r in table.rows] == ["FDI – Foreign direct investment", "CO2 – CO2"]
    assert [r[4].text for r in table.rows] == ["0.5", "-0.1"]
    assert [r[2].text for r in table.rows] == ["66.5", "0.6"]
    text = " ".join(b.text for b in sec.blocks if isinstance(b, Paragraph))
    assert "Vietnam ranks 36 of 51 on Index" in text and "gives rank 20" in text
    assert "31.0%" in text and "between 14 and 35" in text
    notes = next(b for _, s in doc.iter_sections() for b in s.blocks if isinstance(b, SourceList)).notes
    cited = {n.number: n.text for n in notes}
    assert "creativecity index goal (plan.json)" in cited[table.rows[0][1].notes[0]]


def test_vietnamese_numbers_and_unreachable_notice(tmp_path: Path) -> None:
    import dataclasses

    dataclasses.replace(PLAN, reachable=False, reached=False, best_rank=22).write(tmp_path / "g", chart=False)
    doc = _doc(tmp_path / "g" / "plan.json", "vi")
    sec = next(s for _, s in doc.iter_sections() if s.id == "what_it_would_take")
    assert sec.heading == "Những thay đổi cần thiết để đạt mục tiêu"
    table = next(b for b in sec.blocks if isinstance(b, Table))
    assert table.rows[0][2].text == "66,5"
    notice = next(b for b in sec.blocks if isinstance(b, Notice))
    assert "22" in notice.text and notice.level == "warning"


def test_bad_plan_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        _doc(tmp_path / "missing.json")
    assert e.value.rule == "file exists"
    bad = tmp_path / "plan.json"
    bad.write_text('{"unit": "VNM"}', encoding="utf-8")
    with pytest.raises(InputError) as e:
        _doc(bad)
    assert e.value.file == str(bad) and e.value.column == "plan"  # the first field read


def test_no_plan_no_section() -> None:
    ws = tiny_workspace()
    doc = build_document(ws, "monitoring", "en", monitoring=monitor(ws, 2021).to_dict())
    assert all(s.id != "what_it_would_take" for _, s in doc.iter_sections())
    assert isinstance(PLAN, GoalResult)


def test_dossier_command_takes_a_goal_plan(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from creativecity.cli import app

    PLAN.write(tmp_path / "goal", chart=False)
    out = tmp_path / "r.html"
    args = ["dossier", "hanoi", "--kind", "monitoring", "--lang", "en", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--goal-plan", str(tmp_path / "goal" / "plan.json")])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "What it would take" in html and "Foreign direct investment" in html and "66.5" in html
    bad = CliRunner().invoke(app, [*args, "--goal-plan", str(tmp_path / "nope.json")])
    assert bad.exit_code == 2 and "plan file not found" in bad.output
