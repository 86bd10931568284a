"""BIO encoding and decoding of entity spans over tokens, and the token-alignment report.

What it does
    The ``ner`` config tags every token of a paragraph (``sgie.dataset.tokenize``) with one of
    ``BIO_NAMES``: ``O``, then ``B-<label>`` / ``I-<label>`` for every entity label of
    ``sgie.schema.ENTITY_LABELS``, in schema order (the ClassLabel names of ``ner_tags``).

    * ``encode(tokens, spans)`` tags a set of non-overlapping spans whose start is a token start
      and whose end is a token end (``ValueError`` otherwise);
    * ``decode(tokens, tags)`` reads the spans back (a ``B-X`` opens a span, ``I-X`` continues
      a span of label ``X`` and, as in conlleval, opens one after ``O`` or another label;
      ``O`` closes). ``decode(tokens, encode(tokens, spans)) == spans`` for every such set;
    * ``align(doc_id, text, entities)`` sorts a document's gold entities into those that can be
      tagged (inside one paragraph, starting at a token start and ending at a token end) and
      ``Misaligned`` ones, each with the reason; misaligned entities get no tags (tagging them
      would decode to a span that is not the gold span) and are listed by ``sgie build`` and
      in the dataset card.

What it does not do
    No tokenisation rules (``tokenize``), no row layout (``rows``), no scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sgie import schema
from sgie.dataset.tokenize import Paragraph, Token, paragraphs, tokenize
from sgie.records import Entity

OUTSIDE = "O"
BIO_NAMES: tuple[str, ...] = (
    OUTSIDE,
    *(f"{prefix}-{label}" for label in schema.ENTITY_LABELS for prefix in ("B", "I")),
)


@dataclass(frozen=True, order=True)
class TaggedSpan:
    """A character span with an entity label (offsets as the tokens')."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Misaligned:
    """A gold entity that cannot be tagged, and why."""

    doc_id: str
    entity_id: str
    start: int
    end: int
    label: str
    text: str
    reason: str


@dataclass(frozen=True)
class Alignment:
    """A document's paragraphs, their tokens, and the entities that fit each paragraph."""

    doc_id: str
    paragraphs: tuple[Paragraph, ...]
    tokens: tuple[tuple[Token, ...], ...]  # per paragraph, document offsets
    spans: tuple[tuple[TaggedSpan, ...], ...]  # per paragraph, document offsets
    misaligned: tuple[Misaligned, ...]


def encode(tokens: Sequence[Token], spans: Sequence[TaggedSpan]) -> tuple[str, ...]:
    """BIO tags of ``tokens`` for ``spans`` (token-aligned, non-overlapping)."""
    tags = [OUTSIDE] * len(tokens)
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    index_of_end = {t.end: i for i, t in enumerate(tokens)}
    for span in sorted(spans):
        if span.label not in schema.ENTITY_LABELS:
            raise ValueError(f"label must be one of {list(schema.ENTITY_LABELS)} (got {span.label!r})")
        first, last = index_of_start.get(span.start), index_of_end.get(span.end)
        if first is None or last is None or last < first:
            raise ValueError(f"span {span.start}..{span.end} must start and end on token boundaries")
        if any(tag != OUTSIDE for tag in tags[first : last + 1]):
            raise ValueError(f"span {span.start}..{span.end} overlaps another span")
        tags[first] = f"B-{span.label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{span.label}"
    return tuple(tags)


def decode(tokens: Sequence[Token], tags: Sequence[str]) -> tuple[TaggedSpan, ...]:
    """The spans that BIO ``tags`` mark on ``tokens`` (conlleval-style for stray ``I-``)."""
    if len(tokens) != len(tags):
        raise ValueError(f"tags must be one per token (got {len(tags)} for {len(tokens)})")
    spans: list[TaggedSpan] = []
    open_label: str | None = None
    open_start = open_end = 0
    for token, tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if tag == OUTSIDE or prefix == "B" or (prefix == "I" and label != open_label):
            if open_label is not None:
                spans.append(TaggedSpan(open_start, open_end, open_label))
                open_label = None
        if prefix in ("B", "I") and open_label is None:
            open_label, open_start = label, token.start
        if open_label is not None:
            open_end = token.end
    if open_label is not None:
        spans.append(TaggedSpan(open_start, open_end, open_label))
    return tuple(spans)


def _misaligned(doc_id: str, e: Entity, reason: str) -> Misaligned:
    return Misaligned(doc_id, e.id, e.span.start, e.span.end, e.label, e.span.text, reason)


def align(doc_id: str, text: str, entities: Sequence[Entity]) -> Alignment:
    """Split ``entities`` into per-paragraph taggable spans and misaligned ones."""
    paras = paragraphs(text)
    tokens = tuple(tokenize(p.text, p.start) for p in paras)
    spans: list[list[TaggedSpan]] = [[] for _ in paras]
    bad: list[Misaligned] = []
    for e in sorted(entities, key=lambda e: (e.span.start, e.span.end, e.id)):
        s, t = e.span.start, e.span.end
        k = next((i for i, p in enumerate(paras) if p.start <= s < p.end), None)
        if k is None:
            bad.append(_misaligned(doc_id, e, "starts outside every paragraph (in whitespace)"))
            continue
        if t > paras[k].end:
            bad.append(_misaligned(doc_id, e, "crosses a paragraph (line) boundary"))
            continue
        starts = {tok.start for tok in tokens[k]}
        ends = {tok.end for tok in tokens[k]}
        if s not in starts or t not in ends:
            inside = [tok.text for tok in tokens[k] if tok.start < t and s < tok.end]
            which = " and ".join(w for w, ok in (("start", s in starts), ("end", t in ends)) if not ok)
            bad.append(_misaligned(doc_id, e, f"{which} inside a token (tokens {inside})"))
            continue
        spans[k].append(TaggedSpan(s, t, e.label))
    return Alignment(doc_id, paras, tokens, tuple(tuple(x) for x in spans), tuple(bad))
