"""The bundled ASEM example and the ranking the web app's index builder shows."""

from __future__ import annotations

import pytest

from creativecity.errors import InputError
from creativecity.index import build
from creativecity.index.examples import asem, asem_spec, rank_asem


def test_rank_asem_is_the_engine_build_ordered_by_results_top() -> None:
    fw, data = asem(2018)
    spec = asem_spec("simple")
    direct = build(fw, data, spec).top("Index", n=5)
    got = rank_asem(2018, spec, 5)
    assert (got.target, got.units, got.n) == ("Index", 51, None)
    assert [r.unit for r in got.rows] == list(direct.index)
    assert [r.rank for r in got.rows] == [int(x) for x in direct["rank"]]
    assert [r.rank for r in got.rows] == sorted(r.rank for r in got.rows if r.rank is not None)
    assert all(r.q05 is None for r in got.rows)
    with_intervals = rank_asem(2018, asem_spec("full"), 3, intervals=(50, 1))
    assert with_intervals.n == 50
    for r in with_intervals.rows:
        assert r.q05 is not None and r.q95 is not None and r.median is not None
        assert 1 <= r.q05 <= r.median <= r.q95 <= 51
    with pytest.raises(InputError) as exc:
        rank_asem(1999, spec, 5)
    assert exc.value.column == "data"
