"""The leaderboard computation: score every submission, bootstrap, rank, mark ties, write.

What it does
    ``analyse(gold, submissions, settings, unit)`` scores each submission with the official
    scorer (``sgie.scoring.official``), splits the test set into resampling clusters
    (``sgie.leaderboard.clusters``), draws the shared resamples once and computes every
    system's headline intervals and every pair's paired tests (``sgie.leaderboard.bootstrap``),
    then ranks the ranked systems per metric and marks statistically tied neighbours
    (``sgie.leaderboard.ranking``), and returns a ``Leaderboard`` (``sgie.leaderboard.model``).

What it does not do
    No files (``sgie.leaderboard.outputs``), no argument parsing or printing
    (``sgie.commands.leaderboard``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import numpy as np

from sgie.leaderboard.bootstrap import Comparison, Interval, Settings, compare, draw, system_intervals
from sgie.leaderboard.clusters import System, build_clusters
from sgie.leaderboard.headline import LAYERS, METRICS, official_f1, vector
from sgie.leaderboard.model import Dataset, Entry, Leaderboard
from sgie.leaderboard.ranking import rank, ties
from sgie.leaderboard.submissions import Submission
from sgie.scoring.gold import GoldSet
from sgie.scoring.official import evaluate


def dataset_version() -> str:
    """``sgie.dataset.version.DATASET_VERSION`` if that module is present, else the package's."""
    try:
        from sgie.dataset.version import DATASET_VERSION
    except ImportError:
        import sgie

        return sgie.__version__
    return str(DATASET_VERSION)


def gold_sha256(gold: GoldSet) -> str:
    """sha256 of the canonical JSON of the gold records (documents format, by id) -- the
    construction of the dataset's ``gold`` hash, over the scored documents only."""
    records = [gold.docs[k].to_json() for k in sorted(gold.docs)]
    data = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def describe_dataset(gold: GoldSet, split: str = "test") -> Dataset:
    return Dataset(dataset_version(), split, tuple(sorted(gold.docs)), gold_sha256(gold), gold.source)


def analyse(
    gold: GoldSet,
    submissions: Sequence[Submission],
    settings: Settings | None = None,
    unit: str = "paragraph",
    dataset: Dataset | None = None,
) -> Leaderboard:
    """Score, bootstrap, rank and mark ties (see the module docstring)."""
    settings = settings or Settings()
    dataset = dataset or describe_dataset(gold)
    subs = sorted(submissions, key=lambda s: s.id)
    results = {
        s.id: evaluate(gold.docs, s.predictions.docs, gold.texts, ungrounded=s.predictions.ungrounded,
                       gold_source=dataset.gold_source,
                       predictions_source=f"submissions/{s.id}/predictions.jsonl")
        for s in subs
    }  # fmt: skip
    systems = [System(s.id, s.predictions.docs, s.predictions.ungrounded) for s in subs]
    clusters = build_clusters(gold.docs, gold.texts, systems, unit,
                              {k: r.per_document for k, r in results.items()},
                              {k: r.layers for k, r in results.items()})
    strata = list(clusters.sizes().values())
    draws = draw(strata, settings)
    vectors: dict[str, dict[str, np.ndarray | None]] = {}
    intervals: dict[str, dict[str, Interval | None]] = {}
    for s in subs:
        r = results[s.id]
        vectors[s.id] = {
            k: np.array([vector(c, k) for c in clusters.counts[s.id]], dtype=np.int64).reshape(-1, 3)
            if r.layers[k].scored else None
            for k in LAYERS
        }  # fmt: skip
        intervals[s.id] = system_intervals(vectors[s.id], draws, settings)
        for k in LAYERS:
            i = intervals[s.id][k]
            if i is not None and i.point != official_f1(r.total, k):
                raise RuntimeError(f"headline {k} of {s.id}: {i.point} != scorer {official_f1(r.total, k)}")
    comparisons: dict[tuple[str, str], Mapping[str, Comparison | None]] = {}
    for i, a in enumerate(subs):
        for b in subs[i + 1 :]:
            c = compare(vectors[a.id], vectors[b.id], intervals[a.id], intervals[b.id], draws)
            comparisons[(a.id, b.id)] = c
            comparisons[(b.id, a.id)] = {m: None if x is None else Comparison(-x.delta, x.p_bootstrap,
                                                                              x.p_randomization)
                                         for m, x in c.items()}  # fmt: skip
    ranks: dict[str, dict[str, int | None]] = {s.id: {} for s in subs}
    tied: dict[str, dict[str, list[tuple[str, float]]]] = {s.id: {} for s in subs}
    for m in METRICS:
        points = {s.id: (intervals[s.id][m].point if intervals[s.id][m] is not None else None)  # type: ignore[union-attr]
                  for s in subs if s.info.ranked}  # fmt: skip
        ranked = rank(points)
        for k, r in ranked:
            ranks[k][m] = r

        def p_value(x: str, y: str, m: str = m) -> float | None:
            c = comparisons[(x, y)][m]
            return None if c is None else c.p_bootstrap

        marks = ties([k for k, _ in ranked], p_value, settings.alpha)
        for s in subs:
            ranks[s.id].setdefault(m, None)
            tied[s.id][m] = marks.get(s.id, [])
    entries = tuple(Entry(s, results[s.id], intervals[s.id], ranks[s.id], tied[s.id]) for s in subs)
    return Leaderboard(entries, comparisons, settings, clusters, dataset)
