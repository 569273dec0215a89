"""Demo section: Hanoi's progress against its targets, its evidence gaps and conflicting figures.

Writes ``<out>/<city>/monitoring.json`` (the ``monitor --json`` document), ``workspace.xlsx`` (the
workspace in its Excel template) and ``peers.json``, and leaves the report in ``ctx.shared["monitoring"]``
for the reports section.
"""

from __future__ import annotations

from typing import Any

from creativecity.cli.monitoring import print_report
from creativecity.fileio import atomic_write_text, to_json
from creativecity.monitoring.excel import export_xlsx
from creativecity.monitoring.peers import compare_with_peers
from creativecity.monitoring.progress import monitor
from creativecity.store.home import open_workspace


def run(ctx: Any) -> None:
    """Print the progress table, gaps and conflicts; write the JSON and the workbook."""
    ws = open_workspace(ctx.city, ctx.database)
    report = monitor(ws)
    out = ctx.out / ctx.city
    ctx.console.rule(f"[bold]Monitoring: {ws.city}'s creative-city commitments[/bold]")
    print_report(report, ctx.console, ws=ws)
    gaps = [p.name_en for p in report.pillars if p.gap]
    if gaps:
        ctx.console.print(f"[bold red]Pillars with no evidence at all:[/bold red] {', '.join(gaps)}")
    unresolved = [c for c in report.conflicts if not c.resolved]
    if unresolved:
        ctx.console.print(
            f"{len(unresolved)} unresolved conflict(s): choose with "
            f"`creativecity workspace prefer {ws.name} OBS_ID`"
        )
    atomic_write_text(out / "monitoring.json", to_json(report) + "\n")
    export_xlsx(ws, out / "workspace.xlsx")
    atomic_write_text(out / "peers.json", to_json(compare_with_peers(ws)) + "\n")
    ctx.console.print(f"wrote {out / 'monitoring.json'}, {out / 'workspace.xlsx'}, {out / 'peers.json'}")
    ctx.shared["monitoring"] = report
    ctx.shared["workspace"] = ws
