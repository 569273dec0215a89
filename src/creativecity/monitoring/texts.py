"""The texts a city writes for a form: working text (Vietnamese) beside submission text (en or fr).

The Department drafts in Vietnamese; UNESCO accepts English or French only (UCCN_DOCUMENTS.md). Each
form section therefore has a working text and a submission text, kept side by side as narratives
(``(section, "vi")`` and ``(section, "en"|"fr")``). The form's word limits are hard (the form stops
accepting text at the limit), so words are counted on the submission text, the one UNESCO counts.

Three rules live here, for the command line, the web page and the submission build alike:

- words are runs of letters or digits (:func:`word_count`; each Vietnamese syllable is one word);
- a submission text changed before its working text was last changed is "translation out of date"
  (dates from the workspace history, entity ``narrative``, id ``section/lang``);
- a section with nothing to say is answered with UNESCO's phrase "No relevant information to provide"
  (:func:`empty_answer`), never left empty and never "missing".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from creativecity.monitoring.forms import Form, FormSection, form_for, word_limit

#: Languages a narrative may be written in: the working language and UNESCO's two.
TEXT_LANGUAGES: tuple[str, ...] = ("vi", "en", "fr")
#: The team's working language.
WORKING_LANGUAGE = "vi"
#: Languages UNESCO accepts (verified: old FAQ, UCCN_DOCUMENTS.md).
SUBMISSION_LANGUAGES: tuple[str, ...] = ("en", "fr")

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)


def word_count(source: str) -> int:
    """Words as a reader counts them: runs of letters or digits (Vietnamese syllables count one each)."""
    return len(_WORD.findall(source))


def urls(source: str) -> list[str]:
    """The web addresses written in a text (the form accepts at most four in all)."""
    return [u.rstrip(".,;:") for u in _URL.findall(source)]


def empty_answer(form: Form, lang: str) -> str:
    """UNESCO's phrase for a section with nothing to report, in ``lang`` (form data)."""
    texts = form.empty_answer.value
    return str(texts.get(lang) or texts["en"]) if isinstance(texts, dict) else str(texts)


def is_empty_answer(form: Form, text: str) -> bool:
    """Whether ``text`` is the phrase in any language (trailing full stop and case ignored)."""
    norm = text.strip().rstrip(".").casefold()
    values = form.empty_answer.value
    phrases = values.values() if isinstance(values, dict) else [values]
    return any(norm == str(p).strip().rstrip(".").casefold() for p in phrases)


def last_changes(workspace: Any) -> dict[tuple[str, str], str]:
    """When each narrative ``(section, lang)`` was last changed (UTC ISO text), from the history."""
    out: dict[tuple[str, str], str] = {}
    for h in getattr(workspace, "history", None) or []:
        if h.entity != "narrative" or "/" not in h.entity_id:
            continue
        section, _, lang = h.entity_id.partition("/")
        key = (section, lang)
        if h.timestamp > out.get(key, ""):
            out[key] = h.timestamp
    return out


@dataclass(frozen=True)
class SectionText:
    """The state of one form section's texts, counted on the submission language."""

    section: FormSection
    lang: str
    working: str
    submission: str
    words: int
    limit: int | None
    limit_kind: str
    working_changed: str
    submission_changed: str

    @property
    def over_limit(self) -> bool:
        """More words than the limit that applies."""
        return self.limit is not None and self.words > self.limit

    @property
    def empty(self) -> bool:
        """No submission text at all (not even UNESCO's phrase)."""
        return not self.submission.strip()

    @property
    def out_of_date(self) -> bool:
        """The submission text was last changed before the working text: the translation lags."""
        return bool(self.submission.strip() and self.working_changed and self.submission_changed) and (
            self.submission_changed < self.working_changed
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for ``--json`` and the web page."""
        return {
            "section": self.section.id,
            "number": self.section.number,
            "heading": self.section.heading.get(self.lang) or self.section.heading["en"],
            "lang": self.lang,
            "words": self.words,
            "limit": self.limit if self.limit is not None else self.limit_kind,
            "over_limit": self.over_limit,
            "empty": self.empty,
            "translation_out_of_date": self.out_of_date,
            "working_words": word_count(self.working),
        }


def section_texts(
    workspace: Any, kind: str, lang: str, overrides: dict[str, int] | None = None
) -> list[SectionText]:
    """The text sections of ``kind``'s form (the workspace's edition), in order, for language ``lang``.

    ``overrides`` adds run-time limits to the workspace's ``word_limits`` (both only where the form's
    limit is unknown).
    """
    form = form_for(workspace, kind)
    limits = {**(getattr(workspace, "word_limits", None) or {}), **(overrides or {})}
    changes = last_changes(workspace)
    narratives = getattr(workspace, "narratives", None) or {}
    out = []
    for sec in form.text_sections():
        text = str(narratives.get((sec.id, lang), "") or "")
        out.append(
            SectionText(
                section=sec,
                lang=lang,
                working=str(narratives.get((sec.id, WORKING_LANGUAGE), "") or ""),
                submission=text,
                words=word_count(text),
                limit=word_limit(form, sec.id, limits),
                limit_kind=sec.limit_kind,
                working_changed=changes.get((sec.id, WORKING_LANGUAGE), ""),
                submission_changed=changes.get((sec.id, lang), ""),
            )
        )
    return out
