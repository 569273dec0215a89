"""The robustness annex: ranks of a composite index under uncertainty (``index uncertainty`` output).

Read from ``rank_stats.csv``; every rank cites the file, and a file with bad cells is refused naming its
row and column.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from creativecity.errors import InputError
from creativecity.reports.charts import rank_chart
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Cell, Notice, Paragraph, Section


def robustness_section(ctx: BuildContext, heading: str, rank_stats: Path | None) -> Section:
    """Rank statistics of a composite index under uncertainty (``index uncertainty`` output)."""
    t = ctx.t
    section = Section("robustness", heading)
    if rank_stats is None:
        section.blocks.append(Notice(t("notice.no_index"), "info"))
        return section
    path = Path(rank_stats)
    if path.is_dir():
        path = path / "rank_stats.csv"
    if not path.exists():
        raise InputError("rank statistics file not found", file=str(path), rule="file exists")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"uCode", "nominal", "median", "q05", "q95"}
            missing = need - set(reader.fieldnames or [])
            if missing:
                raise InputError(
                    f"missing columns: {', '.join(sorted(missing))}",
                    file=str(path),
                    rule="rank_stats columns",
                )
            records = list(reader)
    except UnicodeDecodeError as exc:
        # a spreadsheet saved in a legacy encoding: the user's file is at fault, not the program
        raise InputError(
            f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8", file=str(path), rule="UTF-8 CSV"
        ) from None
    note = ctx.derived("src.rank_stats", file=path.name)
    need_num = ("nominal", "median", "q05", "q95")
    parsed: list[tuple[str, list[float]]] = []
    for i, rec in enumerate(records, start=2):  # row 1 is the header
        vals: list[float] = []
        for k in need_num:
            raw = (rec[k] or "").strip()
            try:
                vals.append(float(raw) if raw else math.nan)
            except ValueError:
                raise InputError(
                    f"{raw!r} is not a number (ranks are numbers; empty = missing)",
                    file=str(path),
                    row=i,
                    column=k,
                    rule="numeric ranks",
                ) from None
        parsed.append((rec["uCode"], vals))
    parsed.sort(key=lambda item: (math.isnan(item[1][0]), item[1][0], item[0]))
    rows = [
        [Cell(code)]
        + [Cell(t.number(v, 1), (note,), numeric=True) if math.isfinite(v) else Cell("–") for v in vals]
        + [
            Cell(t.number(vals[3] - vals[2], 1), (note,), numeric=True)
            if math.isfinite(vals[3] - vals[2])
            else Cell("–")
        ]
        for code, vals in parsed
    ]
    header = [t(k) for k in ("col.unit_code", "col.nominal", "col.median", "col.q05", "col.q95", "col.width")]
    section.blocks.append(Paragraph([t("text.robustness")]))
    section.blocks.append(ctx.table(t("caption.robustness"), header, rows))
    drawable: list[tuple[str, float, float, float, float]] = [
        (code, *vals)  # type: ignore[misc]
        for code, vals in parsed
        if all(math.isfinite(v) for v in vals)
    ]
    if drawable:
        labels = {k: t("chart." + k) for k in ("rank", "nominal", "median", "interval")}
        png = rank_chart(drawable, title=t("chart.rank_title"), labels=labels)
        caption = t("caption.rank_chart", n=min(len(drawable), 30))
        section.blocks.append(ctx.figure(caption, png, caption, (note,)))
    return section
