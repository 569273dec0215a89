"""Shared test fixtures.

Every test runs with its own ``CREATIVECITY_HOME`` so that no test reads or writes the user's real
workspaces, registry or database, and tests running in parallel (pytest-xdist) never share state.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# a safety net for import time (test collection), before the per-test home below applies: nothing a
# test module imports may touch the user's real home and database
os.environ["CREATIVECITY_HOME"] = tempfile.mkdtemp(prefix="cc-test-home-")
os.environ.pop("CREATIVECITY_DATABASE_URL", None)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("cchome")
    monkeypatch.setenv("CREATIVECITY_HOME", str(home))


def _workbook_with(part: str, chunks: object) -> bytes:
    """A small valid workbook whose ``part`` is replaced by the concatenated ``chunks`` (streamed)."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Observations"
    wb.active.append(["indicator", "scope", "value", "unit", "source"])
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            for chunk in chunks:  # type: ignore[attr-defined]
                fh.write(chunk)
    return out.getvalue()


@pytest.fixture
def hostile_workbook() -> object:
    """``hostile_workbook(kind)``: the .xlsx files of issue 13 (finding 4), built small but real.

    ``bomb`` a sheet that unzips about 1,000 times larger than stored (40 MB from ~40 KB);
    ``strings`` a 122 MB shared-strings part; ``far_row`` one row numbered 30,000,000 (a few KB);
    ``far_column`` a cell in column XFD (16,384).
    """

    def make(kind: str) -> bytes:

        if kind == "bomb":
            head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            return _workbook_with(
                "xl/worksheets/sheet1.xml", [head, *([b" " * (1 << 20)] * 40), b"</sheetData></worksheet>"]
            )
        if kind == "strings":
            body = b"<si><t>x</t></si>" * 60_000
            return _workbook_with(
                "xl/sharedStrings.xml",
                [
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                    *([body] * 120),
                    b"</sst>",
                ],
            )
        ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        cell = b'<c r="%s" t="inlineStr"><is><t>cinemas</t></is></c>'
        if kind == "far_row":  # what the issue measured: 4.7 KB, 44 s of CPU in openpyxl
            rows = (
                b'<row r="1">' + cell % b"A1" + b'</row><row r="30000000">' + cell % b"A30000000" + b"</row>"
            )
            ref = b"A1:A30000000"
        elif kind == "far_column":
            rows = b'<row r="1">' + cell % b"A1" + cell % b"XFD1" + b"</row>"
            ref = b"A1:XFD1"
        else:
            raise ValueError(kind)
        sheet = (
            b"<?xml version='1.0'?><worksheet %s><dimension ref=\"%s\"/><sheetData>%s</sheetData></worksheet>"
        )
        return _workbook_with("xl/worksheets/sheet1.xml", [sheet % (ns, ref, rows)])

    return make
