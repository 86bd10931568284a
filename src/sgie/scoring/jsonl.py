"""Strict JSON Lines reading: bytes in, one JSON value per numbered line out.

What it does
    ``read_jsonl(path)`` reads a file as bytes, splits it into lines, decodes each line as
    UTF-8 on its own (so a bad byte is reported with its line), and parses each line as one
    JSON value. It rejects, with an ``InputError`` naming the file and line: a missing file, an
    empty file, a blank line (a final newline is fine), bytes that are not UTF-8, malformed
    JSON, ``NaN``/``Infinity``, and an object that repeats a key.

    For large files, ``LineFile(path)`` reads the same lines one at a time without holding the
    file: ``lines()`` yields ``(line number, byte offset, raw bytes)`` and ``at(offset)`` reads
    one line again; ``parse_line`` turns one raw line into its value with exactly the checks
    and messages of ``read_jsonl`` (which is built on it).

What it does not do
    No interpretation of the values (``sgie.scoring.predictions``, ``sgie.scoring.gold``,
    ``sgie.scoring.validate``).

Inputs / outputs
    ``read_jsonl(path)`` -> list of ``(line number, value)``; ``loads_line(text)`` -> value;
    ``parse_line(raw, file, line)`` -> value; ``LineFile`` -> raw lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sgie.errors import InputError
from sgie.records import JSON


def _no_duplicates(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"object must not repeat a key (got {key!r} twice)")
        out[key] = value
    return out


def _no_constant(name: str) -> JSON:
    raise InputError(f"line must be standard JSON (got {name})")


def loads_line(text: str) -> JSON:
    """One JSON value, strictly (``InputError`` without location if malformed)."""
    try:
        value: JSON = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except json.JSONDecodeError as err:
        raise InputError(
            f"line must be one JSON object ({err.msg} at column {err.colno})"
        ) from None
    return value


def _empty(name: str) -> InputError:
    return InputError("file must hold one JSON object per line (got an empty file)", file=name)


def parse_line(raw: bytes, name: str, number: int) -> JSON:
    """One raw line (without its newline) as a JSON value; ``InputError`` naming file and line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"line must be UTF-8 (got byte 0x{raw[err.start]:02x} at byte {err.start + 1})",
            file=name, line=number,
        ) from None  # fmt: skip
    if not text.strip():
        raise InputError("line must be one JSON object (got a blank line)",
                         file=name, line=number)  # fmt: skip
    try:
        return loads_line(text)
    except InputError as err:
        raise err.at(file=name, line=number) from None


def _open(path: Path, name: str) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError("file must exist (got no such file)", file=name) from None
    except IsADirectoryError:
        raise InputError("file must be a file (got a directory)", file=name) from None


class LineFile:
    """A JSON Lines file read line by line (the file stays open until ``close()``)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.name = str(path)
        self._fh = _open(self.path, self.name)

    def lines(self) -> Iterator[tuple[int, int, bytes]]:
        """``(line number, byte offset, raw line without newline)`` from the start of the file.
        An empty (or all-blank) file is an ``InputError``; a blank line is left to
        ``parse_line``."""
        self._fh.seek(0)
        offset, number, blank = 0, 0, True
        for raw in self._fh:
            number += 1
            line = raw[:-1] if raw.endswith(b"\n") else raw
            if blank:  # leading blank lines: an empty file, or a blank line parse_line reports
                if line.strip():
                    blank = False
                elif self._all_blank():
                    raise _empty(self.name)
            yield number, offset, line
            offset += len(raw)
        if number == 0:
            raise _empty(self.name)

    def _all_blank(self) -> bool:
        here = self._fh.tell()
        self._fh.seek(0)
        try:
            return all(not chunk.strip() for chunk in iter(lambda: self._fh.read(1 << 20), b""))
        finally:
            self._fh.seek(here)

    def at(self, offset: int) -> bytes:
        """The raw line starting at byte ``offset`` (without its newline)."""
        self._fh.seek(offset)
        raw = self._fh.readline()
        return raw[:-1] if raw.endswith(b"\n") else raw

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> LineFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_jsonl(path: Path | str) -> list[tuple[int, JSON]]:
    """The numbered JSON values of a JSON Lines file (see the module docstring)."""
    with LineFile(path) as f:
        return [(number, parse_line(raw, f.name, number)) for number, _, raw in f.lines()]
