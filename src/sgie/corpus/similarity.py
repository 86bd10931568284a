"""Near-duplication between corpus documents: word 5-gram Jaccard similarity.

What it does
    Lower-cases each document text, takes its ``\\w+`` word tokens, forms the set of word
    5-grams and computes the Jaccard index ``|A & B| / |A | B|`` for every pair of documents
    (also the containment ``|A & B| / min(|A|, |B|)``, which is not fooled by length
    differences). ``similarity_report`` is what ``sgie corpus similarity`` writes to
    ``corpus/similarity.json``.

    Threshold: ``NEAR_DUPLICATE_JACCARD = 0.01``. Independent news texts on the same topic
    share almost no five-word sequences (0 to 0.003 here), while two rewrites of one wire or
    newspaper story share quotations and stock phrases (001/002, both retelling one
    Financial Times report, score above 0.01). Any pair above the threshold must be in
    one split group; ``sgie corpus check`` and the tests enforce that no pair across splits
    exceeds it.

What it does not do
    No fuzzy or embedding similarity; measured on document texts (boilerplate excluded, which
    would otherwise make 000 and 004, from one website, look alike).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import TypedDict

NGRAM = 5
NEAR_DUPLICATE_JACCARD = 0.01
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = NGRAM) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def containment(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


class PairSimilarity(TypedDict):
    """The near-duplication numbers of two documents (``a`` < ``b``)."""

    a: str
    b: str
    shared_5grams: int
    jaccard: float
    containment: float


def pair_similarities(texts: Mapping[str, str]) -> list[PairSimilarity]:
    """One row per unordered document pair, in id order."""
    grams = {doc_id: shingles(t) for doc_id, t in sorted(texts.items())}
    rows: list[PairSimilarity] = []
    for a, b in itertools.combinations(sorted(grams), 2):
        rows.append(
            {
                "a": a,
                "b": b,
                "shared_5grams": len(grams[a] & grams[b]),
                "jaccard": round(jaccard(grams[a], grams[b]), 6),
                "containment": round(containment(grams[a], grams[b]), 6),
            }
        )
    return rows
