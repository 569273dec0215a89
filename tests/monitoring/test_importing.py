"""Excel template, export and import: round trip, bad inputs named by sheet/row/column, all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.application import Attachment, Contact
from creativecity.monitoring.create import new_workspace
from creativecity.monitoring.excel import (
    INSTRUCTIONS_SHEET,
    canonical_column,
    canonical_sheet,
    export_xlsx,
    write_template,
)
from creativecity.monitoring.importing import import_file
from creativecity.monitoring.initiatives import IndicatorLink
from creativecity.monitoring.model import ActionItem, Observation
from creativecity.monitoring.repository import bundled_workspace
from creativecity.store import Actor
from creativecity.store.home import open_store
from creativecity.store.repository import SqlWorkspaceRepository


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo() -> Iterator[SqlWorkspaceRepository]:
    """The store's repository (a SQLite file in the test's home), holding hanoi and a new ``hue``."""
    with open_store() as store:
        r = SqlWorkspaceRepository(store.engine, actor=Actor("t@example.org"))
        r.create(new_workspace("hue", "Hue", "VNM", "crafts and folk art"))
        yield r


def test_template_sheets_and_dropdowns(tmp_path: Path) -> None:
    path = write_template("cccm", tmp_path / "cccm.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        INSTRUCTIONS_SHEET,
        "Số liệu - Observations",
        "Mục tiêu - Targets",
        "Chỉ tiêu - Indicators",
        "Đơn vị - Units",
        "Phân nhóm - Mapping",
        "Sáng kiến - Initiatives",
        "Hoạt động - Activities",
    ]
    ins = [c for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in row if c]
    assert any("nguồn" in str(c) for c in ins) and any("source" in str(c) for c in ins)
    assert any("Unverified parts" in str(c) for c in ins)  # CCCM's recalled parts are flagged
    codes = [r[0] for r in wb["Chỉ tiêu - Indicators"].iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 29 and "museums" in codes
    obs = wb["Số liệu - Observations"]
    header = [c.value for c in obs[1]]
    assert header[:6] == [
        "Mã dòng / id",
        "Chỉ tiêu / indicator",
        "Phạm vi / scope",
        "Giá trị / value",
        "Đơn vị / unit",
        "Năm số liệu / reference_year",
    ]
    rules = {str(dv.sqref).split(":")[0]: dv for dv in obs.data_validations.dataValidation}
    # the drop-downs point at the bilingual sheets, quoted because the names have spaces
    assert rules["B2"].type == "list" and rules["B2"].formula1.lstrip("=").startswith(
        "'Chỉ tiêu - Indicators'!"
    )
    assert rules["E2"].type == "list" and rules["E2"].formula1.lstrip("=").startswith("'Đơn vị - Units'!")
    assert rules["F2"].type == "whole" and (rules["F2"].formula1, rules["F2"].formula2) == ("1900", "2100")
    assert rules["D2"].type == "decimal"


def test_unknown_framework_template(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown framework"):
        write_template("nope", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_xlsx_out_that_is_a_folder_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "t.xlsx"
    folder.mkdir()
    hanoi = bundled_workspace("hanoi")
    for write in (lambda: write_template("cccm", folder), lambda: export_xlsx(hanoi, folder)):
        with pytest.raises(InputError) as err:
            write()
        assert (err.value.column, err.value.rule) == ("--out", "output is a file")
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_round_trip_hanoi(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    """Export Hanoi to XLSX, import it into an empty workspace: the same workspace (history aside)."""
    hanoi = bundled_workspace("hanoi")
    # give the dossier profile content (Hanoi's is still the empty checklist) so that it is compared
    hanoi.contacts[0] = Contact(
        "mayor", "Trần Sỹ Thanh", "Chủ tịch UBND", "UBND TP Hà Nội", "a@hanoi.gov.vn", ""
    )
    hanoi.contacts[2].email = "main@example.org"
    hanoi.attachments[1] = Attachment("mayor_letter", "provided", "letter.pdf", "signed 2026-03-01")
    hanoi.attachments[4] = Attachment("photos", "provided", "a.jpg; b.jpg; c.jpeg")
    hanoi.word_limits = {"assets": 800, "executive_summary": 400}
    hanoi.narratives[("assets", "vi")] = "=Không phải công thức\n\n- dòng 1\n- dòng 2\n"
    hanoi.action_plan[1].budget = 1250000.5
    hanoi.action_plan[1].currency = "VND"
    # the register with every kind of value: yearly budget, a linked target, lists, an open period
    hanoi.initiatives[0].budget = {2024: 1500.0, 2025: 2250.75}
    hanoi.initiatives[0].currency = "million VND"
    hanoi.initiatives[0].indicators[0] = IndicatorLink("cultural_industry_centres", 10.0, 2030)
    hanoi.activities[1].note = "=not a formula"
    assert len(hanoi.initiatives) == 9 and hanoi.initiatives[3].end_year is None
    assert hanoi.action_plan_translations["vi"] and hanoi.city_names
    export_xlsx(hanoi, tmp_path / "hanoi.xlsx")
    empty = new_workspace("copy", "Hanoi", "VNM", "Design")
    empty.indicators, empty.mapping, empty.units = [], [], []
    empty.framework = hanoi.framework
    repo.create(empty)
    result = import_file(repo, "copy", tmp_path / "hanoi.xlsx")
    assert (len(result.observations), len(result.targets)) == (52, 9)
    copy = repo.get("copy")
    assert copy.observations == hanoi.observations
    assert [o.source for o in copy.observations] == [o.source for o in hanoi.observations]
    assert copy.targets == hanoi.targets
    assert copy.indicators == hanoi.indicators
    assert copy.known_units() == hanoi.known_units()
    # every mapping row comes back, including the second framework's (culture2030)
    assert copy.mapping == hanoi.mapping
    assert any(m.framework == "culture2030" for m in copy.mapping)
    assert copy.action_plan == hanoi.action_plan
    assert copy.action_plan_translations == hanoi.action_plan_translations
    assert copy.narratives == hanoi.narratives
    assert copy.city_names == hanoi.city_names
    assert copy.contacts == hanoi.contacts
    assert copy.attachments == hanoi.attachments
    assert copy.word_limits == hanoi.word_limits
    assert copy.initiatives == hanoi.initiatives
    assert copy.activities == hanoi.activities
    # a workbook without the dossier sheets (a plain data template) leaves those parts alone
    plain = write_template(hanoi.framework, tmp_path / "plain.xlsx")
    _fill(plain, "Observations", [[None, *GOOD[1:2], "Hanoi", 1, "count", 2024, None, None, "https://z"]])
    import_file(repo, "copy", plain)
    again = repo.get("copy")
    assert (again.action_plan, again.narratives, again.contacts) == (
        hanoi.action_plan,
        hanoi.narratives,
        hanoi.contacts,
    )
    assert (again.attachments, again.word_limits, again.city_names) == (
        hanoi.attachments,
        hanoi.word_limits,
        hanoi.city_names,
    )


def test_bad_dossier_rows_are_named_and_nothing_is_imported(
    tmp_path: Path, repo: SqlWorkspaceRepository
) -> None:
    hue = repo.get("hue")
    hue.action_plan = [ActionItem("act-0001", "Grow crafts", "Open a craft centre", budget=10.0)]
    path = export_xlsx(hue, tmp_path / "hue.xlsx")
    _fill(path, "Action plan", [[None, "More visitors", "Festival", "about 2 billion", "VND"]])
    _fill(path, "Contacts", [["deputy", "Ms A", None, None, "not-an-email"]])
    _fill(path, "Profile", [["word_limit", "assets", "many"]])
    before = repo.get("hue").to_dict()
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", path)
    got = [(e.file, e.row, e.column, e.rule) for e in err.value.errors]
    assert got == [
        ("hue.xlsx (sheet Action plan)", 3, "D (budget)", "number"),
        ("hue.xlsx (sheet Profile)", 2, "C (value)", "number"),
        ("hue.xlsx (sheet Contacts)", 6, "A (role)", "contact role"),
        ("hue.xlsx (sheet Contacts)", 6, "E (email)", "email"),
    ]
    assert "about 2 billion" in err.value.errors[0].message
    assert repo.get("hue").to_dict() == before


def _fill(path: Path, sheet: str, rows: list[list[object]]) -> None:
    wb = load_workbook(path)
    ws = wb[canonical_sheet(sheet, wb.sheetnames) or sheet]
    for r in rows:
        ws.append(r)
    wb.save(path)


GOOD = [None, "museums", "Hue", 10, "count", 2020, None, None, "https://a.example", None, None, None]


def test_every_bad_input_is_named_and_nothing_is_imported(
    tmp_path: Path, repo: SqlWorkspaceRepository
) -> None:
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    bad = [
        GOOD,  # row 2: fine
        [None, "museums", "Hue", "about 60", "count", 2021, None, None, "https://b.example"],  # row 3
        [None, "musems", "Hue", 5, "count", 2021, None, None, "https://c.example"],  # row 4
        [None, "museums", "Hue", 5, "pieces", 2021, None, None, "https://d.example"],  # row 5
        [None, "museums", "Hue", 5, "count", 1850, None, None, "https://e.example"],  # row 6
        GOOD,  # row 7: duplicate of row 2
        [None, "museums", "Hue", 7, "count", 2022, None, None, None],  # row 8: no source
    ]
    _fill(path, "Observations", bad)
    _fill(
        path, "Targets", [[None, "museums", 20, "count", "2030s", "Hue", None, None, "https://plan.example"]]
    )
    before = repo.get("hue").to_dict()
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", path)
    got = [(e.file, e.row, e.column, e.rule) for e in err.value.errors]
    sheet = "t.xlsx (sheet Observations)"
    assert got == [
        (sheet, 3, "D (value)", "number"),
        (sheet, 4, "B (indicator)", "unknown indicator"),
        (sheet, 5, "E (unit)", "unknown unit"),
        (sheet, 6, "F (reference_year)", "year range"),
        (sheet, 7, "B (indicator)", "duplicate row"),
        (sheet, 8, "I (source)", "missing source"),
        ("t.xlsx (sheet Targets)", 2, "E (target_year)", "year"),
    ]
    assert "row 2" in err.value.errors[4].message  # names the row it duplicates
    assert repo.get("hue").to_dict() == before


def test_duplicate_of_existing_workspace_row(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    _fill(path, "Observations", [GOOD])
    import_file(repo, "hue", path)
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", path)
    (e,) = err.value.errors
    assert (e.row, e.rule) == (2, "duplicate row") and "the workspace" in e.message


def test_good_import_adds_rows_and_history(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    _fill(path, "Observations", [GOOD, [None, "museums", "Hue", 12, "count", 2022, None, None, "https://x"]])
    dry = import_file(repo, "hue", path, dry_run=True)
    assert len(dry.observations) == 2 and repo.get("hue").observations == []
    res = import_file(repo, "hue", path, user="dana")
    assert [o.id for o in res.observations] == ["obs-0001", "obs-0002"]
    ws = repo.get("hue")
    assert [o.value for o in ws.observations] == [10, 12]
    # the audit trail has one creation per row, in the name of the importing user
    assert sum(1 for h in ws.history if h.user == "dana" and h.entity == "observation") == 2


def test_header_names_bilingual_or_plain() -> None:
    assert canonical_column("Chỉ tiêu / indicator") == "indicator"
    assert canonical_column("  indicator ") == "indicator"
    assert canonical_column(None) == ""
    names = ["Hướng dẫn - Instructions", "Số liệu - Observations", "targets"]
    assert canonical_sheet("Observations", names) == "Số liệu - Observations"
    assert canonical_sheet("Targets", names) == "targets"
    assert canonical_sheet("Mapping", names) is None


def test_plain_english_workbook_still_imports(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    """A workbook with the old plain names (sheet "Observations", header "indicator") imports the same."""
    path = write_template("creative_city_pillars", tmp_path / "plain.xlsx", bilingual=False)
    wb = load_workbook(path)
    assert "Observations" in wb.sheetnames and wb["Observations"]["B1"].value == "indicator"
    _fill(path, "Observations", [GOOD])
    res = import_file(repo, "hue", path)
    assert [(o.indicator, o.value, o.reference_year) for o in res.observations] == [("museums", 10, 2020)]


def test_bilingual_export_round_trips_to_a_plain_one(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    """Mixed headers in one sheet (some bilingual, some plain) are read by their machine names."""
    path = write_template("creative_city_pillars", tmp_path / "mixed.xlsx")
    wb = load_workbook(path)
    sheet = wb["Số liệu - Observations"]
    sheet["D1"] = "value"  # a user retyped one header in plain English
    sheet.append(GOOD)
    wb.save(path)
    res = import_file(repo, "hue", path)
    assert [o.value for o in res.observations] == [10]


def test_csv_import(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    good = tmp_path / "obs.csv"
    good.write_text(
        "indicator,scope,value,unit,reference_year,source\nmuseums,Hue,10,count,2020,https://a\n"
        "theatres,Hue,3,count,,https://b\n",
        encoding="utf-8",
    )
    res = import_file(repo, "hue", good)
    assert len(res.observations) == 2 and res.observations[1].reference_year is None
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "indicator,target_value,unit,target_year,scope,source\nmuseums,x,count,2030,Hue,https://p\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", targets)
    (e,) = err.value.errors
    assert (e.file, e.row, e.column, e.rule) == ("targets.csv", 2, "target_value", "number")


def test_unreadable_files(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        import_file(repo, "hue", junk)
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell"):
        import_file(repo, "hue", odd)
    with pytest.raises(InputError, match="not found"):
        import_file(repo, "hue", tmp_path / "missing.csv")


def test_progress_callback_on_a_long_sheet(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    rows = [
        [None, "museums", "Hue", float(i), "count", 2020, None, None, f"https://s/{i}"] for i in range(600)
    ]
    _fill(path, "Observations", rows)
    calls: list[tuple[str, int, int]] = []
    res = import_file(repo, "hue", path, dry_run=True, progress=lambda s, n, t: calls.append((s, n, t)))
    assert len(res.observations) == 600
    assert calls == [("Observations", 500, 601)]  # every 500 rows; 600 data rows + header


def test_a_change_made_while_the_file_is_read_is_kept(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    """A colleague adds a figure in the web app while a long workbook is read: both end up stored."""
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    rows = [
        [None, "museums", "Hue", float(i), "count", 2020, None, None, f"https://s/{i}"] for i in range(600)
    ]
    _fill(path, "Observations", rows)
    colleague = Observation("", "museums", "Hue", 7.0, "count", 2021, source="https://web.example/7")

    def meanwhile(_sheet: str, _done: int, _total: int) -> None:
        repo.add_observation("hue", colleague, user="web@example.org")

    res = import_file(repo, "hue", path, user="dana", progress=meanwhile)
    ws = repo.get("hue")
    # the colleague's figure took obs-0001 first; the file's 600 rows follow it, none lost or doubled
    assert ws.observation("obs-0001").source == "https://web.example/7"
    assert [o.id for o in res.observations][:2] == ["obs-0002", "obs-0003"]
    assert len(ws.observations) == 601 and len({o.id for o in ws.observations}) == 601
