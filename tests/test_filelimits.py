"""Issue 13, finding 4: hostile workbooks held the server for minutes and gigabytes. The kernel's
limits refuse them from the zip directory and a raw scan, in well under two seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from creativecity.errors import InputError
from creativecity.filelimits import MAX_COLUMNS, MAX_ROWS, check_csv, check_xlsx, column_number

EXPECTED = {
    "bomb": "zip bomb",
    "strings": "xl/sharedStrings.xml unzips to",
    "far_row": "row 30,000,000",
    "far_column": "column 16,384",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_hostile_workbooks_are_refused_fast_with_a_clear_message(
    kind: str, hostile_workbook: Callable[[str], bytes]
) -> None:
    data = hostile_workbook(kind)
    assert len(data) < 2_000_000  # small on the wire
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        check_xlsx(data, name="upload.xlsx")
    assert time.perf_counter() - start < 2
    assert EXPECTED[kind] in str(info.value)
    assert info.value.file == "upload.xlsx"


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "scope", "value", "unit", "source"])
    for i in range(2_000):
        ws.append(["cinemas", "Hanoi", i, "count", f"https://example.org/{i}"])
    path = tmp_path / "ok.xlsx"
    wb.save(path)
    check_xlsx(path)
    check_xlsx(path.read_bytes())


def test_not_a_zip_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a readable Excel"):
        check_xlsx(b"this is not a zip file", name="x.xlsx")


def test_column_letters() -> None:
    assert [column_number(c) for c in ("A", "Z", "AA", "AZ", "XFD")] == [1, 26, 27, 52, 16_384]


def test_csv_rows_and_columns_are_bounded() -> None:
    check_csv("a,b\n1,2\n", name="ok.csv")
    with pytest.raises(InputError, match="data rows"):
        check_csv("a\n" + "1\n" * (MAX_ROWS + 1), name="long.csv")
    with pytest.raises(InputError) as info:
        check_csv("a,b\n" + ",".join(["1"] * (MAX_COLUMNS + 5)) + "\n", name="wide.csv")
    assert info.value.row == 2 and "columns" in str(info.value)


@pytest.mark.parametrize("kind", ["bomb", "far_row"])
def test_workspace_import_and_the_index_readers_use_the_limits(
    kind: str, hostile_workbook: Callable[[str], bytes], tmp_path: Path
) -> None:
    from creativecity.index._tables import read_table
    from creativecity.monitoring.importing import read_import_file

    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile_workbook(kind))
    for read in (read_import_file, lambda p: read_table(p, name=None, what="iData")):
        start = time.perf_counter()
        with pytest.raises(InputError, match=EXPECTED[kind]):
            read(path)
        assert time.perf_counter() - start < 2


def test_a_big_csv_is_refused_by_workspace_import(tmp_path: Path) -> None:
    from creativecity.monitoring.importing import read_import_file

    path = tmp_path / "wide.csv"
    path.write_text("indicator,value\n" + "x," * 2_000 + "1\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns"):
        read_import_file(path)
