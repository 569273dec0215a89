"""Demo section: build the bundled ASEM index with the full JRC chain and show the top ten."""

from __future__ import annotations

from typing import Any, cast

from creativecity.cli.index_build import summary
from creativecity.index.examples import asem, asem_spec
from creativecity.index.pipeline import build


def run(ctx: Any) -> None:
    """Build ASEM (asem_full.yaml), write it to ``ctx.out / "asem"``, print the top ten.

    The results are left in ``ctx.shared["asem_results"]`` for the robustness and report sections.
    """
    fw, data = asem()
    results = build(fw, data, asem_spec("full"))
    out = ctx.out / "asem"
    results.write(out)
    ctx.shared["asem_results"] = results
    info = summary(results, out)
    ctx.console.rule("ASEM composite indicator (COINr example, full chain)")
    ctx.console.print(
        f"{info['units']} units, {len(fw.indicators)} indicators, {len(fw.aggregates)} aggregates, "
        f"data sets: {', '.join(results.datasets)}"
    )
    for row in cast(list[dict[str, Any]], info["top"]):
        ctx.console.print(f"  {row['rank']:>3}  {row['uCode']}  {row['uName']:<24} {row['score']:8.2f}")
    treat = results.details.get("treat")
    if treat is not None:
        n_win = int((treat["status"] == "winsorised").sum())
        n_log = int(treat["log"].sum())
        ctx.console.print(f"Outliers: {n_win} indicator(s) winsorised, {n_log} log-transformed.")
    for w in results.warnings:
        ctx.console.print(f"  warning: {w}", markup=False)
    ctx.console.print(f"Outputs: {out} (scores.csv, ranks.csv, results.json, datasets/)", markup=False)
