"""Count objects that add up, with precision, recall, F1 and accuracy derived from them.

What it does
    Three frozen count types, each closed under ``+`` so that corpus counts are the sum of
    per-document counts (and a bootstrap resample is the sum of the sampled documents):

    * ``PRF(tp, fp, fn)`` -- true positives, false positives, false negatives;
    * ``SemEvalCounts(correct, incorrect, partial, missed, spurious)`` -- the five MUC/SemEval-2013
      counts of an entity matching scheme (``sgie.scoring.semeval``);
    * ``Accuracy(correct, total)`` -- agreement on an attribute over matched pairs.

    ``semeval_json(correct, incorrect, partial, missed, spurious)`` is the JSON block of
    ``SemEvalCounts(...).to_json()`` for callers that hold the five counts as plain ints
    (``sgie.scoring.entities`` stores its counts flat); ``SemEvalCounts.to_json`` is built by it.

    Metrics are derived properties, never stored (spaCy's ``PRFScore`` model). A metric that is
    undefined is ``None`` (JSON ``null``) and ``reasons`` says why; it is never 0 and never
    computed with an epsilon:

    * precision is undefined when nothing was predicted (``"no predicted items"``);
    * recall is undefined when there is no gold item (``"no gold items"``);
    * F1 is undefined when there is no gold item; with gold items and no predictions it is 0
      (recall is 0; precision is ``None``). Otherwise ``F1 = 2*(P*R)/(P+R)``, and 0 when
      nothing is right;
    * accuracy is undefined when no pair was matched (``"no matched pairs"``).

    SemEval-2013 (Segura-Bedmar et al., 2013; MUC-5): ``POS = COR+INC+PAR+MIS`` (possible),
    ``ACT = COR+INC+PAR+SPU`` (actual), ``P = (COR + 0.5*PAR)/ACT``, ``R = (COR + 0.5*PAR)/POS``.
    The half credit only ever applies in the ``partial`` scheme (the others never produce PAR),
    so one formula serves all four schemes, exactly as nervaluate computes it.

What it does not do
    No matching (``sgie.scoring.matching``), no rendering (``sgie.scoring.report``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Protocol, TypeVar

import msgspec

from sgie.records import JSON, JSONObject

NO_PREDICTIONS = "no predicted items"
NO_GOLD = "no gold items"
NO_MATCHES = "no matched pairs"
NO_TYPES = "no type has gold items"


def _f1(precision: float | None, recall: float | None, credit: float) -> float | None:
    """F1 from precision and recall, given the shared numerator ``credit`` (see module doc)."""
    if recall is None:
        return None
    if credit == 0 or precision is None:
        return 0.0
    return 2 * (precision * recall) / (precision + recall)


def _metrics(credit: float, predicted: int, gold: int) -> tuple[float | None, float | None, float | None]:
    """``(precision, recall, F1)``: precision = credit / predicted, recall = credit / gold
    (``None`` when the denominator is 0), F1 from both (``_f1``)."""
    precision = credit / predicted if predicted else None
    recall = credit / gold if gold else None
    return precision, recall, _f1(precision, recall, credit)


def _reasons(precision: float | None, recall: float | None) -> dict[str, JSON]:
    """Why each undefined metric is undefined (empty when all are defined)."""
    out: dict[str, JSON] = {}
    if precision is None:
        out["precision"] = NO_PREDICTIONS
    if recall is None:
        out["recall"] = NO_GOLD
        out["f1"] = NO_GOLD
    return out


class _Derived:
    """Precision, recall, F1 and their undefined-reasons, derived once for every count type
    from ``_basis() = (credit, predicted, gold)`` by ``_metrics`` and ``_reasons``."""

    def _basis(self) -> tuple[float, int, int]:
        raise NotImplementedError

    @property
    def precision(self) -> float | None:
        return _metrics(*self._basis())[0]

    @property
    def recall(self) -> float | None:
        return _metrics(*self._basis())[1]

    @property
    def f1(self) -> float | None:
        return _metrics(*self._basis())[2]

    @property
    def reasons(self) -> dict[str, JSON]:
        """Why each undefined metric is undefined (empty when all are defined)."""
        precision, recall, _ = _metrics(*self._basis())
        return _reasons(precision, recall)


class PRF(msgspec.Struct, _Derived, frozen=True):
    """True positive, false positive and false negative counts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    def _basis(self) -> tuple[float, int, int]:
        return self.tp, self.predicted, self.gold

    def to_json(self) -> JSONObject:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1, "reason": self.reasons}  # fmt: skip


class SemEvalCounts(msgspec.Struct, _Derived, frozen=True):
    """The five SemEval-2013 counts of one entity matching scheme."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: SemEvalCounts) -> SemEvalCounts:
        return SemEvalCounts(self.correct + other.correct, self.incorrect + other.incorrect,
                             self.partial + other.partial, self.missed + other.missed,
                             self.spurious + other.spurious)  # fmt: skip

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def credit(self) -> float:
        return self.correct + 0.5 * self.partial

    def _basis(self) -> tuple[float, int, int]:
        return self.credit, self.actual, self.possible

    def to_json(self) -> JSONObject:
        return semeval_json(self.correct, self.incorrect, self.partial, self.missed, self.spurious)


#: The five stored counts of ``SemEvalCounts``, in field (and JSON) order.
SEMEVAL_FIELDS: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")


def semeval_json(correct: int, incorrect: int, partial: int, missed: int, spurious: int) -> JSONObject:
    """``SemEvalCounts(correct, incorrect, partial, missed, spurious).to_json()``, without building
    the object and deriving each metric once (callers holding counts as plain ints use it)."""
    possible = correct + incorrect + partial + missed
    actual = correct + incorrect + partial + spurious
    precision, recall, f1 = _metrics(correct + 0.5 * partial, actual, possible)
    return {
        "correct": correct, "incorrect": incorrect, "partial": partial, "missed": missed,
        "spurious": spurious, "possible": possible, "actual": actual, "precision": precision,
        "recall": recall, "f1": f1, "reason": _reasons(precision, recall),
    }  # fmt: skip


class Accuracy(msgspec.Struct, frozen=True):
    """How many matched pairs agree on an attribute, out of all matched pairs."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def reasons(self) -> dict[str, JSON]:
        return {} if self.total else {"accuracy": NO_MATCHES}

    def to_json(self) -> JSONObject:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy,
                "reason": self.reasons}  # fmt: skip


_A = TypeVar("_A", bound="_Addable")


class _Addable(Protocol):
    def __add__(self: _A, other: _A, /) -> _A: ...


def add_maps(a: Mapping[str, _A], b: Mapping[str, _A]) -> Mapping[str, _A]:
    """Key-wise sum of two count mappings with the same keys (read-only result)."""
    if a.keys() != b.keys():
        raise ValueError(f"cannot add counts with different keys {sorted(a)} and {sorted(b)}")
    return MappingProxyType({k: a[k] + b[k] for k in a})


def frozen_map(items: Iterable[tuple[str, _A]]) -> Mapping[str, _A]:
    """A read-only mapping (count records hold these so they stay immutable)."""
    return MappingProxyType(dict(items))


def macro_f1(values: Iterable[float | None]) -> float | None:
    """Unweighted mean of the defined F1 values; ``None`` if none is defined (``NO_TYPES``)."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
