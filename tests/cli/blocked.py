"""Run Python code in a fresh interpreter where some third-party packages cannot be imported.

A ``sys.meta_path`` finder placed first raises ``ModuleNotFoundError`` for the blocked top-level names,
exactly what Python raises when a package is not installed; so a test can check what the base install
(no extras) does without building a second virtual environment.
"""

from __future__ import annotations

import os
import subprocess
import sys

#: What a plain ``pip install creativecity`` does not bring (the web, reports and dask extras).
EXTRAS = ("fastapi", "starlette", "uvicorn", "weasyprint", "docx", "dask", "distributed", "jinja2", "babel")

_PRELUDE = """
import sys

class _Absent:
    blocked = {blocked!r}

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.blocked:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Absent())
"""


def run_without(
    blocked: tuple[str, ...], code: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter with ``blocked`` packages unimportable; capture its output."""
    program = _PRELUDE.format(blocked=tuple(blocked)) + code
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=timeout, env=env
    )
