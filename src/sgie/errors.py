"""Error type for bad input, shaped like attrs' messages.

What it does
    ``InputError`` carries one line that names what was wrong, what was expected and what was
    found, and where: ``'end' must be <= len(text)=812 (got 815) in predictions.jsonl line 3``.
    The CLI prints it (no traceback) and exits with status 2. ``ServiceError`` is the same for
    a failing service (server, network, file system), with exit status 1.

What it does not do
    No formatting of other exceptions; no logging.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a one-line message plus an optional location (file and line)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def at(self, *, file: str | None = None, line: int | None = None) -> InputError:
        """A copy of this error with the location filled in where it was still unknown."""
        return InputError(
            self.message,
            file=self.file if self.file is not None else file,
            line=self.line if self.line is not None else line,
        )

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f" in {self.file}"
            if self.line is not None:
                where += f" line {self.line}"
        return self.message + where


class ServiceError(RuntimeError):
    """A failing service -- a server, the network, the file system: one line, exit status 1.

    The message says what failed and in what state the outputs were left (normally: nothing
    was changed); the CLI prints it without a traceback."""
