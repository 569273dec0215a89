"""The MMR's sections 2-6 are filled from the workspace: report info, activity log, register."""

from __future__ import annotations

from datetime import date

from creativecity.monitoring.activities import NetworkActivity
from creativecity.monitoring.initiatives import IndicatorLink, Initiative
from creativecity.monitoring.reportinfo import ReportInfo
from creativecity.monitoring.repository import bundled_workspace
from creativecity.reports.build import build_document
from creativecity.reports.model import Markdown, Notice, Paragraph, Table

from .conftest import tiny_workspace

TODAY = date(2026, 12, 1)


def _texts(section) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for b in section.blocks:
        if isinstance(b, Table):
            out += [c.text for r in b.rows for c in r]
        elif isinstance(b, Paragraph):
            out.append("".join(p for p in b.parts if isinstance(p, str)))
        elif isinstance(b, (Markdown, Notice)):
            out.append(getattr(b, "source", getattr(b, "text", "")))
    return out


def test_hanoi_sections_three_to_six_come_from_the_log_and_the_register() -> None:
    ws = bundled_workspace("hanoi")
    doc = build_document(ws, "monitoring", "en", today=TODAY)
    sec = {s.id: s for s in doc.sections}
    # every heading of the form has content or UNESCO's phrase
    for sid in (
        "executive_summary",
        "general_information",
        "contribution_global",
        "local_initiatives",
        "intercity_initiatives",
        "action_plan",
    ):
        assert sec[sid].blocks and any(t.strip() for t in _texts(sec[sid])), sid
    counts = dict(zip(*[iter(_texts(sec["contribution_global"]))] * 2, strict=False))
    # period 2023-2027: the Asia-Pacific meetings (2019-2023) overlap it, the forum is in it
    assert counts["Sub-network or regional meeting"] == "2" and counts["Annual Conference hosted"] == "0"
    local = _texts(sec["local_initiatives"])
    assert "Hanoi Creative Design Centre (ongoing)" in local
    assert any(t.startswith("Phase 1 piloted at the Hanoi Museum") for t in local)
    inter = _texts(sec["intercity_initiatives"])
    assert "UCCN Southeast Asia forum (completed)" in inter and "8.9, 11.4, 17.17" in inter
    plan = _texts(sec["action_plan"])
    assert "Hanoi Creative Design Festival (HFCD) (inter-city)" in plan  # open-ended, so in 2027-2031
    general = _texts(sec["general_information"])
    assert "Hanoi Department of Culture and Sports" in general and "2027" in general


def test_the_plan_shows_budget_partners_indicator_targets_and_sdgs() -> None:
    item = Initiative(
        "ini-1",
        name_en="Design hubs",
        level="local",
        start_year=2027,
        end_year=2030,
        status="planned",
        objectives_en="Open hubs",
        lead="Dept",
        partners=["University A"],
        budget={2027: 1500.0, 2028: 2000.0},
        currency="million VND",
        sdg_targets=["11.4"],
        indicators=[IndicatorLink("spaces", 25.0, 2030)],
        sources=["https://example.org/plan"],
    )
    ws = tiny_workspace(initiatives=[item], report_info=ReportInfo("2027-03-01", "Dept of Culture", "Sở VH"))
    doc = build_document(ws, "monitoring", "en", today=TODAY)
    plan = next(s for s in doc.sections if s.id == "action_plan")
    table = next(b for b in plan.blocks if isinstance(b, Table))
    assert table.caption.endswith("Initiatives planned for 2027-2031")
    row = [c.text for c in table.rows[0]]
    assert row == [
        "Design hubs (local)",
        "Open hubs",
        "2027: 1,500; 2028: 2,000 million VND",
        "Dept; University A",
        "Creative spaces: 25 (2030)",
        "11.4",
    ]
    assert table.rows[0][0].notes  # the initiative cites its source
    general = next(s for s in doc.sections if s.id == "general_information")
    assert "2027-03-01" in _texts(general) and "Dept of Culture" in _texts(general)
    vi = build_document(ws, "monitoring", "vi", today=TODAY)
    assert "Sở VH" in _texts(next(s for s in vi.sections if s.id == "general_information"))


def test_activities_outside_the_period_are_left_out_and_counts_are_by_kind() -> None:
    log = [
        NetworkActivity("n1", "2018-05", "conference_attended", title_en="Krakow", evidence="e1"),
        NetworkActivity("n2", "2024-07", "conference_attended", title_en="Braga", evidence="e2"),
        NetworkActivity(
            "n3", "2025-03", "application_evaluation", title_en="Design applications", evidence="e3"
        ),
    ]
    doc = build_document(tiny_workspace(activities=log), "monitoring", "en", today=TODAY)
    section = next(s for s in doc.sections if s.id == "contribution_global")
    counts, listing = [b for b in section.blocks if isinstance(b, Table)][:2]
    assert [(r[0].text, r[1].text) for r in counts.rows][:4] == [
        ("Annual Conference attended", "1"),
        ("Annual Conference hosted", "0"),
        ("Sub-network or regional meeting", "0"),
        ("Evaluation of applications", "1"),
    ]
    assert [r[2].text for r in listing.rows] == ["Braga", "Design applications"]
    assert all(r[2].notes for r in listing.rows)  # each activity cites its evidence
