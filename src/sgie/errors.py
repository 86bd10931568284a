"""Error type for bad input, shaped like attrs' messages.

What it does
    ``InputError`` carries one line that names what was wrong, what was expected and what was
    found, and where: ``'end' must be <= len(text)=812 (got 815) in predictions.jsonl line 3``.
    The CLI prints it (no traceback) and exits with status 2.

    ``MissingExtra`` names the pip extra a command needs when an optional package is not
    installed; the CLI prints it in one line and exits with status 1.

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


class MissingExtra(Exception):
    """An optional part of the package is not installed: the CLI prints one line naming the
    extra that provides it and exits with status 1 (the command was right; the installation
    lacks something)."""

    def __init__(self, extra: str, missing: str):
        super().__init__(extra, missing)
        self.extra = extra
        self.missing = missing

    def __str__(self) -> str:
        return (f"this command needs the '{self.extra}' extra ({self.missing} is not installed); "
                f"install it with: pip install 'sgie[{self.extra}]' (in a clone: "
                f"pip install -e '.[{self.extra}]')")  # fmt: skip
