"""The one-pass reading of two files in id order (``sgie.scoring.onepass``) gives the result of
the general evaluation loop, and hands every file it is not sure of back to that loop."""

from __future__ import annotations

import gc
import io
import json
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_support import without_kernel
from strategies import entities, slotted_entities, texts, typographic_texts

from sgie.scoring import evaluate_sources, onepass
from sgie.scoring.official import one_pass_files
from sgie.scoring.onepass import evaluate_in_order
from sgie.scoring.report import PerDocumentWriter
from sgie.scoring.result import Result
from sgie.scoring.sources import GoldFile, PredictionFile


@st.composite
def corpus(draw: st.DrawFn) -> tuple[list[dict], list[dict]]:
    """Gold and prediction records (entities only, ids in order; some documents missing)."""
    gold, pred = [], []
    for i in range(draw(st.integers(1, 6))):
        text = draw(st.one_of(texts(min_words=2), typographic_texts(min_words=2)))
        text += draw(st.sampled_from(["", " Kyiv: «Київ»", " a:b"]))
        if draw(st.integers(0, 3)):
            g, p = draw(slotted_entities(text))
        else:
            g, p = draw(entities(text, 4)), draw(entities(text, 4, "q"))
        doc_id = f"d{i:03d}"
        gold.append({"id": doc_id, "text": text, "entities": [e.to_json() for e in g]})
        if draw(st.integers(0, 4)):
            pred.append({"id": doc_id, "entities": [e.to_json() for e in p]})
    if not pred:
        pred.append({"id": gold[0]["id"], "entities": []})
    return gold, pred


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@contextmanager
def written(records: tuple[list[dict], list[dict]]) -> Iterator[tuple[Path, Path]]:
    """The gold and prediction records written as two files in a temporary folder."""
    gold, pred = records
    with tempfile.TemporaryDirectory() as tmp:
        yield write(Path(tmp) / "g.jsonl", gold), write(Path(tmp) / "p.jsonl", pred)


def general_result(gold: Path, pred: Path) -> Result:
    g = GoldFile(gold)
    return evaluate_sources(g, PredictionFile(pred, g), keep_per_document=True, one_pass=False)


def one_pass_result(gold: Path, pred: Path, keep_per_document: bool = False) -> Result | None:
    return evaluate_in_order(gold, pred, gold_source=str(gold), predictions_source=str(pred),
                             keep_per_document=keep_per_document)  # fmt: skip


def general(gold: Path, pred: Path) -> dict:
    return general_result(gold, pred).head_json()


def one_pass(gold: Path, pred: Path) -> dict | None:
    result = one_pass_result(gold, pred)
    return None if result is None else result.head_json()


@settings(max_examples=150, deadline=None)
@given(corpus())
def test_one_pass_equals_the_general_loop(records):
    """Files in id order: the same result object (every count, missing documents, layers),
    with the C kernel and with the Python paths."""
    with written(records) as (g, p):
        expected = general(g, p)
        assert one_pass(g, p) == expected
        with pytest.MonkeyPatch.context() as mp:
            without_kernel(mp)
            assert one_pass(g, p) == expected


SAMPLE_GOLD = [{"id": "a", "text": "Kyiv said",
                "entities": [{"id": "e1", "start": 0, "end": 4, "text": "Kyiv", "label": "GPE"}]},
               {"id": "b", "text": "Paris: yes", "entities": []}]  # fmt: skip
SAMPLE_PRED = [{"id": "a", "entities": [{"id": "p1", "start": 0, "end": 4, "text": "Kyiv", "label": "ORG"}]},
               {"id": "b", "entities": []}]  # fmt: skip
ENTITY = '{"id": "p1", "start": 0, "end": 4, "text": "Kyiv", "label": "GPE"}'


@pytest.mark.parametrize("gold_lines, pred_lines", [
    (None, [json.dumps(SAMPLE_PRED[1]), json.dumps(SAMPLE_PRED[0])]),  # predictions out of order
    ([json.dumps(SAMPLE_GOLD[1]), json.dumps(SAMPLE_GOLD[0])], None),  # gold out of order
    (None, [json.dumps(SAMPLE_PRED[0]), json.dumps(SAMPLE_PRED[0])]),  # repeated id
    (None, [json.dumps({"id": "c", "entities": []})]),  # unknown document
    (None, ['{"id": "a", "entities": [{"id": "p1", "start": 0, "end": 4, "text": "Kyiv", "label": "ORG", '
            '"label": "GPE"}]}']),  # a repeated key
    (None, ['{"id": "b", "entities": [{"id": "p1", "start": 0, "end": 6, "text": "Paris\\u003a", '
            '"label": "ORG", "label": "GPE"}]}']),  # a repeated key hidden by an escaped colon
    (None, ['{"id": "a", "entities": [' + ENTITY + ', ' + ENTITY + ']}']),  # a repeated entity id
    (None, ['{"id": "a", "entities": [{"id": "p1", "start": 0, "end": 4, "text": "Kiev", '
            '"label": "GPE"}]}']),  # another text
    (None, ['{"id": "a", "entities": [{"id": "p1", "start": 5, "end": 4, "text": "", "label": "GPE"}]}']),
    (None, ['{"id": "a", "entities": [{"id": "p1", "text": "Kyiv", "label": "GPE"}]}']),  # text only
    (None, ['{"id": "a", "entities": [], "proposals": []}']),  # another layer
    (None, ['{"id": "a"}']),  # no entities
    (None, ["", json.dumps(SAMPLE_PRED[0])]),  # a blank line
    (None, []),  # an empty file
])  # fmt: skip
def test_anything_unusual_goes_to_the_general_loop(tmp_path, gold_lines, pred_lines):
    """Out of order, repeated or unknown ids, a repeated key, a span that does not hold, text-only
    spans, another layer, a blank line, an empty file: not taken (``None``)."""
    g, p = tmp_path / "g.jsonl", tmp_path / "p.jsonl"
    g.write_text("".join(x + "\n" for x in gold_lines or map(json.dumps, SAMPLE_GOLD)))
    p.write_text(
        "".join(x + "\n" for x in pred_lines or map(json.dumps, SAMPLE_PRED)) if pred_lines != [] else ""
    )
    assert one_pass(g, p) is None


def test_the_sample_is_taken(tmp_path):
    """The well-formed sample is scored in one pass, with the general loop's result."""
    g, p = write(tmp_path / "g.jsonl", SAMPLE_GOLD), write(tmp_path / "p.jsonl", SAMPLE_PRED)
    assert one_pass(g, p) == general(g, p)
    assert one_pass(g, p) is not None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(tmp_path, enabled):
    """The pass pauses the cycle collector and leaves it as it found it, taken or not."""
    g, p = write(tmp_path / "g.jsonl", SAMPLE_GOLD), write(tmp_path / "p.jsonl", SAMPLE_PRED)
    (tmp_path / "bad.jsonl").write_text("{\n")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert one_pass(g, p) is not None and gc.isenabled() is enabled
        assert one_pass(g, tmp_path / "bad.jsonl") is None and gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@settings(max_examples=60, deadline=None)
@given(corpus())
def test_per_document_counts_equal_the_general_loop(records):
    """Asked for per-document counts, the one pass gives every document the general loop's."""
    with written(records) as (g, p):
        fast, slow = one_pass_result(g, p, keep_per_document=True), general_result(g, p)
        assert fast is not None
        assert fast.per_document == slow.per_document
        assert fast.head_json() == slow.head_json()


def per_document_stream(gold: Path, pred: Path, one_pass: bool) -> tuple[bytes, dict, list[int]]:
    """The ``per_document`` entries that ``sgie evaluate --per-document`` would write, the
    result, and how many entries had been written at each restart."""
    g = GoldFile(gold)
    spool = io.BytesIO()
    writer = PerDocumentWriter(spool)
    restarts: list[int] = []

    def restart() -> None:
        restarts.append(writer.count)
        writer.restart()

    result = evaluate_sources(g, PredictionFile(pred, g), keep_per_document=False, per_document=writer.add,
                              restart=restart, one_pass=one_pass)  # fmt: skip
    return spool.getvalue(), result.head_json(), restarts


@settings(max_examples=40, deadline=None)
@given(corpus())
def test_per_document_entries_through_the_one_pass(records):
    """With a sink and a restart, the one pass writes the general loop's per-document entries,
    each once; also when it gives up part-way (the last two gold lines swapped, after the
    first was written): the entries are restarted and the general loop writes them all."""
    gold = records[0]
    with written(records) as (g, p), pytest.MonkeyPatch.context() as mp:
        mp.setattr(onepass, "BATCH_BYTES", 1)  # one line per batch
        entries, head, restarts = per_document_stream(g, p, True)
        assert (entries, head) == per_document_stream(g, p, False)[:2] and restarts == []
        assert entries.count(b'\n    "') == len(gold)  # every document once
        if len(gold) >= 3:
            write(g, gold[:-2] + gold[:-3:-1])
            entries, head, restarts = per_document_stream(g, p, True)
            assert (entries, head) == per_document_stream(g, p, False)[:2]
            assert len(restarts) == 1 and restarts[0] >= 1  # given up after writing
            assert entries.count(b'\n    "') == len(gold)


def test_a_sink_without_restart_takes_the_general_loop(tmp_path, monkeypatch):
    """A ``per_document`` sink that cannot be restarted is never given to the one pass."""
    g, p = write(tmp_path / "g.jsonl", SAMPLE_GOLD), write(tmp_path / "p.jsonl", SAMPLE_PRED)
    monkeypatch.setattr(onepass, "evaluate_in_order", lambda *a, **k: pytest.fail("one pass tried"))
    gold = GoldFile(g)
    entries: list[str] = []
    evaluate_sources(gold, PredictionFile(p, gold), keep_per_document=False,
                     per_document=lambda doc_id, counts: entries.append(doc_id))  # fmt: skip
    assert entries == ["a", "b"]


def test_glibc_takes_both_allocator_settings() -> None:
    """On glibc both mallopt settings are accepted (elsewhere nothing is changed)."""
    assert onepass.keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=12),
       st.booleans(), st.integers(1, 16))  # fmt: skip
def test_chunks_are_whole_lines_of_the_file(lines, last_ended, batch_bytes):
    """``_chunks`` gives the file's bytes in order, each piece its first ``BATCH_BYTES`` and
    the rest of the line they end in (the last piece: what is left), also with lines longer
    than the buffer."""
    raw = b"\n".join(lines) + (b"\n" if last_ended and lines else b"")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(onepass, "BATCH_BYTES", batch_bytes)
        pieces = [bytes(view) for view in onepass._chunks(io.BytesIO(raw))]  # copied: reused
    assert b"".join(pieces) == raw
    assert all(piece.find(b"\n", batch_bytes - 1) == len(piece) - 1 for piece in pieces[:-1])
    assert all(pieces) and all(p.find(b"\n", batch_bytes - 1) in (-1, len(p) - 1) for p in pieces[-1:])


def test_the_one_pass_is_tried_for_two_files_without_outcomes(tmp_path):
    """``one_pass_files`` gives the two files, unless outcomes are asked for or per-document
    entries could not be restarted (what the command checks before tuning the allocator)."""
    g, p = write(tmp_path / "g.jsonl", SAMPLE_GOLD), write(tmp_path / "p.jsonl", SAMPLE_PRED)
    gold = GoldFile(g)
    predictions = PredictionFile(p, gold)
    sink = lambda doc_id, counts: None  # noqa: E731
    both = one_pass_files(gold, predictions, outcomes=False, per_document=None, restart=None)
    assert both == (gold, predictions)
    assert one_pass_files(gold, predictions, outcomes=False, per_document=sink, restart=lambda: None)
    assert one_pass_files(gold, predictions, outcomes=True, per_document=None, restart=None) is None
    assert one_pass_files(gold, predictions, outcomes=False, per_document=sink, restart=None) is None


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.integers(1, 64))
def test_lines_and_colons_counts_across_pieces(raw, piece):
    """Line ends and colons are counted as ``bytes.count`` does, however the bytes fall into pieces."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(onepass, "_COUNT_PIECE", piece)
        assert onepass._count_with_numpy(memoryview(raw)) == (raw.count(b"\n"), raw.count(b":"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b":", b"a", b"\xff", b"\n" * 300, b":" * 200, b"x" * 129]),
                max_size=40))  # fmt: skip
def test_the_kernel_counts_lines_and_colons_as_bytes_count(parts):
    """The C kernel's count equals ``bytes.count`` across its 128-byte blocks and more than 255
    of a byte in a row; ``_lines_and_colons`` uses it where it was built."""
    if onepass._COMPILED_COUNT is None:
        pytest.skip("the C kernel was not built (no C compiler)")
    raw = b"".join(parts)
    expected = (raw.count(b"\n"), raw.count(b":"))
    assert onepass._COMPILED_COUNT(memoryview(raw)) == expected == onepass._lines_and_colons(memoryview(raw))
