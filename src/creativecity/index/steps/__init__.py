"""Pipeline steps of the composite-indicator engine, one module per step kind (see ``registry``)."""

from creativecity.index.steps.registry import DATASETS, REGISTRY

__all__ = ["DATASETS", "REGISTRY"]
