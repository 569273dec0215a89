"""Demo section: Hanoi's documents: the MMR (vi, en), the application submission (en), the evidence pack."""

from __future__ import annotations

from typing import Any

from creativecity.errors import InputError
from creativecity.reports.api import generate_dossier, load_registry, load_workspace, write_document
from creativecity.reports.build import build_document


def run(ctx: Any) -> None:
    """Write Hanoi's documents under ``<out>/<city>/`` and print their paths.

    - ``monitoring_report.{vi,en}.{html,pdf,docx}``: the Membership Monitoring Report, built once per
      language and rendered to every format, so all say the same thing;
    - ``evidence_pack.en.html``: the internal annexes (indicators, network, robustness);
    - ``application_submission.en.docx``: the application form as UNESCO accepts it. The bundled
      workspace has no contacts and no attachment files (no source gives them), so the build is a
      draft: pending items are accepted, listed below and on the document's first page. Without
      ``allow_pending`` it is refused, as a real submission would be.
    """
    out_dir = ctx.out / ctx.city
    console = ctx.console
    console.rule("[bold]Reports: the Membership Monitoring Report, the application, the evidence pack")
    workspace = load_workspace(ctx.city, ctx.database)
    registry = load_registry()
    written = []
    for lang in ("vi", "en"):
        doc = build_document(workspace, "monitoring", lang, registry=registry)
        for fmt in ("html", "pdf", "docx"):
            path = write_document(doc, out_dir / f"monitoring_report.{lang}.{fmt}", fmt)
            written.append(path)
            console.print(f"  MMR {lang} {fmt:<4} {path}", highlight=False)
        for warning in doc.warnings:
            console.print(f"  warning ({lang}): {warning}", highlight=False)
    evidence = build_document(workspace, "evidence", "en", registry=registry)
    written.append(write_document(evidence, out_dir / "evidence_pack.en.html", "html"))
    console.print(f"  evidence pack  {written[-1]}", highlight=False)
    try:
        result = generate_dossier(
            ctx.city,
            kind="application",
            lang="en",
            out=out_dir / "application_submission.en.docx",
            registry=registry,
            database=ctx.database,
            submission=True,
            allow_pending=True,
        )
    except InputError as exc:  # a rule of the form is broken: say which, write nothing
        console.print(f"  application submission refused: {exc}", highlight=False)
    else:
        written.append(result.path)
        console.print(f"  application (submission draft, en) {result.path}", highlight=False)
        for item in (result.submission or {}).get("pending", []):
            console.print(f"  pending: {item}", highlight=False)
    ctx.shared["reports"] = [str(p) for p in written]
