"""``sgie.scoring.hashing``: one hash of a string whatever computes it (arrays of bytes or of
UTF-32 code units, Python ints, the C kernel), and the memo of ``counting``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sgie.scoring.hashing import code_units, counting, hashes, joined_hashes, string_hash, string_hashes

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=12)


def test_equal_strings_hash_alike_in_bytes_and_in_utf32():
    """``joined_hashes`` depends on the strings only, not on the width of their batch."""
    narrow = joined_hashes(["Kyiv", "a b", "x"])
    wide = joined_hashes(["Kyiv", "a b", "x", "Київ"])
    assert narrow is not None and wide is not None
    assert narrow.tolist() == wide[:3].tolist()
    assert len(set(wide.tolist())) == 4
    assert joined_hashes(["a\0b"]) is None


def test_a_few_hashes_by_hand():
    """The empty string hashes to 0; one character ``c`` to ``ord(c) ^ MIX``; length counts."""
    mix = 0x9E3779B97F4A7C15
    assert string_hash("") == 0
    assert string_hash("a") == 97 ^ mix
    assert string_hash("ab") == (97 + 98 * 0x100000001B3) ^ (2 * mix % 2**64)
    assert string_hash("\0") != string_hash("\0\0")


@settings(max_examples=300, deadline=None)
@given(st.lists(ANY_TEXT, max_size=8))
def test_every_way_gives_the_same_hash(strings):
    """``hashes`` (arrays, or one by one when a string holds a NUL), ``string_hashes`` over code
    units and ``string_hash`` with Python ints agree on any strings."""
    one_by_one = [string_hash(s) for s in strings]
    assert hashes(strings).dtype == np.uint64 and hashes(strings).tolist() == one_by_one
    assert hashes(strings, "\0".join([*strings, ""])).tolist() == one_by_one
    _, chars = code_units("".join(strings))
    length = np.array([len(s) for s in strings], np.int64)
    offset = np.concatenate([[0], np.cumsum(length)[:-1]]).astype(np.int64) if strings else length
    assert string_hashes(chars, offset, length).tolist() == one_by_one


def test_counting_is_arange_grown_on_demand():
    """``counting(n)`` equals ``np.arange(n)`` before and after the memo grows, and is read-only."""
    for n in (0, 3, 1, 5000, 17):
        got = counting(n)
        assert got.dtype == np.int64 and np.array_equal(got, np.arange(n))
        assert not got.flags.writeable
