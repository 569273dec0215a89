"""Framework (iMeta): every rule of ENGINE.md §0 refused with file, row, column and rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import Framework
from creativecity.index.examples import asem, asem_path

GOOD = """Level,iCode,iName,Direction,Weight,Target,Denominator,Parent,Type,Extra
1,a,A,1,1,10,Pop,P1,Indicator,x
1,b,B,-1,2,,,P1,Indicator,y
1,c,C,1,1,,,P2,Indicator,z
2,P1,Pillar 1,1,1,,,Idx,Aggregate,
2,P2,Pillar 2,1,3,,,Idx,Aggregate,
3,Idx,Index,1,1,,,,Aggregate,
,Pop,Population,,,,,,Denominator,
,G,Group,,,,,,Group,
"""


def write(tmp_path: Path, text: str, name: str = "meta.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def err(tmp_path: Path, text: str) -> InputError:
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        Framework.read(p)
    assert e.value.file == str(p)
    return e.value


def test_good_structure(tmp_path: Path) -> None:
    fw = Framework.read(write(tmp_path, GOOD))
    assert fw.indicators == ["a", "b", "c"]
    assert fw.aggregates == ["P1", "P2", "Idx"]
    assert fw.codes == ["a", "b", "c", "P1", "P2", "Idx"]
    assert fw.n_levels == 3
    assert fw.level("P1") == 2 and fw.parent("a") == "P1" and fw.parent("Idx") is None
    assert fw.children("P1") == ["a", "b"] and fw.children("a") == []
    assert fw.codes_at(2) == ["P1", "P2"]
    assert fw.direction.to_dict() == {"a": 1.0, "b": -1.0, "c": 1.0}
    assert fw.weights["P2"] == 3.0
    assert fw.targets["a"] == 10.0 and pd.isna(fw.targets["b"])
    assert dict(fw.denominator) == {"a": "Pop"}
    assert fw.group_columns == ["G"] and fw.denominator_columns == ["Pop"]
    assert list(fw.table["Extra"][:3]) == ["x", "y", "z"]  # extra columns kept, row order kept
    assert len(fw.sha256 or "") == 64


def test_effective_weights_by_hand(tmp_path: Path) -> None:
    fw = Framework.read(write(tmp_path, GOOD))
    ew = fw.effective_weights()
    # P1 = 1/(1+3) = 0.25, P2 = 0.75; a = 1/3 * 0.25, b = 2/3 * 0.25, c = 1 * 0.75
    assert (
        ew["a"] == pytest.approx(1 / 12)
        and ew["b"] == pytest.approx(1 / 6)
        and ew["c"] == pytest.approx(0.75)
    )
    assert ew["Idx"] == 1.0
    ew2 = fw.effective_weights({"P2": 1.0})  # now P1 = P2 = 0.5
    assert ew2["c"] == pytest.approx(0.5)


def test_asem_effective_weight_engine_check() -> None:
    fw, _ = asem()
    ew = fw.effective_weights()
    # ENGINE.md §8: each ConEcFin indicator = 1/5 * 1/5 * 1/2 = 0.02
    for code in fw.children("ConEcFin"):
        assert ew[code] == pytest.approx(0.02, rel=1e-12)
    assert len(fw.indicators) == 49 and len(fw.codes_at(2)) == 8 and len(fw.codes_at(3)) == 2
    assert fw.codes_at(4) == ["Index"]


def test_with_weights_returns_new_framework(tmp_path: Path) -> None:
    fw = Framework.read(write(tmp_path, GOOD))
    fw2 = fw.with_weights({"P2": 1})
    assert fw.weights["P2"] == 3.0 and fw2.weights["P2"] == 1.0
    with pytest.raises(InputError):
        fw.with_weights({"nope": 1})
    with pytest.raises(InputError):
        fw.with_weights({"a": -1})


def test_table_is_a_copy(tmp_path: Path) -> None:
    fw = Framework.read(write(tmp_path, GOOD))
    t = fw.table
    t.loc[0, "Weight"] = 99
    assert fw.table.loc[0, "Weight"] == 1.0


def test_duplicate_icode(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,c,C,", "1,a,C,"))
    assert (e.row, e.column, e.rule) == (4, "iCode", "unique iCode")


def test_unknown_parent(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace(",,P2,Indicator", ",,PX,Indicator"))
    assert (e.row, e.column, e.rule) == (4, "Parent", "known Parent")


def test_parent_not_one_level_up(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace(",,P2,Indicator", ",,Idx,Indicator"))
    assert (e.row, e.column, e.rule) == (4, "Parent", "Parent exactly one level up")


def test_gap_in_levels(tmp_path: Path) -> None:
    text = GOOD.replace("3,Idx,", "4,Idx,").replace(",,Idx,Aggregate", ",,Idx,Aggregate")
    e = err(tmp_path, text)
    assert e.rule == "contiguous levels" and e.column == "Level" and e.row == 7


def test_aggregate_without_children(tmp_path: Path) -> None:
    text = GOOD + "2,P3,Empty,1,1,,,Idx,Aggregate,\n"
    e = err(tmp_path, text)
    assert (e.row, e.rule) == (10, "aggregate has children")


def test_bad_direction(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,b,B,-1,", "1,b,B,2,"))
    assert (e.row, e.column, e.rule) == (3, "Direction", "Direction is 1 or -1")


def test_non_numeric_weight(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,b,B,-1,2,", "1,b,B,-1,two,"))
    assert (e.row, e.column, e.rule) == (3, "Weight", "numeric Weight")


def test_negative_weight(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,b,B,-1,2,", "1,b,B,-1,-2.5,"))
    assert (e.row, e.column, e.rule) == (3, "Weight", "Weight >= 0")
    # the message shows the number as written, not a numpy repr such as np.float64(-2.5)
    assert "Weight -2.5 must be >= 0" in str(e) and "np." not in str(e)


def test_code_with_space_or_leading_digit(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,c,C,", "1,c c,C,"))
    assert (e.row, e.column, e.rule) == (4, "iCode", "valid code")
    e = err(tmp_path, GOOD.replace("1,c,C,", "1,9c,C,"))
    assert e.rule == "valid code"


def test_missing_required_column(tmp_path: Path) -> None:
    text = "\n".join(",".join(line.split(",")[:8] + line.split(",")[9:]) for line in GOOD.splitlines())
    e = err(tmp_path, text)
    assert (e.column, e.rule) == ("Type", "required column")


def test_unknown_type(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace(",G,Group,,,,,,Group,", ",G,Group,,,,,,Category,"))
    assert (e.row, e.column, e.rule) == (9, "Type", "known Type")


def test_indicator_not_level_1(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("1,c,C,1,1,,,P2,", "2,c,C,1,1,,,P2,"))
    assert e.rule == "indicators at level 1"


def test_unknown_denominator(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD.replace("10,Pop,P1", "10,GDP,P1"))
    assert (e.row, e.column, e.rule) == (2, "Denominator", "known Denominator")


def test_empty_file(tmp_path: Path) -> None:
    assert err(tmp_path, "").rule == "non-empty file"
    assert err(tmp_path, "Level,iCode,Direction,Weight,Parent,Type\n").rule == "non-empty file"


def test_binary_file_is_not_csv(tmp_path: Path) -> None:
    p = tmp_path / "meta.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    with pytest.raises(InputError) as e:
        Framework.read(p)
    assert e.value.rule == "CSV file"


def test_xlsx_and_dataframe(tmp_path: Path) -> None:
    df = pd.read_csv(asem_path("iMeta.csv"))
    p = tmp_path / "meta.xlsx"
    df.to_excel(p, index=False)
    fx = Framework.read(p)
    fd = Framework.read(df, name="mine")
    fc, _ = asem()
    assert fx.codes == fd.codes == fc.codes
    assert fx.weights.equals(fc.weights) and fd.source_name == "mine"


def test_ragged_csv_is_refused(tmp_path: Path) -> None:
    e = err(tmp_path, GOOD + "1,d,D,1,1,,,P2,Indicator,x,extra,more\n")
    assert e.rule == "CSV file"


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "meta.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(InputError) as e:
        Framework.read(p)
    assert e.value.rule == "XLSX file"


def test_imeta_column_named_twice(tmp_path: Path) -> None:
    lines = GOOD.splitlines()
    text = "\n".join([lines[0] + ",Weight", *(ln + ",1" for ln in lines[1:])]) + "\n"
    e = err(tmp_path, text)
    assert (e.column, e.rule) == ("Weight", "unique column names")
