"""Strings as arrays of code units, and a 64-bit hash of many strings at once (for the bulk path).

What it does
    * ``code_units(joined)``: a string's code units as a numpy array (``uint8`` when it is
      ASCII, UTF-32 ``uint32`` otherwise; equal code points are equal values in both);
    * ``string_hashes(chars, offset, length)``: ``HASH`` of many slices of such an array at
      once (one prefix sum, two lookups per string);
    * ``hashes_of_joined(joined, n)`` / ``joined_hashes(strings)``: ``HASH`` of strings joined
      by NULs; ``string_hash(s)``: of one string, with Python ints (for strings holding a NUL).
    * ``counting(n)``: ``0, 1, ..., n - 1``, kept between calls.

    ``HASH`` of a string ``s`` of length ``L`` is ``sum(ord(s[j]) * P**j) ^ (L * MIX)``, modulo
    2**64 (``P`` and ``MIX`` below): it depends on the code points only, so the C kernel
    (``sgie.scoring._kernel``, ``hash_of``) computes the same value one string at a time,
    and the two are held equal by ``tests/test_scoring_flatten.py``.

What it does not do
    Different strings may share a hash: every caller compares the strings behind equal
    keys. No checks, no counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: An odd 64-bit constant that spreads small ints (documents, labels, lengths) over a key.
MIX = np.uint64(0x9E3779B97F4A7C15)
_P = 0x100000001B3  # odd, so invertible modulo 2**64
_P_INVERSE = pow(_P, -1, 1 << 64)
_MASK = (1 << 64) - 1


def code_units(joined: str) -> tuple[bool, np.ndarray]:
    """Whether ``joined`` is ASCII, and its code units as an array: ``uint8`` if it is,
    ``uint32`` (UTF-32) otherwise; equal code points are equal values in both."""
    ascii = joined.isascii()
    encoded = joined.encode("ascii") if ascii else joined.encode("utf-32-le")
    return ascii, np.frombuffer(encoded, np.uint8 if ascii else np.uint32)


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


#: ``P**i`` and ``P**-i`` modulo 2**64.
_POWERS = _Grown(lambda m: (_geometric(_P, m), _geometric(_P_INVERSE, m)))


def string_hashes(chars: np.ndarray, offset: np.ndarray, length: np.ndarray) -> np.ndarray:
    """``HASH`` of each string ``chars[offset:offset + length]`` (module docstring), for all
    at once: one prefix sum over ``chars``, then two lookups per string."""
    up, down = _POWERS.get(len(chars) + 1)
    prefix = np.empty(len(chars) + 1, np.uint64)
    prefix[0] = 0
    np.multiply(chars, up[: len(chars)], out=prefix[1:])  # in place: no temporary array
    prefix[1:].cumsum(out=prefix[1:])
    spread = (prefix[offset + length] - prefix[offset]) * down[offset]
    return spread ^ (length.astype(np.uint64) * MIX)


def string_hash(s: str) -> int:
    """``HASH`` of one string, with Python ints (any string, NULs included)."""
    h, power = 0, 1
    for c in s:
        h = (h + ord(c) * power) & _MASK
        power = (power * _P) & _MASK
    return h ^ ((len(s) * int(MIX)) & _MASK)


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


def hashes(strings: Sequence[str], joined: str | None = None) -> np.ndarray:
    """``HASH`` of every string, as a ``uint64`` array: at once by ``hashes_of_joined`` (of
    ``joined``, the strings each followed by a NUL, when the caller has it), one by one by
    ``string_hash`` if one holds a NUL."""
    found = joined_hashes(strings) if joined is None else hashes_of_joined(joined, len(strings))
    if found is not None:
        return found
    return np.array([string_hash(s) for s in strings], np.uint64)
