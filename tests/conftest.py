"""Shared test fixtures.

Every test runs with its own ``CREATIVECITY_HOME`` so that no test reads or writes the user's real
workspaces, registry or database, and tests running in parallel (pytest-xdist) never share state.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("cchome")
    monkeypatch.setenv("CREATIVECITY_HOME", str(home))
