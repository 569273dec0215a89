"""``creativecity index ...``: each command lives in its own module and registers itself here."""

from __future__ import annotations

import typer

from creativecity.index import cli_build, cli_goal, cli_robustness, cli_stats

app = typer.Typer(no_args_is_help=True, add_completion=False)

cli_build.register(app)
cli_stats.register(app)
cli_robustness.register(app)
cli_goal.register(app)
