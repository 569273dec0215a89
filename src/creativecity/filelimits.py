"""Limits on spreadsheets and CSV files, checked before any parser sees them.

An ``.xlsx`` file is a zip of XML parts, and a parser trusts what they say: a 3.5 MB upload whose sheet
unzips to 1.2 GB, a 1.17 MB one with a 1.2 GB shared-strings part, or a 4.7 KB one with a single row
numbered 30,000,000 (openpyxl pads every row before it) each held the server for minutes and gigabytes
(issue 13). So the zip directory is read first (each part's uncompressed size and compression ratio,
and their total), then the worksheets are scanned as raw bytes for their ``dimension`` and the
highest row and column index their ``r`` attributes name, all in bounded time and memory. CSV text is
bounded in rows and columns the same way.

One home for these limits, in the shared kernel: the web upload, ``creativecity workspace import`` and
the index engine's table readers all call it.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from creativecity.errors import InputError

#: Largest spreadsheet or CSV file read, in bytes.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest uncompressed part of a workbook (a sheet or the shared strings).
MAX_PART_BYTES = 100 * 1024 * 1024
#: Largest uncompressed workbook, all parts together.
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: Highest compression ratio of a large part: real sheets compress 5-20 times, zip bombs thousands.
MAX_RATIO = 100
#: Parts smaller than this are not ratio-checked (a tiny, very repetitive part is harmless).
RATIO_FREE_BYTES = 1024 * 1024
#: Most parts in one workbook.
MAX_PARTS = 2_000
#: Most rows in one sheet or CSV file (the header included), and the highest row number a sheet may use.
MAX_ROWS = 200_001
#: Most columns, and the highest column index a sheet may use (Excel allows 16,384).
MAX_COLUMNS = 1_000
#: Most cells one sheet may span (rows x columns of its used range): parsers pad up to it.
MAX_CELLS = 5_000_000

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref=\"([^\"]*)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Za-z]{1,4})(\d+)\"")
_REF = re.compile(r"^\$?([A-Za-z]{1,4})?\$?(\d+)?$")


def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def column_number(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


class _Extent:
    """The highest row and column a sheet names, checked against the limits as they grow."""

    def __init__(self, source: str, part: str) -> None:
        self.source, self.part = source, part
        self.rows = 0
        self.columns = 0

    def see(self, row: int, column: int, what: str) -> None:
        if row > MAX_ROWS:
            raise InputError(
                f"{self.part} {what} row {row:,}: a sheet may use rows 1 to {MAX_ROWS:,} "
                "(delete the rows below the data, or split the file)",
                file=self.source,
                rule="sheet size",
            )
        if column > MAX_COLUMNS:
            raise InputError(
                f"{self.part} {what} column {column:,}: a sheet may use columns 1 to {MAX_COLUMNS:,}",
                file=self.source,
                rule="sheet size",
            )
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        if self.rows * self.columns > MAX_CELLS:
            raise InputError(
                f"{self.part} spans {self.rows:,} rows x {self.columns:,} columns, more than the "
                f"{MAX_CELLS:,} cells a sheet may span",
                file=self.source,
                rule="sheet size",
            )


def _dimension(ref: bytes, extent: _Extent) -> None:
    last = ref.decode("ascii", "replace").split(":")[-1]
    match = _REF.match(last)
    if match is None:
        return
    letters, digits = match.groups()
    extent.see(
        int(digits) if digits else 1, column_number(letters) if letters else 1, "declares its size up to"
    )


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> None:
    """Read a worksheet's XML as bytes, chunk by chunk, checking every row and cell index it names."""
    extent = _Extent(source, info.filename)
    carry = b""
    with archive.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            buf = carry + chunk
            if not chunk:
                end = len(buf)
            else:
                # an opening tag may be cut by the chunk's end: keep it for the next round
                end = buf.rfind(b"<")
                end = len(buf) if end < 0 or len(buf) - end > 4096 else end
            region = buf[:end]
            for m in _DIMENSION.finditer(region):
                _dimension(m.group(1), extent)
            for m in _ROW.finditer(region):
                extent.see(int(m.group(1)), 1, "names")
            for m in _CELL.finditer(region):
                extent.see(int(m.group(2)), column_number(m.group(1).decode("ascii")), "names a cell in")
            carry = buf[end:]
            if not chunk:
                return


def check_xlsx(source: bytes | str | os.PathLike[str], *, name: str | None = None) -> None:
    """Refuse a workbook whose parts, sizes or cell indexes are beyond the limits of this module.

    Parameters
    ----------
    source
        The file's bytes or its path.
    name
        What error messages call the file (default: the path, else ``"workbook"``).

    Raises
    ------
    InputError
        Naming the file and the part (``xl/worksheets/sheet1.xml``) that breaks a limit, or saying that
        the file is not a readable ``.xlsx`` workbook.
    """
    label = name or (str(source) if not isinstance(source, bytes) else "workbook")
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"the file is larger than {_mb(MAX_FILE_BYTES)}", file=label, rule="file size")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            "not a readable Excel workbook (.xlsx file)", file=label, rule="file format"
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise InputError(
                f"the workbook has more than {MAX_PARTS} parts", file=label, rule="workbook size"
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES:
                raise InputError(
                    f"the workbook part {info.filename} unzips to {_mb(info.file_size)}, more than the "
                    f"{_mb(MAX_PART_BYTES)} a part may have",
                    file=label,
                    rule="workbook size",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FREE_BYTES and ratio > MAX_RATIO:
                raise InputError(
                    f"the workbook part {info.filename} unzips {ratio:,.0f} times larger than it is stored "
                    f"(at most {MAX_RATIO} is allowed): the file looks like a zip bomb",
                    file=label,
                    rule="workbook size",
                )
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                f"the workbook unzips to {_mb(total)}, more than {_mb(MAX_TOTAL_BYTES)}",
                file=label,
                rule="workbook size",
            )
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    _scan_sheet(archive, info, label)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
                    if isinstance(exc, InputError):
                        raise
                    raise InputError(
                        f"not a readable Excel workbook (.xlsx file; {info.filename} is damaged)",
                        file=label,
                        rule="file format",
                    ) from None


def check_csv(text: str, *, name: str) -> None:
    """Refuse CSV text with more rows or columns than this module allows (checked before parsing).

    Rows are counted as lines and columns as separators on a line, an upper bound of what a CSV
    reader would return (a quoted field may hold a separator or a line break), so nothing that passes
    can expand beyond the limits once parsed.
    """
    lines = text.count("\n") + 1
    if lines > MAX_ROWS + 1:
        raise InputError(
            f"the file has more than {MAX_ROWS - 1:,} data rows; split it", file=name, rule="file size"
        )
    start = 0
    for number in range(1, lines + 1):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        fields = max(line.count(","), line.count(";"), line.count("\t")) + 1
        if fields > MAX_COLUMNS:
            raise InputError(
                f"row {number} has more than {MAX_COLUMNS:,} columns", file=name, row=number, rule="file size"
            )
        if end < 0:
            return
        start = end + 1
