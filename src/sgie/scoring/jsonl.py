"""Strict JSON Lines reading: bytes in, one JSON value per numbered line out.

What it does
    ``read_jsonl(path)`` reads a file as bytes, splits it into lines, decodes each line as
    UTF-8 on its own (so a bad byte is reported with its line), and parses each line as one
    JSON value. It rejects, with an ``InputError`` naming the file and line: a missing file, an
    empty file, a blank line (a final newline is fine), bytes that are not UTF-8, malformed
    JSON, ``NaN``/``Infinity``, and an object that repeats a key.

What it does not do
    No interpretation of the values (``sgie.scoring.predictions``, ``sgie.scoring.gold``).

Inputs / outputs
    ``read_jsonl(path)`` -> list of ``(line number, value)``; ``loads_line(text)`` -> value.
"""

from __future__ import annotations

import json
from pathlib import Path

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


def read_jsonl(path: Path | str) -> list[tuple[int, JSON]]:
    """The numbered JSON values of a JSON Lines file (see the module docstring)."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file must exist (got no such file)", file=name) from None
    except IsADirectoryError:
        raise InputError("file must be a file (got a directory)", file=name) from None
    if not data.strip():
        raise InputError("file must hold one JSON object per line (got an empty file)", file=name)
    raw_lines = data.split(b"\n")
    if raw_lines[-1] == b"":
        raw_lines.pop()
    out: list[tuple[int, JSON]] = []
    for number, raw in enumerate(raw_lines, start=1):
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
            out.append((number, loads_line(text)))
        except InputError as err:
            raise err.at(file=name, line=number) from None
    return out
