"""``creativecity --help`` lists every area without importing any of them, and lists them truthfully."""

from __future__ import annotations

import subprocess
import sys

import typer

from creativecity.cli import _AREAS, _load, app


def test_help_imports_no_area_nor_heavy_library() -> None:
    code = (
        "import sys\n"
        "from creativecity.cli import app\n"
        "sys.argv = ['creativecity', '--help']\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pandas', 'numpy', 'sqlalchemy', 'fastapi')\n"
        "areas = ('index', 'store', 'monitoring', 'network', 'reports', 'web', 'frameworks')\n"
        "ours = tuple(f'creativecity.{a}' for a in areas)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(ours)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_listed_help_is_each_commands_own_first_line() -> None:
    root = typer.main.get_command(app)
    for name, (_module, _attribute, listed) in _AREAS.items():
        command = _load(name)
        assert command is not None, name
        own = (command.help or "").strip().splitlines()[0]
        assert listed == own, name
    assert set(root.list_commands(None)) == set(_AREAS)  # type: ignore[arg-type]
