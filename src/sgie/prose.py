"""Numbers in prose, pulled from generated files: ``sgie prose`` keeps them in sync.

What it does
    In Markdown prose (README.md, DATASHEET.md, docs/), a number that comes from a generated
    file is written as a *reference*::

        **0.965**<!-- from annotations/agreement.json: pairs.a_vs_b.proposals.arguments.micro.f1 -->

    ``sync_text`` replaces every bold value by the value found at the dotted key path of the
    named JSON file (relative to the repository root): floats with three decimals, integers
    as they are, strings verbatim, ``null`` as ``n/a``. ``sgie prose`` rewrites the files;
    ``sgie prose --check`` (and a test) fails when any number is stale or a reference is
    broken. Numbers typed without a reference are the author's responsibility.

What it does not do
    No other templating; it never changes text outside the bold value of a reference.
"""

from __future__ import annotations

import re
from pathlib import Path

from sgie.errors import InputError, quote
from sgie.records import JSON
from sgie.safeio import read_json

REFERENCE = re.compile(r"\*\*([^*]*)\*\*<!-- from ([^:>]+): ([^ >]+) -->")
PROSE_FILES: tuple[str, ...] = ("README.md", "DATASHEET.md", "docs/baselines.md", "docs/studio.md",
                                 "benchmarks/RESULTS.md")  # fmt: skip


def fmt(value: JSON) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def lookup(root: Path, file: str, path: str, cache: dict[str, JSON]) -> JSON:
    if file not in cache:
        if not (root / file).is_file():
            raise InputError(f"reference must name an existing file (got {quote(file)})")
        cache[file] = read_json(root / file)
    value = cache[file]
    for key in path.split("."):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise InputError(f"reference key {quote(path)} must exist in {file} (no {quote(key)})")
    return value


def sync_text(text: str, root: Path, where: str = "") -> str:
    cache: dict[str, JSON] = {}

    def replace(m: re.Match[str]) -> str:
        try:
            value = lookup(root, m.group(2), m.group(3), cache)
        except InputError as err:
            line = text.count("\n", 0, m.start()) + 1
            raise err.at(file=where or None, line=line) from None
        return f"**{fmt(value)}**<!-- from {m.group(2)}: {m.group(3)} -->"

    return REFERENCE.sub(replace, text)


def stale_files(root: Path) -> dict[Path, str]:
    """Prose files whose references are out of date, with their synced text."""
    out = {}
    for name in PROSE_FILES:
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            synced = sync_text(text, root, name)
            if synced != text:
                out[path] = synced
    return out
