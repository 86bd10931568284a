"""Per-item outcomes (sgie.scoring.outcomes): opt-in, frozen, typed, one line per item and
scheme, tallying exactly to the counts of every layer, and agreeing with nervaluate's
per-item indices where nervaluate's counts agree with ours."""

from __future__ import annotations

import json
from collections import Counter

import msgspec
import pytest
from hypothesis import given, settings
from nervaluate import Evaluator
from strategies import Mention, corpora, unambiguous_mentions

from sgie import schema
from sgie.records import DocAnnotations, Entity
from sgie.scoring import evaluate
from sgie.scoring.counts import PRF, SemEvalCounts
from sgie.scoring.entities import entity_outcomes
from sgie.scoring.outcomes import SCHEMES, DocumentOutcomes, ItemOutcome
from sgie.scoring.result import DocumentCounts
from sgie.scoring.validate import parse_prediction
from sgie.spans import Span

NERVALUATE = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _counts_of(counts: DocumentCounts, layer: str, scheme: str) -> SemEvalCounts | PRF:
    """The count object a layer's outcome scheme tallies to."""
    if layer == "entities":
        assert counts.entities is not None
        return counts.entities[scheme].micro
    if layer == "proposals":
        assert counts.proposals is not None
        group, match = scheme.split(".")
        return counts.proposals.spans[match] if group == "spans" else counts.proposals.arguments[match].micro
    assert counts.attributions is not None
    parts = scheme.split(".")
    if parts[0] == "whole":
        return counts.attributions.whole[parts[1]]
    return counts.attributions.roles[parts[1]].exact


def _as_counts(tally: Counter, like: SemEvalCounts | PRF) -> SemEvalCounts | PRF:
    if isinstance(like, SemEvalCounts):
        return SemEvalCounts(*(tally[k] for k in ("correct", "incorrect", "partial", "missed", "spurious")))
    assert not (tally["incorrect"] or tally["partial"])
    return PRF(tally["correct"], tally["spurious"], tally["missed"])


@settings(max_examples=80, deadline=None)
@given(corpora())
def test_outcomes_tally_to_the_counts_of_every_layer_and_scheme(corpus: tuple) -> None:
    """For every document, layer and scheme, counting the outcomes gives the scorer's counts."""
    texts, gold, pred = corpus
    result = evaluate(gold, pred, texts, outcomes=True)
    assert set(result.outcomes) == set(gold)
    for doc_id, counts in result.per_document.items():
        outcomes = result.outcomes[doc_id]
        for layer, schemes in SCHEMES.items():
            if result.layers[layer].scored:
                for scheme in schemes:
                    like = _counts_of(counts, layer, scheme)
                    assert _as_counts(outcomes.tally(layer, scheme), like) == like, (layer, scheme)
            else:
                assert outcomes.layer(layer) is None


@settings(max_examples=80, deadline=None)
@given(corpora())
def test_every_item_appears_once_per_scheme(corpus: tuple) -> None:
    """Each gold and each predicted entity, proposal and attribution is in exactly one outcome
    of each of its schemes."""
    texts, gold, pred = corpus
    result = evaluate(gold, pred, texts, outcomes=True)
    for doc_id, outcomes in result.outcomes.items():
        for layer, schemes in (("entities", SCHEMES["entities"]),
                               ("proposals", ("spans.exact", "spans.overlap")),
                               ("attributions", ("whole.exact", "whole.overlap"))):  # fmt: skip
            items = outcomes.layer(layer)
            if items is None:
                continue
            for scheme in schemes:
                lines = [o for o in items if o.scheme == scheme]
                want = sorted(x.id for x in getattr(gold[doc_id], layer))
                assert sorted(o.gold.id for o in lines if o.gold) == want
                assert sorted(o.predicted.id for o in lines if o.predicted) == sorted(
                    x.id for x in getattr(pred[doc_id], layer) or ())


def test_outcomes_are_opt_in_frozen_and_serialisable() -> None:
    """Without outcomes=True nothing is kept; the records are frozen and to_json is JSON."""
    text = "US and Kyiv"
    gold = {"d": DocAnnotations("d", (Entity("e", 0, 2, "US", "GPE"),), None, None)}
    pred = {"d": DocAnnotations("d", (Entity("p", 0, 2, "US", "ORG"),), None, None)}
    assert evaluate(gold, pred, {"d": text}).outcomes == {}
    outcomes = evaluate(gold, pred, {"d": text}, outcomes=True).outcomes["d"]
    assert isinstance(outcomes, DocumentOutcomes)
    strict = [o for o in outcomes.entities or () if o.scheme == "strict"]
    assert strict == [ItemOutcome("strict", "incorrect", strict[0].gold, strict[0].predicted, ("type",))]
    with pytest.raises(AttributeError):
        strict[0].outcome = "correct"  # type: ignore[misc]
    data = json.loads(json.dumps(outcomes.to_json()))
    assert data["entities"][0] == {
        "scheme": "strict", "outcome": "incorrect", "errors": ["type"],
        "gold": {"id": "e", "label": "GPE", "spans": [{"start": 0, "end": 2, "text": "US"}]},
        "predicted": {"id": "p", "label": "ORG", "spans": [{"start": 0, "end": 2, "text": "US"}]},
    }  # fmt: skip
    assert data["proposals"] is None
    assert msgspec.json.decode(msgspec.json.encode(outcomes), type=DocumentOutcomes) == outcomes


def test_boundary_errors_and_ungrounded_predictions_are_named() -> None:
    """An overlapping prediction is a boundary error (partial in `partial`); an ungrounded
    prediction is spurious with the error `ungrounded`."""
    text = "the Kyiv region"
    gold = [Entity.at("e", Span.of(text, 4, 8), "GPE")]
    pred = [Entity.at("p", Span.of(text, 4, 15), "GPE")]
    lost = [Entity.at("u", Span(16, 20, "Oslo"), "GPE")]
    by_scheme = {o.scheme: o for o in entity_outcomes(gold, pred, lost) if o.gold}
    assert by_scheme["strict"].outcome == "incorrect" and by_scheme["strict"].errors == ("boundary",)
    assert by_scheme["partial"].outcome == "partial"
    assert by_scheme["type"].outcome == "correct" and by_scheme["type"].errors == ("boundary",)
    spurious = [o for o in entity_outcomes(gold, pred, lost) if o.outcome == "spurious"]
    assert [(o.scheme, o.predicted.id, o.errors) for o in spurious] == [
        (s, "u", ("ungrounded",)) for s in SCHEMES["entities"]]


@settings(max_examples=200, deadline=None)
@given(unambiguous_mentions())
def test_entity_outcomes_match_nervaluate_indices(case: tuple[list[Mention], list[Mention], int]) -> None:
    """Where no overlaps compete, each scheme's correct / incorrect / partial predictions,
    missed gold entities and spurious predictions are the items nervaluate's result indices
    name (nervaluate gives indices only; we add the pairing, ids, spans and what differs)."""
    gold_m, pred_m, n = case
    text = "x" * n
    gold = [Entity.at(f"g{i}", Span.of(text, s, e), lab) for i, (s, e, lab) in enumerate(gold_m)]
    pred = [Entity.at(f"p{i}", Span.of(text, s, e), lab) for i, (s, e, lab) in enumerate(pred_m)]
    evaluator = Evaluator([[{"label": lab, "start": s, "end": e - 1} for s, e, lab in gold_m]],
                          [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in pred_m]],
                          tags=list(schema.ENTITY_LABELS), loader="dict")  # fmt: skip
    theirs = evaluator.evaluate()["overall_indices"]
    ours = entity_outcomes(gold, pred)
    for scheme, name in NERVALUATE.items():
        lines = [o for o in ours if o.scheme == scheme]
        expected = theirs[name]
        for kind in ("correct", "incorrect", "partial", "spurious"):
            mine = sorted(int(o.predicted.id[1:]) for o in lines if o.outcome == kind)
            assert mine == sorted(i for _, i in getattr(expected, f"{kind}_indices")), (scheme, kind)
        missed = sorted(int(o.gold.id[1:]) for o in lines if o.outcome == "missed")
        assert missed == sorted(i for _, i in expected.missed_indices), (scheme, "missed")


def test_an_ungrounded_argument_names_its_proposal() -> None:
    """An argument whose text is not in the document is spurious, named by its proposal's id
    and its index among that proposal's arguments."""
    text = "Paris offered troops to Kyiv."
    gold = {"d": DocAnnotations("d", None, (), None)}
    record = {"id": "d", "proposals": [{
        "id": "p", "text": "offered troops", "type": "offer", "status": "offered", "polarity": "positive",
        "arguments": [{"role": "proposer", "text": "Paris", "entity_id": None},
                      {"role": "beneficiary", "text": "Berlin", "entity_id": None}]}]}  # fmt: skip
    docs, lost = parse_prediction(record, {"d": text})
    result = evaluate(gold, {"d": docs}, {"d": text}, ungrounded={"d": lost}, outcomes=True)
    spurious = [o for o in result.outcomes["d"].proposals or ()
                if o.scheme == "arguments.exact" and "ungrounded" in o.errors]  # fmt: skip
    assert [(o.predicted.id, o.predicted.argument, o.predicted.label) for o in spurious] == [
        ("p", 1, "beneficiary")]
