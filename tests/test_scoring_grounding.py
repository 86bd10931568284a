"""Text-only spans: the grounding rule (version 2), linked arguments, ungrounded items kept apart."""

from __future__ import annotations

import pytest
from grounding_support import text_only_gold
from hypothesis import given, settings
from hypothesis import strategies as st

from sgie.errors import InputError
from sgie.scoring import wire
from sgie.scoring.grounding import RULE, TextGrounder
from sgie.scoring.placement import Placement
from sgie.scoring.placement import place_record as _place
from sgie.scoring.textnorm import NormalisedText, normalise
from sgie.scoring.validate import convert, parse_prediction

TEXT = "Kyiv said Kyiv would ask Kyiv's allies. Macron said yes."
TEXTS = {"d": TEXT}


def _att(i: str, cue: str, source: str | None, content: str, **kw: object) -> dict:
    return {"id": i, "cue": [{"text": cue}], "source": [{"text": source}] if source else [],
            "content": [{"text": content}], "quote_type": "indirect",
            "source_type": "named_organisation", "parent_id": None, **kw}  # fmt: skip


def place_record(text: str, record: dict) -> dict[str, Placement]:
    """The placements of a record given as JSON."""
    return _place(text, convert(record, wire.Prediction))


def _where(text: str, record: dict) -> dict[str, tuple[int, int] | None]:
    return {p: None if x.span is None else (x.span.start, x.span.end)
            for p, x in place_record(text, record).items()}  # fmt: skip


def test_rule_version_is_two():
    """The rule version recorded in the result names version 2."""
    assert RULE == "sgie-grounding-2"


def test_whole_tokens_only():
    """'Russia' does not occur inside 'Russian', 'Europe' not inside 'European-led'."""
    text = "Russian troops and a European-led force; Russia and Europe agreed."
    record = {"id": "d", "entities": [{"id": "e1", "text": "Russia", "label": "GPE"},
                                      {"id": "e2", "text": "Europe", "label": "LOC"}]}  # fmt: skip
    where = _where(text, record)
    assert where == {"entities[0]": (41, 47), "entities[1]": (52, 58)}
    assert NormalisedText("aaaa").find("aa") == []


def test_not_inside_a_longer_placed_span_of_the_layer():
    """'Russia' listed after a placed 'Russia-Ukraine war' goes to its own occurrence."""
    text = "The Russia-Ukraine war goes on, and Russia said so."
    record = {"id": "d", "entities": [{"id": "e1", "text": "Russia-Ukraine war", "label": "EVENT"},
                                      {"id": "e2", "text": "Russia", "label": "GPE"}]}  # fmt: skip
    assert _where(text, record)["entities[1]"] == (36, 42)


def test_kth_span_of_a_string_goes_to_the_kth_free_occurrence():
    """Listing every 'Kyiv' puts each on its own occurrence; an offset span occupies its own."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Kyiv", "label": "GPE"},
                           {"id": "e2", "start": 10, "end": 14, "text": "Kyiv", "label": "GPE"},
                           {"id": "e3", "text": "Kyiv", "label": "GPE"}]}  # fmt: skip
    doc, lost = parse_prediction(record, TEXTS)
    assert [e.span.start for e in doc.entities] == [0, 10, 25]
    assert lost.spans == ()


def test_layers_do_not_use_up_each_others_occurrences():
    """An attribution's source 'Kyiv' may sit on the same mention as the entity 'Kyiv'."""
    record = {"id": "d", "entities": [{"id": "e1", "text": "Kyiv", "label": "GPE"}],
              "attributions": [_att("a", "said", "Kyiv", "would ask")]}  # fmt: skip
    where = _where(TEXT, record)
    assert where["entities[0]"] == (0, 4)
    assert where["attributions[0].source[0]"] == (10, 14)  # next to its cue and content
    assert where["attributions[0].cue[0]"] == (5, 9)


def test_list_order_skips_an_unannotated_occurrence():
    """In document order, a mention that is not listed does not shift the later ones."""
    text = "France asked. He spoke in French to us. Britain and French troops went."
    record = {"id": "d", "entities": [{"id": "e1", "text": "France", "label": "GPE"},
                                      {"id": "e2", "text": "Britain", "label": "GPE"},
                                      {"id": "e3", "text": "French", "label": "NORP"}]}  # fmt: skip
    assert _where(text, record)["entities[2]"] == (52, 58)


def test_typographic_quotes_dashes_and_line_breaks_are_tolerated():
    """A retyped quotation lands on the original code points; `how` says it was normalised."""
    text = "He said: \u201cWe won\u2019t \u2013 ever \u2013\n  give up.\u201d Then he left."
    record = {"id": "d", "entities": [],
              "attributions": [_att("a", "said", "He", "\"We won't - ever - give up.\"")]}
    placements = place_record(text, record)
    content = placements["attributions[0].content[0]"]
    assert content.span is not None and content.how == "normalised"
    assert content.span.text == text[content.span.start:content.span.end]
    assert content.span.text.startswith("\u201cWe") and content.span.text.endswith("up.\u201d")
    assert placements["attributions[0].cue[0]"].how == "exact"


def test_proposal_is_placed_next_to_its_arguments():
    """Of two occurrences of a proposal string, the one near its (linked) proposer wins."""
    text = "There was no request. Later, France made a request for aid."
    record = {"id": "d", "entities": [{"id": "e1", "text": "France", "label": "GPE"}],
              "proposals": [{"id": "p", "text": "request", "type": "demand", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "France", "entity_id": "e1"}]}]}  # fmt: skip  # noqa: E501
    where = _where(text, record)
    assert where["proposals[0]"] == (43, 50)
    assert where["proposals[0].arguments[0]"] == (29, 35)


def test_attribution_spans_stay_together_within_a_paragraph():
    """'it said' after the content wins over an 'it said' in the paragraph before."""
    text = '"Fine," it said.\n\nThere would be help by Russia, it said.\n\nDone.'
    record = {"id": "d", "attributions": [_att("a", "said", "it", "There would be help by Russia")]}
    where = _where(text, record)
    assert where["attributions[0].source[0]"] == (49, 51)
    assert where["attributions[0].cue[0]"] == (52, 56)


def test_two_attributions_may_share_a_content():
    """Occurrences are not used up between attributions: two sources of one statement."""
    text = "Paris said and Berlin added that the force would help."
    record = {"id": "d", "attributions": [
        _att("a", "said", "Paris", "the force would help"),
        _att("b", "added", "Berlin", "the force would help")]}  # fmt: skip
    doc, lost = parse_prediction(record, {"d": text})
    assert lost.spans == ()
    assert doc.attributions[0].content == doc.attributions[1].content


def test_ungrounded_items_are_kept_apart_and_reported():
    """An item whose text does not occur is moved to `Ungrounded`, never dropped."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Paris", "label": "GPE"},
                           {"id": "e2", "text": "Macron", "label": "PERSON"}],
              "proposals": [{"id": "p", "text": "ask", "type": "demand", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "Berlin", "entity_id": None},
                                           {"role": "executor", "text": "allies", "entity_id": None}]}]}  # fmt: skip  # noqa: E501
    doc, lost = parse_prediction(record, TEXTS)
    assert [e.id for e in doc.entities] == ["e2"]
    assert [e.id for e in lost.entities] == ["e1"]
    assert [a.role for a in doc.proposals[0].arguments] == ["executor"]
    assert [a.role for a in lost.arguments] == ["proposer"]
    assert [(s.field, s.text) for s in lost.spans] == [
        ("entities[0].text", "Paris"), ("proposals[0].arguments[0].text", "Berlin")]
    assert lost.items("entities") == 1 and lost.items("proposals") == 1
    assert [(p.field, p.item, p.start, p.how) for p in lost.placed] == [
        ("entities[1].text", "e2", 40, "exact"), ("proposals[0].text", "p", 21, "exact"),
        ("proposals[0].arguments[1].text", "p", 32, "exact")]


def test_linked_argument_sits_on_its_entity():
    """A text-only argument naming an entity takes the entity's span, not a new occurrence."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Macron", "label": "PERSON"}],
              "proposals": [{"id": "p", "text": "ask", "type": "demand", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "Macron", "entity_id": "e1"}]}]}  # fmt: skip  # noqa: E501
    doc, lost = parse_prediction(record, TEXTS)
    assert doc.proposals[0].arguments[0].span == doc.entities[0].span
    assert lost.spans == ()


def test_grounding_order_is_the_record_shape_not_key_order():
    """The JSON key order of an attribution does not change where its spans land."""
    a = _att("a", "said", "Macron", "yes")
    shuffled = {k: a[k] for k in reversed(list(a))}
    assert _where(TEXT, {"id": "d", "attributions": [a]}) == \
        _where(TEXT, {"id": "d", "attributions": [shuffled]})  # fmt: skip
    assert TextGrounder(TEXT, convert({"id": "d", "attributions": [a]}, wire.Prediction)).ungrounded == []


def test_empty_text_only_span_is_an_error():
    """A text-only span with an empty string is bad input, not an ungrounded span."""
    with pytest.raises(InputError, match=r"'entities\[0\].text' must be a non-empty string"):
        parse_prediction({"id": "d", "entities": [{"id": "e", "text": "", "label": "GPE"}]}, TEXTS)


def test_half_offsets_are_an_error():
    """A span with `start` but no `end` is not text-only: it is rejected."""
    record = {"id": "d", "entities": [{"id": "e", "start": 0, "text": "Kyiv", "label": "GPE"}]}
    with pytest.raises(InputError, match=r"'entities\[0\].end' is required"):
        parse_prediction(record, TEXTS)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
WORDS = ("Kyiv", "Kyiv's", "Russia", "Russian", "said", "the", "force", "European-led", "Europe")
SEPARATORS = (" ", "  ", "\n", ", ", " \u2013 ", " \u201c", "\u201d ", "\u2019s ")
RETYPE = str.maketrans({"\u2013": "-", "\u201c": '"', "\u201d": '"', "\u2019": "'", "\n": " "})


#: No word of these is a whole-token part of another.
PLAIN = tuple(w for w in WORDS if w != "Kyiv's")


@st.composite
def worded(draw: st.DrawFn, words: tuple[str, ...] = WORDS) -> tuple[str, list[tuple[int, int]]]:
    """A text of words and separators, and the range of every word."""
    parts, ranges, pos = [], [], 0
    for _ in range(draw(st.integers(1, 30))):
        w = draw(st.sampled_from(words))
        ranges.append((pos, pos + len(w)))
        sep = draw(st.sampled_from(SEPARATORS))
        parts += [w, sep]
        pos += len(w) + len(sep)
    return "".join(parts), ranges


@settings(max_examples=150, deadline=None)
@given(worded(PLAIN), st.sets(st.sampled_from(PLAIN), min_size=1), st.randoms(use_true_random=False))
def test_every_mention_listed_is_recovered_in_any_order(case, chosen, rng):
    """When every occurrence of the listed words is listed, the placements are exactly the
    mentions (in document order), and the same set of ranges whatever the list order."""
    text, ranges = case
    mentions = [r for r in ranges if text[r[0]:r[1]] in chosen]
    ents = [{"id": f"e{i}", "text": text[a:b], "label": "GPE"} for i, (a, b) in enumerate(mentions)]
    where = _where(text, {"id": "d", "entities": ents})
    assert list(where.values()) == mentions
    rng.shuffle(ents)
    assert sorted(_where(text, {"id": "d", "entities": ents}).values()) == mentions


@settings(max_examples=150, deadline=None)
@given(worded(), st.data())
def test_a_retyped_substring_maps_back_to_exact_original_code_points(case, data):
    """Any run of whole words, retyped with straight quotes, hyphens and spaces, is found at
    its original range, and the placed text is the document's own."""
    text, ranges = case
    i = data.draw(st.integers(0, len(ranges) - 1))
    j = data.draw(st.integers(i, len(ranges) - 1))
    start, end = ranges[i][0], ranges[j][1]
    original = text[start:end]
    found = NormalisedText(text).find(original.translate(RETYPE))
    assert (start, end) in found
    assert all(normalise(text[a:b]) == normalise(original) for a, b in found)


@settings(max_examples=100, deadline=None)
@given(worded(), st.lists(st.sampled_from(WORDS), max_size=8))
def test_placements_are_deterministic_and_round_trip(case, strings):
    """Placing twice gives the same; placed spans given back with offsets parse to the same."""
    text, _ = case
    ents = [{"id": f"e{i}", "text": s, "label": "GPE"} for i, s in enumerate(strings)]
    record = {"id": "d", "entities": ents}
    first = place_record(text, record)
    assert first == place_record(text, record)
    doc, lost = parse_prediction(record, {"d": text})
    again, _ = parse_prediction(doc.to_json(), {"d": text})
    assert again == doc
    assert len(doc.entities or ()) + len(lost.entities) == len(strings)


# --------------------------------------------------------------------------------------------
# The committed gold as text-only spans
# --------------------------------------------------------------------------------------------
def _metrics(value: object) -> list[object]:
    """Every precision / recall / F1 / accuracy value in a result block."""
    if not isinstance(value, dict):
        return []
    out: list[object] = []
    for k, v in value.items():
        if k in ("precision", "recall", "f1", "accuracy", "macro_f1") and not isinstance(v, dict):
            out.append(v)
        else:
            out += _metrics(v)
    return out


def test_gold_as_text_only_spans_in_document_order_scores_100_everywhere():
    """Every committed document's gold, offsets removed, lists in document order: 100 in every
    scheme of all three layers, nothing ungrounded."""
    from sgie.annotations.store import gold_documents
    from sgie.corpus.manifest import default_corpus_dir, load_corpus
    from sgie.scoring import evaluate
    from sgie.scoring.predictions import Located, parse_records

    corpus = load_corpus(default_corpus_dir())
    gold = gold_documents(corpus=corpus)
    texts = {d.id: d.text for d in corpus.documents}
    assert sorted(gold) == sorted(texts) and len(gold) >= 5
    records = []
    for doc_id, doc in sorted(gold.items()):
        records.append((text_only_gold(doc), Located(doc_id)))
    predictions = parse_records(records, texts, "gold as text-only")
    result = evaluate(gold, predictions.docs, texts, ungrounded=predictions.ungrounded).to_json()
    assert result["ungrounded"]["spans"] == []  # type: ignore[index]
    for layer in ("entities", "proposals", "attributions"):
        values = _metrics(result[layer])
        assert values and all(v is None or v == 1.0 for v in values), layer
    assert result["entities"]["strict"]["f1"] == 1.0  # type: ignore[index]
    assert result["attributions"]["whole"]["exact"]["f1"] == 1.0  # type: ignore[index]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u2019\u201c\u201d\u2013\u2026'\"-.")))
def test_normalise_is_the_normalised_text_stripped(s):
    """The fast ``normalise`` equals the offset-keeping normalisation, stripped."""
    assert normalise(s) == NormalisedText(s).text.strip(" ")


def test_result_object_names_the_rule_and_every_placement(capsys):
    """`sgie evaluate --json` records the rule version and where each text-only span of the
    sample landed (document, field, item, string, offsets, how)."""
    import json
    from pathlib import Path

    from sgie.cli import main

    root = Path(__file__).resolve().parents[1]
    assert main(["evaluate", "--gold", str(root / "eval" / "sample_gold.jsonl"), "--predictions",
                 str(root / "eval" / "sample_predictions.jsonl"), "--json"]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["grounding"]["rule"] == RULE
    placed = result["grounding"]["placed"]
    keys = {"document", "field", "item", "text", "start", "end", "how"}
    assert placed and all(set(p) == keys for p in placed)
    texts = {json.loads(x)["id"]: json.loads(x)["text"]
             for x in (root / "eval" / "sample_gold.jsonl").read_text().splitlines()}  # fmt: skip
    assert all(texts[p["document"]][p["start"]:p["end"]] == p["text"] or p["how"] == "normalised"
               for p in placed)  # fmt: skip
    assert {p["how"] for p in placed} <= {"exact", "normalised"}


@st.composite
def random_records(draw: st.DrawFn) -> dict:
    """Prediction records of text-only spans drawn from WORDS, in every layer."""
    word = st.sampled_from(WORDS)
    strings = draw(st.lists(word, max_size=6))
    ents = [{"id": f"e{i}", "text": w, "label": "GPE"} for i, w in enumerate(strings)]
    props = [{"id": f"p{i}", "text": draw(word), "type": "offer", "status": "offered", "polarity": "positive",
              "arguments": [{"role": "executor", "text": w, "entity_id": None}
                            for w in draw(st.lists(word, max_size=2))]}
             for i in range(draw(st.integers(0, 3)))]  # fmt: skip
    atts = [_att(f"a{i}", draw(word), draw(st.one_of(st.none(), word)), draw(word))
            for i in range(draw(st.integers(0, 3)))]  # fmt: skip
    return {"id": "d", "entities": ents, "proposals": props, "attributions": atts}


@settings(max_examples=150, deadline=None)
@given(worded(), random_records())
def test_every_placement_is_a_whole_token_occurrence_of_its_string(case, record):
    """Whatever the record: a placed span is the document's own text, normalises to the given
    string and starts and ends at token boundaries; entities never share a range; an
    attribution's spans never overlap each other."""
    text, _ = case
    placements = place_record(text, record)
    for p in placements.values():
        if p.span is None:
            continue
        a, b = p.span.start, p.span.end
        assert text[a:b] == p.span.text and normalise(p.span.text) == normalise(p.text)
        assert a == 0 or not (text[a - 1].isalnum() and text[a].isalnum())
        assert b == len(text) or not (text[b - 1].isalnum() and text[b].isalnum())
    ents = [(p.span.start, p.span.end) for k, p in placements.items() if k.startswith("entities") and p.span]
    assert len(ents) == len(set(ents))
    for i in range(len(record["attributions"])):
        spans = sorted((p.span.start, p.span.end) for k, p in placements.items()
                       if k.startswith(f"attributions[{i}].") and p.span)  # fmt: skip
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))
