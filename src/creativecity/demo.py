"""``creativecity demo``: the main job on the bundled data, end to end.

Each area of the product contributes one section through ``creativecity.<area>.demo.run(ctx)``; the
sections run in the order the product is built: the index engine on the ASEM example, its robustness,
the network context of the bundled city, the city's progress table, and its reports.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console

from creativecity.cli_support import console, handle_errors

SECTIONS = (
    "creativecity.index.demo",
    "creativecity.index.analysis.demo",
    "creativecity.network.demo",
    "creativecity.monitoring.demo",
    "creativecity.reports.demo",
)


@dataclass
class DemoContext:
    """What every demo section gets: where to write, how to print, and what earlier ones made."""

    out: Path
    console: Console
    city: str = "hanoi"
    shared: dict[str, object] = field(default_factory=dict)


def run_demo(out: Path, city: str = "hanoi", out_console: Console | None = None) -> DemoContext:
    """Run every available demo section in order and return the context they filled."""
    ctx = DemoContext(out=out, console=out_console or console, city=city)
    out.mkdir(parents=True, exist_ok=True)
    for name in SECTIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.run(ctx)
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
