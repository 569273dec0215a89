"""PCA: two-variable closed forms, eigen cross-checks, options and errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.pca import pca, pca_by_parent
from creativecity.index.framework import Framework

S = 1 / math.sqrt(2)


def test_two_variables_closed_form() -> None:
    # r(x, y) = 0.5: correlation matrix eigenvalues 1.5 and 0.5, first eigenvector (1, 1)/sqrt 2
    x = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 3, 2]})
    res = pca(x)
    np.testing.assert_allclose(res.explained, [0.75, 0.25], rtol=1e-12)
    np.testing.assert_allclose(res.eigenvalues, [1.5, 0.5], rtol=1e-12)
    np.testing.assert_allclose(res.loadings.to_numpy(), [S, S], rtol=1e-12)
    np.testing.assert_allclose(res.weights.to_numpy(), [S, S], rtol=1e-12)
    assert res.n == 3


def test_scalings() -> None:
    x = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 3, 2]})
    np.testing.assert_allclose(pca(x, scaling="sum").weights.to_numpy(), [0.5, 0.5], rtol=1e-12)
    np.testing.assert_allclose(pca(x, scaling="squared").weights.to_numpy(), [0.5, 0.5], rtol=1e-12)


def test_against_eigh_of_correlation_matrix() -> None:
    rng = np.random.default_rng(11)
    base = rng.normal(size=40)
    df = pd.DataFrame(
        {
            "a": base + rng.normal(scale=0.3, size=40),
            "b": base + rng.normal(scale=0.6, size=40),
            "c": rng.normal(size=40),
            "d": -base + rng.normal(scale=0.5, size=40),
        }
    )
    res = pca(df, scaling="sum")
    vals, vecs = np.linalg.eigh(np.corrcoef(df.to_numpy().T))
    order = np.argsort(vals)[::-1]
    np.testing.assert_allclose(res.explained, vals[order] / vals.sum(), rtol=1e-10)
    v1 = vecs[:, order[0]]
    v1 = v1 if v1.sum() >= 0 else -v1  # the "positive" sign convention
    np.testing.assert_allclose(res.loadings.to_numpy(), v1, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(res.weights.to_numpy(), v1 / v1.sum(), rtol=1e-8)
    np.testing.assert_allclose(pca(df, scaling="squared").weights.to_numpy(), v1**2, rtol=1e-8)
    assert (res.loadings**2).sum() == pytest.approx(1.0)


def test_positive_sign_convention() -> None:
    x = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [2.0, 3, 5, 4]})
    assert pca(x, sign="positive").loadings.sum() > 0
    none = pca(x, sign="none").loadings
    assert abs(none.sum()) == pytest.approx(abs(pca(x).loadings.sum()))


def test_listwise_complete() -> None:
    x = pd.DataFrame({"x": [1.0, 2, 3, np.nan, 9], "y": [1.0, 3, 2, 5, np.nan]})
    res = pca(x)
    assert res.n == 3
    np.testing.assert_allclose(res.explained, [0.75, 0.25], rtol=1e-12)


def test_sum_scaling_with_zero_sum_is_an_error() -> None:
    # r = -0.5: first eigenvector (1, -1)/sqrt 2 sums to zero
    x = pd.DataFrame({"x": [1.0, 2, 3], "y": [3.0, 1, 2]})
    with pytest.raises(InputError) as exc:
        pca(x, scaling="sum")
    assert exc.value.rule == "pca scaling"


@pytest.mark.parametrize(
    ("frame", "kwargs", "rule"),
    [
        (pd.DataFrame({"x": [1.0, 2, 3]}), {}, "pca size"),
        (pd.DataFrame({"x": [1.0, 2], "y": [2.0, 1]}), {}, "pca complete units"),
        (pd.DataFrame({"x": [1.0, 2, 3], "y": [2.0, 2, 2]}), {}, "pca non-constant"),
        (pd.DataFrame({"x": [1.0, 2, 3], "y": [2.0, 1, 3]}), {"sign": "up"}, "pca option"),
        (pd.DataFrame({"x": [1.0, 2, 3], "y": [2.0, 1, 3]}), {"scaling": "max"}, "pca option"),
        (pd.DataFrame({"x": [1.0, 2, 3], "y": [2.0, 1, 3]}), {"codes": ["x", "q"]}, "code exists"),
    ],
)
def test_bad_inputs(frame: pd.DataFrame, kwargs: dict, rule: str) -> None:
    with pytest.raises(InputError) as exc:
        pca(frame, **kwargs)
    assert exc.value.rule == rule


def Tree() -> Framework:  # noqa: N802
    """a, b -> P; c -> Q (one child); P, Q are the top level."""
    meta = pd.DataFrame(
        {
            "Level": [1, 1, 1, 2, 2],
            "iCode": ["a", "b", "c", "P", "Q"],
            "Direction": [1] * 5,
            "Weight": [1] * 5,
            "Parent": ["P", "P", "Q", "", ""],
            "Type": ["Indicator"] * 3 + ["Aggregate"] * 2,
        }
    )
    return Framework.read(meta, name="tree")


def test_by_parent_reports_unanalysable_groups() -> None:
    x = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 3, 2], "c": [3.0, 2, 1]})
    results, summary = pca_by_parent(x, Tree(), level=2)
    assert [r.group for r in results] == ["P"]
    s = summary.set_index("group")
    assert s.loc["P", "explained_first"] == pytest.approx(0.75)
    assert "at least two" in s.loc["Q", "note"]
    with pytest.raises(InputError):
        pca_by_parent(x, Tree(), level=2, skip_invalid=False)
