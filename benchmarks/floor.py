"""The decode floor of the benchmark: read both files and decode every line with msgspec.

Reads the gold and the predictions file line by line (binary) and decodes each line with a
``msgspec.json.Decoder`` into typed records that mirror the formats (an id, a text, a list of
entities with id, start, end, text and label), checking nothing else and keeping nothing: the
least any scorer that reads every record must do. ``sgie evaluate`` is compared with this
process's CPU time (the target is at most 3x). Prints the number of lines decoded.

Usage: ``python benchmarks/floor.py GOLD.jsonl PREDICTIONS.jsonl``
"""

from __future__ import annotations

import sys

import msgspec


class Entity(msgspec.Struct):
    id: str
    start: int
    end: int
    text: str
    label: str


class Document(msgspec.Struct):
    id: str
    entities: list[Entity] = []
    text: str = ""


def main(paths: list[str]) -> None:
    decoder = msgspec.json.Decoder(Document)
    lines = 0
    for path in paths:
        with open(path, "rb") as fh:
            for line in fh:
                decoder.decode(line)
                lines += 1
    print(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
