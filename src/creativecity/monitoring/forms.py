"""UNESCO's forms as data: the sections of each document, edition by edition, with what is known of them.

The application form and the Membership Monitoring Report (MMR) guidelines change from call to call,
and most of what they say could not be read in a primary source (UCCN_DOCUMENTS.md). So the structure
of each document is a data file per edition (``creativecity/data/forms/<kind>-<edition>.yaml``):
sections in order with their number, heading in English, French and Vietnamese, what the section
asks, its word limit (a number, ``none`` or ``unknown``), the status and source of each fact, and which
workspace data fills it. The reports, the web editor and ``creativecity form show`` all read the
structure from here, so a corrected heading or a limit read in next year's form is one edit of a data
file, not of code.

A city picks the edition in its workspace (``form_editions``, default: the latest) and sets the limits
the form leaves ``unknown`` (``word_limits``); a limit the form states cannot be overridden.

This module is the one home of the rules "which limit applies to a section" and "which sections a
document has".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from creativecity.errors import InputError
from creativecity.monitoring.application import ATTACHMENT_KINDS, CONTACT_ROLES

#: Document kinds with a form; the reports call the MMR "monitoring".
FORM_KINDS: tuple[str, ...] = ("application", "mmr")
#: Languages a form's headings are given in (submission: en, fr; working language: vi).
FORM_LANGS: tuple[str, ...] = ("en", "fr", "vi")
#: What a section's data may come from (``fills`` in the data files).
FILL_KEYS: frozenset[str] = frozenset(
    {
        "narrative",
        "city_name",
        "country",
        "creative_field",
        "designation",
        "report_info",
        "activities",
        "action_plan",
        "initiatives.local",
        "initiatives.inter-city",
        "initiatives.plan",
        "contacts.focal_point",
        *(f"contacts.{r}" for r in CONTACT_ROLES),
    }
)
_FILE = re.compile(r"^(application|mmr)-([0-9A-Za-z._]+)\.yaml$")


def kind_of(document_kind: str) -> str:
    """The form kind of a report kind (``monitoring`` -> ``mmr``)."""
    return "mmr" if document_kind == "monitoring" else document_kind


@dataclass(frozen=True)
class FormSection:
    """One section (or sub-section, with ``parent``) of a form.

    ``word_limit`` is the number of words the form allows, or None; ``limit_kind`` says whether None
    means the form sets no limit (``"none"``) or that its limit could not be read (``"unknown"``).
    """

    id: str
    number: str
    heading: dict[str, str]
    asks: str
    word_limit: int | None
    limit_kind: str
    status: str
    source: str
    fills: tuple[str, ...]
    parent: str = ""

    def title(self, lang: str) -> str:
        """``8. Heading`` in ``lang`` (English when the data lacks that language)."""
        dot = "" if "." in self.number else "."
        return f"{self.number}{dot} {self.heading.get(lang) or self.heading['en']}"

    @property
    def has_text(self) -> bool:
        """Whether the city writes a text for this section (a narrative)."""
        return "narrative" in self.fills

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json``."""
        return {
            "id": self.id,
            "number": self.number,
            "parent": self.parent,
            "heading": dict(self.heading),
            "asks": self.asks,
            "word_limit": self.word_limit if self.word_limit is not None else self.limit_kind,
            "status": self.status,
            "source": self.source,
            "fills": list(self.fills),
        }


@dataclass(frozen=True)
class Fact:
    """A value of the form with its status and source (max URLs, package size...)."""

    value: Any
    status: str
    source: str


@dataclass(frozen=True)
class Form:
    """One edition of one document kind."""

    kind: str
    edition: str
    title: dict[str, str]
    status: str
    source: str
    note: str
    languages: Fact
    empty_answer: Fact
    sections: tuple[FormSection, ...]
    attachments: tuple[dict[str, Any], ...] = ()
    rules: dict[str, Fact] = field(default_factory=dict)
    extra: dict[str, Fact] = field(default_factory=dict)

    def section(self, section_id: str) -> FormSection:
        """The section ``section_id``; InputError naming the known ones otherwise."""
        for s in self.sections:
            if s.id == section_id:
                return s
        known = ", ".join(s.id for s in self.sections)
        raise InputError(f"no section {section_id!r} in {self.kind} {self.edition} (known: {known})")

    def text_sections(self) -> list[FormSection]:
        """Sections the city writes a text for, in order."""
        return [s for s in self.sections if s.has_text]

    def rule(self, name: str, default: Any = None) -> Any:
        """The value of a rule (``max_urls``...) or ``default``."""
        fact = self.rules.get(name)
        return fact.value if fact is not None else default

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json``."""
        return {
            "kind": self.kind,
            "edition": self.edition,
            "title": dict(self.title),
            "status": self.status,
            "source": self.source,
            "note": self.note,
            "languages": self.languages.value,
            "empty_answer": self.empty_answer.value,
            "sections": [s.to_dict() for s in self.sections],
            "attachments": [a["kind"] for a in self.attachments],
            "rules": {
                k: {"value": f.value, "status": f.status, "source": f.source} for k, f in self.rules.items()
            },
        }


def _fact(raw: Any, where: str) -> Fact:
    if not isinstance(raw, dict) or "status" not in raw:
        raise InputError("must be a mapping with value/text, status and source", file=where, rule="form data")
    return Fact(raw.get("value", raw.get("text")), str(raw["status"]), str(raw.get("source") or ""))


def _section(raw: dict[str, Any], where: str, ids: set[str]) -> FormSection:
    for key in ("id", "number", "heading", "asks", "word_limit", "status", "fills"):
        if key not in raw:
            raise InputError(f"section lacks {key!r}", file=where, rule="form data")
    heading = raw["heading"]
    if not isinstance(heading, dict) or set(heading) != set(FORM_LANGS):
        raise InputError(f"heading must be given in {', '.join(FORM_LANGS)}", file=where, rule="form data")
    limit = raw["word_limit"]
    if limit in ("none", "unknown"):
        words, kind = None, str(limit)
    elif isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        words, kind = limit, "number"
    else:
        raise InputError(f"word_limit must be a number, none or unknown, not {limit!r}", file=where)
    fills = tuple(raw["fills"] or ())
    bad = [f for f in fills if f not in FILL_KEYS]
    if bad:
        raise InputError(f"unknown fills {bad}", file=where, rule="form data")
    parent = str(raw.get("parent") or "")
    if parent and parent not in ids:
        raise InputError(f"parent {parent!r} is not an earlier section", file=where, rule="form data")
    return FormSection(
        id=str(raw["id"]),
        number=str(raw["number"]),
        heading={k: str(v) for k, v in heading.items()},
        asks=str(raw["asks"]).strip(),
        word_limit=words,
        limit_kind=kind,
        status=str(raw["status"]),
        source=str(raw.get("source") or ""),
        fills=fills,
        parent=parent,
    )


def parse_form(data: Any, where: str) -> Form:
    """Check and build a form from its data file's content (errors name the file and section)."""
    if not isinstance(data, dict) or data.get("kind") not in FORM_KINDS:
        raise InputError(f"kind must be one of {', '.join(FORM_KINDS)}", file=where, rule="form data")
    sections: list[FormSection] = []
    ids: set[str] = set()
    for i, raw in enumerate(data.get("sections") or [], start=1):
        sec = _section(raw, f"{where} sections[{i}]", ids)
        if sec.id in ids:
            raise InputError(f"section id {sec.id!r} given twice", file=f"{where} sections[{i}]")
        ids.add(sec.id)
        sections.append(sec)
    if not sections:
        raise InputError("a form needs sections", file=where, rule="form data")
    attachments = tuple((data.get("attachments") or {}).get("items") or ())
    for item in attachments:
        if item.get("kind") not in ATTACHMENT_KINDS:
            raise InputError(f"unknown attachment {item.get('kind')!r}", file=where, rule="form data")
    rules = {str(k): _fact(v, f"{where} rules.{k}") for k, v in (data.get("rules") or {}).items()}
    extra = {k: _fact(data[k], f"{where} {k}") for k in ("word_limits_hard", "period_years") if k in data}
    return Form(
        kind=str(data["kind"]),
        edition=str(data["edition"]),
        title={k: str(v) for k, v in (data.get("title") or {}).items()},
        status=str(data.get("status") or ""),
        source=str(data.get("source") or ""),
        note=str(data.get("note") or "").strip(),
        languages=_fact(data.get("languages"), f"{where} languages"),
        empty_answer=_fact(data.get("empty_answer"), f"{where} empty_answer"),
        sections=tuple(sections),
        attachments=attachments,
        rules=rules,
        extra=extra,
    )


def _forms_dir() -> Any:
    return resources.files("creativecity") / "data" / "forms"


@functools.cache
def list_editions(kind: str) -> tuple[str, ...]:
    """Editions bundled for ``kind``, oldest first."""
    found = []
    for entry in _forms_dir().iterdir():
        match = _FILE.match(entry.name)
        if match and match.group(1) == kind:
            found.append(match.group(2))
    return tuple(sorted(found))


@functools.cache
def load_form(kind: str, edition: str | None = None) -> Form:
    """The form of ``kind`` (``application``, ``mmr`` or ``monitoring``) in ``edition`` (default: latest)."""
    kind = kind_of(kind)
    if kind not in FORM_KINDS:
        raise InputError(f"unknown form {kind!r}; use one of: {', '.join(FORM_KINDS)}", column="kind")
    editions = list_editions(kind)
    edition = edition or editions[-1]
    if edition not in editions:
        raise InputError(
            f"no {kind} form of edition {edition!r} (bundled: {', '.join(editions)})",
            column="edition",
            rule="known edition",
        )
    path = _forms_dir() / f"{kind}-{edition}.yaml"
    return parse_form(yaml.safe_load(path.read_text(encoding="utf-8")), f"data/forms/{path.name}")


def check_editions(data: Any, file: str) -> tuple[dict[str, str], list[InputError]]:
    """Read ``form_editions`` (``{kind: edition}``) from ``workspace.yaml``: known kinds and editions."""
    if not isinstance(data, dict):
        return {}, [InputError("must map form to edition", file=file, column="form_editions", rule="mapping")]
    out: dict[str, str] = {}
    errors: list[InputError] = []
    for kind, edition in data.items():
        kind, edition = str(kind), str(edition)
        if kind not in FORM_KINDS:
            errors.append(InputError(f"unknown form {kind!r}", file=file, column=f"form_editions.{kind}"))
        elif edition not in list_editions(kind):
            errors.append(
                InputError(
                    f"no edition {edition!r} (bundled: {', '.join(list_editions(kind))})",
                    file=file,
                    column=f"form_editions.{kind}",
                    rule="known edition",
                )
            )
        else:
            out[kind] = edition
    return out, errors


def form_for(workspace: Any, kind: str) -> Form:
    """The form edition ``workspace`` has chosen for ``kind`` (the latest when it has not chosen)."""
    kind = kind_of(kind)
    return load_form(kind, (getattr(workspace, "form_editions", None) or {}).get(kind))


def word_limit(form: Form, section_id: str, overrides: dict[str, int] | None = None) -> int | None:
    """The limit that applies: the form's number, else the city's setting for an ``unknown`` limit.

    A section the form gives no limit (``none``) has none whatever the setting says.
    """
    sec = form.section(section_id)
    if sec.limit_kind == "number":
        return sec.word_limit
    if sec.limit_kind == "unknown":
        return (overrides or {}).get(section_id)
    return None


def check_override(form: Form, section_id: str, words: int) -> None:
    """A city may set a limit only where the form's is unknown; InputError otherwise."""
    sec = form.section(section_id)
    if sec.limit_kind != "unknown":
        what = f"sets {sec.word_limit} words" if sec.word_limit else "sets no word limit"
        raise InputError(
            f"the {form.kind} form {form.edition} {what} for {section_id}; only unknown ones can be set",
            column="word_limits." + section_id,
            rule="form limit",
        )
