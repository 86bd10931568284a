"""The SGIE evaluation harness: prediction format, matching, scorers for all three layers.

What it does
    Scores predictions (a JSON Lines file, an extractor's output, or records in memory)
    against gold annotations. The task, usage, prediction format and metric definitions are in
    the header of ``sgie.scoring.official`` (the entry module, in the manner of TyDi QA's
    ``tydi_eval.py``). Modules, in data-flow order:

    ``jsonl`` (strict JSON Lines) -> ``wire`` (the record format as types; its JSON Schema),
    ``messages`` (msgspec errors as one-line messages)
    -> ``grounding`` (text-only spans) -> ``validate`` (the one validator) -> ``predictions``
    / ``gold`` (files into record sets) -> ``sources`` (files or memory, one document at a
    time); ``matching`` (span-match strategies, optimal one-to-one assignment; shared with
    ``sgie agreement``) -> ``semeval`` (entity schemes) -> ``entities`` / ``proposals`` /
    ``attributions`` (per-document counts and per-item outcomes), built on ``counts`` (count
    types that add up; derived metrics) and ``outcomes`` (per-item outcome records) ->
    ``layers`` (the three layers declared once: scorer, headline, result path, title) ->
    ``result`` (``LayerStatus``, ``DocumentCounts``, ``Result``) -> ``official`` (the entry
    module: the one evaluation loop, ``evaluate``) -> ``report`` (JSON bytes, table);
    ``extractors`` runs any extractor. Around them: ``formats`` (other ways in: BIO tags,
    foreign label maps and coarse label spaces, converted into prediction records) and
    ``views`` (the per-item outcomes for people: ``--errors`` text, ``--html`` page). For
    large entity-only files in id order, ``official`` first tries ``onepass`` (both files read
    once, in batches): ``flatten`` (a batch's records into columns, strings hashed by
    ``hashing``) -> ``bulk_checks`` (the validator's checks as array operations) -> ``bulk``
    and ``bulk_surface`` (the counts, in bulk); the optional C kernel ``_kernel`` (its
    functions in ``compiled``), where it was built, does the loops of ``flatten``, the byte
    counts of ``onepass`` and the per-document key lookups of ``bulk_checks`` and
    ``bulk_surface``.

What it does not do
    No command-line parsing (``sgie.commands.evaluate``), no bootstrap or significance tests
    (the leaderboard), no agreement statistics (``sgie.agreement``).
"""

from sgie.scoring.counts import PRF, Accuracy, SemEvalCounts
from sgie.scoring.gold import GoldSet, read_gold
from sgie.scoring.layers import LAYERS, OVERALL, Layer
from sgie.scoring.official import evaluate, evaluate_sources, score_document
from sgie.scoring.outcomes import DocumentOutcomes, ItemOutcome, ItemRef
from sgie.scoring.predictions import PredictionSet, read_predictions
from sgie.scoring.result import DocumentCounts, LayerStatus, Result, total

__all__ = [
    "LAYERS",
    "OVERALL",
    "PRF",
    "Accuracy",
    "DocumentCounts",
    "DocumentOutcomes",
    "GoldSet",
    "ItemOutcome",
    "ItemRef",
    "Layer",
    "LayerStatus",
    "PredictionSet",
    "Result",
    "SemEvalCounts",
    "evaluate",
    "evaluate_sources",
    "read_gold",
    "read_predictions",
    "score_document",
    "total",
]
