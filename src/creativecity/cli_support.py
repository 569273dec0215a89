"""Helpers shared by every command: error handling, exit codes and output.

Commands compute typed results in the library and hand them to a thin printing layer. This module is
that layer's common part: it turns :class:`~creativecity.errors.InputError` into exit code 2 with the
message on stderr, any other exception into exit code 1, and prints JSON the same way everywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from creativecity.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


def _default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    try:  # numpy scalars and arrays without importing numpy here
        return obj.item()
    except (AttributeError, ValueError):
        pass
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def _clean(obj: Any) -> Any:
    """Replace NaN/inf by None so that the output is valid JSON."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def to_json(obj: Any, indent: int | None = 2) -> str:
    """Serialise a result (dataclass, mapping, or object with ``to_dict``) as strict JSON."""
    if hasattr(obj, "to_dict") and not isinstance(obj, dict):
        obj = obj.to_dict()
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    plain = json.loads(json.dumps(obj, default=_default))
    return json.dumps(_clean(plain), indent=indent, ensure_ascii=False, allow_nan=False)


def print_json(obj: Any) -> None:
    """Print a result as JSON on stdout (no rich markup, so pipes get clean JSON)."""
    sys.stdout.write(to_json(obj) + "\n")
    sys.stdout.flush()


def handle_errors(func: F) -> F:
    """Decorate a command so that errors become the exit codes of CONTRACTS.md.

    InputError -> message on stderr, exit 2. Any other exception -> message on stderr, exit 1
    (with the traceback when ``CREATIVECITY_DEBUG`` is set).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(code=130) from None
        except Exception as exc:  # the contract: anything unexpected is exit 1
            if os.environ.get("CREATIVECITY_DEBUG"):
                raise
            typer.echo(f"unexpected error: {type(exc).__name__}: {exc}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]
