"""The one-call API: formats, progress steps, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.reports.api import STEPS, format_for, generate_dossier


def test_format_from_suffix_or_option() -> None:
    assert format_for(Path("a.HTML"), None) == "html"
    assert format_for(Path("a.htm"), None) == "html"
    assert format_for(Path("a.pdf"), None) == "pdf"
    assert format_for(Path("a.docx"), None) == "docx"
    assert format_for(Path("a.txt"), "pdf") == "pdf"
    with pytest.raises(InputError, match="cannot tell the format"):
        format_for(Path("a.doc"), None)
    with pytest.raises(InputError, match="unknown format"):
        format_for(Path("a.pdf"), "rtf")


def test_progress_steps_in_order_and_no_temp_files(tmp_path: Path) -> None:
    seen: list[str] = []
    out = tmp_path / "sub" / "r.html"
    result = generate_dossier("hanoi", kind="monitoring", lang="en", out=out, progress=seen.append)
    assert seen == list(STEPS)
    assert result.path == out and out.exists()
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]
    assert result.city == "Hanoi"
    assert result.sections[0] == {
        "id": "executive_summary",
        "heading": "1. Executive summary",
        "level": 1,
        "template": True,
    }


def test_out_that_is_a_folder_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "report.html"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        generate_dossier("hanoi", kind="monitoring", lang="en", out=folder)
    assert (err.value.column, err.value.rule) == ("--out", "output is a file")
    assert folder.is_dir() and list(folder.iterdir()) == []  # left as it was
