"""One call from a workspace name to a written report file: what the CLI, the demo and the web app use.

The output format follows the file suffix unless given, every write is atomic (a failed render leaves
no file behind), and the result says what was written and what the author should still fix (warnings
such as a word limit exceeded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from creativecity.errors import InputError
from creativecity.reports.build import KINDS, build_document
from creativecity.reports.i18n import LANGS
from creativecity.reports.model import Document

Format = Literal["html", "pdf", "docx"]
FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
STEPS: tuple[str, ...] = ("loading", "analysing and drawing charts", "rendering", "done")
_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


@dataclass
class DossierResult:
    """What ``dossier`` wrote."""

    path: Path
    city: str
    kind: str
    lang: str
    format: str
    size_bytes: int
    sections: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "path": str(self.path),
            "city": self.city,
            "kind": self.kind,
            "lang": self.lang,
            "format": self.format,
            "size_bytes": self.size_bytes,
            "sections": self.sections,
            "warnings": self.warnings,
        }


def format_for(out: Path, fmt: str | None) -> str:
    """The output format: ``fmt`` if given, else from the suffix of ``out``."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(
                f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}", column="--format", rule="format"
            )
        return fmt
    found = _SUFFIXES.get(out.suffix.lower())
    if found is None:
        raise InputError(
            f"cannot tell the format from {out.name!r}: give --format or end --out with .html, .pdf or .docx",
            column="--out",
            rule="known suffix",
        )
    return found


def render(doc: Document, fmt: str) -> bytes:
    """The document in ``fmt`` as bytes."""
    if fmt == "html":
        from creativecity.reports.render_html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "pdf":
        from creativecity.reports.render_html import render_pdf

        return render_pdf(doc)
    if fmt == "docx":
        from creativecity.reports.render_docx import render_docx

        return render_docx(doc)
    raise InputError(
        f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}", column="format", rule="format"
    )


def write_document(doc: Document, out: str | Path, fmt: str | None = None) -> Path:
    """Render ``doc`` and write it atomically to ``out`` (format from the suffix unless given)."""
    from creativecity.fileio import atomic_write_bytes

    path = Path(out)
    data = render(doc, format_for(path, fmt))
    return atomic_write_bytes(path, data)


def load_workspace(city: str, database: str | None = None) -> Any:
    """The workspace named ``city`` in the store (or a workspace folder); unknown -> InputError (exit 2).

    ``database`` is the store's URL (default: ``$CREATIVECITY_DATABASE_URL``, else the SQLite file in
    ``$CREATIVECITY_HOME``): the report shows what the team entered, on the command line or the web.
    """
    from creativecity.store.home import open_workspace

    try:
        return open_workspace(city, database)
    except InputError:
        raise
    except (KeyError, FileNotFoundError, LookupError) as exc:
        raise InputError(
            f"unknown workspace {city!r} ({exc})", column="CITY", rule="known workspace"
        ) from None


def load_registry() -> Any:
    """The network registry (the user's imported one, else the bundled one)."""
    from creativecity.network.registry import Registry

    return Registry.load()


def generate_dossier(
    city: str,
    *,
    kind: str,
    lang: str,
    out: str | Path,
    fmt: str | None = None,
    as_of: int | None = None,
    rank_stats: str | Path | None = None,
    registry: Any = None,
    progress: Callable[[str], None] | None = None,
    word_limits: dict[str, int] | None = None,
    goal_plan: str | Path | None = None,
    database: str | None = None,
) -> DossierResult:
    """Build and write the report of workspace ``city``.

    Parameters
    ----------
    city
        Workspace name (``hanoi`` is bundled) or folder.
    database
        URL of the store holding the workspace (default: see :func:`load_workspace`).
    kind, lang
        ``application`` | ``monitoring``; ``vi`` | ``en``.
    out, fmt
        Output file; format ``html`` | ``pdf`` | ``docx`` (default from the suffix of ``out``).
    as_of
        Year of the network snapshot.
    rank_stats
        ``rank_stats.csv`` from ``creativecity index uncertainty`` for the robustness annex.
    registry
        A loaded registry (default: :func:`load_registry`).
    word_limits
        Per-section word limits overriding the defaults (``narrative.DEFAULT_WORD_LIMITS``).
    progress
        Called with a short label as each of the :data:`STEPS` starts (the CLI's progress bar).
    goal_plan
        ``plan.json`` (or its folder) from ``creativecity index goal`` for a "What it would take" section.
    """
    step = progress or (lambda _label: None)
    if kind not in KINDS:
        raise InputError(
            f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}", column="--kind", rule="kind"
        )
    if lang not in LANGS:
        raise InputError(
            f"unknown language {lang!r}; use one of: {', '.join(LANGS)}", column="--lang", rule="lang"
        )
    path = Path(out)
    if path.is_dir():
        # checked before the slow build: replacing a folder with a file would fail only at the end
        raise InputError(
            "is a folder; give a file name ending in .html, .pdf or .docx",
            file=str(path),
            column="--out",
            rule="output is a file",
        )
    fmt = format_for(path, fmt)
    step(STEPS[0])
    workspace = load_workspace(city, database)
    registry = registry if registry is not None else load_registry()
    step(STEPS[1])
    doc = build_document(
        workspace,
        kind,  # type: ignore[arg-type]
        lang,  # type: ignore[arg-type]
        registry=registry,
        as_of=as_of,
        rank_stats=rank_stats,
        word_limits=word_limits,
        goal_plan=goal_plan,
    )
    step(STEPS[2])
    write_document(doc, path, fmt)
    step(STEPS[3])
    return DossierResult(
        path=path,
        city=doc.meta.get("city", city),
        kind=kind,
        lang=lang,
        format=fmt,
        size_bytes=path.stat().st_size,
        sections=[s for s in doc.to_dict()["sections"]],  # type: ignore[union-attr]
        warnings=list(doc.warnings),
    )
