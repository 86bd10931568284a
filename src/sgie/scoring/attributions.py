"""Attribution-layer scoring: roles (exact and token overlap), whole attributions, attributes,
nesting links.

What it does
    ``score_attributions(gold, pred, text, ungrounded)`` scores one document and returns
    ``AttributionCounts`` (adds up over documents). An attribution has three roles, each a
    region (``sgie.scoring.matching``): ``cue`` and ``content`` (one or more spans) and
    ``source`` (zero or more spans; empty when ``source_type`` is ``none``).

    * **Role exact F1** (per role) -- the non-empty regions of that role, gold vs predicted,
      aligned one-to-one under ``EXACT`` (each role aligned on its own).
    * **Role token-overlap F1** (per role; the PARC 3.0 / Citron convention) -- the document is
      tokenised with ``TOKEN_PATTERN`` (``\\w+|[^\\w\\s]``); a region's tokens are those whose
      whole character range lies inside one of its spans. Regions are aligned one-to-one under
      ``OVERLAP``; for a matched pair, ``shared`` = tokens in both. Counts are summed token
      counts: ``tp = sum(shared)``, ``fp = (all predicted tokens) - tp``,
      ``fn = (all gold tokens) - tp``, so ``precision = shared / predicted tokens`` and
      ``recall = shared / gold tokens``. Unmatched regions contribute all their tokens to their
      side. (Precision is measured against the *prediction*: Citron's evaluation script swapped
      the two denominators; a test guards against that.)
    * **Whole-attribution F1** -- an attribution matches if cue, source and content *all* match:
      ``exact`` (each role the same ranges) or ``overlap`` (each role shares a code point); an
      absent source matches only an absent source. One-to-one.
    * **Source-and-content F1** (the leaderboard headline, ``sgie.scoring.layers``: who said
      what) -- a predicted attribution matches a gold one if their sources overlap (or both are
      absent) and their contents' token sets have Dice ``2|G & P| / (|G| + |P|) >=
      CONTENT_DICE`` (1/2; ``content_covers``, integer arithmetic); the cue is not required.
      One-to-one (``align_source_content``).
    * **Attribute accuracy** (``quote_type``, ``source_type``) -- agreement over the pairs of the
      whole-attribution ``overlap`` alignment (ties between equally good alignments go to the
      pairing agreeing on more attributes); ``null`` if nothing matched.
    * **Nesting-link F1** -- a link is (attribution, the attribution it is ``nested_in``, i.e.
      ``parent_id``). A predicted link is a true positive if both its ends are paired with the
      two ends of a gold link by the whole-attribution alignment (``exact`` and ``overlap``
      variants).
    * **Ungrounded** predicted attributions (``sgie.scoring.grounding``) are false positives in
      whole-attribution and source-and-content F1, in the exact F1 of each role they fill, in
      token-overlap F1 with the tokens of their span strings, and in nesting F1 if they have a
      parent.

What it does not do
    No matching logic of its own (``sgie.scoring.matching``), no rendering.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence

import msgspec

from sgie.records import Attribution, JSONObject
from sgie.scoring.counts import PRF, Accuracy, add_maps, frozen_map
from sgie.scoring.matching import (
    EXACT,
    OVERLAP,
    SPAN_MATCHES,
    Alignment,
    Region,
    SpanMatch,
    align,
    align_tuples,
    ranges,
)
from sgie.scoring.outcomes import ItemOutcome, ItemRef, Mismatch

TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")
ROLES: tuple[str, ...] = ("cue", "source", "content")
ATTRIBUTES: tuple[str, ...] = ("quote_type", "source_type")
CONTENT_DICE: tuple[int, int] = (1, 2)  # a content covers the gold content at token Dice >= 1/2


def tokenize(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the tokens of ``text`` (``TOKEN_PATTERN``), in order."""
    return tuple(m.span() for m in TOKEN_PATTERN.finditer(text))


def region_tokens(tokens: Sequence[tuple[int, int]], region: Region) -> frozenset[int]:
    """Indices of the tokens lying wholly inside one of the region's spans."""
    starts = [t[0] for t in tokens]
    out: set[int] = set()
    for span in region:
        i = bisect_left(starts, span.start)
        while i < len(tokens) and tokens[i][0] < span.end:
            if tokens[i][1] <= span.end:
                out.add(i)
            i += 1
    return frozenset(out)


class RoleScores(msgspec.Struct, frozen=True):
    """Exact-match and token-overlap counts of one role."""

    exact: PRF
    token: PRF

    def __add__(self, other: RoleScores) -> RoleScores:
        return RoleScores(self.exact + other.exact, self.token + other.token)

    def to_json(self) -> JSONObject:
        return {"exact": self.exact.to_json(), "token": self.token.to_json()}


class AttributionCounts(msgspec.Struct, frozen=True):
    roles: Mapping[str, RoleScores]  # "cue", "source", "content"
    whole: Mapping[str, PRF]  # "exact", "overlap"
    attributes: Mapping[str, Accuracy]  # "quote_type", "source_type"
    nesting: Mapping[str, PRF]  # "exact", "overlap"
    source_content: PRF = PRF()  # same source, content token Dice >= 1/2 (the headline)

    def __add__(self, other: AttributionCounts) -> AttributionCounts:
        return AttributionCounts(
            add_maps(self.roles, other.roles),
            add_maps(self.whole, other.whole),
            add_maps(self.attributes, other.attributes),
            add_maps(self.nesting, other.nesting),
            self.source_content + other.source_content,
        )

    def to_json(self) -> JSONObject:
        return {
            "roles": {k: v.to_json() for k, v in self.roles.items()},
            "whole": {k: v.to_json() for k, v in self.whole.items()},
            "source_content": self.source_content.to_json(),
            "attributes": {k: v.to_json() for k, v in self.attributes.items()},
            "nesting": {k: v.to_json() for k, v in self.nesting.items()},
        }


def _regions(a: Attribution) -> tuple[Region, Region, Region]:
    return (a.cue, a.source, a.content)


RegionKey = tuple[tuple[tuple[int, int], ...], ...]


def _region_key(a: Attribution) -> RegionKey:
    return tuple(ranges(r) for r in _regions(a))


def canonical(items: Sequence[Attribution]) -> list[Attribution]:
    """Attributions in content order (ids excluded; a parent counts by its content)."""
    by_id = {a.id: a for a in items}

    def key(a: Attribution) -> tuple[RegionKey, str, str, RegionKey]:
        parent = by_id.get(a.parent_id) if a.parent_id is not None else None
        return (_region_key(a), a.quote_type, a.source_type,
                _region_key(parent) if parent is not None else ())  # fmt: skip

    return sorted(items, key=key)


def _agreement(g: Attribution, p: Attribution) -> int:
    return sum(getattr(g, a) == getattr(p, a) for a in ATTRIBUTES)


def align_attributions(
    gold: Sequence[Attribution], pred: Sequence[Attribution], match: SpanMatch
) -> Alignment:
    """Whole-attribution one-to-one alignment: cue, source and content all match."""
    return align_tuples(
        [_regions(a) for a in gold], [_regions(a) for a in pred], match,
        prefer=lambda g, p: _agreement(gold[g], pred[p]), prefer_max=len(ATTRIBUTES),
    )  # fmt: skip


def content_covers(gold_tokens: frozenset[int], pred_tokens: frozenset[int]) -> bool:
    """Whether a predicted content covers a gold content well: token Dice
    ``2 |G & P| / (|G| + |P|) >= CONTENT_DICE`` (exact integer arithmetic)."""
    num, den = CONTENT_DICE
    return 2 * len(gold_tokens & pred_tokens) * den >= num * (len(gold_tokens) + len(pred_tokens))


def align_source_content(
    gold: Sequence[Attribution], pred: Sequence[Attribution], tokens: Sequence[tuple[int, int]]
) -> Alignment:
    """Who said what: one-to-one alignment of attributions whose sources overlap (or are both
    absent) and whose contents overlap with token Dice >= ``CONTENT_DICE`` (``content_covers``);
    ties go to the pairing agreeing on more attributes."""
    g_tok = [region_tokens(tokens, a.content) for a in gold]
    p_tok = [region_tokens(tokens, a.content) for a in pred]
    return align(
        [a.content for a in gold], [a.content for a in pred], OVERLAP,
        compatible=lambda g, p: OVERLAP(gold[g].source, pred[p].source)
        and content_covers(g_tok[g], p_tok[p]),
        prefer=lambda g, p: _agreement(gold[g], pred[p]), prefer_max=len(ATTRIBUTES),
    )  # fmt: skip


def _links(items: Sequence[Attribution]) -> list[tuple[int, int | None]]:
    """(child index, parent index or None if the parent is not among ``items``)."""
    index = {a.id: i for i, a in enumerate(items)}
    return [(i, index.get(a.parent_id)) for i, a in enumerate(items) if a.parent_id is not None]


def _nesting(
    gold: Sequence[Attribution], pred: Sequence[Attribution], alignment: Alignment
) -> PRF:
    gold_links = _links(gold)
    pred_links = {link for link in _links(pred) if link[1] is not None}
    n_pred = len(_links(pred))
    pred_of = alignment.pred_of
    tp = sum(1 for c, p in gold_links
             if c in pred_of and p in pred_of and (pred_of[c], pred_of[p]) in pred_links)  # fmt: skip
    return PRF(tp, n_pred - tp, len(gold_links) - tp)


def _filled(role: str, items: Sequence[Attribution]) -> list[tuple[Attribution, Region]]:
    """The attributions with a non-empty region in ``role``, with that region."""
    return [(a, r) for a in items if (r := getattr(a, role))]


def _role(
    role: str,
    gold: Sequence[Attribution],
    pred: Sequence[Attribution],
    ungrounded: Sequence[Attribution],
    tokens: Sequence[tuple[int, int]],
) -> RoleScores:
    g = [r for _, r in _filled(role, gold)]
    p = [r for _, r in _filled(role, pred)]
    lost = [r for _, r in _filled(role, ungrounded)]
    exact = align(g, p, EXACT).prf + PRF(fp=len(lost))
    g_tok = [region_tokens(tokens, r) for r in g]
    p_tok = [region_tokens(tokens, r) for r in p]
    alignment = align(g, p, OVERLAP)
    shared = sum(len(g_tok[i] & p_tok[j]) for i, j in alignment.pairs)
    lost_tokens = sum(len(tokenize(s.text)) for r in lost for s in r)
    n_pred = sum(len(t) for t in p_tok) + lost_tokens
    n_gold = sum(len(t) for t in g_tok)
    return RoleScores(exact, PRF(shared, n_pred - shared, n_gold - shared))


def score_attributions(
    gold: Sequence[Attribution],
    pred: Sequence[Attribution],
    text: str,
    ungrounded: Sequence[Attribution] = (),
) -> AttributionCounts:
    """Counts of one document's predicted attributions against its gold attributions.

    ``text`` is the document text (for tokens). ``ungrounded`` are predicted attributions with
    a span whose text could not be placed; their spans' offsets are placeholders, only their
    strings are used (for token counts).
    """
    gold = canonical(gold)
    pred = canonical(pred)
    tokens = tokenize(text)
    roles = {role: _role(role, gold, pred, ungrounded, tokens) for role in ROLES}
    n_lost = len(ungrounded)
    lost_links = sum(1 for a in ungrounded if a.parent_id is not None)
    whole, nesting = {}, {}
    alignments = {m.name: align_attributions(gold, pred, m) for m in SPAN_MATCHES}
    for name, alignment in alignments.items():
        whole[name] = alignment.prf + PRF(fp=n_lost)
        nesting[name] = _nesting(gold, pred, alignment) + PRF(fp=lost_links)
    matched = alignments[OVERLAP.name]
    attributes = {
        attr: Accuracy(sum(getattr(gold[g], attr) == getattr(pred[p], attr)
                           for g, p in matched.pairs), len(matched.pairs))  # fmt: skip
        for attr in ATTRIBUTES
    }
    return AttributionCounts(
        frozen_map(roles.items()), frozen_map(whole.items()),
        frozen_map(attributes.items()), frozen_map(nesting.items()),
        align_source_content(gold, pred, tokens).prf + PRF(fp=n_lost),
    )  # fmt: skip


def empty_attribution_counts() -> AttributionCounts:
    """The zero of ``AttributionCounts``."""
    return score_attributions((), (), "")


_MISMATCH: dict[str, Mismatch] = {"cue": "cue", "source": "source", "content": "content",
                                  "quote_type": "quote_type", "source_type": "source_type"}  # fmt: skip


def _ref(a: Attribution, spans: Region | None = None, label: str | None = None) -> ItemRef:
    return ItemRef(a.id, a.quote_type if label is None else label,
                   (*a.cue, *a.source, *a.content) if spans is None else spans)  # fmt: skip


def _whole_differences(
    g: Attribution, p: Attribution, gold: Sequence[Attribution], pred: Sequence[Attribution],
    alignment: Alignment,
) -> tuple[Mismatch, ...]:
    """What differs in a paired attribution: each role whose ranges differ, the attributes, and
    the parent (not paired with the gold parent by the same alignment)."""
    out: list[Mismatch] = []
    for role, a, b in zip(ROLES, _regions(g), _regions(p), strict=True):
        if ranges(a) != ranges(b):
            out.append(_MISMATCH[role])
    out += [_MISMATCH[attr] for attr in ATTRIBUTES if getattr(g, attr) != getattr(p, attr)]
    g_index = {a.id: i for i, a in enumerate(gold)}
    p_index = {a.id: i for i, a in enumerate(pred)}
    g_parent = g_index.get(g.parent_id) if g.parent_id is not None else None
    p_parent = p_index.get(p.parent_id) if p.parent_id is not None else None
    if (g_parent is None) != (p_parent is None) or (
        g_parent is not None and alignment.pred_of.get(g_parent) != p_parent
    ):
        out.append("parent")
    return tuple(out)


def attribution_outcomes(
    gold: Sequence[Attribution],
    pred: Sequence[Attribution],
    text: str,
    ungrounded: Sequence[Attribution] = (),
) -> tuple[ItemOutcome, ...]:
    """Every gold and predicted attribution's outcome under each scheme
    (``sgie.scoring.outcomes``), from the alignments the counts are made of:
    ``whole.exact``, ``whole.overlap`` and ``source_content`` (what differs: the roles whose
    ranges differ, quote_type, source_type, parent) and ``roles.<role>.exact`` for each role."""
    gold = canonical(gold)
    pred = canonical(pred)
    out: list[ItemOutcome] = []
    schemes = [(f"whole.{m.name}", align_attributions(gold, pred, m)) for m in SPAN_MATCHES]
    schemes.append(("source_content", align_source_content(gold, pred, tokenize(text))))
    for scheme, alignment in schemes:
        pred_of = alignment.pred_of
        for i, g in enumerate(gold):
            j = pred_of.get(i)
            out.append(ItemOutcome(scheme, "missed", _ref(g), None) if j is None else
                       ItemOutcome(scheme, "correct", _ref(g), _ref(pred[j]),
                                   _whole_differences(g, pred[j], gold, pred, alignment)))  # fmt: skip
        out += [ItemOutcome(scheme, "spurious", None, _ref(pred[j])) for j in alignment.unmatched_pred]
        out += [ItemOutcome(scheme, "spurious", None, _ref(a, ()), ("ungrounded",))
                for a in ungrounded]  # fmt: skip
    for role in ROLES:
        scheme = f"roles.{role}.exact"
        g_items, p_items = _filled(role, gold), _filled(role, pred)
        alignment = align([r for _, r in g_items], [r for _, r in p_items], EXACT)
        pred_of = alignment.pred_of
        for i, (g, r) in enumerate(g_items):
            j = pred_of.get(i)
            gold_ref = _ref(g, r, role)
            out.append(ItemOutcome(scheme, "missed", gold_ref, None) if j is None else
                       ItemOutcome(scheme, "correct", gold_ref, _ref(*p_items[j], role)))  # fmt: skip
        out += [ItemOutcome(scheme, "spurious", None, _ref(*p_items[j], role))
                for j in alignment.unmatched_pred]  # fmt: skip
        out += [ItemOutcome(scheme, "spurious", None, _ref(a, (), role), ("ungrounded",))
                for a, _ in _filled(role, ungrounded)]  # fmt: skip
    return tuple(out)
