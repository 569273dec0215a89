"""Reading an uploaded spreadsheet of observations (Excel ``.xlsx`` or ``.csv``) into rows.

Rows keep the number a person sees in the spreadsheet (header = row 1) and each column its letter, so
that an error can point at ``row 7, column D (value)`` next to the row on the import page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from creativecity import filelimits
from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.excel import canonical_column, canonical_sheet
from creativecity.monitoring.importing import csv_language
from creativecity.monitoring.validation import OBSERVATION_COLUMNS

MAX_BYTES = filelimits.MAX_FILE_BYTES
MAX_ROWS = filelimits.MAX_ROWS - 1  # data rows: the header is the first
SHEET = "Observations"


@dataclass
class Upload:
    """The rows of an uploaded file, with where each value came from."""

    file: str
    rows: list[tuple[int, dict[str, Any]]]
    letters: dict[str, str]
    #: The convention numbers typed as text follow: ``vi`` for a workbook or a Vietnamese CSV header,
    #: ``None`` (unknown: "1.350" is refused, never guessed) for other CSV files.
    lang: str | None = None


def _header(names: list[Any], file: str) -> tuple[list[str], dict[str, str]]:
    # the bilingual template heads a column "Chỉ tiêu / indicator": the machine name is after the slash
    columns = [canonical_column(n).lower() for n in names]
    errors = []
    letters = {}
    for i, name in enumerate(columns):
        letter = get_column_letter(i + 1)
        if not name:
            continue
        if name not in OBSERVATION_COLUMNS:
            errors.append(
                InputError(
                    f"unknown column {name!r}; expected some of: {', '.join(OBSERVATION_COLUMNS)}",
                    file=file,
                    row=1,
                    column=f"{letter} ({name})",
                    rule="known column",
                )
            )
        letters[name] = letter
    for needed in ("indicator", "scope", "value", "unit", "source"):
        if needed not in letters:
            errors.append(
                InputError(
                    f"the column {needed!r} is missing", file=file, row=1, column=needed, rule="column"
                )
            )
    if errors:
        raise InputErrors(errors, file=file)
    return columns, letters


def _records(file: str, lines: Any) -> Upload:
    try:
        header = next(lines)
    except StopIteration:
        raise InputError("the file is empty", file=file, rule="not empty") from None
    header = list(header)
    columns, letters = _header(header, file)
    lang = "vi" if file.lower().endswith(".xlsx") else csv_language([str(h or "") for h in header])
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = {c: v for c, v in zip(columns, values, strict=False) if c}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise InputError(f"more than {MAX_ROWS} rows; split the file", file=file, row=number, rule="size")
        rows.append((number, cells))
    return Upload(file=file, rows=rows, letters=letters, lang=lang)


def read_upload(filename: str, data: bytes) -> Upload:
    """Rows of an ``.xlsx`` (sheet ``Observations``, plain or bilingual, else the first) or UTF-8 ``.csv``.

    Column headers may be plain (``indicator``) or bilingual (``Chỉ tiêu / indicator``), as the
    monitoring library's workbook writes them, so a workbook exported by ``creativecity workspace
    export`` or downloaded from the import page comes back without renaming anything.
    """
    name = filename or "upload"
    if len(data) > MAX_BYTES:
        raise InputError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", file=name, rule="size")
    lower = name.lower()
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("the CSV file is not UTF-8 text", file=name, rule="encoding") from None
        filelimits.check_csv(text, name=name)
        try:
            return _records(name, iter(csv.reader(io.StringIO(text))))
        except csv.Error as exc:
            raise InputError(f"not a readable CSV file: {exc}", file=name, rule="file format") from None
    if lower.endswith(".xlsx"):
        filelimits.check_xlsx(data, name=name)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise InputError("not a readable Excel (.xlsx) file", file=name, rule="file format") from None
        try:
            # the monitoring template puts "Số liệu - Observations" (or plain "Observations") after an
            # instructions sheet; a hand-made workbook may have only one sheet
            named = canonical_sheet(SHEET, list(book.sheetnames))
            sheet = book[named] if named else book.worksheets[0]
            return _records(f"{name}:{sheet.title}", sheet.iter_rows(values_only=True))
        finally:
            book.close()
    raise InputError("upload an Excel (.xlsx) or CSV (.csv) file", file=name, rule="file type")
