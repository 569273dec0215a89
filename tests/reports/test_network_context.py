"""The network annex against the bundled registry's published figures."""

from __future__ import annotations

from creativecity.network.registry import Registry
from creativecity.reports.context import BuildContext
from creativecity.reports.data import ReportData
from creativecity.reports.i18n import Text
from creativecity.reports.model import Notice, Table
from creativecity.reports.network_context import network_section

from .conftest import tiny_workspace


def _section(city: str, as_of: int | None, lang: str = "en"):  # type: ignore[no-untyped-def]
    inp = ReportData(tiny_workspace(city=city))
    inp.city_names.setdefault("vi", "Hà Nội" if city == "Hanoi" else city)
    ctx = BuildContext(t=Text(lang), inp=inp)
    return network_section(ctx, "Network", Registry.load(), as_of), ctx


def test_counts_after_2013_match_unesco() -> None:
    # data/uccn/README.md: after the 2013 round, 41 cities in 22 countries (UNESCO's own totals)
    section, _ctx = _section("Testville", 2013)
    table = next(b for b in section.blocks if isinstance(b, Table))
    values = {r[0].text: r[1].text for r in table.rows}
    assert values["Member cities"] == "41"
    assert values["Countries"] == "22"
    assert isinstance(section.blocks[0], Notice)  # Testville is not a member


def test_hanoi_in_2019_round_with_peers_and_growth() -> None:
    section, ctx = _section("Hanoi", None, "vi")
    assert "Hà Nội" in section.blocks[0].text and "2019" in section.blocks[0].text
    assert [s.id for s in section.subsections] == ["peers", "growth"]
    # the registry lacks some 2025 members: the annex says so
    assert any(isinstance(b, Notice) and "2025" in b.text for b in section.blocks)
    counted = [n for n in ctx.sources.notes if n.text.startswith("Đếm từ")]
    assert counted and "2025" in counted[0].text


def test_before_the_network_existed() -> None:
    section, _ctx = _section("Hanoi", 2003)
    assert len(section.blocks) == 1 and isinstance(section.blocks[0], Notice)
    assert section.blocks[0].text == "The network had no members in 2003: it was founded in 2004."


def test_candidate_city_gets_peers_by_country_and_field() -> None:
    # Testville is no member; as a Vietnamese Design candidate its peers share the field
    section, _ctx = _section("Testville", None)
    peers = next(s for s in section.subsections if s.id == "peers")
    table = next(b for b in peers.blocks if isinstance(b, Table))
    assert len(table.rows) == 10
    assert all(r[2].text == "Design" for r in table.rows[:3])
    assert all(r[3].notes for r in table.rows)  # each peer's designation year cites its registry row
