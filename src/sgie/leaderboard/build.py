"""The leaderboard computation: score every submission, bootstrap, rank, mark ties.

What it does
    ``analyse(gold, submissions, settings, unit, validation=...)`` scores each submission once
    with the official scorer (``sgie.scoring.official``), splits the test set into resampling
    clusters made from the gold alone (``sgie.leaderboard.clusters``) and sums each system's
    per-item headline outcomes per cluster, draws the shared resamples once and computes every
    system's headline intervals and every pair's paired tests (``sgie.leaderboard.bootstrap``),
    then ranks the ranked systems per metric and marks statistically tied neighbours
    (``sgie.leaderboard.ranking``), and returns a ``Leaderboard`` (``sgie.leaderboard.model``).
    With ``validation`` (the validation split's gold), systems with validation predictions are
    scored on it too (``Entry.validation``; not ranked).

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
from sgie.leaderboard.clusters import Ledger, build_clusters
from sgie.leaderboard.headline import LAYERS, METRICS, headline_scheme, ledger_of, official_f1, vector
from sgie.leaderboard.model import Dataset, Entry, Leaderboard, point_of
from sgie.leaderboard.ranking import rank, ties
from sgie.leaderboard.submissions import Submission
from sgie.scoring.gold import GoldSet
from sgie.scoring.official import evaluate
from sgie.scoring.result import Result


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
    validation: GoldSet | None = None,
) -> Leaderboard:
    """Score, bootstrap, rank and mark ties (see the module docstring); ``validation``: the
    validation split's gold, to score the systems' validation predictions too (not ranked)."""
    settings = settings or Settings()
    dataset = dataset or describe_dataset(gold)
    subs = sorted(submissions, key=lambda s: s.id)
    results = {
        s.id: evaluate(gold.docs, s.predictions.docs, gold.texts, ungrounded=s.predictions.ungrounded,
                       outcomes=True, gold_source=dataset.gold_source,
                       predictions_source=f"submissions/{s.id}/predictions.jsonl")
        for s in subs
    }  # fmt: skip
    clusters = build_clusters(gold.docs, gold.texts, unit)
    draws = draw(list(clusters.sizes().values()), settings)
    vectors: dict[str, dict[str, np.ndarray | None]] = {}
    intervals: dict[str, dict[str, Interval | None]] = {}
    for s in subs:
        r = results[s.id]
        vectors[s.id] = {k: clusters.vectors(_ledgers(s.id, r, k)) if r.layers[k].scored else None
                         for k in LAYERS}  # fmt: skip
        intervals[s.id] = system_intervals(vectors[s.id], draws, settings)
        for k in LAYERS:
            got = intervals[s.id][k]
            if got is not None and got.point != official_f1(r.total, k):
                raise RuntimeError(f"headline {k} of {s.id}: {got.point} != scorer {official_f1(r.total, k)}")
    comparisons: dict[tuple[str, str], Mapping[str, Comparison | None]] = {}
    for n, a in enumerate(subs):
        for b in subs[n + 1 :]:
            c = compare(vectors[a.id], vectors[b.id], intervals[a.id], intervals[b.id], draws)
            comparisons[(a.id, b.id)] = c
            comparisons[(b.id, a.id)] = {m: None if x is None else Comparison(-x.delta, x.p_bootstrap,
                                                                              x.p_randomization)
                                         for m, x in c.items()}  # fmt: skip
    ranks: dict[str, dict[str, int | None]] = {s.id: {} for s in subs}
    tied: dict[str, dict[str, list[tuple[str, float]]]] = {s.id: {} for s in subs}
    for m in METRICS:
        points = {s.id: point_of(intervals[s.id][m]) for s in subs if s.info.ranked}
        ranked = rank(points)
        for system_id, place in ranked:
            ranks[system_id][m] = place

        def p_value(x: str, y: str, m: str = m) -> float | None:
            c = comparisons[(x, y)][m]
            return None if c is None else c.p_bootstrap

        marks = ties([k for k, _ in ranked], p_value, settings.alpha)
        for s in subs:
            ranks[s.id].setdefault(m, None)
            tied[s.id][m] = marks.get(s.id, [])
    entries = tuple(Entry(s, results[s.id], intervals[s.id], ranks[s.id], tied[s.id],
                          _validation(s, validation)) for s in subs)  # fmt: skip
    return Leaderboard(entries, comparisons, settings, clusters, dataset)


def _validation(sub: Submission, gold: GoldSet | None) -> Result | None:
    p = sub.other_splits.get("validation")
    if gold is None or p is None:
        return None
    return evaluate(gold.docs, p.docs, gold.texts, ungrounded=p.ungrounded, gold_source=gold.source,
                    predictions_source=f"submissions/{sub.id}/predictions.validation.jsonl")  # fmt: skip


def _ledgers(system_id: str, result: Result, layer: str) -> dict[str, Ledger]:
    """Per document, the system's headline outcomes of ``layer`` from its one scoring pass,
    checked against its counts."""
    scheme = headline_scheme(layer)
    out = {}
    for d, counts in result.per_document.items():
        out[d] = ledger_of(result.outcomes[d].layer(layer) or (), scheme)
        if out[d].vector() != vector(counts, layer):
            raise RuntimeError(f"headline outcomes of {system_id} in {d} do not add up to its counts")
    return out
