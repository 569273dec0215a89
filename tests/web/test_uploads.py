"""Uploads of figures: plain and bilingual workbooks (the monitoring library's layout) and CSV files."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import Workbook

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.excel import export_xlsx
from creativecity.monitoring.model import Observation
from creativecity.monitoring.repository import bundled_workspace
from creativecity.web.uploads import read_upload

from .test_api import counts

BUNDLED_CSV = Path(__file__).parents[2] / "src/creativecity/data/hanoi/observations.csv"


def _bundled_hanoi() -> Any:
    # root pointing at an empty folder: only the bundled (package data) workspace is visible
    return bundled_workspace("hanoi")


def _bilingual_export(workspace: Any, tmp_path: Path) -> bytes:
    path = tmp_path / "hanoi.xlsx"
    export_xlsx(workspace, path, bilingual=True)
    return path.read_bytes()


def test_a_bilingual_export_of_the_bundled_hanoi_workspace_reads_row_for_row(tmp_path: Path) -> None:
    upload = read_upload("hanoi.xlsx", _bilingual_export(_bundled_hanoi(), tmp_path))
    with BUNDLED_CSV.open(encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    # the bundled observations.csv has 53 lines = header + 52 figures; row 1 of the sheet is the header
    assert len(upload.rows) == len(expected) == 52
    assert upload.file == "hanoi.xlsx:Số liệu - Observations"
    assert [number for number, _ in upload.rows[:2]] == [2, 3]
    # columns keep their letters in the sheet's order: id A, indicator B, scope C, value D ...
    assert (upload.letters["id"], upload.letters["indicator"], upload.letters["value"]) == ("A", "B", "D")
    first = upload.rows[0][1]
    assert first["indicator"] == expected[0]["indicator"] == "arts_entertainment_share_grdp"
    assert first["value"] == float(expected[0]["value"]) == 0.49
    assert first["source"] == expected[0]["source"]


def test_a_csv_with_bilingual_headers_reads_like_a_plain_one() -> None:
    text = "Chỉ tiêu / indicator,Phạm vi / scope,Giá trị / value,Đơn vị / unit,Nguồn / source\n"
    text += "cinemas,Hanoi,47,count,https://example.org/c\n"
    upload = read_upload("bi.csv", text.encode("utf-8"))
    assert upload.rows == [
        (
            2,
            {
                "indicator": "cinemas",
                "scope": "Hanoi",
                "value": "47",
                "unit": "count",
                "source": "https://example.org/c",
            },
        )
    ]


def test_an_unknown_bilingual_column_is_named_with_its_letter() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu - Observations"
    sheet.append(
        ["Chỉ tiêu / indicator", "Phạm vi / scope", "Giá trị / value", "Đơn vị / unit", "Nguồn / source"]
    )
    sheet.append(["Ghi chú / remarks"])  # a data row, ignored: the header decides
    sheet["F1"] = "Ghi chú / remarks"
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InputErrors) as caught:
        read_upload("bad.xlsx", buf.getvalue())
    (error,) = caught.value.errors
    assert (error.row, error.column, error.rule) == (1, "F (remarks)", "known column")


def test_a_workbook_without_the_value_column_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_upload("x.csv", "Chỉ tiêu / indicator,Phạm vi / scope,Đơn vị / unit,Nguồn / source\n".encode())
    assert any(e.column == "value" for e in caught.value.errors)  # type: ignore[attr-defined]


def test_uploading_the_bilingual_export_imports_new_rows_and_refuses_duplicates(
    app: FastAPI, as_role: Any, tmp_path: Path
) -> None:
    client = as_role("editor")
    hanoi = _bundled_hanoi()
    new = Observation(
        id="",
        indicator="cinemas",
        scope="Hanoi",
        value=52.0,
        unit="count",
        reference_year=2031,
        source="https://example.org/cinemas-2031",
    )
    one = dataclasses.replace(hanoi, observations=[new])

    def post(data: bytes) -> Any:
        return client.post(
            "/w/hanoi/import",
            data={"csrf_token": client.csrf},
            files={"file": ("hanoi.xlsx", data, "application/octet-stream")},
        )

    before = counts(app)
    ok = post(_bilingual_export(one, tmp_path))
    assert ok.status_code == 200, ok.text[-2000:]
    assert counts(app)[0] == before[0] + 1
    # the whole bundled set again: all 52 are already in the database, so nothing is imported
    again = post(_bilingual_export(hanoi, tmp_path))
    assert again.status_code == 422
    # every row is named with its problem: 52 figures, each id already used (row 2 = obs-0001)
    assert "52 problem(s) found" in again.text
    row2 = again.text[again.text.find('id="row-2"') :][:1500]
    assert "A (id): id &#39;obs-0001&#39; is already used" in row2
    assert counts(app)[0] == before[0] + 1
