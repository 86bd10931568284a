"""The task-measuring headlines: proposal classification F1 (overlap, same type and status) and
attribution source-and-content F1 (source overlap, content token Dice >= 1/2); their per-item
outcomes tally to their counts, and they are declared once in the layer declarations."""

from __future__ import annotations

from hypothesis import given, settings
from msgspec.structs import replace
from strategies import doc_annotations, paragraph_texts, perturbed

from sgie.records import Attribution, Proposal
from sgie.scoring.attributions import attribution_outcomes, content_covers, score_attributions
from sgie.scoring.layers import layer
from sgie.scoring.proposals import proposal_outcomes, score_proposals
from sgie.spans import Span

TEXT = "Paris offered troops for Ukraine. Berlin said it would not send any soldiers at all."


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _proposal(pid: str, start: int, end: int, type_: str = "offer", status: str = "offered") -> Proposal:
    return Proposal(pid, start, end, TEXT[start:end], type_, status, "positive", ())


def _attribution(aid: str, cue: tuple[int, int], source: tuple[int, int] | None,
                 content: tuple[int, int]) -> Attribution:  # fmt: skip
    return Attribution(aid, (_span(TEXT, *cue),), () if source is None else (_span(TEXT, *source),),
                       (_span(TEXT, *content),), "indirect", "none" if source is None else "named",
                       None)  # fmt: skip


def test_a_proposal_counts_only_with_the_right_type_and_status():
    """Overlap alone is not enough: a different status or type is a false positive and a miss."""
    gold = [_proposal("g", 6, 32)]
    assert score_proposals(gold, [_proposal("p", 6, 20)]).classification.tp == 1
    wrong_status = score_proposals(gold, [_proposal("p", 6, 32, status="rejected")])
    assert (wrong_status.classification.tp, wrong_status.classification.fp) == (0, 1)
    assert wrong_status.spans["overlap"].tp == 1  # the lenient score still finds it
    assert score_proposals(gold, [_proposal("p", 6, 32, type_="pledge")]).classification.tp == 0


def test_an_attribution_counts_with_the_right_source_and_a_covering_content():
    """Source must overlap; content needs token Dice >= 1/2 with the gold content."""
    # "Berlin said it would not send any soldiers at all."  content: "it ... all." (9 tokens)
    gold = [_attribution("g", (41, 45), (34, 40), (46, 84))]
    ok = score_attributions(gold, [_attribution("p", (41, 45), (34, 40), (46, 68))], TEXT)
    assert ok.source_content.tp == 1  # "it would not send any": 5 tokens, Dice 10/14
    short = score_attributions(gold, [_attribution("p", (41, 45), (34, 40), (46, 48))], TEXT)
    assert short.source_content.tp == 0 and short.whole["overlap"].tp == 1  # "it": Dice 2/10
    other_source = score_attributions(gold, [_attribution("p", (41, 45), (0, 5), (46, 84))], TEXT)
    assert other_source.source_content.tp == 0
    no_sources = [_attribution("g", (41, 45), None, (46, 84))]
    assert (
        score_attributions(no_sources, [_attribution("p", (41, 45), None, (46, 84))], TEXT).source_content.tp
        == 1
    )


def test_the_content_threshold_is_dice_one_half_exactly():
    """Dice exactly 1/2 covers; just below does not (integer arithmetic, no rounding)."""
    assert content_covers(frozenset(range(6)), frozenset(range(2)))  # 2*2 / (6+2) = 1/2
    assert not content_covers(frozenset(range(7)), frozenset(range(2)))  # 4/9
    assert not content_covers(frozenset(range(4)), frozenset(range(4, 8)))


@settings(max_examples=40, deadline=None)
@given(paragraph_texts().flatmap(lambda t: doc_annotations("d", t).flatmap(
    lambda g: perturbed(g, t).map(lambda p: (t, g, p)))))  # fmt: skip
def test_outcomes_tally_to_the_counts_and_gold_scores_one(case):
    """The classification and source_content outcomes tally exactly to their counts; the gold
    against itself scores 1 whenever there is gold."""
    text, gold, pred = case
    gp, pp, ga, pa = (
        gold.proposals or (),
        pred.proposals or (),
        gold.attributions or (),
        pred.attributions or (),
    )
    cases = [
        (proposal_outcomes(gp, pp), "classification", score_proposals(gp, pp).classification),
        (attribution_outcomes(ga, pa, text), "source_content",
         score_attributions(ga, pa, text).source_content),
    ]
    for outcomes, scheme, counts in cases:
        kinds = [o.outcome for o in outcomes if o.scheme == scheme]
        assert (kinds.count("correct"), kinds.count("spurious"), kinds.count("missed")) == (
            counts.tp,
            counts.fp,
            counts.fn,
        )
    if gp:
        assert score_proposals(gp, gp).classification.f1 == 1.0
    if ga:
        assert score_attributions(ga, ga, text).source_content.f1 == 1.0
    # classification is stricter than span overlap
    assert score_proposals(gp, pp).classification.tp <= score_proposals(gp, pp).spans["overlap"].tp


def test_headlines_are_declared_once_in_the_layer_declarations():
    """The declarations name the new headlines and their result paths, with lenient columns."""
    assert layer("proposals").path == "proposals.classification.f1"
    assert layer("attributions").path == "attributions.source_content.f1"
    assert layer("entities").path == "entities.strict.f1"
    assert ("span overlap F1", ("proposals", "spans", "overlap", "f1")) in layer("proposals").secondary
    counts = score_proposals([_proposal("g", 6, 32)], [replace(_proposal("p", 6, 32), status="rejected")])
    assert layer("proposals").headline_f1(counts) == 0.0
    assert layer("proposals").secondary_values(counts) == (None, 1.0)  # no arguments: undefined
