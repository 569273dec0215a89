"""HTML and PDF output: one self-contained HTML page, printed to PDF by WeasyPrint.

The HTML is meant to be e-mailed and opened offline, so it makes no external request: the stylesheet
is inline and charts are PNG data URIs. Jinja2 autoescaping escapes every string from the workspace;
narratives go through markdown-it with raw HTML disabled. The PDF is the same HTML with the print
rules of the stylesheet (A4 pages, page numbers, a table of contents with page numbers, bookmarks).
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from creativecity.fileio import atomic_output_file, atomic_write_text
from creativecity.reports.model import Document, Figure, Markdown, Notice, Paragraph, SourceList, Table
from creativecity.reports.narrative import render_html as md_to_html

TEMPLATES = Path(__file__).parent / "templates"

_KINDS: dict[type, str] = {
    Paragraph: "paragraph",
    Markdown: "markdown",
    Notice: "notice",
    Table: "table",
    Figure: "figure",
    SourceList: "sources",
}


def column_widths(table: Table) -> list[float]:
    """Column widths in percent, from what each column's cells need.

    Each column first gets its longest unbreakable word (a year with its note, "approximate"); what is
    left of the line goes to the columns whose typical (75th percentile) cell is longer. With
    explicit widths the table can use ``table-layout: fixed``, which spares WeasyPrint measuring every
    cell's minimum and maximum width: tables are most of the layout time of a report.
    """
    n = len(table.header)
    # header words are bold, so they take about 15 % more room than body text
    words: list[float] = [1.15 * max((len(w) for w in h.split()), default=1) for h in table.header]
    lengths: list[list[float]] = [[] for _ in range(n)]
    for row in table.rows:
        for i, cell in enumerate(row[:n]):
            refs = 0.0 if cell.inline_notes else 0.8 * sum(len(str(x)) + 1 for x in cell.notes)
            longest_word = max((len(w) for w in cell.text.split()), default=0)
            words[i] = max(words[i], min(longest_word + refs, 30))
            lengths[i].append(len(cell.text) + refs)
    # characters that fit across the page: about 100 at 9 pt, 120 in the 7.5 pt wide tables (CSS)
    avail = 120.0 if n >= 7 else 100.0
    mins = [w + 2 for w in words]
    wants = []
    for i in range(n):
        ordered = sorted(lengths[i]) or [0.0]
        typical = ordered[min(len(ordered) - 1, int(0.75 * len(ordered)))]
        wants.append(max(0.0, min(typical, 40.0) - mins[i]))
    spare = avail - sum(mins)
    if spare > 0 and sum(wants) > 0:
        widths = [m + spare * w / sum(wants) for m, w in zip(mins, wants, strict=True)]
    else:
        widths = mins
    total = sum(widths)
    return [round(100.0 * w / total, 2) for w in widths]


@functools.cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["kind_of"] = lambda b: _KINDS[type(b)]
    env.globals["column_widths"] = column_widths
    env.globals["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.globals["markdown"] = lambda src: Markup(md_to_html(src))  # markdown-it escapes raw HTML
    return env


def render_html(doc: Document) -> str:
    """The document as one self-contained HTML page."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return _env().get_template("document.html.j2").render(doc=doc, css=Markup(css))


def write_html(doc: Document, path: str | Path) -> Path:
    """Write the HTML atomically."""
    return atomic_write_text(path, render_html(doc))


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (WeasyPrint, print media)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(doc)
    # data: URIs only: a report must never fetch anything from the network while printing
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf()
    return pdf


def write_pdf(doc: Document, path: str | Path) -> Path:
    """Write the PDF atomically (to a temporary sibling first)."""
    data = render_pdf(doc)
    with atomic_output_file(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
