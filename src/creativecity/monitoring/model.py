"""The domain model of a city workspace: observations, targets, indicators and what surrounds them.

A workspace is everything one city keeps for its UNESCO monitoring: every published figure with its
source (:class:`Observation`), the commitments it is measured against (:class:`Target`), the indicator
definitions in two languages (:class:`IndicatorDef`), how indicators map onto framework pillars and
dimensions (:class:`MappingRow`), narrative text per report section and language, the four-year action
plan (:class:`ActionItem`) and the history of every change (:class:`HistoryEntry`).

The classes are plain dataclasses with ``to_dict``/``from_dict`` so that the file store, the SQL store
(web area) and the JSON API share one shape. Nothing here touches the disk.

Why several observations of the same thing are kept side by side: the press disagrees with itself
(two counts of Hanoi's creative spaces for 2019, 60 and about 200) and the product must show that
instead of silently averaging. ``preferred`` records the city's explicit choice among them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from creativecity.monitoring.activities import NetworkActivity, parse_activity
from creativecity.monitoring.application import (
    APPLICATION_SECTIONS as APPLICATION_SECTIONS,
)
from creativecity.monitoring.application import (
    KNOWN_SECTIONS as KNOWN_SECTIONS,
)
from creativecity.monitoring.application import (
    MONITORING_SECTIONS,
    Attachment,
    Contact,
    default_attachments,
    default_contacts,
)
from creativecity.monitoring.initiatives import Initiative, parse_initiative
from creativecity.monitoring.reportinfo import ReportInfo
from creativecity.monitoring.rules import LANGUAGES as LANGUAGES
from creativecity.monitoring.rules import next_id
from creativecity.monitoring.rules import valid_code as valid_code
from creativecity.monitoring.rules import valid_name as valid_name
from creativecity.monitoring.series import SeriesBreak

#: The certainty levels an observation can carry, from the most to the least solid.
CERTAINTIES: tuple[str, ...] = ("reported", "estimate", "approximate", "lower bound", "undated")

#: Directions an indicator can be read in: ``increase`` means more is better.
DIRECTIONS: tuple[str, ...] = ("increase", "decrease")

#: Units every new workspace knows; a workspace extends the list in its ``workspace.yaml``.
DEFAULT_UNITS: tuple[str, ...] = (
    "count",
    "persons",
    "%",
    "% of GDP",
    "% of GRDP",
    "% of employment",
    "% of respondents",
    "per 100,000 inhabitants",
    "per 1,000 inhabitants",
    "visits",
    "events per year",
    "activities",
    "million visitors per year",
    "trillion VND",
    "billion VND",
    "million USD",
    "billion USD",
    "index",
    "checklist (1 yes, 0.5 partly, 0 no)",
)

#: Sections of the monitoring report narratives are written for (UCCN_DOCUMENTS.md; headings
#: unverified, editable). The application's sections are ``APPLICATION_SECTIONS``; both together are
#: ``KNOWN_SECTIONS`` (re-exported from :mod:`creativecity.monitoring.application`).
NARRATIVE_SECTIONS: tuple[str, ...] = MONITORING_SECTIONS

#: Action-plan fields that hold text typed by the city, translated per language.
ACTION_TEXT_FIELDS: tuple[str, ...] = ("objective", "initiative", "lead", "partners")


def _opt_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    out = float(value)
    return None if math.isnan(out) else out


def _opt_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return int(value)


def _opt_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "y"}:
        return True
    if text in {"false", "no", "0", "n"}:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def _s(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class Observation:
    """One published figure, exactly as read, with where it was read.

    Parameters
    ----------
    id
        Stable identifier within the workspace (``obs-0001``); history and ``preferred`` refer to it.
    indicator
        Indicator code (see :class:`IndicatorDef`).
    scope
        Whose figure it is: the city (``Hanoi``) or national context (``Viet Nam``). Series never mix
        scopes.
    value, unit
        The number and its unit. Two units of one indicator (GRDP in VND and in USD) are two series.
    reference_year, reference_year_note
        The year the figure describes (``None`` when the source does not say) and why it is uncertain.
    method
        How the figure was computed. Figures with different methods are different series (the national
        cultural-industry share of GDP by revenue, 3.61 % in 2018, vs by value added, 5.82 %).
    source
        URL or citation; required for every figure.
    certainty
        One of :data:`CERTAINTIES`.
    preferred
        ``True`` for the figure the city chose among conflicting ones, ``False`` for one it set aside,
        ``None`` when no choice was made.
    bound, value_high
        What the number is (:data:`~creativecity.monitoring.series.BOUNDS`): "" exact; ``lower`` for
        "more than ``value``"; ``upper`` for "less than ``value``"; ``range`` for ``value`` to
        ``value_high`` (1.7-2.3 million workers). Stored as such so that a report never prints a bound
        as a point and a status uses only the certain side.
    """

    id: str
    indicator: str
    scope: str
    value: float
    unit: str
    reference_year: int | None
    reference_year_note: str = ""
    method: str = ""
    source: str = ""
    note: str = ""
    certainty: str = "reported"
    preferred: bool | None = None
    bound: str = ""
    value_high: float | None = None

    def series_key(self) -> tuple[str, str, str, str]:
        """The key that separates series: indicator, scope, unit and method."""
        return (self.indicator, self.scope, self.unit, self.method)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping (JSON, CSV rows, SQL rows)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Observation:
        """Build from a mapping with string or typed values (CSV rows, JSON, SQL rows)."""
        return cls(
            id=_s(data.get("id")),
            indicator=_s(data["indicator"]),
            scope=_s(data["scope"]),
            value=float(data["value"]),
            unit=_s(data["unit"]),
            reference_year=_opt_int(data.get("reference_year")),
            reference_year_note=_s(data.get("reference_year_note")),
            method=_s(data.get("method")),
            source=_s(data.get("source")),
            note=_s(data.get("note")),
            certainty=_s(data.get("certainty")) or "reported",
            preferred=_opt_bool(data.get("preferred")),
            bound=_s(data.get("bound")),
            value_high=_opt_float(data.get("value_high")),
        )


@dataclass
class Target:
    """A commitment: reach ``target_value`` (in ``unit``) for ``indicator`` in ``scope`` by ``target_year``.

    ``instrument`` and ``instrument_date`` name the policy document that set it (e.g. Resolution
    09-NQ/TU of 2022-02-22); ``instrument_date`` is ISO and may be partial (``2025-11``) or empty.
    ``method`` is the target's definition (revenue share vs value-added share, statistical source):
    progress is computed only against a series of the same definition (docs/monitoring.md); empty
    means the instrument states none. ``bound``/``value_high`` store a range target ("1-2 centres") as
    such; ``instrument_vi`` is the instrument's Vietnamese name ("Nghị quyết 09-NQ/TU ...").
    """

    id: str
    indicator: str
    target_value: float
    unit: str
    target_year: int
    scope: str
    instrument: str = ""
    instrument_date: str = ""
    source: str = ""
    note: str = ""
    method: str = ""
    bound: str = ""
    value_high: float | None = None
    instrument_vi: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping (JSON, CSV rows, SQL rows)."""
        return dataclasses.asdict(self)

    def instrument_name(self, lang: str = "en") -> str:
        """The instrument's name in ``lang`` (Vietnamese reports cite "Nghị quyết 09-NQ/TU ...")."""
        return (self.instrument_vi or self.instrument) if lang == "vi" else self.instrument

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        """Build from a mapping with string or typed values."""
        return cls(
            id=_s(data.get("id")),
            indicator=_s(data["indicator"]),
            target_value=float(data["target_value"]),
            unit=_s(data["unit"]),
            target_year=int(data["target_year"]),
            scope=_s(data["scope"]),
            instrument=_s(data.get("instrument")),
            instrument_date=_s(data.get("instrument_date")),
            source=_s(data.get("source")),
            note=_s(data.get("note")),
            method=_s(data.get("method")),
            bound=_s(data.get("bound")),
            value_high=_opt_float(data.get("value_high")),
            instrument_vi=_s(data.get("instrument_vi")),
        )


@dataclass
class IndicatorDef:
    """What an indicator code means, in English and Vietnamese, and which way is better."""

    code: str
    name_en: str
    name_vi: str = ""
    unit: str = ""
    direction: Literal["increase", "decrease"] = "increase"
    description: str = ""

    def name(self, lang: str = "en") -> str:
        """Name in ``lang``, falling back to English when no translation exists yet."""
        return (self.name_vi or self.name_en) if lang == "vi" else self.name_en

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndicatorDef:
        """Build from a mapping."""
        direction = _s(data.get("direction")) or "increase"
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
        return cls(
            code=_s(data["code"]),
            name_en=_s(data.get("name_en")),
            name_vi=_s(data.get("name_vi")),
            unit=_s(data.get("unit")),
            direction=direction,  # type: ignore[arg-type]
            description=_s(data.get("description")),
        )


@dataclass
class MappingRow:
    """Indicator ``indicator`` counts towards group ``code`` (pillar, dimension) of ``framework``."""

    indicator: str
    framework: str
    code: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MappingRow:
        """Build from a mapping."""
        return cls(
            indicator=_s(data["indicator"]),
            framework=_s(data["framework"]),
            code=_s(data["code"]),
            note=_s(data.get("note")),
        )


@dataclass
class ActionItem:
    """One line of the four-year action plan the monitoring report proposes (UCCN_DOCUMENTS.md)."""

    id: str
    objective: str
    initiative: str
    budget: float | None = None
    currency: str = ""
    indicator: str = ""
    target_value: float | None = None
    target_year: int | None = None
    lead: str = ""
    partners: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActionItem:
        """Build from a mapping."""
        return cls(
            id=_s(data.get("id")),
            objective=_s(data.get("objective")),
            initiative=_s(data.get("initiative")),
            budget=_opt_float(data.get("budget")),
            currency=_s(data.get("currency")),
            indicator=_s(data.get("indicator")),
            target_value=_opt_float(data.get("target_value")),
            target_year=_opt_int(data.get("target_year")),
            lead=_s(data.get("lead")),
            partners=_s(data.get("partners")),
            source=_s(data.get("source")),
        )


@dataclass
class HistoryEntry:
    """One changed field: who changed what, when, from which value to which.

    ``entity`` is ``observation``, ``target``, ``indicator``, ``workspace``...; ``entity_id`` its id.
    ``old`` is empty for a creation, ``new`` empty for a deletion. Values are kept as text so that
    history survives schema changes.
    """

    timestamp: str
    user: str
    entity: str
    entity_id: str
    field: str
    old: str
    new: str

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HistoryEntry:
        """Build from a mapping."""
        return cls(**{f.name: _s(data.get(f.name)) for f in dataclasses.fields(cls)})


@dataclass
class Workspace:
    """Everything one city keeps for its creative-city monitoring.

    ``framework`` names the framework (see :func:`creativecity.frameworks.list_frameworks`) whose
    pillars or dimensions the coverage report uses. ``narratives`` maps ``(section, lang)`` to Markdown.
    ``units`` is the workspace's unit vocabulary (drop-down in the Excel template; imports reject others).

    For the application dossier: ``city_names`` (``{"vi": "Hà Nội", "en": "Hanoi"}``; ``city`` is the
    fallback), ``contacts`` (:class:`Contact` per role), ``attachments`` (:class:`Attachment` checklist)
    and ``word_limits`` (per narrative section, overriding
    :data:`~creativecity.monitoring.application.DEFAULT_WORD_LIMITS`).

    ``initiatives`` is the register of what the city committed to
    (:mod:`creativecity.monitoring.initiatives`), ``activities`` its log of contributions to the network
    (:mod:`creativecity.monitoring.activities`); ``form_editions`` picks the edition of each UNESCO form
    (``{"application": "2021"}``, see :mod:`creativecity.monitoring.forms`) and ``report_info`` holds
    the MMR's general information (date, preparing entity, earlier reports, focal point).

    ``source_titles`` maps a source (URL or citation) to its title per language (``sources.csv``).

    ``series_breaks`` marks years in which series broke (COVID-19 2020-2021): projections never run
    through them (:class:`~creativecity.monitoring.series.SeriesBreak`).

    ``action_plan_translations`` maps ``lang -> action id -> field -> text`` for the text fields of
    the action plan (:data:`ACTION_TEXT_FIELDS`) in languages other than the one the items are typed in
    (English). It sits beside the items rather than in :class:`ActionItem` so that the items keep the
    shape every store already persists; the folder format shows it as ``objective_vi``... columns.
    """

    name: str
    city: str
    country_iso3: str
    creative_field: str
    designation_year: int | None = None
    framework: str = "creative_city_pillars"
    observations: list[Observation] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[IndicatorDef] = field(default_factory=list)
    mapping: list[MappingRow] = field(default_factory=list)
    narratives: dict[tuple[str, str], str] = field(default_factory=dict)
    action_plan: list[ActionItem] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    designation_date: str = ""
    units: list[str] = field(default_factory=lambda: list(DEFAULT_UNITS))
    description: str = ""
    city_names: dict[str, str] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=default_contacts)
    attachments: list[Attachment] = field(default_factory=default_attachments)
    word_limits: dict[str, int] = field(default_factory=dict)
    action_plan_translations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    activities: list[NetworkActivity] = field(default_factory=list)
    form_editions: dict[str, str] = field(default_factory=dict)
    report_info: ReportInfo = field(default_factory=ReportInfo)
    series_breaks: list[SeriesBreak] = field(default_factory=list)
    source_titles: dict[str, dict[str, str]] = field(default_factory=dict)

    # -- look-ups -------------------------------------------------------------------------------
    def indicator(self, code: str) -> IndicatorDef | None:
        """The definition of ``code``, or ``None``."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        return None

    def observation(self, obs_id: str) -> Observation | None:
        """The observation with id ``obs_id``, or ``None``."""
        for obs in self.observations:
            if obs.id == obs_id:
                return obs
        return None

    def target(self, target_id: str) -> Target | None:
        """The target with id ``target_id``, or ``None``."""
        for tgt in self.targets:
            if tgt.id == target_id:
                return tgt
        return None

    def indicator_codes(self) -> set[str]:
        """Codes of every defined indicator."""
        return {ind.code for ind in self.indicators}

    def known_units(self) -> set[str]:
        """The unit vocabulary: declared units plus the units of indicator definitions."""
        return set(self.units) | {ind.unit for ind in self.indicators if ind.unit}

    def groups_of(self, indicator: str, framework: str | None = None) -> list[str]:
        """Pillar/dimension codes ``indicator`` maps to in ``framework`` (default: the workspace's)."""
        fw = framework or self.framework
        return [m.code for m in self.mapping if m.indicator == indicator and m.framework == fw]

    def conflicting(self, obs: Observation) -> list[Observation]:
        """Other observations of the same series and year (candidates for ``preferred``)."""
        return [
            o
            for o in self.observations
            if o.id != obs.id
            and o.series_key() == obs.series_key()
            and o.reference_year == obs.reference_year
        ]

    def next_id(self, prefix: str, existing: Iterable[str]) -> str:
        """Next free sequential id (``obs-0042``), by the one rule of :func:`rules.next_id`."""
        return next_id(prefix, existing)

    def source_title(self, source: str, lang: str) -> str:
        """The title of a source in ``lang`` ("" when none was recorded): a Vietnamese report cites
        "Báo Công an nhân dân: ..." rather than an English headline or a bare URL."""
        titles = self.source_titles.get(source, {})
        return titles.get(lang) or titles.get("en", "")

    def city_name(self, lang: str) -> str:
        """The city's name in ``lang`` (``Hà Nội``), else the English one, else ``city``."""
        return self.city_names.get(lang) or self.city_names.get("en") or self.city

    def action_text(self, item: ActionItem, field_name: str, lang: str) -> tuple[str, bool]:
        """Text of ``item.field_name`` in ``lang`` and whether it is really in that language.

        English is the language items are typed in. For another language the translation is used
        when there is one; otherwise the English text comes back with ``False`` so that a report can
        mark it as untranslated rather than pass it off as Vietnamese.
        """
        original = str(getattr(item, field_name) or "")
        if lang == "en":
            return original, True
        translated = self.action_plan_translations.get(lang, {}).get(item.id, {}).get(field_name, "")
        if translated:
            return translated, True
        return original, not original

    def summary(self) -> dict[str, Any]:
        """Short description for listings."""
        return {
            "name": self.name,
            "city": self.city,
            "country_iso3": self.country_iso3,
            "creative_field": self.creative_field,
            "designation_year": self.designation_year,
            "framework": self.framework,
            "observations": len(self.observations),
            "targets": len(self.targets),
            "indicators": len(self.indicators),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping; narrative keys become ``"section/lang"`` so that JSON can hold them."""
        return {
            "name": self.name,
            "city": self.city,
            "country_iso3": self.country_iso3,
            "creative_field": self.creative_field,
            "designation_year": self.designation_year,
            "designation_date": self.designation_date,
            "framework": self.framework,
            "description": self.description,
            "units": list(self.units),
            "city_names": dict(self.city_names),
            "contacts": [c.to_dict() for c in self.contacts],
            "attachments": [a.to_dict() for a in self.attachments],
            "word_limits": dict(self.word_limits),
            "action_plan_translations": {
                lang: {i: dict(f) for i, f in items.items()}
                for lang, items in self.action_plan_translations.items()
            },
            "initiatives": [i.to_dict() for i in self.initiatives],
            "activities": [a.to_dict() for a in self.activities],
            "form_editions": dict(self.form_editions),
            "report_info": self.report_info.to_dict(),
            "series_breaks": [b.to_dict() for b in self.series_breaks],
            "source_titles": {k: dict(v) for k, v in self.source_titles.items()},
            "observations": [o.to_dict() for o in self.observations],
            "targets": [t.to_dict() for t in self.targets],
            "indicators": [i.to_dict() for i in self.indicators],
            "mapping": [m.to_dict() for m in self.mapping],
            "narratives": {f"{s}/{lang}": text for (s, lang), text in sorted(self.narratives.items())},
            "action_plan": [a.to_dict() for a in self.action_plan],
            "history": [h.to_dict() for h in self.history],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Workspace:
        """Inverse of :meth:`to_dict`."""
        narratives: dict[tuple[str, str], str] = {}
        for key, text in (data.get("narratives") or {}).items():
            section, _, lang = key.partition("/")
            narratives[(section, lang)] = text
        return cls(
            name=data["name"],
            city=data.get("city", ""),
            country_iso3=data.get("country_iso3", ""),
            creative_field=data.get("creative_field", ""),
            designation_year=_opt_int(data.get("designation_year")),
            designation_date=_s(data.get("designation_date")),
            framework=data.get("framework") or "creative_city_pillars",
            description=_s(data.get("description")),
            units=list(data.get("units") or DEFAULT_UNITS),
            city_names={str(k): _s(v) for k, v in (data.get("city_names") or {}).items() if _s(v)},
            contacts=[Contact.from_dict(c) for c in data["contacts"]]
            if data.get("contacts") is not None
            else default_contacts(),
            attachments=[Attachment.from_dict(a) for a in data["attachments"]]
            if data.get("attachments") is not None
            else default_attachments(),
            word_limits={str(k): int(v) for k, v in (data.get("word_limits") or {}).items()},
            action_plan_translations={
                str(lang): {str(i): {str(f): _s(t) for f, t in fields.items()} for i, fields in items.items()}
                for lang, items in (data.get("action_plan_translations") or {}).items()
            },
            initiatives=[_trusted(parse_initiative, i) for i in data.get("initiatives") or []],
            activities=[_trusted(parse_activity, a) for a in data.get("activities") or []],
            form_editions={str(k): _s(v) for k, v in (data.get("form_editions") or {}).items()},
            report_info=ReportInfo.from_dict(data.get("report_info") or {}),
            series_breaks=[SeriesBreak.from_dict(b) for b in data.get("series_breaks") or []],
            source_titles={
                str(k): {str(lang): _s(t) for lang, t in (v or {}).items() if _s(t)}
                for k, v in (data.get("source_titles") or {}).items()
            },
            observations=[Observation.from_dict(o) for o in data.get("observations", [])],
            targets=[Target.from_dict(t) for t in data.get("targets", [])],
            indicators=[IndicatorDef.from_dict(i) for i in data.get("indicators", [])],
            mapping=[MappingRow.from_dict(m) for m in data.get("mapping", [])],
            narratives=narratives,
            action_plan=[ActionItem.from_dict(a) for a in data.get("action_plan", [])],
            history=[HistoryEntry.from_dict(h) for h in data.get("history", [])],
        )


def _trusted(parse: Any, cells: dict[str, Any]) -> Any:
    """A record of a stored workspace, read with the checks of its module (a bad one is an error)."""
    item, errors = parse(cells, file="workspace")
    if item is None:
        raise ValueError(str(errors[0]))
    return item
