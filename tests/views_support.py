"""Hand-made per-item outcomes covering every error kind of every layer (for the views' tests)."""

from __future__ import annotations

from sgie.scoring.outcomes import DocumentOutcomes, ItemOutcome, ItemRef
from sgie.spans import Span

TEXT = ("Kyiv said on Monday that France would send troops.\n\n"
        "\"We will defend Europe,\" Macron told AFP, as Paris pledged aid.")  # fmt: skip


def span(text: str, what: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(what, start + 1)
    return Span(start, start + len(what), what)


def ref(id_: str, label: str, *spans: Span, argument: int | None = None) -> ItemRef:
    return ItemRef(id_, label, tuple(spans), argument)


def outcomes(text: str = TEXT, doc_id: str = "000") -> DocumentOutcomes:
    s = lambda w, k=0: span(text, w, k)  # noqa: E731
    entities = []
    for scheme in ("strict", "exact", "partial", "type"):
        entities += [
            ItemOutcome(scheme, "correct", ref("e1", "GPE", s("Kyiv")), ref("p1", "GPE", s("Kyiv"))),
            ItemOutcome(scheme, "incorrect" if scheme == "strict" else "correct",
                        ref("e2", "GPE", s("France")), ref("p2", "NORP", s("France")),
                        ("type",)),
            ItemOutcome(scheme, "incorrect" if scheme != "partial" else "partial",
                        ref("e3", "PERSON", s("Macron")), ref("p3", "PERSON", s("Macro")), ("boundary",)),
            ItemOutcome(scheme, "missed", ref("e4", "MEDIA", s("AFP")), None),
            ItemOutcome(scheme, "spurious", None, ref("p4", "GPE", s("Europe"))),
            ItemOutcome(scheme, "spurious", None, ItemRef("p5", "ORG", ())),  # ungrounded
        ]  # fmt: skip
    proposals = [
        ItemOutcome("spans.overlap", "correct", ref("g1", "pledge", s("France would send troops")),
                    ref("q1", "pledge", s("would send troops")), ("boundary", "status")),
        ItemOutcome("spans.overlap", "missed", ref("g2", "pledge", s("Paris pledged aid")), None),
        ItemOutcome("arguments.overlap", "correct", ref("g1", "executor", s("France"), argument=0),
                    ref("q1", "executor", s("France"), argument=0)),
        ItemOutcome("arguments.overlap", "missed", ref("g2", "proposer", s("Paris"), argument=0), None),
    ]  # fmt: skip
    quote = s('"We will defend Europe,"')
    attributions = [
        ItemOutcome("whole.overlap", "correct", ref("a1", "direct", s("told"), s("Macron"), quote),
                    ref("b1", "indirect", s("told"), s("Macron"), quote), ("quote_type",)),
        ItemOutcome("whole.overlap", "missed", ref("a2", "indirect", s("said"), s("Kyiv"),
                                                   s("France would send troops")), None),
        ItemOutcome("roles.cue.exact", "correct", ref("a1", "direct", s("told")),
                    ref("b1", "indirect", s("told"))),
        ItemOutcome("roles.source.exact", "correct", ref("a1", "direct", s("Macron")),
                    ref("b1", "indirect", s("Macron"))),
        ItemOutcome("roles.content.exact", "correct", ref("a1", "direct", quote),
                    ref("b1", "indirect", quote)),
        ItemOutcome("roles.cue.exact", "missed", ref("a2", "indirect", s("said")), None),
        ItemOutcome("roles.source.exact", "missed", ref("a2", "indirect", s("Kyiv")), None),
        ItemOutcome("roles.content.exact", "missed",
                    ref("a2", "indirect", s("France would send troops")), None),
    ]  # fmt: skip
    return DocumentOutcomes(doc_id, tuple(entities), tuple(proposals), tuple(attributions))
