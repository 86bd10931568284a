r"""Official evaluation script for SGIE (Security Guarantees Information Extraction).

Task
----
Given the text of a news document, a system extracts three layers of annotations, with the
labels and values of ``sgie.schema``:

* **entities** -- typed mentions (PERSON, ORG, MEDIA, MILITARY, GPE, LOC, NORP, LAW, EVENT,
  EQUIPMENT, QUANTITY);
* **proposals** -- security-guarantee proposals with type, status and polarity, and their
  arguments (proposer, executor, beneficiary, condition);
* **attributions** -- who said what: cue, source and content spans, quote type, source type,
  and nesting (an attribution inside another's content).

A system may attempt any subset of the layers. This module scores predictions against gold
annotations and is the only scorer of the benchmark.

Usage
-----
Command line::

  sgie evaluate --predictions P.jsonl [--split test]   # against the committed gold of a split
  sgie evaluate --predictions P.jsonl --gold G.jsonl   # against any documents-format file
  sgie evaluate --extractor package.module:callable [--split test | --gold G.jsonl] \
                [--output predictions.test.jsonl]
  ... [--strict] [--json [--outcomes] [--per-document]] [--errors] [--html PATH]
  ... [--format jsonl|bio] [--label-map ontonotes|conll|FILE] [--label-space sgie|ontonotes|conll]
  sgie build                                            # also writes eval/predictions.schema.json

``--extractor`` imports ``callable(doc_id: str, text: str) -> dict`` (a prediction record, see
below; ``id`` may be omitted), runs it over the documents with a progress bar on stderr, writes
the predictions atomically to ``--output`` (default ``predictions.<split>.jsonl`` in the working
directory) and scores them (the module must be importable from the working directory or
``PYTHONPATH``). ``--strict`` makes missing documents an error. ``--json`` prints the full
result object instead of the table; ``--outcomes`` adds every item's outcome to it
(``sgie.scoring.outcomes``; opt-in, so that large files stay fast). ``--errors`` lists every
error after the table and ``--html PATH`` writes one self-contained page showing them
(``sgie.scoring.views``). Other shapes of predictions -- BIO tags over the ``ner`` config
(``--format bio``), foreign entity labels (``--label-map``), scoring in the OntoNotes or
CoNLL label space (``--label-space``) -- are converted by ``sgie.scoring.formats`` into
prediction records first; with ``--split``, records of corpus documents of other splits are
skipped and reported (an error with ``--strict``). Bad input prints one line
(``sgie: error: 'entities[2].end' must be <= len(text)=812 (got 815) in P.jsonl line 3``) and
exits with status 2; nothing is written.

Python::

  from sgie.scoring import evaluate
  result = evaluate(gold, predictions, texts)   # Mappings keyed by document id
  result.to_json()["entities"]["strict"]["f1"]
  evaluate(gold, predictions, texts, outcomes=True).outcomes["000"]   # per-item outcomes

One evaluation loop (``evaluate_sources``) serves both: it takes a gold source and a
predictions source (``sgie.scoring.sources``: files, or records in memory) and reads, checks
and scores one document at a time, in sorted id order. It alone decides which layers are
scored (``layer_status``) and counts the documents. Every record, from a file or from memory,
is checked by the one validator (``sgie.scoring.validate``), so the Python API rejects exactly
what the command rejects. The command reads files as a stream, so memory does not grow with
the number of documents: two files whose ids are in increasing order and that hold entities
only are read once, side by side, and checked and scored a batch of lines at a time
(``sgie.scoring.onepass``, with ``sgie.scoring.flatten``, ``bulk``, ``bulk_checks`` and
``bulk_surface``: the same result; ``one_pass_files`` says when it is tried); any other files are
indexed by id, then each record is read again at its offset. ``--json`` leaves the
per-document counts out unless ``--per-document`` is given (they are then spooled to a
temporary file, one document at a time; the one pass gives them too, and if it gives up
part-way the file is emptied before the general loop starts).

Prediction format
-----------------
JSON Lines, one object per document: the dataset's ``documents`` record, ``text`` optional
(JSON Schema: ``eval/predictions.schema.json``, generated from the types of
``sgie.scoring.wire``; sample: ``eval/sample_predictions.jsonl``)::

  {"id": "000",
   "entities":     [{"id": "e1", "start": 0, "end": 2, "text": "US", "label": "GPE"}],
   "proposals":    [{"id": "p1", "start": .., "end": .., "text": .., "type": "pledge",
                     "status": "offered", "polarity": "positive",
                     "arguments": [{"role": "proposer", "start": .., "end": .., "text": ..,
                                    "entity_id": "e1"}]}],
   "attributions": [{"id": "a1", "cue": [span], "source": [span], "content": [span],
                     "quote_type": "direct", "source_type": "document", "parent_id": null}]}

``span`` is ``{"start", "end", "text"}``: half-open code-point offsets into the document text
with ``text == document_text[start:end]``; ``text`` may be left out when the offsets are given
(it is checked when present). An item's ``id`` may be left out unless another item refers to
it (``entity_id``, ``parent_id``); such an item is named by its path (``entities[3]``) in
reports. A record may carry the document's ``text``, which must equal the gold text (a gold
``documents`` record scores as a prediction). Unknown fields are rejected. A layer that is
*omitted* was not attempted (reported as not attempted, never scored as 0); an *empty list*
means "attempted, found nothing". A layer must be present in every record or in none.
Documents of the gold set without a record are scored as predicting nothing and listed in
``missing_documents`` (an error with ``--strict``).

**Text-only spans.** Any span may give ``text`` without ``start``/``end`` (what an LLM
usually returns); it is placed on the document by a deterministic rule, version
``sgie-grounding-2`` (recorded in the result as ``grounding.rule``; full statement:
``sgie.scoring.grounding``). In short: a string occurs only as whole tokens ("Russia" not in
"Russian"), with typographic and straight quotes, dashes and runs of white space (line breaks
too) treated alike, and the placed span is the document's own text (``how``: ``exact`` or
``normalised``); entities are placed in list order, each on the first free occurrence from
the previous entity on, never inside a longer entity already placed; a proposal goes to the
occurrence that keeps it closest to its arguments (an argument naming an entity by
``entity_id`` sits on that entity); an attribution's cue, source and content spans are placed
together, as compactly as possible. Layers do not use up each other's occurrences. Gold
annotations given as text-only spans in document order are placed exactly where they were.
Spans that cannot be placed are *ungrounded*: reported (``ungrounded``) and counted as false
positives in their layer, never dropped; where every other text-only span landed is listed in
``grounding.placed``.

Matching
--------
All matching is one-to-one; where overlaps compete, the pairing is an optimal assignment
(``sgie.scoring.matching``, shared with ``sgie agreement``). Span-match strategies: ``exact``
(same ranges) and ``overlap`` (at least one shared code point).

Metrics
-------
*Entities* (``sgie.scoring.semeval``, ``.entities``): SemEval-2013 schemes ``strict`` (same
boundaries and type), ``exact`` (same boundaries), ``partial`` (same boundaries; other overlaps
half credit), ``type`` (overlap and same type), each with counts correct, incorrect, partial,
missed, spurious, possible, actual and ``P = (COR + 0.5 PAR)/ACT``, ``R = (COR + 0.5 PAR)/POS``,
F1; micro, per type (nervaluate's definition) and macro-F1 over types with gold entities.
``surface`` (``sgie.scoring.surface``): P/R/F1 over per-document sets of (normalised surface,
label) -- which entities a document names, each once, whatever the mentions (the measure of
LLM NER that lists unique entities); use the mention schemes for anything that needs offsets.

*Proposals* (``.proposals``): span identification P/R/F1 (exact, overlap); classification
F1 (overlap and the same type and status -- the headline); for ``type``,
``status``, ``polarity``: accuracy on overlap-matched proposals and end-to-end F1 (overlap and
same value); argument P/R/F1 per role and micro (same role, span match, and the argument's
proposal paired with the gold argument's proposal), exact and overlap.

*Attributions* (``.attributions``): per role (cue, source, content) exact-match F1 and
token-overlap F1 (summed token counts, precision against predicted tokens); whole-attribution
F1 (all roles match; exact and overlap); source-and-content F1 (source overlaps, content
token Dice >= 1/2 -- the headline);
``quote_type`` and ``source_type`` accuracy on matched attributions; nesting-link F1.

*Undefined values* are ``null`` with a reason (``reason``), never 0: precision with no
predictions, recall and F1 with no gold items, accuracy with no matched pairs. With gold items
and no predictions, recall and F1 are 0.

Counts add up: ``Result.per_document`` holds the counts of each document (``DocumentCounts``,
closed under ``+``; ``score_document`` computes one) and every metric of the corpus is derived
from their sum (the leaderboard bootstraps over documents this way).

Per-item outcomes (``evaluate(..., outcomes=True)``): ``Result.outcomes[doc_id]`` is a
``sgie.scoring.outcomes.DocumentOutcomes``: every gold and predicted item of each scored layer
with its outcome under each scheme (correct / incorrect / partial / missed / spurious) and what
differs between paired items (boundary, type, attributes, arguments, roles, parent).

Layers
------
Each layer is declared once in ``sgie.scoring.layers`` (its scorer, headline metric, result
path and title); the table, the result object, the leaderboard and its plot read it. Headlines:
entities ``entities.strict.f1``, proposals ``proposals.classification.f1``, attributions
``attributions.source_content.f1`` (why: ``sgie.scoring.layers``); the text report stars them.

Result object (``--json``)
--------------------------
Top-level keys: ``sgie_version``, ``schema_version``, ``gold`` and ``predictions`` (where they
came from), ``documents`` (numbers of gold, predicted and missing documents),
``missing_documents`` (ids), ``ungrounded`` (ungrounded items per layer, and every ungrounded
span with document, field and string), ``grounding`` (``rule``: the version of the grounding
rule; ``placed``: every grounded text-only span with document, field, string, ``start``,
``end`` and ``how``), ``entities``, ``proposals``, ``attributions`` (each with
``attempted``, ``annotated``, ``scored``, ``reason`` and, if scored, the metric blocks), and
``per_document`` (the raw counts of each document, without derived metrics; from the command
only with ``--per-document``). Metric blocks:

* ``entities.<scheme>`` for scheme in strict, exact, partial, type: ``correct``,
  ``incorrect``, ``partial``, ``missed``, ``spurious``, ``possible``, ``actual``,
  ``precision``, ``recall``, ``f1``, ``macro_f1``, ``reason``, ``per_type.<TYPE>`` (same keys
  without macro); ``entities.surface``: P/R/F1 over the per-document sets of (normalised
  surface string, label) -- for extractors that list each entity once; the mention schemes
  above judge every occurrence (which to use when: ``sgie.scoring.surface``);
* ``proposals.spans.<exact|overlap>``, ``proposals.classification``,
  ``proposals.attributes.<type|status|polarity>.accuracy`` and ``.f1``,
  ``proposals.arguments.<exact|overlap>.micro`` and ``.per_role.<role>``;
* ``attributions.roles.<cue|source|content>.<exact|token>``,
  ``attributions.whole.<exact|overlap>``, ``attributions.source_content``,
  ``attributions.attributes.<quote_type|source_type>``,
  ``attributions.nesting.<exact|overlap>``.

P/R/F1 blocks hold ``tp``, ``fp``, ``fn``, ``precision``, ``recall``, ``f1``, ``reason``;
accuracy blocks ``correct``, ``total``, ``accuracy``, ``reason``. ``reason`` maps each ``null``
metric to why it is undefined (``{}`` when all are defined).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sgie.errors import InputError, quote
from sgie.records import LAYER_NAMES, DocAnnotations
from sgie.scoring.counts import PRF
from sgie.scoring.grounding import NOTHING_UNGROUNDED, PlacedText, Ungrounded, UngroundedText
from sgie.scoring.layers import ATTRIBUTIONS, ENTITIES, LAYERS, PROPOSALS
from sgie.scoring.outcomes import DocumentOutcomes
from sgie.scoring.predictions import LayerPresence
from sgie.scoring.result import DocumentCounts, LayerStatus, Result, Sink
from sgie.scoring.sources import (
    GoldFile,
    GoldMemory,
    GoldSource,
    PredictionFile,
    PredictionMemory,
    PredictionSource,
)
from sgie.scoring.surface import score_surface


def layer_status(
    gold: DocAnnotations, prediction: DocAnnotations | None, ungrounded: Ungrounded
) -> dict[str, LayerStatus]:
    """The status of every layer, decided once per evaluation from one gold record and one
    prediction record (``None``: there are no predictions): each layer is present in every
    record of a side or in none (the loop checks it), so one record of each side tells."""
    return {
        k: LayerStatus(
            attempted=prediction is not None
            and (getattr(prediction, k) is not None or bool(ungrounded.items(k))),
            annotated=getattr(gold, k) is not None,
        )
        for k in LAYER_NAMES
    }


def score_document(
    gold: DocAnnotations,
    pred: DocAnnotations,
    text: str,
    layers: Mapping[str, LayerStatus],
    ungrounded: Ungrounded = NOTHING_UNGROUNDED,
) -> DocumentCounts:
    """Counts of one document (pure; layers not scored are ``None``)."""
    e, p, a = ENTITIES, PROPOSALS, ATTRIBUTIONS
    return DocumentCounts(
        e.score(gold, pred, text, ungrounded) if layers[e.name].scored else None,
        p.score(gold, pred, text, ungrounded) if layers[p.name].scored else None,
        a.score(gold, pred, text, ungrounded) if layers[a.name].scored else None,
    )


def document_outcomes(
    gold: DocAnnotations,
    pred: DocAnnotations,
    text: str,
    layers: Mapping[str, LayerStatus],
    ungrounded: Ungrounded = NOTHING_UNGROUNDED,
) -> DocumentOutcomes:
    """Per-item outcomes of one document (``sgie.scoring.outcomes``; layers not scored are
    ``None``)."""
    return DocumentOutcomes(gold.doc_id, *(
        layer.outcomes(gold, pred, text, ungrounded) if layers[layer.name].scored else None
        for layer in LAYERS
    ))  # fmt: skip


def nothing_predicted(doc_id: str, layers: Mapping[str, LayerStatus]) -> DocAnnotations:
    """The prediction of a document without a record: empty in the attempted layers."""
    return DocAnnotations(doc_id, () if layers["entities"].attempted else None,
                          () if layers["proposals"].attempted else None,
                          () if layers["attributions"].attempted else None)  # fmt: skip


def one_pass_files(gold: GoldSource, predictions: PredictionSource, *, outcomes: bool,
                   per_document: Sink | None,
                   restart: Callable[[], None] | None) -> tuple[GoldFile, PredictionFile] | None:  # fmt: skip
    """The two files, if ``evaluate_sources`` tries the one pass first for these arguments
    (two files, no item outcomes asked for, per-document entries only if they can be
    restarted); ``None`` if it does not."""
    if (isinstance(gold, GoldFile) and isinstance(predictions, PredictionFile) and not outcomes
            and (per_document is None or restart is not None)):  # fmt: skip
        return gold, predictions
    return None


def evaluate_sources(
    gold: GoldSource,
    predictions: PredictionSource,
    *,
    keep_per_document: bool = True,
    per_document: Sink | None = None,
    restart: Callable[[], None] | None = None,
    outcomes: bool = False,
    one_pass: bool = True,
) -> Result:
    """The evaluation loop: score ``predictions`` against ``gold`` one document at a time, in
    sorted id order (see the module docstring). ``per_document(doc_id, counts)`` receives each
    document's counts; ``keep_per_document=False`` leaves them out of the result (a large
    file: memory stays flat). ``outcomes=True`` keeps every item's outcome
    (``Result.outcomes``). Two files may first be tried in one pass
    (``sgie.scoring.onepass``; ``one_pass=False``: never), which may give up part-way: with
    ``per_document``, that is done only if ``restart`` is given, which must forget every entry
    given so far (it is called before the documents are given again, from the first)."""
    files = one_pass_files(gold, predictions, outcomes=outcomes, per_document=per_document,
                           restart=restart) if one_pass else None  # fmt: skip
    if files is not None:  # two files in id order: one pass, in batches (numpy is imported then)
        from sgie.scoring.onepass import evaluate_in_order

        gold_file, prediction_file = files
        fast = evaluate_in_order(gold_file.file.path, prediction_file.file.path,
                                 gold_source=gold.source, predictions_source=predictions.source,
                                 per_document=per_document, keep_per_document=keep_per_document)  # fmt: skip
        if fast is not None:
            return fast
        if restart is not None:
            restart()  # the entries of the pass given up
    ids = sorted(gold.ids())
    if not ids:
        raise InputError("gold must have at least one document (got none)")
    known = set(ids)
    unknown = sorted(d for d in predictions.ids() if d not in known)
    if unknown:
        raise InputError(f"predictions must be for gold documents only (got {quote(unknown)})")
    first_gold = gold.get(ids[0])[0]
    first = next(iter(predictions.ids()), None)
    if first is None:
        layers = layer_status(first_gold, None, NOTHING_UNGROUNDED)
    else:
        doc, lost, _ = predictions.get(first, gold.text(first))
        layers = layer_status(first_gold, doc, lost)
    gold_presence, prediction_presence = LayerPresence("gold"), LayerPresence("prediction")
    running: DocumentCounts | None = None
    kept: dict[str, DocumentCounts] = {}
    explained: dict[str, DocumentOutcomes] = {}
    missing: list[str] = []
    ungrounded: list[UngroundedText] = []
    placed: list[PlacedText] = []
    items: dict[str, int] = dict.fromkeys(LAYER_NAMES, 0)
    surface = PRF() if layers["entities"].scored else None
    for doc_id in ids:
        gold_doc, text, where = gold.get(doc_id)
        gold_presence.see(gold_doc, where)
        if doc_id in predictions:
            pred, lost, where = predictions.get(doc_id, text)
            prediction_presence.see(pred, where)
            if lost is not NOTHING_UNGROUNDED:
                ungrounded.extend(lost.spans)
                placed.extend(lost.placed)
                for k in LAYER_NAMES:
                    items[k] += lost.items(k)
        else:
            missing.append(doc_id)
            pred, lost = nothing_predicted(doc_id, layers), NOTHING_UNGROUNDED
        counts = score_document(gold_doc, pred, text, layers, lost)
        running = counts if running is None else running + counts
        if surface is not None:  # per-document sets: not a sum over parts of a document
            surface += score_surface(gold_doc.entities or (), pred.entities or (), lost.entities)
        if keep_per_document:
            kept[doc_id] = counts
        if per_document is not None:
            per_document(doc_id, counts)
        if outcomes:
            explained[doc_id] = document_outcomes(gold_doc, pred, text, layers, lost)
    assert running is not None
    return Result(
        total=running,
        per_document=kept,
        layers=layers,
        gold_documents=len(ids),
        missing_documents=tuple(missing),
        predicted_documents=len(predictions),
        ungrounded=tuple(ungrounded),
        ungrounded_items=items,
        gold_source=gold.source,
        predictions_source=predictions.source,
        outcomes=explained,
        placed=tuple(placed),
        surface=surface,
    )


def evaluate(
    gold: Mapping[str, DocAnnotations],
    predictions: Mapping[str, DocAnnotations],
    texts: Mapping[str, str],
    *,
    ungrounded: Mapping[str, Ungrounded] | None = None,
    outcomes: bool = False,
    gold_source: str = "gold",
    predictions_source: str = "predictions",
) -> Result:
    """Score ``predictions`` against ``gold`` (both by document id; ``texts`` by id too), as
    ``sgie evaluate`` does: every record is validated exactly as in a file (``InputError``).

    ``ungrounded`` holds, per document, the predicted items whose text-only spans could not be
    placed (``sgie.scoring.grounding``; ``PredictionSet.ungrounded``); they count as false
    positives. ``outcomes=True`` keeps every item's outcome (``result.outcomes[doc_id]``).
    """
    return evaluate_sources(
        GoldMemory(gold, texts, gold_source),
        PredictionMemory(predictions, ungrounded, predictions_source),
        outcomes=outcomes,
    )
