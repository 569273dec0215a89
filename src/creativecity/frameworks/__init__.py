"""Creative-city frameworks as data: JRC CCCM, UNESCO Culture|2030, the five pillars, Viet Nam's industries.

Public API: :func:`load_framework`, :func:`list_frameworks`, :class:`CreativeFramework` (with
``to_engine()`` and ``to_imeta()``), :class:`FrameworkNode` and :func:`profile` (a framework read as the
profile of one city workspace).
"""

from __future__ import annotations

from creativecity.frameworks.model import (
    CreativeFramework,
    FrameworkNode,
    list_frameworks,
    load_framework,
)
from creativecity.frameworks.profile import FrameworkProfile, profile

__all__ = [
    "CreativeFramework",
    "FrameworkNode",
    "FrameworkProfile",
    "list_frameworks",
    "load_framework",
    "profile",
]
