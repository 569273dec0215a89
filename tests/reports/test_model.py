"""Source notes numbering."""

from __future__ import annotations

from creativecity.reports.model import Paragraph, Ref, SourceRegistry, format_refs


def test_same_source_same_number_in_order_of_first_use() -> None:
    reg = SourceRegistry()
    assert reg.cite("https://a") == 1
    assert reg.cite("https://b", "https://b") == 2
    assert reg.cite("https://a") == 1
    assert reg.cite("computed", None, (1, 2)) == 3
    assert [n.number for n in reg.notes] == [1, 2, 3]
    assert reg.notes[2].computed_from == (1, 2)


def test_refs_text() -> None:
    assert format_refs((3, 7)) == "[3, 7]"
    assert format_refs(()) == ""
    assert Paragraph(["Value 5", Ref((2,)), "."]).text == "Value 5[2]."
