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
  ... [--strict] [--json]

``--extractor`` imports ``callable(doc_id: str, text: str) -> dict`` (a prediction record, see
below; ``id`` may be omitted), runs it over the documents with a progress bar on stderr, writes
the predictions atomically to ``--output`` (default ``predictions.<split>.jsonl`` in the working
directory) and scores them. ``--strict`` makes missing documents an error. ``--json`` prints
the full result object instead of the table. Bad input prints one line
(``sgie: error: 'entities[2].end' must be <= len(text)=812 (got 815) in P.jsonl line 3``) and
exits with status 2; nothing is written.

Python::

  from sgie.scoring import evaluate, score_documents
  result = evaluate(gold, predictions, texts)   # Mappings keyed by document id
  result.to_json()["entities"]["strict"]["f1"]

The command scores files as a stream (``sgie.scoring.stream``): it indexes both files by
document id, then reads, checks and scores one document at a time, in sorted id order, and
spools the per-document counts to a temporary file, so memory does not grow with the number of
documents; the result is the same as ``evaluate``'s. Records with offsets take a fast strict
decoder (``sgie.scoring.decode``); anything else goes through the reference parser, which gives
the error messages.

Prediction format
-----------------
JSON Lines, one object per document: the dataset's ``documents`` record without ``text``
(JSON Schema: ``eval/predictions.schema.json``; sample: ``eval/sample_predictions.jsonl``)::

  {"id": "000",
   "entities":     [{"id": "e1", "start": 0, "end": 2, "text": "US", "label": "GPE"}],
   "proposals":    [{"id": "p1", "start": .., "end": .., "text": .., "type": "pledge",
                     "status": "offered", "polarity": "positive",
                     "arguments": [{"role": "proposer", "start": .., "end": .., "text": ..,
                                    "entity_id": "e1"}]}],
   "attributions": [{"id": "a1", "cue": [span], "source": [span], "content": [span],
                     "quote_type": "direct", "source_type": "document", "parent_id": null}]}

``span`` is ``{"start", "end", "text"}``: half-open code-point offsets into the document text
with ``text == document_text[start:end]``. Unknown fields are rejected. A layer that is
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

*Proposals* (``.proposals``): span identification P/R/F1 (exact, overlap); for ``type``,
``status``, ``polarity``: accuracy on overlap-matched proposals and end-to-end F1 (overlap and
same value); argument P/R/F1 per role and micro (same role, span match, and the argument's
proposal paired with the gold argument's proposal), exact and overlap.

*Attributions* (``.attributions``): per role (cue, source, content) exact-match F1 and
token-overlap F1 (summed token counts, precision against predicted tokens); whole-attribution
F1 (all roles match; exact and overlap -- the headline is *whole-attribution overlap F1*);
``quote_type`` and ``source_type`` accuracy on matched attributions; nesting-link F1.

*Undefined values* are ``null`` with a reason (``reason``), never 0: precision with no
predictions, recall and F1 with no gold items, accuracy with no matched pairs. With gold items
and no predictions, recall and F1 are 0.

Counts add up: ``score_documents`` gives per-document counts (``DocumentCounts``, closed under
``+``) and every metric of the corpus is derived from their sum (the leaderboard bootstraps
over documents this way).

Result object (``--json``)
--------------------------
Top-level keys: ``sgie_version``, ``schema_version``, ``gold`` and ``predictions`` (where they
came from), ``documents`` (numbers of gold, predicted and missing documents),
``missing_documents`` (ids), ``ungrounded`` (ungrounded items per layer, and every ungrounded
span with document, field and string), ``grounding`` (``rule``: the version of the grounding
rule; ``placed``: every grounded text-only span with document, field, string, ``start``,
``end`` and ``how``), ``entities``, ``proposals``, ``attributions`` (each with
``attempted``, ``annotated``, ``scored``, ``reason`` and, if scored, the metric blocks), and
``per_document`` (the raw counts of each document, without derived metrics). Metric blocks:

* ``entities.<scheme>`` for scheme in strict, exact, partial, type: ``correct``,
  ``incorrect``, ``partial``, ``missed``, ``spurious``, ``possible``, ``actual``,
  ``precision``, ``recall``, ``f1``, ``macro_f1``, ``reason``, ``per_type.<TYPE>`` (same keys
  without macro); ``entities.surface``: P/R/F1 over the per-document sets of (normalised
  surface string, label) -- for extractors that list each entity once; the mention schemes
  above judge every occurrence (which to use when: ``sgie.scoring.surface``);
* ``proposals.spans.<exact|overlap>``, ``proposals.attributes.<type|status|polarity>.accuracy``
  and ``.f1``, ``proposals.arguments.<exact|overlap>.micro`` and ``.per_role.<role>``;
* ``attributions.roles.<cue|source|content>.<exact|token>``,
  ``attributions.whole.<exact|overlap>``, ``attributions.attributes.<quote_type|source_type>``,
  ``attributions.nesting.<exact|overlap>``.

P/R/F1 blocks hold ``tp``, ``fp``, ``fn``, ``precision``, ``recall``, ``f1``, ``reason``;
accuracy blocks ``correct``, ``total``, ``accuracy``, ``reason``. ``reason`` maps each ``null``
metric to why it is undefined (``{}`` when all are defined).
"""

from __future__ import annotations

from collections.abc import Mapping

from sgie.errors import InputError
from sgie.records import DocAnnotations
from sgie.scoring.grounding import NOTHING_UNGROUNDED, Ungrounded
from sgie.scoring.layers import LAYER_NAMES, LAYERS
from sgie.scoring.predictions import Located, check_layers
from sgie.scoring.result import DocumentCounts, LayerStatus, Result, total


def layer_status(
    gold: Mapping[str, DocAnnotations],
    predictions: Mapping[str, DocAnnotations],
    ungrounded: Mapping[str, Ungrounded],
) -> dict[str, LayerStatus]:
    """Which layers are attempted / annotated (each must be all-or-none; ``InputError``)."""
    check_layers(((d, Located(f"gold document {i!r}")) for i, d in gold.items()), "gold")
    check_layers(((d, Located(f"predicted document {i!r}")) for i, d in predictions.items()),
                 "prediction")  # fmt: skip
    out = {}
    for layer in LAYER_NAMES:
        attempted = any(getattr(d, layer) is not None for d in predictions.values()) or any(
            u.items(layer) for u in ungrounded.values()
        )
        annotated = any(getattr(d, layer) is not None for d in gold.values())
        out[layer] = LayerStatus(attempted, annotated)
    return out


def score_document(
    gold: DocAnnotations,
    pred: DocAnnotations,
    text: str,
    layers: Mapping[str, LayerStatus],
    ungrounded: Ungrounded = NOTHING_UNGROUNDED,
) -> DocumentCounts:
    """Counts of one document (pure; layers not scored are ``None``)."""
    e, p, a = LAYERS
    return DocumentCounts(
        e.score(gold, pred, text, ungrounded) if layers[e.name].scored else None,
        p.score(gold, pred, text, ungrounded) if layers[p.name].scored else None,
        a.score(gold, pred, text, ungrounded) if layers[a.name].scored else None,
    )


def nothing_predicted(doc_id: str, layers: Mapping[str, LayerStatus]) -> DocAnnotations:
    """The prediction of a document without a record: empty in the attempted layers."""
    e, p, a = (() if layers[k].attempted else None for k in LAYER_NAMES)
    return DocAnnotations(doc_id, e, p, a)  # type: ignore[arg-type]


def score_documents(
    gold: Mapping[str, DocAnnotations],
    predictions: Mapping[str, DocAnnotations],
    texts: Mapping[str, str],
    *,
    ungrounded: Mapping[str, Ungrounded] | None = None,
) -> dict[str, DocumentCounts]:
    """Per-document counts for every gold document, by id (sorted). A gold document without a
    prediction is scored as predicting nothing in the attempted layers."""
    ungrounded = ungrounded or {}
    if set(gold) - set(texts):
        raise ValueError(f"texts must be given for every gold document (missing: "
                         f"{sorted(set(gold) - set(texts))})")  # fmt: skip
    unknown = sorted(set(predictions) - set(gold))
    if unknown:
        raise InputError(f"predictions must be for gold documents only (got {unknown})")
    layers = layer_status(gold, predictions, ungrounded)
    out = {}
    for doc_id in sorted(gold):
        pred = predictions.get(doc_id) or nothing_predicted(doc_id, layers)
        out[doc_id] = score_document(gold[doc_id], pred, texts[doc_id], layers,
                                     ungrounded.get(doc_id, NOTHING_UNGROUNDED))  # fmt: skip
    return out


def evaluate(
    gold: Mapping[str, DocAnnotations],
    predictions: Mapping[str, DocAnnotations],
    texts: Mapping[str, str],
    *,
    ungrounded: Mapping[str, Ungrounded] | None = None,
    gold_source: str = "gold",
    predictions_source: str = "predictions",
) -> Result:
    """Score ``predictions`` against ``gold`` (both by document id; ``texts`` by id too).

    ``ungrounded`` holds, per document, the predicted items whose text-only spans could not be
    placed (``sgie.scoring.grounding``); they count as false positives.
    """
    if not gold:
        raise InputError("gold must have at least one document (got none)")
    ungrounded = ungrounded or {}
    per_document = score_documents(gold, predictions, texts, ungrounded=ungrounded)
    layers = layer_status(gold, predictions, ungrounded)
    spans = tuple(s for d in sorted(ungrounded) for s in ungrounded[d].spans)
    items = {layer: sum(u.items(layer) for u in ungrounded.values()) for layer in LAYER_NAMES}
    return Result(
        total=total(per_document.values()),
        per_document=per_document,
        layers=layers,
        missing_documents=tuple(sorted(set(gold) - set(predictions))),
        predicted_documents=len(predictions),
        ungrounded=spans,
        ungrounded_items=items,
        placed=tuple(p for d in sorted(ungrounded) for p in ungrounded[d].placed),
        gold_documents=len(per_document),
        gold_source=gold_source,
        predictions_source=predictions_source,
    )
