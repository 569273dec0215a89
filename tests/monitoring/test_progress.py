"""monitor(): every number worked out by hand in the comments."""

from __future__ import annotations

import pytest
from mon_helpers import obs, tgt

from creativecity.monitoring.model import Workspace
from creativecity.monitoring.progress import AT_RISK_SHARE, STALE_YEARS, monitor
from creativecity.monitoring.repository import bundled_workspace


def _one(ws: Workspace, target_id: str, as_of: int) -> dict:
    report = monitor(ws, as_of=as_of).to_dict()
    (row,) = [t for t in report["targets"] if t["target_id"] == target_id]
    return row


def test_documented_thresholds() -> None:
    assert STALE_YEARS == 3
    assert AT_RISK_SHARE == 0.75


def _third_point(ws: Workspace) -> Workspace:
    """x gets a 2020 figure on its straight line (14), w one too (90): a projection needs three figures."""
    ws.observations += [obs(10, "x", 2020, 14), obs(11, "w", 2020, 90)]
    return ws


def test_on_track_numbers(tiny: Workspace) -> None:
    _third_point(tiny)
    tiny.targets = [tgt(1, "x", 30, 2030)]
    r = _one(tiny, "tgt-0001", 2024)
    assert (r["baseline_value"], r["baseline_year"]) == (10, 2018)
    assert (r["latest_value"], r["latest_year"]) == (18, 2022)
    assert r["achieved_per_year"] == pytest.approx(2.0)  # (18 - 10) / (2022 - 2018)
    assert r["achieved_compound"] == pytest.approx(1.8**0.25 - 1)  # = 0.158292
    assert r["achieved_compound"] == pytest.approx(0.158292, abs=1e-6)
    assert r["required_per_year"] == pytest.approx(1.5)  # (30 - 18) / (2030 - 2022)
    assert r["required_compound"] == pytest.approx(0.065936, abs=1e-6)  # (30/18) ** (1/8) - 1
    assert r["projected_value"] == pytest.approx(34.0)  # 18 + 2 * 8
    assert r["status"] == "on track"  # 34 >= 30
    assert r["target_year_passed"] is False
    assert r["points"] == 3
    assert r["projection_method"] == "straight line through the 2018 and 2022 figures (3 figures)"
    assert r["level"] == "city" and r["change_unit"] == "count"


def test_two_figures_make_no_projection(tiny: Workspace) -> None:
    # x has 10 (2018) and 18 (2022) only: a line through two points is no trend
    tiny.targets = [tgt(1, "x", 30, 2030)]
    r = _one(tiny, "tgt-0001", 2024)
    assert r["achieved_per_year"] == pytest.approx(2.0)  # what happened is still shown
    assert r["projected_value"] is None and r["projection_points"] == 2
    assert r["status"] == "no trend"
    assert "a projection needs 3" in r["explanation"]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (34, "on track"),  # projected 34 meets it exactly
        (36, "at risk"),  # needs 36 - 10 = 26; projection covers 34 - 10 = 24 >= 0.75 * 26 = 19.5
        (42, "at risk"),  # needs 32; 24 >= 24 (exactly 75 %)
        (43, "off track"),  # needs 33; 24 < 24.75
        (15, "achieved"),  # latest 18 already >= 15
    ],
)
def test_status_thresholds(tiny: Workspace, value: float, status: str) -> None:
    _third_point(tiny)
    tiny.targets = [tgt(1, "x", value, 2030)]
    assert _one(tiny, "tgt-0001", 2024)["status"] == status


def test_decreasing_indicator(tiny: Workspace) -> None:
    # w: 100 (2018) -> 90 (2020) -> 80 (2022): -5 per year; projected at 2028: 80 - 5 * 6 = 50
    _third_point(tiny)
    tiny.targets = [
        tgt(1, "w", 60, 2028),
        tgt(2, "w", 40, 2028),
        tgt(3, "w", 20, 2028),
        tgt(4, "w", 90, 2028),
    ]
    report = monitor(tiny, as_of=2024).to_dict()
    by_id = {t["target_id"]: t for t in report["targets"]}
    assert by_id["tgt-0001"]["projected_value"] == pytest.approx(50.0)
    assert by_id["tgt-0001"]["status"] == "on track"  # 50 <= 60
    assert by_id["tgt-0002"]["status"] == "at risk"  # fall of 50 >= 0.75 * 60 = 45
    assert by_id["tgt-0003"]["status"] == "off track"  # fall of 50 < 0.75 * 80 = 60
    assert by_id["tgt-0004"]["status"] == "achieved"  # 80 <= 90
    assert by_id["tgt-0001"]["required_per_year"] == pytest.approx(-20 / 6)  # (60 - 80) / (2028 - 2022)


def test_target_year_passed_achieved_or_missed(tiny: Workspace) -> None:
    # y: 10 (2018), 14 (2020), 18 (2022); the 2020 figure decides a 2020 target
    tiny.targets = [tgt(1, "y", 20, 2020), tgt(2, "y", 12, 2020), tgt(3, "y", 16, 2021)]
    report = monitor(tiny, as_of=2024).to_dict()
    by_id = {t["target_id"]: t for t in report["targets"]}
    assert by_id["tgt-0001"]["status"] == "missed"
    assert (by_id["tgt-0001"]["evaluated_value"], by_id["tgt-0001"]["evaluated_year"]) == (14, 2020)
    assert by_id["tgt-0002"]["status"] == "achieved"
    # no 2021 figure: the first one after it (2022: 18) decides
    assert by_id["tgt-0003"]["status"] == "achieved"
    assert by_id["tgt-0003"]["evaluated_year"] == 2022
    assert all(t["target_year_passed"] for t in report["targets"])


def test_passed_without_figure_is_no_recent_data(tiny: Workspace) -> None:
    tiny.targets = [tgt(1, "x", 30, 2020)]
    # as of 2021 only the 2018 figure is known (the 2022 one is in the future), and 10 < 30
    r = _one(tiny, "tgt-0001", 2021)
    assert r["status"] == "no recent data"
    assert (r["latest_value"], r["latest_year"]) == (10, 2018)


def test_no_recent_data_when_stale_or_single(tiny: Workspace) -> None:
    _third_point(tiny)
    tiny.targets = [tgt(1, "z", 20, 2030), tgt(2, "x", 30, 2030)]
    # z's latest figure (2019) is 5 years older than 2024: more than 3
    assert _one(tiny, "tgt-0001", 2024)["status"] == "no recent data"
    # 2022 is exactly 3 years before 2025: still recent
    assert _one(tiny, "tgt-0002", 2025)["status"] == "on track"
    # as of 2019 x has a single figure (2018): no trend
    r = _one(tiny, "tgt-0002", 2019)
    assert r["status"] == "no trend"
    assert r["achieved_per_year"] is None
    assert r["projected_value"] is None


def test_no_data_and_unit_mismatch(tiny: Workspace) -> None:
    tiny.targets = [tgt(1, "v", 5, 2030), tgt(2, "x", 5, 2030, unit="%")]
    report = monitor(tiny, as_of=2024).to_dict()
    assert [t["status"] for t in report["targets"]] == ["no data", "no data"]


def test_conflict_is_reported_and_left_out_until_a_choice(tiny: Workspace) -> None:
    tiny.observations.append(obs(20, "x", 2022, 25))  # a second 2022 figure from another source
    tiny.targets = [tgt(1, "x", 30, 2030)]
    report = monitor(tiny, as_of=2024)
    (c,) = report.conflicts
    assert (c.indicator, c.year, c.resolved) == ("x", 2022, False)
    assert sorted(v["value"] for v in c.values) == [18, 25]
    assert all(v["source"] for v in c.values)
    # the disputed year is not used: the series is just 2018 -> no trend
    assert report.targets[0].latest_year == 2018
    # choosing one resolves it and the series uses the chosen value
    tiny.observation("obs-0020").preferred = True
    report = monitor(tiny, as_of=2024)
    assert report.conflicts[0].resolved and report.conflicts[0].chosen_id == "obs-0020"
    assert report.targets[0].latest_value == 25
    assert report.targets[0].achieved_per_year == pytest.approx(3.75)  # (25 - 10) / 4


def test_equal_values_from_two_sources_are_not_a_conflict(tiny: Workspace) -> None:
    tiny.observations.append(obs(21, "x", 2022, 18))
    report = monitor(tiny, as_of=2024)
    assert report.conflicts == []


def test_as_of_ignores_later_figures(tiny: Workspace) -> None:
    tiny.targets = [tgt(1, "y", 30, 2030)]
    r = _one(tiny, "tgt-0001", 2020)
    assert (r["latest_value"], r["latest_year"]) == (14, 2020)
    assert r["achieved_per_year"] == pytest.approx(2.0)  # (14 - 10) / 2


def test_pillar_gaps_and_trends(tiny: Workspace) -> None:
    tiny.targets = [tgt(1, "x", 30, 2030)]
    report = monitor(tiny, as_of=2024).to_dict()
    pillars = {p["pillar"]: p for p in report["pillars"]}
    assert set(pillars) == {"infrastructure", "industries", "attractiveness", "consumption", "creative_class"}
    assert pillars["infrastructure"] == {**pillars["infrastructure"], "indicators": 1, "observations": 2}
    assert pillars["consumption"]["gap"] is True  # v is mapped but has no figure
    assert pillars["consumption"]["indicators"] == 1
    assert pillars["creative_class"]["gap"] is True  # nothing mapped at all
    assert pillars["industries"]["gap"] is False
    trends = {t["indicator"] for t in report["trends"]}
    assert trends == {"y", "z", "w"}  # x has a target
    (w,) = [t for t in report["trends"] if t["indicator"] == "w"]
    assert w["change_per_year"] == pytest.approx(-5.0)
    assert w["compound_per_year"] == pytest.approx(0.8**0.25 - 1)


def test_stale_lists_old_and_undated(tiny: Workspace) -> None:
    tiny.observations.append(obs(30, "v", None, 3))
    report = monitor(tiny, as_of=2024).to_dict()
    stale = {(s["indicator"], s["reason"]) for s in report["stale"]}
    assert ("z", "latest figure is 5 years old (more than 3)") in stale
    assert ("v", "undated figure") in stale
    assert not any(s["indicator"] == "x" for s in report["stale"])


# -- the bundled Hanoi workspace, as of 2026 --------------------------------------------------------


@pytest.fixture
def hanoi_report() -> dict:
    return monitor(bundled_workspace("hanoi"), as_of=2026).to_dict()


def test_contract_shape(hanoi_report: dict) -> None:
    assert {"city", "as_of", "targets", "pillars", "conflicts", "stale"} <= set(hanoi_report)
    assert hanoi_report["city"] == "Hanoi" and hanoi_report["as_of"] == 2026
    keys = {
        "indicator",
        "scope",
        "target_value",
        "target_year",
        "baseline_value",
        "baseline_year",
        "latest_value",
        "latest_year",
        "achieved_per_year",
        "required_per_year",
        "projected_value",
        "status",
        "source",
    }
    for t in hanoi_report["targets"]:
        assert keys <= set(t)
    for p in hanoi_report["pillars"]:
        assert {"pillar", "indicators", "observations", "gap"} <= set(p)
    for c in hanoi_report["conflicts"]:
        assert {"indicator", "year", "values"} <= set(c)


def test_every_hanoi_target_with_hand_numbers(hanoi_report: dict) -> None:
    rows = [
        (t["indicator"], t["scope"], t["level"], t["target_value"], t["target_year"], t["status"])
        for t in hanoi_report["targets"]
    ]
    assert rows == [
        ("creative_industry_share_grdp", "Hanoi", "city", 5, 2025, "no recent data"),  # only 2018
        ("creative_industry_share_grdp", "Hanoi", "city", 8, 2030, "no recent data"),  # 2018: 8 years old
        ("creative_industry_share_grdp", "Hanoi", "city", 10, 2045, "no recent data"),
        ("cultural_industry_centres", "Hanoi", "city", 1, 2025, "no data"),  # the range 1-2
        ("cultural_industry_centres", "Hanoi", "city", 10, 2030, "no data"),
        # Decision 1755: a REVENUE share of 3 % by 2020; the revenue series says 3.61 % in 2018
        ("cultural_industries_share_gdp", "Viet Nam", "national", 3, 2020, "achieved"),
        ("cultural_industries_share_gdp", "Viet Nam", "national", 7, 2030, "no recent data"),
        ("cultural_industries_share_gdp", "Viet Nam", "national", 9, 2045, "no recent data"),
        ("cultural_industries_share_employment", "Viet Nam", "national", 6, 2030, "no data"),
    ]
    t = hanoi_report["targets"]
    # 3.7 % of GRDP in 2018 against 5 % by 2025: (5 - 3.7) / 7 = 0.185714 points a year
    assert (t[0]["baseline_value"], t[0]["baseline_year"], t[0]["latest_value"]) == (3.7, 2018, 3.7)
    assert t[0]["required_per_year"] == pytest.approx(0.185714, abs=1e-6)
    assert t[0]["change_unit"] == "pp"  # a change of a percentage is in percentage points
    assert t[0]["required_compound"] == pytest.approx(0.043954, abs=1e-6)  # (5 / 3.7) ** (1/7) - 1
    assert t[0]["achieved_per_year"] is None and t[0]["projected_value"] is None
    assert t[1]["required_per_year"] == pytest.approx(4.3 / 12)  # 0.358333
    assert t[2]["required_per_year"] == pytest.approx(6.3 / 27)  # 0.233333
    assert (t[3]["target_bound"], t[3]["target_value_high"]) == ("range", 2)
    # 1755 follows the revenue series (2.68 in 2015, 3.61 in 2018), never the value-added one
    assert t[5]["method"] == "revenue of the cultural industries relative to GDP"
    assert (t[5]["baseline_value"], t[5]["latest_value"], t[5]["latest_year"]) == (2.68, 3.61, 2018)
    assert t[5]["evaluated_value"] is None  # no revenue figure for 2020 or later
    assert t[5]["explanation"] == "target year passed; met before the target year"
    assert t[5]["projected_value"] is None
    assert t[5]["incomparable_series"][0]["method"] == "value added at current prices (ministry estimate)"
    # 2486's 7 % by 2030 (revenue): the revenue series ends in 2018, 8 years before 2026
    assert t[6]["required_per_year"] == pytest.approx((7 - 3.61) / 12)
    assert t[0]["source"].startswith("https://hanoitimes.vn/")
    assert hanoi_report["summary"] == {
        "city": {"targets": 5, "by_status": {"no recent data": 3, "no data": 2}},
        "national": {"targets": 4, "by_status": {"achieved": 1, "no recent data": 2, "no data": 1}},
    }


def test_decision_1755_without_a_revenue_series_says_no_comparable_series() -> None:
    ws = bundled_workspace("hanoi")
    ws.observations = [o for o in ws.observations if not o.method.startswith("revenue")]
    t = monitor(ws, as_of=2026).targets[5]
    # the value-added share (4.32 % in 2020) exceeds 3 %, but it is not what Decision 1755 measures
    assert t.status == "no comparable series"
    assert t.latest_value is None and t.evaluated_value is None
    assert "revenue of the cultural industries relative to GDP" in t.explanation
    assert "value added at current prices (ministry estimate)" in t.explanation


def test_hanoi_acceptance_example_as_of_2024() -> None:
    report = monitor(bundled_workspace("hanoi"), as_of=2024)
    t = report.targets[0]
    assert (t.target_value, t.target_year, t.latest_value, t.latest_year) == (5, 2025, 3.7, 2018)
    assert t.required_per_year == pytest.approx(1.3 / 7)
    assert t.status == "no recent data"  # 2024 - 2018 = 6 > 3
    assert not t.target_year_passed


def test_hanoi_with_new_figures_is_at_risk() -> None:
    ws = bundled_workspace("hanoi")
    ws.series_breaks = []  # the COVID break would leave only the 2023 figure after it
    ws.observations += [
        obs(998, "creative_industry_share_grdp", 2020, 4.1, scope="Hà Nội", unit="% of GRDP"),
        obs(999, "creative_industry_share_grdp", 2023, 4.5, scope="Hanoi", unit="% of GRDP"),
    ]
    t = monitor(ws, as_of=2024).targets[0]
    assert t.points == 3  # "Hà Nội" and "Hanoi" are one scope: the city's
    assert t.achieved_per_year == pytest.approx(0.16)  # (4.5 - 3.7) / 5
    assert t.projected_value == pytest.approx(4.82)  # 4.5 + 0.16 * 2
    assert t.required_per_year == pytest.approx(0.25)  # (5 - 4.5) / 2
    # 4.82 < 5 but 4.82 - 3.7 = 1.12 >= 0.75 * 1.3 = 0.975
    assert t.status == "at risk"


def test_no_projection_through_the_covid_break() -> None:
    ws = bundled_workspace("hanoi")  # series_breaks: 2020-2021
    ws.observations += [
        obs(997, "creative_industry_share_grdp", 2021, 3.0, scope="Hanoi", unit="% of GRDP"),
        obs(998, "creative_industry_share_grdp", 2022, 4.0, scope="Hanoi", unit="% of GRDP"),
        obs(999, "creative_industry_share_grdp", 2023, 4.5, scope="Hanoi", unit="% of GRDP"),
    ]
    t = monitor(ws, as_of=2024).targets[0]
    # after the break only 2022 and 2023: two figures, no projection
    assert (t.points, t.projection_points, t.projected_value) == (4, 2, None)
    assert t.status == "no trend" and "break ending 2021" in t.explanation
    ws.observations.append(
        obs(996, "creative_industry_share_grdp", 2024, 4.7, scope="Hanoi", unit="% of GRDP")
    )
    t = monitor(ws, as_of=2024).targets[0]
    # 2022 (4.0) -> 2024 (4.7): 0.35 a year; at 2025: 4.7 + 0.35 = 5.05 >= 5
    assert t.projected_value == pytest.approx(5.05)
    assert (
        t.projection_method
        == "straight line through the 2022 and 2024 figures (3 figures after the break ending 2021)"
    )
    assert t.status == "on track"


def test_national_methods_never_mixed(hanoi_report: dict) -> None:
    t = hanoi_report["targets"][6]
    assert t["method"] == "revenue of the cultural industries relative to GDP"
    # the value-added series (2018-2023) is another definition: named, never used
    assert t["incomparable_series"] == [
        {
            "method": "value added at current prices (ministry estimate)",
            "latest_year": 2023,
            "latest_value": 4.0,
            "points": 6,
        }
    ]
    assert t["points"] == 2  # 2015 and 2018, revenue only
    # 3.61 and 5.82 for 2018 are two series, not a conflict
    assert not [c for c in hanoi_report["conflicts"] if c["indicator"] == "cultural_industries_share_gdp"]
    # the value-added series is a trend of its own, its 2023 figure a lower bound ("more than 4 %")
    (va,) = [x for x in hanoi_report["trends"] if x["method"].startswith("value added")]
    assert (va["level"], va["latest_bound"], va["change_unit"]) == ("national", "lower", "pp")
    assert va["change_per_year"] == pytest.approx(-0.364)  # (4 - 5.82) / 5


def test_a_bound_decides_only_by_its_certain_side(tiny: Workspace) -> None:
    # "more than 12" in 2022 meets a target of 12 but cannot show that a target of 20 was missed
    tiny.observations = [obs(1, "v", 2022, 12, bound="lower")]
    tiny.targets = [
        tgt(1, "v", 12, 2021),
        tgt(2, "v", 20, 2021),
        tgt(3, "v", 10, 2021, bound="range", value_high=14),
    ]
    report = monitor(tiny, as_of=2024).to_dict()
    assert [t["status"] for t in report["targets"]] == ["achieved", "no recent data", "achieved"]
    assert "cannot decide" in report["targets"][1]["explanation"]
    tiny.observations = [obs(1, "v", 2022, 12, bound="upper")]  # "less than 12" certainly misses 20
    assert _one(tiny, "tgt-0002", 2024)["status"] == "missed"


def test_pinned_method_follows_the_revenue_series() -> None:
    ws = bundled_workspace("hanoi")
    ws.targets[6].method = "revenue of the cultural industries relative to GDP"
    t = monitor(ws, as_of=2026).targets[6]
    assert (t.baseline_value, t.baseline_year, t.latest_value, t.latest_year) == (2.68, 2015, 3.61, 2018)
    assert t.achieved_per_year == pytest.approx(0.31)  # (3.61 - 2.68) / 3
    assert t.status == "no recent data"  # 2018 is 8 years before 2026


def test_hanoi_conflict_gap_and_stale(hanoi_report: dict) -> None:
    (c,) = hanoi_report["conflicts"]
    assert (c["indicator"], c["year"]) == ("creative_spaces", 2019)
    assert sorted(v["value"] for v in c["values"]) == [60, 200]
    assert all(v["source"].startswith("https://") for v in c["values"])
    gaps = [p["pillar"] for p in hanoi_report["pillars"] if p["gap"]]
    assert gaps == ["consumption"]
    industries = next(p for p in hanoi_report["pillars"] if p["pillar"] == "industries")
    # 3 Hanoi figures (arts share, cultural-industry share, value, all 2018) + 10 national
    # (establishments, output, 8 GDP shares)
    assert (industries["observations"], industries["city_observations"]) == (13, 3)
    undated = {s["indicator"] for s in hanoi_report["stale"] if s["reason"] == "undated figure"}
    assert undated == {"creative_spaces", "cultural_houses_coverage"}


def test_coverage_by_cccm_dimension() -> None:
    from creativecity.monitoring.create import new_workspace

    ws = new_workspace("c", "City", "VNM", "Design", framework="cccm")
    ws.observations = [
        obs(1, "museums", 2020, 40),
        obs(2, "theatres", 2020, 5),
        obs(3, "ict_patents", 2021, 9),
    ]
    report = monitor(ws, as_of=2024)
    cov = {p.pillar: (p.indicators, p.observations, p.gap) for p in report.pillars}
    assert len(cov) == 9
    assert cov["D1.1"] == (5, 2, False)  # 5 venue indicators, museums + theatres figures
    assert cov["D2.2"] == (2, 1, False)
    assert cov["D3.4"] == (1, 0, True)


def test_resolve_points_rules_by_hand() -> None:
    """One series, three years, each a different case of the preferred rules (module docs)."""
    from mon_helpers import obs

    from creativecity.monitoring.model import IndicatorDef
    from creativecity.monitoring.progress import observations_frame, resolve_points

    ws = Workspace("r", "City", "VNM", "Design", indicators=[IndicatorDef("x", "X", "", "count")])
    ws.observations = [
        # 2018: 10 set aside; the two others agree on 12 -> point 12 (first of them, obs-0002)
        obs(1, "x", 2018, 10, preferred=False),
        obs(2, "x", 2018, 12),
        obs(3, "x", 2018, 12),
        # 2019: 5 chosen over 6 -> point 5
        obs(4, "x", 2019, 6),
        obs(5, "x", 2019, 5, preferred=True),
        # 2020: both set aside -> no point, an unresolved conflict
        obs(6, "x", 2020, 7, preferred=False),
        obs(7, "x", 2020, 8, preferred=False),
        # 2021: a single figure -> point 9, no conflict; 2030 is after as_of -> ignored
        obs(8, "x", 2021, 9),
        obs(9, "x", 2030, 99),
    ]
    points, conflicts = resolve_points(observations_frame(ws), 2025)
    assert list(zip(points["year"], points["value"], points["id"], strict=True)) == [
        (2018, 12.0, "obs-0002"),
        (2019, 5.0, "obs-0005"),
        (2021, 9.0, "obs-0008"),
    ]
    got = list(zip(conflicts["id"], conflicts["chosen_id"], conflicts["resolved"], strict=True))
    assert [(i, c if isinstance(c, str) else None, bool(r)) for i, c, r in got] == [
        ("obs-0001", "obs-0002", True),
        ("obs-0002", "obs-0002", True),
        ("obs-0003", "obs-0002", True),
        ("obs-0004", "obs-0005", True),
        ("obs-0005", "obs-0005", True),
        ("obs-0006", None, False),
        ("obs-0007", None, False),
    ]
