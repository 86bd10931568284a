"""Entity scoring: SemEval-2013 schemes by example, and differential tests against nervaluate
1.2.1 and seqeval (strict, IOB2), with the documented cases where nervaluate is not followed."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from strategies import Mention, sequence_mentions, unambiguous_mentions

from sgie import schema
from sgie.records import Entity
from sgie.scoring.counts import SemEvalCounts
from sgie.scoring.entities import EntityCounts, score_entities
from sgie.scoring.semeval import PARTIAL, STRICT, TYPE, match_entities
from sgie.spans import Span

NERVALUATE_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial",
                     "type": "ent_type"}  # fmt: skip


def ents(mentions: list[Mention], text: str, prefix: str = "e") -> list[Entity]:
    return [Entity.at(f"{prefix}{i}", Span.of(text, s, e), label)
            for i, (s, e, label) in enumerate(mentions)]  # fmt: skip


def score(gold: list[Mention], pred: list[Mention], n: int = 200) -> EntityCounts:
    text = "x" * n
    return score_entities(ents(gold, text), ents(pred, text, "p"))


def counts(c: SemEvalCounts) -> tuple[int, int, int, int, int]:
    return (c.correct, c.incorrect, c.partial, c.missed, c.spurious)


# --------------------------------------------------------------------------------------------
# Examples: the six SemEval/MUC scenarios
# --------------------------------------------------------------------------------------------
def test_exact_match_is_correct_in_every_scheme():
    """I: same boundaries and type are correct in all four schemes."""
    result = score([(0, 5, "GPE")], [(0, 5, "GPE")])
    for name in NERVALUATE_SCHEME:
        assert counts(result[name].micro) == (1, 0, 0, 0, 0)
        assert result[name].micro.f1 == 1.0


def test_spurious_prediction():
    """II: a prediction overlapping no gold entity is spurious; precision 0, recall null."""
    result = score([], [(0, 5, "GPE")])
    assert counts(result["strict"].micro) == (0, 0, 0, 0, 1)
    assert result["strict"].micro.precision == 0.0
    assert result["strict"].micro.recall is None
    assert result["strict"].micro.f1 is None
    assert result["strict"].micro.reasons == {"recall": "no gold items", "f1": "no gold items"}


def test_missed_gold_entity():
    """III: an unmatched gold entity is missed; recall 0, precision null, F1 0."""
    result = score([(0, 5, "GPE")], [])
    assert counts(result["partial"].micro) == (0, 0, 0, 1, 0)
    assert result["partial"].micro.recall == 0.0
    assert result["partial"].micro.precision is None
    assert result["partial"].micro.f1 == 0.0


def test_same_span_wrong_type():
    """IV: same boundaries, wrong type: strict/type incorrect, exact/partial correct."""
    result = score([(0, 5, "GPE")], [(0, 5, "ORG")])
    assert counts(result["strict"].micro) == (0, 1, 0, 0, 0)
    assert counts(result["type"].micro) == (0, 1, 0, 0, 0)
    assert counts(result["exact"].micro) == (1, 0, 0, 0, 0)
    assert counts(result["partial"].micro) == (1, 0, 0, 0, 0)


def test_overlap_same_type():
    """V: overlapping boundaries, same type: type correct, partial half credit."""
    result = score([(0, 10, "GPE")], [(2, 10, "GPE")])
    assert counts(result["strict"].micro) == (0, 1, 0, 0, 0)
    assert counts(result["exact"].micro) == (0, 1, 0, 0, 0)
    assert counts(result["partial"].micro) == (0, 0, 1, 0, 0)
    assert counts(result["type"].micro) == (1, 0, 0, 0, 0)
    assert result["partial"].micro.precision == 0.5


def test_overlap_wrong_type():
    """VI: overlapping boundaries, wrong type: incorrect except partial (half credit)."""
    result = score([(0, 10, "GPE")], [(2, 10, "ORG")])
    assert counts(result["type"].micro) == (0, 1, 0, 0, 0)
    assert counts(result["partial"].micro) == (0, 0, 1, 0, 0)


def test_per_type_filters_both_sides():
    """Per type, a relabelled span is a miss for the gold type and spurious for the other."""
    result = score([(0, 5, "PERSON")], [(0, 5, "ORG")])
    assert counts(result["strict"].per_type["PERSON"]) == (0, 0, 0, 1, 0)
    assert counts(result["strict"].per_type["ORG"]) == (0, 0, 0, 0, 1)
    assert result["strict"].per_type["ORG"].f1 is None
    assert result["strict"].macro_f1 == 0.0  # only PERSON has gold entities


def test_macro_f1_is_mean_over_types_with_gold():
    """Macro-F1 averages per-type F1 over the types that have gold entities."""
    result = score([(0, 5, "PERSON"), (10, 15, "GPE")], [(0, 5, "PERSON"), (20, 25, "LAW")])
    assert result["strict"].macro_f1 == pytest.approx((1.0 + 0.0) / 2)
    assert score([], [(0, 5, "GPE")])["strict"].macro_f1 is None


def test_ungrounded_entities_are_spurious_everywhere():
    """An ungrounded entity is spurious in every scheme, micro and for its type."""
    text = "x" * 20
    lost = [Entity.at("u", Span(21, 25, "Kyiv"), "GPE")]
    result = score_entities(ents([(0, 5, "GPE")], text), ents([(0, 5, "GPE")], text), lost)
    for name in NERVALUATE_SCHEME:
        assert counts(result[name].micro) == (1, 0, 0, 0, 1)
        assert result[name].per_type["GPE"].spurious == 1


def test_one_to_one_prediction_cannot_match_twice():
    """One prediction covering two gold entities matches one of them; the other is missed."""
    result = score([(0, 4, "GPE"), (5, 9, "GPE")], [(0, 9, "GPE")])
    assert counts(result["type"].micro) == (1, 0, 0, 1, 0)
    assert counts(result["partial"].micro) == (0, 0, 1, 1, 0)


def test_optimal_assignment_beats_greedy_order():
    """A prediction order that would let a greedy matcher waste an exact match does not here."""
    gold = [(0, 10, "GPE")]
    for pred in ([(2, 8, "GPE"), (0, 10, "GPE")], [(0, 10, "GPE"), (2, 8, "GPE")]):
        assert counts(score(gold, pred)["strict"].micro) == (1, 0, 0, 0, 1)


# --------------------------------------------------------------------------------------------
# Differential tests
# --------------------------------------------------------------------------------------------
def nervaluate(golds: list[list[Mention]], preds: list[list[Mention]]) -> dict:
    def docs(mentions: list[list[Mention]]) -> list[list[dict]]:
        # nervaluate's offsets are inclusive at the end
        return [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in doc] for doc in mentions]

    return Evaluator(docs(golds), docs(preds), tags=list(schema.ENTITY_LABELS),
                     loader="dict").evaluate()  # fmt: skip


def assert_same(ours: SemEvalCounts, theirs) -> None:  # noqa: ANN001
    assert counts(ours) == (theirs.correct, theirs.incorrect, theirs.partial, theirs.missed,
                            theirs.spurious)  # fmt: skip
    # nervaluate reports 0 where we report null (undefined); where defined, values are equal
    for name in ("precision", "recall", "f1"):
        value = getattr(ours, name)
        assert (value if value is not None else 0) == getattr(theirs, name), name


def total_counts(golds, preds, n):  # noqa: ANN001, ANN201
    result = None
    for g, p in zip(golds, preds, strict=True):
        doc = score(g, p, n)
        result = doc if result is None else result + doc
    return result


@settings(max_examples=300, deadline=None)
@given(docs=unambiguous_mentions().flatmap(lambda a: unambiguous_mentions().map(lambda b: [a, b])))
def test_agrees_with_nervaluate_when_no_overlaps_compete(docs):
    """Counts and P/R/F1 equal nervaluate's, all schemes, micro and per type, over 2 documents."""
    golds = [d[0] for d in docs]
    preds = [d[1] for d in docs]
    n = max(d[2] for d in docs) + 10
    ours = total_counts(golds, preds, n)
    theirs = nervaluate(golds, preds)
    for name, their_name in NERVALUATE_SCHEME.items():
        assert_same(ours[name].micro, theirs["overall"][their_name])
        for label in schema.ENTITY_LABELS:
            if label in theirs["entities"]:
                assert_same(ours[name].per_type[label], theirs["entities"][label][their_name])
            else:  # nervaluate lists only the types that occur
                assert counts(ours[name].per_type[label]) == (0, 0, 0, 0, 0)


@settings(max_examples=300, deadline=None)
@given(case=sequence_mentions())
def test_agrees_with_nervaluate_on_iob_representable_input(case):
    """On non-overlapping (IOB-expressible) input, strict/exact/partial equal nervaluate's."""
    gold, pred, n = case
    ours = score(gold, pred, n)
    theirs = nervaluate([gold], [pred])
    for name in ("strict", "exact", "partial"):
        assert_same(ours[name].micro, theirs["overall"][NERVALUATE_SCHEME[name]])
        for label, per_type in theirs["entities"].items():
            assert_same(ours[name].per_type[label], per_type[NERVALUATE_SCHEME[name]])


def iob2(mentions: list[Mention], n: int) -> list[str]:
    tags = ["O"] * n
    for s, e, label in mentions:
        tags[s] = f"B-{label}"
        for i in range(s + 1, e):
            tags[i] = f"I-{label}"
    return tags


@settings(max_examples=300, deadline=None)
@given(case=sequence_mentions())
def test_strict_agrees_with_seqeval_strict_iob2(case):
    """Strict micro and per-type P/R/F1 equal seqeval's strict IOB2 report where defined."""
    gold, pred, n = case
    ours = score(gold, pred, n)["strict"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = classification_report([iob2(gold, n)], [iob2(pred, n)], mode="strict",
                                       scheme=IOB2, output_dict=True, zero_division=0)  # fmt: skip
    blocks = [(ours.micro, report["micro avg"])] if gold or pred else []
    blocks += [(ours.per_type[label], report[label]) for label in ("PERSON", "ORG", "GPE")
               if label in report]  # fmt: skip
    for mine, theirs in blocks:
        for name, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            value = getattr(mine, name)
            assert (value if value is not None else 0.0) == pytest.approx(theirs[key], abs=1e-12)
        assert mine.possible == theirs["support"]


# --------------------------------------------------------------------------------------------
# Where nervaluate is not followed (documented in sgie.scoring.semeval)
# --------------------------------------------------------------------------------------------
def test_divergence_type_scheme_closest_boundary_greedy():
    """nervaluate's `type` takes the closest-boundary gold greedily; optimal matching credits both."""
    gold = [(0, 4, "GPE"), (5, 20, "GPE")]
    pred = [(3, 18, "GPE"), (18, 19, "GPE")]
    theirs = nervaluate([gold], [pred])["overall"]["ent_type"]
    assert (theirs.correct, theirs.missed, theirs.spurious) == (1, 1, 1)
    ours = score(gold, pred)["type"].micro
    assert counts(ours) == (2, 0, 0, 0, 0)
    assert ours.f1 == 1.0 and theirs.f1 == 0.5


def test_divergence_order_dependence():
    """nervaluate's counts change with prediction order when overlaps compete; ours do not."""
    gold = [(0, 10, "GPE"), (10, 12, "ORG")]
    pred = [(8, 11, "ORG"), (0, 10, "GPE")]
    first = nervaluate([gold], [pred])["overall"]["strict"]
    second = nervaluate([gold], [pred[::-1]])["overall"]["strict"]
    assert (first.correct, first.spurious) != (second.correct, second.spurious)
    assert score(gold, pred)["strict"].micro == score(gold, pred[::-1])["strict"].micro
    assert counts(score(gold, pred)["strict"].micro) == (1, 1, 0, 0, 0)


def test_divergence_nervaluate_one_percent_threshold():
    """nervaluate ignores overlaps under 1% of a long gold entity; one shared character counts here."""
    gold = [(0, 150, "EVENT")]
    pred = [(149, 155, "EVENT")]
    theirs = nervaluate([gold], [pred])["overall"]["strict"]
    assert (theirs.incorrect, theirs.missed, theirs.spurious) == (0, 1, 1)
    assert counts(score(gold, pred)["strict"].micro) == (0, 1, 0, 0, 0)


def test_scheme_objects_classify_pairs():
    """Scheme objects define correctness and the fallback outcome of a matched pair."""
    text = "x" * 20
    g, p = ents([(0, 5, "GPE")], text)[0], ents([(1, 5, "GPE")], text)[0]
    assert STRICT.outcome(g, p).value == "incorrect"
    assert PARTIAL.outcome(g, p).value == "partial"
    assert TYPE.outcome(g, p).value == "correct"
    alignment, _ = match_entities([g], [p], STRICT)
    assert alignment.pairs == ((0, 0),)
