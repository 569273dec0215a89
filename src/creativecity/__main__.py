"""``python -m creativecity``: the command line."""

from creativecity.cli import app

app()
