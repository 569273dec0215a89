"""Benchmark of the index build (prints figures; not a test).

1. The full ASEM chain (asem_full.yaml) in process: median of >= 50 runs (target <= 10 ms; COINr ~85 ms).
2. A synthetic 10,000 units x 200 indicators x 4 levels framework with seeded random data and ~2 % NaN,
   built with a full chain (impute, screen, treat, normalise, aggregate): wall time (target <= 3 s) and
   peak memory (target <= 2 GB), measured as the peak of Python allocations with tracemalloc (numpy
   and pandas report their buffers to tracemalloc) during one extra build, plus the process's peak RSS.

Usage: .venv/bin/python benchmarks/bench_build.py [--runs 50]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from creativecity.index import Framework, Spec, UnitData, build
from creativecity.index.examples import asem, asem_spec


def synthetic(n_units: int = 10_000, n_ind: int = 200, seed: int = 1) -> tuple[Framework, UnitData]:
    """200 indicators -> 40 level-2 (5 each) -> 8 level-3 (5 each) -> 1 index (level 4)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_ind):
        rows.append(
            dict(
                Level=1,
                iCode=f"i{i}",
                Direction=1 if i % 3 else -1,
                Weight=1.0 + (i % 4),
                Parent=f"p{i // 5}",
                Type="Indicator",
            )
        )
    for j in range(n_ind // 5):
        rows.append(
            dict(Level=2, iCode=f"p{j}", Direction=1, Weight=1.0, Parent=f"s{j // 5}", Type="Aggregate")
        )
    for k in range(n_ind // 25):
        rows.append(dict(Level=3, iCode=f"s{k}", Direction=1, Weight=1.0, Parent="Index", Type="Aggregate"))
    rows.append(dict(Level=4, iCode="Index", Direction=1, Weight=1.0, Parent="", Type="Aggregate"))
    rows.append(dict(Level=None, iCode="Grp", Direction=None, Weight=None, Parent="", Type="Group"))
    fw = Framework.read(pd.DataFrame(rows), name="synthetic iMeta")
    x = rng.lognormal(mean=1.0, sigma=1.0, size=(n_units, n_ind))
    x[rng.random(x.shape) < 0.02] = np.nan
    data = pd.DataFrame(x, columns=fw.indicators)
    data.insert(0, "uCode", [f"U{u:05d}" for u in range(n_units)])
    data.insert(1, "Grp", rng.choice(["a", "b", "c"], n_units))
    return fw, UnitData.read(data, fw, name="synthetic iData")


SYNTH_SPEC = {
    "version": 1,
    "steps": [
        {"step": "impute", "method": "group_mean", "group": "Grp"},
        {"step": "screen", "by": "missing", "min_data": 0.9},
        {"step": "treat", "method": "winsorise", "winmax": 5},
        {"step": "normalise", "method": "minmax", "range": [0, 100]},
        {"step": "aggregate", "method": "arithmetic"},
    ],
}


def main() -> None:
    """Print the build timings; a median over ``--runs`` because the 2-core machine is shared."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()

    fw, data = asem()
    spec = asem_spec("full")
    build(fw, data, spec)  # warm-up
    times = []
    for _ in range(max(50, args.runs)):
        t0 = time.perf_counter()
        build(fw, data, spec)
        times.append(time.perf_counter() - t0)
    print(
        f"ASEM full chain (51 units x 49 indicators, 6 steps), {len(times)} runs: "
        f"median {statistics.median(times) * 1e3:.2f} ms, min {min(times) * 1e3:.2f} ms "
        f"(target <= 10 ms; COINr ~85 ms)"
    )

    t0 = time.perf_counter()
    sfw, sdata = synthetic()
    t_read = time.perf_counter() - t0
    sspec = Spec.from_dict(SYNTH_SPEC)
    t0 = time.perf_counter()
    res = build(sfw, sdata, sspec)
    t_build = time.perf_counter() - t0
    print(
        f"synthetic 10,000 units x 200 indicators x 4 levels: build {t_build:.2f} s "
        f"(target <= 3 s); validating/reading the DataFrame input took {t_read:.2f} s; "
        f"{len(res.units)} units kept"
    )
    tracemalloc.start()
    build(sfw, sdata, sspec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    print(
        f"synthetic build peak memory (tracemalloc, Python + numpy allocations): {peak / 2**20:.0f} MiB "
        f"(target <= 2048 MiB); whole-process peak RSS (getrusage; interpreter, libraries and input "
        f"data included): {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
