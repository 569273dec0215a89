"""The initiatives register and the activity log: the rules of a record, the folder format, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.monitoring.activities import activity_counts, parse_activity
from creativecity.monitoring.initiatives import IndicatorLink, parse_initiative
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.storage import read_workspace, write_workspace
from creativecity.store.home import open_workspace as stored

runner = CliRunner()
GOOD = {"id": "ini-0100", "name_en": "Design week", "sources": "https://example.org/a"}


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def flat(text: str) -> str:
    return "".join(text.split())


def test_flat_cells_become_typed_lists_and_back() -> None:
    cells = GOOD | {
        "level": "international",  # the plans' word: read as inter-city
        "start_year": "2024",
        "budget": "2025=2,000; 2024=1500.5",
        "currency": "million VND",
        "uccn_objectives": "3; 1; 3",
        "sdg_targets": "11.4; 11.a",
        "indicators": "creative_spaces=120@2027; museums@2030; cinemas",
        "partners": "UNESCO Office; UN-Habitat",
    }
    item, errors = parse_initiative(cells, file="f", indicators={"creative_spaces", "museums", "cinemas"})
    assert errors == [] and item is not None
    assert item.level == "inter-city" and item.period() == "2024-"
    assert item.budget == {2024: 1500.5, 2025: 2000.0} and item.total_budget() == 3500.5
    assert item.uccn_objectives == [3, 1]  # order kept, repeat dropped
    assert item.indicators == [
        IndicatorLink("creative_spaces", 120.0, 2027),
        IndicatorLink("museums", None, 2030),
        IndicatorLink("cinemas"),
    ]
    again, _ = parse_initiative(item.to_dict(), file="f", indicators=None)
    assert again == item
    assert item.to_dict()["budget"] == "2024=1500.5; 2025=2000"


@pytest.mark.parametrize(
    ("cells", "column", "rule"),
    [
        ({"id": "has space"}, "id", "id"),
        ({"name_en": ""}, "name_en", "required"),
        ({"level": "national"}, "level", "level"),
        ({"status": "done"}, "status", "status"),
        ({"start_year": "2024", "end_year": "2020"}, "end_year", "period"),
        ({"end_year": "2020"}, "start_year", "period"),
        ({"start_year": "1800"}, "start_year", "year range"),
        ({"budget": "2024=-5", "currency": "VND"}, "budget", "number range"),
        ({"budget": "2024=5"}, "currency", "required"),
        ({"budget": "2024=1; 2024=2", "currency": "VND"}, "budget", "unique"),
        ({"uccn_objectives": "7"}, "uccn_objectives", "objective"),
        ({"areas": "parties"}, "areas", "area"),
        ({"sdg_targets": "18.1"}, "sdg_targets", "SDG target"),
        ({"sdg_targets": "11"}, "sdg_targets", "SDG target"),
        ({"indicators": "unknown_code=5"}, "indicators", "unknown indicator"),
        ({"indicators": "museums=lots"}, "indicators", "number"),
        ({"sources": ""}, "sources", "source"),
        ({"colour": "red"}, "colour", "known field"),
    ],
)
def test_each_bad_field_is_named(cells: dict[str, str], column: str, rule: str) -> None:
    item, errors = parse_initiative(GOOD | cells, file="register.xlsx", row=7, indicators={"museums"})
    assert item is None
    assert [(e.column, e.rule, e.row, e.file) for e in errors] == [(column, rule, 7, "register.xlsx")]


def test_activity_dates_kinds_and_evidence() -> None:
    base = {"id": "net-9", "date": "2023-11", "kind": "conference_hosted", "title_en": "x", "evidence": "e"}
    item, errors = parse_activity(base, file="f")
    assert errors == [] and item is not None and item.year == 2023
    for cells, column in (
        ({"date": "2023-02-30"}, "date"),
        ({"date": "23-11"}, "date"),
        ({"end_date": "2022"}, "end_date"),
        ({"kind": "party"}, "kind"),
        ({"evidence": ""}, "evidence"),
        ({"title_en": ""}, "title_en"),
    ):
        item, errors = parse_activity(base | cells, file="f")
        assert item is None and [e.column for e in errors] == [column], cells
    items = [
        parse_activity(base | {"id": f"n{i}", "date": d}, file="f")[0] for i, d in enumerate(["2019", "2024"])
    ]
    counts = activity_counts([i for i in items if i], since=2020)
    assert counts["conference_hosted"] == 1 and sum(counts.values()) == 1


def test_bundled_register_has_hanois_six_commitments_with_sources() -> None:
    ws = bundled_workspace("hanoi")
    six = ws.initiatives[:6]
    assert [i.level for i in six] == ["local"] * 3 + ["inter-city"] * 3
    assert six[0].name_vi == "Kiến tạo Trung tâm Thiết kế sáng tạo Hà Nội"
    assert all(i.sources and all(s.startswith("https://") for s in i.sources) for i in ws.initiatives)
    assert ws.initiatives[4].results_en.startswith("Held on 18 November 2023")


def test_folder_format_round_trips_and_names_bad_rows(tmp_path: Path) -> None:
    ws = bundled_workspace("hanoi")
    ws.initiatives[1].budget = {2026: 12.25}
    ws.initiatives[1].currency = "billion VND"
    write_workspace(ws, tmp_path / "w")
    again = read_workspace(tmp_path / "w")
    assert again.initiatives == ws.initiatives and again.activities == ws.activities
    text = (tmp_path / "w" / "initiatives.yaml").read_text(encoding="utf-8")
    (tmp_path / "w" / "initiatives.yaml").write_text(text.replace("level: inter-city", "level: galactic", 1))
    with pytest.raises(Exception, match=r"initiatives\[4\].*level"):
        read_workspace(tmp_path / "w")


def test_cli_add_edit_show_remove_with_history() -> None:
    code, out, _ = run(
        "initiative",
        "add",
        "hanoi",
        "--name-en",
        "Design week",
        "--level",
        "inter-city",
        "--start",
        "2026",
        "--budget",
        "2026=1500",
        "--currency",
        "million VND",
        "--sdg",
        "11.4",
        "--indicator",
        "creative_spaces=120@2027",
        "--source",
        "https://example.org",
        "--json",
    )
    assert code == 0 and json.loads(out)["id"] == "ini-0010"
    assert run("initiative", "edit", "hanoi", "ini-0010", "--status", "completed", "--end", "2026")[0] == 0
    code, out, _ = run("initiative", "show", "hanoi", "ini-0010", "--json")
    shown = json.loads(out)
    assert (shown["status"], shown["end_year"], shown["budget"]) == ("completed", 2026, {"2026": 1500})
    code, out, _ = run("initiative", "list", "hanoi", "--level", "inter-city", "--json")
    assert [i["id"] for i in json.loads(out)] == ["ini-0004", "ini-0005", "ini-0006", "ini-0009", "ini-0010"]
    assert run("initiative", "remove", "hanoi", "ini-0010")[0] == 0
    # the audit trail keeps the record's creation, the changed field and its removal
    hist = [(h.entity, h.entity_id, h.field) for h in stored("hanoi").history if h.entity_id == "ini-0010"]
    assert ("initiative", "ini-0010", "status") in hist and len(hist) >= 3


def test_cli_bad_options_are_named_and_nothing_is_saved() -> None:
    before = stored("hanoi").to_dict()
    code, _, err = run(
        "initiative",
        "add",
        "hanoi",
        "--name-en",
        "X",
        "--start",
        "2024",
        "--end",
        "2020",
        "--sdg",
        "18.1",
        "--source",
        "s",
    )
    assert code == 2 and "--end" in err and "--sdg" in err
    code, _, err = run("activity", "add", "hanoi", "--date", "2024-13", "--kind", "party")
    assert code == 2 and all(o in err for o in ("--date", "--kind", "--evidence"))
    code, _, err = run("initiative", "show", "hanoi", "ini-0999")
    assert code == 2 and "ini-0999" in flat(err)
    assert stored("hanoi").to_dict() == before  # nothing written, not even history


def test_cli_activity_log() -> None:
    code, _, _ = run(
        "activity",
        "add",
        "hanoi",
        "--date",
        "2024-07",
        "--kind",
        "conference_attended",
        "--title-en",
        "UCCN Annual Conference",
        "--evidence",
        "https://example.org/p.pdf",
    )
    assert code == 0
    code, out, _ = run("activity", "list", "hanoi", "--since", "2020", "--json")
    assert [a["id"] for a in json.loads(out)] == ["net-0002", "net-0003"]
    assert run("activity", "remove", "hanoi", "net-0003")[0] == 0
    assert len(stored("hanoi").activities) == 2
