"""The combined report of ``index stats``: wiring, errors, and agreement with the engine on ASEM."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.fileio import to_json
from creativecity.index.analysis.cronbach import cronbach_alpha
from creativecity.index.analysis.overview import analyse, default_dataset
from creativecity.index.examples import asem, asem_spec
from creativecity.index.pipeline import build


@pytest.fixture(scope="module")
def asem_built() -> object:
    fw, data = asem()
    return build(fw, data, asem_spec("full"))


def test_default_dataset() -> None:
    assert default_dataset(["Raw", "Denominated", "Imputed"]) == "Denominated"
    assert default_dataset(["Raw", "Imputed"]) == "Raw"


def test_outlier_flags_match_the_treatment_step(asem_built: object) -> None:
    # Statistics of the data set the treatment step received (Screened) must reproduce the treatment's
    # own "before" skewness/kurtosis, and the outlier flag must be exactly "the treatment acted".
    r = asem_built
    rep = analyse(r, r.framework, dataset="Screened", methods=("pearson",))
    t = rep.stats.table.set_index("code")
    treat = r.details["treat"]
    pd.testing.assert_series_equal(t["skew"], treat["skew_before"], check_names=False, rtol=1e-12)
    pd.testing.assert_series_equal(t["kurt"], treat["kurt_before"], check_names=False, rtol=1e-12)
    acted = treat["status"] != "passed"
    assert (t["flag_outliers"] == acted.reindex(t.index)).all()


def test_report_parts_on_asem(asem_built: object) -> None:
    r = asem_built
    fw = r.framework
    rep = analyse(r, fw, methods=("pearson", "kendall"))
    assert rep.dataset == "Denominated" and len(rep.stats.table) == 49
    # alpha of a pillar equals alpha computed directly on its children's scores
    kids = fw.children("P2P")
    alpha = rep.cronbach.set_index("code").loc["P2P", "alpha"]
    assert alpha == pytest.approx(cronbach_alpha(r.scores[kids]))
    assert len(rep.pca) == len(fw.aggregates)
    assert set(rep.correlations.pairs["method"]) == {"pearson", "kendall"}
    # collinearity flags in the stats table are only between siblings
    for _, row in rep.stats.table[rep.stats.table["flag_collinear"]].iterrows():
        for other in row["collinear_with"].split(","):
            assert fw.parent(other) == fw.parent(row["code"])
    d = json.loads(to_json(rep))
    assert set(d) >= {"dataset", "stats", "correlations", "cronbach", "pca", "pca_loadings", "weights"}


def test_level_and_dataset_choices(asem_built: object) -> None:
    r = asem_built
    rep = analyse(r, r.framework, dataset="scores", level=3, methods=("pearson",))
    assert list(rep.stats.table["code"]) == ["Conn", "Sust"]
    rep = analyse(r, r.framework, dataset="Aggregated", level=4, methods=("pearson",))
    assert list(rep.stats.table["code"]) == ["Index"]


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"dataset": "Cooked"}, "known data set"),
        ({"level": 0}, "known level"),
        ({"level": 5}, "known level"),
        ({"dataset": "Raw", "level": 2}, "level in data set"),
        ({"methods": ("pearson", "cosine")}, "correlation method"),
    ],
)
def test_bad_choices(asem_built: object, kwargs: dict, rule: str) -> None:
    with pytest.raises(InputError) as exc:
        analyse(asem_built, asem_built.framework, **kwargs)
    assert exc.value.rule == rule


def test_raw_flights_is_flagged_as_in_coinr(asem_built: object) -> None:
    # COINr's own test of get_stats on the ASEM Raw data: Flights has |skew| > 2 and kurtosis > 3.5.
    rep = analyse(asem_built, asem_built.framework, dataset="Raw", methods=("pearson",))
    row = rep.stats.table.set_index("code").loc["Flights"]
    assert abs(row["skew"]) > 2 and row["kurt"] > 3.5 and row["flag_outliers"]
