"""Demo section: Hanoi's Membership Monitoring Report in Vietnamese and English, as HTML and PDF."""

from __future__ import annotations

from typing import Any

from creativecity.reports.api import load_registry, load_workspace, write_document
from creativecity.reports.build import build_document


def run(ctx: Any) -> None:
    """Write ``<out>/<city>/monitoring_report.{vi,en}.{html,pdf}`` and print their paths.

    The document is built once per language and rendered to both formats, so both say the same thing.
    """
    out_dir = ctx.out / ctx.city
    console = ctx.console
    console.rule("[bold]Reports: the Membership Monitoring Report")
    workspace = load_workspace(ctx.city, ctx.database)
    registry = load_registry()
    written = []
    for lang in ("vi", "en"):
        doc = build_document(workspace, "monitoring", lang, registry=registry)
        for fmt in ("html", "pdf"):
            path = write_document(doc, out_dir / f"monitoring_report.{lang}.{fmt}", fmt)
            written.append(path)
            console.print(f"  {lang} {fmt:<4} {path}", highlight=False)
        for warning in doc.warnings:
            console.print(f"  warning ({lang}): {warning}", highlight=False)
    ctx.shared["reports"] = [str(p) for p in written]
