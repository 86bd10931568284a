"""The ``entities.surface`` counts of many documents at once, with numpy arrays.

What it does
    ``surface_flat(gold, pred, gold_spans, pred_spans)`` sums, over a batch of documents, what
    ``sgie.scoring.surface.score_surface`` counts for each (per document, the sets of
    ``(normalise(text), label)`` pairs of both sides: ``tp`` pairs in both, ``fp`` predicted
    only, ``fn`` gold only), equal to it by construction and by test
    (``tests/test_scoring_bulk_checks.py``):

    * each entity's string is normalised only if ``bulk_checks.irregular`` says it may change
      (the others are already in normal form);
    * each entity gets a 64-bit key mixing its document, its label and the hash of its string
      (``Flat.text_hash``; ``hashing.joined_hashes`` for the strings normalised);
      per side the distinct keys are found, and ``tp`` is the number of keys of both sides:
      by the C kernel's per-document hash tables where it was built
      (``bulk_checks.first_keys``), by sorting otherwise (``np.searchsorted`` of one side's
      keys in the other's);
    * every key found twice is **checked**: the two entities must have the same document,
      label and string (equal hashes of different strings would otherwise merge two pairs).
      If any check fails, the batch is counted again with Python sets, so the counts never
      depend on a hash.

What it does not do
    No ungrounded entities (the one-pass reader takes none), no per-document counts, no
    validation: the spans must hold (``bulk_checks.spans_hold``), as the one pass checks
    before it counts.
"""

from __future__ import annotations

import numpy as np

from sgie import schema
from sgie.scoring.bulk import Flat
from sgie.scoring.bulk_checks import FIRST_KEYS, Spans, equal_slices, first_keys, irregular
from sgie.scoring.counts import PRF
from sgie.scoring.hashing import MIX, counting, joined_hashes
from sgie.scoring.textnorm import normalise

_LABELS = len(schema.ENTITY_LABELS)


class _Side:
    """One side's entities of a batch: ``doc``, ``group`` (document and label as one int),
    ``start``, ``end``, ``key``, and each entity's normalised string (``strings()``)."""

    def __init__(self, flat: Flat, spans: Spans):
        self.hashed = True  # every string hashed (hashing.HASH)
        self._flat, self._spans = flat, spans
        hashed = flat.text_hash
        self._odd = irregular(spans)  # the strings normalise may change
        odd = self._odd.nonzero()[0]
        #: the normalised strings of those (the others are their texts)
        self._normalised: dict[int, str] = {}
        if len(odd):
            at, length = spans.offset[odd].tolist(), spans.length[odd].tolist()
            texts = flat.joined_texts  # each string is as long as its offsets say: the spans hold
            self._normalised = {k: normalise(texts[i : i + n]) for k, i, n in zip(odd.tolist(), at, length)}
            rehashed = joined_hashes(list(self._normalised.values()))
            if rehashed is not None:  # None: a NUL (never in a span that holds)
                hashed = hashed.copy()
                hashed[odd] = rehashed
            self.hashed = rehashed is not None
        self.group = flat.doc * _LABELS + flat.code
        self.doc, self.start, self.end = flat.doc, flat.start, flat.end
        self.key = hashed ^ (self.group.astype(np.uint64) * MIX)

    def strings(self) -> list[str]:
        """Every entity's string, normalised, in order."""
        texts = self._flat.texts()
        for k, normalised in self._normalised.items():
            texts[k] = normalised
        return texts

    def _strings_at(self, items: np.ndarray) -> list[str]:
        """The normalised strings of ``items``."""
        at, length = self._spans.offset[items].tolist(), self._spans.length[items].tolist()
        texts, normalised = self._flat.joined_texts, self._normalised
        return [normalised[k] if k in normalised else texts[i : i + n]
                for k, i, n in zip(items.tolist(), at, length, strict=True)]  # fmt: skip

    def same(self, a: np.ndarray, b: np.ndarray, other: _Side | None = None) -> bool:
        """Whether items ``a`` of this side and ``b`` of ``other`` (default: this side) have
        the same document, label and string, pairwise. Two entities of one document at the
        same offsets have the same string (both equal that slice of its text: the checks of
        ``bulk_checks.spans_hold`` passed); only the others are compared as strings: those
        that ``normalise`` may have changed one by one, the rest as arrays of code units
        (``bulk_checks.equal_slices``)."""
        o = other if other is not None else self
        if not (self.group[a] == o.group[b]).all():
            return False
        moved = (self.start[a] != o.start[b]) | (self.end[a] != o.end[b])
        a, b = a[moved], b[moved]
        odd = self._odd[a] | o._odd[b]
        if odd.any():
            if self._strings_at(a[odd]) != o._strings_at(b[odd]):
                return False
            a, b = a[~odd], b[~odd]
        mine_spans, their_spans = self._spans, o._spans
        return equal_slices(mine_spans.chars, mine_spans.offset[a], mine_spans.length[a],
                            their_spans.chars, their_spans.offset[b], their_spans.length[b])  # fmt: skip

    def distinct(self, bits: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The sorted distinct keys and an item of each, or ``None`` if two different pairs
        share a key. The keys are sorted with each item's index in their ``bits`` low bits
        (``np.sort`` of one array costs about half an ``argsort``): the keys compared are the
        high bits (the same ``bits`` on both sides), and any two items they pair are checked
        like any shared key."""
        low = np.uint64((1 << bits) - 1)
        packed = (self.key & ~low) | counting(len(self.key)).view(np.uint64)
        packed.sort()
        order = (packed & low).astype(np.int64)
        key = packed & ~low
        repeated = key[1:] == key[:-1]
        if repeated.any() and not self.same(order[:-1][repeated], order[1:][repeated]):
            return None
        keep = np.ones(len(key), dtype=bool)
        keep[1:] = ~repeated
        return key[keep], order[keep]


def surface_flat(gold: Flat, pred: Flat, gold_spans: Spans, pred_spans: Spans) -> PRF:
    """The batch's ``entities.surface`` counts (see the module docstring)."""
    g, p = _Side(gold, gold_spans), _Side(pred, pred_spans)
    if not (g.hashed and p.hashed):
        return _with_sets(g, p)
    if FIRST_KEYS is not None:
        found = _with_first_keys(g, p)
        return found if found is not None else _with_sets(g, p)
    bits = max(1, len(g.key), len(p.key)).bit_length()  # room for an index of either side
    g_distinct, p_distinct = g.distinct(bits), p.distinct(bits)
    if g_distinct is not None and p_distinct is not None:
        (g_keys, g_items), (p_keys, p_items) = g_distinct, p_distinct
        if len(g_keys) == 0 or len(p_keys) == 0:
            return PRF(0, len(p_keys), len(g_keys))
        at = g_keys.searchsorted(p_keys)
        at[at == len(g_keys)] = 0
        hit = g_keys[at] == p_keys
        if g.same(g_items[at[hit]], p_items[hit], p):
            tp = int(np.count_nonzero(hit))
            return PRF(tp, len(p_keys) - tp, len(g_keys) - tp)
    return _with_sets(g, p)


def _with_first_keys(g: _Side, p: _Side) -> PRF | None:
    """The counts by the kernel's per-document lookups (``bulk_checks.first_keys``): the
    distinct keys of a side are its items that are first of their key in their document, and
    ``tp`` the predicted ones whose key the gold has. Every pair of items the keys join
    (a repeat and its first item, a predicted item and its gold one) is checked with
    ``same``; ``None`` if one is not the same pair (a hash shared by two strings)."""
    g_first, p_first, p_match = first_keys(g.doc, g.key, p.doc, p.key)
    g_again = (g_first != counting(len(g_first))).nonzero()[0]
    p_again = (p_first != counting(len(p_first))).nonzero()[0]
    hit = (p_match >= 0).nonzero()[0]
    if not (g.same(g_again, g_first[g_again]) and p.same(p_again, p_first[p_again])
            and g.same(p_match[hit], hit, p)):  # fmt: skip
        return None
    tp, gold, pred = len(hit), len(g_first) - len(g_again), len(p_first) - len(p_again)
    return PRF(tp, pred - tp, gold - tp)


def _with_sets(g: _Side, p: _Side) -> PRF:
    """The counts with Python sets of (document and label, string)."""
    gold = set(zip(g.group.tolist(), g.strings(), strict=True))
    pred = set(zip(p.group.tolist(), p.strings(), strict=True))
    tp = len(gold & pred)
    return PRF(tp, len(pred) - tp, len(gold) - tp)
