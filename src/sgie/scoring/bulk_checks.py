"""The record checks of many entities at once, with numpy arrays (for the one-pass reader).

What it does
    The checks of ``sgie.scoring.validate.check`` that an entity-only record needs beyond its
    types, for all the entities of a batch of documents together, as a few array operations
    over the batch instead of a Python loop per span:

    * ``spans_hold(texts, flat, spans)``: every entity satisfies the offset rule of
      ``sgie.spans`` (``0 <= start < end <= len(text)`` and ``text[start:end]`` equals the
      entity's ``text``), comparing characters as arrays;
    * ``unique_per_document(flat)``: no document repeats an entity id;
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

from collections.abc import Callable, Sequence

import numpy as np

from sgie.scoring.bulk import Flat
from sgie.scoring.flatten import int64s
from sgie.scoring.textnorm import CHANGED

_CHANGED = np.array(sorted(map(ord, CHANGED)), np.uint32)
#: An odd 64-bit constant that spreads small ints (documents, labels, lengths) over a key.
MIX = np.uint64(0x9E3779B97F4A7C15)
_BACKTICK, _SPACE = ord("`"), ord(" ")


def code_units(joined: str) -> tuple[bool, np.ndarray]:
    """Whether ``joined`` is ASCII, and its code units as an array: ``uint8`` if it is,
    ``uint32`` (UTF-32) otherwise; equal code points are equal values in both."""
    ascii = joined.isascii()
    encoded = joined.encode("ascii") if ascii else joined.encode("utf-32-le")
    return ascii, np.frombuffer(encoded, np.uint8 if ascii else np.uint32)


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


def unique_per_document(flat: Flat) -> bool:
    """Whether no document repeats an entity id, for all of ``flat``'s at once: the pairs
    (document, hash of the id: ``hashes_of_joined``) are sorted and neighbours compared; only
    when two are equal are the ids themselves compared."""
    doc = flat.doc
    if len(doc) < 2:
        return True
    hashed = hashes_of_joined(flat.joined_ids, len(doc))
    if hashed is None:  # an id holds a NUL
        hashed = int64s(list(map(hash, flat.ids()))).view(np.uint64)
    key = doc.astype(np.uint64) * MIX + hashed
    ordered = np.sort(key)
    if not (ordered[1:] == ordered[:-1]).any():
        return True
    order = key.argsort(kind="stable")  # equal keys: compare those ids
    same = (key[order][1:] == key[order][:-1]).nonzero()[0]
    ids = flat.ids()
    return all(
        ids[order[i]] != ids[order[i + 1]] or doc[order[i]] != doc[order[i + 1]] for i in same.tolist()
    )


class _Grown:
    """Arrays of one length ``m`` made by ``make(m)``, kept and made again, at least twice as
    long, when a caller needs more than ``m`` items (a memo)."""

    def __init__(self, make: Callable[[int], tuple[np.ndarray, ...]]) -> None:
        self._make = make
        self._arrays = make(1)

    def get(self, n: int) -> tuple[np.ndarray, ...]:
        """The arrays, with at least ``n`` items each."""
        if len(self._arrays[0]) < n:
            self._arrays = self._make(max(n, 2 * len(self._arrays[0])))
        return self._arrays


def _read_only_range(m: int) -> tuple[np.ndarray]:
    values = np.arange(m, dtype=np.int64)
    values.flags.writeable = False
    return (values,)


#: ``0, 1, 2, ...``: filling a fresh ``np.arange`` for every batch costs about as much as
#: adding it.
_COUNTING = _Grown(_read_only_range)


def counting(n: int) -> np.ndarray:
    """``0, 1, ..., n - 1`` as read-only ``int64`` (a view of ``_COUNTING``)."""
    return _COUNTING.get(n)[0][:n]


def _geometric(ratio: int, m: int) -> np.ndarray:
    powers = np.full(m, ratio, np.uint64)
    powers[0] = 1
    return np.cumprod(powers, dtype=np.uint64)


_P = 0x100000001B3  # odd, so invertible modulo 2**64
_P_INVERSE = pow(_P, -1, 1 << 64)
#: ``P**i`` and ``P**-i`` modulo 2**64.
_POWERS = _Grown(lambda m: (_geometric(_P, m), _geometric(_P_INVERSE, m)))


def string_hashes(chars: np.ndarray, offset: np.ndarray, length: np.ndarray) -> np.ndarray:
    """A 64-bit polynomial hash of each string ``chars[offset:offset + length]``, by code point
    (so a string hashes alike in a byte array and in a UTF-32 one), for all at once: one
    prefix sum over ``chars``, then two lookups per string. Different strings may share a
    hash: every caller compares the strings behind equal keys."""
    up, down = _POWERS.get(len(chars) + 1)
    prefix = np.empty(len(chars) + 1, np.uint64)
    prefix[0] = 0
    np.multiply(chars, up[: len(chars)], out=prefix[1:])  # in place: no temporary array
    prefix[1:].cumsum(out=prefix[1:])
    spread = (prefix[offset + length] - prefix[offset]) * down[offset]
    return spread ^ (length.astype(np.uint64) * MIX)


def joined_hashes(strings: Sequence[str]) -> np.ndarray | None:
    """``string_hashes`` of ``strings``, or ``None`` if one holds a NUL (the separator)."""
    return hashes_of_joined("\0".join([*strings, ""]), len(strings))


def hashes_of_joined(joined: str, n: int) -> np.ndarray | None:
    """``string_hashes`` of the ``n`` strings of ``joined`` (each followed by a NUL), or
    ``None`` if it holds more NULs than that (a string holds one)."""
    _, chars = code_units(joined)
    ends = (chars == 0).nonzero()[0]
    if len(ends) != n:
        return None
    offset = np.zeros(n, np.int64)
    offset[1:] = ends[:-1] + 1
    return string_hashes(chars, offset, ends - offset)


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
