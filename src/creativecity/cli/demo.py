"""``creativecity demo``: the main job on the bundled data, end to end.

Each area of the product contributes one section (``creativecity.cli.demo_<area>.run(ctx)``); the
sections run in the order the product is built: the index engine on the ASEM example, its robustness,
the network context of the bundled city, the city's progress table, and its reports.

The demo reads the city from a throw-away database, ``<out>/demo.sqlite``, made afresh on every run
through :func:`creativecity.store.open_store` (the entry every program uses, so the demo shows what a new
installation does): the output is the same on every machine and the user's own store is neither read
nor changed. ``creativecity serve --database <out>/demo.sqlite`` opens it in the web app.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console

from creativecity.cli._support import console, handle_errors

SECTIONS = (
    "creativecity.cli.demo_index",
    "creativecity.cli.demo_robustness",
    "creativecity.cli.demo_network",
    "creativecity.cli.demo_monitoring",
    "creativecity.cli.demo_reports",
)


@dataclass
class DemoContext:
    """What every demo section gets: where to write, how to print, and what earlier ones made."""

    out: Path
    console: Console
    city: str = "hanoi"
    shared: dict[str, object] = field(default_factory=dict)
    database: str | None = None
    """URL of the store the sections read the city from (None: the user's store)."""


DEMO_DATABASE = "demo.sqlite"


def fresh_demo_database(out: Path) -> str:
    """A new database ``<out>/demo.sqlite`` holding only the bundled workspaces; its URL.

    Made anew on each run (the previous demo's file and its WAL files removed), so that edits made to
    it in the web app between runs do not change what the demo shows.
    """
    from creativecity.store.home import open_store

    path = out / DEMO_DATABASE
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path.resolve()}"
    open_store(url, move=False).dispose()
    return url


def run_demo(out: Path, city: str = "hanoi", out_console: Console | None = None) -> DemoContext:
    """Run every demo section in order and return the context they filled.

    A section that cannot be imported is an error, not a silent skip: the demo is what a new user runs
    first, and a missing section would hide a broken install.
    """
    ctx = DemoContext(out=out, console=out_console or console, city=city)
    out.mkdir(parents=True, exist_ok=True)
    ctx.database = fresh_demo_database(out)
    for name in SECTIONS:
        importlib.import_module(name).run(ctx)
    return ctx


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the command line."""

    @app.command("demo")
    @handle_errors
    def demo(
        out: Path = typer.Option(Path("demo-output"), "--out", help="Folder for everything the demo writes."),
    ) -> None:
        """Run the main job on the bundled data: ASEM index, robustness, network, Hanoi, reports."""
        run_demo(out)
