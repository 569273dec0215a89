"""Speed and memory of uncertainty and sensitivity analysis (issue 4 targets).

Prints, for this machine and its current load:

1. UA, ASEM, N = 1,000 (compute in process, inputs loaded; target <= 50 ms);
2. SA, ASEM, N = 1,000 base points = 6,000 replications (target <= 0.5 s);
3. a synthetic 10,000 units x 100 indicators x 1,000 replications job with discrete choices of
   normalisation (2) and aggregation (2) plus weight noise (target <= 20 s and <= 4 GB), in process
   and on a 2-worker Dask LocalCluster;
4. the command line, start-up included, ASEM N = 10,000 (target <= 3 s), with and without figures.

Run: ``.venv/bin/python benchmarks/bench_robustness.py [--quick]``. Timings are the best of a few
repeats (wall clock and this process's CPU time); the load average is printed because the machine
may be shared.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def best(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best wall seconds, best CPU seconds, last result) over ``repeat`` runs."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = func()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus), out


def load() -> str:
    """Load average of the machine (1, 5, 15 min)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def synthetic(
    n_units: int = 10_000, n_ind: int = 100, n_pillars: int = 10, seed: int = 0
) -> tuple[Any, Any, Any, Any]:
    """A 4-level framework (indicators -> pillars -> 2 sub-indices -> Index), data, spec, assumptions."""
    from creativecity.index import Framework, Spec, UnitData
    from creativecity.index.analysis.assumptions import parse_assumptions

    rows = []
    per = n_ind // n_pillars
    for i in range(n_ind):
        rows.append(
            {
                "Level": 1,
                "iCode": f"i{i:03d}",
                "Direction": 1 if i % 7 else -1,
                "Weight": 1.0 + i % 3,
                "Parent": f"P{i // per:02d}",
                "Type": "Indicator",
            }
        )
    for p in range(n_pillars):
        rows.append(
            {
                "Level": 2,
                "iCode": f"P{p:02d}",
                "Direction": 1,
                "Weight": 1.0,
                "Parent": "S0" if p < n_pillars // 2 else "S1",
                "Type": "Aggregate",
            }
        )
    rows += [
        {"Level": 3, "iCode": s, "Direction": 1, "Weight": 1.0, "Parent": "Index", "Type": "Aggregate"}
        for s in ("S0", "S1")
    ]
    rows.append(
        {"Level": 4, "iCode": "Index", "Direction": 1, "Weight": 1.0, "Parent": "", "Type": "Aggregate"}
    )
    fw = Framework.read(pd.DataFrame(rows), name="synthetic iMeta")
    rng = np.random.default_rng(seed)
    # skewed but bounded values: z-scores stay within about -2..+4, so zscore(10, 2) stays positive
    values = pd.DataFrame(
        rng.beta(2.0, 5.0, size=(n_units, n_ind)),
        columns=fw.indicators,
        index=pd.Index([f"U{u:05d}" for u in range(n_units)], name="uCode"),
    )
    data = UnitData.from_frame(values, name="synthetic iData")
    spec = Spec.from_dict(
        {
            "version": 1,
            "steps": [{"step": "normalise", "method": "minmax", "range": [1, 100]}, {"step": "aggregate"}],
        }
    )
    aset = parse_assumptions(
        {
            "version": 1,
            "target": "Index",
            "assumptions": [
                {
                    "name": "normalisation",
                    "at": "normalise",
                    "values": [
                        {"method": "minmax", "range": [1, 100]},
                        {"method": "zscore", "mean": 10, "sd": 2},
                    ],
                },
                {"name": "aggregation", "at": "aggregate.method", "values": ["arithmetic", "geometric"]},
                {
                    "name": "weights",
                    "at": "aggregate.weights",
                    "noise": {"levels": [1, 2, 3], "factor": 0.25},
                },
            ],
        },
        source="synthetic assumptions",
    ).validate(fw, spec)
    return fw, data, spec, aset


def bench_asem(quick: bool) -> None:
    """UA and SA on ASEM, start-up excluded: the figures the issue compares with the reference tool."""
    from creativecity.index import build
    from creativecity.index.analysis.assumptions import load_assumptions
    from creativecity.index.analysis.sensitivity import run_sensitivity
    from creativecity.index.analysis.uncertainty import run_uncertainty
    from creativecity.index.examples import asem, asem_assumptions_path, asem_spec

    fw, data = asem()
    spec = asem_spec("full")
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    run_uncertainty(fw, data, spec, aset, 100, 1)  # warm-up (imports, caches)
    w, c, ua = best(lambda: run_uncertainty(fw, data, spec, aset, 1000, 1), 3 if quick else 9)
    print(
        f"UA  ASEM N=1,000 (incl. nominal build): {w * 1e3:7.1f} ms wall, {c * 1e3:7.1f} ms CPU "
        f"[target <= 50 ms]; {ua.upstream_datasets} upstream data sets, {ua.chunks} chunk(s)"
    )
    nominal = build(fw, data, spec)
    w, c, _ = best(lambda: run_uncertainty(fw, data, spec, aset, 1000, 1, nominal=nominal), 3 if quick else 9)
    print(f"UA  ASEM N=1,000 (nominal build reused):  {w * 1e3:7.1f} ms wall, {c * 1e3:7.1f} ms CPU")
    w, c, sa = best(lambda: run_sensitivity(fw, data, spec, aset, 1000, 1), 2 if quick else 5)
    print(
        f"SA  ASEM N=1,000 ({sa.runs:,} replications, 1,000 bootstrap resamples): {w:6.3f} s wall, "
        f"{c:6.3f} s CPU [target <= 0.5 s]"
    )


def bench_big(quick: bool) -> None:
    """The 10,000 x 100 x 1,000 job, in process and on a 2-worker LocalCluster (same numbers checked)."""
    from creativecity.index.analysis.distributed import ChunkExecutor
    from creativecity.index.analysis.uncertainty import run_uncertainty

    n_units = 2_000 if quick else 10_000
    t = time.perf_counter()
    fw, data, spec, aset = synthetic(n_units=n_units)
    print(
        f"Big job: {n_units:,} units x 100 indicators x 1,000 replications "
        f"(set-up {time.perf_counter() - t:.1f} s, not timed below)"
    )
    tracemalloc.start()
    w = time.perf_counter()
    c = time.process_time()
    res = run_uncertainty(fw, data, spec, aset, 1000, 1)
    w, c = time.perf_counter() - w, time.process_time() - c
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(
        f"    in process: {w:6.2f} s wall, {c:6.2f} s CPU [target <= 20 s]; peak traced memory "
        f"{peak / 2**20:,.0f} MiB, process peak RSS {rss:,.0f} MiB [target <= 4 GB]; {res.chunks} chunks"
    )
    t = time.perf_counter()
    with ChunkExecutor(workers=2) as ex:
        start = time.perf_counter() - t
        w = time.perf_counter()
        dist = run_uncertainty(fw, data, spec, aset, 1000, 1, executor=ex)
        w = time.perf_counter() - w
    same = dist.rank_stats.equals(res.rank_stats)
    print(
        f"    2-worker LocalCluster: {w:6.2f} s (+ {start:.1f} s to start the cluster); "
        f"identical to in-process: {same}"
    )


def bench_cli(quick: bool) -> None:
    """The command itself, start-up included, as a user or a script runs it."""
    from creativecity.index.examples import asem_assumptions_path, asem_path

    exe = str(Path(sys.executable).with_name("creativecity"))
    with tempfile.TemporaryDirectory() as tmp:
        base = [
            exe,
            "index",
            "uncertainty",
            "--meta",
            str(asem_path("iMeta.csv")),
            "--data",
            str(asem_path("iData.csv")),
            "--spec",
            str(asem_path("asem_full.yaml")),
            "--assumptions",
            str(asem_assumptions_path()),
            "--n",
            "10000",
            "--seed",
            "1",
            "--quiet",
        ]
        results = {}
        for label, extra in (
            ("--help (start-up only)", None),
            ("N=10,000 --no-plots", ["--no-plots"]),
            ("N=10,000 with figures", []),
        ):
            cmd = [exe, "--help"] if extra is None else [*base, "--out", str(Path(tmp) / label[:8]), *extra]
            times = []
            for _ in range(2 if quick else 3):
                t = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                times.append(time.perf_counter() - t)
            results[label] = min(times)
        for label, t in results.items():
            print(f"CLI {label:<24}: {t:5.2f} s wall [target <= 3 s for N=10,000]")


def main() -> None:
    """Run every benchmark; ``--quick`` for a smoke run with smaller sizes."""
    quick = "--quick" in sys.argv
    print(f"bench_robustness on {os.cpu_count()} cores, load average {load()}")
    bench_asem(quick)
    bench_big(quick)
    bench_cli(quick)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
