"""Unit data (iData): parsing, sorting, and every refused input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework, UnitData
from creativecity.index.examples import asem, asem_path

META = pd.DataFrame(
    {
        "Level": [1, 1, 2, None, None],
        "iCode": ["a", "b", "I", "G", "Pop"],
        "Direction": [1, 1, 1, None, None],
        "Weight": [1, 1, 1, None, None],
        "Parent": ["I", "I", "", "", ""],
        "Type": ["Indicator", "Indicator", "Aggregate", "Group", "Denominator"],
    }
)
GOOD = "uCode,uName,G,Pop,a,b,Note\nZZ,Zed,x,10,1.5,,hello\nAA,Ay,y,20,NA,3,\n"


@pytest.fixture
def fw() -> Framework:
    return Framework.read(META)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "data.csv"
    p.write_text(text)
    return p


def test_good(tmp_path: Path, fw: Framework) -> None:
    d = UnitData.read(write(tmp_path, GOOD), fw)
    assert d.units == ["AA", "ZZ"]  # sorted by uCode
    v = d.values
    assert list(v.columns) == ["a", "b"] and v.dtypes.eq(np.float64).all()
    assert np.isnan(v.loc["AA", "a"]) and v.loc["ZZ", "a"] == 1.5 and np.isnan(v.loc["ZZ", "b"])
    assert d.groups.loc["AA", "G"] == "y"
    assert d.denominators.loc["ZZ", "Pop"] == 10.0
    assert d.names["ZZ"] == "Zed"
    assert d.row_of("ZZ") == 2 and d.row_of("AA") == 3 and d.row_of("nope") is None  # file rows
    assert len(d.sha256 or "") == 64


def test_values_cannot_be_changed(tmp_path: Path, fw: Framework) -> None:
    d = UnitData.read(write(tmp_path, GOOD), fw)
    v = d.values
    v.loc["ZZ", "a"] = 100.0
    assert d.values.loc["ZZ", "a"] == 1.5


def _err(tmp_path: Path, fw: Framework, text: str) -> InputError:
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        UnitData.read(p, fw)
    assert e.value.file == str(p)
    return e.value


def test_text_na_in_cell(tmp_path: Path, fw: Framework) -> None:
    e = _err(tmp_path, fw, GOOD.replace("AA,Ay,y,20,NA,3,", "AA,Ay,y,20,n/a,3,"))
    assert (e.row, e.column, e.rule) == (3, "a", "numeric indicator value")
    assert "'n/a'" in e.message


def test_duplicate_ucode(tmp_path: Path, fw: Framework) -> None:
    e = _err(tmp_path, fw, GOOD + "ZZ,Again,x,1,1,1,\n")
    assert (e.row, e.column, e.rule) == (4, "uCode", "unique uCode")


def test_missing_indicator_column(tmp_path: Path, fw: Framework) -> None:
    e = _err(tmp_path, fw, "uCode,a\nX,1\n")
    assert (e.column, e.rule) == ("b", "required column")


def test_missing_ucode_column(tmp_path: Path, fw: Framework) -> None:
    assert _err(tmp_path, fw, "code,a,b\nX,1,2\n").column == "uCode"


def test_empty_and_binary(tmp_path: Path, fw: Framework) -> None:
    assert _err(tmp_path, fw, "").rule == "non-empty file"
    p = tmp_path / "bin.csv"
    p.write_bytes(bytes(range(256)))
    with pytest.raises(InputError) as e:
        UnitData.read(p, fw)
    assert e.value.rule == "CSV file"


def test_infinite_value_refused(tmp_path: Path, fw: Framework) -> None:
    e = _err(tmp_path, fw, GOOD.replace("1.5", "inf"))
    assert (e.row, e.column) == (2, "a")


def test_asem_shapes() -> None:
    _, d = asem()
    assert d.values.shape == (51, 49)
    assert d.units == sorted(d.units)
    assert set(d.groups.columns) == {"GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"}
    assert d.values.loc["AUT", "Flights"] == 29.01725
    assert d.denominators.loc["AUT", "Population"] == 8735.453


def test_xlsx_same_as_csv(tmp_path: Path) -> None:
    fw, d = asem()
    p = tmp_path / "data.xlsx"
    pd.read_csv(asem_path("iData.csv")).to_excel(p, index=False)
    dx = UnitData.read(p, fw)
    pd.testing.assert_frame_equal(dx.values, d.values)


def test_column_named_twice_is_refused(tmp_path: Path, fw: Framework) -> None:
    # header uCode,uName,G,Pop,a,b,Note,a: the second 'a' is the 8th column
    e = _err(tmp_path, fw, "uCode,uName,G,Pop,a,b,Note,a\nZZ,Zed,x,10,1.5,,hello,9\nAA,Ay,y,20,NA,3,,8\n")
    assert (e.column, e.rule) == ("a", "unique column names")
    assert "column 8" in e.message


def test_column_named_twice_in_xlsx_and_dataframe(tmp_path: Path, fw: Framework) -> None:
    frame = pd.DataFrame([["ZZ", 1.5, 2.0, 9.0]], columns=["uCode", "a", "b", "b"])
    with pytest.raises(InputError) as e:
        UnitData.read(frame, fw)
    assert (e.value.column, e.value.rule) == ("b", "unique column names")
    p = tmp_path / "data.xlsx"
    frame.to_excel(p, index=False)  # the workbook keeps both headers 'b'; pandas would read 'b.1'
    with pytest.raises(InputError) as e:
        UnitData.read(p, fw)
    assert (e.value.file, e.value.column, e.value.rule) == (str(p), "b", "unique column names")


def test_header_with_blank_cells_is_not_a_duplicate(tmp_path: Path, fw: Framework) -> None:
    d = UnitData.read(write(tmp_path, "uCode,a,b,,\nZZ,1,2,,\n"), fw)  # two unnamed trailing columns
    assert d.values.loc["ZZ", "b"] == 2.0
