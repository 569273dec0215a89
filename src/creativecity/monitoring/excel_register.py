"""The initiatives register and the network activity log as sheets of the workspace workbook.

A department edits its register in Excel as easily as its figures, so the workbook carries one sheet
per register (``Initiatives``, ``Activities``) in the template and in an export. Each row is the flat
form of a record (lists as ``a; b``, the yearly budget as ``2024=1500; 2025=2000``, linked indicators as
``code=target@year``), read back by the same checks as the folder format: an export imported again
gives the register unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from creativecity.errors import InputError
from creativecity.monitoring.activities import (
    ACTIVITY_COLUMNS,
    ACTIVITY_KINDS,
    NetworkActivity,
    parse_activities,
)
from creativecity.monitoring.initiatives import (
    INITIATIVE_COLUMNS,
    LEVELS,
    STATUSES,
    Initiative,
    parse_initiatives,
)
from creativecity.monitoring.model import Workspace

#: Sheets of the registers, with their columns.
REGISTER_SHEETS: dict[str, tuple[str, ...]] = {
    "Initiatives": INITIATIVE_COLUMNS,
    "Activities": ACTIVITY_COLUMNS,
}
#: Bilingual sheet names.
REGISTER_TITLES: dict[str, str] = {
    "Initiatives": "Sáng kiến - Initiatives",
    "Activities": "Hoạt động - Activities",
}
#: Vietnamese column labels of the register sheets.
REGISTER_COLUMN_VI: dict[str, str] = {
    "name_vi": "Tên tiếng Việt",
    "name_en": "Tên tiếng Anh",
    "level": "Cấp",
    "start_year": "Năm bắt đầu",
    "end_year": "Năm kết thúc",
    "objectives_en": "Mục tiêu (tiếng Anh)",
    "objectives_vi": "Mục tiêu (tiếng Việt)",
    "results_en": "Kết quả (tiếng Anh)",
    "results_vi": "Kết quả (tiếng Việt)",
    "uccn_objectives": "Mục tiêu của Mạng lưới (1-6)",
    "areas": "Lĩnh vực hành động",
    "sdg_targets": "Mục tiêu SDG",
    "indicators": "Chỉ tiêu liên kết",
    "sources": "Nguồn",
    "lead_vi": "Chủ trì (tiếng Việt)",
    "partners_vi": "Đối tác (tiếng Việt)",
    "date": "Ngày",
    "end_date": "Ngày kết thúc",
    "title_en": "Tên hoạt động (tiếng Anh)",
    "title_vi": "Tên hoạt động (tiếng Việt)",
    "place": "Địa điểm",
    "role": "Vai trò",
    "evidence": "Minh chứng",
}


def register_rows(ws: Workspace | None) -> dict[str, list[dict[str, Any]]]:
    """Rows of the register sheets (none for a template)."""
    if ws is None:
        return {name: [] for name in REGISTER_SHEETS}
    return {
        "Initiatives": [i.to_dict() for i in ws.initiatives],
        "Activities": [a.to_dict() for a in ws.activities],
    }


def add_register_sheets(
    wb: Workbook,
    ws: Workspace | None,
    title_of: Callable[[str], str],
    header: Callable[[Any, tuple[str, ...]], None],
) -> None:
    """Append the register sheets (filled from ``ws`` when given) with drop-downs for the closed lists."""
    for name, rows in register_rows(ws).items():
        columns = REGISTER_SHEETS[name]
        sheet = wb.create_sheet(title_of(name))
        header(sheet, columns)
        for row in rows:
            sheet.append(["" if row.get(c) is None else row.get(c) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
        lists = {"level": LEVELS, "status": STATUSES} if name == "Initiatives" else {"kind": ACTIVITY_KINDS}
        for column, values in lists.items():
            letter = sheet.cell(row=1, column=columns.index(column) + 1).column_letter
            dv = DataValidation(type="list", formula1=f'"{",".join(values)}"', allow_blank=True)
            dv.error, dv.errorTitle = f"Use one of: {', '.join(values)}", column
            sheet.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}5000")


def check_register_sheets(
    sheets: dict[str, tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]],
    label: Callable[[str], str],
    indicators: set[str],
) -> tuple[list[Initiative] | None, list[NetworkActivity] | None, list[InputError]]:
    """Read the register sheets present (None for an absent one); errors name sheet, row and column."""
    initiatives = activities = None
    errors: list[InputError] = []
    if "Initiatives" in sheets:
        rows, letters = sheets["Initiatives"]
        initiatives, errs = parse_initiatives(
            rows, file=label("Initiatives"), indicators=indicators, letters=letters
        )
        errors += errs
    if "Activities" in sheets:
        rows, letters = sheets["Activities"]
        activities, errs = parse_activities(rows, file=label("Activities"), letters=letters)
        errors += errs
    return initiatives, activities, errors
