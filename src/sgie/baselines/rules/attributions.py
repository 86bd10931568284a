"""Rule baseline, attribution layer: a cue lexicon with source/content heuristics.

What it does
    ``find_attributions(t, mentions)`` returns ``Attr`` records (cue, source and content spans,
    quote type, source type, parent). Cues come from ``attribution_cues.txt``; a cue is dropped
    when negated ("did not say"), when it is a directive ("told X to ..."), or when it lies
    inside a quotation without a following "that". Then, by the cue's position:

    * **headline dash** -- a headline ending in " – <outlet>" (an outlet entity): cue «–»,
      source the outlet, content the headline before it;
    * **"according to"** -- sentence-initial: source up to the comma, content the rest of the
      sentence; otherwise: content the clause before the comma, source the phrase after;
      "according to which": source «which», content the following clause;
    * **"citing"** -- source the phrase after it; content and parent are those of the nearest
      attribution cue before it in the sentence;
    * **"X was reported by Y"** / **", as reported by Y,"** -- source Y; content the subject
      (and, for the parenthetical form, the rest of the sentence too);
    * **post-quotation frame** -- ``"...," X said`` / ``"...," said X``: content the quotation
      (marks included), source the phrase between quotation and cue (or after the cue); an
      uncued quotation opening the next sentence is added as a further content region;
    * **sentence-final frame** -- ``..., X said.``: content the sentence before the comma;
    * **participles** -- ", adding that ...": the source is the sentence subject;
    * **otherwise** -- ``X said (that) ...``: source the noun phrase before the cue, content
      from after "that" (if it follows within a few words) or the cue to the end of the
      sentence, cut before ", which"/", something"/", <participle>" and, after a fronted
      subordinator ("Although X said ..."), at the next comma.

    ``quote_type`` follows the guidelines' mechanical rule on the content regions (every
    character quoted -> direct; none and no mark -> indirect; else mixed). ``source_type`` is a
    first-match procedure: no source -> none, pronoun, outlet entity -> media_outlet, head noun
    lists in ``source_heads.txt`` (document, then person entity/role -> named_person, group,
    anonymous), organisation or state entity -> named_organisation, else anonymous. The parent
    is the innermost other attribution whose content contains the cue ("citing": the cited
    frame). ``frames()`` gives the character ranges of the frames, which end proposal spans.

What it does not do
    No discontinuous cues, no coordinated multi-source attributions. The lexicons were
    developed on the train and validation splits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sgie.baselines.rules import lexicons
from sgie.baselines.rules.entities import Mention
from sgie.baselines.rules.phrases import np_after, np_before, sentence_subject, strip_det, words
from sgie.baselines.rules.text import Text, has_quote_mark, is_title_case, trim
from sgie.records import JSON, JSONObject

Span = tuple[int, int]
CONTENT_CUTS = re.compile(r",\s+(?:which|something|aligning|adding|emphasizing|emphasising|"
                          r"stating|arguing|saying|noting|stressing)\b")  # fmt: skip
SUBORDINATORS = ("Although", "Though", "While", "As", "If", "When", "After", "Because")


@dataclass
class Attr:
    cue: list[Span]
    source: list[Span]
    content: list[Span]
    frame: Span
    quote_type: str = "indirect"
    source_type: str = "none"
    parent: int | None = None
    kind: str = "verb"
    cited_obj: Attr | None = None  # "citing": the attribution it cites
    cited: int | None = None  # ... and that attribution's index once the list is sorted

    def to_json(self, text: str, ident: str, all_attrs: list[Attr]) -> JSONObject:
        def spans(xs: list[Span]) -> list[JSON]:
            return [{"start": s, "end": e, "text": text[s:e]} for s, e in xs]

        return {"id": ident, "cue": spans(self.cue), "source": spans(self.source),
                "content": spans(self.content), "quote_type": self.quote_type,
                "source_type": self.source_type,
                "parent_id": None if self.parent is None else f"a{self.parent + 1}"}  # fmt: skip


def _cues(t: Text) -> list[tuple[str, int, int]]:
    out = []
    for kind, cue in lexicons.columns("attribution_cues"):
        for m in re.finditer(rf"(?<![\w-]){re.escape(cue)}(?![\w-])", t.text):
            out.append((kind, m.start(), m.end()))
    return sorted(out, key=lambda c: c[1])


def _dropped(t: Text, kind: str, s: int, e: int) -> bool:
    text = t.text
    before = text[max(0, s - 12):s].lower()
    if re.search(r"\b(?:not|n't|never)\s+$", before):
        return True
    after = text[e:e + 60]
    if text[s:e] in ("told", "tells") and re.match(r"[^,.;\"“”]{0,40}?\bto\s+\w", after) and not \
            re.match(r"[^,.;\"“”]{0,40}?\bthat\b", after):  # fmt: skip
        return True
    if t.in_quote(s) and not re.match(r"\s+(?:\w+\s+){0,3}that\b", after):
        return True
    return False


def _end_of_content(t: Text, s: int, sent_end: int, cut_comma: bool) -> int:
    text = t.text
    e = sent_end
    while e > s and text[e - 1] in ".?! ":
        e -= 1
    m = CONTENT_CUTS.search(text, s, e)
    if m:
        e = m.start()
    if cut_comma:
        c = text.find(",", s, e)
        if c != -1:
            e = c
    return e


def _quote_before(t: Text, pos: int) -> Span | None:
    """A quotation ending (with an optional comma) just before ``pos`` (spaces apart)."""
    i = pos
    while i > 0 and t.text[i - 1] == " ":
        i -= 1
    for qs, qe in t.quotes:
        if qe == i or (qe == i - 1 and t.text[i - 1] == ","):
            return qs, qe
    return None


def _source_type(t: Text, source: list[Span], mentions: list[Mention]) -> str:
    if not source:
        return "none"
    s, e = source[0]
    phrase = t.text[s:e]
    if phrase in lexicons.entries("pronouns"):
        return "pronoun"
    inside = [m for m in mentions if s <= m.start and m.end <= e and m.label != "QUANTITY"]
    if any(m.label == "MEDIA" for m in inside):
        return "media_outlet"
    heads = {w.lower(): k for k, w in lexicons.columns("source_heads")}
    kinds = [heads[w.lower()] for w in re.findall(r"[\w’']+", phrase) if w.lower() in heads]
    if kinds and kinds[0] == "document":
        return "document"
    if any(m.label == "PERSON" for m in inside) or "named_person" in kinds:
        return "named_person"
    if kinds:
        return kinds[0]
    if inside:
        return "named_organisation"
    return "anonymous"


def _quote_type(t: Text, content: list[Span]) -> str:
    chars = [i for s, e in content for i in range(s, e)]
    quoted = [any(qs <= i < qe for qs, qe in t.quotes) for i in chars]
    if chars and all(quoted):
        return "direct"
    if not any(quoted) and not any(has_quote_mark(t.text, s, e) for s, e in content):
        return "indirect"
    return "mixed"


def _headline_dash(t: Text, mentions: list[Mention]) -> list[Attr]:
    out = []
    for ls, le in t.lines[:3]:
        m = re.search(r"\s([–—-])\s+(\S.*)$", t.text[ls:le])
        if not m:
            continue
        ss, se = ls + m.start(2), le
        if any(x.start == ss and x.end == se and x.label == "MEDIA" for x in mentions):
            content = trim(t.text, ls, ls + m.start(1))
            out.append(Attr([(ls + m.start(1), ls + m.end(1))], [(ss, se)], [content],
                            (ls + m.start(1), le), kind="dash"))
    return out


def _one(t: Text, kind: str, cs: int, ce: int, attrs: list[Attr]) -> Attr | None:
    text = t.text
    ss, se = t.sentence_of(cs)
    if kind == "prep":
        if text[ce:ce + 7] == " which ":
            w = ce + 1
            end = _end_of_content(t, w + 6, se, False)
            return Attr([(cs, ce)], [(w, w + 5)], [trim(text, w + 6, end)], (cs, w + 5), kind=kind)
        if not text[ss:cs].strip():
            comma = text.find(",", ce, se)
            if comma == -1:
                return None
            src = np_after(t, ce, comma)
            content = trim(text, comma + 1, _end_of_content(t, comma + 1, se, False))
            return Attr([(cs, ce)], [src] if src else [], [content], (cs, comma), kind=kind)
        before = trim(text, ss, cs)
        src = np_after(t, ce, se)
        return Attr([(cs, ce)], [src] if src else [], [before], (cs, se), kind=kind)
    if kind == "citing":
        prev = [a for a in attrs if ss <= a.cue[0][0] < cs]
        src = np_after(t, ce, se)
        if not prev or not src:
            return None
        a = Attr([(cs, ce)], [src], list(prev[-1].content), (cs, se), kind=kind)
        a.cited_obj = prev[-1]
        return a
    m = re.search(r"(\w+)\s+(?:was|were|has been|had been)\s+$", text[ss:cs])
    by = re.match(r"\s+by\s+", text[ce:])
    if by:
        src = np_after(t, ce + by.end(), se)
        as_m = re.search(r",\s+as\s+$", text[ss:cs])
        if as_m and src:
            comma = text.find(",", src[1], se)
            parts = [trim(text, ss, ss + as_m.start())]
            if comma != -1:
                parts.append(trim(text, comma + 1, _end_of_content(t, comma + 1, se, False)))
            return Attr([(cs, ce)], [src], parts, (ss + as_m.start(), comma), kind=kind)
        if m and src:
            subj = strip_det(t, ss, ss + m.end(1)) if ss + m.end(1) > ss else None
            if subj:
                return Attr([(cs, ce)], [src], [subj], (cs, se), kind=kind)
    quote = _quote_before(t, cs)
    between = None
    if quote is None:
        # "..." X said: a quotation, then a short phrase, then the cue
        for qs, qe in t.quotes:
            later = any(q[0] > qe and q[1] <= cs for q in t.quotes)
            if qe < cs and "," not in text[qe:cs] and 0 < cs - qe < 100 and not later and \
                    re.match(r"^,?\s+\S", text[qe:cs]):  # fmt: skip
                between = (qe, cs)
                quote = (qs, qe)
        if quote and text[quote[1] - 2:quote[1] - 1] not in ",.?!":
            quote, between = None, None
    if quote is not None:
        if between is not None:
            src = np_before(t, cs, quote[1])
        else:
            src = np_after(t, ce, se)
            if src and t.text[src[0]:src[1]].split()[0] in ("in", "on", "at", "to"):
                src = None
        contents = [quote]
        following = [s for s, _ in t.sentences if s >= se]
        if following:
            q2 = t.quote_at(following[0])
            if q2 and q2[0] == following[0]:
                q2_sentence = t.sentence_of(q2[1] - 1)
                if not any(q2[0] <= c < q2_sentence[1] for _, c, _ in _cues(t)):
                    contents.append(q2)
        return Attr([(cs, ce)], [src] if src else [], contents, (quote[1], se), kind=kind)
    after = re.match(r"((?:\s+[\w.’']+){0,6}?)\s+that\s+", text[ce:se])
    if after and "," in after.group(1):
        after = None
    # sentence-final or parenthetical frame: "..., X said." / "..., X reported, citing Y" /
    # "Such a step, he added, could lead to ..."
    comma = text.rfind(",", ss, cs)
    rest = text[ce:se]
    final = not rest.strip(" .") or re.match(r"\s+(?:in|on|at|to|after|before|during|ahead)\b", rest)
    if comma != -1 and not after and kind != "participle" and (final or rest.startswith(",")):
        src = np_before(t, cs, comma + 1)
        if src is not None:
            contents = [trim(text, ss, comma)]
            nxt = re.match(r",\s+(?!citing|adding|according|stating|emphasi[sz]ing|arguing)", rest)
            if nxt and not final:
                more = ce + nxt.end()
                contents.append(trim(text, more, _end_of_content(t, more, se, False)))
            q = t.quote_at(ss)
            if q and q[1] <= comma + 2:  # '"...," it said': the content is the quotation
                contents[0] = q
            return Attr([(cs, ce)], [src], contents, (comma, se), kind=kind)
    if kind == "participle":
        prev = [a for a in attrs if ss <= a.cue[0][0] < cs and a.source]
        src = prev[-1].source[0] if prev else sentence_subject(t, ss, cs)
    else:
        src = np_before(t, cs, ss)
    start = ce + after.end() if after else ce
    fronted = text[ss:cs].split(" ")[0] in SUBORDINATORS
    end = _end_of_content(t, start, se, fronted)
    q = t.quote_at(cs)
    if q is not None:  # a cue inside a quotation: its content ends with the quotation
        end = min(end, q[1] - 1)
    content = trim(text, start, end)
    if content[1] <= content[0]:
        return None
    if kind == "participle" or src is None:
        frame = (cs, content[0])
    else:
        frame = (src[0], content[0])
    return Attr([(cs, ce)], [src] if src else [], [content], frame, kind=kind)


def _cut_at_frames(t: Text, attrs: list[Attr]) -> None:
    """End a content before the sentence-final frame of an attribution that encloses it."""
    for a in attrs:
        s, e = a.content[-1]
        for b in attrs:
            f = b.frame[0]
            if b is not a and s < f < e and f > a.cue[0][1] and t.text[f] == ",":
                e = f
        a.content[-1] = trim(t.text, s, e)


def _parents(attrs: list[Attr]) -> None:
    for a in attrs:
        if a.cited is not None:
            a.parent = a.cited
    for i, a in enumerate(attrs):
        if a.parent is not None:
            continue
        cue = a.cue[0][0]
        holders = [j for j, b in enumerate(attrs) if j != i and
                   any(s <= cue < e for s, e in b.content)]  # fmt: skip
        if not holders:
            continue
        size = min(sum(e - s for s, e in attrs[j].content) for j in holders)
        best = [j for j in holders if sum(e - s for s, e in attrs[j].content) == size]
        inner = [j for j in best if attrs[j].parent in best]
        a.parent = (inner or best)[-1]


def find_attributions(t: Text, mentions: list[Mention]) -> list[Attr]:
    """The attributions of a document, in cue order."""
    attrs = _headline_dash(t, mentions)
    taken = {a.cue[0] for a in attrs}
    for kind, cs, ce in _cues(t):
        if (cs, ce) in taken or _dropped(t, kind, cs, ce):
            continue
        if any(is_title_case(t.text, s, e) and s <= cs < e for s, e in t.lines):
            continue
        a = _one(t, kind, cs, ce, attrs)
        if a is None or not a.content or any(e <= s for s, e in a.content):
            continue
        a.source = [s for s in a.source if s[1] > s[0] and s[1] - s[0] < 120]
        attrs.append(a)
    attrs.sort(key=lambda a: a.cue[0])
    # re-point "cited" indices after sorting
    for a in attrs:
        if a.cited_obj is not None:
            a.cited = attrs.index(a.cited_obj)
    _cut_at_frames(t, attrs)
    _parents(attrs)
    for a in attrs:
        a.quote_type = _quote_type(t, a.content)
        a.source_type = _source_type(t, a.source, mentions)
    return attrs


def frames(attrs: list[Attr]) -> list[Span]:
    """The frame ranges (cue, source and what follows them) of the attributions."""
    return [a.frame for a in attrs]


__all__ = ["Attr", "find_attributions", "frames", "words"]
