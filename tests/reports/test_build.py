"""Document content: structure, source notes for every number, missing parts said plainly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from creativecity.errors import InputError
from creativecity.monitoring import monitor
from creativecity.network.registry import Registry
from creativecity.reports.build import build_document
from creativecity.reports.model import (
    Cell,
    Document,
    Figure,
    Markdown,
    Notice,
    Paragraph,
    Ref,
    SourceList,
    Table,
)

from .conftest import SRC_A, SRC_B, SRC_T, tiny_workspace


def _doc(ws: Any = None, kind: str = "monitoring", lang: str = "en", **kw: Any) -> Document:
    ws = ws or tiny_workspace()
    kw.setdefault("monitoring", monitor(ws, 2021).to_dict())
    return build_document(ws, kind, lang, **kw)  # type: ignore[arg-type]


def _blocks(doc: Document) -> list[Any]:
    return [b for _, s in doc.iter_sections() for b in s.blocks]


def _section(doc: Document, sid: str) -> Any:
    return next(s for _, s in doc.iter_sections() if s.id == sid)


def _notes(doc: Document) -> dict[int, Any]:
    lists = [b for b in _blocks(doc) if isinstance(b, SourceList)]
    assert len(lists) == 1
    return {n.number: n for n in lists[0].notes}


def _table(doc: Document, caption_part: str) -> Table:
    return next(b for b in _blocks(doc) if isinstance(b, Table) and caption_part in b.caption)


def test_monitoring_structure_follows_uccn_documents() -> None:
    doc = _doc()
    top = [s.id for s in doc.sections]
    assert top[:6] == [
        "executive_summary",
        "general_information",
        "contribution_global",
        "local_initiatives",
        "intercity_initiatives",
        "action_plan",
    ]
    assert top[-1] == "sources"
    # the unverified UNESCO headings are marked as an editable template
    assert all(s.template for s in doc.sections[:6])
    assert not _section(doc, "sources").template


def test_application_structure() -> None:
    doc = _doc(kind="application")
    top = [s.id for s in doc.sections]
    assert top[:4] == ["name", "country", "contacts", "field"]
    assert "attachments" in top and "communication_plan" in top
    # the four items read in a primary source are fixed; the later ones are templates
    assert not any(s.template for s in doc.sections[:4])
    assert _section(doc, "assets").template
    # the internal annexes are not part of the form: they make the evidence pack
    assert not {"evidence", "network", "robustness"} & set(top)
    contacts = _section(doc, "contacts")
    assert [s.heading for s in contacts.subsections] == [
        "3.1 Mayor of the City",
        "3.2 Representative of the Mayor",
        "3.3 Main executive contact",
        "3.4 Alternative contact",
    ]
    mayor = contacts.subsections[0].blocks[0]
    assert [r[0].text for r in mayor.rows] == [
        "Title (Mr/Ms/Other)",
        "Family name",
        "First name",
        "Institution / function",
        "Status or type of institution",
        "Address",
        "E-mail",
        "Telephone",
        "Other important information",
    ]
    assert all(r[1].text == "to be completed" for r in mayor.rows)
    # every required blank is listed, one line per contact (other information and the type are optional)
    assert (
        "to complete: 3.1 Mayor of the City: honorific, family_name, first_name, institution, address, "
        "email, phone empty" in doc.warnings
    )


def test_every_number_in_a_table_has_a_source_note() -> None:
    registry = Registry.load()
    for kind in ("monitoring", "application"):
        doc = _doc(kind=kind, registry=registry)
        notes = _notes(doc)
        for block in _blocks(doc):
            if not isinstance(block, Table):
                continue
            for row in block.rows:
                for cell in row:
                    if re.search(r"\d", cell.text) and cell.text != "–":
                        assert cell.notes, f"{block.caption}: {cell.text!r} has no source note"
                        assert all(n in notes for n in cell.notes)


def test_progress_values_and_their_notes() -> None:
    doc = _doc(lang="vi")
    table = _table(doc, "Tiến độ")
    row = table.rows[0]
    notes = _notes(doc)
    base, latest, target, achieved, required, projected, status = (c for c in row[2:])
    # baseline 10 (2018) from SRC_A, latest 16 (2021) from SRC_B, target 25 (2027) from the plan
    assert base.text == "10 (2018)" and notes[base.notes[0]].text == SRC_A
    assert latest.text == "16 (2021)" and notes[latest.notes[0]].text == SRC_B
    assert target.text == "25 (2027)" and SRC_T in notes[target.notes[0]].text
    # (16 - 10) / 3 = 2 ; (25 - 16) / 6 = 1.5 -> "1,5" in Vietnamese; two figures make no projection
    # (a projection needs three), so the status says there are too few figures for a trend
    assert (achieved.text, required.text, projected.text) == ("2", "1,5", "–")
    assert status.text == "chưa đủ số liệu để xác định xu hướng"
    # computed values cite the notes they come from
    pace = notes[achieved.notes[0]]
    assert pace.computed_from == (base.notes[0], latest.notes[0])
    assert f"[{base.notes[0]}] và [{latest.notes[0]}]" in pace.text
    assert set(notes[required.notes[0]].computed_from) == {latest.notes[0], target.notes[0]}


def test_progress_chart_is_a_png_with_notes() -> None:
    doc = _doc()
    progress = [b for b in _section(doc, "progress").blocks if isinstance(b, Figure)]
    assert len(progress) == 1  # one indicator with a target
    assert progress[0].png.startswith(b"\x89PNG")
    assert progress[0].notes
    pillars = [b for b in _section(doc, "pillars").blocks if isinstance(b, Figure)]
    assert len(pillars) == 1 and pillars[0].notes


def test_percent_values_use_locale() -> None:
    doc = _doc(lang="vi")
    table = _table(doc, "Số liệu đã công bố")
    texts = [c.text for r in table.rows for c in r]
    assert "3,7\u00a0%" in texts
    assert "% GRDP" in texts  # the unit "% of GRDP" in Vietnamese
    doc_en = _doc(lang="en")
    texts_en = [c.text for r in _table(doc_en, "Published figures").rows for c in r]
    assert "3.7%" in texts_en


def test_missing_sections_say_so_in_both_languages() -> None:
    doc = _doc(lang="vi")
    local = _section(doc, "local_initiatives")
    # nothing in the register and no text: UNESCO's phrase, never "missing"
    assert [b.parts for b in local.blocks] == [["Không có thông tin liên quan để cung cấp"]]
    doc_en = _doc(lang="en")
    assert _section(doc_en, "local_initiatives").blocks[0].parts == ["No relevant information to provide"]
    # written in English only -> the Vietnamese report says the other language has it
    ws = tiny_workspace(narratives={("local_initiatives", "en"): "Only English."})
    texts = [getattr(b, "text", "") for b in _section(_doc(ws, lang="vi"), "local_initiatives").blocks]
    assert "Phần này mới chỉ được viết bằng ngôn ngữ còn lại." in texts


def test_empty_workspace_still_gives_a_complete_document() -> None:
    ws = tiny_workspace(observations=[], targets=[], narratives={}, action_plan=[], mapping=[])
    doc = _doc(ws, monitoring=monitor(ws, 2021).to_dict())
    assert [s.id for s in doc.sections][:6] == [
        "executive_summary",
        "general_information",
        "contribution_global",
        "local_initiatives",
        "intercity_initiatives",
        "action_plan",
    ]
    texts = [b.text for b in _blocks(doc) if isinstance(b, Notice)]
    assert "The workspace has no targets: progress cannot be assessed." in texts
    assert "The workspace has no observations yet: no indicator can be reported." in texts
    assert _section(doc, "action_plan").blocks[0].parts == ["No relevant information to provide"]
    assert "No composite index has been built for this city yet." in texts
    assert "Network context not available: no network registry was loaded." in texts


def test_unsourced_values_are_left_out_and_counted() -> None:
    ws = tiny_workspace()
    ws.observations.append(
        ws.observations[0].__class__("obs-9", "share", "Testville", 9.9, "% of GRDP", 2020)
    )
    doc = _doc(ws)
    texts = [c.text for r in _table(doc, "Published figures").rows for c in r]
    assert "9.9%" not in texts
    assert any("1 value(s) without a source" in b.text for b in _blocks(doc) if isinstance(b, Notice))


def test_word_limit_warning() -> None:
    ws = tiny_workspace(narratives={("executive_summary", "en"): "one two three four"})
    doc = _doc(ws, word_limits={"executive_summary": 3})
    texts = [b.text for b in _section(doc, "executive_summary").blocks if isinstance(b, Notice)]
    assert "This section has 4 words; the limit is 3." in texts
    assert doc.warnings == ["executive_summary: 4 words, limit 3"]


def test_narrative_kept_as_markdown() -> None:
    doc = _doc()
    md = [b for b in _section(doc, "executive_summary").blocks if isinstance(b, Markdown)]
    assert md and md[0].source.startswith("Testville **grew**")


def test_network_context_cites_registry_rows() -> None:
    ws = tiny_workspace(city="Hanoi", city_names={"vi": "Hà Nội", "en": "Hanoi"})
    doc = _doc(ws, registry=Registry.load(), lang="vi")
    net = _section(doc, "network")
    first = net.blocks[0]
    assert isinstance(first, Paragraph)
    assert "Hà Nội" in first.text and "2019" in first.text
    peers = _table(doc, "có thể so sánh")
    assert peers.rows and all(r[3].notes for r in peers.rows)
    assert all("cùng lĩnh vực" in r[4].text for r in peers.rows if r[2].text == "Thiết kế")


def test_robustness_from_rank_stats(tmp_path: Path) -> None:
    path = tmp_path / "rank_stats.csv"
    path.write_text("uCode,nominal,mean,median,q05,q95\nAUT,2,2.4,2,1,4\nBEL,1,1.2,1,1,2\n")
    doc = _doc(rank_stats=path)
    table = _table(doc, "Ranks under uncertainty")
    # sorted by nominal rank; width = q95 - q05: BEL 2 - 1 = 1, AUT 4 - 1 = 3
    assert [r[0].text for r in table.rows] == ["BEL", "AUT"]
    assert [r[5].text for r in table.rows] == ["1", "3"]
    # every number rests on the one rank_stats note: cited once, after the caption
    assert table.shared_notes == table.rows[0][1].notes
    assert not table.shows_notes(table.rows[0][1])
    figure = next(b for b in _section(doc, "robustness").blocks if isinstance(b, Figure))
    assert figure.png.startswith(b"\x89PNG") and figure.notes
    assert "2 best-ranked units" in figure.caption


def test_bad_rank_stats_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "rank_stats.csv"
    path.write_text("uCode,nominal\nAUT,2\n")
    with pytest.raises(InputError, match="missing columns"):
        _doc(rank_stats=path)
    path.write_text("uCode,nominal,mean,median,q05,q95\nAUT,x,2,2,1,4\n")
    with pytest.raises(InputError) as err:
        _doc(rank_stats=path)
    assert (err.value.row, err.value.column, err.value.rule) == (2, "nominal", "numeric ranks")
    path.write_bytes(b"\xff\xfe\x00uCode")  # not UTF-8: an input error, not a UnicodeDecodeError
    with pytest.raises(InputError) as err:
        _doc(rank_stats=path)
    assert err.value.rule == "UTF-8 CSV"


def test_unknown_kind_or_language() -> None:
    with pytest.raises(InputError, match="unknown kind"):
        _doc(kind="letter")
    with pytest.raises(InputError, match="unknown language"):
        _doc(lang="fr")


def test_all_cells_are_cells() -> None:
    doc = _doc(kind="application", registry=Registry.load())
    for block in _blocks(doc):
        if isinstance(block, Table):
            assert all(isinstance(c, Cell) and len(r) == len(block.header) for r in block.rows for c in r)


def test_executive_summary_counts_targets_by_status() -> None:
    ws = tiny_workspace()
    ws.targets.append(
        ws.targets[0].__class__("tgt-0002", "spaces", 12, "count", 2020, "Testville", source=SRC_T)
    )
    doc = _doc(ws, lang="vi")
    para = next(
        b
        for b in _section(doc, "executive_summary").blocks
        if isinstance(b, Paragraph) and "chỉ tiêu" in b.text
    )
    # target 25 by 2027 has two figures, too few for a trend; target 12 by 2020 is met by 16 in 2021
    assert "Tiến độ thực hiện 2 chỉ tiêu của Thành phố" in para.text
    assert "1 chưa đủ số liệu để xác định xu hướng" in para.text and "1 đã đạt" in para.text
    assert isinstance(para.parts[-1], Ref)


def test_as_of_drops_later_figures_everywhere() -> None:
    ws = tiny_workspace()
    doc = build_document(ws, "monitoring", "en", as_of=2019)
    years = [r[2].text for r in _table(doc, "Published figures").rows]
    assert years == ["2018", "2018"]  # the 2021 count is after 2019
    row = _table(doc, "Progress against targets").rows[0]
    # as of 2019 only the 2018 figure exists: baseline = latest = 10 (2018), no pace, no projection
    assert (row[2].text, row[3].text, row[5].text, row[7].text) == ("10 (2018)", "10 (2018)", "–", "–")
    with pytest.raises(InputError, match="outside 1900-2100"):
        build_document(ws, "monitoring", "en", as_of=3000)


def test_city_name_comes_from_the_workspace_not_the_catalog() -> None:
    from creativecity.reports.i18n import catalog_ids

    assert not any(k.startswith("city.") for k in catalog_ids("vi"))  # no hard-coded city names
    named = tiny_workspace(city_names={"vi": "Thành phố Thử", "en": "Testville"})
    assert _doc(named, lang="vi").meta["city"] == "Thành phố Thử"
    assert _doc(named, lang="en").meta["city"] == "Testville"
    # no names: every language falls back to ``city``
    assert _doc(tiny_workspace(), lang="vi").meta["city"] == "Testville"


def test_application_shows_contacts_and_attachments_from_the_workspace() -> None:
    from creativecity.monitoring.application import Attachment, Contact

    ws = tiny_workspace()
    ws.contacts[0] = Contact("mayor", "Trần Văn C", "Chủ tịch", "UBND", "c@test.vn", "+84 24 1234")
    ws.contacts[2] = Contact(
        "main", honorific="Ms", family_name="Nguyễn", first_name="Thị D", address="Hà Nội"
    )
    ws.attachments[4] = Attachment("photos", "provided", "a.jpg;b.jpg;c.jpg")
    ws.attachments[2] = Attachment("national_commission", note="xin ngày 12/3")
    doc = _doc(ws, kind="application", lang="vi")
    blocks = {s.id: s.blocks[0] for s in _section(doc, "contacts").subsections}
    mayor = [r[1].text for r in blocks["contact_mayor"].rows]
    # an earlier single-name contact still shows: its name where the family name goes
    todo = "cần bổ sung"
    assert mayor == [
        todo,
        "Trần Văn C",
        todo,
        "UBND / Chủ tịch",
        todo,
        todo,
        "c@test.vn",
        "+84 24 1234",
        todo,
    ]
    main = [r[1].text for r in blocks["contact_main"].rows]
    assert main[:3] == ["Ms", "Nguyễn", "Thị D"] and main[5] == "Hà Nội"
    assert [r[1].text for r in blocks["contact_representative"].rows] == ["cần bổ sung"] * 9
    att = _section(doc, "attachments").blocks[0]
    statuses = [(r[1].text, r[2].text) for r in att.rows]
    # six documents in the form's order; only the photos (5th) are provided, with their three files
    assert len(statuses) == 6
    assert statuses[4] == ("đã có", "a.jpg; b.jpg; c.jpg")
    assert statuses[2] == ("cần chuẩn bị", "xin ngày 12/3")  # a missing document with a note
    assert [s for i, s in enumerate(statuses) if i not in (2, 4)] == [("cần chuẩn bị", "–")] * 4


def test_vietnamese_action_plan_uses_translations_and_marks_english() -> None:
    ws = tiny_workspace()
    ws.action_plan_translations = {"vi": {"act-0001": {"objective": "Thêm không gian"}}}
    doc = _doc(ws, lang="vi")
    table = next(b for b in _section(doc, "action_plan").blocks if isinstance(b, Table))
    objective, initiative = table.rows[0][0].text, table.rows[0][1].text
    assert objective == "Thêm không gian"
    assert initiative == "Open hubs (bản tiếng Anh: chưa dịch)"
    assert "action act-0001: initiative has no vi text" in doc.warnings
    en = next(b for b in _section(_doc(ws, lang="en"), "action_plan").blocks if isinstance(b, Table))
    assert (en.rows[0][0].text, en.rows[0][1].text) == ("More spaces", "Open hubs")


def test_word_limits_stored_in_the_workspace_apply_and_options_override_them() -> None:
    ws = tiny_workspace(
        narratives={("executive_summary", "en"): "one two three four"}, word_limits={"executive_summary": 3}
    )
    assert _doc(ws).warnings == ["executive_summary: 4 words, limit 3"]  # 4 words > 3
    assert _doc(ws, word_limits={"executive_summary": 4}).warnings == []  # 4 words <= 4


def test_action_plan_target_in_a_percent_unit_is_a_percentage() -> None:
    from creativecity.monitoring.model import ActionItem

    ws = tiny_workspace(
        action_plan=[ActionItem("act-0001", "Share", "Grow it", indicator="share", target_value=8)]
    )
    en = next(b for b in _section(_doc(ws), "action_plan").blocks if isinstance(b, Table))
    vi = next(b for b in _section(_doc(ws, lang="vi"), "action_plan").blocks if isinstance(b, Table))
    # "share" is in "% of GRDP": 8 is shown as a percentage, one decimal, locale separators
    assert en.rows[0][4].text == "8.0%"
    assert vi.rows[0][4].text == "8,0\u00a0%"
    assert en.rows[0][4].notes  # a number keeps its note
