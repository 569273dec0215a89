"""The general information of a Membership Monitoring Report (its section 2).

Besides the city's name, country, field and year of designation (already in the workspace), section 2
gives the date of the report, the entity that prepared it, the earlier reports and the focal point
with contact details (UCCN_DOCUMENTS.md: fields expected, headings unverified). They are kept with the
workspace so that the report is filled from data and an empty field shows as UNESCO's phrase.

Nothing here touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creativecity.errors import InputError
from creativecity.monitoring.activities import check_partial_date
from creativecity.monitoring.application import CONTACT_ROLES

#: Fields of :class:`ReportInfo` that a city sets.
REPORT_INFO_FIELDS: tuple[str, ...] = (
    "report_date",
    "prepared_by_en",
    "prepared_by_vi",
    "earlier_reports",
    "focal_point",
)


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class ReportInfo:
    """Date of the report, who prepared it (per language), earlier reports, the focal point's role.

    ``earlier_reports`` lists earlier MMRs as text (``"2023: first report, https://..."``);
    ``focal_point`` is the role of the contact (see ``CONTACT_ROLES``) whose details the report
    prints, by default the main executive contact.
    """

    report_date: str = ""
    prepared_by_en: str = ""
    prepared_by_vi: str = ""
    earlier_reports: list[str] = field(default_factory=list)
    focal_point: str = "main"

    def prepared_by(self, lang: str) -> str:
        """The preparing entity in ``lang``, else in the other language."""
        own = self.prepared_by_vi if lang == "vi" else self.prepared_by_en
        return own or self.prepared_by_en or self.prepared_by_vi

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return {
            "report_date": self.report_date,
            "prepared_by_en": self.prepared_by_en,
            "prepared_by_vi": self.prepared_by_vi,
            "earlier_reports": list(self.earlier_reports),
            "focal_point": self.focal_point,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportInfo:
        """Build from a mapping (``earlier_reports`` as a list or ``;``-separated text)."""
        raw = data.get("earlier_reports")
        reports = (
            [_s(r) for r in raw if _s(r)]
            if isinstance(raw, list)
            else [p.strip() for p in _s(raw).split(";") if p.strip()]
        )
        return cls(
            report_date=_s(data.get("report_date")),
            prepared_by_en=_s(data.get("prepared_by_en")),
            prepared_by_vi=_s(data.get("prepared_by_vi")),
            earlier_reports=reports,
            focal_point=_s(data.get("focal_point")) or "main",
        )


def check_report_info(data: Any, file: str) -> tuple[ReportInfo, list[InputError]]:
    """Read ``report_info`` from ``workspace.yaml``: a mapping of known fields, a date, a contact role."""
    if not isinstance(data, dict):
        return ReportInfo(), [
            InputError("must be a mapping", file=file, column="report_info", rule="mapping")
        ]
    errors = [
        InputError(f"unknown field {k!r}", file=file, column=f"report_info.{k}", rule="known field")
        for k in data
        if k not in REPORT_INFO_FIELDS
    ]
    info = ReportInfo.from_dict(data)
    if info.report_date and (problem := check_partial_date(info.report_date)):
        errors.append(InputError(problem, file=file, column="report_info.report_date", rule="date"))
    if info.focal_point not in CONTACT_ROLES:
        errors.append(
            InputError(
                f"focal point must be a contact role ({', '.join(CONTACT_ROLES)}), not {info.focal_point!r}",
                file=file,
                column="report_info.focal_point",
                rule="contact role",
            )
        )
    return info, errors
