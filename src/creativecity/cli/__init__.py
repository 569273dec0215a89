"""The ``creativecity`` command line: a thin layer over the library.

Each area of the product registers its own commands from its own module, so that the command line
stays a table of contents: ``index`` (build, stats, uncertainty, sensitivity), ``network``,
``workspace``, ``framework`` and ``monitor``, ``dossier``, ``serve`` and ``user``, and ``demo``.

The areas are loaded lazily: ``creativecity index build`` imports the engine but not the web app's
database layer, and ``creativecity network summary`` imports neither. Start-up time counts for a tool
that scripts call in loops (robustness runs, CI checks), and importing every area costs seconds.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from creativecity import __version__

# command name -> (module, attribute, one-line help). An attribute "app" is a Typer sub-application
# mounted under the name; "register" is a function that adds top-level commands to a Typer app. The
# one-line help is what ``creativecity --help`` lists, so that listing the commands imports none of
# them (tests/cli/test_cli_lazy.py checks that each line matches the command's own help).
_AREAS: dict[str, tuple[str, str, str]] = {
    "demo": (
        "creativecity.cli.demo",
        "register",
        "Run the main job on the bundled data: ASEM index, robustness, network, Hanoi, reports.",
    ),
    "index": ("creativecity.cli.index", "app", "Build and analyse composite indicators."),
    "network": ("creativecity.cli.network", "app", "The UNESCO Creative Cities Network."),
    "monitor": (
        "creativecity.cli.monitoring",
        "register",
        "Progress of a city workspace against its targets, pillar coverage, conflicts and stale figures.",
    ),
    "workspace": (
        "creativecity.cli.monitoring",
        "register",
        "City workspaces: figures, targets, Excel import/export.",
    ),
    "framework": (
        "creativecity.cli.monitoring",
        "register",
        "Creative-city frameworks (CCCM, Culture|2030, pillars).",
    ),
    "dossier": (
        "creativecity.cli.reports",
        "register",
        "Write the application dossier or the Membership Monitoring Report of a city workspace.",
    ),
    "serve": (
        "creativecity.cli.web",
        "register",
        "Run the web app (migrates the database on start; loads the bundled hanoi workspace if empty).",
    ),
    "user": ("creativecity.cli.web", "register", "Accounts and roles of the web app."),
}


@cache
def _registered(module_name: str) -> Any:
    """The click group holding every top-level command that ``module_name`` registers."""
    holder = typer.Typer(add_completion=False)
    _import_area(module_name).register(holder)

    @holder.callback()
    def _unused() -> None:  # forces a group even when the module registers one command
        """Holder."""

    return typer.main.get_command(holder)


def _import_area(module_name: str) -> Any:
    """Import a command module; a missing optional extra ends the command with exit 2 and its name."""
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        from creativecity.cli._support import missing_extra

        message = missing_extra(exc)
        if message is None:
            raise
        typer.echo(f"error: {message}", err=True)
        raise SystemExit(2) from None


@cache
def _load(name: str) -> Any:
    module_name, attribute, help_text = _AREAS[name]
    if attribute == "app":
        sub = typer.main.get_command(_import_area(module_name).app)
        sub.name = name
        if help_text and not sub.help:
            sub.help = help_text
        return sub
    return _registered(module_name).commands.get(name)


class LazyAreas(TyperGroup):
    """A root group that imports an area's module only when one of its commands is used.

    Listing the commands (``creativecity --help``) shows the one-line help of :data:`_AREAS` through
    placeholder commands instead of importing every area: the help must come up at once.
    """

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_AREAS))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _AREAS:
            if self._listing:
                return TyperCommand(cmd_name, help=_AREAS[cmd_name][2])
            command = _load(cmd_name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="creativecity",
    cls=LazyAreas,
    help="Evidence, composite indicators and reports for UNESCO Creative Cities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"creativecity {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Evidence, composite indicators and reports for UNESCO Creative Cities."""
