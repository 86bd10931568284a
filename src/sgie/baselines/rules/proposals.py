"""Rule baseline, proposal layer: modal and commitment cues with span, status and argument heuristics.

What it does
    ``find_proposals(t, mentions, attrs)`` returns ``Prop`` records. Steps:

    1. **Verbal mentions** -- cues from ``proposal_cues.txt`` (type, polarity, whether the cue
       is a stance predicate or a bare modal), with an optional auxiliary group before them
       ("has ruled out", "is ready to", "does not plan to"). A bare modal followed by a
       forecast or ability verb (``not`` lines of ``proposal_context.txt``: "would allow",
       "could lead to") is skipped, as is a cue in a title-case headline's first word.
       Headlines "<X> to <verb>" give a ``plan`` starting at "to".
    2. **Nominal mentions** -- proposal nouns from ``proposal_nouns.txt`` after a determiner,
       possessive or premodifier; the span is the noun with lower-case premodifiers and, if a
       "to"/"for"/"on" complement follows, the complement.
    3. **Span end** -- the end of the clause: sentence end, a condition marker, an attribution
       frame, ", which", ", but", "; ", " -- ", a participle clause, a subordinate clause ("as",
       "because", "while", ...) or a coordinated clause with its own auxiliary ("and will ...").
       Edge quotation marks and punctuation are trimmed. A proposal must mention a ``domain``
       word (test T4) and may not overlap an earlier one (verbal mentions first).
    4. **Status** -- refusals are ``rejected``; otherwise the first matching ``status`` cue of
       ``proposal_context.txt`` in the sentence (superseded, withdrawable, draft,
       under_discussion, agreed), else ``offered``. Polarity comes from the cue; a "not" right
       after the cue's auxiliary makes it negative.
    5. **Arguments** -- the subject noun phrase before the cue (an entity mention if the phrase
       ends in one, else the phrase as a participant; pronouns are skipped) is the proposer of
       stance predicates and the executor of every type except demands; for a demand the first
       entity after the cue is the executor; for bare modals the proposer is the attribution
       source when its source type is a named person, organisation or group. The first entity
       after "for", "support", "help", "protect", "provide" inside the span is the beneficiary.
       A condition right after the span (same sentence) is a ``condition`` argument.

What it does not do
    No coreference, no parsing, no list items. The lexicons were developed on the train and
    validation splits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from sgie.baselines.rules import lexicons
from sgie.baselines.rules.attributions import Attr
from sgie.baselines.rules.entities import Mention
from sgie.baselines.rules.phrases import np_before, words
from sgie.baselines.rules.text import Text, is_title_case, trim

Span = tuple[int, int]
AUX = (r"(?:(?:is|are|was|were|has|have|had|does|do|did|will|would|has been|have been)\s+"
       r"(?:(?:not|also|still|already|now|then|further)\s+|\w+ly\s+)*)?")  # fmt: skip
END_MARKERS = re.compile(
    r"(?:,\s+(?:which|but|while|as(?!\s+well)|although|because|something|when|where)\b|;|\s--\s|"
    r",\s+\w+ing\b(?<!including)|\s+(?:as|because|since|although|while|when)\s+(?!part\b|well\b)"
    r"\w+\s+(?:\w+\s+)?(?:is|are|was|were|has|have|had|does|do|did|will|would|can)\b|"
    r"\s+and\s+(?:will|would|could|should|must|may|has|have|is|are)\s|"
    r",\s+(?:it|he|she|they|we|this|these)\s+\w+|"
    r",\s+and\s+(?:\w+\s+){0,3}(?:have|has|had|is|are|was|were|will|would)\b)"
)
NOMINAL_BEFORE = re.compile(r"(?:\b(?:the|a|an|this|that|these|those|his|her|its|their|our|any)"
                            r"|['’]s|[\w.]+)\s+$", re.I)  # fmt: skip
BENEFICIARY_TYPES = ("GPE", "ORG", "PERSON", "MILITARY")
BENEFICIARY_CUES = re.compile(r"\b(?:for|support|supporting|help|helping|protect|protecting|"
                              r"provide|providing|assist|defend|aid)\s+(?:the\s+)?$")  # fmt: skip


@dataclass
class Prop:
    span: Span
    type: str
    status: str
    polarity: str
    arguments: list[tuple[str, Span]] = field(default_factory=list)

    def to_json(self, text: str, entity_ids: dict[Span, str], ident: str) -> dict:
        s, e = self.span
        return {"id": ident, "start": s, "end": e, "text": text[s:e], "type": self.type,
                "status": self.status, "polarity": self.polarity,
                "arguments": [{"role": role, "start": a, "end": b, "text": text[a:b],
                               "entity_id": entity_ids.get((a, b)) if role != "condition" else None}
                              for role, (a, b) in self.arguments]}  # fmt: skip


@cache
def _context(kind: str) -> tuple[str, ...]:
    return tuple(v for k, v in lexicons.columns("proposal_context", 2) if k == kind)


@cache
def _cue_res() -> tuple[tuple[str, str, bool, re.Pattern[str]], ...]:
    out = []
    for kind, polarity, stance, rx in lexicons.columns("proposal_cues", 4):
        out.append((kind, polarity, stance == "yes",
                    re.compile(rf"(?<![\w-]){AUX}(?:{rx})(?![\w-])")))
    return tuple(out)


@cache
def _condition_re() -> re.Pattern[str]:
    alts = "|".join(re.escape(m) for m in sorted(_context("condition"), key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s,\"“]))(?:is\s+|are\s+)?(?:{alts})\b")


def _domain(text: str) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(w)}", low) for w in _context("domain"))


def _clause_end(t: Text, start: int, sent_end: int, frames: list[Span]) -> int:
    text = t.text
    end = sent_end
    while end > start and text[end - 1] in ".?!\"”' ":
        end -= 1
    m = END_MARKERS.search(text, start + 1, end)
    if m:
        end = m.start()
    c = _condition_re().search(text, start + 1, end)
    if c:
        end = c.start()
    for fs, _ in frames:
        if start < fs < end:
            end = fs
    return end


def _trim_span(t: Text, s: int, e: int) -> Span:
    return trim(t.text, s, e, " ,;:-–—.\"“”'")


WINDOW_STATUSES = ("superseded", "under_discussion")


def _status(t: Text, span: Span, kind: str) -> str:
    """Status cues: superseded and under_discussion before or in the span (same sentence),
    the others anywhere in the sentence; refusals are rejected unless superseded."""
    ss, se = t.sentence_of(span[0])
    cues = [tuple(x.strip() for x in entry.split("|", 1)) for entry in _context("status")]
    before = t.text[ss:span[1]]
    sentence = t.text[ss:se]
    for status, rx in cues:
        if status == "superseded" and re.search(rx, t.text[ss:span[0]]):
            return status
    if kind == "refusal":
        return "rejected"
    for status, rx in cues:
        if status != "superseded" and re.search(rx, before if status in WINDOW_STATUSES else sentence):
            return status
    return "offered"


def _filler(t: Text, phrase: Span, mentions: list[Mention]) -> Span | None:
    """The argument target for a noun phrase: its final entity, else the phrase itself."""
    s, e = phrase
    last = t.text[s:e].split()[-1].lower()
    first = t.text[s:e].split()[0].lower()
    if t.text[s:e] in lexicons.entries("pronouns") or last in ("and", "or") or \
            last in words("prep") or first in words("prep") or last.endswith("ing"):  # fmt: skip
        return None
    for m in mentions:
        if m.end == e and m.start >= s and m.label != "QUANTITY":
            return m.start, m.end
    return phrase


def _arguments(t: Text, p: Prop, cue: Span, stance: bool, mentions: list[Mention],
               attrs: list[Attr], done: list[Prop]) -> None:
    ss, se = t.sentence_of(cue[0])
    subj_phrase = np_before(t, cue[0], ss)
    subj = _filler(t, subj_phrase, mentions) if subj_phrase else None
    args: list[tuple[str, Span]] = []
    proposer = subj if stance else None
    if not stance:
        holders = [a for a in attrs if any(s <= cue[0] < e for s, e in a.content)]
        if holders and holders[-1].source and (holders[-1].source_type in (
                "named_person", "named_organisation", "group") or p.type == "demand"):  # fmt: skip
            proposer = _filler(t, holders[-1].source[0], mentions)
    if not stance:
        holders = [a for a in attrs if any(s <= cue[0] < e for s, e in a.content)]
        if holders and t.text[holders[-1].cue[0][0]:holders[-1].cue[0][1]] in ("told", "tells"):
            p.type = "offer"  # "[X] told [counterparty] that [X's side] would ..."
    if subj is None and subj_phrase is None:  # a coordinated verb: the clause's earlier subject
        prev = [q for q in done if ss <= q.span[0] < cue[0]]
        if prev:
            p.arguments = [a for a in prev[-1].arguments if a[0] in ("proposer", "executor")]
            return
    if proposer:
        args.append(("proposer", proposer))
    if p.type == "demand" and stance:
        after = [m for m in mentions if cue[1] <= m.start < p.span[1] and m.label != "QUANTITY"]
        if after:
            target = after[0]
            if len(after) > 1 and re.fullmatch(r"[\w ]{0,12}", t.text[target.end:after[1].start]) \
                    and " to " not in t.text[target.end:after[1].start]:  # fmt: skip
                target = after[1]  # "Air Force General Dan Caine": the person
            args.append(("executor", (target.start, target.end)))
    elif subj:
        args.append(("executor", subj))
    for m in mentions:
        if p.span[0] <= m.start < p.span[1] and m.label in BENEFICIARY_TYPES and \
                t.text[m.end:m.end + 1] != "-" and \
                BENEFICIARY_CUES.search(t.text[max(p.span[0], m.start - 30):m.start]):  # fmt: skip
            args.append(("beneficiary", (m.start, m.end)))
            break
    cond = _condition_after(t, p.span, se)
    if cond:
        args.append(("condition", cond))
    p.arguments = args


def _condition_after(t: Text, span: Span, sent_end: int) -> Span | None:
    """A CONDITION starting right after a proposal span (same sentence), if any."""
    pos = span[1]
    while pos < sent_end and t.text[pos] in " ,\"“":
        pos += 1
    c = _condition_re().match(t.text, pos) if pos - span[1] <= 3 else None
    if c is None:
        return None
    cs = c.start()
    for aux in ("is ", "are "):
        if t.text.startswith(aux, cs):
            cs += len(aux)
    cond = _trim_span(t, cs, _clause_end(t, c.end(), sent_end, []))
    return cond if cond[1] > cond[0] else None


def _verbal(t: Text, mentions: list[Mention], attrs: list[Attr], frames: list[Span]) -> list[Prop]:
    text = t.text
    found: dict[int, tuple[str, str, bool, re.Match[str]]] = {}
    for kind, polarity, stance, rx in _cue_res():
        for m in rx.finditer(text):
            if m.start() not in found or len(m.group()) > len(found[m.start()][3].group()):
                if m.start() in found and found[m.start()][0] != kind and \
                        len(m.group()) <= len(found[m.start()][3].group()):  # fmt: skip
                    continue
                found[m.start()] = (kind, polarity, stance, m)
    out: list[Prop] = []
    for start in sorted(found):
        kind, polarity, stance, m = found[start]
        if not stance and re.match(rf"\s+{AUX}(?:{'|'.join(_context('not'))})", text[m.end():]):
            continue
        if any(s <= start < e and is_title_case(text, s, e) and start == s for s, e in t.lines):
            continue
        ss, se = t.sentence_of(start)
        if re.search(r"\b(?:the|a|an|this|its|their)\s+$", text[ss:start], re.I):
            continue  # "the proposed framework": an adjective, not a stance
        if re.search(r",\s+(?:something|what)\s+[^,]*$", text[ss:start]):
            continue  # ", something Kyiv has demanded": the action is only a pronoun
        if any(a <= start < b for a, b in _conditions(out)):
            continue
        end = _clause_end(t, m.end(), se, frames)
        span = _trim_span(t, start, end)
        if span[1] - span[0] <= len(m.group()) + 1 or not _domain(text[span[0]:span[1]]):
            continue
        if any(not (span[1] <= p.span[0] or p.span[1] <= span[0]) for p in out):
            continue
        negative = polarity == "negative" or re.search(r"\bnot\b", m.group())
        p = Prop(span, kind, _status(t, span, kind), "negative" if negative else "positive")
        _arguments(t, p, (m.start(), m.end()), stance, mentions, attrs, out)
        out.append(p)
    return out


def _conditions(props: list[Prop]) -> list[Span]:
    return [span for p in props for role, span in p.arguments if role == "condition"]


def _list_items(t: Text, frames: list[Span]) -> list[Prop]:
    """Numbered list items ("1. A demilitarized zone ...;"), guidelines 1.5 (list items)."""
    out = []
    for ls, le in t.lines:
        m = re.match(r"\d+\.\s+(?:(?:A|An|The)\s+)?", t.text[ls:le])
        if m:
            span = _trim_span(t, ls + m.end(), le)
            if span[1] > span[0] and _domain(t.text[span[0]:span[1]]):
                out.append(Prop(span, "plan", "offered", "positive"))
    return out


def _headline_to(t: Text, mentions: list[Mention], frames: list[Span]) -> list[Prop]:
    out = []
    for ls, le in t.lines[:4]:
        if t.text[le - 1] in ".?!":
            continue
        m = re.match(r"^(?:[A-Z][\w.’'-]*\s+){1,3}(to)\s+\w+", t.text[ls:le])
        if m:
            start = ls + m.start(1)
            end = _clause_end(t, start + 3, le, frames)
            span = _trim_span(t, start, end)
            if _domain(t.text[span[0]:span[1]]):
                out.append(Prop(span, "plan", "offered", "positive"))
    return out


def _nominal(t: Text, mentions: list[Mention], frames: list[Span], taken: list[Prop]) -> list[Prop]:
    text = t.text
    nouns = {n: k for k, n in lexicons.columns("proposal_nouns")}
    dets = words("det")
    out: list[Prop] = []
    for m in re.finditer(r"\b(" + "|".join(sorted(nouns, key=len, reverse=True)) + r")\b", text):
        start, end = m.start(), m.end()
        if any(p.span[0] <= start < p.span[1] for p in taken + out) or \
                any(a <= start < b for a, b in _conditions(taken + out)):  # fmt: skip
            continue
        if not NOMINAL_BEFORE.search(text[max(0, start - 20):start]):
            continue
        # lower-case premodifiers that do not name the proposer
        toks = t.tokens_in(max(0, start - 40), start)
        while toks and toks[-1].text.islower() and toks[-1].text not in dets and toks[-1].is_word \
                and not any(x.start <= toks[-1].start < x.end for x in mentions):  # fmt: skip
            start = toks.pop().start
        ss, se = t.sentence_of(start)
        if re.match(r"\s+(?:to\s+\w+|for|on)\b", text[end:se]):
            end = _clause_end(t, end, se, frames)
            aux = re.search(r"\s+(?:was|were|is|are|has|have|had|will|would|could)\b", text[m.end():end])
            if aux:
                end = m.end() + aux.start()
        span = _trim_span(t, start, end)
        anaphoric = re.search(r"\b(?:the|this|that|these)\s+$", text[max(0, m.start() - 6):m.start()], re.I)
        if not anaphoric and not _domain(text[max(0, ss - 200):se + 200]):
            continue
        kind = nouns[m.group(1)]
        p = Prop(span, kind, _status(t, span, kind), "positive")
        cond = _condition_after(t, span, se)
        poss = [x for x in mentions if x.end in (m.start() - 1, m.start() - 3, m.start() - 2)
                and x.label in ("GPE", "NORP", "PERSON", "ORG")]
        if poss:
            p.arguments = [("proposer", (poss[-1].start, poss[-1].end))]
            if kind not in ("demand", "option"):
                p.arguments.append(("executor", (poss[-1].start, poss[-1].end)))
        if cond:
            p.arguments.append(("condition", cond))
        out.append(p)
    return out


def find_proposals(t: Text, mentions: list[Mention], attrs: list[Attr]) -> list[Prop]:
    """The proposals of a document, in text order."""
    frames = [a.frame for a in attrs]
    verbal = _headline_to(t, mentions, frames) + _list_items(t, frames)
    for p in _verbal(t, mentions, attrs, frames):
        if all(p.span[1] <= q.span[0] or q.span[1] <= p.span[0] for q in verbal):
            verbal.append(p)
    nominal = _nominal(t, mentions, frames, verbal)
    return sorted(verbal + nominal, key=lambda p: p.span)
