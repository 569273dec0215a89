"""Values become cells only with their notes."""

from __future__ import annotations

import pytest

from creativecity.reports.context import BuildContext
from creativecity.reports.data import ReportData
from creativecity.reports.i18n import Text

from .conftest import tiny_workspace


def _ctx(lang: str) -> BuildContext:
    return BuildContext(t=Text(lang), inp=ReportData(tiny_workspace()))


def test_value_cells_need_notes() -> None:
    ctx = _ctx("vi")
    with pytest.raises(ValueError, match="source note"):
        ctx.value_cell(3.7, "% of GRDP", ())
    cell = ctx.value_cell(3.7, "% of GRDP", (2,))
    assert (cell.text, cell.notes, cell.numeric) == ("3,7\u00a0%", (2,), True)
    assert ctx.value_cell(None, "count", ()).text == "–"


def test_units_and_scopes_in_language() -> None:
    ctx = _ctx("vi")
    assert ctx.unit("% of GRDP") == "% GRDP"
    assert ctx.unit("trillion VND") == "nghìn tỷ đồng"
    assert ctx.unit("furlongs") == "furlongs"  # typed by a user: shown as typed
    assert ctx.scope("Viet Nam") == "Việt Nam"
    assert ctx.scope("Testville") == "Testville"


def test_computed_note_names_its_inputs() -> None:
    ctx = _ctx("en")
    a, b = ctx.cite("https://a"), ctx.cite("https://b")
    n = ctx.computed((b, a, b), "how.achieved")
    note = ctx.sources.notes[n - 1]
    assert note.computed_from == (1, 2)
    assert note.text == "Computed from notes [1] and [2]: (latest − baseline) ÷ years between them."
