"""Creative-city frameworks as data: their trees, weights and how sure we are of each part.

A framework is a tree of nodes (indicators at level 1, pillars or dimensions at level 2, sub-indices and
an index above) read from the package's ``data/frameworks`` folder. Several parts of the shipped
definitions are recalled, not verified (CCCM's indicator list and dimension weights, Culture|2030's
statistic/checklist reading); every node says so (``verified`` and ``unverified_fields``), and the command
line shows it, because a city should not build a UNESCO report on a weight nobody has checked.

A framework can drive the index engine (:meth:`CreativeFramework.to_engine`) or be read as a profile of
one city (:mod:`creativecity.monitoring.profile`).
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

from creativecity.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from creativecity.index import Framework as EngineFramework

KINDS = ("pillars", "index", "profile", "classification")


def data_dir() -> Path:
    """Folder of the shipped framework files."""
    return Path(str(resources.files("creativecity") / "data" / "frameworks"))


@dataclass(frozen=True)
class FrameworkNode:
    """One node of a framework tree.

    Parameters
    ----------
    level
        1 = indicator, 2 = pillar/dimension, 3 = sub-index, 4 = index (CCCM); classifications use 1.
    kind
        ``statistic`` or ``checklist`` for indicators (Culture|2030), ``group`` for aggregates,
        ``industry`` for classification entries.
    verified, unverified_fields
        Whether everything in the row is confirmed in a primary source, and if not which fields are not.
    attributes
        Framework-specific extras (e.g. ``in_1755_2016`` for Viet Nam's cultural industries).
    """

    code: str
    name_en: str
    name_vi: str = ""
    level: int = 1
    parent: str = ""
    weight: float | None = None
    kind: str = "statistic"
    unit: str = ""
    verified: bool = True
    unverified_fields: tuple[str, ...] = ()
    certainty: str = ""
    note: str = ""
    attributes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        out = dataclasses.asdict(self)
        out["unverified_fields"] = list(self.unverified_fields)
        return out


@dataclass(frozen=True)
class CreativeFramework:
    """A creative-city framework: metadata and its nodes in file order."""

    name: str
    title: str
    title_vi: str
    kind: str
    description: str
    source: str
    verified: bool
    nodes: tuple[FrameworkNode, ...]

    def node(self, code: str) -> FrameworkNode | None:
        """The node with ``code``, or ``None``."""
        for n in self.nodes:
            if n.code == code:
                return n
        return None

    @property
    def indicators(self) -> list[FrameworkNode]:
        """Level-1 nodes (indicators, or industries of a classification)."""
        return [n for n in self.nodes if n.level == 1]

    @property
    def groups(self) -> list[FrameworkNode]:
        """Level-2 nodes: the pillars or dimensions coverage is reported by."""
        return [n for n in self.nodes if n.level == 2]

    @property
    def unverified(self) -> list[FrameworkNode]:
        """Nodes with anything unverified."""
        return [n for n in self.nodes if not n.verified]

    def children(self, code: str) -> list[FrameworkNode]:
        """Direct children of ``code`` in file order."""
        return [n for n in self.nodes if n.parent == code]

    def summary(self) -> dict[str, Any]:
        """One line for ``framework list``."""
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "groups": len(self.groups),
            "indicators": len(self.indicators),
            "verified": self.verified,
            "unverified_nodes": len(self.unverified),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping with every node."""
        return {
            "name": self.name,
            "title": self.title,
            "title_vi": self.title_vi,
            "kind": self.kind,
            "description": self.description,
            "source": self.source,
            "verified": self.verified,
            "nodes": [n.to_dict() for n in self.nodes],
        }

    def to_imeta(self) -> pd.DataFrame:
        """The tree in the engine's iMeta layout (``Level, iCode, iName, Direction, Weight, Unit, ...``).

        Raises
        ------
        InputError
            For a classification, which has no tree to aggregate.
        """
        if self.kind == "classification":
            raise InputError(
                f"{self.name} is a classification of sectors, not an indicator tree (no engine)",
                file=self.name,
                rule="framework kind",
            )
        rows = []
        for n in self.nodes:
            rows.append(
                {
                    "Level": n.level,
                    "iCode": n.code,
                    "iName": n.name_en,
                    "Direction": 1 if n.level == 1 else None,
                    "Weight": 1.0 if n.weight is None else n.weight,
                    "Unit": n.unit,
                    "Target": None,
                    "Denominator": "",
                    "Parent": n.parent,
                    "Type": "Indicator" if n.level == 1 else "Aggregate",
                }
            )
        return pd.DataFrame(rows)

    def to_engine(self) -> EngineFramework:
        """The framework as the index engine's :class:`creativecity.index.framework.Framework`."""
        from creativecity.index import Framework

        return Framework.read(self.to_imeta(), name=f"framework {self.name}")


# -- loading --------------------------------------------------------------------------------------


def _registry() -> dict[str, dict[str, Any]]:
    registry: dict[str, dict[str, Any]] = yaml.safe_load(
        (data_dir() / "frameworks.yaml").read_text(encoding="utf-8")
    )
    return registry


def list_frameworks() -> list[str]:
    """Names of the shipped frameworks, in registry order."""
    return list(_registry())


def _read_csv(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text)
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def _load_cccm(rows: list[dict[str, str]]) -> list[FrameworkNode]:
    nodes = []
    for r in rows:
        level = int(r["level"])
        ok = r["certainty"] == "verified"
        # The shared README: dimension names are verified, their weights recalled; indicators wholly recalled.
        unverified: tuple[str, ...] = ()
        if not ok:
            unverified = ("weight",) if level == 2 else ("name", "parent", "weight")
        nodes.append(
            FrameworkNode(
                code=r["code"],
                name_en=r["name"],
                name_vi=r.get("name_vi") or "",  # this project's translation; the JRC publishes none
                level=level,
                parent=r["parent"],
                weight=float(r["weight"]) if r["weight"] else None,
                kind="statistic" if level == 1 else "group",
                verified=ok,
                unverified_fields=unverified,
                certainty=r["certainty"],
                note=r["note"],
            )
        )
    return nodes


def _load_culture2030(rows: list[dict[str, str]]) -> list[FrameworkNode]:
    nodes = [
        FrameworkNode(
            code="culture2030",
            name_en="Culture|2030 profile",
            name_vi="Hồ sơ Văn hóa|2030",
            level=3,
            kind="group",
        )
    ]
    dims: dict[str, str] = {}
    for r in rows:
        dim = r["dimension"]
        if dim not in dims:
            dims[dim] = _slug(dim.replace("&", "and"))
            nodes.append(
                FrameworkNode(
                    code=dims[dim],
                    name_en=dim,
                    name_vi=r.get("dimension_vi") or "",  # optional column: Vietnamese names
                    level=2,
                    parent="culture2030",
                    kind="group",
                )
            )
    for r in rows:
        certainty = r["certainty"]
        ok = certainty.startswith("verified")
        nodes.append(
            FrameworkNode(
                code=f"c2030_{int(r['number']):02d}",
                name_en=r["indicator"],
                name_vi=r.get("indicator_vi") or "",
                level=1,
                parent=dims[r["dimension"]],
                kind=r["kind"],
                verified=ok,
                unverified_fields=() if ok else ("kind",),
                certainty=certainty,
                attributes={"number": r["number"]},
            )
        )
    return nodes


def _load_pillars(rows: list[dict[str, str]], indicators: list[dict[str, str]]) -> list[FrameworkNode]:
    nodes = [
        FrameworkNode(code="creative_city", name_en="Creative city", name_vi="Thành phố sáng tạo", level=3)
    ]
    for r in rows:
        nodes.append(
            FrameworkNode(
                code=r["code"],
                name_en=r["name_en"],
                name_vi=r["name_vi"],
                level=2,
                parent="creative_city",
                kind="group",
                note=r["covers"],
            )
        )
    for r in indicators:
        nodes.append(
            FrameworkNode(
                code=r["code"],
                name_en=r["name_en"],
                name_vi=r["name_vi"],
                level=1,
                parent=r["pillar"],
                unit=r["unit"],
                note="suggested indicator (from the bundled Hanoi workspace)",
            )
        )
    return nodes


def _load_classification(rows: list[dict[str, str]]) -> list[FrameworkNode]:
    return [
        FrameworkNode(
            code=r["code"],
            name_en=r["name_en"],
            name_vi=r["name_vi"],
            level=1,
            kind="industry",
            attributes={"in_1755_2016": r["in_1755_2016"], "in_2486_2025": r["in_2486_2025"]},
        )
        for r in rows
    ]


@cache
def load_framework(name: str) -> CreativeFramework:
    """A shipped framework by name (see :func:`list_frameworks`).

    Raises
    ------
    InputError
        Unknown name (the message lists the known ones).
    """
    reg = _registry()
    if name not in reg:
        raise InputError(
            f"unknown framework {name!r} (known: {', '.join(reg)})", column="framework", rule="framework"
        )
    meta = reg[name]
    rows = _read_csv(meta["file"])
    kind = meta["kind"]
    if kind == "index":
        nodes = _load_cccm(rows)
    elif kind == "profile":
        nodes = _load_culture2030(rows)
    elif kind == "pillars":
        nodes = _load_pillars(rows, _read_csv(meta["indicators_file"]))
    else:
        nodes = _load_classification(rows)
    return CreativeFramework(
        name=name,
        title=meta["title"],
        title_vi=meta.get("title_vi", ""),
        kind=kind,
        description=" ".join(str(meta.get("description", "")).split()),
        source=meta.get("source", ""),
        verified=bool(meta.get("verified", False)),
        nodes=tuple(nodes),
    )
