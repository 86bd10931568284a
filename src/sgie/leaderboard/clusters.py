r"""Resampling units for the bootstrap: documents, or paragraphs, with exact per-unit counts.

What it does
    The bootstrap (``sgie.leaderboard.bootstrap``) resamples *clusters* and sums their counts,
    so each cluster needs counts that add up to the official document counts exactly. Two
    units:

    * ``document`` -- one cluster per document; its counts are the official per-document
      counts (``Result.per_document``).
    * ``paragraph`` (the default) -- a document's clusters are its paragraphs, the non-blank
      lines of the text (lines are separated by ``"\n"``; in the test documents a paragraph,
      headline, byline or dateline is one line; the same unit as the dataset's ``ner`` config).
      Matching is one-to-one between overlapping items and every metric is a sum over matched
      pairs and unmatched items, so a document's counts split over any partition of its
      items that never separates two items that could interact. Paragraphs are therefore
      *merged* (union-find) wherever one item touches several of them: a span crossing a line
      break, a proposal and its arguments, an attribution's cue, source and content spans, an
      attribution and its parent (nesting). The merging runs over the gold **and every
      submission's** predictions, so all systems share one partition (the paired tests need
      the same resamples for every system); a new submission that links two paragraphs
      merges them for everyone. Items of a cluster are scored with the official
      ``score_document`` (same text, same layer status); text-only predictions that could not
      be grounded have no position and are counted in the document's first cluster.

    Each document's cluster counts are checked to sum to its official counts for every
    system; if that ever fails (it should not), the document is kept whole as one cluster and
    listed in ``Clusters.unsplit`` (the results say so).

What it does not do
    No resampling, no metrics (``sgie.leaderboard.bootstrap``, ``.headline``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sgie.records import DocAnnotations
from sgie.scoring.grounding import NOTHING_UNGROUNDED, Ungrounded
from sgie.scoring.official import evaluate, nothing_predicted, score_document
from sgie.scoring.result import DocumentCounts, LayerStatus, total
from sgie.spans import Span

UNITS: tuple[str, ...] = ("paragraph", "document")


@dataclass(frozen=True)
class System:
    """What the clustering needs of one system: its parsed predictions by document id."""

    id: str
    docs: Mapping[str, DocAnnotations]
    ungrounded: Mapping[str, Ungrounded]


@dataclass(frozen=True)
class Clusters:
    """A partition of the test set into clusters, and every system's counts per cluster."""

    unit: str
    documents: tuple[str, ...]  # document of each cluster, in cluster order (grouped by document)
    counts: Mapping[str, tuple[DocumentCounts, ...]]  # system id -> counts per cluster
    per_document: Mapping[str, Mapping[str, DocumentCounts]]  # system id -> official counts
    unsplit: tuple[str, ...] = ()  # documents kept whole because their split did not add up

    def sizes(self) -> dict[str, int]:
        """Number of clusters per document."""
        out: dict[str, int] = {}
        for d in self.documents:
            out[d] = out.get(d, 0) + 1
        return out


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, items: Iterable[int]) -> None:
        roots = sorted({self.find(i) for i in items})
        for r in roots[1:]:
            self.parent[r] = roots[0]


class _Lines:
    """Line numbers of code-point offsets of one text."""

    def __init__(self, text: str) -> None:
        self.breaks = [i for i, ch in enumerate(text) if ch == "\n"]
        self.nonblank = [n for n, line in enumerate(text.split("\n")) if line.strip()]

    def of(self, span: Span) -> range:
        first = bisect.bisect_left(self.breaks, span.start)
        last = bisect.bisect_left(self.breaks, max(span.start, span.end - 1))
        return range(first, last + 1)


def _item_lines(lines: _Lines, doc: DocAnnotations) -> list[list[int]]:
    """For each item of ``doc`` (every layer), the lines it touches, parents included."""
    groups: list[list[int]] = []
    for e in doc.entities or ():
        groups.append(list(lines.of(e.span)))
    for p in doc.proposals or ():
        groups.append([n for s in (p.span, *(a.span for a in p.arguments)) for n in lines.of(s)])
    atts = doc.attributions or ()
    own = {a.id: [n for r in (a.cue, a.source, a.content) for s in r for n in lines.of(s)] for a in atts}
    for a in atts:
        groups.append(own[a.id] + own.get(a.parent_id or "", []))
    return groups


def _restrict(doc: DocAnnotations, lines: _Lines, key: Mapping[int, int], cluster: int) -> DocAnnotations:
    def first(spans: Sequence[Span]) -> int:
        return lines.of(spans[0])[0]

    def pick(items, spans_of):  # type: ignore[no-untyped-def]
        if items is None:
            return None
        return tuple(x for x in items if key[first(spans_of(x))] == cluster)

    return DocAnnotations(
        doc.doc_id,
        pick(doc.entities, lambda e: (e.span,)),
        pick(doc.proposals, lambda p: (p.span,)),
        pick(doc.attributions, lambda a: (*a.cue, *a.source, *a.content)),
    )


def _paragraph_keys(text: str, docs: Sequence[DocAnnotations]) -> tuple[_Lines, dict[int, int], list[int]]:
    lines = _Lines(text)
    uf = _UnionFind()
    for n in lines.nonblank:
        uf.find(n)
    for doc in docs:
        for group in _item_lines(lines, doc):
            uf.union(group)
    key = {n: uf.find(n) for n in list(uf.parent)}
    order = sorted(set(key.values()))
    return lines, key, order


def build_clusters(
    gold: Mapping[str, DocAnnotations],
    texts: Mapping[str, str],
    systems: Sequence[System],
    unit: str = "paragraph",
    per_document: Mapping[str, Mapping[str, DocumentCounts]] | None = None,
    layers: Mapping[str, Mapping[str, LayerStatus]] | None = None,
) -> Clusters:
    """The clusters of ``unit`` over the gold documents, with every system's counts
    (``per_document`` and ``layers``: the systems' official per-document counts and layer
    statuses, ``Result.per_document`` and ``Result.layers``, if already computed)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)} (got {unit!r})")
    per_document = dict(per_document or {})
    layers = dict(layers or {})
    for s in systems:
        if s.id not in per_document or s.id not in layers:
            result = evaluate(gold, s.docs, texts, ungrounded=s.ungrounded)
            per_document[s.id], layers[s.id] = result.per_document, result.layers
    doc_ids = sorted(gold)
    if unit == "document":
        return Clusters(unit, tuple(doc_ids),
                        {s.id: tuple(per_document[s.id][d] for d in doc_ids) for s in systems},
                        per_document)  # fmt: skip
    documents: list[str] = []
    counts: dict[str, list[DocumentCounts]] = {s.id: [] for s in systems}
    unsplit = []
    for d in doc_ids:
        text = texts[d]
        docs = [gold[d], *(s.docs[d] for s in systems if d in s.docs)]
        lines, key, order = _paragraph_keys(text, docs)
        split: dict[str, list[DocumentCounts]] = {}
        for s in systems:
            pred = s.docs.get(d) or nothing_predicted(d, layers[s.id])
            lost = s.ungrounded.get(d, NOTHING_UNGROUNDED)
            split[s.id] = [
                score_document(_restrict(gold[d], lines, key, c), _restrict(pred, lines, key, c), text,
                               layers[s.id], lost if i == 0 else NOTHING_UNGROUNDED)
                for i, c in enumerate(order)
            ]  # fmt: skip
        if all(total(split[s.id]) == per_document[s.id][d] for s in systems) or not systems:
            documents += [d] * len(order)
            for s in systems:
                counts[s.id] += split[s.id]
        else:  # pragma: no cover - a safeguard; the decomposition is exact by construction
            unsplit.append(d)
            documents.append(d)
            for s in systems:
                counts[s.id].append(per_document[s.id][d])
    return Clusters(unit, tuple(documents), {k: tuple(v) for k, v in counts.items()}, per_document,
                    tuple(unsplit))  # fmt: skip
