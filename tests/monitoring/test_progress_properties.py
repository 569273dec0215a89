"""Properties of monitor() on random series (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mon_helpers import obs, tgt

from creativecity.monitoring.model import IndicatorDef, Workspace
from creativecity.monitoring.progress import STATUSES, monitor

series = st.dictionaries(
    st.integers(2000, 2024), st.floats(0.1, 1000, allow_nan=False), min_size=1, max_size=8
)


@settings(max_examples=40, deadline=None)
@given(a=series, b=series, target=st.floats(0.1, 2000), year=st.integers(2001, 2040))
def test_methods_never_mixed(a: dict[int, float], b: dict[int, float], target: float, year: int) -> None:
    observations = [obs(i, "x", y, v, method="A") for i, (y, v) in enumerate(sorted(a.items()))]
    observations += [obs(100 + i, "x", y, v, method="B") for i, (y, v) in enumerate(sorted(b.items()))]
    ws = Workspace(
        "p",
        "City",
        "VNM",
        "Design",
        indicators=[IndicatorDef("x", "X", unit="count")],
        observations=observations,
        targets=[tgt(1, "x", target, year, method="A"), tgt(2, "x", target, year, method="B")],
    )
    report = monitor(ws, as_of=2024)
    for t, data in zip(report.targets, (a, b), strict=True):
        first, last = min(data), max(data)
        assert t.status in STATUSES
        assert (t.baseline_year, t.baseline_value) == (first, data[first])
        assert (t.latest_year, t.latest_value) == (last, data[last])
        assert t.points == len(data)
    # one method's figures never create a conflict with the other's
    assert report.conflicts == []
