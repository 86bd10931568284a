"""Rule baseline, entity layer: gazetteers, patterns and capitalisation, with a type heuristic.

What it does
    ``find_entities(t)`` returns non-overlapping ``Mention``\\s (start, end, label) for a
    ``sgie.baselines.rules.text.Text``. Candidates come from, in order of trust:

    1. **Patterns** -- ``QUANTITY`` (optional approximator + number + optional multiplier +
       counted noun from ``quantity.txt``/``numbers.txt``: "up to 30,000 troops", "tens of
       thousands of troops"); ``LAW`` ("Article 5", "Article 5 of NATO", "<Name> Treaty");
       ``EVENT`` ("<Name>-<Name> war", "World War II", "the <Name> attacks"); ``EQUIPMENT``
       model names ("Airbus A321"); ``MILITARY`` (a state or nationality word + a service noun
       from ``military.txt``, "armed forces of <state>", capitalised service names).
    2. **Gazetteers** (``gpe``, ``media``, ``org``, ``loc``, ``norp``, ``equipment``), matched
       case-sensitively on whole tokens; hyphenated compounds match their name part
       ("European-led" -> «European»).
    3. **Capitalisation** -- a name after a title from ``titles.txt`` is a ``PERSON`` ("Foreign
       Minister Hakan Fidan" -> «Hakan Fidan»); outside title-case headlines, a run of two or
       more capitalised words that no gazetteer knows is an ``ORG`` if it ends in a head from
       ``org_heads.txt`` and a ``PERSON`` otherwise; surnames and single names of persons found
       so far are then ``PERSON`` wherever they recur in the document.

    Overlaps are resolved longest first, then by the guidelines' type order (MEDIA, MILITARY,
    GPE, ORG, LOC, NORP, LAW, EVENT, EQUIPMENT, QUANTITY, PERSON). Determiners, titles,
    possessive "'s" and quotation marks are never part of a span because no rule includes them.

What it does not do
    No coreference, no metonymy beyond the gazetteer types, no learning. The lexicons were
    developed on the train and validation splits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sgie.baselines.rules import lexicons
from sgie.baselines.rules.text import Text, Token, is_title_case, tokenize

TYPE_ORDER = ("MEDIA", "MILITARY", "GPE", "ORG", "LOC", "NORP", "LAW", "EVENT", "EQUIPMENT",
              "QUANTITY", "PERSON")  # fmt: skip
GAZETTEERS = {"media": "MEDIA", "gpe": "GPE", "org": "ORG", "loc": "LOC", "norp": "NORP",
              "equipment": "EQUIPMENT"}  # fmt: skip
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")  # fmt: skip


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    rule: str


@dataclass(frozen=True)
class Entry:
    tokens: tuple[str, ...]
    label: str
    after: str | None  # required preceding word (not part of the span)


@cache
def gazetteer() -> dict[str, tuple[Entry, ...]]:
    """First token -> the gazetteer entries starting with it."""
    out: dict[str, list[Entry]] = {}
    for name, label in GAZETTEERS.items():
        for raw in lexicons.entries(name):
            after = None
            m = re.match(r"^\[(\w+)\]\s*(.+)$", raw)
            if m:
                after, raw = m.group(1), m.group(2)
            toks = tuple(t.text for t in tokenize(raw))
            out.setdefault(toks[0], []).append(Entry(toks, label, after))
    return {k: tuple(sorted(v, key=lambda e: -len(e.tokens))) for k, v in out.items()}


@cache
def _quantity_re() -> re.Pattern[str]:
    kinds = lexicons.table("quantity")
    nouns = "|".join(re.escape(p) for k, p in kinds if k == "noun")
    approx = "|".join(re.escape(p) for k, p in kinds if k == "approx")
    words = "|".join(re.escape(w) for w in lexicons.entries("numbers"))
    num = rf"(?:\d+(?:[.,]\d+)*(?:[–-]\d+(?:[.,]\d+)*)?|(?i:{words}))"
    mult = r"(?:\s+(?:hundred|thousand|million)s?)?"
    return re.compile(rf"(?<![\w-])(?:(?i:{approx})\s+)?{num}{mult}(?:\s+of)?\s+(?:{nouns})\b")


@cache
def _military_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    services = [s for s in lexicons.entries("military")]
    lower = "|".join(re.escape(s) for s in services if s[0].islower())
    upper = "|".join(re.escape(s) for s in services if s[0].isupper())
    return re.compile(rf"\b(?:{lower})\b"), re.compile(rf"\b(?:{upper})\b")


LAW_RES = (
    re.compile(r"\bArticle \d+(?:[-–]\d+)?(?: of (?:the )?[A-Z][\w.]*(?: [A-Z][\w.]*)*)?"),
    re.compile(r"\b(?:[A-Z][a-z]+ )+(?:Treaty|Charter|Convention|Accords?|Pact|Protocol|"
               r"Memorandum|Doctrine)\b"),
    re.compile(r"\b(?:Treaty|Charter|Convention) of [A-Z]\w+"),
)
EVENT_RES = (
    re.compile(r"\b[A-Z]\w+-[A-Z]\w+ (?:war|conflict)\b"),
    re.compile(r"\b(?:World War (?:II|I|One|Two)|Cold War|(?:First|Second) World War)\b"),
    re.compile(rf"(?<=\bthe )(?:[A-Z]\w+|(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?) "
               r"(?:attacks|bombings|massacre)\b"),
)
MONTH_ABBREVIATIONS = frozenset({"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
                                 "Oct", "Nov", "Dec"})  # fmt: skip
SUBJECT_VERBS = frozenset({"has", "had", "did", "was", "is", "will", "would"})
EQUIPMENT_RES = (re.compile(r"\b(?:Airbus|Boeing|Tupolev|Ilyushin|Sukhoi|Antonov) [A-Z]?-?\d+\w*"),)


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start] in ("", " ")


def _gazetteer_mentions(t: Text) -> list[Mention]:
    gaz = gazetteer()
    toks = t.tokens
    out = []
    for i, tok in enumerate(toks):
        for entry in gaz.get(tok.text, ()):
            n = len(entry.tokens)
            seq = toks[i:i + n]
            if len(seq) < n or tuple(x.text for x in seq) != entry.tokens:
                continue
            if any(not _gap_ok(t.text, seq[k], seq[k + 1]) for k in range(n - 1)):
                continue
            if entry.after and (i == 0 or toks[i - 1].text.lower() != entry.after.lower()):
                continue
            # whole-word check: a name is not part of a longer word ("US" in "USA" is a token)
            out.append(Mention(seq[0].start, seq[-1].end, entry.label, "gazetteer"))
            break
    return out


def _pattern_mentions(t: Text, title_lines: list[tuple[int, int]]) -> list[Mention]:
    text = t.text
    out = [Mention(m.start(), m.end(), "QUANTITY", "pattern") for m in _quantity_re().finditer(text)]

    def in_title(pos: int) -> bool:
        return any(s <= pos < e for s, e in title_lines)

    for rx in LAW_RES:
        out += [Mention(m.start(), m.end(), "LAW", "pattern") for m in rx.finditer(text)
                if not in_title(m.start()) and "\n" not in m.group()]
    for rx in EVENT_RES:
        out += [Mention(m.start(), m.end(), "EVENT", "pattern") for m in rx.finditer(text)]
    for rx in EQUIPMENT_RES:
        out += [Mention(m.start(), m.end(), "EQUIPMENT", "pattern") for m in rx.finditer(text)]
    return out


def _military_mentions(t: Text, gaz: list[Mention], title_lines: list[tuple[int, int]]) -> list[Mention]:
    text = t.text
    lower, upper = _military_re()
    out = []
    nat = [m for m in gaz if m.label in ("NORP", "GPE")]
    for m in nat:
        nxt = lower.match(text, m.end + 1) if text[m.end:m.end + 1] == " " else None
        if nxt:
            out.append(Mention(m.start, nxt.end(), "MILITARY", "pattern"))
    for found in re.finditer(r"\barmed forces of ", text):
        for g in nat:
            if g.start == found.end() and g.label == "GPE":
                out.append(Mention(found.start(), g.end, "MILITARY", "pattern"))
    for found in upper.finditer(text):
        if any(s <= found.start() < e for s, e in title_lines):
            continue
        start = found.start()
        for g in nat:
            if g.end + 1 == start and text[g.end] == " ":
                start = g.start
        out.append(Mention(start, found.end(), "MILITARY", "pattern"))
    return out


def _is_name_token(tok: Token, stop: frozenset[str]) -> bool:
    return tok.is_word and tok.text[0].isupper() and tok.text not in stop and not tok.text.isdigit()


def _title_spans(t: Text) -> list[tuple[int, int]]:
    """Character ranges of title words (matched as token sequences)."""
    titles = [tuple(x.text for x in tokenize(e)) for e in lexicons.entries("titles")]
    titles.sort(key=len, reverse=True)
    out = []
    toks = t.tokens
    i = 0
    while i < len(toks):
        for title in titles:
            seq = toks[i:i + len(title)]
            if tuple(x.text for x in seq) == title:
                out.append((seq[0].start, seq[-1].end))
                i += len(title) - 1
                break
        i += 1
    return out


def _name_runs(t: Text, taken: list[Mention], stop: frozenset[str]) -> list[list[Token]]:
    """Maximal runs of capitalised name tokens (joined by a space or a hyphen) not taken."""
    def free(tok: Token) -> bool:
        return not any(m.start <= tok.start < m.end for m in taken)

    runs: list[list[Token]] = []
    cur: list[Token] = []
    toks = t.tokens
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        # "Jan 6" is a date, "Jan Kowalski" a name: abbreviated months count as names unless a
        # number follows
        name = _is_name_token(tok, stop) or (tok.text in MONTH_ABBREVIATIONS and nxt is not None
                                             and not nxt.text[0].isdigit())  # fmt: skip
        if name and free(tok):
            if cur and (t.text[cur[-1].end:tok.start] == " " or
                        (t.text[cur[-1].end:tok.start] == "-" )):
                cur.append(tok)
                continue
            if cur:
                runs.append(cur)
            cur = [tok]
        elif tok.text == "-" and cur and i + 1 < len(toks) and toks[i + 1].start == tok.end:
            continue
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _person_mentions(t: Text, taken: list[Mention], title_lines: list[tuple[int, int]]) -> list[Mention]:
    text = t.text
    stop = frozenset(lexicons.entries("not_names")) | frozenset(
        w for e in lexicons.entries("titles") for w in e.split())
    org_heads = frozenset(lexicons.entries("org_heads"))
    titles = _title_spans(t)
    out: list[Mention] = []
    runs = _name_runs(t, taken, stop)
    verbs = frozenset(c for k, c in lexicons.columns("attribution_cues") if k in ("verb", "belief"))
    verbs |= SUBJECT_VERBS
    for run in runs:
        start, end = run[0].start, run[-1].end
        in_title_line = any(s <= start < e for s, e in title_lines)
        after_title = any(e == start - 1 and text[e] == " " for _, e in titles)
        nxt = re.match(r"\s*(['’]s\b|\w+)", text[end:end + 20])
        if after_title:
            out.append(Mention(start, end, "PERSON", "title"))
        elif len(run) >= 2 and not in_title_line:
            label = "ORG" if run[-1].text in org_heads else "PERSON"
            out.append(Mention(start, end, label, "capitals"))
        elif (len(run) == 1 and nxt and (nxt.group(1) in verbs or nxt.group(1)[0] in "'’")
              and not re.search(rf"\b{re.escape(run[0].text.lower())}\b", text)):
            # a lone unknown name (never written in lower case in the document) as the subject
            # of a speech verb, or a possessor
            out.append(Mention(start, end, "PERSON", "subject"))
    # recurring surnames and single names of the persons found
    names = {text[m.start:m.end].split()[-1] for m in out if m.label == "PERSON"}
    names |= {text[m.start:m.end] for m in out if m.label == "PERSON"}
    seen = taken + out
    for tok in t.tokens:
        if tok.text in names and not any(m.start < tok.end and tok.start < m.end for m in seen):
            out.append(Mention(tok.start, tok.end, "PERSON", "surname"))
    return out


def _resolve(cands: list[Mention]) -> list[Mention]:
    order = {label: i for i, label in enumerate(TYPE_ORDER)}
    chosen: list[Mention] = []
    for m in sorted(cands, key=lambda m: (-(m.end - m.start), order[m.label], m.start)):
        if all(m.end <= c.start or c.end <= m.start for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


def find_entities(t: Text) -> list[Mention]:
    """The entity mentions of a document (sorted, non-overlapping)."""
    title_lines = [(s, e) for s, e in t.lines if is_title_case(t.text, s, e)]
    patterns = _pattern_mentions(t, title_lines)
    gaz = _gazetteer_mentions(t)
    military = _military_mentions(t, gaz, title_lines)
    first = _resolve(patterns + gaz + military)
    persons = _person_mentions(t, first, title_lines)
    return _resolve(first + persons)
