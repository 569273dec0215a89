"""Checks of a built index: statistics, correlations, consistency, PCA, weights, robustness.

Audit (``creativecity index stats``): :mod:`.stats`, :mod:`.correlations`, :mod:`.cronbach`, :mod:`.pca`,
:mod:`.weights`, :mod:`.remove_one`, gathered by :func:`.overview.analyse`. Uncertainty and sensitivity
analysis (``index uncertainty`` / ``index sensitivity``): :mod:`.uncertainty`, :mod:`.sensitivity` and
their helpers. Modules are imported on demand, so importing this package stays cheap.
"""
