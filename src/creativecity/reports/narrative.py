"""The city's own words: narrative sections kept as Markdown, rendered safely, counted against limits.

Narratives are typed by city staff (and pasted from Word or web pages), so they are untrusted input.
markdown-it-py renders them with raw HTML disabled: ``<script>`` becomes visible text, never markup.
Images are disabled too, because an image link would make the offline HTML fetch from the internet.

For Word output the same Markdown is parsed into a small list of :class:`MdBlock` (headings,
paragraphs, list items with bold/italic runs), so both formats read the text the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from creativecity.monitoring.application import DEFAULT_WORD_LIMITS as _DEFAULTS

# Default word limits per narrative section live with the workspace model: UNESCO's forms set limits per
# question, but the figures of the current form could not be verified (UCCN_DOCUMENTS.md), so they are
# editable defaults that a city overrides with ``word_limits`` on its workspace or on ``build_document``.
DEFAULT_WORD_LIMITS = _DEFAULTS

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    return md


_MD = _parser()


def render_html(source: str) -> str:
    """Markdown -> HTML fragment with any raw HTML escaped (so it shows as text)."""
    return str(_MD.render(source))


def word_count(source: str) -> int:
    """Words as a reader counts them: runs of letters or digits (Vietnamese syllables count one each)."""
    return len(_WORD.findall(source))


def check_limit(section_id: str, source: str, limits: dict[str, int] | None = None) -> tuple[int, int | None]:
    """Return ``(words, limit)``; ``limit`` is None when the section has none."""
    table = {**DEFAULT_WORD_LIMITS, **(limits or {})}
    return word_count(source), table.get(section_id)


@dataclass
class Run:
    """A stretch of inline text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class MdBlock:
    """One block of a narrative for renderers that are not HTML (Word).

    ``kind`` is ``heading``, ``paragraph``, ``bullet``, ``ordered``, ``quote`` or ``code``.
    """

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0


def _inline_runs(children: list) -> list[Run]:  # type: ignore[type-arg]
    runs: list[Run] = []
    bold = italic = False
    for tok in children:
        if tok.type == "strong_open":
            bold = True
        elif tok.type == "strong_close":
            bold = False
        elif tok.type == "em_open":
            italic = True
        elif tok.type == "em_close":
            italic = False
        elif tok.type in ("text", "html_inline"):
            runs.append(Run(tok.content, bold, italic))
        elif tok.type == "code_inline":
            runs.append(Run(tok.content, bold, italic, code=True))
        elif tok.type in ("softbreak", "hardbreak"):
            runs.append(Run(" " if tok.type == "softbreak" else "\n", bold, italic))
        elif tok.type == "link_close":
            href = ""
            # the href sits on the matching link_open; markdown text keeps the label, we add the target
            for prev in reversed(children[: children.index(tok)]):
                if prev.type == "link_open":
                    href = str(prev.attrs.get("href", ""))
                    break
            if href:
                runs.append(Run(f" ({href})", bold, italic))
    return runs


def to_blocks(source: str) -> list[MdBlock]:
    """Parse Markdown into :class:`MdBlock` items; raw HTML stays literal text."""
    tokens = _MD.parse(source)
    blocks: list[MdBlock] = []
    list_stack: list[str] = []
    in_quote = 0
    pending_heading = 0
    for tok in tokens:
        if tok.type == "bullet_list_open":
            list_stack.append("bullet")
        elif tok.type == "ordered_list_open":
            list_stack.append("ordered")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "blockquote_open":
            in_quote += 1
        elif tok.type == "blockquote_close":
            in_quote -= 1
        elif tok.type == "heading_open":
            pending_heading = int(tok.tag[1:])
        elif tok.type == "inline":
            runs = _inline_runs(tok.children or [])
            if pending_heading:
                blocks.append(MdBlock("heading", runs, pending_heading))
                pending_heading = 0
            elif list_stack:
                blocks.append(MdBlock(list_stack[-1], runs, len(list_stack)))
            elif in_quote:
                blocks.append(MdBlock("quote", runs))
            else:
                blocks.append(MdBlock("paragraph", runs))
        elif tok.type in ("fence", "code_block", "html_block"):
            blocks.append(MdBlock("code", [Run(tok.content.rstrip("\n"), code=True)]))
    return blocks
