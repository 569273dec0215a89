"""``python -m creativecity.cli``: the command line, as the ``creativecity`` script runs it.

The web tests and the web benchmark start the server this way, with the interpreter of the test run.
"""

from creativecity.cli import app

app(prog_name="creativecity")
