r"""Resampling units for the bootstrap: documents, or paragraph clusters made from the gold alone.

What it does
    The bootstrap (``sgie.leaderboard.bootstrap``) resamples *clusters* and sums their headline
    count vectors, so every cluster needs a vector, and a document's cluster vectors must add
    up exactly to the document's official counts. Two units:

    * ``document`` -- one cluster per document.
    * ``paragraph`` (the default) -- a document's clusters are its paragraphs, the non-blank
      lines of the text (lines are separated by ``"\n"``; in the test documents a paragraph,
      headline, byline or dateline is one line; the same unit as the dataset's ``ner`` config),
      *merged* (union-find) wherever one **gold** item touches several of them: a span crossing
      a line break, a proposal and its arguments, an attribution's cue, source and content
      spans, an attribution and its parent. A blank line belongs to the cluster of the
      non-blank line before it (leading blank lines to the first cluster).

    **The partition depends on the gold only** (``build_clusters(gold, texts, unit)``), never on
    a submission: adding, removing or changing a submission changes no other system's
    clusters, so none of its intervals (the random draws depend on the cluster sizes and the
    seed only). Every system shares the partition, as the paired tests need.

    **Attribution rule** (``Clusters.vectors``). A system's counts are not recomputed per
    cluster: the one scoring pass gives, per layer and document, its headline outcomes -- each
    gold item, each predicted item, and the matched pairs with their credit (a ``Ledger``) --
    and every item is put in exactly one cluster:

    1. a gold item goes to the cluster holding it (all its lines are in one cluster);
    2. a predicted item matched with a gold item goes to that gold item's cluster, with the
       pair's credit -- even if the prediction itself starts or ends in another paragraph;
    3. an unmatched predicted item goes to the cluster where it starts (the first code point of
       its earliest span);
    4. a predicted item without a position (a text-only span that could not be grounded) goes
       to the document's first cluster.

    So a document's cluster vectors sum exactly to its official ``(2 * credit, predicted,
    gold)`` (each item and each credit is counted once), whatever the predictions cross.

What it does not do
    No scoring (the ledgers come from ``sgie.leaderboard.headline``), no resampling, no metrics.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sgie.records import DocAnnotations
from sgie.spans import Span

UNITS: tuple[str, ...] = ("paragraph", "document")


@dataclass(frozen=True)
class Ledger:
    """One layer's headline outcomes in one document, positioned: what clusters are summed from."""

    gold: tuple[int | None, ...]  # start offset of each gold item (its earliest span)
    pred: tuple[int | None, ...]  # start offset of each predicted item; None: no position
    pairs: tuple[tuple[int, int, int], ...]  # (gold index, predicted index, 2 * credit)

    def vector(self) -> tuple[int, int, int]:
        """The document's ``(2 * credit, predicted, gold)``."""
        return sum(c for _, _, c in self.pairs), len(self.pred), len(self.gold)


@dataclass(frozen=True)
class Partition:
    """One document's clusters: the cluster of every line."""

    breaks: tuple[int, ...]  # offsets of the "\n" characters
    line_cluster: tuple[int, ...]  # cluster index of each line
    size: int  # number of clusters

    def at(self, offset: int | None) -> int:
        """The cluster of the line holding ``offset`` (``None``: the first cluster)."""
        if offset is None:
            return 0
        return self.line_cluster[bisect.bisect_left(self.breaks, offset)]

    def vectors(self, ledger: Ledger) -> np.ndarray:
        """``(size, 3)`` count vectors of the clusters, by the attribution rule."""
        out = np.zeros((self.size, 3), dtype=np.int64)
        gold = [self.at(g) for g in ledger.gold]
        for c in gold:
            out[c, 2] += 1
        home = {p: gold[g] for g, p, _ in ledger.pairs}
        for p, start in enumerate(ledger.pred):
            out[home[p] if p in home else self.at(start), 1] += 1
        for g, _, credit in ledger.pairs:
            out[gold[g], 0] += credit
        return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, items: Iterable[int]) -> None:
        roots = sorted({self.find(i) for i in items})
        for r in roots[1:]:
            self.parent[r] = roots[0]


def _lines_of(breaks: Sequence[int], span: Span) -> range:
    first = bisect.bisect_left(breaks, span.start)
    last = bisect.bisect_left(breaks, max(span.start, span.end - 1))
    return range(first, last + 1)


def gold_item_spans(doc: DocAnnotations) -> list[list[Span]]:
    """For each gold item (every layer), the spans that must stay in one cluster."""
    groups: list[list[Span]] = [[e.span] for e in doc.entities or ()]
    groups += [[p.span, *(a.span for a in p.arguments)] for p in doc.proposals or ()]
    atts = doc.attributions or ()
    own = {a.id: [*a.cue, *a.source, *a.content] for a in atts}
    groups += [own[a.id] + own.get(a.parent_id or "", []) for a in atts]
    return groups


def paragraph_partition(text: str, gold: DocAnnotations) -> Partition:
    """The paragraph clusters of one document, merged over its gold items only."""
    breaks = tuple(i for i, ch in enumerate(text) if ch == "\n")
    lines = text.split("\n")
    nonblank = [n for n, line in enumerate(lines) if line.strip()] or [0]
    home, last = [], nonblank[0]  # a blank line belongs to the non-blank line before it
    for n, line in enumerate(lines):
        last = n if line.strip() else last
        home.append(last)
    uf = _UnionFind(len(lines))
    for group in gold_item_spans(gold):
        uf.union(home[n] for s in group for n in _lines_of(breaks, s))
    owner = [uf.find(h) for h in home]
    order = {root: i for i, root in enumerate(sorted(set(owner)))}
    return Partition(breaks, tuple(order[r] for r in owner), len(order))


def document_partition(text: str) -> Partition:
    """The whole document as one cluster."""
    return Partition((), (0,), 1)


@dataclass(frozen=True)
class Clusters:
    """A partition of the test set into clusters (from the gold alone), in document order."""

    unit: str
    partitions: Mapping[str, Partition]  # by document id, sorted

    @property
    def documents(self) -> tuple[str, ...]:
        """The document of each cluster, in cluster order."""
        return tuple(d for d, p in self.partitions.items() for _ in range(p.size))

    def sizes(self) -> dict[str, int]:
        """Number of clusters per document."""
        return {d: p.size for d, p in self.partitions.items()}

    def vectors(self, ledgers: Mapping[str, Ledger]) -> np.ndarray:
        """``(clusters, 3)`` headline count vectors of one system and layer (ledgers by document;
        a document without a ledger has no items)."""
        empty = Ledger((), (), ())
        blocks = [p.vectors(ledgers.get(d, empty)) for d, p in self.partitions.items()]
        return np.concatenate(blocks) if blocks else np.zeros((0, 3), dtype=np.int64)


def build_clusters(
    gold: Mapping[str, DocAnnotations], texts: Mapping[str, str], unit: str = "paragraph"
) -> Clusters:
    """The clusters of ``unit`` over the gold documents (see the module docstring)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)} (got {unit!r})")
    make = paragraph_partition if unit == "paragraph" else (lambda text, _gold: document_partition(text))
    return Clusters(unit, {d: make(texts[d], gold[d]) for d in sorted(gold)})
