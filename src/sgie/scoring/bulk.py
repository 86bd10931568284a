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

    Per-span Python work is three C-level passes over the entities (``start``, ``end``,
    ``label``); nothing is done per document in Python for the uncontested ones. A batch of a
    few thousand documents or a few hundred thousand entities keeps the arrays small.

What it does not do
    No validation (the spans must hold: ``0 <= start < end <= len(text)``, labels from
    ``sgie.schema``), no reading, no other layer, no output.

Inputs / outputs
    ``score_entity_batch(gold, pred, ungrounded=None)`` -> ``EntityBatch`` with ``total``
    (``EntityCounts``), ``tallies`` (one row of ``TALLY`` ints per document, zero for those
    scored on their own), ``solved`` (those documents' ``EntityCounts``, by index) and
    ``document(i)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

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

_LABELS = len(schema.ENTITY_LABELS)
_CODE = {label: i for i, label in enumerate(schema.ENTITY_LABELS)}
_START, _END, _LABEL = attrgetter("start"), attrgetter("end"), attrgetter("label")
_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class EntityBatch:
    """The entity counts of a batch of documents (see the module docstring)."""

    total: EntityCounts
    tallies: np.ndarray  # (documents, TALLY) int64; zero rows for the documents in ``solved``
    solved: Mapping[int, EntityCounts]

    def document(self, i: int) -> EntityCounts:
        """The counts of the ``i``-th document of the batch."""
        found = self.solved.get(i)
        return found if found is not None else EntityCounts(tally=tuple(self.tallies[i].tolist()))


def _flatten(docs: Sequence[Sequence[Entity]]) -> _Arrays:
    """Document index, start, end and type code of every entity of ``docs``, in order."""
    flat = list(chain.from_iterable(docs))
    n = len(flat)
    lengths = np.fromiter(map(len, docs), np.int64, len(docs))
    return (np.repeat(np.arange(len(docs), dtype=np.int64), lengths),
            np.fromiter(map(_START, flat), np.int64, n), np.fromiter(map(_END, flat), np.int64, n),
            np.fromiter(map(_CODE.__getitem__, map(_LABEL, flat)), np.int64, n))  # fmt: skip


def _per_type(doc: np.ndarray, code: np.ndarray, documents: int) -> np.ndarray:
    """How many of the items (document, type code) each document has of each type."""
    return np.bincount(doc * _LABELS + code, minlength=documents * _LABELS).reshape(documents, _LABELS)


def _pairs(gold: _Arrays, pred: _Arrays, documents: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lone overlapping pairs (two indices into the entities of both sides sorted by
    document and start) and the documents with any other overlap (a boolean mask)."""
    doc = np.concatenate([gold[0], pred[0]])
    start = np.concatenate([gold[1], pred[1]])
    end = np.concatenate([gold[2], pred[2]])
    side = np.concatenate([np.zeros(len(gold[0]), np.int8), np.ones(len(pred[0]), np.int8)])
    # shift each document's offsets past the previous one's: one sweep serves every document
    shift = doc * (int(end.max()) + 1)
    order = np.argsort(start + shift, kind="stable")
    s, e, side, doc = (start + shift)[order], (end + shift)[order], side[order], doc[order]
    overlaps = np.zeros(len(s), dtype=bool)
    overlaps[1:] = s[1:] < np.maximum.accumulate(e)[:-1]
    second = np.flatnonzero(overlaps)
    first = second - 1
    # a lone pair: its first item overlaps nothing before it, and the two are of both sides
    # (its second item overlapping anything after it makes that item's pair fail this test)
    bad = overlaps[first] | (side[first] == side[second])
    contested = np.zeros(documents, dtype=bool)
    contested[doc[second[bad]]] = True
    keep = ~contested[doc[second]]
    return order[first[keep]], order[second[keep]], contested


def score_entity_batch(
    gold: Sequence[Sequence[Entity]],
    pred: Sequence[Sequence[Entity]],
    ungrounded: Sequence[Sequence[Entity]] | None = None,
) -> EntityBatch:
    """The entity counts of each document of a batch and their sum (module docstring)."""
    documents = len(gold)
    if len(pred) != documents or (ungrounded is not None and len(ungrounded) != documents):
        raise ValueError("gold, pred and ungrounded must have one item per document")
    g, p = _flatten(gold), _flatten(pred)
    tallies = np.zeros((documents, TALLY), dtype=np.int64)
    tallies[:, T_GOLD : T_GOLD + _LABELS] = _per_type(g[0], g[3], documents)
    tallies[:, T_PRED : T_PRED + _LABELS] = _per_type(p[0], p[3], documents)
    if ungrounded is not None:
        u = _flatten(ungrounded)
        tallies[:, T_PRED : T_PRED + _LABELS] += _per_type(u[0], u[3], documents)
    solved: dict[int, EntityCounts] = {}
    if len(g[0]) and len(p[0]):
        a, b, contested = _pairs(g, p, documents)
        doc = np.concatenate([g[0], p[0]])[a]
        start, end, code = (np.concatenate([g[k], p[k]]) for k in (1, 2, 3))
        same_bounds = (start[a] == start[b]) & (end[a] == end[b])
        same_type = code[a] == code[b]
        for column, mask in ((T_SAME, same_type & same_bounds), (T_OTHER, same_type & ~same_bounds)):
            tallies[:, column : column + _LABELS] += _per_type(doc[mask], code[a][mask], documents)
        for column, mask in (
            (T_BOUNDS_ONLY, ~same_type & same_bounds),
            (T_NEITHER, ~same_type & ~same_bounds),
        ):
            tallies[:, column] += np.bincount(doc[mask], minlength=documents)
        for i in np.flatnonzero(contested).tolist():
            solved[i] = score_entities(gold[i], pred[i], ungrounded[i] if ungrounded is not None else ())
        tallies[contested] = 0
    total = EntityCounts(tally=tuple(tallies.sum(axis=0).tolist()))
    for counts in solved.values():
        total = total + counts
    return EntityBatch(total, tallies, solved)
