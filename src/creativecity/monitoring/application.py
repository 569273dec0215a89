"""What a candidate city's application dossier needs besides figures: contacts, attachments, word limits.

The UNESCO application form asks for four contacts (the mayor, the mayor's representative, the main
executive contact and an alternative one) and a set of attached documents (the mayor's letter, the
endorsement of the National Commission for UNESCO, letters of support, photos and the photo-rights
form). They are kept in the workspace, not typed into the report, so that the dossier, the web form and
the Excel export all show the same state and a missing item stays visibly "to be completed".

The headings and limits come from earlier calls for applications (see UCCN_DOCUMENTS.md): they are an
editable template. Word limits live in the workspace (``word_limits``) so that a city can follow the
call it answers; :data:`DEFAULT_WORD_LIMITS` applies to every section the workspace does not list.

Nothing here touches the disk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from creativecity.errors import InputError
from creativecity.monitoring.rules import valid_email

#: Narrative sections of the Membership Monitoring Report (ids used as narrative keys).
MONITORING_SECTIONS: tuple[str, ...] = (
    "executive_summary",
    "general_information",
    "contribution_global",
    "local_initiatives",
    "intercity_initiatives",
    "action_plan",
)

#: Narrative sections of the application dossier (ids used as narrative keys).
APPLICATION_SECTIONS: tuple[str, ...] = (
    "general_description",
    "assets",
    "contribution",
    "initiatives_local",
    "initiatives_intercity",
    "management_budget",
    "communication_plan",
)

#: Every section id a workspace narrative may use; others get a warning from ``workspace validate``.
KNOWN_SECTIONS: tuple[str, ...] = MONITORING_SECTIONS + APPLICATION_SECTIONS

#: Default word limits per section (UNESCO's current figures could not be verified; editable).
DEFAULT_WORD_LIMITS: dict[str, int] = {
    "general_description": 500,
    "assets": 1000,
    "contribution": 750,
    "initiatives_local": 750,
    "initiatives_intercity": 750,
    "management_budget": 500,
    "communication_plan": 500,
    "executive_summary": 500,
    "general_information": 500,
    "contribution_global": 750,
    "local_initiatives": 1500,
    "intercity_initiatives": 1500,
    "action_plan": 1000,
}

#: Contact roles of the application form, in the form's order.
CONTACT_ROLES: tuple[str, ...] = ("mayor", "representative", "main", "alternate")

#: Attachments of the application form, in the form's order, with how many files each needs.
ATTACHMENT_KINDS: dict[str, int] = {
    "documents_list": 1,
    "mayor_letter": 1,
    "national_commission": 1,
    "support_letters": 2,
    "photos": 3,
    "photo_rights": 1,
}

#: Attachment statuses.
ATTACHMENT_STATUSES: tuple[str, ...] = ("provided", "missing")

#: Largest photo the form accepts (3 MB).
MAX_PHOTO_BYTES = 3 * 1024 * 1024


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class Contact:
    """One person the application names, by role (one of :data:`CONTACT_ROLES`)."""

    role: str
    name: str = ""
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contact:
        """Build from a mapping; ``position`` is accepted for ``title``."""
        return cls(
            role=_s(data.get("role")),
            name=_s(data.get("name")),
            title=_s(data.get("title") or data.get("position")),
            organisation=_s(data.get("organisation") or data.get("organization")),
            email=_s(data.get("email")),
            phone=_s(data.get("phone")),
        )


@dataclass
class Attachment:
    """One document of the attachments checklist: whether it is provided and under which file name(s).

    ``files`` holds the file names, several separated by ``;`` (two support letters, three photos).
    """

    kind: str
    status: str = "missing"
    files: str = ""
    note: str = ""

    def file_list(self) -> list[str]:
        """The file names, in order."""
        return [f.strip() for f in self.files.split(";") if f.strip()]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        """Build from a mapping."""
        return cls(
            kind=_s(data.get("kind")),
            status=_s(data.get("status")) or "missing",
            files=_s(data.get("files") or data.get("file")),
            note=_s(data.get("note")),
        )


def default_contacts() -> list[Contact]:
    """One empty contact per role, so that a new workspace shows what the form asks for."""
    return [Contact(role) for role in CONTACT_ROLES]


def default_attachments() -> list[Attachment]:
    """The checklist with every document missing."""
    return [Attachment(kind) for kind in ATTACHMENT_KINDS]


def check_contacts(contacts: list[Contact], file: str) -> list[InputError]:
    """Roles must be known and unique; an e-mail address, when given, must look like one."""
    errors: list[InputError] = []
    seen: set[str] = set()
    for i, c in enumerate(contacts, start=1):
        where = f"contacts[{i}]"
        if c.role not in CONTACT_ROLES:
            errors.append(
                InputError(
                    f"unknown contact role {c.role!r} (use {', '.join(CONTACT_ROLES)})",
                    file=file,
                    row=where,
                    column="role",
                    rule="contact role",
                )
            )
        elif c.role in seen:
            errors.append(
                InputError(f"role {c.role!r} given twice", file=file, row=where, column="role", rule="unique")
            )
        seen.add(c.role)
        if c.email and not valid_email(c.email):
            errors.append(
                InputError(
                    f"{c.email!r} is not an e-mail address",
                    file=file,
                    row=where,
                    column="email",
                    rule="email",
                )
            )
    return errors


def check_attachments(attachments: list[Attachment], file: str) -> list[InputError]:
    """Kinds known and unique; status provided/missing; a provided item names its files.

    Photos must be JPEG files (``.jpg``/``.jpeg``): the form asks for three photos of at most 3 MB
    each; the size can only be checked where the files are (:func:`check_photo_sizes`).
    """
    errors: list[InputError] = []
    seen: set[str] = set()
    for i, a in enumerate(attachments, start=1):
        where = f"attachments[{i}]"

        def err(msg: str, column: str, rule: str, where: str = where) -> None:
            errors.append(InputError(msg, file=file, row=where, column=column, rule=rule))

        if a.kind not in ATTACHMENT_KINDS:
            err(f"unknown attachment {a.kind!r} (use {', '.join(ATTACHMENT_KINDS)})", "kind", "attachment")
            continue
        if a.kind in seen:
            err(f"attachment {a.kind!r} given twice", "kind", "unique")
        seen.add(a.kind)
        if a.status not in ATTACHMENT_STATUSES:
            err(f"status must be provided or missing, not {a.status!r}", "status", "attachment status")
            continue
        files = a.file_list()
        needed = ATTACHMENT_KINDS[a.kind]
        if a.status == "provided" and len(files) != needed:
            err(
                f"{a.kind} is provided but names {len(files)} file(s); it needs {needed}",
                "files",
                "file count",
            )
        if a.kind == "photos":
            for name in files:
                if not name.lower().endswith((".jpg", ".jpeg")):
                    err(f"photo {name!r} is not a JPEG file (.jpg or .jpeg)", "files", "photo format")
    return errors


def check_photo_sizes(attachment: Attachment, folder: Any) -> list[InputError]:
    """Photos present in ``folder`` (a path) must not exceed :data:`MAX_PHOTO_BYTES`."""
    from pathlib import Path

    errors: list[InputError] = []
    for name in attachment.file_list():
        path = Path(folder) / name
        if path.is_file() and path.stat().st_size > MAX_PHOTO_BYTES:
            size_mb = path.stat().st_size / (1024 * 1024)
            errors.append(
                InputError(
                    f"photo {name} is {size_mb:.1f} MB; the limit is 3 MB",
                    file=str(path),
                    column="files",
                    rule="photo size",
                )
            )
    return errors


def check_word_limits(limits: dict[str, Any], file: str) -> tuple[dict[str, int], list[InputError]]:
    """Word limits must be whole positive numbers for known sections."""
    out: dict[str, int] = {}
    errors: list[InputError] = []
    for section, value in limits.items():
        key = str(section)
        if key not in KNOWN_SECTIONS:
            errors.append(
                InputError(
                    f"unknown section {key!r} (known: {', '.join(KNOWN_SECTIONS)})",
                    file=file,
                    column=f"word_limits.{key}",
                    rule="section",
                )
            )
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            errors.append(
                InputError(
                    f"word limit must be a positive whole number, not {value!r}",
                    file=file,
                    column=f"word_limits.{key}",
                    rule="word limit",
                )
            )
            continue
        out[key] = value
    return out, errors


def narrative_warnings(narratives: dict[tuple[str, str], str], languages: tuple[str, ...]) -> list[str]:
    """Warnings for narratives no report will print: unknown section ids or languages.

    Not errors: a file named after a section of a future call should not block the workspace, but a
    misspelt ``executive_sumary.md`` would silently vanish from the report, so it is pointed out.
    """
    out = []
    for section, lang in sorted(narratives):
        if section not in KNOWN_SECTIONS:
            out.append(
                f"narratives/{lang}/{section}.md: unknown section {section!r}, not used by any report "
                f"(known: {', '.join(KNOWN_SECTIONS)})"
            )
        elif lang not in languages:
            out.append(
                f"narratives/{lang}/{section}.md: unknown language {lang!r} (known: {', '.join(languages)})"
            )
    return out
