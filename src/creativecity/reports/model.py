"""A document model that knows nothing about HTML, PDF or Word.

The dossier and the monitoring report are assembled once, as plain data, and then handed to a renderer.
Keeping the content separate from the output format is what lets the three formats say exactly the same
thing, and lets tests check the content (every number has a source note) without parsing a PDF.

Numbers never travel as bare text: a :class:`Cell` or a :class:`Ref` carries the numbers of the source
notes it rests on, and :class:`SourceList` holds those notes, numbered in order of first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["application", "monitoring", "evidence"]
Lang = Literal["vi", "en", "fr"]


@dataclass(frozen=True)
class SourceNote:
    """One numbered note: where a value was read, or which notes a computed value comes from.

    Parameters
    ----------
    number
        1-based number shown in the text as ``[n]``.
    text
        The citation as the reader sees it (source text, or "computed from notes [3] and [7]").
    url
        Link target when the source is a web page; shown as text too, so a printed copy keeps it.
    computed_from
        Note numbers this note's value was computed from (empty for primary sources).
    """

    number: int
    text: str
    url: str | None = None
    computed_from: tuple[int, ...] = ()


class SourceRegistry:
    """Numbers source notes in order of first use and gives the same number to the same source.

    A report cites the same press article many times; one note per distinct source keeps the list short
    and lets a reader see at a glance how much rests on each source.
    """

    def __init__(self) -> None:
        self._notes: list[SourceNote] = []
        self._index: dict[tuple[str, str | None, tuple[int, ...]], int] = {}

    def cite(self, text: str, url: str | None = None, computed_from: tuple[int, ...] = ()) -> int:
        """Return the note number for this source, adding it if it is new."""
        key = (text.strip(), url, tuple(computed_from))
        if key in self._index:
            return self._index[key]
        number = len(self._notes) + 1
        self._notes.append(SourceNote(number, text.strip(), url, tuple(computed_from)))
        self._index[key] = number
        return number

    @property
    def notes(self) -> list[SourceNote]:
        """The notes in number order."""
        return list(self._notes)


@dataclass(frozen=True)
class Ref:
    """An inline reference to source notes, rendered as ``[3, 7]`` after the text it follows."""

    notes: tuple[int, ...]


@dataclass
class Paragraph:
    """Running text with inline source references.

    ``parts`` mixes plain strings and :class:`Ref` so that a sentence can cite a note right after the
    number it supports rather than at the end of the paragraph.
    """

    parts: list[str | Ref]

    @property
    def text(self) -> str:
        """Plain text with references as ``[n]`` (for tests and plain-text outputs)."""
        return "".join(p if isinstance(p, str) else format_refs(p.notes) for p in self.parts)


@dataclass
class Markdown:
    """A narrative written by the city, kept as Markdown and rendered safely (raw HTML shown as text)."""

    source: str


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and the notes that back it (required when it shows a number)."""

    text: str
    notes: tuple[int, ...] = ()
    numeric: bool = False
    inline_notes: bool = False  # the text already shows its references next to each number


@dataclass
class Table:
    """A captioned table; ``rows`` hold :class:`Cell` objects so every number keeps its notes.

    When every numeric cell rests on the same notes (a table computed from one file), renderers cite
    them once after the caption instead of in every cell; the cells keep them all the same.
    """

    caption: str
    header: list[str]
    rows: list[list[Cell]]
    shared_notes: tuple[int, ...] = ()  # notes every number of the table rests on, cited once

    def shows_notes(self, cell: Cell) -> bool:
        """Whether a renderer prints ``cell``'s notes (not when the caption already cites them)."""
        return bool(cell.notes) and not cell.inline_notes and cell.notes != self.shared_notes


@dataclass
class Figure:
    """A chart as PNG bytes, with a caption and the notes of the numbers it plots."""

    caption: str
    png: bytes
    alt: str
    notes: tuple[int, ...] = ()


NoticeLevel = Literal["missing", "warning", "info"]


@dataclass
class Notice:
    """A visible remark: a section not yet written, a data gap, a word limit exceeded."""

    text: str
    level: NoticeLevel = "info"


@dataclass
class SourceList:
    """The numbered source notes, placed where the renderer should print them."""

    notes: list[SourceNote]


Block = Paragraph | Markdown | Table | Figure | Notice | SourceList


@dataclass
class Section:
    """A level-1 section, optionally with level-2 subsections.

    ``template`` marks headings read from published reports but not from a primary UNESCO source: they
    are an editable template and the output says so.
    """

    id: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    template: bool = False


@dataclass
class Document:
    """A whole report, in one language, ready for any renderer."""

    kind: Kind
    lang: Lang
    title: str
    subtitle: str
    sections: list[Section]
    meta: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: A document for UNESCO: the form only (no cover notes, template marks or contents list).
    submission: bool = False

    def iter_sections(self) -> list[tuple[int, Section]]:
        """All sections with their level (1 or 2), in reading order."""
        out: list[tuple[int, Section]] = []
        for sec in self.sections:
            out.append((1, sec))
            out.extend((2, sub) for sub in sec.subsections)
        return out

    def to_dict(self) -> dict[str, object]:
        """Summary for JSON output: headings, warnings and counts rather than the whole content."""
        return {
            "kind": self.kind,
            "lang": self.lang,
            "title": self.title,
            "sections": [
                {"id": s.id, "heading": s.heading, "level": level, "template": s.template}
                for level, s in self.iter_sections()
            ],
            "warnings": list(self.warnings),
        }


def format_refs(notes: tuple[int, ...]) -> str:
    """``(3, 7)`` -> ``"[3, 7]"``; empty -> ``""``."""
    return "[" + ", ".join(str(n) for n in notes) + "]" if notes else ""
