"""build(): ASEM end to end with both example specs, aggregation rules, rebuild reuse."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import REGISTRY, Framework, Spec, UnitData, build
from creativecity.index.examples import asem, asem_spec


@pytest.fixture(scope="module")
def asem_inputs() -> tuple[Framework, UnitData]:
    return asem()


@pytest.mark.parametrize("which", ["full", "simple"])
def test_asem_shapes(asem_inputs: tuple[Framework, UnitData], which: str) -> None:
    fw, data = asem_inputs
    res = build(fw, data, asem_spec(which))
    expected_sets = {
        "full": ["Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"],
        "simple": ["Raw", "Imputed", "Normalised", "Aggregated"],
    }[which]
    assert list(res.datasets) == expected_sets
    assert res.scores.shape == (51, 49 + 8 + 2 + 1)
    assert list(res.scores.columns) == fw.codes
    assert res.datasets["Normalised"].shape == (51, 49)
    assert not res.scores.isna().any().any()  # group-mean imputation fills every gap in ASEM


@pytest.mark.parametrize("which", ["full", "simple"])
def test_aggregates_are_weighted_means_of_children(
    asem_inputs: tuple[Framework, UnitData], which: str
) -> None:
    fw, data = asem_inputs
    s = build(fw, data, asem_spec(which)).scores
    w = fw.weights
    for agg in fw.aggregates:
        kids = fw.children(agg)
        expected = (s[kids] * w[kids]).sum(axis=1) / w[kids].sum()  # recomputed with pandas
        np.testing.assert_allclose(s[agg], expected, rtol=1e-12)
    # normalised indicators span exactly [0, 100]
    ind = s[fw.indicators]
    assert (ind.min() == 0).all() and (ind.max() == 100).all()


def test_asem_simple_normalised_is_minmax_of_directed_imputed(
    asem_inputs: tuple[Framework, UnitData],
) -> None:
    fw, data = asem_inputs
    res = build(fw, data, asem_spec("simple"))
    imp = res.datasets["Imputed"] * fw.direction
    expected = (imp - imp.min()) / (imp.max() - imp.min()) * 100
    np.testing.assert_allclose(res.datasets["Normalised"], expected, rtol=1e-12, atol=1e-12)


def test_asem_full_treatment_recorded(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    res = build(fw, data, asem_spec("full"))
    t = res.details["treat"]
    assert list(t.index) == fw.indicators
    treated = t[t["status"].isin(["winsorised", "log_ct"])]
    assert len(treated) > 0
    # every column that was left alone passed the test on the data it received
    assert (t.loc[t["status"] == "passed", "points"] == 0).all()
    # winsorised columns never exceed their original range
    before, after = res.datasets["Screened"], res.datasets["Treated"]
    for code in t.index[t["status"] == "winsorised"]:
        assert after[code].max() <= before[code].max() and after[code].min() >= before[code].min()


def test_geometric_with_zero_is_input_error(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    spec = asem_spec("simple").set("aggregate.method", "geometric")
    with pytest.raises(InputError) as e:
        build(fw, data, spec)
    assert "[1, 100]" in e.value.message and e.value.rule == "positive values"
    assert e.value.row is not None and e.value.column in fw.indicators
    ok = spec.set("normalise", {"method": "minmax", "range": [1, 100]})
    res = build(fw, data, ok)
    s = res.scores
    kids = fw.children("Physical")
    w = fw.weights[kids] / fw.weights[kids].sum()
    np.testing.assert_allclose(s["Physical"], np.exp((np.log(s[kids]) * w).sum(axis=1)), rtol=1e-12)


def _tiny(values: dict[str, list[float | None]]) -> tuple[Framework, UnitData]:
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 2, 2, 3],
            "iCode": ["a", "b", "c", "P", "Q", "I"],
            "Direction": [1, -1, 1, 1, 1, 1],
            "Weight": [1, 1, 2, 1, 3, 1],
            "Parent": ["P", "P", "Q", "I", "I", ""],
            "Type": ["Indicator"] * 3 + ["Aggregate"] * 3,
        }
    )
    fw = Framework.read(meta)
    return fw, UnitData.read(pd.DataFrame({"uCode": ["U1", "U2", "U3"], **values}), fw)


def test_tiny_by_hand() -> None:
    fw, data = _tiny({"a": [0, 5, 10], "b": [10, 5, 0], "c": [1, None, 3]})
    res = build(fw, data, Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate"}]}))
    s = res.scores
    # a -> (0, 50, 100); b direction -1 -> (0, 50, 100); c -> (0, NaN, 100)
    # P = mean(a, b) = (0, 50, 100); Q = c; I = (1*P + 3*Q)/4 but U2 has no Q -> I = P
    np.testing.assert_array_equal(s["P"], [0, 50, 100])
    assert np.isnan(s.loc["U2", "Q"])
    np.testing.assert_array_equal(s["I"], [0, 50, 100])
    r = res.ranks
    assert r["I"].tolist() == [3, 2, 1] and pd.isna(r.loc["U2", "Q"])


def test_weights_min_data_and_methods_per_level() -> None:
    fw, data = _tiny({"a": [0, 5, 10], "b": [10, 5, 0], "c": [1, None, 3]})
    spec = Spec.from_dict(
        {
            "steps": [
                {"step": "normalise", "method": "minmax", "range": [1, 101]},
                {
                    "step": "aggregate",
                    "method": {2: "arithmetic", "I": "geometric"},
                    "weights": {"P": 3, "Q": 1},
                    "min_data": 0.6,
                },
            ]
        }
    )
    s = build(fw, data, spec).scores
    # a, b -> (1, 51, 101), c -> (1, NaN, 101); P = (1, 51, 101), Q = (1, NaN, 101)
    # I geometric with weights P 3, Q 1: U1 = 1; U3 = 101; U2: children share 1/2 < 0.6 -> missing
    np.testing.assert_allclose(s["I"].tolist(), [1.0, np.nan, 101.0], rtol=1e-14)
    spec2 = spec.set("aggregate.min_data", 0.5)
    assert build(fw, data, spec2).scores.loc["U2", "I"] == pytest.approx(51.0, rel=1e-14)


def test_unknown_weight_code_is_error() -> None:
    fw, data = _tiny({"a": [0, 5, 10], "b": [10, 5, 0], "c": [1, 2, 3]})
    spec = Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate", "weights": {"Z": 1}}]})
    with pytest.raises(InputError) as e:
        build(fw, data, spec)
    assert e.value.column == "steps[1].weights.Z"


def test_minmax_constant_column_names_column() -> None:
    fw, data = _tiny({"a": [1, 1, 1], "b": [10, 5, 0], "c": [1, 2, 3]})
    with pytest.raises(InputError) as e:
        build(fw, data, Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate"}]}))
    assert e.value.column == "a" and e.value.rule == "max > min"


def test_copeland_in_pipeline() -> None:
    fw, data = _tiny({"a": [0, 5, 10], "b": [10, 5, 0], "c": [1, 2, 3]})
    s = build(
        fw,
        data,
        Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate", "method": "copeland"}]}),
    ).scores
    # P: a and b agree after direction -> U3 beats both, U1 loses both: (-2, 0, 2)
    np.testing.assert_array_equal(s["P"], [-2, 0, 2])


def test_rebuild_reuses_unchanged_steps(
    asem_inputs: tuple[Framework, UnitData], monkeypatch: pytest.MonkeyPatch
) -> None:
    fw, data = asem_inputs
    calls: dict[str, int] = {"impute": 0, "treat": 0}

    def counting(kind: str, method: str) -> None:
        m = REGISTRY[kind].methods[method]

        def wrapped(*a: Any, **k: Any) -> Any:
            calls[kind] += 1
            return m.func(*a, **k)

        monkeypatch.setitem(REGISTRY[kind].methods, method, dataclasses.replace(m, func=wrapped))

    counting("impute", "group_mean")
    counting("treat", "winsorise")
    spec = asem_spec("full")
    r1 = build(fw, data, spec)
    assert calls == {"impute": 1, "treat": 1}
    r2 = r1.rebuild(spec.set("treat.winmax", 2))
    assert calls == {"impute": 1, "treat": 2}  # impute not recomputed, treat recomputed
    assert r2._states["Imputed"] is r1._states["Imputed"]
    r3 = r2.rebuild(spec.set("treat.winmax", 2).set("aggregate.weights", {"Conn": 2}))
    assert calls == {"impute": 1, "treat": 2}
    r4 = r3.rebuild(r3.spec, from_step="impute")
    assert calls == {"impute": 2, "treat": 3}
    # reuse gives the same numbers as a fresh build
    fresh = build(fw, data, r3.spec)
    pd.testing.assert_frame_equal(r3.scores, fresh.scores)
    pd.testing.assert_frame_equal(r4.scores, fresh.scores)


def test_steps_do_not_mutate_inputs(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    before = data.values.to_numpy().copy()
    build(fw, data, asem_spec("full"))
    np.testing.assert_array_equal(data.values.to_numpy(), before)


def test_progress_is_reported_step_by_step(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    calls: list[tuple[int, int]] = []
    spec = asem_spec("simple")
    a = build(fw, data, spec, progress=lambda done, total: calls.append((done, total)))
    b = build(fw, data, spec)
    pd.testing.assert_frame_equal(a.scores, b.scores)
    n = len(spec.steps)
    assert calls == [(i, n) for i in range(n + 1)]


def test_demo_section(tmp_path: Any) -> None:
    from rich.console import Console

    from creativecity.cli import demo_index as demo
    from creativecity.cli.demo import DemoContext

    console = Console(record=True, width=100)
    ctx = DemoContext(out=tmp_path, console=console)
    demo.run(ctx)
    assert (tmp_path / "asem" / "scores.csv").is_file()
    res = ctx.shared["asem_results"]
    assert res.spec.kinds[0] == "denominate"
    text = console.export_text()
    best = res.ranks["Index"].idxmin()
    assert best in text and "Outputs:" in text


def test_asem_dist2targ_uses_engine_formula_for_both_directions(
    asem_inputs: tuple[Framework, UnitData],
) -> None:
    fw, data = asem_inputs
    spec = asem_spec("simple").set("normalise", {"method": "dist2targ"})
    res = build(fw, data, spec)
    imp, out = res.datasets["Imputed"], res.datasets["Normalised"]
    # Direction 1 (LPI): (x - min)/(target - min); Direction -1 (CostImpEx): (max - x)/(max - target)
    x, t = imp["LPI"], fw.targets["LPI"]
    np.testing.assert_allclose(out["LPI"], (x - x.min()) / (t - x.min()), rtol=1e-12)
    x, t = imp["CostImpEx"], fw.targets["CostImpEx"]
    assert fw.direction["CostImpEx"] == -1
    np.testing.assert_allclose(out["CostImpEx"], (x.max() - x) / (x.max() - t), rtol=1e-12)


def test_named_weight_sets(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    equal = build(fw, data, asem_spec("simple").set("aggregate.weights", "equal")).scores
    imeta = build(fw, data, asem_spec("simple").set("aggregate.weights", "iMeta")).scores
    # ASEM's iMeta weights are all 1, so "equal" and "iMeta" agree
    pd.testing.assert_frame_equal(equal, imeta)
    heavier = build(fw, data, asem_spec("simple").set("aggregate.weights", {"Conn": 3.0})).scores
    # Index = (3 Conn + 1 Sust) / 4
    np.testing.assert_allclose(heavier["Index"], (3 * heavier["Conn"] + heavier["Sust"]) / 4, rtol=1e-12)
    with pytest.raises(InputError) as e:
        build(fw, data, asem_spec("simple").set("aggregate.weights", "nonexistent"))
    assert e.value.rule == "known weight set" and e.value.column == "steps[2].weights"


def test_goalposts_need_every_indicator(asem_inputs: tuple[Framework, UnitData]) -> None:
    fw, data = asem_inputs
    spec = asem_spec("simple").set("normalise", {"method": "goalposts", "lo": {"LPI": 1}, "hi": 5})
    with pytest.raises(InputError) as e:
        build(fw, data, spec)
    assert e.value.column is not None and e.value.column.startswith("steps[1].lo")


def test_step_runners_accept_frozen_resolved_params(asem_inputs: tuple[Framework, UnitData]) -> None:
    # the robustness engine calls REGISTRY[kind].run with dict(step.resolved): nested values stay read-only
    from creativecity.index.steps.base import BuildContext, State

    fw, data = asem_inputs
    spec = Spec.from_dict(
        {
            "steps": [
                {"step": "denominate", "denominators": {"LPI": "GDP"}},
                {"step": "impute", "method": "group_mean", "group": "EurAsia_group"},
                {"step": "screen", "min_data": 0.5, "force": {"drop": ["AUT"]}},
                {"step": "treat"},
                {"step": "normalise", "method": "goalposts", "lo": 0, "hi": {c: 1e9 for c in fw.indicators}},
                {
                    "step": "aggregate",
                    "method": {2: "arithmetic", "Index": {"method": "generalised", "p": 2}},
                    "weights": {"Conn": 2},
                },
            ]
        }
    )
    res = build(fw, data, spec)
    raw = res.datasets["Raw"]
    state = State(raw.index, tuple(fw.indicators), raw.to_numpy())
    for i, step in enumerate(spec.steps):
        state = (
            REGISTRY[step.kind]
            .run(state, dict(step.resolved), BuildContext(fw, data, "s", f"steps[{i}]"))
            .state
        )
    np.testing.assert_array_equal(state.x, res.datasets["Aggregated"].to_numpy())
    assert "AUT" not in res.units and len(res.units) == 50


def _reference_treat(col: pd.Series, winmax: int = 5) -> pd.Series:
    """ENGINE.md §4 written independently with scipy's bias-corrected skew/kurtosis."""
    from scipy.stats import kurtosis, skew

    def fails(v: pd.Series) -> bool:
        v = v.dropna()
        return not (abs(skew(v, bias=False)) < 2 or kurtosis(v, fisher=True, bias=False) < 3.5)

    x = col.copy()
    if not fails(x):
        return x
    high = low = 0
    while fails(x) and high + low < winmax:
        if skew(x.dropna(), bias=False) >= 0:
            top = x.max()
            high = int((x == top).sum())
            x[x == top] = x[x != top].max()
        else:
            bottom = x.min()
            low = int((x == bottom).sum())
            x[x == bottom] = x[x != bottom].min()
    if fails(x):
        lo, hi = col.min(), col.max()
        return np.log(col - lo + 0.01 * (hi - lo))
    return x


@pytest.mark.parametrize(("year", "winmax"), [(2018, 5), (2022, 5), (2022, 1)])
def test_asem_full_treatment_matches_independent_reference(year: int, winmax: int) -> None:
    fw, data = asem(year)
    res = build(fw, data, asem_spec("full").set("treat.winmax", winmax))
    screened, treated = res.datasets["Screened"], res.datasets["Treated"]
    for code in fw.indicators:
        expected = _reference_treat(screened[code], winmax)
        np.testing.assert_allclose(treated[code], expected, rtol=1e-12, err_msg=code)
    if winmax == 1:  # the log fallback is exercised
        assert res.details["treat"]["log"].sum() > 0
    # and the rest of the chain: min-max 0-100 of the directed treated data
    d = treated * fw.direction
    np.testing.assert_allclose(
        res.datasets["Normalised"], (d - d.min()) / (d.max() - d.min()) * 100, rtol=1e-12, atol=1e-12
    )
