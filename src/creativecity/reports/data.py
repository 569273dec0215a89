"""What a report reads: the monitoring library's typed workspace, the analysis, and the "as of" cut.

The reports read :class:`creativecity.monitoring.model.Workspace` directly (one model, checked when it
is read), and this small view adds what every section builder needs besides: the progress analysis as
JSON (CONTRACTS.md §3), the observations "as of" a year, and text cleaned for print (Unicode NFC, no
control characters).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creativecity.monitoring.application import Attachment, Contact
from creativecity.monitoring.model import ActionItem, Observation, Target, Workspace
from creativecity.monitoring.text import clean_text as monitoring_clean_text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Text for print: the monitoring library's cleaning (NFC, no zero-width characters), and no
    control characters either.

    Vietnamese typed on some keyboards (or pasted from PDFs) arrives decomposed ("ệ" as e + two marks);
    composed text renders with the font's own glyphs and counts words correctly. Excel's ``\\x0b``
    line breaks and other control characters are invalid in Word's XML, which is the one thing print
    adds to :func:`creativecity.monitoring.text.clean_text`.
    """
    return monitoring_clean_text(_CONTROL.sub("", value or ""))


@dataclass
class ReportData:
    """A workspace as a report reads it.

    Parameters
    ----------
    ws
        The workspace.
    monitoring
        ``monitor(ws, as_of).to_dict()``; None when it could not be computed.
    as_of
        Observations dated after this year are left out (undated ones stay).
    """

    ws: Workspace
    monitoring: dict[str, Any] | None = None
    as_of: int | None = None
    observations: list[Observation] = field(init=False)

    def __post_init__(self) -> None:
        self.observations = [
            o
            for o in self.ws.observations
            if math.isfinite(o.value)
            and (self.as_of is None or o.reference_year is None or o.reference_year <= self.as_of)
        ]

    # -- the workspace's facts --------------------------------------------------------------------
    @property
    def city(self) -> str:
        """The stored city name (scope of the city's own series)."""
        return self.ws.city or self.ws.name

    @property
    def city_names(self) -> dict[str, str]:
        """The city's name per language."""
        return self.ws.city_names

    @property
    def country_iso3(self) -> str | None:
        """ISO 3166 alpha-3 code, or None."""
        return self.ws.country_iso3 or None

    @property
    def creative_field(self) -> str | None:
        """The UCCN creative field, or None."""
        return self.ws.creative_field or None

    @property
    def designation_date(self) -> date | None:
        """The day of designation when the workspace gives a full ISO date."""
        try:
            return date.fromisoformat(self.ws.designation_date[:10]) if self.ws.designation_date else None
        except ValueError:
            return None

    @property
    def designation_year(self) -> int | None:
        """The year of designation (from the date when only that is given)."""
        day = self.designation_date
        return self.ws.designation_year or (day.year if day else None)

    @property
    def targets(self) -> list[Target]:
        """The workspace's targets."""
        return self.ws.targets

    @property
    def action_plan(self) -> list[ActionItem]:
        """The four-year action plan lines."""
        return self.ws.action_plan

    @property
    def contacts(self) -> list[Contact]:
        """The application's contacts, one per role."""
        return self.ws.contacts

    @property
    def attachments(self) -> dict[str, Attachment]:
        """The attachments checklist by kind."""
        return {a.kind: a for a in self.ws.attachments}

    @property
    def word_limits(self) -> dict[str, int]:
        """The city's own word limits (where the form's are unknown)."""
        return self.ws.word_limits

    @property
    def source_titles(self) -> dict[str, dict[str, str]]:
        """Source (URL or citation) -> language -> title, from the workspace's ``sources.csv``."""
        return self.ws.source_titles

    @property
    def indicator_units(self) -> dict[str, str]:
        """Unit of each defined indicator (formats targets: ``8 %`` rather than ``8``)."""
        return {i.code: i.unit for i in self.ws.indicators if i.unit}

    # -- look-ups ---------------------------------------------------------------------------------
    def city_name(self, lang: str) -> str:
        """The city's name in ``lang`` (``Hà Nội`` / ``Hanoi``)."""
        return self.ws.city_name(lang)

    def indicator_name(self, code: str, lang: str) -> str:
        """Indicator display name in ``lang``; the code itself when the workspace has no name for it."""
        ind = self.ws.indicator(code)
        if ind is None:
            return code
        return (ind.name_vi if lang == "vi" else "") or ind.name_en or code

    def narrative(self, section: str, lang: str) -> str:
        """The city's text for ``section`` in ``lang``, cleaned for print ("" when none)."""
        return clean_text(self.ws.narratives.get((section, lang), ""))
