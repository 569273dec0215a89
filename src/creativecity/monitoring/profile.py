"""A framework read as the profile of one city: per pillar or dimension, what the city can show.

Culture|2030 is meant to be read this way (a profile, not a ranking), and it is the honest way to use
any framework for a single city: for every indicator of the framework, the city's latest figures with
their sources, checklist answers where the indicator is a checklist, and plainly which ones are missing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from creativecity.frameworks.model import CreativeFramework, FrameworkNode, load_framework
from creativecity.monitoring.model import Workspace
from creativecity.monitoring.progress import observations_frame, resolve_points, series_summary

_ANSWERS = {1.0: "yes", 0.5: "partly", 0.0: "no"}


@dataclass
class ProfileValue:
    """The latest figure of one series of a workspace indicator."""

    indicator: str
    name: str
    scope: str
    unit: str
    method: str
    latest_value: float
    latest_year: int | None
    source: str
    answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return dataclasses.asdict(self)


@dataclass
class ProfileItem:
    """One framework indicator (or a workspace indicator mapped straight to a pillar) and its figures."""

    code: str
    name: str
    kind: str
    verified: bool
    indicators: list[str]
    values: list[ProfileValue] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        """No figure at all."""
        return not self.values

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        out = dataclasses.asdict(self)
        out["missing"] = self.missing
        return out


@dataclass
class ProfileGroup:
    """A pillar or dimension with its items."""

    code: str
    name_en: str
    name_vi: str
    items: list[ProfileItem]

    @property
    def missing(self) -> list[str]:
        """Codes of the items without any figure."""
        return [i.code for i in self.items if i.missing]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return {
            "code": self.code,
            "name_en": self.name_en,
            "name_vi": self.name_vi,
            "items": [i.to_dict() for i in self.items],
            "missing": self.missing,
        }


@dataclass
class FrameworkProfile:
    """A city's profile in one framework."""

    framework: str
    title: str
    workspace: str
    city: str
    as_of: int
    groups: list[ProfileGroup]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return {
            "framework": self.framework,
            "title": self.title,
            "workspace": self.workspace,
            "city": self.city,
            "as_of": self.as_of,
            "groups": [g.to_dict() for g in self.groups],
        }


def profile(
    framework: CreativeFramework | str, workspace: Workspace, as_of: int | None = None
) -> FrameworkProfile:
    """Read ``workspace`` through ``framework``.

    Workspace indicators reach a framework item through ``workspace.mapping`` (rows whose ``framework``
    is this one and whose ``code`` is the item's code), or by having the item's own code. Indicators
    mapped straight to a pillar or dimension appear as items of their own.
    """
    fw = load_framework(framework) if isinstance(framework, str) else framework
    year = as_of if as_of is not None else date.today().year
    points, _ = resolve_points(observations_frame(workspace), year)
    summary = series_summary(points)
    latest: dict[str, list[ProfileValue]] = {}
    names = {i.code: i.name_en for i in workspace.indicators}
    for row in summary.to_dict(orient="records"):
        indicator = str(row["indicator"])
        latest.setdefault(indicator, []).append(
            ProfileValue(
                indicator=indicator,
                name=names.get(indicator, indicator),
                scope=str(row["scope"]),
                unit=str(row["unit"]),
                method=str(row["method"]),
                latest_value=float(row["last_value"]),
                latest_year=int(row["last_year"]),
                source=str(row["last_source"]),
            )
        )
    for obs in workspace.observations:  # an undated figure is better than "missing"
        if obs.reference_year is None and obs.indicator not in latest:
            latest.setdefault(f"undated:{obs.indicator}", []).append(
                ProfileValue(
                    obs.indicator,
                    names.get(obs.indicator, obs.indicator),
                    obs.scope,
                    obs.unit,
                    obs.method,
                    obs.value,
                    None,
                    obs.source,
                )
            )
    for key in [k for k in latest if k.startswith("undated:")]:
        latest[key.removeprefix("undated:")] = latest.pop(key)
    mapped: dict[str, list[str]] = {}
    for m in workspace.mapping:
        if m.framework == fw.name:
            mapped.setdefault(m.code, []).append(m.indicator)
    own = workspace.indicator_codes()

    def item(node: FrameworkNode, inds: list[str]) -> ProfileItem:
        values = [v for i in inds for v in latest.get(i, [])]
        if node.kind == "checklist":
            values = [dataclasses.replace(v, answer=_ANSWERS.get(v.latest_value)) for v in values]
        return ProfileItem(node.code, node.name_en, node.kind, node.verified, inds, values)

    groups = []
    for g in fw.groups:
        items = []
        listed: set[str] = set()
        for node in fw.children(g.code):
            inds = list(dict.fromkeys(mapped.get(node.code, []) + ([node.code] if node.code in own else [])))
            listed |= set(inds)
            items.append(item(node, inds))
        for ind in mapped.get(g.code, []):
            if ind not in listed:
                node = FrameworkNode(code=ind, name_en=names.get(ind, ind), parent=g.code)
                items.append(item(node, [ind]))
        groups.append(ProfileGroup(g.code, g.name_en, g.name_vi, items))
    return FrameworkProfile(fw.name, fw.title, workspace.name, workspace.city, year, groups)
