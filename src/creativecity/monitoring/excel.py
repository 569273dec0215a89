"""The Excel workbook a city fills in: template per framework, export of a workspace, reading back.

Most departments collect figures in spreadsheets, so the workbook is the main way data gets in. It has
drop-downs (data validation) for indicators, units, certainty and preferred, whole-number checks for years
and decimal checks for values, so that most mistakes are stopped while typing; the import checks
everything again, because validation in Excel is easy to bypass (paste, LibreOffice, CSV round trips).

Sheets: ``Hướng dẫn - Instructions`` (Vietnamese and English), ``Số liệu - Observations``,
``Mục tiêu - Targets``, ``Chỉ tiêu - Indicators``, ``Đơn vị - Units``, ``Phân nhóm - Mapping``; an
export of a workspace adds :data:`DOSSIER_SHEETS` (action plan, narratives, contacts, attachments,
profile) so that importing it gives the whole workspace back, history aside. Row 1
of each data sheet holds bilingual headers such as ``Chỉ tiêu / indicator``: Vietnamese for the staff
who fill it in, then the column's machine name, which is what the import reads. Each header cell also
has a bilingual comment. Reading accepts the bilingual names and the plain English ones
(``Observations``, ``indicator``), so workbooks made before, or by hand, still import.

``build_workbook`` keeps plain names unless asked (``bilingual=True``): the web area's upload reads
the plain layout; :func:`canonical_sheet` and :func:`canonical_column` are what it needs to accept both.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from creativecity.errors import InputError
from creativecity.fileio import atomic_output_file
from creativecity.filelimits import check_xlsx
from creativecity.frameworks import load_framework
from creativecity.monitoring.application import CONTACT_FIELDS, CONTACT_ROLES
from creativecity.monitoring.excel_register import (
    REGISTER_COLUMN_VI,
    REGISTER_SHEETS,
    REGISTER_TITLES,
    add_register_sheets,
)
from creativecity.monitoring.model import CERTAINTIES, DEFAULT_UNITS, Workspace
from creativecity.monitoring.storage import ACTION_COLUMNS, action_rows
from creativecity.monitoring.validation import (
    INDICATOR_COLUMNS,
    MAPPING_COLUMNS,
    OBSERVATION_COLUMNS,
    TARGET_COLUMNS,
    YEAR_MAX,
    YEAR_MIN,
)

INSTRUCTIONS_SHEET = "Hướng dẫn - Instructions"
SHEETS = {
    "Observations": OBSERVATION_COLUMNS,
    "Targets": TARGET_COLUMNS,
    "Indicators": INDICATOR_COLUMNS,
    "Units": ("unit",),
    "Mapping": MAPPING_COLUMNS,
}
#: Bilingual sheet names (Excel allows 31 characters and no ``/``, hence `` - ``).
SHEET_TITLES: dict[str, str] = {
    "Observations": "Số liệu - Observations",
    "Targets": "Mục tiêu - Targets",
    "Indicators": "Chỉ tiêu - Indicators",
    "Units": "Đơn vị - Units",
    "Mapping": "Phân nhóm - Mapping",
    "Action plan": "Kế hoạch - Action plan",
    "Texts": "Nội dung - Texts",
    "Contacts": "Liên hệ - Contacts",
    "Attachments": "Tài liệu - Attachments",
    "Profile": "Hồ sơ - Profile",
    **REGISTER_TITLES,
}

#: Sheets an export adds after the data sheets: the action plan (with its Vietnamese translations as
#: ``objective_vi``... columns), the narratives (one row per section and language) and the dossier
#: profile (contacts, attachments checklist, city names and word limits). Templates leave them out; an
#: import reads them when present and leaves those parts of the workspace alone when absent.
DOSSIER_SHEETS: dict[str, tuple[str, ...]] = {
    "Action plan": ACTION_COLUMNS,
    "Texts": ("section", "lang", "text"),
    "Contacts": ("role", *CONTACT_FIELDS),
    "Attachments": ("kind", "status", "files", "note"),
    "Profile": ("setting", "key", "value"),
}

#: Longest text an Excel cell holds; a longer narrative cannot be exported without loss.
MAX_CELL_CHARS = 32767

#: Short Vietnamese column labels, shown before the machine name (``Chỉ tiêu / indicator``).
COLUMN_VI: dict[str, str] = {
    "id": "Mã dòng",
    "indicator": "Chỉ tiêu",
    "scope": "Phạm vi",
    "value": "Giá trị",
    "unit": "Đơn vị",
    "reference_year": "Năm số liệu",
    "reference_year_note": "Ghi chú về năm",
    "method": "Phương pháp",
    "source": "Nguồn",
    "note": "Ghi chú",
    "certainty": "Độ tin cậy",
    "preferred": "Được chọn",
    "target_value": "Giá trị mục tiêu",
    "target_year": "Năm mục tiêu",
    "instrument": "Văn bản",
    "instrument_date": "Ngày ban hành",
    "instrument_vi": "Tên văn bản (tiếng Việt)",
    "bound": "Loại giá trị",
    "value_high": "Đầu trên của khoảng",
    "code": "Mã",
    "name_en": "Tên tiếng Anh",
    "name_vi": "Tên tiếng Việt",
    "direction": "Chiều tốt",
    "description": "Mô tả",
    "framework": "Khung chỉ số",
    "objective": "Mục tiêu chung",
    "initiative": "Sáng kiến",
    "budget": "Kinh phí",
    "currency": "Tiền tệ",
    "lead": "Chủ trì",
    "partners": "Đối tác",
    "objective_vi": "Mục tiêu chung (tiếng Việt)",
    "initiative_vi": "Sáng kiến (tiếng Việt)",
    "lead_vi": "Chủ trì (tiếng Việt)",
    "partners_vi": "Đối tác (tiếng Việt)",
    "section": "Phần",
    "lang": "Ngôn ngữ",
    "text": "Nội dung",
    "role": "Vai trò",
    "name": "Họ tên",
    "title": "Chức vụ",
    "organisation": "Cơ quan",
    "email": "Thư điện tử",
    "phone": "Điện thoại",
    "kind": "Loại tài liệu",
    "status": "Tình trạng",
    "files": "Tệp",
    "setting": "Mục",
    "key": "Khóa",
    "honorific": "Danh xưng (Mr/Ms/Other)",
    "family_name": "Họ",
    "first_name": "Tên",
    "institution_type": "Loại hình cơ quan",
    "address": "Địa chỉ",
    "other_info": "Thông tin quan trọng khác",
    **REGISTER_COLUMN_VI,
}


def header_label(column: str) -> str:
    """``Chỉ tiêu / indicator``: the Vietnamese label, then the machine name the import reads."""
    vi = COLUMN_VI.get(column)
    return f"{vi} / {column}" if vi else column


def canonical_column(header: Any) -> str:
    """Machine name of a header cell: ``Chỉ tiêu / indicator`` and ``indicator`` both give ``indicator``."""
    text = "" if header is None else str(header).strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1].strip()
    return text


def canonical_sheet(key: str, sheetnames: list[str]) -> str | None:
    """The sheet of ``sheetnames`` holding ``key`` (``Observations``): plain or bilingual name."""
    wanted = {key.lower(), SHEET_TITLES.get(key, key).lower()}
    for name in sheetnames:
        low = name.strip().lower()
        if low in wanted or low.rsplit(" - ", 1)[-1] == key.lower():
            return name
    return None


#: Rows given drop-downs in an empty template (validation ranges cover this many data rows).
VALIDATED_ROWS = 2000

HEADER_HELP: dict[str, tuple[str, str]] = {
    "id": ("Mã dòng (để trống khi thêm mới)", "Row id (leave empty for new rows)"),
    "indicator": ("Mã chỉ tiêu (chọn trong danh sách)", "Indicator code (pick from the list)"),
    "scope": ("Phạm vi: thành phố hoặc quốc gia", "Scope: the city or the country"),
    "value": ("Giá trị (số; 1.350 = một nghìn ba trăm năm mươi, 3,7 = ba phẩy bảy)", "Value (a number)"),
    "bound": (
        "Loại giá trị: để trống, lower (trên), upper (dưới), range (khoảng)",
        "Bound: empty, lower, upper, range",
    ),
    "value_high": ("Đầu trên của khoảng (khi bound = range)", "Top of a range (bound = range)"),
    "instrument_vi": ("Tên văn bản bằng tiếng Việt", "Instrument's Vietnamese name"),
    "unit": ("Đơn vị (chọn trong danh sách)", "Unit (pick from the list)"),
    "reference_year": (
        f"Năm của số liệu ({YEAR_MIN}-{YEAR_MAX})",
        f"Year the figure describes ({YEAR_MIN}-{YEAR_MAX})",
    ),
    "reference_year_note": ("Ghi chú về năm", "Note on the year"),
    "method": ("Phương pháp tính", "Method of calculation"),
    "source": ("Nguồn (bắt buộc: URL hoặc trích dẫn)", "Source (required: URL or citation)"),
    "note": ("Ghi chú", "Note"),
    "certainty": ("Độ tin cậy", "Certainty"),
    "preferred": ("Số liệu được chọn (yes/no)", "Preferred figure (yes/no)"),
    "target_value": ("Giá trị mục tiêu", "Target value"),
    "target_year": ("Năm mục tiêu", "Target year"),
    "instrument": ("Văn bản (nghị quyết, quyết định)", "Instrument (resolution, decision)"),
    "instrument_date": ("Ngày ban hành (YYYY-MM-DD)", "Date adopted (YYYY-MM-DD)"),
    "code": ("Mã", "Code"),
    "name_en": ("Tên tiếng Anh", "English name"),
    "name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "direction": ("Chiều tốt: increase / decrease", "Better direction: increase / decrease"),
    "description": ("Mô tả", "Description"),
    "framework": ("Khung chỉ số", "Framework"),
    "budget": ("Kinh phí (số, để trống nếu chưa có)", "Budget (a number; empty when not known)"),
    "section": ("Mã phần của báo cáo/hồ sơ", "Section id of the report or dossier"),
    "lang": ("Ngôn ngữ: vi hoặc en", "Language: vi or en"),
    "text": ("Nội dung (Markdown)", "Text (Markdown)"),
    "role": (
        f"Vai trò: {', '.join(CONTACT_ROLES)}",
        f"Role: {', '.join(CONTACT_ROLES)}",
    ),
    "status": ("Tình trạng: provided / missing", "Status: provided / missing"),
    "files": ("Tên tệp, cách nhau bằng ;", "File names, separated by ;"),
    "setting": ("city_name hoặc word_limit", "city_name or word_limit"),
    "key": ("Ngôn ngữ (city_name) hoặc mã phần (word_limit)", "Language (city_name) or section (word_limit)"),
}

INSTRUCTIONS: list[tuple[str, str]] = [
    ("Cách dùng mẫu này", "How to use this workbook"),
    (
        "1. Mỗi dòng của trang Observations là một số liệu đã công bố, kèm nguồn (bắt buộc).",
        "1. Each row of the Observations sheet is one published figure, with its source (required).",
    ),
    (
        "2. Chọn mã chỉ tiêu và đơn vị trong danh sách thả xuống. Thêm chỉ tiêu mới ở trang Indicators, "
        "đơn vị mới ở trang Units.",
        "2. Pick the indicator code and the unit from the drop-down lists. Add new indicators on the "
        "Indicators sheet and new units on the Units sheet.",
    ),
    (
        "3. Giá trị là số. Gõ theo cách viết tiếng Việt: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân "
        "(1.350 là một nghìn ba trăm năm mươi; 3,7 là ba phẩy bảy). Số đếm (đơn vị count) không có phần "
        'thập phân. Số liệu dạng "trên 4" ghi 4 và bound = lower; khoảng "1,7-2,3" ghi 1,7, '
        f"bound = range, value_high = 2,3. Năm từ {YEAR_MIN} đến {YEAR_MAX}; để trống nếu nguồn không ghi "
        "năm.",
        "3. Values are numbers. Typed as text, they follow the Vietnamese convention: '.' groups "
        "thousands, ',' is the decimal mark (1.350 is one thousand three hundred and fifty; 3,7 is three "
        "point seven). Counts (unit count) have no fractional part. 'More than 4' is 4 with bound = "
        "lower; a range '1.7-2.3' is 1,7 with bound = range and value_high = 2,3. "
        f"Years are {YEAR_MIN}-{YEAR_MAX}; "
        "leave the year empty when the source does not date the figure.",
    ),
    (
        "4. Hai nguồn cho hai số khác nhau của cùng một năm: giữ cả hai dòng; ghi yes ở cột preferred "
        "cho số liệu được chọn. Không gộp số liệu.",
        "4. Two sources giving different figures for the same year: keep both rows; write yes in "
        "'preferred' for the one you choose. Never merge figures.",
    ),
    (
        "5. Các phương pháp khác nhau (ví dụ doanh thu và giá trị tăng thêm) ghi ở cột method: chúng là "
        "các chuỗi số liệu riêng.",
        "5. Different methods (e.g. revenue vs value added) go in the method column: they are separate "
        "series.",
    ),
    (
        "6. Trang Targets: mỗi dòng là một mục tiêu, kèm văn bản ban hành và nguồn.",
        "6. Targets sheet: one commitment per row, with the instrument that set it and a source.",
    ),
    (
        "7. Nhập: creativecity workspace import TÊN tệp.xlsx (--dry-run để chỉ kiểm tra). Nếu có lỗi, "
        "không dòng nào được nhập; danh sách lỗi ghi rõ trang, dòng và cột.",
        "7. Import: creativecity workspace import NAME file.xlsx (--dry-run only checks). On any error "
        "nothing is imported; the list of problems names sheet, row and column.",
    ),
]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _list_range(sheet: str, n: int) -> str:
    return f"='{sheet}'!$A$2:$A${max(n, 1) + 1}"


def _header(ws: Worksheet, columns: tuple[str, ...], bilingual: bool) -> None:
    ws.append([header_label(c) if bilingual else c for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        vi, en = HEADER_HELP.get(col, ("", ""))
        if vi:
            cell.comment = Comment(f"{vi}\n{en}", "creativecity")
        ws.column_dimensions[get_column_letter(i)].width = 14 if col != "source" else 40
    ws.freeze_panes = "A2"


def _validate(ws: Worksheet, columns: tuple[str, ...], column: str, dv: DataValidation) -> None:
    letter = get_column_letter(columns.index(column) + 1)
    dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    ws.add_data_validation(dv)


def _list_dv(formula: str, title: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    dv.errorTitle, dv.error = title, f"Chọn trong danh sách / pick from the list ({title})"
    return dv


def _cell(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def build_workbook(
    framework: str, workspace: Workspace | None = None, *, bilingual: bool = False, dossier: bool = True
) -> Workbook:
    """The template of ``framework``, filled with ``workspace``'s content when given (export).

    ``bilingual`` gives Vietnamese-and-English sheet names and column headers (:data:`SHEET_TITLES`,
    :func:`header_label`); without it the names are the plain machine names. With a workspace, the
    :data:`DOSSIER_SHEETS` are added unless ``dossier`` is false (a template for figures only).
    """

    def title_of(key: str) -> str:
        return SHEET_TITLES[key] if bilingual else key

    fw = load_framework(framework)
    wb = Workbook()
    ins = wb.active
    ins.title = INSTRUCTIONS_SHEET
    title = f"{fw.title_vi or fw.title} / {fw.title}"
    if workspace is not None:
        title += f" — {workspace.city} ({workspace.name})"
    ins.append([title])
    ins["A1"].font = Font(bold=True, size=13)
    ins.append(["Tiếng Việt", "English"])
    for vi, en in INSTRUCTIONS:
        ins.append([vi, en])
    ins.append([])
    ins.append(["Khung chỉ số", fw.description])
    unverified = [n.code for n in fw.unverified]
    if unverified:
        ins.append(
            [
                "Chưa kiểm chứng",
                f"Unverified parts of this framework (check before relying on them): {', '.join(unverified)}",
            ]
        )
    for col in ("A", "B"):
        ins.column_dimensions[col].width = 90
    for row in ins.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    if workspace is not None:
        indicators = [i.to_dict() for i in workspace.indicators]
        units = list(dict.fromkeys([*workspace.units, *(i.unit for i in workspace.indicators if i.unit)]))
        observations = [o.to_dict() for o in workspace.observations]
        targets = [t.to_dict() for t in workspace.targets]
        mapping = [m.to_dict() for m in workspace.mapping]
    else:
        indicators = [
            {"code": n.code, "name_en": n.name_en, "name_vi": n.name_vi, "unit": n.unit}
            for n in fw.indicators
        ]
        units = list(dict.fromkeys([*DEFAULT_UNITS, *(n.unit for n in fw.indicators if n.unit)]))
        observations, targets = [], []
        mapping = [
            {"indicator": n.code, "framework": fw.name, "code": n.parent} for n in fw.indicators if n.parent
        ]
    data = {
        "Observations": observations,
        "Targets": targets,
        "Indicators": indicators,
        "Units": [{"unit": u} for u in units],
        "Mapping": mapping,
    }
    for name, columns in SHEETS.items():
        sheet = wb.create_sheet(title_of(name))
        _header(sheet, columns, bilingual)
        for row in data[name]:
            sheet.append([_cell(row.get(c)) for c in columns])

    if workspace is not None and dossier:
        _dossier_sheets(wb, workspace, title_of, bilingual)
    if dossier:
        add_register_sheets(wb, workspace, title_of, lambda sheet, cols: _header(sheet, cols, bilingual))

    n_ind, n_units = len(indicators) + 200, len(units) + 50  # room for rows the user adds
    ind_range = _list_range(title_of("Indicators"), n_ind)
    unit_range = _list_range(title_of("Units"), n_units)
    for name in ("Observations", "Targets"):
        sheet, columns = wb[title_of(name)], SHEETS[name]
        _validate(sheet, columns, "indicator", _list_dv(ind_range, "indicator"))
        _validate(sheet, columns, "unit", _list_dv(unit_range, "unit"))
        year_col = "reference_year" if name == "Observations" else "target_year"
        year_dv = DataValidation(
            type="whole", operator="between", formula1=str(YEAR_MIN), formula2=str(YEAR_MAX), allow_blank=True
        )
        year_dv.error = f"Năm từ {YEAR_MIN} đến {YEAR_MAX} / a year between {YEAR_MIN} and {YEAR_MAX}"
        _validate(sheet, columns, year_col, year_dv)
        value_col = "value" if name == "Observations" else "target_value"
        num = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
        num.error = "Chỉ nhập số / numbers only"
        _validate(sheet, columns, value_col, num)
    obs_cols, obs_sheet = SHEETS["Observations"], wb[title_of("Observations")]
    _validate(obs_sheet, obs_cols, "certainty", _list_dv(f'"{",".join(CERTAINTIES)}"', "certainty"))
    _validate(obs_sheet, obs_cols, "preferred", _list_dv('"yes,no"', "preferred"))
    _validate(
        wb[title_of("Indicators")],
        SHEETS["Indicators"],
        "direction",
        _list_dv('"increase,decrease"', "direction"),
    )
    return wb


def _dossier_rows(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Rows of the dossier sheets (:data:`DOSSIER_SHEETS`) for ``ws``."""
    for (section, lang), text in ws.narratives.items():
        if len(text) > MAX_CELL_CHARS:
            raise InputError(
                f"narrative is {len(text)} characters; an Excel cell holds at most {MAX_CELL_CHARS}",
                file=f"narratives/{lang}/{section}.md",
                rule="cell size",
            )
    profile = [{"setting": "city_name", "key": k, "value": v} for k, v in ws.city_names.items()]
    profile += [{"setting": "word_limit", "key": k, "value": v} for k, v in ws.word_limits.items()]
    return {
        "Action plan": action_rows(ws),
        "Texts": [{"section": s, "lang": lang, "text": t} for (s, lang), t in sorted(ws.narratives.items())],
        "Contacts": [c.to_dict() for c in ws.contacts],
        "Attachments": [a.to_dict() for a in ws.attachments],
        "Profile": profile,
    }


def _dossier_sheets(wb: Workbook, ws: Workspace, title_of: Callable[[str], str], bilingual: bool) -> None:
    for name, rows in _dossier_rows(ws).items():
        columns = DOSSIER_SHEETS[name]
        sheet = wb.create_sheet(title_of(name))
        _header(sheet, columns, bilingual)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
        if name == "Texts":
            sheet.column_dimensions["C"].width = 100
            for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    _validate(
        wb[title_of("Contacts")],
        DOSSIER_SHEETS["Contacts"],
        "role",
        _list_dv(f'"{",".join(CONTACT_ROLES)}"', "role"),
    )
    _validate(
        wb[title_of("Attachments")],
        DOSSIER_SHEETS["Attachments"],
        "status",
        _list_dv('"provided,missing"', "status"),
    )


def _check_xlsx_out(path: str | os.PathLike[str]) -> None:
    """An existing folder cannot be replaced by the workbook: say so (exit 2) before building it."""
    if Path(path).is_dir():
        raise InputError(
            "is a folder; give a file name ending in .xlsx",
            file=str(path),
            column="--out",
            rule="output is a file",
        )


def write_template(framework: str, path: str | os.PathLike[str], *, bilingual: bool = True) -> Path:
    """Write the empty template of ``framework`` (atomically), bilingual unless asked otherwise."""
    _check_xlsx_out(path)
    wb = build_workbook(framework, bilingual=bilingual)
    with atomic_output_file(path) as tmp:
        wb.save(tmp)
    return Path(path)


def export_xlsx(workspace: Workspace, path: str | os.PathLike[str], *, bilingual: bool = True) -> Path:
    """Write ``workspace`` into its framework's template (atomically); importing it gives it back."""
    _check_xlsx_out(path)
    wb = build_workbook(workspace.framework, workspace, bilingual=bilingual)
    with atomic_output_file(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_workbook(
    path: str | os.PathLike[str], progress: Callable[[str, int, int], None] | None = None
) -> dict[str, tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]]:
    """Rows of every known data sheet: ``{sheet: ([(row, {column: value})], {column: letter})}``.

    Sheets and columns are found under their bilingual or plain names and returned under the plain
    ones (``Observations``, ``indicator``).

    Sheets that are absent are simply missing from the result; empty rows are skipped. ``progress`` is
    called as ``progress(sheet, rows_read, rows_in_sheet)`` every 500 rows (for a progress bar).

    Raises
    ------
    InputError
        The file is not a readable .xlsx workbook.
    """
    p = Path(path)
    check_xlsx(p, name=str(p))  # sizes, ratios and cell indexes, before openpyxl trusts them
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise InputError(f"not a readable Excel workbook: {exc}", file=str(p), rule="xlsx") from None
    out: dict[str, tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]] = {}
    try:
        for name in (*SHEETS, *DOSSIER_SHEETS, *REGISTER_SHEETS):
            actual = canonical_sheet(name, wb.sheetnames)
            if actual is None:
                continue
            rows_iter = wb[actual].iter_rows(values_only=True)
            header_row = next(rows_iter, None)
            if header_row is None:
                continue
            header = [canonical_column(h) for h in header_row]
            letters = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
            rows = []
            total = wb[actual].max_row or 0
            for r, values in enumerate(rows_iter, start=2):
                if progress is not None and r % 500 == 0:
                    progress(name, r, total)
                if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                rows.append((r, {h: _plain(v) for h, v in zip(header, values, strict=False) if h}))
            out[name] = (rows, letters)
    finally:
        wb.close()
    return out
