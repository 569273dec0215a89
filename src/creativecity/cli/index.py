"""``creativecity index ...``: each command lives in its own module and registers itself here."""

from __future__ import annotations

import typer

from creativecity.cli import index_build, index_goal, index_robustness, index_stats

app = typer.Typer(no_args_is_help=True, add_completion=False)

index_build.register(app)
index_stats.register(app)
index_robustness.register(app)
index_goal.register(app)
