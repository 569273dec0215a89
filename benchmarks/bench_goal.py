"""Benchmark of goal-seeking (prints figures; not a test).

Time to a plan, with the number of full rebuilds it took and the time of one build in the same run as
the baseline (a plan costs about ``rebuilds`` builds: every candidate is judged by a full rebuild).

1. ASEM, full chain (asem_full.yaml): Viet Nam (VNM) to rank 20 of the index (the acceptance case).
2. Synthetic 1,000 units x 100 indicators x 4 levels (``bench_build.synthetic``): the unit at the
   median rank to the top 10 %, (a) with a piecewise-linear spec (min-max, arithmetic: the exact
   linear programme) and (b) with the full chain (group-mean imputation, winsorisation: sequential
   linear programming), unless ``--quick``.

Usage: .venv/bin/python benchmarks/bench_goal.py [--quick]
"""

from __future__ import annotations

import argparse
import time

from bench_build import SYNTH_SPEC, synthetic

from creativecity.index import Spec, build
from creativecity.index.examples import asem, asem_spec
from creativecity.index.goal import goal

PL_SPEC = {
    "version": 1,
    "steps": [{"step": "normalise", "method": "minmax", "range": [0, 100]}, {"step": "aggregate"}],
}


def _one_build(fw: object, data: object, spec: object, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        build(fw, data, spec)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - t0)
    return best


def _report(label: str, res: object, unit: str, rank: int, t_build: float) -> None:
    t0 = time.perf_counter()
    g = goal(res, unit, target_rank=rank)  # type: ignore[arg-type]
    t = time.perf_counter() - t0
    print(
        f"{label}: {unit} rank {g.start_rank} -> {g.reached_rank} (target {rank}) in {t:.2f} s; "
        f"{g.rebuilds} rebuilds, {g.iterations} iterations, {len(g.steps)} indicators moved, "
        f"norm {g.norm:.4f}, exact={g.exact}; one build {t_build * 1e3:.1f} ms "
        f"(plan = {t / t_build:.0f} builds)"
    )
    print(f"  solver: {g.solver}")


def main() -> None:
    """Print the timings."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="Skip the synthetic full chain (the slow case).")
    args = ap.parse_args()

    fw, data = asem()
    spec = asem_spec("full")
    res = build(fw, data, spec)
    _report("ASEM full chain (51 x 49)", res, "VNM", 20, _one_build(fw, data, spec))

    sfw, sdata = synthetic(n_units=1_000, n_ind=100)
    for name, sd in (("piecewise linear", PL_SPEC), ("full chain", SYNTH_SPEC)):
        if args.quick and name == "full chain":
            continue
        sspec = Spec.from_dict(sd)
        sres = build(sfw, sdata, sspec)
        ranks = sres.ranks["Index"].dropna().sort_values()
        unit = str(ranks.index[len(ranks) // 2])
        _report(f"synthetic 1,000 x 100, {name}", sres, unit, len(ranks) // 10, _one_build(sfw, sdata, sspec))


if __name__ == "__main__":
    main()
