"""Property tests of the engine (hypothesis): invariants that must hold for ANY data.

Each property is a mathematical fact about the method, checked through the whole pipeline
(framework -> unit data -> spec -> build) so that validation, direction handling and weight
normalisation are exercised together with the formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from creativecity.index.analysis.cronbach import cronbach_alpha
from creativecity.index.analysis.weights import effective_weights
from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.spec import Spec

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

finite = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False
)


def _spread(values: list[float]) -> bool:
    v = [x for x in values if not math.isnan(x)]
    return len(v) >= 2 and max(v) - min(v) > 1e-6 * max(1.0, max(abs(x) for x in v))


def framework(
    children: dict[str, list[str]],
    weights: dict[str, float] | None = None,
    direction: dict[str, int] | None = None,
) -> Framework:
    """Framework from {aggregate: children} (children listed before parents); cached, since reading and
    validating iMeta costs far more than a build of a few units."""
    key = repr((children, direction))
    if key not in _CACHE:
        _CACHE[key] = _framework(children, direction)
    fw = _CACHE[key]
    return fw.with_weights(weights) if weights else fw


_CACHE: dict[str, Framework] = {}


def _framework(children: dict[str, list[str]], direction: dict[str, int] | None) -> Framework:
    rows = []
    aggs = list(children)
    level = {}
    for agg in aggs:  # children listed before parents
        for c in children[agg]:
            level.setdefault(c, 1)
        level[agg] = max(level[c] for c in children[agg]) + 1
    parent = {c: agg for agg, kids in children.items() for c in kids}
    for code in [c for c in level if level[c] == 1] + aggs:
        rows.append(
            {
                "Level": level[code],
                "iCode": code,
                "Direction": (direction or {}).get(code, 1),
                "Weight": 1.0,
                "Parent": parent.get(code, ""),
                "Type": "Indicator" if level[code] == 1 else "Aggregate",
            }
        )
    return Framework.read(pd.DataFrame(rows), name="property iMeta")


def run(fw: Framework, columns: dict[str, list[float]], steps: list[dict]) -> object:
    n = len(next(iter(columns.values())))
    data = pd.DataFrame({"uCode": [f"U{i:03d}" for i in range(n)], **columns})
    return build(
        fw, UnitData.read(data, fw, name="property iData"), Spec.from_dict({"version": 1, "steps": steps})
    )


@SETTINGS
@given(
    values=st.lists(st.one_of(finite, st.just(math.nan)), min_size=3, max_size=15),
    lo=st.floats(-100, 100),
    width=st.floats(0.1, 1000),
)
def test_minmax_output_spans_its_range(values: list[float], lo: float, width: float) -> None:
    assume(_spread(values))
    hi = lo + width
    res = run(
        framework({"Index": ["x"]}),
        {"x": values},
        [{"step": "normalise", "method": "minmax", "range": [lo, hi]}, {"step": "aggregate"}],
    )
    out = res.datasets["Normalised"]["x"].to_numpy(float)
    got = out[~np.isnan(out)]
    tol = 1e-9 * (abs(lo) + abs(hi))
    assert got.min() == pytest.approx(lo, abs=tol) and got.max() == pytest.approx(hi, abs=tol)
    assert np.all((got >= lo - tol) & (got <= hi + tol))
    assert np.array_equal(np.isnan(out), np.isnan(np.asarray(values)))  # missing stays missing


@SETTINGS
@given(
    values=st.lists(st.integers(-(10**6), 10**6).map(float), min_size=2, max_size=15, unique=True),
    method=st.sampled_from(["minmax", "zscore", "rank"]),
)
def test_flipping_direction_reverses_ranks(values: list[float], method: str) -> None:
    # distinct values (integers, so that they stay distinct after rescaling in floating point): no ties,
    # so rank_down = n + 1 - rank_up for every unit
    assume(_spread(values))
    steps = [{"step": "normalise", "method": method}, {"step": "aggregate"}]
    up = run(framework({"Index": ["x"]}), {"x": values}, steps).ranks["Index"].astype(int)
    down = (
        run(framework({"Index": ["x"]}, direction={"x": -1}), {"x": values}, steps).ranks["Index"].astype(int)
    )
    assert ((up + down) == len(values) + 1).all()


tree = {"P1": ["a", "b", "c"], "P2": ["d", "e"], "Index": ["P1", "P2"]}
positive_weight = st.floats(0.1, 10)


@SETTINGS
@given(
    data=st.lists(st.tuples(finite, finite, finite, finite, finite), min_size=3, max_size=10),
    w=st.tuples(*[positive_weight] * 7),
    c=st.floats(0.01, 100),
    agg=st.sampled_from(
        [
            {"method": "arithmetic"},
            {"method": "geometric"},
            {"method": "harmonic"},
            {"method": "generalised", "p": 2.5},
            {"method": "copeland"},
        ]
    ),
)
def test_scaling_a_parents_weights_changes_nothing(data: list[tuple], w: tuple, c: float, agg: dict) -> None:
    cols = {k: [row[i] for row in data] for i, k in enumerate("abcde")}
    assume(all(_spread(v) for v in cols.values()))
    weights = dict(zip(["a", "b", "c", "d", "e", "P1", "P2"], w, strict=True))
    fw = framework(tree, weights)
    steps = [{"step": "normalise", "method": "minmax", "range": [1, 100]}, {"step": "aggregate", **agg}]
    base = run(fw, cols, steps)
    scaled = {**weights, **{k: c * weights[k] for k in tree["P1"]}}  # every child of P1 times c
    other = base.rebuild(base.spec.set("aggregate.weights", scaled))
    pd.testing.assert_frame_equal(base.scores, other.scores, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(
    values=st.lists(finite, min_size=3, max_size=12),
    k=st.integers(1, 5),
    w=st.lists(positive_weight, min_size=5, max_size=5),
    agg=st.sampled_from(
        [
            {"method": "arithmetic"},
            {"method": "geometric"},
            {"method": "harmonic"},
            {"method": "generalised", "p": -1.5},
            {"method": "generalised", "p": 3},
        ]
    ),
)
def test_aggregate_of_identical_children_is_the_child(
    values: list[float], k: int, w: list[float], agg: dict
) -> None:
    assume(_spread(values))
    kids = [f"i{j}" for j in range(k)]
    fw = framework({"Index": kids}, dict(zip(kids, w, strict=False)))
    res = run(
        fw,
        {c: values for c in kids},
        [{"step": "normalise", "method": "minmax", "range": [1, 100]}, {"step": "aggregate", **agg}],
    )
    s = res.scores
    np.testing.assert_allclose(s["Index"].to_numpy(float), s["i0"].to_numpy(float), rtol=1e-12)


@SETTINGS
@given(
    values=st.lists(st.one_of(finite, st.just(math.nan)), min_size=3, max_size=15),
    mean=st.floats(-100, 100),
    sd=st.floats(0.01, 100),
)
def test_zscore_has_the_requested_mean_and_sd(values: list[float], mean: float, sd: float) -> None:
    assume(_spread(values))
    res = run(
        framework({"Index": ["x"]}),
        {"x": values},
        [{"step": "normalise", "method": "zscore", "mean": mean, "sd": sd}, {"step": "aggregate"}],
    )
    z = res.datasets["Normalised"]["x"].dropna()
    assert z.mean() == pytest.approx(mean, abs=1e-7 * (1 + abs(mean) + sd))
    assert z.std(ddof=1) == pytest.approx(sd, rel=1e-7)


# ---------------------------------------------------------------------------- analysis invariants
@SETTINGS
@given(w=st.tuples(*[st.floats(0.01, 100)] * 7))
def test_effective_weights_of_each_level_sum_to_one(w: tuple) -> None:
    fw = framework(tree, dict(zip(["a", "b", "c", "d", "e", "P1", "P2"], w, strict=True)))
    ew = effective_weights(fw)
    for level in (1, 2, 3):
        assert ew[fw.codes_at(level)].sum() == pytest.approx(1.0, rel=1e-12)


@SETTINGS
@given(
    data=st.lists(st.tuples(finite, finite, finite), min_size=4, max_size=12),
    shift=st.floats(-1e3, 1e3),
    scale=st.floats(0.1, 10),
)
def test_cronbach_is_unchanged_by_a_common_shift_and_scale(
    data: list[tuple], shift: float, scale: float
) -> None:
    # shifting leaves C unchanged; scaling all columns by s multiplies C by s^2, cancelling in trace/sum
    x = pd.DataFrame(data, columns=list("abc"))
    assume(all(_spread(x[c].tolist()) for c in x))
    a0 = cronbach_alpha(x)
    assume(math.isfinite(a0) and abs(x.cov().to_numpy().sum()) > 1e-6 * np.trace(x.cov().to_numpy()))
    assert cronbach_alpha(x * scale + shift) == pytest.approx(a0, rel=1e-6, abs=1e-6)


@SETTINGS
@given(data=st.lists(st.tuples(finite, finite, finite, finite), min_size=6, max_size=20))
def test_pca_explained_variance_is_a_decreasing_distribution(data: list[tuple]) -> None:
    from creativecity.index.analysis.pca import pca

    x = pd.DataFrame(data, columns=list("abcd"))
    assume(all(_spread(x[c].tolist()) for c in x))
    res = pca(x, scaling="squared")
    assert res.explained.sum() == pytest.approx(1.0)
    assert np.all(np.diff(res.explained) <= 1e-12)
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights >= 0).all()
    # the first component explains at least an equal share (1/k) of the variance
    assert res.explained[0] >= 1 / 4 - 1e-12


@SETTINGS
@given(
    data=st.lists(st.tuples(finite, finite), min_size=3, max_size=20),
    method=st.sampled_from(["pearson", "spearman", "kendall"]),
)
def test_correlation_is_symmetric_and_bounded(data: list[tuple], method: str) -> None:
    from creativecity.index.analysis.correlations import correlate

    x = np.array([d[0] for d in data])
    y = np.array([d[1] for d in data])
    r1, p1, _ = correlate(x, y, method)
    r2, p2, _ = correlate(y, x, method)
    assert math.isnan(p1) == math.isnan(p2)
    if math.isnan(r1):
        assert math.isnan(r2)
    else:
        assert r1 == pytest.approx(r2, abs=1e-12) and -1 <= r1 <= 1 and 0 <= p1 <= 1


@SETTINGS
@given(
    data=st.lists(st.tuples(*[st.integers(0, 6)] * 3), min_size=34, max_size=60),
    method=st.sampled_from(["pearson", "spearman", "kendall"]),
)
def test_bulk_correlations_equal_scipy_with_ties(data: list[tuple], method: str) -> None:
    # small integers: many ties; n >= 34 keeps Kendall in its matrix form (SciPy's normal approximation)
    from scipy import stats as sps

    from creativecity.index.analysis.correlations import correlation_pairs

    x = pd.DataFrame(data, columns=list("abc"), dtype=float)
    ref = {"pearson": sps.pearsonr, "spearman": sps.spearmanr, "kendall": sps.kendalltau}[method]
    for _, row in correlation_pairs(x, method=method).iterrows():
        a, b = x[row["code_1"]], x[row["code_2"]]
        if a.nunique() < 2 or b.nunique() < 2:
            assert math.isnan(row["r"])
            continue
        res = ref(a, b)
        assert row["r"] == pytest.approx(res.statistic, rel=1e-9, abs=1e-12)
        assert row["p"] == pytest.approx(res.pvalue, rel=1e-7, abs=1e-12)
