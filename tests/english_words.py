"""English words left in a Vietnamese output (the list is ``tests/english_words.txt``).

Used by the tests of the Vietnamese report, dossier, web pages and ``monitor --lang vi``: every
Vietnamese output must read as a Vietnamese official would write it, so an English word from the list is
a failure that names the word and where it stood.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_LINES = [
    line.strip()
    for line in (Path(__file__).with_name("english_words.txt")).read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
WORDS = frozenset(line.lower() for line in _LINES if not line.startswith("!"))
#: Proper names that happen to contain a listed word ("Port of Spain"): removed before the check.
PROPER_NAMES = tuple(line[1:].strip() for line in _LINES if line.startswith("!"))


def visible_text(page: str) -> str:
    """The text a reader sees in an HTML page (no styles, scripts, tags or attribute values)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def english_words(text: str) -> list[str]:
    """Listed English words in ``text``, each with 40 characters of context."""
    text = re.sub(r"(https?://|www\.)\S+", " ", text)  # URLs
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    text = re.sub(r"\S*[/\\]\S*|\S+\.(csv|xlsx|yaml|md)\b", " ", text)  # file paths
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    found = []
    for m in re.finditer(r"[A-Za-z]+(?:'[a-z]+)?", text):
        word = m.group(0)
        if word.isupper() and len(word) > 1:  # codes and acronyms (PER, GDP), not words
            continue
        if word.lower() in WORDS:
            found.append(text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " "))
    return found
