"""Helpers shared by every command: error handling, exit codes and output.

Commands compute typed results in the library and hand them to a thin printing layer. This module is
that layer's common part: it turns :class:`~creativecity.errors.InputError` into exit code 2 with the
message on stderr, any other exception into exit code 1, and prints JSON the same way everywhere.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console

from creativecity.errors import InputError
from creativecity.fileio import to_json

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


@contextmanager
def progress_bar(show: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when ``show`` is false.

    The library reports progress through plain callbacks (the engine prints nothing); this is the one
    place where a callback becomes a bar, on stderr so that ``--json`` output on stdout stays clean.
    """
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


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
