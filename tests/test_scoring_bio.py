"""--format bio: rows as sgie build makes them, gold tags round-trip, strict F1 equals seqeval's
strict IOB2 on valid sequences (differential), and every bad row is one error."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2
from strategies import paragraph_texts, token_aligned_spans

from sgie import schema
from sgie.annotations.gold import load_gold
from sgie.dataset.ner import BIO_NAMES, encode
from sgie.dataset.parquet import read
from sgie.errors import InputError
from sgie.records import DocAnnotations, Entity
from sgie.scoring import evaluate
from sgie.scoring.formats.bio import ner_rows, read_bio
from sgie.scoring.predictions import Located, parse_records


def _write(path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _strict(gold: dict[str, DocAnnotations], records: dict, texts: dict[str, str]):
    parsed = parse_records(((r, Located("bio", None)) for r in records.values()), texts, "bio")
    result = evaluate(gold, parsed.docs, texts, ungrounded=parsed.ungrounded)
    return result.to_json()["entities"]["strict"]


def test_rows_are_the_committed_ner_config(root, corpus):
    """ner_rows recomputes exactly the ids, tokens and token offsets of data/ner/*.parquet."""
    for split in ("train", "validation", "test"):
        committed = read(root / "data" / "ner" / f"{split}.parquet").to_pylist()
        ours = [r for d in corpus.split(split) for r in ner_rows(d.id, d.text)]
        assert [r.id for r in ours] == [c["id"] for c in committed]
        for row, c in zip(ours, committed):
            assert [t.text for t in row.tokens] == c["tokens"]
            assert [t.start - c["start"] for t in row.tokens] == c["token_starts"]


def test_committed_gold_tags_score_perfectly(root, tmp_path):
    """The ner config's own gold tags of the test split, as names or as ids, score strict F1 1.0."""
    gold = load_gold("test")
    rows = read(root / "data" / "ner" / "test.parquet").to_pylist()
    for as_ids in (False, True):
        path = _write(tmp_path / "bio.jsonl", [
            {"id": r["id"], "ner_tags": r["ner_tags"] if as_ids else [BIO_NAMES[t] for t in r["ner_tags"]]}
            for r in rows
        ])  # fmt: skip
        bio = read_bio(path, gold.texts)
        strict = _strict(dict(gold.docs), bio.records, gold.texts)
        entities = sum(len(d.entities or ()) for d in gold.docs.values())
        assert strict["f1"] == 1.0 and strict["possible"] == entities


def _tags_case():
    return st.tuples(paragraph_texts(), st.data())


@settings(max_examples=150, deadline=None)
@given(case=_tags_case())
def test_strict_f1_equals_seqeval_strict_iob2(case, tmp_path_factory):
    """On valid IOB2 sequences, strict P/R/F1 of the decoded spans equal seqeval's
    mode='strict', scheme=IOB2 over the same rows (tags given as names or ClassLabel ids)."""
    text, data = case
    rows = ner_rows("000", text)
    gold_tags, pred_tags, gold_entities = [], [], []
    lines = []
    for row in rows:
        g = data.draw(token_aligned_spans(row.tokens))
        p = data.draw(token_aligned_spans(row.tokens))
        gold_tags.append(list(encode(row.tokens, g)))
        pred = list(encode(row.tokens, p))
        pred_tags.append(pred)
        ids = data.draw(st.booleans())
        lines.append({"id": row.id, "ner_tags": [BIO_NAMES.index(t) for t in pred] if ids else pred})
        gold_entities += [Entity(f"g{len(gold_entities) + k}", s.start, s.end, text[s.start:s.end], s.label)
                          for k, s in enumerate(g)]  # fmt: skip
    path = _write(tmp_path_factory.mktemp("bio") / "p.jsonl", lines)
    texts = {"000": text}
    strict = _strict({"000": DocAnnotations("000", tuple(gold_entities), None, None)},
                     read_bio(path, texts).records, texts)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = {name: fn(gold_tags, pred_tags, mode="strict", scheme=IOB2, zero_division=0)
                  for name, fn in (("precision", precision_score), ("recall", recall_score),
                                   ("f1", f1_score))}  # fmt: skip
    for name, value in theirs.items():
        assert (strict[name] if strict[name] is not None else 0.0) == pytest.approx(value, abs=1e-12)


def test_stray_inside_tag_opens_an_entity(tmp_path):
    """I-X after O (and I-Y after B-X) opens an entity, as conlleval and seqeval's default mode."""
    text = "Paris and Kyiv met Macron"
    texts = {"000": text}
    tags = ["I-GPE", "O", "B-GPE", "I-PERSON", "O"]
    path = _write(tmp_path / "b.jsonl", [{"id": "000-000", "ner_tags": tags}])
    entities = read_bio(path, texts).records["000"]["entities"]
    assert [(e["text"], e["label"]) for e in entities] == [
        ("Paris", "GPE"), ("Kyiv", "GPE"), ("met", "PERSON")]


def test_rows_of_other_splits_are_skipped_and_reported(tmp_path):
    """A row of a corpus document outside the scored set is skipped and its document reported."""
    texts = {"000": "Paris"}
    path = _write(tmp_path / "b.jsonl", [{"id": "000-000", "ner_tags": ["B-GPE"]},
                                         {"id": "001-000", "ner_tags": ["O", "O"]}])  # fmt: skip
    bio = read_bio(path, texts, other_documents=frozenset({"001"}))
    assert bio.skipped == ("001",) and list(bio.records) == ["000"]


@pytest.mark.parametrize(("rows", "message"), [
    ([{"id": "000-000", "ner_tags": ["O"]}],
     "'ner_tags' must have one tag per token of row '000-000' (2 tokens) (got 1) in {} line 1"),
    ([{"id": "000-000", "ner_tags": ["B-PER", "O"]}],
     "'ner_tags[0]' must be a tag of the ner config ('O', 'B-PERSON', ...) or its id 0..22; for another "
     "tag set use --label-map (got 'B-PER') in {} line 1"),
    ([{"id": "000-000", "ner_tags": [0, 99]}], "'ner_tags[1]' must be a tag of the ner config"),
    ([{"id": "000-000", "ner_tags": [True, 0]}], "'ner_tags[0]' must be a tag of the ner config"),
    ([{"id": "002-000", "ner_tags": ["O"]}], "'id' must be a row id of the ner config for a scored document"),
    ([{"id": "000-000", "ner_tags": ["O", "O"]}, {"id": "000-000", "ner_tags": ["O", "O"]}],
     "'id' must be unique (got '000-000' again; first in line 1) in {} line 2"),
    ([{"id": "000-000", "ner_tags": ["O", "O"], "label": "x"}], "row must have 'id' and 'ner_tags'"),
    ([{"id": "000-000", "ner_tags": ["O", "O"], "tokens": ["Kyiv", "."]}], "'tokens' must equal the tokens"),
    ([{"id": "000-001", "ner_tags": ["O"]}],
     "rows of document '000' must all be given (2 rows) (got none for ['000-000'])"),
])  # fmt: skip
def test_bad_rows_are_one_line_errors(tmp_path, rows, message):
    """Each malformed row is an InputError naming the file, line, field, expected and found."""
    path = _write(tmp_path / "b.jsonl", rows)
    with pytest.raises(InputError) as err:
        read_bio(path, {"000": "Paris said\nYes"})
    assert message.format(path) in str(err.value)


def test_foreign_tags_are_accepted_with_a_label_map(tmp_path):
    """With foreign=True, B-PER / I-MISC pass through for the label map; ids are refused."""
    path = _write(tmp_path / "b.jsonl", [{"id": "000-000", "ner_tags": ["B-PER", "I-PER"]}])
    records = read_bio(path, {"000": "Emmanuel Macron"}, foreign=True).records
    assert records["000"]["entities"] == [
        {"id": "e1", "start": 0, "end": 15, "text": "Emmanuel Macron", "label": "PER"}]
    path = _write(tmp_path / "c.jsonl", [{"id": "000-000", "ner_tags": [1, 2]}])
    with pytest.raises(InputError, match="mapped by --label-map"):
        read_bio(path, {"000": "Emmanuel Macron"}, foreign=True)
    assert len(BIO_NAMES) == 1 + 2 * len(schema.ENTITY_LABELS)
