"""Command lines: exit codes, JSON shapes, and the workspace life cycle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from creativecity.cli import app

runner = CliRunner()


def said(text: str, err: str) -> bool:
    """Whether ``text`` is in ``err``, ignoring where rich wrapped the lines."""
    return "".join(text.split()) in "".join(err.split())


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def test_monitor_json_lists_every_target() -> None:
    code, out, _ = run("monitor", "hanoi", "--as-of", "2026", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["city"] == "Hanoi" and doc["as_of"] == 2026
    assert [t["target_id"] for t in doc["targets"]] == [f"tgt-{i:04d}" for i in range(1, 10)]
    assert doc["targets"][0]["required_per_year"] == pytest.approx(1.3 / 7)  # (5 - 3.7) / (2025 - 2018)
    assert [p["pillar"] for p in doc["pillars"] if p["gap"]] == ["consumption"]


def test_monitor_table_and_errors() -> None:
    code, out, _ = run("monitor", "hanoi", "--as-of", "2026", "--lang", "en")
    assert code == 0
    for text in (
        "Cultural industries: share of GRDP",  # indicator names, not codes
        "no recent data",
        "achieved",
        "GAP: no data",
        "Creative spaces",
        "The city's targets",
        "National targets (context, not counted as the city's)",
        "Viet Nam",
    ):
        assert said(text, out), text
    assert "creative_industry_share_grdp" not in out
    code, _, err = run("monitor", "nowhere")
    assert code == 2 and said("no workspace 'nowhere'", err)
    code, _, err = run("monitor", "hanoi", "--as-of", "1066")
    assert code == 2 and said("--as-of", err)


def test_monitor_json_has_levels_and_a_summary_per_level() -> None:
    code, out, _ = run("monitor", "hanoi", "--as-of", "2026", "--json")
    assert code == 0
    doc = json.loads(out)
    assert [t["level"] for t in doc["targets"]] == ["city"] * 5 + ["national"] * 4
    assert doc["summary"]["city"]["targets"] == 5 and doc["summary"]["national"]["targets"] == 4
    assert doc["summary"]["national"]["by_status"]["achieved"] == 1  # Decision 1755, not the city's


def test_monitor_in_vietnamese() -> None:
    code, out, _ = run("monitor", "hanoi", "--as-of", "2026", "--lang", "vi")
    assert code == 0
    for text in (
        "Hà Nội: tiến độ thực hiện tính đến năm 2026",
        "Chỉ tiêu của Thành phố",
        "Chỉ tiêu quốc gia",
        "Tỷ trọng các ngành công nghiệp văn hóa trong GRDP",
        "0,19 điểm phần trăm",  # (5 - 3.7) / 7 = 0.1857 percentage points a year
        "thiếu số liệu gần đây",
        "Việt Nam",
        "trên 4 (2023)",  # the ministry's "more than 4 %" shown as a bound
        "1,7–2,3 (2022)",  # 1.7 to 2.3 million workers shown as a range
    ):
        assert said(text, out), text
    code, _, err = run("monitor", "hanoi", "--lang", "fr")
    assert code == 2 and said("--lang", err)


def test_monitor_speaks_vietnamese_when_lang_is_vi_vn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    code, out, _ = run("monitor", "hanoi", "--as-of", "2026")
    assert code == 0 and said("Chỉ tiêu của Thành phố", out)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    _, out, _ = run("monitor", "hanoi", "--as-of", "2026")
    assert said("The city's targets", out)


def test_monitor_without_targets_says_so() -> None:
    code, _, _ = run(
        "workspace", "new", "hue2", "--city", "Hue", "--country", "VNM", "--field", "Crafts and Folk Art"
    )
    assert code == 0
    code, out, _ = run("monitor", "hue2")
    assert code == 0
    assert said("Targets: none recorded", out)
    assert "GAP: no data" in out  # every pillar of a new workspace is a gap


def test_workspace_life_cycle(tmp_path: Path) -> None:
    code, out, err = run(
        "workspace", "new", "hue", "--city", "Hue", "--country", "VNM", "--field", "Crafts and Folk Art"
    )
    assert code == 0, err
    code, out, _ = run("workspace", "list", "--json")
    names = {r["name"]: r["origin"] for r in json.loads(out)}
    assert names == {"hanoi": "database", "hue": "database"}  # one store: bundled hanoi loaded into it
    # fill a template and import it
    tpl = tmp_path / "t.xlsx"
    assert run("workspace", "template", "creative_city_pillars", "--out", str(tpl))[0] == 0
    wb = load_workbook(tpl)
    wb["Số liệu - Observations"].append(
        [None, "museums", "Hue", 11, "count", 2022, None, None, "https://museum.example"]
    )
    wb["Số liệu - Observations"].append(
        [None, "museums", "Hue", "eleven", "count", 2023, None, None, "https://museum.example"]
    )
    wb.save(tpl)
    code, _, err = run("workspace", "import", "hue", str(tpl))
    assert code == 2
    flat = "".join(err.split())  # rich wraps long lines at the terminal width
    assert "(sheetObservations),row3,columnD(value)" in flat
    wb = load_workbook(tpl)
    wb["Số liệu - Observations"].delete_rows(3)
    wb.save(tpl)
    code, out, _ = run("workspace", "import", "hue", str(tpl), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["observations"] == 1 and json.loads(out)["dry_run"] is True
    assert json.loads(run("workspace", "show", "hue", "--json")[1])["observations"] == []
    assert run("workspace", "import", "hue", str(tpl))[0] == 0
    show = json.loads(run("workspace", "show", "hue", "--json")[1])
    assert [o["value"] for o in show["observations"]] == [11]
    # export to a folder and to Excel, validate the folder
    assert run("workspace", "export", "hue", "--dir", str(tmp_path / "hue_dir"))[0] == 0
    code, out, _ = run("workspace", "validate", str(tmp_path / "hue_dir"))
    assert code == 0 and "valid" in out
    assert run("workspace", "export", "hue", "--out", str(tmp_path / "hue.xlsx"))[0] == 0
    assert load_workbook(tmp_path / "hue.xlsx")["Số liệu - Observations"]["D2"].value == 11
    # never overwrite a folder that is not a workspace
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("x")
    code, _, err = run("workspace", "export", "hue", "--out", str(tmp_path / "other"))
    assert code == 2 and (tmp_path / "other" / "keep.txt").exists()


def test_validate_reports_bad_folder(tmp_path: Path) -> None:
    assert run("workspace", "export", "hanoi", "--out", str(tmp_path / "h"))[0] == 0
    p = tmp_path / "h" / "targets.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",2030,", ",twenty-thirty,", 1), encoding="utf-8")
    code, _, err = run("workspace", "validate", str(tmp_path / "h"))
    flat = "".join(err.split())  # rich wraps long paths at the terminal width
    assert code == 2 and "targets.csv,row3,columntarget_year" in flat


def test_prefer_and_peers() -> None:
    code, out, _ = run("workspace", "prefer", "hanoi", "obs-0008")
    assert code == 0 and "preferred" in out
    doc = json.loads(run("monitor", "hanoi", "--json")[1])
    (c,) = doc["conflicts"]
    assert c["resolved"] is True and c["chosen_id"] == "obs-0008"
    code, out, _ = run("workspace", "peers", "hanoi")
    assert code == 0 and "per 100,000" in out and "caveat" in out


def test_framework_commands() -> None:
    code, out, _ = run("framework", "list", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)][:2] == ["creative_city_pillars", "cccm"]
    code, out, _ = run("framework", "show", "cccm")
    assert code == 0 and "no: weight" in out
    code, out, _ = run("framework", "show", "culture2030", "--city", "hanoi", "--json")
    assert code == 0 and json.loads(out)["framework"] == "culture2030"
    code, _, err = run("framework", "show", "nope")
    assert code == 2 and said("unknown framework", err)


def test_workspace_new_bad_input() -> None:
    code, _, err = run("workspace", "new", "x", "--city", "X", "--country", "Atlantis", "--field", "Design")
    assert code == 2 and said("unknown country", err)
    code, _, err = run("workspace", "new", "x", "--city", "X", "--country", "VNM", "--field", "Cooking")
    assert code == 2 and said("creative field", err)
    code, _, err = run("workspace", "new", "Bad Name", "--city", "X", "--country", "VNM", "--field", "Design")
    assert code == 2 and said("workspace name", err)
    assert [r["name"] for r in json.loads(run("workspace", "list", "--json")[1])] == [
        "hanoi"
    ]  # nothing created


def test_validate_warns_on_unknown_narrative_sections(tmp_path: Path) -> None:
    from creativecity.monitoring.model import Workspace
    from creativecity.monitoring.storage import write_workspace

    ws = Workspace(name="hue", city="Hue", country_iso3="VNM", creative_field="Crafts and Folk Art")
    ws.narratives = {("assets", "vi"): "Di sản.", ("executive_sumary", "en"): "Typo in the file name."}
    write_workspace(ws, tmp_path / "hue")
    code, out, err = run("workspace", "validate", str(tmp_path / "hue"))
    assert code == 0 and "valid" in out  # a warning, not an error
    assert said("unknown section 'executive_sumary'", err)
    assert "assets.md" not in "".join(err.split())  # an application section is known
    code, out, _ = run("workspace", "validate", str(tmp_path / "hue"), "--json")
    (warning,) = json.loads(out)["warnings"]
    assert warning.startswith("narratives/en/executive_sumary.md")
