"""``python -m creativecity.cli``: the command line where the console script is not on PATH.

The test server and process supervisors start the app this way, with the interpreter they name.
"""

from creativecity.cli import app

app()
