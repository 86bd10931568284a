"""Loading the rule baseline's lexicons: plain-text data files shipped with the package.

What it does
    ``entries(name)`` reads ``sgie/baselines/lexicons/<name>.txt`` (package data, found with
    ``importlib.resources``): one entry per line, ``#`` starts a comment line, blank lines are
    ignored, surrounding whitespace is stripped. ``table(name)`` splits each entry into its
    first word and the rest (``kind phrase`` lines); ``columns(name, fields)`` splits entries at ``|``.
    Results are cached. Every lexicon states in its header that it was developed on the train
    and validation splits only.

What it does not do
    No matching (the rule modules match entries against tokens).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

PACKAGE = "sgie.baselines"
FOLDER = "lexicons"


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of lexicon ``name`` in file order."""
    path = resources.files(PACKAGE).joinpath(FOLDER, f"{name}.txt")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@cache
def table(name: str) -> tuple[tuple[str, str], ...]:
    """Entries of the form ``kind phrase`` as ``(kind, phrase)`` pairs."""
    return tuple((e.split(" ", 1)[0], e.split(" ", 1)[1].strip()) for e in entries(name))


@cache
def columns(name: str, fields: int = 0) -> tuple[tuple[str, ...], ...]:
    """Entries of the form ``a | b | c`` as tuples of stripped fields; with ``fields``, at most
    that many (the last field keeps any further ``|``, e.g. a regular expression)."""
    return tuple(tuple(f.strip() for f in e.split("|", fields - 1 if fields else -1))
                 for e in entries(name))  # fmt: skip


def names() -> tuple[str, ...]:
    """The names of all shipped lexicons."""
    folder = resources.files(PACKAGE).joinpath(FOLDER)
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".txt")))
