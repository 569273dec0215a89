"""City workspaces and progress monitoring (issue 5).

Public API (see docs/dev/workspace.md):

- domain model: :class:`Workspace`, :class:`Observation`, :class:`Target`, :class:`IndicatorDef`,
  :class:`MappingRow`, :class:`ActionItem`, :class:`HistoryEntry`;
- changes: :class:`WorkspaceRepository` (the protocol the store implements) and the ``apply_*`` rules;
- folders as an import/export format: :func:`read_workspace`, :func:`write_workspace`;
  :func:`bundled_workspace` reads the workspaces shipped with the package;
- monitoring: :func:`monitor` -> :class:`MonitoringReport`.
"""

from __future__ import annotations

from creativecity.fileio import creativecity_home
from creativecity.monitoring.model import (
    ActionItem,
    HistoryEntry,
    IndicatorDef,
    MappingRow,
    Observation,
    Target,
    Workspace,
)
from creativecity.monitoring.progress import MonitoringReport, TargetProgress, monitor
from creativecity.monitoring.repository import WorkspaceRepository, bundled_workspace
from creativecity.monitoring.storage import read_workspace, write_workspace

__all__ = [
    "ActionItem",
    "HistoryEntry",
    "IndicatorDef",
    "MappingRow",
    "MonitoringReport",
    "Observation",
    "Target",
    "TargetProgress",
    "Workspace",
    "WorkspaceRepository",
    "bundled_workspace",
    "creativecity_home",
    "monitor",
    "read_workspace",
    "write_workspace",
]
