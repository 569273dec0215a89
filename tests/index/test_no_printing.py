"""The engine prints nothing: progress is a callback, warnings go through ``warnings``/``logging``."""

from __future__ import annotations

import ast
from pathlib import Path

import creativecity.index as engine


def test_no_module_of_the_engine_prints_or_writes_to_the_console() -> None:
    found = []
    for path in sorted(Path(engine.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{path.name}:{node.lineno} print()")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("stdout", "stderr")
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                found.append(f"{path.name}:{node.lineno} sys.{node.attr}")
    assert found == []
