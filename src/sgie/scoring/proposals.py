"""Proposal-layer scoring: span identification, attributes on matched proposals, arguments.

What it does
    ``score_proposals(gold, pred, ungrounded_proposals, ungrounded_arguments)`` scores one
    document and returns ``ProposalCounts`` (adds up over documents):

    * **span identification** -- tp/fp/fn of a one-to-one alignment of proposal spans under
      ``EXACT`` and under ``OVERLAP`` (``sgie.scoring.matching``);
    * **attributes** ``type``, ``status``, ``polarity`` --

      - *accuracy*: agreement over the pairs of the ``OVERLAP`` proposal alignment ("on matched
        proposals"; ``null`` if nothing matched). Among equally good span alignments the one
        agreeing on more attributes (then on the arguments) is chosen;
      - *F1*: end to end -- a prediction is a true positive if it overlaps a gold proposal with
        the same value (its own one-to-one alignment);

    * **arguments** per role (``proposer``, ``executor``, ``beneficiary``, ``condition``) and
      micro over roles -- a predicted argument is a true positive if its proposal is paired
      with the gold argument's proposal in the ``OVERLAP`` proposal alignment, it has the same
      role, and its span matches (``EXACT`` or ``OVERLAP`` variant); one-to-one again;
    * **ungrounded** predictions (``sgie.scoring.grounding``) are false positives: a proposal in
      span identification and every attribute F1, and each of its arguments in its role; an
      argument alone in its role.

What it does not do
    No entity linking of arguments (``entity_id`` is not scored), no rendering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sgie import schema
from sgie.records import Argument, JSONObject, Proposal
from sgie.scoring.counts import PRF, Accuracy, add_maps, frozen_map
from sgie.scoring.matching import EXACT, OVERLAP, SPAN_MATCHES, Alignment, SpanMatch, align
from sgie.scoring.outcomes import ItemOutcome

ATTRIBUTES: tuple[str, ...] = ("type", "status", "polarity")


@dataclass(frozen=True)
class AttributeCounts:
    """Accuracy on matched proposals and end-to-end F1 of one proposal attribute."""

    accuracy: Accuracy
    f1: PRF

    def __add__(self, other: AttributeCounts) -> AttributeCounts:
        return AttributeCounts(self.accuracy + other.accuracy, self.f1 + other.f1)

    def to_json(self) -> JSONObject:
        return {"accuracy": self.accuracy.to_json(), "f1": self.f1.to_json()}


@dataclass(frozen=True)
class RoleCounts:
    """tp/fp/fn per argument role (every role of ``sgie.schema``); ``micro`` is their sum."""

    per_role: Mapping[str, PRF]

    def __add__(self, other: RoleCounts) -> RoleCounts:
        return RoleCounts(add_maps(self.per_role, other.per_role))

    @property
    def micro(self) -> PRF:
        return sum(self.per_role.values(), PRF())

    def to_json(self) -> JSONObject:
        return {"micro": self.micro.to_json(),
                "per_role": {r: c.to_json() for r, c in self.per_role.items()}}  # fmt: skip


@dataclass(frozen=True)
class ProposalCounts:
    spans: Mapping[str, PRF]  # "exact", "overlap"
    attributes: Mapping[str, AttributeCounts]  # "type", "status", "polarity"
    arguments: Mapping[str, RoleCounts]  # "exact", "overlap"

    def __add__(self, other: ProposalCounts) -> ProposalCounts:
        return ProposalCounts(
            add_maps(self.spans, other.spans),
            add_maps(self.attributes, other.attributes),
            add_maps(self.arguments, other.arguments),
        )

    def to_json(self) -> JSONObject:
        return {
            "spans": {k: v.to_json() for k, v in self.spans.items()},
            "attributes": {k: v.to_json() for k, v in self.attributes.items()},
            "arguments": {k: v.to_json() for k, v in self.arguments.items()},
        }


ArgumentKey = tuple[str, int, int, str]
ProposalKey = tuple[int, int, str, str, str, str, tuple[ArgumentKey, ...]]


def _argument_key(a: Argument) -> ArgumentKey:
    return (a.role, a.span.start, a.span.end, a.span.text)


def proposal_key(p: Proposal) -> ProposalKey:
    """Canonical content order (ids excluded), so results do not depend on input order."""
    return (p.span.start, p.span.end, p.span.text, p.type, p.status, p.polarity,
            tuple(sorted(_argument_key(a) for a in p.arguments)))  # fmt: skip


def _agreement(g: Proposal, p: Proposal) -> int:
    """How many of the attributes agree, plus one if the arguments are the same."""
    same_args = sorted(map(_argument_key, g.arguments)) == sorted(map(_argument_key, p.arguments))
    return sum(getattr(g, a) == getattr(p, a) for a in ATTRIBUTES) + same_args


def align_proposals(
    gold: Sequence[Proposal], pred: Sequence[Proposal], match: SpanMatch = OVERLAP
) -> Alignment:
    """One-to-one alignment of proposal spans; ties go to the pairing agreeing on more
    attributes (and then on the arguments)."""
    return align(
        [(p.span,) for p in gold], [(p.span,) for p in pred], match,
        prefer=lambda g, p: _agreement(gold[g], pred[p]), prefer_max=len(ATTRIBUTES) + 1,
    )  # fmt: skip


def _arguments(
    gold: Sequence[Proposal], pred: Sequence[Proposal], proposal_alignment: Alignment,
    match: SpanMatch,
) -> dict[str, PRF]:
    g_args = [(i, a) for i, p in enumerate(gold) for a in sorted(p.arguments, key=_argument_key)]
    p_args = [(i, a) for i, p in enumerate(pred) for a in sorted(p.arguments, key=_argument_key)]
    paired = proposal_alignment.pred_of
    alignment = align(
        [(a.span,) for _, a in g_args], [(a.span,) for _, a in p_args], match,
        compatible=lambda g, p: g_args[g][1].role == p_args[p][1].role
        and paired.get(g_args[g][0]) == p_args[p][0],
    )  # fmt: skip
    out = {}
    for role in schema.ROLE_NAMES:
        tp = sum(1 for g, _ in alignment.pairs if g_args[g][1].role == role)
        n_gold = sum(1 for _, a in g_args if a.role == role)
        n_pred = sum(1 for _, a in p_args if a.role == role)
        out[role] = PRF(tp, n_pred - tp, n_gold - tp)
    return out


def score_proposals(
    gold: Sequence[Proposal],
    pred: Sequence[Proposal],
    ungrounded_proposals: Sequence[Proposal] = (),
    ungrounded_arguments: Sequence[Argument] = (),
) -> ProposalCounts:
    """Counts of one document's predicted proposals against its gold proposals.

    Ungrounded items' spans are placeholders and are not looked at; each item is a false
    positive (see the module docstring).
    """
    gold = sorted(gold, key=proposal_key)
    pred = sorted(pred, key=proposal_key)
    n_lost = len(ungrounded_proposals)
    lost_roles = [a.role for p in ungrounded_proposals for a in p.arguments]
    lost_roles += [a.role for a in ungrounded_arguments]

    spans = {m.name: align_proposals(gold, pred, m).prf + PRF(fp=n_lost) for m in SPAN_MATCHES}

    matched = align_proposals(gold, pred, OVERLAP)
    attributes = {}
    for attr in ATTRIBUTES:
        agree = sum(getattr(gold[g], attr) == getattr(pred[p], attr) for g, p in matched.pairs)
        typed = align(
            [(p.span,) for p in gold], [(p.span,) for p in pred], OVERLAP,
            compatible=lambda g, p, a=attr: getattr(gold[g], a) == getattr(pred[p], a),
        )  # fmt: skip
        attributes[attr] = AttributeCounts(
            Accuracy(agree, len(matched.pairs)), typed.prf + PRF(fp=n_lost)
        )

    arguments = {}
    for m in (EXACT, OVERLAP):
        per_role = _arguments(gold, pred, matched, m)
        for role in lost_roles:
            per_role[role] = per_role[role] + PRF(fp=1)
        arguments[m.name] = RoleCounts(frozen_map(per_role.items()))

    return ProposalCounts(
        frozen_map(spans.items()), frozen_map(attributes.items()), frozen_map(arguments.items())
    )


def empty_proposal_counts() -> ProposalCounts:
    """The zero of ``ProposalCounts``."""
    return score_proposals((), ())


def proposal_outcomes(
    gold: Sequence[Proposal],
    pred: Sequence[Proposal],
    ungrounded_proposals: Sequence[Proposal] = (),
    ungrounded_arguments: Sequence[Argument] = (),
) -> tuple[ItemOutcome, ...]:
    """Every gold and predicted proposal's and argument's outcome under each scheme."""
    raise NotImplementedError("filled in the READY commit")
