"""Reading the tabular inputs of the engine (iMeta, iData) from CSV, XLSX or a DataFrame.

Both readers need the same three things before any rule can be checked: the raw cells as typed by
the person who made the file (so that ``n/a`` is *reported*, not silently read as missing, which is
what pandas does by default), a name to put in error messages, and a hash of the bytes for
provenance. Keeping this in one place means iMeta and iData errors read the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from creativecity.errors import InputError

#: Cell texts read as "missing". R (and so COINr exports) writes ``NA``; spreadsheets leave cells empty.
MISSING_TEXTS = frozenset({"", "NA"})

#: Spreadsheet row of the first data row: the header is row 1.
FIRST_ROW = 2

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RawTable:
    """A table as read, before validation.

    Attributes
    ----------
    frame
        Cells as read: strings for CSV (nothing converted), objects for XLSX/DataFrame input.
    name
        What error messages call the source (file path or a given name).
    sha256
        Hex digest of the file bytes, or ``None`` for an in-memory DataFrame.
    """

    frame: pd.DataFrame
    name: str
    sha256: str | None


def read_table(source: str | Path | pd.DataFrame, *, name: str | None, what: str) -> RawTable:
    """Read ``source`` into a :class:`RawTable`, refusing files that are empty or not tables.

    Parameters
    ----------
    source
        A CSV or XLSX path, or a DataFrame (used as is; its index is ignored).
    name
        Name for error messages; defaults to the path, or ``what`` for a DataFrame.
    what
        Kind of table (``"iMeta"``, ``"iData"``), used in messages.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True).copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        label = name or what
        _refuse_duplicate_headers(list(frame.columns), label, what)
        if frame.shape[1] == 0:
            raise InputError(f"the {what} table has no columns", file=label, rule="non-empty file")
        return RawTable(frame, label, None)
    path = Path(source)
    label = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} file not found", file=label, rule="file exists") from None
    except IsADirectoryError:
        raise InputError(f"{what} path is a folder, not a file", file=label, rule="file exists") from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"the {what} file is empty", file=label, rule="non-empty file")
    if path.suffix.lower() in _XLSX_SUFFIXES or data[:4] == _ZIP_MAGIC:
        frame = _read_xlsx(data, label, what)
        _refuse_duplicate_headers(_xlsx_header(data), label, what)
    else:
        frame = _read_csv(data, label, what)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.shape[1] == 0 or (frame.shape[0] == 0 and frame.shape[1] <= 1 and not frame.columns[0]):
        raise InputError(f"the {what} file has no table in it", file=label, rule="non-empty file")
    return RawTable(frame, label, digest)


def _read_csv(data: bytes, label: str, what: str) -> pd.DataFrame:
    if b"\x00" in data[:65536]:
        raise InputError(
            f"the {what} file is not a CSV text file (it contains binary data)", file=label, rule="CSV file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the {what} file is not UTF-8 CSV text (byte {exc.start} cannot be decoded)",
            file=label,
            rule="CSV file",
        ) from None
    first = text.splitlines()[0] if text else ""
    sep = ","
    if "," not in first:
        if ";" in first:
            sep = ";"
        elif "\t" in first:
            sep = "\t"
    header: list[str] = next(iter(csv.reader(io.StringIO(text), delimiter=sep)), [])
    _refuse_duplicate_headers(header, label, what)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False, engine="c"
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"the {what} file is empty", file=label, rule="non-empty file") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(
            f"the {what} file cannot be parsed as CSV: {str(exc).strip()}", file=label, rule="CSV file"
        ) from None
    return frame


def _refuse_duplicate_headers(names: Sequence[object], label: str, what: str) -> None:
    """Refuse a header that names a column twice.

    pandas silently renames the second ``LPI`` to ``LPI.1`` and the engine would then use the first
    copy without a word: with two different columns under one name the result depends on column
    order, which the person who pasted the column twice cannot see. Blank header cells are left to
    the column rules (they are never a required column).
    """
    seen: set[str] = set()
    for i, raw in enumerate(names):
        n = "" if raw is None else str(raw).strip()
        if n and n in seen:
            raise InputError(
                f"the {what} header names column {n!r} twice (again in column {i + 1}); "
                "rename or delete one copy",
                file=label,
                column=n,
                rule="unique column names",
            )
        seen.add(n)


def _xlsx_header(data: bytes) -> list[object]:
    """The first row of the first sheet, as typed (only called once pandas has read the workbook)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for row in wb.worksheets[0].iter_rows(min_row=1, max_row=1, values_only=True):
            return list(row)
        return []
    finally:
        wb.close()


def _read_xlsx(data: bytes, label: str, what: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:
        raise InputError(
            f"the {what} file is not a readable XLSX workbook: {type(exc).__name__}: {exc}",
            file=label,
            rule="XLSX file",
        ) from None
    return frame.astype(object).where(frame.notna(), "")


def text_cells(col: pd.Series) -> pd.Series:
    """Cells as stripped strings, with every kind of missing (NaN, None, ``NA``) as ``""``."""
    s = col.astype(object)
    missing = s.isna()
    out = s.where(missing, s.astype(str).str.strip()).where(~missing, "")
    return out.where(~out.isin(MISSING_TEXTS), "")


def numeric_column(
    col: pd.Series, *, file: str, column: str, rule: str, rows: np.ndarray | None = None
) -> np.ndarray:
    """Parse one column as float64, raising on the first cell that is neither a number nor missing.

    Parameters
    ----------
    col
        The cells.
    file, column, rule
        For the error message.
    rows
        Spreadsheet row numbers of the cells (default: position + 2).

    Returns
    -------
    numpy.ndarray
        float64 values, NaN where missing.
    """
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(values) & ~np.isnan(values)
    else:
        text = text_cells(col)
        empty = (text == "").to_numpy()
        numbers = pd.to_numeric(text.where(~empty, None), errors="coerce")
        values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = (np.isnan(values) & ~empty) | np.isinf(values)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        row = int(rows[pos]) if rows is not None else pos + FIRST_ROW
        raise InputError(
            f"{col.iloc[pos]!r} is not a number (leave the cell empty for a missing value)",
            file=file,
            row=row,
            column=column,
            rule=rule,
        )
    return values
