"""The ``creativecity`` command line: a thin layer over the library.

Each area of the product registers its own commands from its own module, so that the command line
stays a table of contents: ``index`` (build, stats, uncertainty, sensitivity), ``network``,
``workspace`` and ``monitor``, ``dossier``, ``serve`` and ``user``, and ``demo``.
"""

from __future__ import annotations

import typer

from creativecity import __version__

app = typer.Typer(
    name="creativecity",
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


def _register() -> None:
    from creativecity import demo
    from creativecity.index import cli as index_cli
    from creativecity.monitoring import cli as monitoring_cli
    from creativecity.network import cli as network_cli
    from creativecity.reports import cli as reports_cli
    from creativecity.web import cli as web_cli

    app.add_typer(index_cli.app, name="index", help="Build and analyse composite indicators.")
    app.add_typer(network_cli.app, name="network", help="The UNESCO Creative Cities Network.")
    monitoring_cli.register(app)
    reports_cli.register(app)
    web_cli.register(app)
    demo.register(app)


_register()

if __name__ == "__main__":  # pragma: no cover
    app()
