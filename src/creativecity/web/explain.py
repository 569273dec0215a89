"""Vietnamese for the sentences the monitoring library writes (status explanations, stale reasons).

``creativecity.monitoring.progress`` explains each target's status in English (``TargetProgress.
explanation``) and says why a figure is listed as old (``StaleEntry.reason``): it is a library, and its
JSON is read by scripts. The pages translate those sentences here. Each known sentence is a *rule*,
keyed on the status it explains and a short rule name, with a pattern that picks out its numbers and a
catalog message with placeholders, so the numbers survive translation and the Vietnamese catalog covers
every rule (a test checks each rule against the library's real output).

A sentence that matches no rule (the library grew a new one) is not shown in English on a Vietnamese
page: the page falls back to the translated status name, and a test fails until a rule is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from creativecity.web import i18n
from creativecity.web.terms import N_


@dataclass(frozen=True)
class Rule:
    """One sentence of the monitoring library: which status it explains and how to translate it."""

    status: str
    name: str
    pattern: re.Pattern[str]
    message: str


def _rule(status: str, name: str, pattern: str, message: str) -> Rule:
    return Rule(status, name, re.compile(rf"^{pattern}$"), message)


#: Status explanations of ``creativecity.monitoring.progress`` (``_status`` and the projection rules).
STATUS_RULES: tuple[Rule, ...] = (
    _rule("no data", "no figure", r"no figure for this indicator, scope, unit and definition",
          N_("no figure for this indicator, scope, unit and definition")),
    _rule("no comparable series", "other definitions",
          r"the target is defined as '(?P<target>.*)'; the only series are defined as (?P<series>.*)",
          N_("the target is defined as '%(target)s'; the only series are defined as %(series)s")),
    _rule("no recent data", "bound cannot decide",
          r"target year passed; the (?P<year>\d{4}) figure is a bound that cannot decide",
          N_("target year passed; the %(year)s figure is a bound that cannot decide")),
    _rule("no trend", "too few figures", r"(?P<n>\d+) figure\(s\): a projection needs (?P<min>\d+)",
          N_("%(n)s figure(s): a projection needs %(min)s")),
    _rule("no trend", "too few since the break",
          r"(?P<n>\d+) figure\(s\) since the break ending (?P<year>\d{4}): a projection needs (?P<min>\d+)",
          N_("%(n)s figure(s) since the break ending %(year)s: a projection needs %(min)s")),
    _rule("achieved", "target year figure", r"target year passed; the (?P<year>\d{4}) figure meets it",
          N_("target year passed; the %(year)s figure meets it")),
    _rule("missed", "target year figure",
          r"target year passed; the (?P<year>\d{4}) figure falls short of it",
          N_("target year passed; the %(year)s figure falls short of it")),
    _rule("achieved", "met early", r"target year passed; met before the target year",
          N_("target year passed; met before the target year")),
    _rule("no recent data", "no target year figure",
          r"target year passed but no figure for the target year yet",
          N_("target year passed but no figure for the target year yet")),
    _rule("achieved", "latest meets", r"the latest figure meets the target",
          N_("the latest figure meets the target")),
    _rule("no recent data", "stale", r"latest figure more than (?P<years>\d+) years old",
          N_("latest figure more than %(years)s years old")),
    _rule("on track", "projection", r"the projection reaches the target in time",
          N_("the projection reaches the target in time")),
    _rule("at risk", "projection share",
          r"the projection covers at least (?P<share>\d+%) of the change needed",
          N_("the projection covers at least %(share)s of the change needed")),
    _rule("off track", "projection share",
          r"the projection covers less than (?P<share>\d+%) of the change needed",
          N_("the projection covers less than %(share)s of the change needed")),
)  # fmt: skip

#: Reasons of ``creativecity.monitoring.progress`` for listing a figure as old or undated.
STALE_RULES: tuple[Rule, ...] = (
    _rule("", "old", r"latest figure is (?P<age>\d+) years old \(more than (?P<limit>\d+)\)",
          N_("latest figure is %(age)s years old (more than %(limit)s)")),
    _rule("", "undated", r"undated figure", N_("undated figure")),
)  # fmt: skip


def find_rule(rules: tuple[Rule, ...], status: str, text: str) -> tuple[Rule, dict[str, str]] | None:
    """The rule for ``text`` under ``status`` ("" matches any status) and the values it carries."""
    for rule in rules:
        if rule.status and rule.status != status:
            continue
        match = rule.pattern.match(text.strip())
        if match:
            return rule, match.groupdict()
    return None


def _translated(rules: tuple[Rule, ...], status: str, text: str) -> str | None:
    if i18n.current_language() == "en":
        return text
    found = find_rule(rules, status, text)
    if found is None:
        return None
    rule, values = found
    return i18n.gettext(rule.message) % values


def explain_status(text: str, status: str) -> str:
    """A target's status explanation in the page's language (the status name if no rule knows it)."""
    if not text:
        return ""
    out = _translated(STATUS_RULES, status, text)
    return out if out is not None else i18n.gettext(status)


def explain_stale(text: str) -> str:
    """Why a figure is listed as old or undated, in the page's language."""
    if not text:
        return ""
    out = _translated(STALE_RULES, "", text)
    return out if out is not None else i18n.gettext("old or undated")
