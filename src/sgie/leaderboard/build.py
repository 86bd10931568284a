"""The leaderboard computation: score every submission, bootstrap, rank, mark ties, write.

What it does
    ``analyse(gold, submissions, settings, unit)`` scores each submission with the official
    scorer (``sgie.scoring.official``), splits the test set into resampling clusters
    (``sgie.leaderboard.clusters``), draws the shared resamples once and computes every
    system's headline intervals and every pair's paired tests (``sgie.leaderboard.bootstrap``),
    then ranks the ranked systems per metric and marks statistically tied neighbours
    (``sgie.leaderboard.ranking``). ``render_outputs`` turns the ``Leaderboard`` into the
    generated files (relative path -> bytes): ``LEADERBOARD.md``, ``results/<system>.json``,
    ``leaderboard.png``. ``write_outputs`` publishes them only after all are computed (each
    written atomically; result files of removed submissions are deleted); ``check_outputs``
    lists what a regeneration would change (text files byte for byte; the PNG by the hash of
    the plotted data it embeds, since PNG bytes depend on the matplotlib/FreeType build).

What it does not do
    No argument parsing or printing (``sgie.commands.leaderboard``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sgie.atomic import write_bytes_atomic
from sgie.leaderboard.bootstrap import Comparison, Interval, Settings, compare, draw, system_intervals
from sgie.leaderboard.clusters import Clusters, System, build_clusters
from sgie.leaderboard.headline import LAYERS, METRICS, official_f1, vector
from sgie.leaderboard.ranking import rank, ties
from sgie.leaderboard.submissions import Submission
from sgie.scoring.gold import GoldSet
from sgie.scoring.official import evaluate
from sgie.scoring.result import Result

LEADERBOARD_FILE = "LEADERBOARD.md"
PLOT_FILE = "leaderboard.png"
RESULTS_DIR = "results"


@dataclass(frozen=True)
class Dataset:
    """What was scored against: dataset version, split, documents and a hash of their gold."""

    version: str
    split: str
    documents: tuple[str, ...]
    gold_sha256: str
    gold_source: str

    def to_json(self) -> dict:
        return {"version": self.version, "split": self.split, "documents": list(self.documents),
                "gold_sha256": self.gold_sha256, "gold": self.gold_source}  # fmt: skip


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


@dataclass(frozen=True)
class Entry:
    """One system on the leaderboard."""

    submission: Submission
    result: Result
    intervals: Mapping[str, Interval | None]  # metric -> interval (None: not attempted/scored)
    ranks: Mapping[str, int | None]
    ties: Mapping[str, Sequence[tuple[str, float]]]

    @property
    def id(self) -> str:
        return self.submission.id


@dataclass(frozen=True)
class Leaderboard:
    entries: tuple[Entry, ...]  # by system id
    comparisons: Mapping[tuple[str, str], Mapping[str, Comparison | None]]  # every ordered pair
    settings: Settings
    clusters: Clusters
    dataset: Dataset

    def entry(self, system_id: str) -> Entry:
        return next(e for e in self.entries if e.id == system_id)

    def order(self, metric: str) -> list[Entry]:
        """Display order: unranked rows (the ceiling) first, then by rank, then the rest."""
        unranked = [e for e in self.entries if not e.submission.info.ranked]
        unranked.sort(key=lambda e: (-(_point(e, metric) if _point(e, metric) is not None else -1), e.id))
        ranked = sorted((e for e in self.entries if e.ranks.get(metric) is not None),
                        key=lambda e: (e.ranks[metric], e.id))  # fmt: skip
        rest = [e for e in self.entries if e.submission.info.ranked and e.ranks.get(metric) is None]
        return unranked + ranked + rest


def _point(entry: Entry, metric: str) -> float | None:
    i = entry.intervals.get(metric)
    return None if i is None else i.point


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


def render_outputs(lb: Leaderboard) -> dict[str, bytes]:
    """Every generated file, relative path -> content."""
    from sgie.leaderboard.plot import render_png
    from sgie.leaderboard.render import render_markdown
    from sgie.leaderboard.results import dumps_results

    out = {LEADERBOARD_FILE: render_markdown(lb).encode("utf-8")}
    for e in lb.entries:
        out[f"{RESULTS_DIR}/{e.id}.json"] = dumps_results(lb, e).encode("utf-8")
    out[PLOT_FILE] = render_png(lb)
    return out


def _stale(out_dir: Path, outputs: Mapping[str, bytes]) -> list[Path]:
    folder = out_dir / RESULTS_DIR
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.json")) if f"{RESULTS_DIR}/{p.name}" not in outputs]


def write_outputs(out_dir: Path, outputs: Mapping[str, bytes]) -> list[Path]:
    """Write every output (atomically each) and delete stale result files; the paths written.
    Files already holding the content are left alone, and so is a plot of the same data (its
    bytes may differ under another matplotlib/FreeType build; see ``check_outputs``)."""
    from sgie.leaderboard.plot import png_data_hash

    written = []
    for rel, data in outputs.items():
        path = out_dir / rel
        old = path.read_bytes() if path.is_file() else None
        same = old == data or (rel == PLOT_FILE and old is not None
                               and png_data_hash(old) == png_data_hash(data))  # fmt: skip
        if not same:
            write_bytes_atomic(path, data)
        written.append(path)
    for p in _stale(out_dir, outputs):
        p.unlink()
    return written


def check_outputs(out_dir: Path, outputs: Mapping[str, bytes]) -> list[str]:
    """What regenerating would change in ``out_dir`` (empty: the committed files are current)."""
    from sgie.leaderboard.plot import png_data_hash

    problems = []
    for rel, data in outputs.items():
        path = out_dir / rel
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif rel == PLOT_FILE:
            if png_data_hash(path.read_bytes()) != png_data_hash(data):
                problems.append(f"{path}: plots different data")
        elif path.read_bytes() != data:
            problems.append(f"{path}: differs from a regeneration")
    problems += [f"{p}: stale (no such submission)" for p in _stale(out_dir, outputs)]
    return problems
