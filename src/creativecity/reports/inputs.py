"""What a report needs from a workspace, read defensively into plain records.

The workspace model belongs to the monitoring area and may grow; the reports read it through this one
adapter so that a renamed attribute breaks one function, not every section builder. Each field is read
with a fallback, and missing parts (no targets, no narratives, no action plan) become empty lists that
the builders turn into visible "not yet written / no data" notices.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _plain(obj: Any) -> dict[str, Any]:
    """A record (dataclass, object with to_dict, mapping, pydantic-ish) as a dict."""
    if isinstance(obj, dict):
        return dict(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    if hasattr(obj, "_asdict"):
        return dict(obj._asdict())
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _year(value: Any) -> int | None:
    num = _num(value)
    return int(num) if num is not None else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any) -> str:
    """Clean text in Unicode NFC.

    Vietnamese typed on some keyboards (or pasted from PDFs) arrives decomposed: "ệ" as e + two
    combining marks. Composed text renders with the font's own glyphs, searches and extracts from the
    PDF as typed, and counts words correctly.
    """
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    text = _CONTROL.sub("", str(value)).strip()  # Excel's \x0b line breaks etc. are invalid in XML (Word)
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Observation:
    """One published value with its source (a row of the workspace's observations)."""

    indicator: str
    scope: str
    value: float
    unit: str
    reference_year: int | None
    source: str
    note: str = ""
    year_note: str = ""
    certainty: str = ""
    method: str = ""
    preferred: bool | None = None


@dataclass(frozen=True)
class Target:
    """A policy target with the instrument that set it."""

    indicator: str
    scope: str
    target_value: float
    unit: str
    target_year: int | None
    source: str
    instrument: str = ""
    method: str = ""
    id: str = ""
    instrument_vi: str = ""


@dataclass(frozen=True)
class ActionItem:
    """One line of the four-year action plan."""

    objective: str
    initiative: str
    budget: float | None
    currency: str
    indicator: str
    target_value: float | None
    target_year: int | None
    source: str = ""
    lead: str = ""
    id: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    def text(self, field_name: str, lang: str) -> tuple[str, bool]:
        """``field_name`` in ``lang`` and whether it really is in that language.

        Items are typed in English; another language uses its translation and otherwise falls back
        to the English text with ``False``, which the report marks visibly as untranslated.
        """
        original = str(getattr(self, field_name) or "")
        if lang == "en":
            return original, True
        translated = self.translations.get(lang, {}).get(field_name, "")
        if translated:
            return translated, True
        return original, not original


@dataclass(frozen=True)
class AttachmentState:
    """One line of the attachments checklist: provided or not, and the file names."""

    status: str = "missing"
    files: tuple[str, ...] = ()
    note: str = ""

    @property
    def provided(self) -> bool:
        """Whether the city marked the document as provided."""
        return self.status == "provided"


@dataclass
class ReportInputs:
    """Everything the document builders read, with the workspace's gaps made explicit."""

    key: str
    city: str
    city_names: dict[str, str]
    country_iso3: str | None
    creative_field: str | None
    designation_year: int | None
    designation_date: date | None
    observations: list[Observation]
    targets: list[Target]
    indicator_names: dict[str, dict[str, str]]
    narratives: dict[tuple[str, str], str]
    action_plan: list[ActionItem]
    contacts: list[dict[str, str]] = field(default_factory=list)
    attachments: dict[str, AttachmentState] = field(default_factory=dict)
    word_limits: dict[str, int] = field(default_factory=dict)
    monitoring: dict[str, Any] | None = None
    indicator_units: dict[str, str] = field(default_factory=dict)
    #: source (URL or citation) -> language -> title, from the workspace's ``sources.csv``
    source_titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def city_name(self, lang: str) -> str:
        """The city's name in ``lang`` (``Hà Nội`` / ``Hanoi``), falling back to the stored name."""
        return self.city_names.get(lang) or self.city_names.get("en") or self.city

    def indicator_name(self, code: str, lang: str) -> str:
        """Indicator display name in ``lang``; the code itself when the workspace has no name for it."""
        names = self.indicator_names.get(code) or {}
        return names.get(lang) or names.get("en") or code


def _observations(ws: Any) -> list[Observation]:
    out = []
    for raw in _get(ws, "observations", None) or []:
        rec = _plain(raw)
        value = _num(rec.get("value"))
        if value is None:
            continue
        out.append(
            Observation(
                indicator=_text(rec.get("indicator")),
                scope=_text(rec.get("scope")),
                value=value,
                unit=_text(rec.get("unit")),
                reference_year=_year(rec.get("reference_year")),
                source=_text(rec.get("source")),
                note=_text(rec.get("note")),
                year_note=_text(rec.get("reference_year_note") or rec.get("year_note")),
                certainty=_text(rec.get("certainty")),
                method=_text(rec.get("method")),
                preferred=rec.get("preferred") if isinstance(rec.get("preferred"), bool) else None,
            )
        )
    return out


def _targets(ws: Any) -> list[Target]:
    out = []
    for raw in _get(ws, "targets", None) or []:
        rec = _plain(raw)
        value = _num(rec.get("target_value"))
        if value is None:
            continue
        out.append(
            Target(
                indicator=_text(rec.get("indicator")),
                scope=_text(rec.get("scope")),
                target_value=value,
                unit=_text(rec.get("unit")),
                target_year=_year(rec.get("target_year")),
                source=_text(rec.get("source")),
                instrument=_text(rec.get("instrument")),
                method=_text(rec.get("method")),
                id=_text(rec.get("id")),
                instrument_vi=_text(rec.get("instrument_vi")),
            )
        )
    return out


def _indicator_names(ws: Any) -> dict[str, dict[str, str]]:
    raw = _get(ws, "indicators", None)
    names: dict[str, dict[str, str]] = {}
    if raw is None:
        return names
    items = raw.items() if isinstance(raw, dict) else ((None, r) for r in raw)
    for code, item in items:
        rec = _plain(item) if not isinstance(item, str) else {"en": item}
        key = _text(code or rec.get("code") or rec.get("indicator") or rec.get("id"))
        if not key:
            continue
        en = _text(rec.get("name_en") or rec.get("en") or rec.get("label_en") or rec.get("name"))
        vi = _text(rec.get("name_vi") or rec.get("vi") or rec.get("label_vi"))
        names[key] = {k: v for k, v in (("en", en), ("vi", vi)) if v}
    return names


def _narratives(ws: Any) -> dict[tuple[str, str], str]:
    raw = _get(ws, "narratives", None) or {}
    out: dict[tuple[str, str], str] = {}
    if isinstance(raw, dict):
        for key, text in raw.items():
            if isinstance(key, tuple) and len(key) == 2:
                out[(str(key[0]), str(key[1]))] = _text(_get(text, "text", text) if text else "")
            elif isinstance(text, dict):  # {section: {lang: md}}
                for lang, md in text.items():
                    out[(str(key), str(lang))] = _text(md)
    else:  # a list of records
        for item in raw:
            rec = _plain(item)
            section = _text(rec.get("section"))
            lang = _text(rec.get("lang") or rec.get("language"))
            if section and lang:
                out[(section, lang)] = _text(rec.get("text") or rec.get("markdown") or rec.get("body"))
    return out


def _indicator_units(ws: Any) -> dict[str, str]:
    """Unit of each defined indicator (formats action-plan targets: ``8 %`` rather than ``8``)."""
    raw = _get(ws, "indicators", None)
    if raw is None or isinstance(raw, dict):
        return {}
    out = {}
    for item in raw:
        if isinstance(item, str):
            continue
        rec = _plain(item)
        code, unit = _text(rec.get("code")), _text(rec.get("unit"))
        if code and unit:
            out[code] = unit
    return out


def _action_plan(ws: Any) -> list[ActionItem]:
    out = []
    translations = _get(ws, "action_plan_translations", None) or {}
    for raw in _get(ws, "action_plan", None) or []:
        rec = _plain(raw)
        item_id = _text(rec.get("id"))
        per_lang: dict[str, dict[str, str]] = {}
        for lang in sorted(set(dict(translations)) | {"vi"}):
            fields = dict((translations.get(lang) or {}).get(item_id) or {})
            for lang_field in ("objective", "initiative", "lead"):  # flat ``objective_vi`` also read
                flat = rec.get(f"{lang_field}_{lang}")
                if flat and lang_field not in fields:
                    fields[lang_field] = flat
            cleaned = {str(k): _text(v) for k, v in fields.items() if _text(v)}
            if cleaned:
                per_lang[str(lang)] = cleaned
        out.append(
            ActionItem(
                objective=_text(rec.get("objective")),
                initiative=_text(rec.get("initiative")),
                budget=_num(rec.get("budget")),
                currency=_text(rec.get("currency")),
                indicator=_text(rec.get("indicator")),
                target_value=_num(rec.get("target_value")),
                target_year=_year(rec.get("target_year")),
                source=_text(rec.get("source")),
                lead=_text(rec.get("lead") or rec.get("responsible")),
                id=item_id,
                translations=per_lang,
            )
        )
    return out


def _attachments(ws: Any) -> dict[str, AttachmentState]:
    """The checklist as ``{kind: state}``; a list of records or a ``{kind: bool}`` mapping."""
    raw = _get(ws, "attachments", None) or {}
    out: dict[str, AttachmentState] = {}
    if isinstance(raw, dict):
        for kind, value in raw.items():
            out[str(kind)] = AttachmentState("provided" if value else "missing")
        return out
    for item in raw:
        rec = _plain(item)
        kind = _text(rec.get("kind"))
        if not kind:
            continue
        files = tuple(f.strip() for f in _text(rec.get("files")).split(";") if f.strip())
        out[kind] = AttachmentState(_text(rec.get("status")) or "missing", files, _text(rec.get("note")))
    return out


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def from_workspace(ws: Any, monitoring: dict[str, Any] | None = None) -> ReportInputs:
    """Read a workspace (the monitoring area's ``Workspace`` or any object/mapping shaped like it).

    Parameters
    ----------
    ws
        The workspace.
    monitoring
        The result of ``monitor(workspace)`` as the JSON mapping of CONTRACTS.md §3 (targets, pillars,
        conflicts, stale); None when it could not be computed.
    """
    city = _text(_get(ws, "city")) or _text(_get(ws, "name"))
    names_raw = _get(ws, "city_names", None) or {}
    city_names = {str(k): _text(v) for k, v in dict(names_raw).items() if _text(v)}
    for lang in ("en", "vi"):
        alt = _text(_get(ws, f"city_{lang}") or _get(ws, f"city_name_{lang}"))
        if alt and lang not in city_names:
            city_names[lang] = alt
    city_names.setdefault("en", city)
    designation_date = _date(_get(ws, "designation_date"))
    designation_year = _year(_get(ws, "designation_year")) or (
        designation_date.year if designation_date else None
    )
    contacts = [{k: _text(v) for k, v in _plain(c).items()} for c in (_get(ws, "contacts", None) or [])]
    attachments = _attachments(ws)
    return ReportInputs(
        key=_text(_get(ws, "name")) or city.lower(),
        city=city,
        city_names=city_names,
        country_iso3=_text(_get(ws, "country_iso3")) or None,
        creative_field=_text(_get(ws, "creative_field")) or None,
        designation_year=designation_year,
        designation_date=designation_date,
        observations=_observations(ws),
        targets=_targets(ws),
        indicator_names=_indicator_names(ws),
        narratives=_narratives(ws),
        action_plan=_action_plan(ws),
        contacts=contacts,
        attachments=attachments,
        word_limits={str(k): int(v) for k, v in dict(_get(ws, "word_limits", None) or {}).items()},
        monitoring=monitoring,
        indicator_units=_indicator_units(ws),
        source_titles={
            _text(k): {str(lang): _text(t) for lang, t in dict(v or {}).items() if _text(t)}
            for k, v in dict(_get(ws, "source_titles", None) or {}).items()
        },
    )
