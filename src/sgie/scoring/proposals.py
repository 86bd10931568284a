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

    * **classification** (the leaderboard headline, ``sgie.scoring.layers``) -- a prediction is
      a true positive if it overlaps a gold proposal with the same ``type`` *and* ``status``
      (``CLASSIFIED``), one-to-one (``align_classification``): ACE-style trigger
      classification with overlap instead of exact offsets;
    * **arguments** per role (``proposer``, ``executor``, ``beneficiary``, ``condition``) and
      micro over roles -- a predicted argument is a true positive if its proposal is paired
      with the gold argument's proposal in the ``OVERLAP`` proposal alignment, it has the same
      role, and its span matches (``EXACT`` or ``OVERLAP`` variant); one-to-one again;
    * **ungrounded** predictions (``sgie.scoring.grounding``) are false positives: a proposal in
      span identification, classification and every attribute F1, and each of its arguments in
      its role; an argument alone in its role.

What it does not do
    No entity linking of arguments (``entity_id`` is not scored), no rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec

from sgie import schema
from sgie.records import Argument, JSONObject, Proposal
from sgie.scoring.counts import PRF, Accuracy, add_maps, frozen_map
from sgie.scoring.matching import EXACT, OVERLAP, SPAN_MATCHES, Alignment, SpanMatch, align
from sgie.scoring.outcomes import ItemOutcome, ItemRef, Mismatch

ATTRIBUTES: tuple[str, ...] = ("type", "status", "polarity")
CLASSIFIED: tuple[str, ...] = ("type", "status")  # what proposal classification requires


class AttributeCounts(msgspec.Struct, frozen=True):
    """Accuracy on matched proposals and end-to-end F1 of one proposal attribute."""

    accuracy: Accuracy
    f1: PRF

    def __add__(self, other: AttributeCounts) -> AttributeCounts:
        return AttributeCounts(self.accuracy + other.accuracy, self.f1 + other.f1)

    def to_json(self) -> JSONObject:
        return {"accuracy": self.accuracy.to_json(), "f1": self.f1.to_json()}


class RoleCounts(msgspec.Struct, frozen=True):
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


class ProposalCounts(msgspec.Struct, frozen=True):
    spans: Mapping[str, PRF]  # "exact", "overlap"
    attributes: Mapping[str, AttributeCounts]  # "type", "status", "polarity"
    arguments: Mapping[str, RoleCounts]  # "exact", "overlap"
    classification: PRF = PRF()  # overlap, same type and same status (the headline)

    def __add__(self, other: ProposalCounts) -> ProposalCounts:
        return ProposalCounts(
            add_maps(self.spans, other.spans),
            add_maps(self.attributes, other.attributes),
            add_maps(self.arguments, other.arguments),
            self.classification + other.classification,
        )

    def to_json(self) -> JSONObject:
        return {
            "spans": {k: v.to_json() for k, v in self.spans.items()},
            "classification": self.classification.to_json(),
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


def align_classification(gold: Sequence[Proposal], pred: Sequence[Proposal]) -> Alignment:
    """Proposal classification: one-to-one alignment of overlapping proposal spans that agree
    on ``type`` and ``status`` (ties: more attributes, then the arguments, agree)."""
    return align(
        [(p.span,) for p in gold], [(p.span,) for p in pred], OVERLAP,
        compatible=lambda g, p: all(getattr(gold[g], a) == getattr(pred[p], a) for a in CLASSIFIED),
        prefer=lambda g, p: _agreement(gold[g], pred[p]), prefer_max=len(ATTRIBUTES) + 1,
    )  # fmt: skip


#: An argument in an argument alignment: its proposal's index (in the sorted proposals), its
#: index among that proposal's arguments as given, and the argument.
_Arg = tuple[int, int, Argument]


class _Alignments(msgspec.Struct, frozen=True):
    """Every alignment of one document's proposals (sorted by ``proposal_key``), shared by the
    counts and the per-item outcomes."""

    gold: list[Proposal]
    pred: list[Proposal]
    spans: dict[str, Alignment]  # per span match; "overlap" is the matched proposals
    gold_args: list[_Arg]
    pred_args: list[_Arg]
    arguments: dict[str, Alignment]  # per span match
    classification: Alignment  # overlap, same type and status


def _args(proposals: Sequence[Proposal]) -> list[_Arg]:
    return [(i, j, a) for i, p in enumerate(proposals)
            for j, a in sorted(enumerate(p.arguments), key=lambda t: _argument_key(t[1]))]  # fmt: skip


def _align(gold: Sequence[Proposal], pred: Sequence[Proposal]) -> _Alignments:
    gold = sorted(gold, key=proposal_key)
    pred = sorted(pred, key=proposal_key)
    spans = {m.name: align_proposals(gold, pred, m) for m in SPAN_MATCHES}
    paired = spans[OVERLAP.name].pred_of
    g_args, p_args = _args(gold), _args(pred)
    arguments = {
        m.name: align(
            [(a.span,) for _, _, a in g_args], [(a.span,) for _, _, a in p_args], m,
            compatible=lambda g, p: g_args[g][2].role == p_args[p][2].role
            and paired.get(g_args[g][0]) == p_args[p][0],
        )
        for m in (EXACT, OVERLAP)
    }  # fmt: skip
    return _Alignments(gold, pred, spans, g_args, p_args, arguments, align_classification(gold, pred))


def _role_counts(x: _Alignments, alignment: Alignment, lost_roles: Sequence[str]) -> RoleCounts:
    out = {}
    for role in schema.ROLE_NAMES:
        tp = sum(1 for g, _ in alignment.pairs if x.gold_args[g][2].role == role)
        n_gold = sum(1 for _, _, a in x.gold_args if a.role == role)
        n_pred = sum(1 for _, _, a in x.pred_args if a.role == role) + lost_roles.count(role)
        out[role] = PRF(tp, n_pred - tp, n_gold - tp)
    return RoleCounts(frozen_map(out.items()))


def _same(x: _Alignments, attr: str) -> Callable[[int, int], bool]:
    """Whether gold proposal ``g`` and predicted ``p`` have the same ``attr``."""
    return lambda g, p: bool(getattr(x.gold[g], attr) == getattr(x.pred[p], attr))


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
    x = _align(gold, pred)
    n_lost = len(ungrounded_proposals)
    lost_roles = [a.role for p in ungrounded_proposals for a in p.arguments]
    lost_roles += [a.role for a in ungrounded_arguments]
    spans = {name: a.prf + PRF(fp=n_lost) for name, a in x.spans.items()}
    matched = x.spans[OVERLAP.name]
    attributes = {}
    for attr in ATTRIBUTES:
        agree = sum(getattr(x.gold[g], attr) == getattr(x.pred[p], attr) for g, p in matched.pairs)
        typed = align([(p.span,) for p in x.gold], [(p.span,) for p in x.pred], OVERLAP,
                      compatible=_same(x, attr))  # fmt: skip
        attributes[attr] = AttributeCounts(
            Accuracy(agree, len(matched.pairs)), typed.prf + PRF(fp=n_lost)
        )
    arguments = {name: _role_counts(x, a, lost_roles) for name, a in x.arguments.items()}
    return ProposalCounts(
        frozen_map(spans.items()), frozen_map(attributes.items()), frozen_map(arguments.items()),
        x.classification.prf + PRF(fp=n_lost),
    )


def empty_proposal_counts() -> ProposalCounts:
    """The zero of ``ProposalCounts``."""
    return score_proposals((), ())


def _proposal_ref(p: Proposal, grounded: bool = True) -> ItemRef:
    return ItemRef(p.id, p.type, (p.span,) if grounded else ())


def _argument_ref(proposal: Proposal, index: int, a: Argument) -> ItemRef:
    return ItemRef(proposal.id, a.role, (a.span,), argument=index)


def _differences(g: Proposal, p: Proposal) -> tuple[Mismatch, ...]:
    out: list[Mismatch] = []
    if g.span != p.span:
        out.append("boundary")
    if g.type != p.type:
        out.append("type")
    if g.status != p.status:
        out.append("status")
    if g.polarity != p.polarity:
        out.append("polarity")
    if sorted(map(_argument_key, g.arguments)) != sorted(map(_argument_key, p.arguments)):
        out.append("arguments")
    return tuple(out)


def proposal_outcomes(
    gold: Sequence[Proposal],
    pred: Sequence[Proposal],
    ungrounded_proposals: Sequence[Proposal] = (),
    ungrounded_arguments: Sequence[Argument] = (),
    argument_of: Sequence[tuple[str, int]] = (),
) -> tuple[ItemOutcome, ...]:
    """Every gold and predicted proposal's and argument's outcome under each scheme
    (``sgie.scoring.outcomes``), from the alignments the counts are made of: ``spans.exact``,
    ``spans.overlap`` and ``classification`` (what differs: boundary, type, status, polarity,
    arguments), ``arguments.exact`` and ``arguments.overlap`` (boundary)."""
    x = _align(gold, pred)
    out: list[ItemOutcome] = []
    proposal_schemes = [(f"spans.{name}", a) for name, a in x.spans.items()]
    for scheme, alignment in [*proposal_schemes, ("classification", x.classification)]:
        pred_of = alignment.pred_of
        for i, g in enumerate(x.gold):
            j = pred_of.get(i)
            out.append(ItemOutcome(scheme, "missed", _proposal_ref(g), None) if j is None else
                       ItemOutcome(scheme, "correct", _proposal_ref(g), _proposal_ref(x.pred[j]),
                                   _differences(g, x.pred[j])))  # fmt: skip
        out += [ItemOutcome(scheme, "spurious", None, _proposal_ref(x.pred[j]))
                for j in alignment.unmatched_pred]  # fmt: skip
        out += [ItemOutcome(scheme, "spurious", None, _proposal_ref(p, False), ("ungrounded",))
                for p in ungrounded_proposals]  # fmt: skip
    for name, alignment in x.arguments.items():
        scheme = f"arguments.{name}"
        pred_of = alignment.pred_of
        for i, (gp, gj, ga) in enumerate(x.gold_args):
            gold_ref = _argument_ref(x.gold[gp], gj, ga)
            k = pred_of.get(i)
            if k is None:
                out.append(ItemOutcome(scheme, "missed", gold_ref, None))
                continue
            pp, pj, pa = x.pred_args[k]
            errors: tuple[Mismatch, ...] = ("boundary",) if ga.span != pa.span else ()
            pred_ref = _argument_ref(x.pred[pp], pj, pa)
            out.append(ItemOutcome(scheme, "correct", gold_ref, pred_ref, errors))
        for k in alignment.unmatched_pred:
            pp, pj, pa = x.pred_args[k]
            out.append(ItemOutcome(scheme, "spurious", None, _argument_ref(x.pred[pp], pj, pa)))
        out += [ItemOutcome(scheme, "spurious", None, ItemRef(p.id, a.role, (), argument=j),
                            ("ungrounded",))
                for p in ungrounded_proposals for j, a in enumerate(p.arguments)]  # fmt: skip
        owners = list(argument_of) + [("", -1)] * (len(ungrounded_arguments) - len(argument_of))
        out += [ItemOutcome(scheme, "spurious", None,
                            ItemRef(pid, a.role, (), argument=j if j >= 0 else None), ("ungrounded",))
                for a, (pid, j) in zip(ungrounded_arguments, owners, strict=True)]  # fmt: skip
    return tuple(out)
