"""The leaderboard's records: the dataset scored against, one entry per system, the whole board.

What it does
    Frozen records that ``sgie.leaderboard.build`` produces and the renderers
    (``sgie.leaderboard.render``, ``.results``, ``.plot``) and ``sgie.leaderboard.outputs``
    read: ``Dataset`` (version, split, documents, gold hash), ``Entry`` (a submission with its
    result, intervals, ranks and ties), ``Leaderboard`` (every entry, every pairwise
    comparison, the settings and clusters; ``order(metric)`` is the display order); and the
    names of the generated files. They sit below both sides, so that neither imports the other.

What it does not do
    No computation (``sgie.leaderboard.build``), no rendering, no files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sgie.leaderboard.bootstrap import Comparison, Interval, Settings
from sgie.leaderboard.clusters import Clusters
from sgie.leaderboard.submissions import Submission
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
