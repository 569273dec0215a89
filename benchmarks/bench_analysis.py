"""Benchmark of the index analysis (``index stats``): prints figures; not a test.

1. ASEM (51 units, 49 indicators, 4 levels), full chain: the whole report of ``index stats`` with the
   three correlation methods (median of a few runs), then remove-one at levels 1 and 2 (one
   re-aggregation per removed code, reusing every earlier data set).
2. A synthetic 2,000 units x 200 indicators x 4 levels build (same shape as bench_build.py's framework,
   fewer units): the report with Pearson, with Pearson + Spearman (one matrix product each on complete
   columns), and the peak of Python allocations (tracemalloc; numpy reports its buffers); then Kendall
   on 500 units (matrix form over the n(n-1)/2 pairs of units, blockwise: the slowest method).

Usage: .venv/bin/python benchmarks/bench_analysis.py [--runs 5] [--units 2000] [--kendall-units 500]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from creativecity.index.analysis.overview import analyse
from creativecity.index.analysis.remove_one import remove_one
from creativecity.index.data import UnitData
from creativecity.index.examples import asem, asem_spec
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.spec import Spec


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time over ``runs`` calls, and the last result."""
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def synthetic(n_units: int, n_ind: int = 200, seed: int = 1) -> tuple[Framework, UnitData]:
    """n_ind indicators -> n_ind/5 pillars -> n_ind/25 sub-indices -> Index, lognormal data, 2 % NaN."""
    rng = np.random.default_rng(seed)
    rows = [
        {
            "Level": 1,
            "iCode": f"i{i}",
            "Direction": 1,
            "Weight": 1.0,
            "Parent": f"p{i // 5}",
            "Type": "Indicator",
        }
        for i in range(n_ind)
    ]
    rows += [
        {
            "Level": 2,
            "iCode": f"p{j}",
            "Direction": 1,
            "Weight": 1.0,
            "Parent": f"s{j // 5}",
            "Type": "Aggregate",
        }
        for j in range(n_ind // 5)
    ]
    rows += [
        {"Level": 3, "iCode": f"s{k}", "Direction": 1, "Weight": 1.0, "Parent": "Index", "Type": "Aggregate"}
        for k in range(n_ind // 25)
    ]
    rows.append(
        {"Level": 4, "iCode": "Index", "Direction": 1, "Weight": 1.0, "Parent": "", "Type": "Aggregate"}
    )
    fw = Framework.read(pd.DataFrame(rows), name="synthetic iMeta")
    base = rng.normal(size=(n_units, 1))
    x = np.exp(1.0 + 0.5 * base + rng.normal(size=(n_units, n_ind)))
    x[rng.random(x.shape) < 0.02] = np.nan
    data = pd.DataFrame(x, columns=fw.indicators)
    data.insert(0, "uCode", [f"U{u:05d}" for u in range(n_units)])
    return fw, UnitData.read(data, fw, name="synthetic iData")


def main() -> None:
    """Print the analysis timings; medians over ``--runs`` because the machine is shared."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--kendall-units", type=int, default=500)
    args = ap.parse_args()

    fw, data = asem()
    res = build(fw, data, asem_spec("full"))
    t, rep = timed(lambda: analyse(res, fw), args.runs)
    print(
        f"ASEM report (stats, {len(rep.correlations.pairs)} correlations, alpha, PCA, weights): "
        f"{t * 1000:.0f} ms (median of {args.runs})"
    )
    t, _ = timed(lambda: analyse(res, fw, methods=("pearson",)), args.runs)
    print(f"ASEM report, Pearson only: {t * 1000:.0f} ms")
    for level in (1, 2):
        t, ro = timed(lambda lv=level: remove_one(res, level=lv), 1)
        n = len(ro.table)
        print(
            f"ASEM remove-one level {level}: {n} codes in {t * 1000:.0f} ms ({t / n * 1000:.1f} ms per code)"
        )

    fw2, data2 = synthetic(args.units)
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [
                {"step": "impute", "method": "mean"},
                {"step": "normalise", "method": "minmax"},
                {"step": "aggregate"},
            ],
        }
    )
    res2 = build(fw2, data2, spec)
    for methods in (("pearson",), ("pearson", "spearman")):
        t, rep2 = timed(lambda m=methods: analyse(res2, fw2, methods=m), 1)
        print(
            f"synthetic {args.units} x 200, report with {'+'.join(methods)} "
            f"({len(rep2.correlations.pairs)} correlations): {t:.2f} s"
        )
    tracemalloc.start()
    analyse(res2, fw2, methods=("pearson", "spearman"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"synthetic {args.units} x 200, pearson+spearman: peak Python allocations {peak / 2**20:.0f} MiB")
    fw3, data3 = synthetic(args.kendall_units)
    res3 = build(fw3, data3, spec)
    t, rep3 = timed(lambda: analyse(res3, fw3, methods=("kendall",)), 1)
    print(
        f"synthetic {args.kendall_units} x 200, report with kendall ({len(rep3.correlations.pairs)} "
        f"correlations): {t:.2f} s"
    )


if __name__ == "__main__":
    main()
