"""Error type for bad input, shaped like attrs' messages.

What it does
    ``InputError`` carries one line that names what was wrong, what was expected and what was
    found, and where: ``'end' must be <= len(text)=812 (got 815) in predictions.jsonl line 3``.
    The CLI prints it (no traceback) and exits with status 2. ``ServiceError`` is the same for
    a failing service (server, network, file system), with exit status 1.

    ``MissingExtra`` names the pip extra a command needs when an optional package is not
    installed; the CLI prints it in one line and exits with status 1.

What it does not do
    No formatting of other exceptions; no logging.

Quoting values
    ``quote(value)`` is how a message shows a value it found: its ``repr``, cut to about
    ``QUOTE_LIMIT`` (80) characters (beginning and end kept), so that a 200 MB id gives a
    one-line error of ordinary length. Every message that quotes input uses it; as a last
    resort, an ``InputError`` whose message is still longer than ``MESSAGE_LIMIT`` keeps its
    beginning and end only (``shorten``).
"""

from __future__ import annotations

import math
import reprlib

QUOTE_LIMIT = 80
MESSAGE_LIMIT = 1000


def _repr() -> reprlib.Repr:
    r = reprlib.Repr()
    r.maxstring = r.maxother = r.maxlong = QUOTE_LIMIT
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = r.maxfrozenset = 10
    r.maxlevel = 3
    return r


_REPR = _repr()


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` itself if it has at most ``limit`` characters, else its beginning and end with
    ``...[N characters]...`` between them."""
    if len(text) <= limit:
        return text
    keep = max(limit - 24, 8)
    head, tail = keep - keep // 3, keep // 3
    return f"{text[:head]}...[{len(text) - head - tail} characters]...{text[len(text) - tail:]}"


def quote(value: object) -> str:
    """``repr(value)`` for a message, at most about ``QUOTE_LIMIT`` characters (containers show
    their first items, long strings their beginning, end and length)."""
    if isinstance(value, int) and value.bit_length() > 10_000:  # str() may refuse it
        return f"<an integer of about {round(value.bit_length() * math.log10(2))} digits>"
    try:
        text = _REPR.repr(value)
    except ValueError:  # e.g. a huge integer inside a container
        return f"<{type(value).__name__}>"
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        return f"{text} ({len(value)} characters)"
    return shorten(text)


class InputError(ValueError):
    """Bad input: a one-line message plus an optional location (file and line)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        message = shorten(message, MESSAGE_LIMIT)
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
