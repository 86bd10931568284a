"""Every span in every config: text[start:end] == span text (half-open code-point offsets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dataset_support import ROOT, built

from sgie.corpus.manifest import SPLITS, load_corpus
from sgie.dataset.parquet import read

SPAN_KEYS = {"start", "end", "text"}


def spans_in(value):
    """Every dict with start, end and text inside ``value`` (itself included)."""
    if isinstance(value, dict):
        if SPAN_KEYS <= set(value):
            yield value
        for v in value.values():
            yield from spans_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from spans_in(v)


def check_all_spans(root: Path) -> int:
    """Check every span of every Parquet file under ``root/data``; return how many."""
    corpus = {d.id: d for d in load_corpus(ROOT / "corpus").documents}
    texts: dict[str, str] = {}
    n = 0
    for split in SPLITS:
        path = root / "data" / "documents" / f"{split}.parquet"
        for row in read(path).to_pylist():
            doc = corpus[row["id"]]
            assert row["text"] == doc.text == doc.raw[row["raw_start"] : row["raw_start"] + len(row["text"])]
            texts[row["id"]] = row["text"]
    for path in sorted((root / "data").glob("*/*.parquet")):
        config = path.parent.name
        for row in read(path).to_pylist():
            text = texts[row.get("doc_id", row["id"])]
            if config in ("documents", "annotators"):
                values = [v for k, v in row.items() if k != "text"]
            elif config == "ner":
                assert text[row["start"] : row["end"]] == row["text"]
                for tok, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"]):
                    assert row["text"][s:e] == tok
                    n += 1
                values = []
            elif config == "folds":
                values = []
            else:
                assert text[row["context_start"] : row["context_end"]] == row["context"]
                values = [row]
            for span in spans_in(values):
                assert span["text"] and text[span["start"] : span["end"]] == span["text"], (path, span)
                if "context" in row:
                    assert row["context_start"] <= span["start"] < span["end"] <= row["context_end"]
                n += 1
    return n


@pytest.mark.parametrize("kind", ["empty", "partial", "full"])
def test_every_span_of_every_config_matches_the_text(kind):
    """All zones, entities, proposals, arguments, cue/source/content and tokens slice exactly."""
    assert check_all_spans(built(kind).out_root) > 0


def test_every_span_of_the_committed_dataset_matches_the_text():
    """The same for the committed data files."""
    if not (ROOT / "data").is_dir():
        pytest.skip("no dataset committed yet")
    assert check_all_spans(ROOT) > 0


def test_full_build_has_every_layer_and_the_expected_rows():
    """The synthetic full export reaches every config (non-empty layers in every split)."""
    result = built("full")
    for config in ("entities", "proposals", "attributions"):
        assert all(result.stats[config][s].num_examples > 0 for s in SPLITS), config
    attributions = [r for s in SPLITS for r in result.rows.by_config["attributions"][s]]
    assert any(not a["source"] for a in attributions)  # empty source
    assert any(len(a["content"]) > 1 for a in attributions)  # discontinuous content
    assert any(a["parent_id"] for a in attributions)  # nested
    args = [a for s in SPLITS for p in result.rows.by_config["proposals"][s] for a in p["arguments"]]
    assert {a["entity_id"] is None for a in args} == {True, False}
