"""Entity counts of many documents at once: the uncontested case in bulk, with numpy arrays.

What it does
    ``score_entity_batch(gold, pred, ungrounded)`` scores the entities of a batch of documents
    (the i-th items of the three sequences are one document's gold, predicted and ungrounded
    entities) and returns an ``EntityBatch``: the counts of each document and their sum, equal
    to ``sgie.scoring.entities.score_entities`` on each document
    (``tests/test_scoring_bulk.py``).

    Most documents have no competing overlaps: each entity overlaps at most one entity, of the
    other side. Their counts follow from a tally (``sgie.scoring.entities.TALLY``: entities
    and overlapping pairs per type), computed here for all of them together: the entities of
    the batch become arrays (document, start, end, side, type), sorted by document and start
    (one ``argsort``); an entity overlaps an earlier one iff it starts before the largest end
    so far in its document (``np.maximum.accumulate`` over offsets shifted by document); then
    an overlap is a lone pair iff it is between neighbours of the two sides and neither
    neighbour overlaps anything else, and the pairs are counted per document and type with
    ``np.bincount``. A document with any other overlap (competing ones, or overlaps within a
    side such as nested entities) is handed to ``score_entities`` on its own (the general path,
    an optimal assignment where overlaps compete).

    The only per-span step is turning the records into columns (``Flat.of``, by
    ``sgie.scoring.flatten``: a C loop where the kernel was built, one list comprehension per
    field otherwise); nothing is done per document in Python for the uncontested ones. A
    batch of a few thousand documents or a few hundred thousand entities keeps the arrays
    small.

What it does not do
    No validation (the spans must hold: ``0 <= start < end <= len(text)``, labels from
    ``sgie.schema``), no reading, no other layer, no output.

Inputs / outputs
    ``score_entity_batch(gold, pred, ungrounded=None)`` -> ``EntityBatch`` with ``total``
    (``EntityCounts``), ``tallies`` (one row of ``TALLY`` ints per document, zero for those
    scored on their own), ``solved`` (those documents' ``EntityCounts``, by index) and
    ``document(i)``. ``total_flat(gold, pred, g, p)`` -> the ``total`` alone, counted per type
    without per-document rows (what a run without per-document output needs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import numpy as np

from sgie import schema
from sgie.records import Entity
from sgie.scoring.entities import (
    T_BOUNDS_ONLY,
    T_GOLD,
    T_NEITHER,
    T_OTHER,
    T_PRED,
    T_SAME,
    TALLY,
    EntityCounts,
    score_entities,
)
from sgie.scoring.flatten import Columns, flatten

_LABELS = len(schema.ENTITY_LABELS)


class Flat(Columns, frozen=True):
    """The entities of a batch of documents (``docs``), in order, as the columns of
    ``sgie.scoring.flatten``: ``doc`` (index of the document in the batch), ``start``,
    ``end``, ``code`` (index of the label in ``schema.ENTITY_LABELS``), the hashes of their
    ids and texts (``id_hash``, ``text_hash``), their texts each followed by a NUL
    (``joined_texts``) and, when ``texts`` were given, whether the spans hold in them
    (``holds``)."""

    docs: Sequence[Sequence[Entity]]

    @classmethod
    def of(cls, docs: Sequence[Sequence[Entity]], texts: list[str] | None = None) -> Flat:
        """``OverflowError`` if an offset does not fit in 64 bits, ``KeyError`` for a label
        outside the schema; ``texts``: the documents' texts, for ``holds``."""
        c = flatten(docs, texts)
        return cls(c.doc, c.start, c.end, c.code, c.id_hash, c.text_hash, c.joined_texts, c.holds, docs)

    def ids(self) -> list[str]:
        """The entities' ids, in order (a list made on each call: for the rare paths)."""
        return [e.id for items in self.docs for e in items]

    def texts(self) -> list[str]:
        """The entities' texts, in order (a list made on each call: for the rare paths)."""
        return [e.text for items in self.docs for e in items]


class EntityBatch(msgspec.Struct, frozen=True):
    """The entity counts of a batch of documents (see the module docstring)."""

    total: EntityCounts
    tallies: np.ndarray  # (documents, TALLY) int64; zero rows for the documents in ``solved``
    solved: Mapping[int, EntityCounts]

    def document(self, i: int) -> EntityCounts:
        """The counts of the ``i``-th document of the batch."""
        found = self.solved.get(i)
        return found if found is not None else EntityCounts(tally=tuple(self.tallies[i].tolist()))


def _per_type(doc: np.ndarray, code: np.ndarray, documents: int) -> np.ndarray:
    """How many of the items (document, type code) each document has of each type."""
    return np.bincount(doc * _LABELS + code, minlength=documents * _LABELS).reshape(documents, _LABELS)


def _pairs(gold: Flat, pred: Flat, documents: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lone overlapping pairs (two indices into the entities of both sides sorted by
    document and start) and the documents with any other overlap (a boolean mask)."""
    doc = np.concatenate([gold.doc, pred.doc])
    start = np.concatenate([gold.start, pred.start])
    end = np.concatenate([gold.end, pred.end])
    side = np.concatenate([np.zeros(len(gold.doc), np.int8), np.ones(len(pred.doc), np.int8)])
    # shift each document's offsets past the previous one's: one sweep serves every document
    shift = doc * (int(end.max()) + 1)
    s = start + shift
    order = s.argsort(kind="stable")
    s, e, side, doc = s[order], (end + shift)[order], side[order], doc[order]
    overlaps = np.zeros(len(s), dtype=bool)
    overlaps[1:] = s[1:] < np.maximum.accumulate(e)[:-1]
    second = overlaps.nonzero()[0]
    first = second - 1
    # a lone pair: its first item overlaps nothing before it, and the two are of both sides
    # (its second item overlapping anything after it makes that item's pair fail this test)
    bad = overlaps[first] | (side[first] == side[second])
    contested = np.zeros(documents, dtype=bool)
    contested[doc[second[bad]]] = True
    keep = ~contested[doc[second]]
    return order[first[keep]], order[second[keep]], contested


class _Matched(msgspec.Struct, frozen=True):
    """The lone pairs of a batch (``_pairs``), classified: for each pair, the index of its
    first entity (``first``, into both sides' entities concatenated), that entity's type code,
    and whether the two have the same type and the same bounds; ``contested`` documents."""

    first: np.ndarray
    code: np.ndarray
    same_type: np.ndarray
    same_bounds: np.ndarray
    contested: np.ndarray

    @classmethod
    def of(cls, g: Flat, p: Flat, documents: int) -> _Matched:
        a, b, contested = _pairs(g, p, documents)
        start, end, code = (
            np.concatenate([x, y]) for x, y in ((g.start, p.start), (g.end, p.end), (g.code, p.code))
        )
        code_a = code[a]
        return cls(a, code_a, code_a == code[b], (start[a] == start[b]) & (end[a] == end[b]), contested)


def total_flat(
    gold: Sequence[Sequence[Entity]], pred: Sequence[Sequence[Entity]], g: Flat, p: Flat
) -> EntityCounts:
    """``score_flat(gold, pred, g, p).total`` (no ungrounded entities), counted per type only."""
    tally = np.zeros(TALLY, dtype=np.int64)
    contested = np.zeros(len(gold), dtype=bool)
    if len(g.doc) and len(p.doc):
        m = _Matched.of(g, p, len(gold))
        contested, same_type, same_bounds = m.contested, m.same_type, m.same_bounds
        tally[T_SAME : T_SAME + _LABELS] = np.bincount(m.code[same_type & same_bounds], minlength=_LABELS)
        tally[T_OTHER : T_OTHER + _LABELS] = np.bincount(m.code[same_type & ~same_bounds], minlength=_LABELS)
        tally[T_BOUNDS_ONLY] = np.count_nonzero(~same_type & same_bounds)
        tally[T_NEITHER] = np.count_nonzero(~same_type & ~same_bounds)
    tally[T_GOLD : T_GOLD + _LABELS] = np.bincount(g.code[~contested[g.doc]], minlength=_LABELS)
    tally[T_PRED : T_PRED + _LABELS] = np.bincount(p.code[~contested[p.doc]], minlength=_LABELS)
    total = EntityCounts(tally=tuple(tally.tolist()))
    for i in contested.nonzero()[0].tolist():
        total = total + score_entities(gold[i], pred[i])
    return total


def score_entity_batch(
    gold: Sequence[Sequence[Entity]],
    pred: Sequence[Sequence[Entity]],
    ungrounded: Sequence[Sequence[Entity]] | None = None,
) -> EntityBatch:
    """The entity counts of each document of a batch and their sum (module docstring)."""
    if len(pred) != len(gold) or (ungrounded is not None and len(ungrounded) != len(gold)):
        raise ValueError("gold, pred and ungrounded must have one item per document")
    return score_flat(gold, pred, Flat.of(gold), Flat.of(pred), ungrounded)


def score_flat(
    gold: Sequence[Sequence[Entity]],
    pred: Sequence[Sequence[Entity]],
    g: Flat,
    p: Flat,
    ungrounded: Sequence[Sequence[Entity]] | None = None,
) -> EntityBatch:
    """``score_entity_batch`` with the entities of both sides already flat (``Flat.of``)."""
    documents = len(gold)
    tallies = np.zeros((documents, TALLY), dtype=np.int64)
    tallies[:, T_GOLD : T_GOLD + _LABELS] = _per_type(g.doc, g.code, documents)
    tallies[:, T_PRED : T_PRED + _LABELS] = _per_type(p.doc, p.code, documents)
    if ungrounded is not None:
        u = Flat.of(ungrounded)
        tallies[:, T_PRED : T_PRED + _LABELS] += _per_type(u.doc, u.code, documents)
    solved: dict[int, EntityCounts] = {}
    if len(g.doc) and len(p.doc):
        m = _Matched.of(g, p, documents)
        contested, same_type, same_bounds = m.contested, m.same_type, m.same_bounds
        doc = np.concatenate([g.doc, p.doc])[m.first]
        for column, mask in ((T_SAME, same_type & same_bounds), (T_OTHER, same_type & ~same_bounds)):
            tallies[:, column : column + _LABELS] += _per_type(doc[mask], m.code[mask], documents)
        for column, mask in (
            (T_BOUNDS_ONLY, ~same_type & same_bounds),
            (T_NEITHER, ~same_type & ~same_bounds),
        ):
            tallies[:, column] += np.bincount(doc[mask], minlength=documents)
        for i in contested.nonzero()[0].tolist():
            solved[i] = score_entities(gold[i], pred[i], ungrounded[i] if ungrounded is not None else ())
        tallies[contested] = 0
    total = EntityCounts(tally=tuple(tallies.sum(axis=0).tolist()))
    for counts in solved.values():
        total = total + counts
    return EntityBatch(total, tallies, solved)
