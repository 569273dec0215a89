"""Run a spec over unit data: the steps in order, each producing a named data set.

``build`` is what everything else calls (the CLI, the demo, the robustness engine). It keeps each
step's output so that :meth:`Results.rebuild` can recompute only from the first step a changed spec
touches: uncertainty analysis changes one assumption per replication, and rerunning denomination and
imputation every time would be wasted work.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creativecity import __version__
from creativecity.index._types import Progress
from creativecity.index.results import Results
from creativecity.index.spec import _thaw
from creativecity.index.steps.base import BuildContext, State, StepOutput
from creativecity.index.steps.registry import REGISTRY

if TYPE_CHECKING:
    from creativecity.index.data import UnitData
    from creativecity.index.framework import Framework
    from creativecity.index.spec import Spec


def build(framework: Framework, data: UnitData, spec: Spec, *, progress: Progress | None = None) -> Results:
    """Build the composite indicator: apply ``spec`` to ``data`` under ``framework``.

    Parameters
    ----------
    framework
        Validated iMeta.
    data
        Validated unit data for that framework.
    spec
        Validated pipeline spec.
    progress
        Called as ``progress(done, total)`` after each step; the engine prints nothing itself, so a
        command line draws a bar from it and a web app can report it.

    Returns
    -------
    Results
        Data sets Raw, then one per step, scores, ranks, details, warnings, provenance.

    Raises
    ------
    InputError
        When the data cannot go through a step (zero denominator, constant column under min-max,
        value <= 0 under a geometric mean, ...), naming the unit/column and the rule.
    """
    return run_pipeline(framework, data, spec, progress=progress)


def run_pipeline(
    framework: Framework,
    data: UnitData,
    spec: Spec,
    *,
    reuse: Results | None = None,
    from_step: int | str | None = None,
    progress: Progress | None = None,
) -> Results:
    """Build, reusing the step outputs of ``reuse`` up to the first step that differs."""
    first = 0
    if reuse is not None and reuse.framework is framework and reuse.data is data:
        old = reuse.spec.steps
        while first < min(len(old), len(spec.steps)) and old[first] == spec.steps[first]:
            first += 1
        if from_step is not None:
            idx = from_step if isinstance(from_step, int) else spec.kinds.index(from_step)
            first = min(first, idx)
    raw = State(data._values.index, tuple(framework.indicators), _raw_array(data))
    states: dict[str, State] = {"Raw": raw}
    outputs: list[StepOutput] = []
    warnings: list[str] = []
    if first and reuse is not None:
        for step, out in zip(spec.steps[:first], reuse._outputs[:first], strict=True):
            states[step.dataset] = out.state
            outputs.append(out)
            warnings.extend(out.warnings)
    state = states[spec.steps[first - 1].dataset] if first else raw
    total = len(spec.steps)
    if progress:
        progress(first, total)
    for i in range(first, total):
        step = spec.steps[i]
        kind = REGISTRY[step.kind]
        ctx = BuildContext(framework, data, spec.source, f"steps[{i}]")
        out = kind.run(state, _thaw(step.resolved), ctx)
        states[step.dataset] = out.state
        outputs.append(out)
        warnings.extend(out.warnings)
        state = out.state
        if progress:
            progress(i + 1, total)
    provenance = _provenance(framework, data, spec)
    return Results(framework, data, spec, states, tuple(outputs), tuple(warnings), provenance)


def _raw_array(data: UnitData) -> np.ndarray:
    a = data._values.to_numpy(dtype=np.float64)
    if a.flags.writeable:
        a = a.copy()
        a.flags.writeable = False
    return a


def _provenance(framework: Framework, data: UnitData, spec: Spec) -> dict[str, Any]:
    return {
        "package": "creativecity",
        "version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": {
            "meta": {"file": framework.source_name, "sha256": framework.sha256},
            "data": {"file": data.source_name, "sha256": data.sha256},
            "spec": {"file": spec.source, "sha256": spec.sha256},
        },
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
