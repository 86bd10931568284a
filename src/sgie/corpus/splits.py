"""Fixed, group-aware document splits and leave-one-group-out folds.

What it does
    The split of each document is data in the manifest (``split``), with its ``group``.
    Groups gather documents that report the same event from the same source, so that they are
    never on both sides of a split: 001 and 002 both retell one Financial Times report and form
    the group ``ft-2025-us-air-support``. The assignment (five documents, four groups):

    ========== ================ ==================================================
    split      documents        why
    ========== ================ ==================================================
    train      001, 002         the FT pair stays together; one clean, one republished
    validation 003              the noisy machine translation, for robustness checks
    test       000, 004         the two AFP wire pages with inset stories, the richest
                                attribution structure (nested, pronoun and document
                                sources), so the leaderboard is measured on most text
    ========== ================ ==================================================

    ``folds(corpus)`` gives scikit-learn ``LeaveOneGroupOut`` folds over the same groups for
    users who prefer cross-validation on a corpus this small; fold ``k`` tests group ``k`` in
    sorted group order. ``similarity_report`` records the near-duplication matrix and the pairs
    that cross splits above the threshold (``sgie.corpus.similarity``).

What it does not do
    It does not choose splits at random or re-balance them: changing a split is a dataset
    version change made in the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from sgie.corpus.manifest import Corpus
from sgie.corpus.similarity import NEAR_DUPLICATE_JACCARD, NGRAM, PairSimilarity, pair_similarities


@dataclass(frozen=True)
class Fold:
    index: int
    held_out_group: str
    train_ids: tuple[str, ...]
    test_ids: tuple[str, ...]


def folds(corpus: Corpus) -> tuple[Fold, ...]:
    """Leave-one-group-out folds (scikit-learn), in sorted order of the held-out group."""
    from sklearn.model_selection import LeaveOneGroupOut  # heavy: imported only when needed
    ids = [d.id for d in corpus.documents]
    groups = [d.record.group for d in corpus.documents]
    out = []
    for train, test in LeaveOneGroupOut().split(ids, groups=groups):
        held = groups[test[0]]
        out.append((held, tuple(ids[i] for i in train), tuple(ids[i] for i in test)))
    return tuple(Fold(k, g, tr, te) for k, (g, tr, te) in enumerate(sorted(out)))


def fold_of(corpus: Corpus) -> dict[str, int]:
    """Document id -> the fold in which it is held out."""
    return {doc_id: f.index for f in folds(corpus) for doc_id in f.test_ids}


class SimilarityReport(TypedDict):
    """The content of ``corpus/similarity.json``."""

    measure: str
    threshold: float
    pairs: list[PairSimilarity]
    violations: list[PairSimilarity]  # pairs above the threshold in different splits


def similarity_report(corpus: Corpus) -> SimilarityReport:
    """The content of ``corpus/similarity.json``."""
    split = {d.id: d.record.split for d in corpus.documents}
    pairs = pair_similarities(corpus.texts())
    violations = [
        p for p in pairs
        if split[p["a"]] != split[p["b"]] and p["jaccard"] > NEAR_DUPLICATE_JACCARD
    ]  # fmt: skip
    return {
        "measure": f"word {NGRAM}-gram Jaccard over lower-cased \\w+ tokens of document texts",
        "threshold": NEAR_DUPLICATE_JACCARD,
        "pairs": pairs,
        "violations": violations,
    }
