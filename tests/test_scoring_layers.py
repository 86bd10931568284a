"""Proposal and attribution scoring by example: spans, attributes, arguments, roles, token
overlap, whole attributions, nesting links, ungrounded items."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from sgie.records import Argument, Attribution, Proposal
from sgie.scoring.attributions import region_tokens, score_attributions, tokenize
from sgie.scoring.counts import PRF, Accuracy
from sgie.scoring.proposals import score_proposals
from sgie.spans import Span

TEXT = ('Kyiv\'s allies said the US would lead a "ceasefire force" if a deal is agreed. '
        'Macron said: "We will send troops." Officials told AFP the plan was ready.')  # fmt: skip


def sp(s: str, k: int = 0) -> Span:
    i = -1
    for _ in range(k + 1):
        i = TEXT.index(s, i + 1)
    return Span(i, i + len(s), s)


def proposal(pid: str, s: str, *args: Argument, type_: str = "plan", status: str = "offered") -> Proposal:
    return Proposal.at(pid, sp(s), type_, status, "positive", tuple(args))


def attribution(aid: str, cue: str, source: str | None, content: str, parent: str | None = None,
                quote: str = "indirect", cue_k: int = 0) -> Attribution:  # fmt: skip
    return Attribution(aid, (sp(cue, cue_k),), (sp(source),) if source else (), (sp(content),),
                       quote, "group", parent)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------------------------
GOLD_P = [proposal("p1", 'lead a "ceasefire force"', Argument.at("executor", sp("US"), None),
                   Argument.at("condition", sp("if a deal is agreed"), None))]  # fmt: skip


def test_proposal_spans_exact_and_overlap():
    """A proposal with shifted boundaries is a hit under overlap, a miss under exact."""
    c = score_proposals(GOLD_P, [proposal("q", "lead a")])
    assert c.spans["overlap"] == PRF(1, 0, 0)
    assert c.spans["exact"] == PRF(0, 1, 1)


def test_proposal_attributes_accuracy_on_matched_and_end_to_end_f1():
    """A wrong status lowers status accuracy on matched pairs and status F1, not type."""
    c = score_proposals(GOLD_P, [proposal("q", "lead a", status="agreed")])
    assert c.attributes["status"].accuracy == Accuracy(0, 1)
    assert c.attributes["status"].f1 == PRF(0, 1, 1)
    assert c.attributes["type"].accuracy == Accuracy(1, 1)
    assert c.attributes["type"].f1 == PRF(1, 0, 0)


def test_no_matched_proposal_gives_null_accuracy():
    """With no matched proposal, attribute accuracy is undefined."""
    c = score_proposals(GOLD_P, [proposal("q", "Macron")])
    assert c.attributes["type"].accuracy.accuracy is None


def test_arguments_need_role_span_and_paired_proposal():
    """An argument scores only with the right role, a matching span and its proposal paired."""
    pred = [proposal("q", 'lead a "ceasefire force"', Argument.at("executor", sp("US"), None),
                     Argument.at("proposer", sp("if a deal"), None))]  # fmt: skip
    c = score_proposals(GOLD_P, pred)
    assert c.arguments["exact"].per_role["executor"] == PRF(1, 0, 0)
    assert c.arguments["exact"].per_role["condition"] == PRF(0, 0, 1)
    assert c.arguments["exact"].per_role["proposer"] == PRF(0, 1, 0)
    assert c.arguments["exact"].micro == PRF(1, 1, 1)
    orphan = [proposal("q", "Macron", Argument.at("executor", sp("US"), None))]
    assert score_proposals(GOLD_P, orphan).arguments["overlap"].per_role["executor"] == PRF(0, 1, 1)


def test_argument_overlap_variant():
    """A condition argument with shorter boundaries counts under overlap only."""
    pred = [replace(GOLD_P[0], arguments=(Argument.at("condition", sp("a deal"), None),))]
    c = score_proposals(GOLD_P, pred)
    assert c.arguments["overlap"].per_role["condition"] == PRF(1, 0, 0)
    assert c.arguments["exact"].per_role["condition"] == PRF(0, 1, 1)


def test_ungrounded_proposals_and_arguments_are_false_positives():
    """An ungrounded proposal is a false positive with each of its arguments."""
    lost = proposal("u", "US", Argument.at("proposer", sp("Macron"), None))
    c = score_proposals(GOLD_P, list(GOLD_P), [lost], [Argument.at("executor", sp("AFP"), None)])
    assert c.spans["exact"] == PRF(1, 1, 0)
    assert c.attributes["type"].f1 == PRF(1, 1, 0)
    assert c.arguments["exact"].per_role["proposer"] == PRF(0, 1, 0)
    assert c.arguments["exact"].per_role["executor"] == PRF(1, 1, 0)


# --------------------------------------------------------------------------------------------
# Attributions
# --------------------------------------------------------------------------------------------
GOLD_A = [
    attribution("a1", "said", "Kyiv's allies", 'the US would lead a "ceasefire force"'),
    attribution("a2", "said", "Macron", "We will send troops.", parent=None, quote="direct", cue_k=1),
]


def test_tokens_inside_spans_only():
    """Tokens are \\w+ or single punctuation; a token counts only if wholly inside the span."""
    tokens = tokenize("Kyiv's allies.")
    assert len(tokens) == 5  # Kyiv ' s allies .
    assert len(region_tokens(tokens, (Span(0, 8, "Kyiv's a"),))) == 3


def test_perfect_attributions():
    """Identical attributions score 1.0 everywhere."""
    c = score_attributions(GOLD_A, GOLD_A, TEXT)
    assert all(r.exact.f1 == 1.0 and r.token.f1 == 1.0 for r in c.roles.values())
    assert c.whole["exact"].f1 == c.whole["overlap"].f1 == 1.0
    assert c.attributes["quote_type"] == Accuracy(2, 2)


def test_token_overlap_precision_is_against_the_prediction():
    """Citron's bug guard: a short prediction inside a long gold content has precision 1."""
    pred = [attribution("b1", "said", "Kyiv's allies", "the US would lead")]
    token = score_attributions(GOLD_A[:1], pred, TEXT).roles["content"].token
    # gold content: the US would lead a " ceasefire force " -> 9 tokens; predicted 4, all shared
    assert token == PRF(4, 0, 5)
    assert token.precision == 1.0 and token.recall == pytest.approx(4 / 9)


def test_token_overlap_sums_tokens_over_items():
    """Unmatched items contribute all their tokens (to predicted or gold totals)."""
    pred = [attribution("b1", "told", "Officials", "the plan was ready")]
    token = score_attributions(GOLD_A, pred, TEXT).roles["content"].token
    assert token == PRF(0, 4, 9 + 5)


def test_whole_attribution_overlap_vs_exact():
    """Shifted content: whole match under overlap, not under exact; cue still exact."""
    pred = [attribution("b1", "said", "Kyiv's allies", "the US would lead")]
    c = score_attributions(GOLD_A[:1], pred, TEXT)
    assert c.whole["overlap"] == PRF(1, 0, 0)
    assert c.whole["exact"] == PRF(0, 1, 1)
    assert c.roles["cue"].exact == PRF(1, 0, 0)


def test_absent_source_matches_only_absent_source():
    """A predicted source where gold has none breaks the whole-attribution match."""
    gold = [attribution("a1", "said", None, "We will send troops.", cue_k=1)]
    assert score_attributions(gold, gold, TEXT).whole["exact"] == PRF(1, 0, 0)
    assert score_attributions(gold, gold, TEXT).roles["source"].exact == PRF(0, 0, 0)
    pred = [attribution("b1", "said", "Macron", "We will send troops.", cue_k=1)]
    c = score_attributions(gold, pred, TEXT)
    assert c.whole["overlap"] == PRF(0, 1, 1)
    assert c.roles["source"].exact == PRF(0, 1, 0)


def test_nesting_links():
    """A nesting link scores when both ends are paired with the ends of a gold link."""
    gold = [GOLD_A[0], replace(GOLD_A[1], parent_id="a1")]
    pred = [replace(GOLD_A[0], id="x"), replace(GOLD_A[1], id="y", parent_id="x")]
    assert score_attributions(gold, pred, TEXT).nesting["overlap"] == PRF(1, 0, 0)
    flat = [replace(GOLD_A[0], id="x"), replace(GOLD_A[1], id="y")]
    assert score_attributions(gold, flat, TEXT).nesting["overlap"] == PRF(0, 0, 1)
    assert score_attributions(GOLD_A, GOLD_A, TEXT).nesting["exact"].f1 is None


def test_attribute_accuracy_on_matched_attributions():
    """quote_type accuracy counts agreement over whole-overlap matched pairs."""
    pred = [replace(GOLD_A[0], id="x", quote_type="direct"), replace(GOLD_A[1], id="y")]
    assert score_attributions(GOLD_A, pred, TEXT).attributes["quote_type"] == Accuracy(1, 2)


def test_ungrounded_attribution_is_a_false_positive():
    """An ungrounded attribution is a false positive in each role it fills, whole and nesting."""
    lost = replace(GOLD_A[0], id="u", parent_id="x", source=())
    c = score_attributions(GOLD_A, GOLD_A, TEXT, [lost])
    assert c.whole["overlap"] == PRF(2, 1, 0)
    assert c.roles["cue"].exact == PRF(2, 1, 0)
    assert c.roles["source"].exact == PRF(2, 0, 0)
    assert c.roles["content"].token.fp == 9
    assert c.nesting["overlap"] == PRF(0, 1, 0)
