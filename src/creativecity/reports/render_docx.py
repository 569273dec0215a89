"""Word output with python-docx: real heading styles, real tables with captions, figures and notes.

City staff edit the dossier in Word before sending it, so structure matters more than looks: sections
use the built-in "Heading 1"/"Heading 2" styles (Word's navigation pane and table of contents work),
tables are Word tables preceded by a "Caption" paragraph, and source references are superscript runs.
Narrative Markdown is parsed into paragraphs and lists; raw HTML in it stays literal text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from creativecity.fileio import atomic_output_file
from creativecity.reports.model import (
    Block,
    Document,
    Figure,
    Markdown,
    Notice,
    Paragraph,
    Ref,
    SourceList,
    Table,
    format_refs,
)
from creativecity.reports.narrative import to_blocks

_FONT = "Noto Sans"
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _x(text: str) -> str:
    """Text Word can store: XML 1.0 forbids most control characters (Excel's \x0b line breaks)."""
    return _NOT_XML.sub("", text)


def _ref_run(par: DocxParagraph, notes: tuple[int, ...]) -> None:
    if notes:
        run = par.add_run(format_refs(notes))
        run.font.superscript = True


def _toc_field(doc: DocxDocument) -> None:
    """A Word TOC field over Heading 1-2; Word fills in page numbers when the file is opened/updated."""
    par = doc.add_paragraph()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
    par._p.append(fld)


def _markdown(doc: DocxDocument, source: str) -> None:
    for blk in to_blocks(source):
        if blk.kind == "heading":
            par = doc.add_paragraph(style="Heading 3")
        elif blk.kind == "bullet":
            par = doc.add_paragraph(style="List Bullet" if blk.level <= 1 else "List Bullet 2")
        elif blk.kind == "ordered":
            par = doc.add_paragraph(style="List Number" if blk.level <= 1 else "List Number 2")
        elif blk.kind == "quote":
            par = doc.add_paragraph(style="Quote")
        else:
            par = doc.add_paragraph()
        for r in blk.runs:
            run = par.add_run(_x(r.text))
            run.bold = r.bold or None
            run.italic = r.italic or None
            if r.code:
                run.font.name = "DejaVu Sans Mono"


def _table(doc: DocxDocument, block: Table) -> None:
    caption = doc.add_paragraph(_x(block.caption), style="Caption")
    _ref_run(caption, block.shared_notes)
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    size = Pt(7.5) if len(block.header) >= 7 else Pt(9)
    header = table.rows[0]
    # repeat the header row on every page a long table runs over
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, block.header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_x(text))
        run.bold = True
        run.font.size = size
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            par = cell.paragraphs[0]
            par.add_run(_x(value.text)).font.size = size
            if block.shows_notes(value):
                _ref_run(par, value.notes)
            if value.numeric:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _block(doc: DocxDocument, block: Block, labels: dict[str, str]) -> None:
    if isinstance(block, Paragraph):
        par = doc.add_paragraph()
        for part in block.parts:
            if isinstance(part, Ref):
                _ref_run(par, part.notes)
            else:
                par.add_run(_x(part))
    elif isinstance(block, Markdown):
        _markdown(doc, block.source)
    elif isinstance(block, Notice):
        par = doc.add_paragraph()
        label = par.add_run(f"{labels[block.level]}: ")
        label.bold = True
        body = par.add_run(_x(block.text))
        colour = {"missing": (0xB0, 0x30, 0x30), "warning": (0xA0, 0x5A, 0x00)}.get(block.level)
        if colour:
            label.font.color.rgb = RGBColor(*colour)
            body.font.color.rgb = RGBColor(*colour)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Figure):
        doc.add_picture(io.BytesIO(block.png), width=Cm(15))
        cap = doc.add_paragraph(_x(block.caption), style="Caption")
        _ref_run(cap, block.notes)
    elif isinstance(block, SourceList):
        for note in block.notes:
            par = doc.add_paragraph()
            par.add_run(f"[{note.number}] ").bold = True
            par.add_run(_x(note.text))
            par.paragraph_format.space_after = Pt(2)
            for run in par.runs:
                run.font.size = Pt(8.5)


#: Word's language tags: spelling and grammar are checked in the document's language.
WORD_LANGUAGES: dict[str, str] = {"vi": "vi-VN", "en": "en-GB", "fr": "fr-FR"}


def set_style_languages(out: DocxDocument, tag: str) -> None:
    """Give every paragraph and character style the language ``tag`` (``w:lang``).

    Word checks spelling in the language of each run, which it takes from the style unless the run
    says otherwise; python-docx's template is en-US, so a Vietnamese report would be checked as
    English (every word underlined). Setting ``w:val``, ``w:eastAsia`` and ``w:bidi`` on the styles
    (and the document defaults) makes Word check the text in the document's own language.
    """
    from docx.enum.style import WD_STYLE_TYPE

    targets = [s.element for s in out.styles if s.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)]
    defaults = out.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            targets.append(rpr_default)
    for element in targets:
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            element.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            # schema order: w:lang comes before these three (Word rejects misordered run properties)
            later = [rpr.find(qn(n)) for n in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
            first = next((e for e in later if e is not None), None)
            if first is not None:
                first.addprevious(lang)
            else:
                rpr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), tag)


def build_docx(doc: Document) -> DocxDocument:
    """The python-docx document (tests read it back without a file)."""
    out = docx.Document()
    normal = out.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), _FONT)
    tag = WORD_LANGUAGES[doc.lang]
    out.core_properties.title = doc.title
    out.core_properties.language = tag
    set_style_languages(out, tag)
    out.add_heading(doc.title, level=0)
    out.add_paragraph(doc.subtitle)
    if not doc.submission:  # the form as UNESCO reads it: no tool notes, no template marks, no contents
        out.add_paragraph(doc.meta.get("generated", ""))
        out.add_paragraph(f"✎ {doc.labels['template_note']}")
        out.add_paragraph(
            doc.labels["contents"], style="TOC Heading" if "TOC Heading" in out.styles else None
        )
        _toc_field(out)
    for section in doc.sections:
        heading = section.heading + (" ✎" if section.template and not doc.submission else "")
        out.add_heading(heading, level=1)
        for block in section.blocks:
            _block(out, block, doc.labels)
        for sub in section.subsections:
            out.add_heading(sub.heading, level=2)
            for block in sub.blocks:
                _block(out, block, doc.labels)
    return out


def render_docx(doc: Document) -> bytes:
    """The document as .docx bytes."""
    buf = io.BytesIO()
    build_docx(doc).save(buf)
    return buf.getvalue()


def write_docx(doc: Document, path: str | Path) -> Path:
    """Write the .docx atomically."""
    data = render_docx(doc)
    with atomic_output_file(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
