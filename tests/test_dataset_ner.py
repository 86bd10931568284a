"""The ner config: documented tokenizer and paragraphs, BIO round trip, alignment report."""

from __future__ import annotations

import pytest
from dataset_support import built
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import token_aligned_spans, token_texts

from sgie.corpus.manifest import SPLITS
from sgie.dataset.ner import BIO_NAMES, TaggedSpan, align, decode, encode
from sgie.dataset.parquet import read
from sgie.dataset.tokenize import paragraphs, tokenize
from sgie.records import Entity
from sgie.schema import ENTITY_LABELS
from sgie.spans import Span


@pytest.mark.parametrize(("text", "tokens"), [
    ("Kyiv's allies", ["Kyiv", "'s", "allies"]),
    ("the U.S. and Russia-Ukraine", ["the", "U.S.", "and", "Russia", "-", "Ukraine"]),
    ("3,000-5,000 troops", ["3,000", "-", "5,000", "troops"]),
    ("Censor.NET 'as allies'", ["Censor", ".", "NET", "'", "as", "allies", "'"]),
    ("It’s Article 42-7 (AFP) Jan 6, 2026.", ["It", "’s", "Article", "42", "-", "7", "(", "AFP", ")",
                                             "Jan", "6", ",", "2026", "."]),
])  # fmt: skip
def test_tokenizer_documented_examples(text, tokens):
    """The tokenizer splits the way its docstring and the card say."""
    assert [t.text for t in tokenize(text)] == tokens


@settings(max_examples=150, deadline=None)
@given(token_texts())
def test_tokens_are_exact_slices_covering_all_non_space(text):
    """Tokens are text slices without whitespace, and every non-space character is in one."""
    tokens = tokenize(text)
    covered = set()
    for t in tokens:
        assert text[t.start : t.end] == t.text and t.text and not any(c.isspace() for c in t.text)
        covered.update(range(t.start, t.end))
    assert covered == {i for i, c in enumerate(text) if not c.isspace()}
    assert tokenize(text) == tokens  # deterministic


@settings(max_examples=150, deadline=None)
@given(token_texts())
def test_paragraphs_are_trimmed_non_blank_lines(text):
    """Paragraphs are the non-blank lines, trimmed, as exact slices, in order."""
    paras = paragraphs(text)
    assert [p.text for p in paras] == [line.strip() for line in text.split("\n") if line.strip()]
    assert all(text[p.start : p.end] == p.text for p in paras)


@settings(max_examples=200, deadline=None)
@given(st.data(), token_texts())
def test_bio_encode_then_decode_gives_back_any_token_aligned_spans(data, text):
    """decode(encode(spans)) == spans for every set of non-overlapping token-aligned spans."""
    tokens = tokenize(text)
    spans = data.draw(token_aligned_spans(tokens))
    tags = encode(tokens, spans)
    assert all(t in BIO_NAMES for t in tags)
    assert decode(tokens, tags) == tuple(sorted(spans))


def test_encode_refuses_misaligned_and_overlapping_spans():
    """A span that ends inside a token, or overlaps another, cannot be encoded."""
    tokens = tokenize("the U.S. said")
    with pytest.raises(ValueError):
        encode(tokens, [TaggedSpan(4, 7, "GPE")])  # "U.S" ends inside "U.S."
    with pytest.raises(ValueError):
        encode(tokens, [TaggedSpan(0, 8, "GPE"), TaggedSpan(4, 8, "GPE")])


def test_decode_treats_stray_inside_tags_like_conlleval():
    """An I- tag after O or after another label opens a new span."""
    tokens = tokenize("a b c d")
    assert decode(tokens, ["I-GPE", "I-ORG", "O", "I-ORG"]) == (
        TaggedSpan(0, 1, "GPE"), TaggedSpan(2, 3, "ORG"), TaggedSpan(6, 7, "ORG"))


def test_align_reports_entities_inside_tokens_and_across_lines():
    """Misaligned gold entities are reported with a reason and left untagged."""
    text = "the U.S. said\nKyiv allies"
    ents = [Entity.at("e1", Span.of(text, 4, 7), "GPE"), Entity.at("e2", Span.of(text, 9, 19), "ORG"),
            Entity.at("e3", Span.of(text, 14, 18), "GPE")]  # fmt: skip
    result = align("x", text, ents)
    assert [(m.entity_id, m.reason.split(" ")[0]) for m in result.misaligned] == [
        ("e1", "end"), ("e2", "crosses")]
    assert result.spans == ((), (TaggedSpan(14, 18, "GPE"),))


def _table(result, config, split):
    return read(result.out_root / "data" / config / f"{split}.parquet").to_pylist()


def test_ner_rows_decode_to_exactly_the_aligned_gold_entities():
    """In a full build, BIO decoding of each document's rows gives back its aligned gold spans."""
    result = built("full")
    names = list(BIO_NAMES)
    misaligned = {(m.doc_id, m.start, m.end) for m in result.misaligned}
    assert misaligned == {("002", 0, 3)}  # the synthetic "U.S" inside the token "U.S."
    for split in SPLITS:
        docs = {r["id"]: r for r in _table(result, "documents", split)}
        decoded: dict[str, set] = {d: set() for d in docs}
        for row in _table(result, "ner", split):
            assert row["annotated"] is True
            tokens = tokenize(row["text"])
            assert [t.text for t in tokens] == row["tokens"]
            assert [t.start for t in tokens] == row["token_starts"]
            assert [t.end for t in tokens] == row["token_ends"]
            for s in decode(tokens, [names[i] for i in row["ner_tags"]]):
                decoded[row["doc_id"]].add((s.start + row["start"], s.end + row["start"], s.label))
        for doc_id, doc in docs.items():
            gold = {(e["start"], e["end"], ENTITY_LABELS[e["label"]]) for e in doc["entities"]
                    if (doc_id, e["start"], e["end"]) not in misaligned}  # fmt: skip
            assert gold and decoded[doc_id] == gold


def test_ner_rows_exist_without_gold_and_say_so():
    """Without gold every document still has ner rows, marked not annotated, all O."""
    result = built("empty")
    rows = [r for s in SPLITS for r in _table(result, "ner", s)]
    assert {r["doc_id"] for r in rows} == {"000", "001", "002", "003", "004"}
    assert all(r["annotated"] is False and set(r["ner_tags"]) <= {0} for r in rows)
