"""Checking an ``--out`` folder before any work is done.

A build, an uncertainty run or a statistics report can take a while; finding only at the end that the
output folder cannot be written (a typo in the path's parent, a read-only disk, a file where a folder
should be) wastes that time and, worse, surfaced as an "unexpected error" (exit 1) from the file
system. The contract says a bad path is bad input: exit 2, a message naming it, nothing written. So
the check looks at the path without creating anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from creativecity.errors import InputError


def check_output_dir(out: Path, option: str = "--out") -> None:
    """Refuse ``out`` unless it is, or can become, a folder this process may write.

    Parameters
    ----------
    out
        The folder the command will replace atomically with its results.
    option
        The command-line option that named it, for the message.

    Raises
    ------
    InputError
        ``out`` is an existing file; its nearest existing ancestor is not a folder; or that folder
        (where the staging folder will be made) is not writable.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(
            f"{option} must be a folder, but a file of that name exists",
            file=str(out),
            rule="output is a folder",
        )
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(
            f"{option} cannot be created: {parent} is a file, not a folder",
            file=str(out),
            rule="output is a folder",
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(
            f"{option} cannot be written: no permission to create folders in {parent}",
            file=str(out),
            rule="writable output folder",
        )
