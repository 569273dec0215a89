"""Demo section: how robust is the ASEM ranking to the choices behind it?

Runs uncertainty analysis (1,000 replications, seed 1) and a small sensitivity analysis (N = 256)
of the ASEM full chain under the bundled assumptions (winsorisation limit, normalisation, weight
noise, aggregation), prints the top ten with their 5-95 % rank intervals and which assumption drives
the uncertainty, and writes everything to ``ctx.out / "asem" / "robustness"``. Reuses the nominal
build of the index section (``ctx.shared["asem_results"]``) when there is one.
"""

from __future__ import annotations

from typing import Any

from creativecity.fileio import atomic_output_dir
from creativecity.index.analysis.assumptions import load_assumptions
from creativecity.index.analysis.sensitivity import run_sensitivity
from creativecity.index.analysis.uncertainty import run_uncertainty
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec

N_UA = 1000
N_SA = 256
SEED = 1


def run(ctx: Any) -> None:
    """Uncertainty and sensitivity analysis of ASEM; summary on ``ctx.console``, files in ``ctx.out``."""
    con = ctx.console
    nominal = ctx.shared.get("asem_results")
    if nominal is not None:
        fw, data, spec = nominal.framework, nominal.data, nominal.spec
    else:
        fw, data = asem()
        spec = asem_spec("full")
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    ua = run_uncertainty(fw, data, spec, aset, N_UA, SEED, nominal=nominal)
    sa = run_sensitivity(fw, data, spec, aset, N_SA, SEED, nominal=nominal)
    out = ctx.out / "asem" / "robustness"
    with atomic_output_dir(out / "uncertainty") as stage:
        ua.write(stage)
    with atomic_output_dir(out / "sensitivity") as stage:
        sa.write(stage)
    ctx.shared["asem_uncertainty"] = ua
    ctx.shared["asem_sensitivity"] = sa

    con.rule("Robustness of the ASEM ranking (uncertainty and sensitivity analysis)")
    names = ", ".join(aset.names)
    con.print(
        f"{N_UA} replications varying {names} ({ua.upstream_datasets} distinct normalised data sets, "
        f"{ua.seconds * 1000:.0f} ms).",
        markup=False,
    )
    con.print("  rank  unit  median  5-95 %", markup=False)
    top = ua.rank_stats.sort_values(["nominal", "uCode"], na_position="last").head(10)
    for _, r in top.iterrows():
        con.print(
            f"  {int(r['nominal']):>4}  {r['uCode']:<4}  {r['median']:>6g}  {r['q05']:g}-{r['q95']:g}",
            markup=False,
        )
    comp = ua.comparison
    widest = comp.widest(3)
    con.print(
        f"Mean |nominal - median| rank shift: {comp.mean_abs_shift:.2f}; widest intervals: "
        + ", ".join(f"{u} ({w:g} places)" for u, w in zip(widest["uCode"], widest["width"], strict=True)),
        markup=False,
    )
    idx = sa.indices.sort_values("ST", ascending=False)
    lead = idx.iloc[0]
    con.print(
        f"Sensitivity ({sa.runs} replications): {lead['assumption']} explains the most "
        f"(ST {lead['ST']:.2f}, S1 {lead['S1']:.2f}); then "
        + ", ".join(f"{a} (ST {st:.2f})" for a, st in zip(idx["assumption"][1:], idx["ST"][1:], strict=True))
        + ".",
        markup=False,
    )
    con.print(
        f"Outputs: {out} (uncertainty/rank_stats.csv, sensitivity/sensitivity.csv, figures)", markup=False
    )
