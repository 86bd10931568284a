"""The one evaluation loop fed by files (sgie.scoring.sources) gives the in-memory evaluation's
result, byte for byte, and reports bad files like the in-memory readers."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import corpora

from sgie.errors import InputError
from sgie.scoring import evaluate, evaluate_sources
from sgie.scoring.report import PerDocumentWriter, result_json, write_result_json
from sgie.scoring.sources import GoldFile, PredictionFile


def streamed(gold: Path, predictions: Path) -> bytes:
    g = GoldFile(gold)
    p = PredictionFile(predictions, g)
    spool = io.BytesIO()
    writer = PerDocumentWriter(spool)
    result = evaluate_sources(g, p, keep_per_document=False, per_document=writer.add)
    out = io.BytesIO()
    write_result_json(out, result, spool)
    return out.getvalue()


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@settings(max_examples=60, deadline=None)
@given(corpora(max_docs=4), st.randoms(use_true_random=False), st.data())
def test_streaming_equals_in_memory_evaluation(corpus: tuple, rng, data: st.DataObject) -> None:
    """Shuffled files with missing predictions: the streamed result object equals the
    in-memory one byte for byte."""
    texts, gold, pred = corpus
    kept = [d for d in pred if data.draw(st.integers(0, 3), label=f"keep {d}")]
    order = list(gold)
    rng.shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        g = write_lines(Path(tmp) / "g.jsonl", [{"id": d, "text": texts[d], **{k: v for k, v in gold[d].to_json().items() if k != "id"}} for d in order])  # noqa: E501
        p = write_lines(Path(tmp) / "p.jsonl", [pred[d].to_json() for d in sorted(kept, reverse=True)])
        if not kept:
            p.write_text("")
            with pytest.raises(InputError, match="empty file"):
                streamed(g, p)
            return
        expected = evaluate(gold, {d: pred[d] for d in kept}, texts, gold_source=str(g),
                            predictions_source=str(p))  # fmt: skip
        assert streamed(g, p) == result_json(expected)


def test_result_json_is_json_dumps_of_the_result_object(tmp_path: Path) -> None:
    """The msgspec writer gives the bytes of json.dumps(result.to_json(), indent=2)."""
    gold = [{"id": "a", "text": "US and Kyiv", "entities": [
        {"id": "e", "start": 0, "end": 2, "text": "US", "label": "GPE"}]}]
    pred = [{"id": "a", "entities": [{"id": "x", "start": 7, "end": 11, "text": "Kyiv", "label": "GPE"}]}]
    g, p = write_lines(tmp_path / "g.jsonl", gold), write_lines(tmp_path / "p.jsonl", pred)
    result = streamed(g, p)
    from sgie.scoring.gold import read_gold
    from sgie.scoring.predictions import read_predictions

    gs = read_gold(g)
    ps = read_predictions(p, gs.texts)
    r = evaluate(gs.docs, ps.docs, gs.texts, gold_source=str(g), predictions_source=str(p))
    assert result.decode() == json.dumps(r.to_json(), indent=2, ensure_ascii=False) + "\n"


def test_repeated_prediction_id_names_both_lines(tmp_path: Path) -> None:
    """A document predicted twice is an error naming the first line."""
    g = write_lines(tmp_path / "g.jsonl", [{"id": "a", "text": "x"}])
    p = write_lines(tmp_path / "p.jsonl", [{"id": "a"}, {"id": "a"}])
    with pytest.raises(InputError, match=r"unique in the predictions \(got 'a' again; first in line 1\)"):
        streamed(g, p)


def test_unknown_prediction_id_is_an_error_at_its_line(tmp_path: Path) -> None:
    """A prediction for a document that is not in the gold names the file and line."""
    g = write_lines(tmp_path / "g.jsonl", [{"id": "a", "text": "x"}])
    p = write_lines(tmp_path / "p.jsonl", [{"id": "a"}, {"id": "b"}])
    with pytest.raises(InputError, match=r"known document id \['a'\] \(got 'b'\)") as err:
        streamed(g, p)
    assert err.value.line == 2


def test_layer_present_in_some_records_only(tmp_path: Path) -> None:
    """A layer must be in every prediction record or in none, whatever the file order."""
    g = write_lines(tmp_path / "g.jsonl", [{"id": "a", "text": "x", "entities": []},
                                           {"id": "b", "text": "y", "entities": []}])  # fmt: skip
    p = write_lines(tmp_path / "p.jsonl", [{"id": "b", "entities": []}, {"id": "a"}])
    with pytest.raises(InputError, match="'entities' must be present in every prediction record"):
        streamed(g, p)


def test_a_bad_gold_line_is_reported_before_the_predictions_are_read(tmp_path: Path) -> None:
    """Top-level problems of the gold file come first (as with the in-memory reader)."""
    g = write_lines(tmp_path / "g.jsonl", [{"id": "a", "text": "x"}, {"id": "b"}])
    p = write_lines(tmp_path / "p.jsonl", [{"id": "zzz", "bogus": 1}])
    with pytest.raises(InputError, match="'text' is required") as err:
        streamed(g, p)
    assert (err.value.file, err.value.line) == (str(g), 2)


def test_unknown_id_error_stays_one_short_line_with_many_documents(tmp_path: Path) -> None:
    """With many gold documents the error names ten of them and how many there are."""
    g = write_lines(tmp_path / "g.jsonl", [{"id": f"d{i:03d}", "text": "x"} for i in range(50)])
    p = write_lines(tmp_path / "p.jsonl", [{"id": "zzz"}])
    shown = r"known document id \['d000', .*'d009'\]\[:10\] of 50 \(got 'zzz'\)"
    with pytest.raises(InputError, match=shown):
        streamed(g, p)
