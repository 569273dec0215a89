"""Correlations: hand-computed coefficients and p-values, pairwise completeness, flags, levels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.correlations import (
    CorrelationThresholds,
    across_levels,
    correlate,
    correlation_matrix,
    correlation_pairs,
    correlation_report,
    within_level,
)
from creativecity.index.framework import Framework


def Tree() -> Framework:  # noqa: N802 - reads like the test double it replaced
    """I1, I2 -> P1; I3, I4 -> P2; P1, P2 -> Index."""
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 1, 2, 2, 3],
            "iCode": ["I1", "I2", "I3", "I4", "P1", "P2", "Index"],
            "Direction": [1] * 7,
            "Weight": [1] * 7,
            "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", ""],
            "Type": ["Indicator"] * 4 + ["Aggregate"] * 3,
        }
    )
    return Framework.read(meta, name="tree")


def test_pearson_spearman_kendall_by_hand() -> None:
    x, y = [1, 2, 3], [1, 3, 2]
    # d_x = (-1, 0, 1), d_y = (-1, 1, 0): r = 1 / sqrt(2 * 2) = 0.5
    r, p, n = correlate(x, y, "pearson")
    assert (r, n) == (pytest.approx(0.5), 3)
    # t = 0.5 * sqrt(1) / sqrt(0.75) = 1/sqrt(3); df = 1 is Cauchy: p = 2 (1/2 - atan(1/sqrt 3)/pi) = 2/3
    assert p == pytest.approx(2 / 3)
    # the values are their own ranks, so Spearman = Pearson = 0.5
    assert correlate(x, y, "spearman")[0] == pytest.approx(0.5)
    # pairs (1,2) concordant, (1,3) concordant, (2,3) discordant: tau = (2 - 1)/3
    assert correlate(x, y, "kendall")[0] == pytest.approx(1 / 3)


def test_pairwise_complete_observations() -> None:
    x = [1, 2, 3, np.nan, 5]
    y = [1, 3, 2, 7, np.nan]
    r, _, n = correlate(x, y)
    assert n == 3 and r == pytest.approx(0.5)


def test_undefined_cases() -> None:
    r, p, n = correlate([1, 1, 1, 1], [1, 2, 3, 4])
    assert math.isnan(r) and math.isnan(p) and n == 4
    r, _, n = correlate([1, 2, np.nan], [1, 2, 3])
    assert math.isnan(r) and n == 2


def test_unknown_method_is_an_input_error() -> None:
    with pytest.raises(InputError) as exc:
        correlate([1, 2, 3], [1, 2, 3], "cosine")
    assert exc.value.rule == "correlation method"


def test_matrix_matches_pandas_pairwise() -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame(rng.normal(size=(30, 4)), columns=list("abcd"))
    df.iloc[rng.integers(0, 30, 8), 1] = np.nan
    df.iloc[rng.integers(0, 30, 5), 3] = np.nan
    for method in ("pearson", "spearman", "kendall"):
        mine = correlation_matrix(df, method=method)
        ref = df.corr(method=method)
        np.testing.assert_allclose(mine.to_numpy(float), ref.to_numpy(float), rtol=1e-10)


def test_pairs_flags_and_significance_are_all_shown() -> None:
    df = pd.DataFrame(
        {
            "a": [1.0, 2, 3, 4, 5],
            "b": [1.1, 2.0, 3.2, 3.9, 5.1],  # nearly a: collinear, significant
            "c": [5.0, 4, 3, 2, 1],  # exactly -a: negative
            "d": [2.0, 1, 3, 1, 2],  # r(a, d) = 0: weak and insignificant
        }
    )
    t = correlation_pairs(df).set_index(["code_1", "code_2"])
    assert len(t) == 6  # every unordered pair, insignificant ones included
    assert t.loc[("a", "b"), "flag"] == "collinear" and t.loc[("a", "b"), "significant"]
    assert t.loc[("a", "c"), "flag"] == "negative"
    # d_a = (-2,-1,0,1,2), d_d = (0.2,-0.8,1.2,-0.8,0.2): sum of products = -0.4+0.8+0-0.8+0.4 = 0
    assert t.loc[("a", "d"), "r"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc[("a", "d"), "flag"] == "weak" and not t.loc[("a", "d"), "significant"]


def test_thresholds_are_configurable() -> None:
    df = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 3, 2]})  # r = 0.5
    assert correlation_pairs(df)["flag"].iloc[0] == ""
    th = CorrelationThresholds(high=0.9, low=0.6)
    assert correlation_pairs(df, thresholds=th)["flag"].iloc[0] == "weak"
    th = CorrelationThresholds(high=0.49)
    assert correlation_pairs(df, thresholds=th)["flag"].iloc[0] == "collinear"


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "I1": [1.0, 2, 3, 4],
            "I2": [2.0, 4, 6, 8],
            "I3": [4.0, 3, 2, 1],
            "I4": [1.0, 3, 2, 4],
            "P1": [1.5, 3, 4.5, 6],
            "P2": [2.5, 3, 2, 2.5],
            "Index": [2.0, 3, 3.25, 4.25],
        },
        index=["A", "B", "C", "D"],
    )


def test_within_level_pairs_siblings_only() -> None:
    t = within_level(_scores(), Tree(), 1)
    assert sorted(zip(t["code_1"], t["code_2"], strict=True)) == [("I1", "I2"), ("I3", "I4")]
    assert t.set_index("code_1").loc["I1", "r"] == pytest.approx(1.0)
    t_all = within_level(_scores(), Tree(), 1, same_parent=False)
    assert len(t_all) == 6


def test_across_levels_relations() -> None:
    t = across_levels(_scores(), Tree(), 1)
    # 4 indicators x 3 aggregates above (P1, P2, Index)
    assert len(t) == 12
    rel = {(a, b): r for a, b, r in zip(t["code_1"], t["code_2"], t["relation"], strict=True)}
    assert rel[("I1", "P1")] == "parent"
    assert rel[("I1", "Index")] == "ancestor"
    assert rel[("I1", "P2")] == "other"
    assert len(across_levels(_scores(), Tree(), 1, only_ancestors=True)) == 8


def test_report_strongest_weakest_flagged() -> None:
    rep = correlation_report(_scores(), Tree(), methods=("pearson", "spearman"))
    assert set(rep.pairs["method"]) == {"pearson", "spearman"}
    top = rep.strongest(1)
    assert (top["code_1"].iloc[0], top["code_2"].iloc[0]) == ("I1", "I2")
    weak = rep.weakest(1)
    # P2 against Index: d_P2 = (0, .5, -.5, 0), d_Index = (-1.125, -.125, .125, 1.125), cross sum -0.125
    # < 0, while every indicator-pillar pair is positive: the lowest code-parent correlation.
    assert (weak["code_1"].iloc[0], weak["code_2"].iloc[0], weak["relation"].iloc[0]) == (
        "P2",
        "Index",
        "parent",
    )
    assert weak["flag"].iloc[0] == "negative"
    flagged = rep.flagged
    assert ("I1", "I2") in set(zip(flagged["code_1"], flagged["code_2"], strict=True))
    assert "pairs" in rep.to_dict()


def test_coefficients_and_p_values_match_scipy() -> None:
    from scipy import stats as sps

    rng = np.random.default_rng(5)
    for n in (4, 9, 51):
        x = rng.normal(size=n)
        y = 0.4 * x + rng.normal(size=n)
        y[rng.integers(0, n)] = np.nan  # pairwise deletion: one pair dropped
        ok = ~np.isnan(y)
        for method, ref in (
            ("pearson", sps.pearsonr),
            ("spearman", sps.spearmanr),
            ("kendall", sps.kendalltau),
        ):
            r, p, m = correlate(x, y, method)
            res = ref(x[ok], y[ok])
            assert m == ok.sum()
            assert r == pytest.approx(res.statistic, rel=1e-10, abs=1e-14)
            assert p == pytest.approx(res.pvalue, rel=1e-8, abs=1e-14)
    # ties: Spearman uses average ranks, Kendall is tau-b
    x, y = np.array([1.0, 2, 2, 3, 4]), np.array([1.0, 3, 2, 2, 5])
    assert correlate(x, y, "spearman")[0] == pytest.approx(sps.spearmanr(x, y).statistic)
    assert correlate(x, y, "kendall")[0] == pytest.approx(sps.kendalltau(x, y).statistic)


def test_complete_columns_fast_path_equals_pairwise_path() -> None:
    # Columns without gaps go through one matrix product; they must give what correlate() gives pair
    # by pair, including a constant column (undefined) and ties (Spearman's average ranks).
    rng = np.random.default_rng(9)
    df = pd.DataFrame(rng.normal(size=(25, 4)), columns=list("abcd"))
    df["e"] = 3.0  # constant
    df["f"] = np.round(df["a"])  # ties
    df.loc[3, "d"] = np.nan  # d goes through the pairwise path
    for method in ("pearson", "spearman"):
        t = correlation_pairs(df, method=method)
        for _, row in t.iterrows():
            r, p, n = correlate(df[row["code_1"]].to_numpy(), df[row["code_2"]].to_numpy(), method)
            assert row["n"] == n
            if math.isnan(r):
                assert math.isnan(row["r"]) and math.isnan(row["p"]) and row["flag"] == "undefined"
            else:
                assert row["r"] == pytest.approx(r, rel=1e-12, abs=1e-14)
                assert row["p"] == pytest.approx(p, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("n", [5, 20, 34, 51, 120])
def test_kendall_matrix_form_equals_scipy(n: int) -> None:
    # n <= 33 without ties goes to SciPy's exact p-value; larger n and tied columns use the matrix form
    # with the tie-corrected normal approximation. Both must equal scipy.stats.kendalltau.
    from scipy import stats as sps

    rng = np.random.default_rng(n)
    df = pd.DataFrame(rng.normal(size=(n, 3)), columns=list("abc"))
    df["ties"] = np.round(df["a"] * 2)
    df["ties2"] = np.round(df["b"])
    df["flat"] = 1.0
    df.loc[1, "c"] = np.nan  # pairwise path
    t = correlation_pairs(df, method="kendall")
    assert len(t) == 15
    for _, row in t.iterrows():
        a, b = df[row["code_1"]], df[row["code_2"]]
        ok = a.notna() & b.notna()
        ref = sps.kendalltau(a[ok], b[ok])
        if math.isnan(ref.statistic):
            assert math.isnan(row["r"]) and math.isnan(row["p"])
        else:
            assert row["r"] == pytest.approx(ref.statistic, rel=1e-12, abs=1e-15)
            assert row["p"] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)


def test_kendall_matrix_form_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import creativecity.index.analysis.correlations as mod

    calls = []
    real = mod.correlate
    monkeypatch.setattr(mod, "correlate", lambda *a, **k: calls.append(1) or real(*a, **k))
    df = pd.DataFrame(np.random.default_rng(2).normal(size=(51, 5)), columns=list("abcde"))
    assert len(correlation_pairs(df, method="kendall")) == 10
    assert calls == []  # 51 complete units, no ties: every pair from the matrix form


def test_spread_below_float_resolution_is_undefined_not_perfect() -> None:
    # (1e-200 ... 5e-200): the squared deviations underflow to 0, so r cannot be computed; it must be
    # reported as undefined on both paths, never clipped to +-1.
    df = pd.DataFrame({"a": [1e-200, 2e-200, 3e-200, 5e-200], "b": [1.0, 3, 2, 4]})
    assert math.isnan(correlate(df["a"], df["b"])[0])
    row = correlation_pairs(df).iloc[0]
    assert math.isnan(row["r"]) and row["flag"] == "undefined"


def test_denominator_correlations() -> None:
    from creativecity.index.analysis.correlations import denominator_correlations

    units = ["A", "B", "C", "D"]
    raw = pd.DataFrame({"tot": [2.0, 4, 6, 8], "rate": [1.0, 3, 2, 4]}, index=units)
    den = pd.DataFrame({"Pop": [1.0, 2, 3, 4]}, index=units)
    t = denominator_correlations(raw, den)
    # tot = 2 Pop: r = 1 -> "size"; rate vs Pop: d = (-1.5,.5,-.5,1.5) . (-1.5,-.5,.5,1.5) = 4, over 5: 0.8
    assert list(zip(t["code_1"], t["code_2"], strict=True)) == [("tot", "Pop"), ("rate", "Pop")]
    assert t["r"].tolist() == pytest.approx([1.0, 0.8])
    assert t["flag"].tolist() == ["size", "size"]
    assert denominator_correlations(raw, den, threshold=0.9)["flag"].tolist() == ["size", ""]
    assert denominator_correlations(raw, den.iloc[:, :0]).empty


def test_denominator_correlations_on_asem() -> None:
    from creativecity.index.analysis.correlations import denominator_correlations
    from creativecity.index.examples import asem

    _, data = asem()
    raw = data.values
    t = denominator_correlations(raw, data.denominators).set_index(["code_1", "code_2"])
    assert len(t) == 49 * 4
    ok = raw["FDI"].notna() & data.denominators["GDP"].notna()
    expected = np.corrcoef(raw["FDI"][ok], data.denominators["GDP"][ok])[0, 1]
    assert t.loc[("FDI", "GDP"), "r"] == pytest.approx(expected)
    assert t.loc[("FDI", "GDP"), "flag"] == "size"  # FDI is in absolute terms: big economies lead
