"""Imports read numbers as people type them, normalise text, and update rows they know by id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from creativecity.errors import InputErrors
from creativecity.monitoring.create import new_workspace
from creativecity.monitoring.excel import canonical_column, canonical_sheet, export_xlsx, write_template
from creativecity.monitoring.importing import import_file
from creativecity.store import Actor
from creativecity.store.home import open_store
from creativecity.store.repository import SqlWorkspaceRepository


@pytest.fixture
def repo() -> Iterator[SqlWorkspaceRepository]:
    """The store's repository (a SQLite file in the test's home), holding hanoi and a new ``hue``."""
    with open_store() as store:
        r = SqlWorkspaceRepository(store.engine, actor=Actor("t@example.org"))
        r.create(new_workspace("hue", "Hue", "VNM", "crafts and folk art"))
        yield r


def _fill(path: Path, sheet: str, rows: list[list[object]]) -> None:
    wb = load_workbook(path)
    ws = wb[canonical_sheet(sheet, wb.sheetnames) or sheet]
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_workbook_text_1_350_is_one_thousand_three_hundred_fifty(
    tmp_path: Path, repo: SqlWorkspaceRepository
) -> None:
    path = write_template("creative_city_pillars", tmp_path / "t.xlsx")
    _fill(
        path,
        "Observations",
        [
            [None, "museums", "Hue", "1.350", "count", 2021, None, None, "https://a.example"],
            [None, "museums", "Hue", "3,5", "% of GDP", 2022, None, None, "https://b.example"],
        ],
    )
    res = import_file(repo, "hue", path)
    assert [o.value for o in res.observations] == [1350.0, 3.5]  # the workbook is Vietnamese input
    assert res.lang == "vi"


def test_english_csv_with_1_350_is_an_error_naming_row_and_column(
    tmp_path: Path, repo: SqlWorkspaceRepository
) -> None:
    csv = tmp_path / "obs.csv"
    csv.write_text(
        "indicator,scope,value,unit,reference_year,source\nmuseums,Hue,1.350,count,2021,https://a\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", csv)
    (e,) = err.value.errors
    assert (e.file, e.row, e.column, e.rule) == ("obs.csv", 2, "value", "number")
    assert "ambiguous" in e.message and "1350" in e.message and "1.35" in e.message
    assert repo.get("hue").observations == []
    # the same file, said to be Vietnamese, reads 1350; a Vietnamese header says so by itself
    assert [o.value for o in import_file(repo, "hue", csv, lang="vi", dry_run=True).observations] == [1350]
    vi = tmp_path / "vi.csv"
    vi.write_text(
        "Chỉ tiêu / indicator,Phạm vi / scope,Giá trị / value,Đơn vị / unit,Năm / reference_year,"
        'Nguồn / source\nmuseums,Huế,"1.350",count,2021,https://a\n',
        encoding="utf-8",
    )
    assert [o.value for o in import_file(repo, "hue", vi, dry_run=True).observations] == [1350]


def test_fractional_count_is_an_error(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    csv = tmp_path / "obs.csv"
    csv.write_text(
        "indicator,scope,value,unit,reference_year,source\nmuseums,Hue,12.5,count,2021,https://a\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors, match="fractional"):
        import_file(repo, "hue", csv)


def test_nfc_and_zero_width_are_one_row(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    csv = tmp_path / "obs.csv"
    decomposed = "Hue\u0302\u0301"  # "Huế" typed with combining marks
    csv.write_text(
        "indicator,scope,value,unit,reference_year,source\n"
        "museums,Hu\u1ebf,10,count,2021,https://a\n"
        f"museums,{decomposed},10,count,2021,https://a\u200b\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hue", csv)
    (e,) = err.value.errors
    assert (e.row, e.rule) == (3, "duplicate row")


def test_reimporting_an_edited_export_updates_known_rows(
    tmp_path: Path, repo: SqlWorkspaceRepository
) -> None:
    hanoi = repo.get("hanoi")
    path = export_xlsx(hanoi, tmp_path / "hanoi.xlsx")
    wb = load_workbook(path)
    sheet = wb[canonical_sheet("Observations", wb.sheetnames) or "Observations"]
    header = [canonical_column(c.value) for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    for row in sheet.iter_rows(min_row=2):
        if row[col["id"]].value == "obs-0003":  # craft villages, 1350 in 2021
            row[col["value"]].value = "1.360"
    sheet.append([None, "museums", "Hanoi", 45, "count", 2024, None, None, "https://new.example"])
    wb.save(path)
    dry = import_file(repo, "hanoi", path, dry_run=True)
    assert dry.changes == [
        {"entity": "observation", "id": "obs-0003", "field": "value", "old": "1350", "new": "1360"}
    ]
    assert [o.id for o in dry.updated_observations] == ["obs-0003"]
    assert [o.id for o in dry.observations] == ["obs-0053"]  # 52 rows before, the new one gets 53
    assert repo.get("hanoi").observation("obs-0003").value == 1350  # a dry run changes nothing
    import_file(repo, "hanoi", path, user="lan")
    ws = repo.get("hanoi")
    assert ws.observation("obs-0003").value == 1360 and len(ws.observations) == 53
    changed = [h for h in ws.history if h.entity_id == "obs-0003" and h.user == "lan"]
    assert changed and any("1360" in h.new for h in changed), [vars(h) for h in changed]


def test_reimport_is_all_or_nothing(tmp_path: Path, repo: SqlWorkspaceRepository) -> None:
    path = export_xlsx(repo.get("hanoi"), tmp_path / "hanoi.xlsx")
    wb = load_workbook(path)
    sheet = wb[canonical_sheet("Observations", wb.sheetnames) or "Observations"]
    header = [canonical_column(c.value) for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    rows[2][col["value"]].value = "1.360"  # a good change
    rows[3][col["value"]].value = "nhiều"  # a bad one
    wb.save(path)
    with pytest.raises(InputErrors) as err:
        import_file(repo, "hanoi", path)
    (e,) = err.value.errors
    assert e.row == 5 and "value" in str(e.column)
    assert repo.get("hanoi").observation("obs-0003").value == 1350


def test_template_help_tells_the_vietnamese_number_convention(tmp_path: Path) -> None:
    wb = load_workbook(write_template("creative_city_pillars", tmp_path / "t.xlsx"))
    texts = [str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any("1.350" in t and "3,7" in t for t in texts)
