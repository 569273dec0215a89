"""Creative-city frameworks as data: JRC CCCM, UNESCO Culture|2030, the five pillars, Viet Nam's industries.

Public API: :func:`load_framework`, :func:`list_frameworks`, :class:`CreativeFramework` (with
``to_engine()`` and ``to_imeta()``) and :class:`FrameworkNode`. A framework read as the profile of one
city workspace combines a framework with a workspace, so it lives one layer up, in
:mod:`creativecity.monitoring.profile`.
"""

from __future__ import annotations

from creativecity.frameworks.model import (
    CreativeFramework,
    FrameworkNode,
    list_frameworks,
    load_framework,
)

__all__ = [
    "CreativeFramework",
    "FrameworkNode",
    "list_frameworks",
    "load_framework",
]
