"""The rules a submission must meet before anything is written, checked all at once.

UNESCO evaluates only what its form allows (UCCN_DOCUMENTS.md): word limits are hard, every section
must be filled (where there is nothing to report, with "No relevant information to provide"), at most
four links in the text, three JPEG photos of at most 3 MB with a rights form each, the letters listed,
and the whole package (form and attachments) at most 20 MB. A file that breaks one of these rules is
not evaluated, so :func:`check_submission` refuses the build, naming every section with its count and
limit and every attachment at fault; the caller then writes nothing.

Required data that is simply not there yet (a contact's telephone, a letter still being signed) is
"pending": refused too, unless the caller accepts pending items (a draft for the team, marked as
incomplete on its first page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring.application import ATTACHMENT_KINDS
from creativecity.monitoring.forms import Form, form_for
from creativecity.monitoring.model import Workspace
from creativecity.monitoring.texts import is_empty_answer, section_texts, urls

_JPEG_MAGIC = b"\xff\xd8\xff"
_MB = 1024 * 1024


@dataclass
class SubmissionCheck:
    """What the check found: blocking problems, pending items, links and the package size."""

    errors: list[InputError] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    package_bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json``."""
        return {
            "errors": [str(e) for e in self.errors],
            "pending": list(self.pending),
            "links": list(self.links),
            "package_bytes": self.package_bytes,
        }


def _err(check: SubmissionCheck, message: str, column: str, rule: str, file: str | None = None) -> None:
    check.errors.append(InputError(message, file=file, column=column, rule=rule))


def _texts(check: SubmissionCheck, ws: Workspace, form: Form, lang: str, limits: dict[str, int]) -> None:
    """Every text section: not empty (unless data fills it), within its limit; links counted."""
    for state in section_texts(ws, form.kind, lang, limits):
        sec = state.section
        where = f"{sec.number} {sec.heading['en']}"
        data_levels = [f.split(".", 1)[1] for f in sec.fills if f.startswith("initiatives.")]
        has_data = any(i.level in data_levels for i in ws.initiatives)
        if state.empty and not has_data:
            _err(
                check,
                f'{where}: empty; write the text or "{form.empty_answer.value.get("en")}"',
                sec.id,
                "required section",
            )
        if state.over_limit:
            _err(check, f"{where}: {state.words} words, limit {state.limit}", sec.id, "word limit")
        if not is_empty_answer(form, state.submission):
            check.links += urls(state.submission)
    most = form.rule("max_urls")
    if most is not None and len(check.links) > int(most):
        _err(
            check,
            f"{len(check.links)} links in the text; the form accepts at most {most}: "
            + ", ".join(check.links),
            "texts",
            "links",
        )


def _is_jpeg(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(3) == _JPEG_MAGIC


def _attachments(check: SubmissionCheck, ws: Workspace, form: Form, folder: Path | None) -> None:
    """Each document of the list: provided (else pending), its files present, photos JPEG <= 3 MB."""
    by_kind = {a.kind: a for a in ws.attachments}
    photo_limit = int(form.rule("max_photo_mb", 3)) * _MB
    photos = 0
    for item in form.attachments:
        kind = str(item["kind"])
        att = by_kind.get(kind)
        if att is None or att.status != "provided":
            item_text = f"attachment {kind}: to be provided"
            if item_text not in check.pending:  # the document builder may have listed it already
                check.pending.append(item_text)
            continue
        names = att.file_list()
        needed = ATTACHMENT_KINDS[kind]
        if len(names) != needed:
            _err(check, f"{kind}: {len(names)} file(s), the form asks for {needed}", kind, "file count")
        if kind == "photos":
            photos = len(names)
        if folder is None:
            _err(check, f"{kind}: give the folder of the attachments (--attachments)", kind, "files present")
            continue
        for name in names:
            path = folder / name
            if not path.is_file():
                _err(check, f"{kind}: {name} is not in {folder}", kind, "files present", str(path))
                continue
            size = path.stat().st_size
            check.package_bytes += size
            if kind == "photos":
                if not _is_jpeg(path):
                    _err(check, f"photo {name} is not a JPEG image", kind, "photo format", str(path))
                if size > photo_limit:
                    message = f"photo {name} is {size / _MB:.1f} MB; the limit is {photo_limit // _MB} MB"
                    _err(check, message, kind, "photo size", str(path))
    rights = by_kind.get("photo_rights")
    if photos and rights is not None and rights.status == "provided" and len(rights.file_list()) != photos:
        _err(
            check,
            f"{len(rights.file_list())} photo rights form(s) for {photos} photos: one form per photo",
            "photo_rights",
            "rights per photo",
        )


def check_submission(
    ws: Workspace,
    lang: str,
    *,
    document_bytes: int,
    attachments: str | Path | None = None,
    word_limits: dict[str, int] | None = None,
    pending: list[str] | None = None,
    allow_pending: bool = False,
) -> SubmissionCheck:
    """Check the application of ``ws`` in ``lang`` against the form; raise InputErrors listing every fault.

    Parameters
    ----------
    document_bytes
        Size of the rendered form (it counts toward the package limit).
    attachments
        Folder holding the attachment files (their names are in the workspace's checklist).
    pending
        Required data the document builder found missing (a contact's e-mail...).
    allow_pending
        Accept pending items (a draft marked incomplete) instead of refusing.
    """
    form = form_for(ws, "application")
    check = SubmissionCheck(pending=list(pending or []))
    _texts(check, ws, form, lang, {**ws.word_limits, **(word_limits or {})})
    folder = Path(attachments) if attachments is not None else None
    if folder is not None and not folder.is_dir():
        _err(check, "is not a folder", "--attachments", "folder", str(folder))
        folder = None
    _attachments(check, ws, form, folder)
    check.package_bytes += document_bytes
    most = form.rule("max_package_mb")
    if most is not None and check.package_bytes > int(most) * _MB:
        _err(
            check,
            f"the package is {check.package_bytes / _MB:.1f} MB; all attachments together may be {most} MB",
            "package",
            "package size",
        )
    if check.pending and not allow_pending:
        for item in check.pending:
            _err(check, f"{item} (--allow-pending accepts it in a draft)", "pending", "complete")
    if check.errors:
        raise InputErrors(check.errors)
    return check
