"""The bulk record checks (``sgie.scoring.bulk_checks``) and the bulk surface counts
(``sgie.scoring.bulk_surface``) agree with the per-record rules they stand for: the offset rule
of ``sgie.spans``, unique ids, ``textnorm.normalise`` and ``surface.score_surface``."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_support import without_kernel
from msgspec.structs import replace
from strategies import TYPOGRAPHY, entities, slotted_entities, texts, typographic_texts

import sgie.scoring.bulk_checks as bulk_checks
import sgie.scoring.bulk_surface as bulk_surface
from sgie.records import Entity
from sgie.scoring.bulk import Flat
from sgie.scoring.bulk_checks import Chars, Spans, irregular, spans_hold, unique_per_document
from sgie.scoring.bulk_surface import surface_flat
from sgie.scoring.counts import PRF
from sgie.scoring.flatten import KERNEL
from sgie.scoring.hashing import code_units
from sgie.scoring.surface import score_surface
from sgie.scoring.textnorm import CHANGED, OTHER_SPACE, normalise


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[str], list[tuple[Entity, ...]], list[tuple[Entity, ...]]]:
    """Texts and the gold and predicted entities of a batch of documents (typography
    included, overlaps competing or not, strings repeated within and across documents)."""
    text = st.one_of(texts(min_words=2), typographic_texts(min_words=2))
    docs = draw(st.lists(text, min_size=1, max_size=6))
    gold, pred = [], []
    for text in docs:
        g, p = draw(slotted_entities(text)) if draw(st.booleans()) else (
            draw(entities(text, 5)), draw(entities(text, 5, "q")))  # fmt: skip
        gold.append(g)
        pred.append(p)
    return docs, gold, pred


def test_other_space_lists_every_white_space_character():
    """``OTHER_SPACE`` is exactly the white space of ``str.isspace`` besides the plain space."""
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(OTHER_SPACE) == every - {" "}
    assert all(normalise("a" + c + "b") != "a" + c + "b" for c in CHANGED)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(typographic_texts(), st.sampled_from(TYPOGRAPHY)), min_size=1, max_size=8))
def test_a_string_not_flagged_is_already_normal(strings):
    """``irregular`` may flag a normal string, never miss one that ``normalise`` changes."""
    flat = Flat.of([tuple(Entity(f"e{i}", 0, len(s), s, "GPE") for i, s in enumerate(strings) if s)])
    mask = irregular(Spans(flat))
    for s, flagged in zip([s for s in strings if s], mask.tolist(), strict=True):
        assert flagged or normalise(s) == s


@settings(max_examples=200, deadline=None)
@given(batches())
def test_bulk_surface_equals_the_per_document_sets(batch):
    """``surface_flat`` is the sum of ``score_surface`` over the batch's documents, with the
    kernel's lookups and by sorting."""
    docs, gold, pred = batch
    g, p = Flat.of(gold), Flat.of(pred)
    expected = sum(map(score_surface, gold, pred), PRF())
    assert surface_flat(g, p, Spans(g), Spans(p)) == expected
    with pytest.MonkeyPatch.context() as mp:
        without_kernel(mp)
        assert surface_flat(g, p, Spans(g), Spans(p)) == expected


@settings(max_examples=100, deadline=None)
@given(batches())
def test_bulk_surface_does_not_trust_the_hash(batch):
    """With every string hashing alike, the keys collide, the checks see it, and the counts are
    still those of the per-document sets."""
    docs, gold, pred = batch
    g, p = (replace(f, text_hash=np.zeros(len(f.doc), np.uint64)) for f in (Flat.of(gold), Flat.of(pred)))
    expected = sum(map(score_surface, gold, pred), PRF())
    for kernel in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(bulk_surface, "joined_hashes", lambda strings: np.zeros(len(strings), np.uint64))
            if not kernel:
                without_kernel(mp)
            assert surface_flat(g, p, Spans(g), Spans(p)) == expected


@settings(max_examples=200, deadline=None)
@given(batches(), st.data())
def test_spans_hold_is_the_offset_rule(batch, data):
    """``spans_hold`` (and the kernel's ``holds``) says yes exactly when every entity's text is
    its slice of the text, whatever was changed: an offset, a character, a NUL inside the
    string, a non-ASCII one."""
    docs, gold, _ = batch
    flat = Flat.of(gold)
    assert spans_hold(Chars(docs), flat, Spans(flat))
    assert Flat.of(gold, docs).holds is (True if KERNEL is not None else None)
    items = [x for entities_ in gold for x in entities_]
    if not items:
        return
    k = data.draw(st.integers(0, len(items) - 1))
    e = items[k]
    change = data.draw(st.sampled_from(["shift", "text", "nul", "wide", "longer"]))
    new = {"shift": lambda: Entity(e.id, e.start + 1, e.end + 1, e.text, e.label),
           "text": lambda: Entity(e.id, e.start, e.end, e.text[:-1] + "#", e.label),
           "nul": lambda: Entity(e.id, e.start, e.end, e.text[:-1] + "\0", e.label),
           "wide": lambda: Entity(e.id, e.start, e.end, e.text[:-1] + "Ж", e.label),
           "longer": lambda: Entity(e.id, e.start, e.end, e.text + "x", e.label)}[change]()  # fmt: skip
    doc = int(flat.doc[k])
    changed = [tuple(new if x is e else x for x in entities_) for entities_ in gold]
    holds = 0 <= new.start < new.end <= len(docs[doc]) and docs[doc][new.start : new.end] == new.text
    flat2 = Flat.of(changed)
    assert spans_hold(Chars(docs), flat2, Spans(flat2)) == holds
    assert Flat.of(changed, docs).holds in ({holds} if KERNEL is not None else {None})  # the kernel's check


def test_unique_ids_per_document_even_when_hashes_collide():
    """A repeated id within a document is found; the same id in two documents is fine; equal
    hashes of different ids are not taken for a repeat."""

    def unique(*ids: str, collide: bool = False) -> bool:  # two documents of two entities each
        pairs = ids[:2], ids[2:]
        flat = Flat.of([tuple(Entity(i, 0, 1, "x", "GPE") for i in d) for d in pairs])
        return unique_per_document(replace(flat, id_hash=np.zeros(4, np.uint64)) if collide else flat)

    for kernel in (True, False):
        with pytest.MonkeyPatch.context() as mp:
            if not kernel:
                without_kernel(mp)
            assert unique("a", "b", "a", "b")
            assert not unique("a", "b", "c", "c")
            assert not unique("a", "b\0", "b\0", "b\0")  # a NUL: hashed one by one
            assert unique("a", "b", "a", "b", collide=True)
            assert not unique("a", "a", "c", "d", collide=True)


def _first_keys_by_dicts(a_doc, a_key, b_doc, b_key):
    """``first_keys`` with Python dicts: the reference the kernel is held to."""
    a_seen, b_seen, a_first, b_first, b_match = {}, {}, [], [], []
    for i, pair in enumerate(zip(a_doc, a_key, strict=True)):
        a_first.append(a_seen.setdefault(pair, i))
    for j, pair in enumerate(zip(b_doc, b_key, strict=True)):
        first = b_seen.setdefault(pair, j)
        b_first.append(first)
        b_match.append(a_seen.get(pair, -1) if first == j else -1)
    return a_first, b_first, b_match


@st.composite
def keyed_sides(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Two sides' items: documents in order (some only on one side), keys from a few values
    or any 64-bit ones (so keys repeat within and across documents and sides)."""
    keys = st.one_of(st.sampled_from([0, 1, 2, 2**64 - 1]), st.integers(0, 2**64 - 1))
    sides = []
    for _ in range(2):
        docs = sorted(draw(st.lists(st.integers(0, 6), max_size=40)))
        drawn = draw(st.lists(keys, min_size=len(docs), max_size=len(docs)))
        sides += [np.array(docs, np.int64), np.array(drawn, np.uint64)]
    return tuple(sides)


@settings(max_examples=300, deadline=None)
@given(keyed_sides())
def test_first_keys_is_what_dicts_give(sides):
    """The kernel's per-document lookups equal a dict per side, whatever repeats where."""
    if bulk_checks.FIRST_KEYS is None:
        pytest.skip("the C kernel was not built (no C compiler)")
    got = bulk_checks.first_keys(*sides)
    assert [x.tolist() for x in got] == list(_first_keys_by_dicts(*(x.tolist() for x in sides)))


def test_first_keys_refuses_documents_out_of_order():
    """Documents that decrease on either side are a ValueError, not a wrong answer."""
    if bulk_checks.FIRST_KEYS is None:
        pytest.skip("the C kernel was not built (no C compiler)")
    keys = np.zeros(3, np.uint64)
    with pytest.raises(ValueError, match="must not decrease"):
        bulk_checks.first_keys(np.array([0, 1, 0], np.int64), keys)
    with pytest.raises(ValueError, match="must not decrease"):
        bulk_checks.first_keys(np.array([0, 1, 2], np.int64), keys, np.array([2, 1, 1], np.int64), keys)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=8), st.booleans())
def test_equal_slices_is_pairwise_string_equality(pairs, same):
    """``equal_slices`` says yes exactly when every pair of strings is equal, whatever their widths."""
    if same:
        pairs = [(a, a) for a, _ in pairs]
    left, right = [a for a, _ in pairs], [b for _, b in pairs]

    def laid_out(strings):  # code units with a gap before each string, and where each one is
        _, chars = code_units("".join("#" + s for s in strings))
        offset = np.cumsum([1 + len(s) for s in strings]) - np.array([len(s) for s in strings], np.int64)
        return chars, offset.astype(np.int64), np.array([len(s) for s in strings], np.int64)

    ca, oa, la = laid_out(left)
    cb, ob, lb = laid_out(right)
    assert bulk_checks.equal_slices(ca, oa, la, cb, ob, lb) == (left == right)
