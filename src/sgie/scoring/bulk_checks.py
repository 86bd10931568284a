"""The record checks of many entities at once, with numpy arrays (for the one-pass reader).

What it does
    The checks of ``sgie.scoring.validate.check`` that an entity-only record needs beyond its
    types, for all the entities of a batch of documents together, as a few array operations
    over the batch instead of a Python loop per span:

    * ``spans_hold(texts, flat, spans)``: every entity satisfies the offset rule of
      ``sgie.spans`` (``0 <= start < end <= len(text)`` and ``text[start:end]`` equals the
      entity's ``text``), comparing characters as arrays;
    * ``unique_per_document(doc, ids)``: no document repeats an entity id;
    * ``irregular(spans)``: which strings ``sgie.scoring.textnorm.normalise`` may change (the
      rest are already in normal form; the bulk surface metric normalises only these).

    ``Chars(strings)`` holds strings joined as one array of code units (bytes when they are all
    ASCII, UTF-32 code units otherwise) with each string's offset and length.

What it does not do
    No error messages: a check answers yes or no, and the caller hands a failing batch to the
    general loop (``sgie.scoring.validate``), which words the error. No scoring, no reading.

Inputs / outputs
    Strings, a ``sgie.scoring.bulk.Flat`` and ``Chars``; booleans or a boolean mask.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sgie.scoring.bulk import Flat
from sgie.scoring.textnorm import CHANGED

_CHANGED = np.array(sorted(map(ord, CHANGED)), np.uint32)
_BACKTICK, _SPACE = ord("`"), ord(" ")


class Chars:
    """Strings as one array of code units: ``chars`` (``uint8`` when ``ascii``, ``uint32``
    otherwise), and per string its ``offset`` in it and its ``length``."""

    def __init__(self, strings: Sequence[str]):
        everything = "".join(strings)
        self.ascii = everything.isascii()
        encoded = everything.encode("ascii") if self.ascii else everything.encode("utf-32-le")
        self.chars = np.frombuffer(encoded, np.uint8 if self.ascii else np.uint32)
        self.length = np.fromiter(map(len, strings), np.int64, len(strings))
        self.offset = np.zeros(len(strings), np.int64)
        np.cumsum(self.length[:-1], out=self.offset[1:])


def spans_hold(texts: Chars, flat: Flat, spans: Chars) -> bool:
    """Whether every entity of ``flat`` satisfies the offset rule in its document's text
    (``texts``: the batch's document texts; ``spans``: the entities' ``text``, in order)."""
    if len(flat.items) == 0:
        return True
    start, end = flat.start, flat.end
    if not ((start >= 0).all() and (start < end).all() and (end <= texts.length[flat.doc]).all()
            and (spans.length == end - start).all()):  # fmt: skip
        return False
    if texts.ascii and not spans.ascii:
        return False  # a non-ASCII character cannot be in an ASCII text
    chars = spans.chars if spans.ascii == texts.ascii else spans.chars.astype(np.uint32)
    index = np.repeat(texts.offset[flat.doc] + start - spans.offset, spans.length)
    index += np.arange(len(chars))
    return bool(np.array_equal(texts.chars[index], chars))


def unique_per_document(doc: np.ndarray, ids: Sequence[str]) -> bool:
    """Whether no document repeats an id (``ids[k]`` is in document ``doc[k]``), for all at
    once: the pairs (document, hash of the id) are sorted and neighbours compared; only when
    two are equal are the ids themselves compared."""
    if len(ids) < 2:
        return True
    key = doc.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.fromiter(
        map(hash, ids), np.int64, len(ids)
    ).view(np.uint64)
    order = np.argsort(key, kind="stable")
    same = np.flatnonzero(key[order][1:] == key[order][:-1])
    return all(
        ids[order[i]] != ids[order[i + 1]] or doc[order[i]] != doc[order[i + 1]] for i in same.tolist()
    )


def irregular(spans: Chars) -> np.ndarray:
    """A mask of the strings that ``normalise`` may change: those holding a character of
    ``textnorm.CHANGED`` (in ASCII: a control character or a backtick), two spaces in a row, or
    a space at either end. (A control character that is not white space is flagged too:
    normalising it changes nothing, so the mask may only err on the safe side.)"""
    c = spans.chars
    n = len(spans.length)
    mask = np.zeros(n, dtype=bool)
    if n == 0 or len(c) == 0:
        return mask
    if spans.ascii:
        odd = (c < _SPACE) | (c == _BACKTICK)
    else:
        odd = np.isin(c, _CHANGED)
    space = c == _SPACE
    odd[:-1] |= space[:-1] & space[1:]
    where = np.flatnonzero(odd)
    if len(where):
        mask[np.searchsorted(spans.offset, where, side="right") - 1] = True
    filled = spans.length > 0
    first = spans.offset[filled]
    mask[filled] |= space[first] | space[first + spans.length[filled] - 1]
    return mask
