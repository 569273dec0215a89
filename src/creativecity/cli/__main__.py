"""``python -m creativecity.cli``: the same command line as the ``creativecity`` script.

Tests and benchmarks start the server this way so that they run the interpreter of the current
environment, whatever is on ``PATH``.
"""

from creativecity.cli import app

app()
