"""The state every section builder shares: language, sources, numbering and warnings.

A report cites hundreds of values; :class:`BuildContext` is the single place where a value becomes a
cell with its source note, so that no builder can put a number on the page without one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from creativecity.monitoring.forms import Form, load_form, word_limit
from creativecity.monitoring.model import Observation, Target
from creativecity.monitoring.texts import SectionText, is_empty_answer
from creativecity.monitoring.texts import empty_answer as form_empty_answer
from creativecity.reports.data import ReportData
from creativecity.reports.i18n import Text
from creativecity.reports.model import Cell, Figure, Markdown, Notice, Paragraph, SourceRegistry, Table
from creativecity.reports.narrative import word_count


def _squash(name: str) -> str:
    return name.replace(" ", "").casefold()


@functools.cache
def _country_spellings(iso3: str) -> frozenset[str]:
    """Ways a workspace may spell its country as a scope: "Viet Nam" (ISO), "Vietnam" (CLDR), "VNM"."""
    import pycountry

    entry = pycountry.countries.get(alpha_3=iso3.upper())
    names = {iso3, Text("en").country(iso3), Text("vi").country(iso3)}
    if entry is not None:
        names |= {entry.name, getattr(entry, "common_name", ""), getattr(entry, "official_name", "")}
    return frozenset(_squash(n) for n in names if n)


@dataclass
class BuildContext:
    """Language, inputs and running state of one document build."""

    t: Text
    inp: ReportData
    sources: SourceRegistry = field(default_factory=SourceRegistry)
    warnings: list[str] = field(default_factory=list)
    word_limits: dict[str, int] = field(default_factory=dict)
    pillar_names: dict[str, str] = field(default_factory=dict)
    #: The form edition the document follows (headings, limits, UNESCO's empty-section phrase).
    form: Form | None = None
    #: A document for UNESCO: no notices, no source list, nothing beyond the form.
    submission: bool = False
    #: Required data still missing (contacts, field...), each as "3.1 Mayor of the City: email is empty".
    pending: list[str] = field(default_factory=list)
    #: Texts of the form's sections in the document's language (word counts, translation dates).
    text_states: dict[str, SectionText] = field(default_factory=dict)
    tables: int = 0
    figures: int = 0

    @property
    def lang(self) -> str:
        """Output language code."""
        return self.t.lang

    # -- sources ----------------------------------------------------------------------------------
    def cite(self, source: str) -> int:
        """Note number for a source string (URL or citation), with its title in the output language.

        A title recorded in the workspace (``sources.csv``) is printed before the URL; a citation that
        is not a URL is replaced by its title in the output language.
        """
        url = source if source.startswith(("http://", "https://")) else None
        titles = self.inp.source_titles.get(source, {})
        title = titles.get(self.lang) or ("" if self.lang == "vi" else titles.get("en", ""))
        if title:
            return self.sources.cite(f"{title}. {source}" if url else title, url)
        return self.sources.cite(source, url)

    def cite_member(self, member: Any) -> tuple[int, ...]:
        """Notes of a network designation: UNESCO's own page first, the press source second."""
        sources = getattr(member, "sources", None) or (member.source,)
        return tuple(self.cite(s) for s in sources)

    def cite_obs(self, obs: Observation) -> int:
        """Note number of an observation's source."""
        return self.cite(obs.source)

    def cite_target(self, tgt: Target) -> int:
        """Note number of a target: its instrument and where it was read."""
        instrument = (tgt.instrument_vi or tgt.instrument) if self.lang == "vi" else tgt.instrument
        titles = self.inp.source_titles.get(tgt.source, {})
        where = titles.get(self.lang) or ("" if self.lang == "vi" else titles.get("en", ""))
        where = f"{where}. {tgt.source}" if where else tgt.source
        text = f"{instrument}. {where}" if instrument else where
        url = tgt.source if tgt.source.startswith(("http://", "https://")) else None
        return self.sources.cite(text, url)

    def computed(self, inputs: tuple[int, ...], how_key: str) -> int:
        """A note for a computed value that names the notes it was computed from and how."""
        notes = tuple(sorted(set(inputs)))
        text = self.t("src.computed", notes=self.t.join_notes(notes), how=self.t(how_key))
        return self.sources.cite(text, None, notes)

    def derived(self, text_key: str, **kwargs: object) -> int:
        """A note for a value derived from data without a single source (counts, the workspace)."""
        return self.sources.cite(self.t(text_key, **kwargs))

    # -- values -----------------------------------------------------------------------------------
    def unit(self, unit: str) -> str:
        """Unit in the output language (units typed by users stay as typed).

        Catalog keys spell "%" as "pct": a "%" in a message id makes gettext tools treat it as a
        printf format and reject translations such as "% of GDP" -> "% GDP".
        """
        return self.t.maybe("unit." + unit.replace("%", "pct"), unit) if unit else ""

    def value(self, value: float, unit: str) -> str:
        """A value formatted for its unit: percent units as ``3,7 %``, others as locale numbers."""
        if unit.startswith("%"):
            return self.t.percent(value)
        return self.t.number(value)

    def value_cell(self, value: float | None, unit: str, notes: tuple[int, ...]) -> Cell:
        """A numeric cell; a missing value is a dash (no number, so no note needed)."""
        if value is None:
            return Cell("–")
        if not notes:
            raise ValueError("a number in a report needs a source note")
        return Cell(self.value(value, unit), tuple(notes), numeric=True)

    def change_cell(self, value: float | None, unit: str, notes: tuple[int, ...]) -> Cell:
        """A change per year: percentage points for a percentage unit, never "% a year"."""
        if value is None:
            return Cell("–")
        if not notes:
            raise ValueError("a number in a report needs a source note")
        return Cell(self.t.change(value, unit), tuple(notes), numeric=True)

    def bounded(self, value: float, unit: str, bound: str = "", high: float | None = None) -> str:
        """A value with its bound as the source gave it: "trên 4,0 %", "1,7–2,3"."""
        from creativecity.monitoring.series import format_bound

        high_text = self.value(high, unit) if high is not None else ""
        return format_bound(self.value(value, unit), bound, high_text, self.lang)

    def year_cell(self, year: int | None, notes: tuple[int, ...] = ()) -> Cell:
        """A year; years carry the notes of the value they date."""
        if year is None:
            return Cell(self.t("label.undated"))
        return Cell(str(year), tuple(notes), numeric=True)

    def scope(self, scope: str) -> str:
        """A series' scope: the city or country name in the output language."""
        if scope and scope == self.inp.city:
            return self.inp.city_name(self.lang)
        if self.inp.country_iso3 and scope and _squash(scope) in _country_spellings(self.inp.country_iso3):
            return self.t.country(self.inp.country_iso3)
        return scope

    def indicator(self, code: str) -> str:
        """Indicator name in the output language."""
        return self.inp.indicator_name(code, self.lang)

    # -- numbered things --------------------------------------------------------------------------
    def table(self, caption: str, header: list[str], rows: list[list[Cell]]) -> Table:
        """A numbered table ("Table 3. ...")."""
        self.tables += 1
        numeric = {c.notes for row in rows for c in row if c.numeric and c.notes}
        shared = (
            next(iter(numeric)) if len(numeric) == 1 and sum(c.numeric for r in rows for c in r) > 2 else ()
        )
        return Table(self.t("caption.table", n=self.tables, caption=caption), header, rows, shared)

    def figure(self, caption: str, png: bytes, alt: str, notes: tuple[int, ...]) -> Figure:
        """A numbered figure ("Figure 2. ...")."""
        self.figures += 1
        return Figure(self.t("caption.figure", n=self.figures, caption=caption), png, alt, notes)

    # -- narratives -------------------------------------------------------------------------------
    def empty_answer(self) -> str:
        """UNESCO's "No relevant information to provide" in the document's language (form data)."""
        return form_empty_answer(self.form or load_form("application"), self.lang)

    def limit(self, section_id: str) -> int | None:
        """The word limit that applies: the form's, else the city's setting for an unknown one."""
        form = self.form
        if form is not None and any(s.id == section_id for s in form.sections):
            return word_limit(form, section_id, self.word_limits)
        return self.word_limits.get(section_id)

    def narrative(self, section_id: str, has_data: bool = False) -> list[Markdown | Notice | Paragraph]:
        """The city's text for a section; UNESCO's phrase when there is none; limit and translation notices.

        ``has_data``: the section already shows data (a table of the register), so an empty text adds
        nothing rather than the phrase. A working draft also says when the text exists in the other
        language only, when it is over its limit, and when its translation is out of date.
        """
        text = self.inp.narrative(section_id, self.lang)
        if not text:
            if has_data:
                return []
            blocks: list[Markdown | Notice | Paragraph] = [Paragraph([self.empty_answer()])]
            other = "en" if self.lang != "en" else "vi"
            if not self.submission and self.inp.narrative(section_id, other):
                blocks.append(Notice(self.t("notice.other_language_only"), "info"))
            return blocks
        if is_empty_answer(self.form or load_form("application"), text):
            return [Paragraph([self.empty_answer()])]
        words, limit = word_count(text), self.limit(section_id)
        blocks = [Markdown(text)]
        if limit is not None and words > limit:
            self.warnings.append(f"{section_id}: {words} words, limit {limit}")
            if not self.submission:
                blocks.append(Notice(self.t("notice.word_limit", words=words, limit=limit), "warning"))
        state = self.text_states.get(section_id)
        if state is not None and state.out_of_date and not self.submission:
            blocks.append(Notice(self.t("notice.out_of_date"), "warning"))
            self.warnings.append(f"{section_id}: translation out of date")
        return blocks
