"""The record checks of many entities at once, with numpy arrays (for the one-pass reader).

What it does
    The checks of ``sgie.scoring.validate.check`` that an entity-only record needs beyond its
    types, for all the entities of a batch of documents together, as a few array operations
    over the batch instead of a Python loop per span:

    * ``spans_hold(texts, flat, spans)``: every entity satisfies the offset rule of
      ``sgie.spans`` (``0 <= start < end <= len(text)`` and ``text[start:end]`` equals the
      entity's ``text``), comparing characters as arrays;
    * ``unique_per_document(flat)``: no document repeats an entity id;
    * ``first_keys(...)``: the C kernel's per-document key lookups as arrays (where it was
      built: ``FIRST_KEYS``);
    * ``equal_slices(...)``: whether many pairs of slices of two code-unit arrays are equal;
    * ``irregular(spans)``: which strings ``sgie.scoring.textnorm.normalise`` may change (the
      rest are already in normal form; the bulk surface metric normalises only these).

    ``Chars(texts)`` holds the documents' texts joined as one array of code units (bytes when
    they are all ASCII, UTF-32 code units otherwise) with each text's offset and length;
    ``Spans(flat)`` the entities' strings likewise, each followed by a NUL.

What it does not do
    No error messages: a check answers yes or no, and the caller hands a failing batch to the
    general loop (``sgie.scoring.validate``), which words the error. No scoring, no reading.

Inputs / outputs
    Strings, a ``sgie.scoring.bulk.Flat``, ``Chars`` and ``Spans``; booleans or a boolean
    mask.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sgie.scoring import compiled
from sgie.scoring.bulk import Flat
from sgie.scoring.hashing import MIX, code_units, counting
from sgie.scoring.textnorm import CHANGED

#: The C kernel's ``first_keys`` (``_kernel.c``), or ``None`` where it was not built.
FIRST_KEYS = compiled.FIRST_KEYS
_NONE = np.zeros(0, np.int64)
_CHANGED = np.array(sorted(map(ord, CHANGED)), np.uint32)
_BACKTICK, _SPACE = ord("`"), ord(" ")


class Chars:
    """Document texts as one array of code units: ``chars`` (``uint8`` when ``ascii``,
    ``uint32`` otherwise) followed by one NUL (the target of ``Spans``' separators), and per
    text its ``offset`` in it and its ``length``."""

    def __init__(self, strings: Sequence[str]):
        self.ascii, self.chars = code_units("".join([*strings, "\0"]))  # one copy of the texts
        self.end = len(self.chars) - 1  # the index of the final NUL
        self.length = np.fromiter(map(len, strings), np.int64, len(strings))
        self.offset = np.zeros(len(strings), np.int64)
        self.length[:-1].cumsum(out=self.offset[1:])


class Spans:
    """The entities' ``text`` strings of a ``Flat``, each followed by a NUL, as one array of
    code units (``chars``, ``ascii`` as in ``Chars``), with the ``offset`` and ``length`` each
    string has if it is as long as its offsets say (``end - start``: what ``spans_hold``
    checks)."""

    def __init__(self, flat: Flat):
        self.ascii, self.chars = code_units(flat.joined_texts)
        self.length = flat.end - flat.start
        self.offset = np.zeros(len(flat.doc), np.int64)
        (self.length[:-1] + 1).cumsum(out=self.offset[1:])


def spans_hold(texts: Chars, flat: Flat, spans: Spans) -> bool:
    """Whether every entity of ``flat`` satisfies the offset rule in its document's text
    (``texts``: the batch's document texts). The strings joined by NULs must equal, code unit
    for code unit, the slices ``text[start:end]`` joined by NULs, and hold exactly one NUL per
    string: so each string is as long as its slice (a NUL inside a string would be one too
    many) and equal to it."""
    n = len(flat.doc)
    if n == 0:
        return True
    start, end = flat.start, flat.end
    if not ((start >= 0).all() and (start < end).all() and (end <= texts.length[flat.doc]).all()):
        return False
    if len(spans.chars) != int(spans.length.sum()) + n or (texts.ascii and not spans.ascii):
        return False  # a non-ASCII character cannot be in an ASCII text
    chars = spans.chars if spans.ascii == texts.ascii else spans.chars.astype(np.uint32)
    if np.count_nonzero(chars == 0) != n:
        return False
    index = (texts.offset[flat.doc] + start - spans.offset).repeat(spans.length + 1)
    index += counting(len(chars))
    index[spans.offset + spans.length] = texts.end  # each separator against the final NUL
    # every index is in range (the offsets hold): "wrap" skips the bounds checks of "raise"
    return bool((texts.chars.take(index, mode="wrap") == chars).all())  # len(index) == len(chars)


def equal_slices(chars_a: np.ndarray, offset_a: np.ndarray, length_a: np.ndarray,
                 chars_b: np.ndarray, offset_b: np.ndarray, length_b: np.ndarray) -> bool:  # fmt: skip
    """Whether ``chars_a[offset_a[i]:offset_a[i] + length_a[i]]`` equals the same slice of
    ``chars_b`` for every ``i``, code unit for code unit (the two arrays may be of different
    widths: equal code points are equal values), for all at once."""
    if not np.array_equal(length_a, length_b):
        return False
    total = int(length_a.sum())
    if total == 0:
        return True
    first = np.zeros(len(length_a), np.int64)  # where each slice starts among the others
    length_a[:-1].cumsum(out=first[1:])
    within = counting(total) - first.repeat(length_a)
    a, b = chars_a[offset_a.repeat(length_a) + within], chars_b[offset_b.repeat(length_a) + within]
    return bool((a == b).all())


def first_keys(a_doc: np.ndarray, a_key: np.ndarray, b_doc: np.ndarray | None = None,
               b_key: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The kernel's ``first_keys`` (``FIRST_KEYS``, which must be here) as arrays: for items
    of two sides (documents in order, the same on both sides; ``uint64`` keys), each item's
    first item of its side with the same document and key (``a_first``, ``b_first``), and for
    the first ones of ``b`` the first item of ``a`` with them (``b_match``; -1 if none)."""
    if FIRST_KEYS is None:
        raise ModuleNotFoundError("sgie.scoring._kernel was not built (no C compiler at install time)")
    b_doc = _NONE if b_doc is None else b_doc
    b_key = _NONE.view(np.uint64) if b_key is None else b_key
    a_first, b_first, b_match = (np.frombuffer(x, np.int64) for x in FIRST_KEYS(a_doc, a_key, b_doc, b_key))
    return a_first, b_first, b_match


def unique_per_document(flat: Flat) -> bool:
    """Whether no document repeats an entity id, for all of ``flat``'s at once. Where the
    kernel was built, ``first_keys`` of the pairs (document, hash of the id:
    ``Flat.id_hash``) says yes when no hash repeats in a document; otherwise (and when one
    does) the pairs are sorted and neighbours compared; only when two are equal are the ids
    themselves compared."""
    doc = flat.doc
    if len(doc) < 2:
        return True
    if FIRST_KEYS is not None and (first_keys(doc, flat.id_hash)[0] == counting(len(doc))).all():
        return True
    key = doc.astype(np.uint64) * MIX + flat.id_hash
    ordered = np.sort(key)
    if not (ordered[1:] == ordered[:-1]).any():
        return True
    order = key.argsort(kind="stable")  # equal keys: compare those ids
    same = (key[order][1:] == key[order][:-1]).nonzero()[0]
    ids = flat.ids()
    return all(
        ids[order[i]] != ids[order[i + 1]] or doc[order[i]] != doc[order[i + 1]] for i in same.tolist()
    )


def irregular(spans: Spans) -> np.ndarray:
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
        odd = np.not_equal(c, 0) & np.less(c, _SPACE) | np.equal(c, _BACKTICK)  # a control but NUL
    else:
        odd = np.isin(c, _CHANGED)
    space = c == _SPACE
    odd[:-1] |= space[:-1] & space[1:]
    where = odd.nonzero()[0]
    if len(where):
        mask[spans.offset.searchsorted(where, side="right") - 1] = True
    filled = spans.length > 0
    first = spans.offset[filled]
    mask[filled] |= space[first] | space[first + spans.length[filled] - 1]
    return mask
