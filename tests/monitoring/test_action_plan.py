"""The action plan's one rule for a line (objective and initiative): form, workbook and folder alike."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import action_plan as plan
from creativecity.monitoring.create import new_workspace
from creativecity.monitoring.excel import canonical_sheet, export_xlsx
from creativecity.monitoring.importing import import_file
from creativecity.monitoring.model import ActionItem, Workspace
from creativecity.monitoring.storage import read_workspace, write_workspace
from creativecity.store import Actor
from creativecity.store.home import open_store
from creativecity.store.repository import SqlWorkspaceRepository


def _hue() -> Workspace:
    return new_workspace("hue", "Hue", "VNM", "crafts and folk art")


def test_a_line_needs_both_an_objective_and_an_initiative() -> None:
    assert plan.line_problems("More visitors", "A crafts festival") == []
    assert [c for c, _ in plan.line_problems("More visitors", "  ")] == ["initiative"]
    assert [c for c, _ in plan.line_problems("", "A crafts festival")] == ["objective"]
    assert [c for c, _ in plan.line_problems("", "")] == ["objective", "initiative"]


def test_form_line_reports_every_bad_field_at_once() -> None:
    ws = _hue()
    with pytest.raises(InputErrors) as err:
        plan.parse_line(ws, {"objective": "More visitors", "budget": "lots", "target_year": "1850"})
    got = {(e.column, e.rule) for e in err.value.errors}
    assert got == {("initiative", "required"), ("budget", "number"), ("target_year", "year range")}


def test_add_edit_and_remove_lines_with_translations() -> None:
    ws = _hue()
    first = plan.add_line(
        ws, {"objective": "Crafts", "initiative": "Open a centre", "objective_vi": "Thủ công"}
    )
    second = plan.add_line(ws, {"objective": "Crafts", "initiative": "Train 50 artisans", "budget": "2.5"})
    assert (first.id, second.id, second.budget) == ("act-0001", "act-0002", 2.5)
    assert ws.action_plan_translations == {"vi": {"act-0001": {"objective": "Thủ công"}}}
    plan.edit_line(ws, "act-0001", {"objective": "Crafts", "initiative": "Open two centres"})
    assert [a.initiative for a in ws.action_plan] == ["Open two centres", "Train 50 artisans"]  # order kept
    assert ws.action_plan_translations == {}  # the edit cleared the translation
    with pytest.raises(InputErrors):
        plan.edit_line(ws, "act-0002", {"objective": "Crafts"})  # the rule holds for an edit too
    assert ws.action_plan[1].initiative == "Train 50 artisans"  # and a refused edit changes nothing
    with pytest.raises(LookupError):
        plan.edit_line(ws, "act-0009", {"objective": "a", "initiative": "b"})
    plan.remove_line(ws, "act-0001")
    assert [a.id for a in ws.action_plan] == ["act-0002"]
    with pytest.raises(InputError):
        plan.remove_line(ws, "act-0001")
    assert plan.line_values(ws, ws.action_plan[0])["budget"] == "2.5"


def test_workbook_line_without_initiative_is_refused_by_the_same_rule(tmp_path: Path) -> None:
    with open_store() as store:  # the one store (the file repository is gone since the database is it)
        repo = SqlWorkspaceRepository(store.engine, actor=Actor("t@example.org"))
        repo.create(_hue())
        _refuse_line_without_initiative(repo, tmp_path)


def _refuse_line_without_initiative(repo: SqlWorkspaceRepository, tmp_path: Path) -> None:
    path = export_xlsx(repo.get("hue"), tmp_path / "hue.xlsx")
    wb = load_workbook(path)
    sheet = wb[canonical_sheet("Action plan", wb.sheetnames) or "Action plan"]
    sheet.append([None, "More visitors", None])  # id, objective, initiative (empty)
    wb.save(path)
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", path)
    (e,) = err.value.errors
    assert (e.file, e.row, e.rule) == ("hue.xlsx (sheet Action plan)", 2, "required")
    assert "initiative" in str(e.column)
    assert repo.get("hue").action_plan == []  # nothing imported


def test_folder_line_without_objective_is_refused_by_the_same_rule(tmp_path: Path) -> None:
    ws = _hue()
    ws.action_plan = [ActionItem("act-0001", "Crafts", "Open a centre")]
    folder = write_workspace(ws, tmp_path / "hue")
    rows = list(csv.DictReader((folder / "action_plan.csv").open(encoding="utf-8")))
    rows[0]["objective"] = ""
    with (folder / "action_plan.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputErrors) as err:
        read_workspace(folder)
    (e,) = err.value.errors
    assert (e.row, e.column, e.rule) == (2, "objective", "required")
    assert str(e.file).endswith("action_plan.csv")
