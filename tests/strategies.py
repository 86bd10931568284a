"""Hypothesis strategies for SGIE tests: texts, spans, annotation records, gold/prediction pairs.

What it does
    Builds random but valid ``sgie.records`` values over random texts (from a small vocabulary,
    so words repeat and text-only grounding has work to do), predictions derived from gold by
    perturbation (kept, dropped, shifted, relabelled, spurious items), and small corpora.
    Shared by every test module; add new strategies here.

What it does not do
    No assertions, no I/O.
"""

from __future__ import annotations

from hypothesis import strategies as st
from msgspec.structs import replace

from sgie import schema
from sgie.records import Argument, Attribution, DocAnnotations, Entity, Proposal
from sgie.spans import Span

WORDS = ("Kyiv", "said", "the", "US", "would", "lead", "a", "force", "Europe", "allies",
         "Macron", "peace", "deal", "Ukraine's", "ceasefire", "support")  # fmt: skip
PUNCT = (",", ".", '"', " --")


@st.composite
def texts(draw: st.DrawFn, min_words: int = 1, max_words: int = 25) -> str:
    """A text of words and punctuation; never empty."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=max_words))
    out = []
    for w in words:
        out.append(w)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(PUNCT)))
        out.append(" ")
    return "".join(out).rstrip() or "x"


#: Pieces that ``sgie.scoring.textnorm.normalise`` changes or keeps, for ``typographic_texts``.
TYPOGRAPHY = ("\t", "\n\n", "  ", "\u00a0", "\u2009", "\u201cq\u201d", "\u2014", "\u2026", "`", " ", "Київ",
              "\u00ab", "x\u2019s", "\x01")  # fmt: skip


@st.composite
def typographic_texts(draw: st.DrawFn, min_words: int = 1, max_words: int = 12) -> str:
    """A text of words, punctuation and typography (white space of every kind, quotes, dashes,
    an ellipsis, non-ASCII letters, a control character); never empty."""
    words = draw(st.lists(st.sampled_from(WORDS + TYPOGRAPHY), min_size=min_words, max_size=max_words))
    return "".join(draw(st.sampled_from(["", " "])) + w for w in words) or "x"


@st.composite
def spans(draw: st.DrawFn, text: str, max_len: int = 40) -> Span:
    """A non-empty span of ``text``."""
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + max_len)))
    return Span.of(text, start, end)


@st.composite
def entities(draw: st.DrawFn, text: str, max_size: int = 6, prefix: str = "e") -> tuple[Entity, ...]:  # noqa: E501
    n = draw(st.integers(0, max_size))
    return tuple(Entity.at(f"{prefix}{i}", draw(spans(text)), draw(st.sampled_from(schema.ENTITY_LABELS)))
                 for i in range(n))  # fmt: skip


@st.composite
def arguments(draw: st.DrawFn, text: str, max_size: int = 3) -> tuple[Argument, ...]:
    n = draw(st.integers(0, max_size))
    return tuple(Argument.at(draw(st.sampled_from(schema.ROLE_NAMES)), draw(spans(text)), None)
                 for _ in range(n))  # fmt: skip


@st.composite
def proposals(draw: st.DrawFn, text: str, max_size: int = 4, prefix: str = "p") -> tuple[Proposal, ...]:  # noqa: E501
    n = draw(st.integers(0, max_size))
    return tuple(
        Proposal.at(
            f"{prefix}{i}",
            draw(spans(text)),
            draw(st.sampled_from(schema.PROPOSAL_TYPE.value_names)),
            draw(st.sampled_from(schema.PROPOSAL_STATUS.value_names)),
            draw(st.sampled_from(schema.PROPOSAL_POLARITY.value_names)),
            draw(arguments(text)),
        )
        for i in range(n)
    )


@st.composite
def attributions(draw: st.DrawFn, text: str, max_size: int = 4, prefix: str = "a") -> tuple[Attribution, ...]:  # noqa: E501
    """Attributions with distinct cue regions; parents are earlier attributions (no cycles)."""
    n = draw(st.integers(0, max_size))
    out: list[Attribution] = []
    cues: set[tuple[tuple[int, int], ...]] = set()
    for i in range(n):
        cue = tuple(draw(st.lists(spans(text, 12), min_size=1, max_size=2)))
        key = tuple(sorted({(s.start, s.end) for s in cue}))
        if key in cues:
            continue
        cues.add(key)
        parent = draw(st.one_of(st.none(), st.sampled_from([a.id for a in out]))) if out else None
        out.append(Attribution(
            f"{prefix}{i}", cue,
            tuple(draw(st.lists(spans(text), max_size=2))),
            tuple(draw(st.lists(spans(text), min_size=1, max_size=2))),
            draw(st.sampled_from(schema.QUOTE_TYPE.value_names)),
            draw(st.sampled_from(schema.SOURCE_TYPE.value_names)),
            parent,
        ))  # fmt: skip
    return tuple(out)


@st.composite
def doc_annotations(draw: st.DrawFn, doc_id: str, text: str) -> DocAnnotations:
    return DocAnnotations(doc_id, draw(entities(text)), draw(proposals(text)),
                          draw(attributions(text)))  # fmt: skip


# --------------------------------------------------------------------------------------------
# Predictions derived from gold
# --------------------------------------------------------------------------------------------
@st.composite
def nearby(draw: st.DrawFn, text: str, span: Span) -> Span:
    """``span`` kept (most often) or with its boundaries moved a little."""
    if draw(st.integers(0, 2)):
        return span
    start = min(max(0, span.start + draw(st.integers(-4, 4))), len(text) - 1)
    end = min(max(start + 1, span.end + draw(st.integers(-4, 4))), len(text))
    return Span.of(text, start, end)


@st.composite
def perturbed(draw: st.DrawFn, gold: DocAnnotations, text: str) -> DocAnnotations:
    """A prediction from ``gold``: items dropped, kept, moved, relabelled, plus spurious ones."""
    keep = st.integers(0, 3).map(bool)  # keep 3 times in 4

    ents = [Entity.at(f"x{i}", draw(nearby(text, e.span)),
                   e.label if draw(keep) else draw(st.sampled_from(schema.ENTITY_LABELS)))
            for i, e in enumerate(gold.entities or ()) if draw(keep)]  # fmt: skip
    ents += draw(entities(text, 2, "sx"))

    props = []
    for i, p in enumerate(gold.proposals or ()):
        if draw(keep):
            args = tuple(a.with_span(draw(nearby(text, a.span))) for a in p.arguments
                         if draw(keep))  # fmt: skip
            ptype = p.type if draw(keep) else draw(st.sampled_from(schema.PROPOSAL_TYPE.value_names))
            props.append(replace(p.with_span(draw(nearby(text, p.span))), id=f"y{i}", type=ptype,
                                 arguments=args))  # fmt: skip
    props += draw(proposals(text, 1, "sy"))

    kept = [a for a in gold.attributions or () if draw(keep)]
    ids = {a.id for a in kept}
    atts = [replace(a, id=f"z{a.id}", cue=tuple(draw(nearby(text, s)) for s in a.cue),
                    content=tuple(draw(nearby(text, s)) for s in a.content),
                    parent_id=f"z{a.parent_id}" if a.parent_id in ids else None)
            for a in kept]  # fmt: skip
    atts += draw(attributions(text, 1, "sz"))
    return DocAnnotations(gold.doc_id, tuple(ents), tuple(props), tuple(atts))


@st.composite
def corpora(
    draw: st.DrawFn, max_docs: int = 3
) -> tuple[dict[str, str], dict[str, DocAnnotations], dict[str, DocAnnotations]]:
    """(texts, gold, predictions) for 1..max_docs documents, all keyed by id."""
    n = draw(st.integers(1, max_docs))
    texts_, gold, pred = {}, {}, {}
    for i in range(n):
        doc_id = f"{i:03d}"
        texts_[doc_id] = text = draw(texts())
        gold[doc_id] = g = draw(doc_annotations(doc_id, text))
        pred[doc_id] = draw(perturbed(g, text))
    return texts_, gold, pred


# --------------------------------------------------------------------------------------------
# Entity-only inputs for the differential tests
# --------------------------------------------------------------------------------------------
Mention = tuple[int, int, str]  # (start, end, label), end exclusive


@st.composite
def unambiguous_mentions(draw: st.DrawFn, max_slots: int = 8) -> tuple[list[Mention], list[Mention], int]:  # noqa: E501
    """Gold and predicted mentions where no overlaps compete: each gold mention overlaps at
    most one prediction and vice versa (so greedy and optimal matching agree); mentions are at
    most 40 characters; lists are shuffled. Returns (gold, pred, text length)."""
    gold: list[Mention] = []
    pred: list[Mention] = []
    pos = 0
    labels = st.sampled_from(schema.ENTITY_LABELS)
    for _ in range(draw(st.integers(0, max_slots))):
        kind = draw(st.sampled_from(("gold", "pred", "pair", "pair")))
        length = draw(st.integers(1, 20))
        start = pos + draw(st.integers(0, 3))
        g = (start, start + length, draw(labels))
        if kind == "gold":
            gold.append(g)
            end = g[1]
        elif kind == "pred":
            pred.append(g)
            end = g[1]
        else:
            gold.append(g)
            if draw(st.booleans()):
                p_start, p_end = g[0], g[1]
            else:
                p_start = draw(st.integers(max(pos, g[0] - 5), g[1] - 1))
                p_end = draw(st.integers(max(p_start, g[0]) + 1, g[1] + 5))
            label = g[2] if draw(st.booleans()) else draw(labels)
            pred.append((p_start, p_end, label))
            end = max(g[1], p_end)
        pos = end + 1
    gold = draw(st.permutations(gold))
    pred = draw(st.permutations(pred))
    return list(gold), list(pred), max(pos, 1)


@st.composite
def sequence_mentions(draw: st.DrawFn, max_len: int = 30) -> tuple[list[Mention], list[Mention], int]:  # noqa: E501
    """Non-overlapping gold and (separately) non-overlapping predicted mentions over a
    sequence of ``n`` one-character tokens, sorted by start: exactly what IOB2 tags can
    express. Returns (gold, pred, n)."""
    n = draw(st.integers(1, max_len))

    def chunks() -> list[Mention]:
        out: list[Mention] = []
        i = 0
        while i < n:
            if draw(st.integers(0, 2)) == 0:
                length = draw(st.integers(1, min(6, n - i)))
                out.append((i, i + length, draw(st.sampled_from(("PERSON", "ORG", "GPE")))))
                i += length
            else:
                i += 1
        return out

    return chunks(), chunks(), n


# --------------------------------------------------------------------------------------------
# Dataset: tokenizer texts and token-aligned spans (sgie.dataset.tokenize / sgie.dataset.ner)
# --------------------------------------------------------------------------------------------
TOKEN_PIECES = ("Kyiv", "'s", "’s", "U.S.", "3,000", "-", "Russia", "Censor", ".", "NET", '"', "(",
                "AFP", ")", "ceasefire", "Zaharova", "é", "Ukraine", ",", "–", "don", "'t", "42")  # fmt: skip
SEPARATORS = ("", " ", " ", "\n", "\n\n", "  ", "\t")


@st.composite
def token_texts(draw: st.DrawFn, max_pieces: int = 30) -> str:
    """News-like text: words, clitics, initialisms, numbers, punctuation, blank lines."""
    pieces = draw(st.lists(st.sampled_from(TOKEN_PIECES), min_size=0, max_size=max_pieces))
    return "".join(p + draw(st.sampled_from(SEPARATORS)) for p in pieces)


@st.composite
def token_aligned_spans(draw: st.DrawFn, tokens: tuple, max_len: int = 4) -> list:
    """Non-overlapping ``TaggedSpan``s that start at a token start and end at a token end."""
    from sgie.dataset.ner import TaggedSpan

    out = []
    i = 0
    while i < len(tokens):
        if draw(st.integers(0, 2)) == 0:
            j = min(len(tokens), i + draw(st.integers(1, max_len)))
            label = draw(st.sampled_from(schema.ENTITY_LABELS))
            out.append(TaggedSpan(tokens[i].start, tokens[j - 1].end, label))
            i = j
        else:
            i += 1
    return out


# --------------------------------------------------------------------------------------------
# Leaderboard: multi-paragraph corpora scored by several systems (sgie.leaderboard)
# --------------------------------------------------------------------------------------------
@st.composite
def paragraph_texts(draw: st.DrawFn, max_paragraphs: int = 5) -> str:
    """Paragraphs of ``texts()`` separated by blank lines or single newlines."""
    paras = draw(st.lists(texts(max_words=12), min_size=1, max_size=max_paragraphs))
    out = paras[0]
    for p in paras[1:]:
        out += draw(st.sampled_from(("\n\n", "\n", "\n \n"))) + p
    return out


@st.composite
def system_corpora(
    draw: st.DrawFn, max_docs: int = 3, systems: int = 2
) -> tuple[dict[str, str], dict[str, DocAnnotations], list[dict[str, DocAnnotations]]]:
    """(texts, gold, [predictions of each system]) over 1..max_docs multi-paragraph documents;
    spans may cross line breaks, and attributions may nest across paragraphs."""
    n = draw(st.integers(1, max_docs))
    texts_: dict[str, str] = {}
    gold: dict[str, DocAnnotations] = {}
    preds: list[dict[str, DocAnnotations]] = [{} for _ in range(systems)]
    for i in range(n):
        doc_id = f"{i:03d}"
        texts_[doc_id] = text = draw(paragraph_texts())
        gold[doc_id] = g = draw(doc_annotations(doc_id, text))
        for p in preds:
            p[doc_id] = draw(perturbed(g, text))
    return texts_, gold, preds


# --------------------------------------------------------------------------------------------
# Raw JSON lines, valid and broken, for the validator (sgie.scoring.validate)
# --------------------------------------------------------------------------------------------
def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Paths (keys and indices) of every value inside a JSON value."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


REPLACEMENTS = (None, True, 1.0, -1, 0, 10**6, "", "x", "GPE", "offered", [], {}, "e0", "a0")


@st.composite
def broken_lines(draw: st.DrawFn, record: dict) -> str:
    """``record`` as one JSON line, often broken: a value replaced, a key dropped, added or
    repeated, white space before a colon, an offset moved, a span made text-only."""
    import copy
    import json

    obj = copy.deepcopy(record)
    kind = draw(st.sampled_from(("none", "replace", "drop", "unknown", "offset", "text-only",
                                 "repeat", "space")))  # fmt: skip
    paths = [p for p in _paths(obj) if p]
    if kind in ("replace", "drop", "unknown", "offset", "text-only") and paths:
        path = draw(st.sampled_from(paths))
        parent = obj
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if kind == "replace":
            parent[last] = draw(st.sampled_from(REPLACEMENTS))
        elif kind == "drop" and isinstance(parent, dict):
            del parent[last]
        elif kind == "unknown" and isinstance(parent, dict):
            parent["confidence"] = 1
        elif kind == "offset" and isinstance(parent, dict) and isinstance(parent.get("start"), int):
            parent[draw(st.sampled_from(("start", "end")))] += draw(st.sampled_from((-1, 1)))
        elif kind == "text-only" and isinstance(parent, dict) and "start" in parent:
            parent.pop("start")
            parent.pop("end", None)
    line = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if kind == "repeat":
        key = draw(st.sampled_from(("id", "start", "label", "text")))
        at = line.find(f'"{key}": ')
        if at != -1:
            value = json.dumps(draw(st.sampled_from(REPLACEMENTS)))
            line = line[:at] + f'"{key}": {value}, ' + line[at:]
    elif kind == "space":
        line = line.replace('": ', '" : ', 1)
    return line


@st.composite
def slotted_entities(draw: st.DrawFn, text: str, max_slots: int = 6) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:  # noqa: E501
    """Gold and predicted entities of ``text`` in disjoint slots, mostly one of each side per
    slot (the usual uncontested shape), sometimes a second prediction in a slot (competing
    overlaps) or a gold entity touching its neighbour's slot end to start."""
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2 * max_slots))))
    gold: list[Entity] = []
    pred: list[Entity] = []
    for start, end in zip(cuts, cuts[1:]):
        for side, prefix in ((gold, "g"), (pred, "p"), (pred, "q")):
            if (prefix == "q" and draw(st.integers(0, 9))) or (prefix != "q" and not draw(st.integers(0, 4))):
                continue
            s = draw(st.integers(start, end - 1))
            e = draw(st.integers(s + 1, end))
            side.append(Entity.at(f"{prefix}{len(side)}", Span.of(text, s, e),
                                  draw(st.sampled_from(schema.ENTITY_LABELS))))  # fmt: skip
    pred = draw(st.permutations(pred))
    return tuple(gold), tuple(pred)


@st.composite
def raw_entity_batches(draw: st.DrawFn, max_documents: int = 5, max_entities: int = 6) -> list:
    """The entities of a batch of documents as records that need not hold in any text: any
    strings (every width of str, NULs and astral characters included), any offsets up to 64
    bits and beyond, labels of the schema; documents as tuples or lists, some empty (for
    ``sgie.scoring.flatten``, which checks none of it)."""
    strings = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=12)
    offsets = st.one_of(st.integers(-5, 5000), st.integers(-(2**63), 2**63 - 1), st.integers(2**63, 2**70))
    entity = st.builds(Entity, strings, offsets, offsets, strings, st.sampled_from(schema.ENTITY_LABELS))
    docs = draw(st.lists(st.lists(entity, max_size=max_entities), max_size=max_documents))
    return [tuple(d) if draw(st.booleans()) else d for d in docs]
