"""The composite-indicator engine (OECD/JRC method, COINr-compatible results).

Read a framework (iMeta) and unit data (iData), validate a pipeline spec, and build::

    from creativecity.index import Framework, UnitData, Spec, build
    fw = Framework.read("iMeta.csv")
    data = UnitData.read("iData.csv", fw)
    results = build(fw, data, Spec.read("spec.yaml"))
    results.scores, results.ranks
"""

from creativecity.index.data import UnitData
from creativecity.index.framework import Framework
from creativecity.index.pipeline import build
from creativecity.index.results import Results
from creativecity.index.spec import Spec, Step
from creativecity.index.steps.registry import REGISTRY

__all__ = ["REGISTRY", "Framework", "Results", "Spec", "Step", "UnitData", "build"]
