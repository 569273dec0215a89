"""City workspaces and progress monitoring (issue 5).

Public API (see docs/dev/workspace.md):

- domain model: :class:`Workspace`, :class:`Observation`, :class:`Target`, :class:`IndicatorDef`,
  :class:`MappingRow`, :class:`ActionItem`, :class:`HistoryEntry`;
- storage: :class:`WorkspaceRepository` (protocol), :class:`FileWorkspaceRepository`,
  :func:`read_workspace`, :func:`write_workspace`, :func:`open_workspace`;
- monitoring: :func:`monitor` -> :class:`MonitoringReport`.
"""

from __future__ import annotations

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
from creativecity.monitoring.repository import (
    FileWorkspaceRepository,
    WorkspaceRepository,
    creativecity_home,
    open_workspace,
)
from creativecity.monitoring.storage import read_workspace, write_workspace

__all__ = [
    "ActionItem",
    "FileWorkspaceRepository",
    "HistoryEntry",
    "IndicatorDef",
    "MappingRow",
    "MonitoringReport",
    "Observation",
    "Target",
    "TargetProgress",
    "Workspace",
    "WorkspaceRepository",
    "creativecity_home",
    "monitor",
    "open_workspace",
    "read_workspace",
    "write_workspace",
]
