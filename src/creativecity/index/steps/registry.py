"""The step registry: every step kind, its methods and their parameters, in one table.

The spec validator, the pipeline and the robustness engine all look methods up here (at call time,
so a test can replace a method and count calls), which keeps "what methods exist" in one place.
"""

from __future__ import annotations

from creativecity.index.steps import aggregate, denominate, impute, normalise, screen, treat
from creativecity.index.steps.base import Method, Param, StepKind

#: Step name -> :class:`StepKind`, in the canonical pipeline order.
REGISTRY: dict[str, StepKind] = {
    k.name: k for k in (denominate.KIND, impute.KIND, screen.KIND, treat.KIND, normalise.KIND, aggregate.KIND)
}

#: Data set names in pipeline order, starting with the raw data.
DATASETS: tuple[str, ...] = ("Raw", *(k.dataset for k in REGISTRY.values()))

__all__ = ["DATASETS", "REGISTRY", "Method", "Param", "StepKind"]
