"""Errors shared by every part of creativecity.

A city official who gets an error needs to know *where* to look: the file, the row, the column (or
field) and the rule that was broken. :class:`InputError` carries those pieces separately so that the
command line can print them and the web app can show them next to the offending row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input from a user: a file, a spec, a command-line value.

    The command line maps it to exit code 2 (CONTRACTS.md), anything else to exit code 1.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        The file (or logical source, e.g. ``"spec"``) the problem was found in.
    row
        1-based row number as a person counts it in a spreadsheet (header = row 1), or a unit code.
    column
        Column, field or parameter name.
    rule
        Short name of the rule broken, e.g. ``"unique uCode"``.
    """

    message: str
    file: str | None = None
    row: int | str | None = None
    column: str | None = None
    rule: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        rule = f" [rule: {self.rule}]" if self.rule else ""
        return f"{prefix}: {self.message}{rule}" if prefix else f"{self.message}{rule}"

    def to_dict(self) -> dict[str, object]:
        """Plain mapping for JSON output and the web app."""
        return {
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
        }


class InputErrors(InputError):  # noqa: N818 - a collection of InputError
    """Several input errors found in one pass (e.g. an import), reported together."""

    def __init__(self, errors: list[InputError], file: str | None = None) -> None:
        self.errors = list(errors)
        first = self.errors[0] if self.errors else InputError("no errors")
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(
            message=f"{len(self.errors)} problem(s) found:\n{lines}",
            file=file or first.file,
            rule=None,
        )

    def __str__(self) -> str:
        return self.message
