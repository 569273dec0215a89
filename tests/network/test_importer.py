"""Tests for creativecity.network.importer: every bad import is refused, dry runs change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from creativecity.errors import InputError, InputErrors
from creativecity.network import importer
from creativecity.network.registry import Registry, bundled_dir, user_registry_path

HEADER = "city,country,iso3,creative_field,year_designated,certainty,source\n"
GOOD = "Alpha,Viet Nam,VNM,Design,2019,verified,s1\n"


def write(tmp_path: Path, text: str, name: str = "new.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def one_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        importer.read_rows(path)
    assert not isinstance(info.value, InputErrors)
    return info.value


def test_valid_file_reads(tmp_path: Path) -> None:
    rows = importer.read_rows(write(tmp_path, HEADER + GOOD))
    assert rows == [
        {
            "city": "Alpha",
            "country": "Viet Nam",
            "iso3": "VNM",
            "creative_field": "Design",
            "year_designated": "2019",
            "certainty": "verified",
            "source": "s1",
            "source_unesco": "",  # optional: UNESCO's own page, when one was found
        }
    ]


def test_source_unesco_must_be_a_unesco_page(tmp_path: Path) -> None:
    ok = (
        HEADER.rstrip("\n")
        + ",source_unesco\n"
        + GOOD.rstrip("\n")
        + ",https://en.unesco.org/creative-cities/alpha\n"
    )
    assert importer.read_rows(write(tmp_path, ok))[0]["source_unesco"].endswith("/alpha")
    bad = (
        HEADER.rstrip("\n") + ",source_unesco\n" + GOOD.rstrip("\n") + ",https://unesco.org.evil.example/x\n"
    )
    e = one_error(write(tmp_path, bad))
    assert (e.row, e.column, e.rule) == (2, "source_unesco", "UNESCO page")


def test_unknown_field(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER + GOOD + "Beta,Thailand,THA,Dance,2019,verified,s\n"))
    assert (e.row, e.column, e.rule) == (3, "creative_field", "known field")
    assert "Media Arts" in e.message  # lists the valid fields


def test_field_case_is_normalised(tmp_path: Path) -> None:
    rows = importer.read_rows(write(tmp_path, HEADER + "Beta,Thailand,THA,media arts,2019,verified,s\n"))
    assert rows[0]["creative_field"] == "Media Arts"


@pytest.mark.parametrize("year", ["2003", str(date.today().year + 2)])
def test_year_out_of_range(tmp_path: Path, year: str) -> None:
    e = one_error(write(tmp_path, HEADER + f"Beta,Thailand,THA,Design,{year},verified,s\n"))
    assert (e.row, e.column, e.rule) == (2, "year_designated", "year in range")


def test_next_year_is_allowed(tmp_path: Path) -> None:
    nxt = date.today().year + 1
    rows = importer.read_rows(write(tmp_path, HEADER + f"Beta,Thailand,THA,Design,{nxt},verified,s\n"))
    assert rows[0]["year_designated"] == str(nxt)


def test_year_not_a_number(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER + "Beta,Thailand,THA,Design,twenty,verified,s\n"))
    assert (e.row, e.column) == (2, "year_designated")


def test_duplicate_city_and_field(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER + GOOD + GOOD.replace("s1", "s2")))
    assert (e.row, e.column, e.rule) == (3, "city", "unique city + field")
    assert "first on row 2" in e.message


def test_unknown_iso3(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER + "Beta,Atlantis,ATL,Design,2019,verified,s\n"))
    assert (e.row, e.column, e.rule) == (2, "iso3", "known country")


def test_country_name_does_not_match_iso3(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER + "Beta,France,DEU,Design,2019,verified,s\n"))
    assert (e.row, e.column, e.rule) == (2, "country", "country matches iso3")


def test_un_and_iso_spellings_are_both_accepted(tmp_path: Path) -> None:
    text = (
        HEADER
        + "A,Republic of Korea,KOR,Design,2019,verified,s\n"
        + 'B,"Korea, Republic of",KOR,Music,2019,verified,s\n'
        + "C,Iran (Islamic Republic of),IRN,Design,2019,verified,s\n"
    )
    assert len(importer.read_rows(write(tmp_path, text))) == 3


def test_missing_column(tmp_path: Path) -> None:
    text = "city,country,iso3,creative_field,year_designated,source\nA,Viet Nam,VNM,Design,2019,s\n"
    e = one_error(write(tmp_path, text))
    assert (e.row, e.column, e.rule) == (1, "certainty", "required columns")


def test_empty_file(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, ""))
    assert e.rule == "non-empty file" and e.file and e.file.endswith("new.csv")


def test_header_only(tmp_path: Path) -> None:
    e = one_error(write(tmp_path, HEADER))
    assert e.rule == "non-empty file"


def test_bad_certainty_and_empty_source(tmp_path: Path) -> None:
    with pytest.raises(InputErrors) as info:
        importer.read_rows(write(tmp_path, HEADER + "A,Viet Nam,VNM,Design,2019,maybe,\n"))
    cols = [(e.row, e.column) for e in info.value.errors]
    assert cols == [(2, "certainty"), (2, "source")]


def test_several_problems_reported_together(tmp_path: Path) -> None:
    text = HEADER + "A,Viet Nam,VNM,Dance,2019,verified,s\n" + "B,Viet Nam,VNM,Design,1999,verified,s\n"
    with pytest.raises(InputErrors) as info:
        importer.read_rows(write(tmp_path, text))
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "creative_field"), (3, "year_designated")]
    assert "2 problem(s)" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    assert one_error(tmp_path / "absent.csv").rule == "file exists"


def _bundled_lines() -> list[str]:
    return (bundled_dir() / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)


def _edited_bundled(tmp_path: Path) -> Path:
    """The bundled list minus Edinburgh, with Hanoi marked uncertain (known cities only: no gazetteer)."""
    lines = _bundled_lines()
    out = [lines[0]]
    for line in lines[1:]:
        if line.startswith("Edinburgh,"):
            continue
        if line.startswith("Hanoi,"):
            line = line.replace(",verified,", ",uncertain,")
        out.append(line)
    return write(tmp_path, "".join(out))


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    res = importer.import_registry(_edited_bundled(tmp_path), apply=False)
    assert not res.applied
    assert [r["city"] for r in res.removed] == ["Edinburgh"]
    assert res.added == []
    assert [(c.city, c.changes) for c in res.changed] == [("Hanoi", {"certainty": ("verified", "uncertain")})]
    assert not user_registry_path().exists()
    assert not user_registry_path().parent.exists()
    assert Registry.load().count_cities() == 396


def test_apply_then_reset(tmp_path: Path) -> None:
    res = importer.import_registry(_edited_bundled(tmp_path), apply=True)
    assert res.applied and Path(res.target) == user_registry_path()
    reg = Registry.load()
    assert reg.origin.startswith("user")
    assert reg.count_cities() == 395  # 396 - Edinburgh
    assert reg.find("Hanoi")[0].certainty == "uncertain"
    assert reg.find("Hanoi")[0].population  # geo carried over from the bundled matches
    assert importer.reset() is True
    assert Registry.load().origin == "bundled"
    assert importer.reset() is False


def test_identical_list_is_unchanged(tmp_path: Path) -> None:
    res = importer.import_registry(write(tmp_path, "".join(_bundled_lines())))
    assert res.unchanged and res.rows == 396


def test_bad_import_leaves_previous_user_registry(tmp_path: Path) -> None:
    importer.import_registry(_edited_bundled(tmp_path), apply=True)
    before = user_registry_path().read_bytes()
    with pytest.raises(InputError):
        importer.import_registry(
            write(tmp_path, HEADER + "A,Viet Nam,VNM,Dance,2019,verified,s\n", "bad.csv"), apply=True
        )
    assert user_registry_path().read_bytes() == before


@pytest.mark.slow
def test_new_city_is_matched_in_the_gazetteer(tmp_path: Path) -> None:
    # Da Nang is not a member: importing it loads GeoNames (about 2 s) to place it.
    text = "".join(_bundled_lines()) + "Da Nang,Viet Nam,VNM,Design,2027,uncertain,test\n"
    calls: list[tuple[int, int, str]] = []
    res = importer.import_registry(write(tmp_path, text), apply=True, progress=lambda *a: calls.append(a))
    assert calls == [(0, 1, "Da Nang"), (1, 1, "Da Nang")]  # only the one new city is looked up
    assert [r["city"] for r in res.added] == ["Da Nang"]
    assert res.unmatched == []
    m = Registry.load().find("Da Nang")[0]
    assert 15.5 < m.lat < 16.5 and 107.5 < m.lon < 108.5  # Da Nang is at about 16.07 N, 108.22 E
    assert m.geo_match in ("exact", "alternate", "ascii-folded")
