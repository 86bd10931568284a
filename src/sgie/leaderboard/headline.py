"""The leaderboard's headline metric of each layer, as count vectors that add up.

What it does
    One headline F1 per layer, as declared in ``sgie.scoring.layers`` (``Layer.headline``,
    ``Layer.result_path``; read there: entities strict micro-F1, proposals span overlap F1,
    attributions whole-attribution overlap F1, and ``overall``, the mean of the three for
    systems that attempt all three). The proposal's type, status and arguments and the
    attribution's roles are reported in full in each system's results file (``evaluation``),
    not ranked.

    ``vector(counts, layer)`` reduces a ``DocumentCounts`` to three integers
    ``(2 * credit, predicted, gold)`` (``Layer.vector``); vectors add up, and ``f1(vectors)``
    computes F1 from summed vectors with exactly the operations of ``sgie.scoring.counts``
    (``P = credit/predicted``, ``R = credit/gold``, ``2PR/(P+R)``, 0 when credit or
    predictions are 0, undefined -- NaN -- without gold items), vectorised with numpy so that
    a bootstrap of 10,000 resamples is a matrix product. On the full test set it equals the
    scorer's F1 bit for bit (tested).

    ``ledger(gold, pred, ungrounded, layer)`` gives one document's headline outcomes (each gold
    and predicted item with its position, and the matched pairs with their credit) for the
    cluster counts of ``sgie.leaderboard.clusters``.

What it does not do
    No resampling (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sgie.leaderboard.clusters import Ledger
from sgie.records import Attribution, DocAnnotations
from sgie.scoring.attributions import align_attributions, canonical
from sgie.scoring.grounding import Ungrounded
from sgie.scoring.layers import LAYER_NAMES, METRIC_NAMES, headline_of, layer, title_of
from sgie.scoring.layers import OVERALL as OVERALL_METRIC
from sgie.scoring.matching import OVERLAP
from sgie.scoring.proposals import align_proposals, proposal_key
from sgie.scoring.result import DocumentCounts
from sgie.scoring.semeval import STRICT, Outcome, match_entities

LAYERS = LAYER_NAMES
OVERALL: str = OVERALL_METRIC.name
METRICS: tuple[str, ...] = METRIC_NAMES
HEADLINE: dict[str, str] = {m: headline_of(m) for m in METRICS}
RESULT_PATH: dict[str, str] = {k: layer(k).path for k in LAYERS}
TITLES: dict[str, str] = {m: title_of(m) for m in METRICS}
__all__ = ["HEADLINE", "LAYERS", "METRICS", "OVERALL", "RESULT_PATH", "TITLES", "attempted", "f1",
           "official_f1", "vector"]


def attempted(attempts: Callable[[str], bool], metric: str) -> bool:
    """Whether a system that ``attempts(layer)`` has ``metric`` (a layer, or overall: all)."""
    return OVERALL_METRIC.attempted(attempts) if metric == OVERALL else attempts(metric)


def _start(a: Attribution) -> int:
    return min(s.start for s in (*a.cue, *a.source, *a.content))


def ledger(gold: DocAnnotations, pred: DocAnnotations, ungrounded: Ungrounded, name: str) -> Ledger:
    """One document's outcomes under ``layer``'s headline metric (the layer must be scored)."""
    credit2 = {Outcome.CORRECT: 2, Outcome.PARTIAL: 1, Outcome.INCORRECT: 0}
    lost: tuple[None, ...] = (None,) * len(getattr(ungrounded, name))
    if name == "entities":
        ge, pe = gold.entities or (), pred.entities or ()
        alignment, _ = match_entities(ge, pe, STRICT)
        pairs = tuple((g, p, credit2[STRICT.outcome(ge[g], pe[p])]) for g, p in alignment.pairs)
        return Ledger(tuple(e.start for e in ge), (*(e.start for e in pe), *lost), pairs)
    if name == "proposals":
        gp = sorted(gold.proposals or (), key=proposal_key)
        pp = sorted(pred.proposals or (), key=proposal_key)
        pairs = tuple((g, p, 2) for g, p in align_proposals(gp, pp, OVERLAP).pairs)
        return Ledger(tuple(x.start for x in gp), (*(x.start for x in pp), *lost), pairs)
    ga, pa = canonical(gold.attributions or ()), canonical(pred.attributions or ())
    pairs = tuple((g, p, 2) for g, p in align_attributions(ga, pa, OVERLAP).pairs)
    return Ledger(tuple(map(_start, ga)), (*map(_start, pa), *lost), pairs)


def vector(counts: DocumentCounts, name: str) -> tuple[int, int, int]:
    """``(2 * credit, predicted, gold)`` of ``name``'s headline metric (layer must be scored)."""
    c = counts.layer(name)
    if c is None:
        raise ValueError(f"layer {name!r} is not scored")
    return layer(name).vector(c)  # type: ignore[arg-type]


def official_f1(counts: DocumentCounts, name: str) -> float | None:
    """The scorer's own value of the headline metric (for checks and the point estimate)."""
    c = counts.layer(name)
    if c is None:
        raise ValueError(f"layer {name!r} is not scored")
    return layer(name).headline_f1(c)  # type: ignore[arg-type]


def headline_f1(counts: DocumentCounts, metric: str) -> float | None:
    """The headline of a layer, or the overall mean of the three (``None`` if a layer is not
    scored or undefined), from summed counts."""
    layers = LAYERS if metric == OVERALL else (metric,)
    values = [official_f1(counts, k) if getattr(counts, k) is not None else None for k in layers]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None) / len(values)


def f1(v: np.ndarray) -> np.ndarray:
    """F1 from summed vectors (last axis ``(2*credit, predicted, gold)``); NaN where undefined."""
    v = np.asarray(v)
    credit = v[..., 0] * 0.5
    predicted = v[..., 1].astype(np.float64)
    gold = v[..., 2].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = credit / predicted
        r = credit / gold
        out = 2 * (p * r) / (p + r)
    out = np.where((credit == 0) | (predicted == 0), 0.0, out)
    return np.where(gold == 0, np.nan, out)
