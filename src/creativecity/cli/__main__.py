"""``python -m creativecity.cli``: the command line (the browser test starts the server this way)."""

from creativecity.cli import app

app()
