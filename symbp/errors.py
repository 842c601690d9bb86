"""The one error type users see: every message names where the problem is."""
from __future__ import annotations


class SymbpError(Exception):
    """A user-facing error: bad arguments, an unreadable file, a malformed formula.

    `file`, `claim` and `column` locate it; the CLI prints `str(err)` on one line and exits 2.
    """

    def __init__(self, message: str, *, file: str | None = None, claim: str | None = None,
                 column: int | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.claim = claim
        self.column = column
        self.line = line

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.claim:
            where.append(f"claim {self.claim}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return (": ".join([", ".join(where), self.message]) if where else self.message)


class LimitError(SymbpError):
    """The input is well-formed but larger than the limits allow."""
