"""Helpers shared by every command: error handling, exit codes and output.

Commands compute typed results in the library and hand them to a thin printing layer. This module is
that layer's common part: it turns :class:`~creativecity.errors.InputError` into exit code 2 with the
message on stderr, any other exception into exit code 1, and prints JSON the same way everywhere.
A command that needs an optional part of the install (the web app, the documents, Dask) and does not
find it says which extra to install, with exit code 2, rather than a traceback.
"""

from __future__ import annotations

import functools
import importlib.util
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

#: Third-party top-level modules of the optional extras (pyproject.toml) -> the extra that installs
#: them. The base install (engine, network registry, store, command line) needs none of these.
EXTRA_OF_MODULE: dict[str, str] = {
    "fastapi": "web",
    "starlette": "web",
    "uvicorn": "web",
    "itsdangerous": "web",
    "multipart": "web",
    "python_multipart": "web",
    "httptools": "web",
    "weasyprint": "reports",
    "docx": "reports",
    "jinja2": "reports",
    "markupsafe": "reports",
    "babel": "reports",
    "markdown_it": "reports",
    "dask": "dask",
    "distributed": "dask",
    "psycopg": "postgres",
}

#: Modules listed for their import errors only: another name of the same package, an optional
#: speed-up, or a dependency of a dependency (not checked by :func:`require_extra`).
_ALIASES = frozenset({"python_multipart", "httptools", "markupsafe", "distributed"})


def missing_extra(exc: ImportError) -> str | None:
    """The message telling which extra to install for ``exc``, or None if it is not an extra's module.

    Only modules of our optional extras are translated: a missing module of the base install, or one
    of our own, is a broken install and must stay a loud, unexpected error.
    """
    top = (getattr(exc, "name", None) or "").split(".")[0]
    extra = EXTRA_OF_MODULE.get(top)
    if extra is None:
        return None
    return (
        f"this command needs the optional '{extra}' dependencies ({top} is not installed): "
        f"pip install 'creativecity[{extra}]' (or 'creativecity[all]')"
    )


def require_extra(extra: str) -> None:
    """Fail early, before any work, when a module of ``extra`` is not installed.

    For commands that hand the modules to another process (``serve`` starts uvicorn workers that
    import the web app): there the import error would surface in a child, not in this command.
    """
    wanted = [m for m, owner in EXTRA_OF_MODULE.items() if owner == extra and m not in _ALIASES]
    for module in wanted:
        if importlib.util.find_spec(module) is None:
            raise ModuleNotFoundError(f"No module named {module!r}", name=module)


console = Console()
err_console = Console(stderr=True)

DATABASE = typer.Option(
    None,
    "--database",
    help="SQLAlchemy URL: sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
    "(default: $CREATIVECITY_DATABASE_URL, else the SQLite file in $CREATIVECITY_HOME).",
)
AS_ACCOUNT = typer.Option(
    None,
    "--as",
    metavar="EMAIL",
    help="Act as this account of the database (an editor of the workspace); the audit trail shows it. "
    "Default: the operating-system user ($CREATIVECITY_USER or your login name).",
)


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
            message = missing_extra(exc) if isinstance(exc, ImportError) else None
            if message is not None:  # an optional part of the install is absent: say which
                typer.echo(f"error: {message}", err=True)
                raise typer.Exit(code=2) from None
            if os.environ.get("CREATIVECITY_DEBUG"):
                raise
            typer.echo(f"unexpected error: {type(exc).__name__}: {exc}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]
