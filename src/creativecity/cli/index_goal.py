"""``creativecity index goal``: what it would take for a unit to reach a rank or a score.

Thin layer over :func:`creativecity.index.goal.goal`: check ``--out`` before any work, read and
validate the inputs, search, optionally compute the odds, write plan.csv, plan.json and plan.png into
a staging folder that replaces OUT only when everything succeeded, and print the plan or JSON.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from creativecity.cli._support import console, handle_errors, print_json, progress_bar
from creativecity.errors import InputError


def _codes(text: str | None, option: str) -> list[str] | None:
    if text is None:
        return None
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise InputError(f"{option} needs at least one indicator code", column=option, rule="code list")
    return codes


def run_goal_command(
    meta: Path,
    data: Path,
    spec: Path,
    unit: str,
    out: Path,
    *,
    target_rank: int | None = None,
    target_score: float | None = None,
    level: str | None = None,
    fixed: str | None = None,
    only: str | None = None,
    cost: Path | None = None,
    bounds: str = "observed",
    assumptions: Path | None = None,
    n: int = 1000,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Any, list[Path]]:
    """Everything ``index goal`` does but printing; returns the plan and the files written."""
    import dataclasses

    from creativecity.index._output import check_output_dir
    from creativecity.index.data import UnitData
    from creativecity.index.framework import Framework
    from creativecity.index.goal import goal, plan_odds
    from creativecity.index.pipeline import build
    from creativecity.index.spec import Spec

    check_output_dir(out)
    if (target_rank is None) == (target_score is None):
        raise InputError(
            "give exactly one of --target-rank and --target-score", column="--target-rank", rule="one target"
        )
    if assumptions is None and n != 1000:
        raise InputError("--n needs --assumptions", column="--n", rule="odds need an assumptions file")
    fw = Framework.read(meta)
    ud = UnitData.read(data, fw)
    sp = Spec.read(spec)
    results = build(fw, ud, sp)
    plan = goal(
        results, unit, target_rank=target_rank, target_score=target_score, level=level,
        fixed=_codes(fixed, "--fixed") or (), only=_codes(only, "--only"), cost=cost,
        bounds=bounds if bounds == "observed" else Path(bounds), progress=progress,
    )  # fmt: skip
    if assumptions is not None:
        plan = dataclasses.replace(plan, odds=plan_odds(plan, results, assumptions, n, seed))
    return plan, plan.write(out)


def print_plan(plan: Any, written: list[Path]) -> None:
    """The plan as a table, the verdict and the odds."""
    from rich.table import Table

    table = Table(title=f"{plan.unit} ({plan.unit_name}): what it would take, {plan.target_label}")
    for col in ("iCode", "from", "to", "change", "spread units", "name"):
        table.add_column(col, justify="left" if col in ("iCode", "name") else "right")
    for r in plan.plan_frame().to_dict(orient="records"):
        table.add_row(
            r["iCode"], f"{r['from']:.6g}", f"{r['to']:.6g}", f"{r['change']:+.6g}",
            f"{r['change_in_spread_units']:+.3f}", str(r["name"]),
        )  # fmt: skip
    console.print(table)
    verdict = "reached" if plan.reached else "NOT reachable within the bounds"
    console.print(
        f"Rank {plan.start_rank} -> {plan.reached_rank} of {plan.units_ranked} "
        f"(score {plan.start_score:.4g} -> "
        f"{plan.reached_score:.4g}), target {verdict}; best reachable rank {plan.best_rank}. "
        f"Norm {plan.norm:.4f} spread units; {plan.solver}{' (exact)' if plan.exact else ''}; "
        f"{plan.rebuilds} full rebuilds in {plan.seconds:.2f} s.",
        markup=False,
        highlight=False,
    )
    if plan.odds is not None:
        o = plan.odds
        console.print(
            f"Odds over {o.n} replications: rank <= {o.rank_needed} in {o.probability:.0%} after the plan "
            f"({o.probability_before:.0%} before); rank 5-95 %: {o.interval[0]:g}-{o.interval[2]:g} "
            f"(median {o.interval[1]:g}; before {o.interval_before[0]:g}-{o.interval_before[2]:g}).",
            markup=False,
            highlight=False,
        )
    for note in plan.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    console.print(f"Wrote {', '.join(p.name for p in written)}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``goal`` to the ``index`` command group."""

    @app.command("goal")
    @handle_errors
    def goal_cmd(
        meta: Path = typer.Option(..., "--meta", help="Indicator metadata (iMeta), CSV or XLSX."),
        data: Path = typer.Option(..., "--data", help="Unit data (iData), CSV or XLSX."),
        spec: Path = typer.Option(..., "--spec", help="Pipeline spec, YAML or JSON."),
        unit: str = typer.Option(..., "--unit", help="uCode of the unit that changes."),
        target_rank: int | None = typer.Option(None, "--target-rank", help="Reach this rank or better."),
        target_score: float | None = typer.Option(None, "--target-score", help="Reach this score or more."),
        level: str | None = typer.Option(None, "--level", help="Code ranked (default: the index)."),
        fixed: str | None = typer.Option(None, "--fixed", help="Indicators that cannot move: i1,i2."),
        only: str | None = typer.Option(None, "--only", help="Only these indicators may move: i3,i4."),
        cost: Path | None = typer.Option(
            None, "--cost", help="CSV iCode,cost: cost per spread unit of change."
        ),
        bounds: str = typer.Option("observed", "--bounds", help="'observed' or a CSV iCode,min,max."),
        assumptions: Path | None = typer.Option(
            None, "--assumptions", help="Assumptions file: compute the odds."
        ),
        n: int = typer.Option(1000, "--n", help="Replications for the odds."),
        seed: int = typer.Option(1, "--seed", min=0, help="Seed of the replications."),
        out: Path = typer.Option(..., "--out", help="Output folder (written only if everything succeeds)."),
        json_out: bool = typer.Option(False, "--json", help="Print plan.json instead of the table."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no table."),
    ) -> None:
        """Least change to a unit's raw values reaching a rank or score: plan.csv, plan.json, plan.png."""
        show = not quiet and not json_out and sys.stderr.isatty()
        with progress_bar(show, "rebuilds") as prog:
            plan, written = run_goal_command(
                meta, data, spec, unit, out, target_rank=target_rank, target_score=target_score, level=level,
                fixed=fixed, only=only, cost=cost, bounds=bounds, assumptions=assumptions, n=n, seed=seed,
                progress=prog,
            )  # fmt: skip
        if quiet:
            return
        if json_out:
            print_json({**plan.to_dict(), "out": str(out), "files": [str(p) for p in written]})
        else:
            print_plan(plan, written)
