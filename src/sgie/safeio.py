"""Untrusted input at the edges: opening files safely and decoding JSON strictly, with limits.

What it does
    Every reader of user-supplied files (predictions, gold, ``system.json``, the annotations
    export, the corpus manifest, ``sgie studio push --predictions``) goes through here, so that
    each of these is one ``InputError`` line (exit status 2), never a traceback or a hang:

    * ``open_input(path)`` -- a seekable binary file: a regular file as it is; a pipe
      (``/dev/stdin``, ``<(command)``) or a named FIFO read to its end as a stream into a
      temporary file (a FIFO nobody writes to within ``FIFO_WAIT`` seconds is refused, not
      waited on forever); a missing file, a folder, an unreadable file or a device is refused.
    * ``loads(text)`` -- one JSON value, strictly: malformed JSON, ``NaN``/``Infinity`` and
      numbers out of range (``1e999``), an object repeating a key, nesting deeper than
      ``MAX_DEPTH`` (would be a ``RecursionError``), integers beyond Python's digit limit (would
      be a ``ValueError``) and lone surrogates (would fail on output as a
      ``UnicodeEncodeError``) are refused. ``read_json(path)`` is one whole file,
      ``read_text(path)`` its UTF-8 text (a bad byte named with its line).
    * ``dumps_line(value)`` -- a JSON value (e.g. an extractor's record) as one line, or an
      ``InputError`` if it cannot be one (not serialisable, too deep, lone surrogates).
    * ``display_name(path)`` -- a file name for messages and outputs: bytes that are not UTF-8
      (a non-UTF-8 file name) are shown as ``\\xff`` escapes instead of failing on output.
    * ``check_not_inputs(outputs, inputs)`` -- refuses an output path that is one of the inputs.
    * ``stdout_to_stderr()`` -- while foreign code (an extractor) runs, whatever it prints goes
      to stderr (file descriptor 1 included), so ``--json`` on stdout stays valid.

What it does not do
    No interpretation of the values (``sgie.records``, ``sgie.scoring``); JSON Lines are split
    into lines by ``sgie.scoring.jsonl``. Messages quote values through ``sgie.errors.quote``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import select
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from sgie.errors import InputError, quote
from sgie.records import JSON

MAX_DEPTH = 512  # arrays and objects inside each other; the formats need fewer than 10
FIFO_WAIT = 10.0  # seconds a named FIFO may stay silent before it is refused

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def display_name(path: Path | str) -> str:
    """``path`` as text that can always be printed and encoded (undecodable bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# --- opening --------------------------------------------------------------------------------


def _kind(path: Path | str, mode: int) -> str:
    if stat.S_ISCHR(mode):
        tty = os.path.realpath(path).startswith(("/dev/pts/", "/dev/tty", "/dev/console"))
        return "a terminal" if tty else "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _spool(fd: int, name: str, wait: float | None) -> BinaryIO:
    """Read the pipe or FIFO ``fd`` to its end into a temporary file, rewound."""
    if wait is not None:  # a named FIFO: opened without blocking; wait for a writer's data
        poll = select.poll()
        poll.register(fd, select.POLLIN)
        if not poll.poll(int(wait * 1000)):
            os.close(fd)
            raise InputError(
                f"file must be a regular file or a FIFO that is written to (got a FIFO with no "
                f"data within {wait:g} s)", file=name,
            )  # fmt: skip
        os.set_blocking(fd, True)
    spool = tempfile.TemporaryFile()
    with open(fd, "rb", closefd=True) as stream:
        shutil.copyfileobj(stream, spool, 1 << 20)
    spool.seek(0)
    return spool


def open_input(path: Path | str) -> BinaryIO:
    """``path`` opened for reading as a seekable binary file (see the module docstring)."""
    name = display_name(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("file must be a file (got a directory)", file=name)
        if stat.S_ISREG(mode):
            return open(path, "rb")  # noqa: SIM115 - the caller closes it
        if not stat.S_ISFIFO(mode):
            raise InputError(f"file must be a regular file or a pipe (got {_kind(path, mode)})", file=name)
        if "pipe:[" in os.path.realpath(path):  # an anonymous pipe: its writer already exists
            return _spool(os.open(path, os.O_RDONLY), name, None)
        return _spool(os.open(path, os.O_RDONLY | os.O_NONBLOCK), name, FIFO_WAIT)
    except FileNotFoundError:
        raise InputError("file must exist (got no such file)", file=name) from None
    except PermissionError:
        raise InputError("file must be readable (got permission denied)", file=name) from None
    except NotADirectoryError:
        raise InputError("file must exist (got a path through a file)", file=name) from None
    except OSError as err:
        raise InputError(f"file must be readable (got {err.strerror})", file=name) from None


# --- decoding -------------------------------------------------------------------------------


def depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON text ``text`` (strings skipped)."""
    deepest = level = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def _too_deep(text: str, what: str) -> InputError:
    return InputError(f"{what} must nest arrays and objects at most {MAX_DEPTH} levels deep "
                      f"(got {depth(text)} levels)")  # fmt: skip


def _no_duplicates(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"object must not repeat a key (got {quote(key)} twice)")
        out[key] = value
    return out


class _Numbers:
    """The number hooks of ``json.loads`` for a ``what`` (``line`` or ``file``)."""

    def __init__(self, what: str):
        self.what = what

    def constant(self, name: str) -> JSON:
        raise InputError(f"{self.what} must be standard JSON (got {name})")

    def finite(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise InputError(f"{self.what} must hold finite numbers (got {quote(text)})")
        return value


_NUMBERS = {"line": _Numbers("line"), "file": _Numbers("file")}


def _strings(value: JSON) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item)  # the keys
            stack.extend(item.values())


def _lone_surrogate(text: str) -> InputError | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        found = text[err.start]
        return InputError(f"strings must be Unicode text (got a lone surrogate {quote(found)} in "
                          f"{quote(text)})")  # fmt: skip
    return None


def loads(text: str, what: str = "line") -> JSON:
    """One JSON value, strictly (module docstring); ``InputError`` without a file. ``what``
    (``line`` or ``file``) names the text in messages; in a file, errors name the line."""
    # a lone surrogate: raw (only in text that did not come from UTF-8 bytes) or escaped
    suspect = (not text.isascii() and _lone_surrogate(text) is not None) or bool(
        _SURROGATE_ESCAPE.search(text))  # fmt: skip
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(text) > MAX_DEPTH:
        raise _too_deep(text, what)
    try:
        numbers = _NUMBERS[what]
        value: JSON = json.loads(text, object_pairs_hook=_no_duplicates,
                                 parse_constant=numbers.constant, parse_float=numbers.finite)  # fmt: skip
    except json.JSONDecodeError as err:
        if what == "line":
            raise InputError(f"line must be one JSON object ({err.msg} at column {err.colno})") from None
        raise InputError(f"file must be JSON ({err.msg} at column {err.colno})", line=err.lineno) from None
    except RecursionError:
        raise _too_deep(text, what) from None
    except InputError:
        raise
    except ValueError as err:  # Python's limit on the digits of an integer
        digits = re.search(r"has (\d+) digits", str(err))
        raise InputError(f"integers must have at most {sys.get_int_max_str_digits()} digits (got "
                         f"{f'one of {digits[1]}' if digits else quote(str(err))})") from None
    if suspect:  # found in the decoded strings, as it cannot be written out again
        for string in _strings(value):
            if (problem := _lone_surrogate(string)) is not None:
                raise problem
    return value


def decode_utf8(raw: bytes) -> str:
    """One line ``raw`` as UTF-8 text; ``InputError`` naming the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"line must be UTF-8 (got byte 0x{raw[err.start]:02x} at byte "
                         f"{err.start + 1})") from None  # fmt: skip


def read_text(path: Path | str) -> str:
    """The UTF-8 text of a whole file; a byte that is not UTF-8 is an ``InputError`` naming it
    and its line."""
    with open_input(path) as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"file must be UTF-8 (got byte 0x{raw[err.start]:02x} at byte "
                         f"{err.start + 1})", file=display_name(path),
                         line=raw.count(b"\n", 0, err.start) + 1) from None  # fmt: skip


def read_json(path: Path | str) -> JSON:
    """The JSON value of a whole file (``system.json``, an export), strictly."""
    text = read_text(path)
    try:
        return loads(text, "file")
    except InputError as err:
        raise err.at(file=display_name(path)) from None


def dumps_line(value: object) -> str:
    """``value`` as one line of JSON (non-ASCII kept), or ``InputError`` if it cannot be."""
    try:
        line = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise InputError(f"record must nest at most {MAX_DEPTH} levels deep (got deeper)") from None
    except (TypeError, ValueError) as err:
        raise InputError(f"record must be JSON-serialisable (got {quote(str(err))})") from None
    return line


# --- outputs --------------------------------------------------------------------------------


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_not_inputs(outputs: Iterable[tuple[str, Path]], inputs: Iterable[Path]) -> None:
    """Refuse (``InputError``) an output that is one of the input files: ``outputs`` are
    ``(option, path)`` pairs, e.g. ``("--output", Path("gold.jsonl"))``. Paths are quoted in
    full (they are bounded by the system's path length), not shortened like values."""
    sources = [Path(p) for p in inputs]
    for option, out in outputs:
        for source in sources:
            if _same(Path(out), source):
                raise InputError(f"'{option}' must not be an input file (got {display_name(out)!r}, "
                                 f"which is {display_name(source)!r})")  # fmt: skip


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send what is printed meanwhile (``sys.stdout`` and file descriptor 1) to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
