"""Shared fixtures of the engine tests."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from creativecity.index import Framework, Results, Spec, UnitData, build

SPEC = {"version": 1, "steps": [{"step": "normalise", "method": "minmax"}, {"step": "aggregate"}]}


@pytest.fixture
def goal_toy() -> Callable[..., Results]:
    """The 3-unit, 2-indicator index of ``test_goal.py`` (its docstring derives the closed forms)."""

    def toy(
        direction2: int = 1, x2: tuple[float, float, float] = (10, 2, 0), spec: dict | None = None
    ) -> Results:
        meta = pd.DataFrame(
            {
                "Level": [1, 1, 2],
                "iCode": ["x1", "x2", "Index"],
                "iName": ["first", "second", "Index"],
                "Direction": [1, direction2, 1],
                "Weight": [3, 1, 1],
                "Parent": ["Index", "Index", None],
                "Type": ["Indicator", "Indicator", "Aggregate"],
            }
        )
        fw = Framework.read(meta, name="iMeta")
        data = UnitData.read(pd.DataFrame({"uCode": ["A", "B", "C"], "x1": [0, 4, 10], "x2": list(x2)}), fw)
        return build(fw, data, Spec.from_dict(spec or SPEC))

    return toy
