"""Corpus invariants: pinned raw bytes, segmentation ranges, splits, similarity, folds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sgie.cli import main
from sgie.corpus.check import check_corpus
from sgie.corpus.manifest import SPLITS, load_corpus
from sgie.corpus.similarity import NEAR_DUPLICATE_JACCARD
from sgie.corpus.splits import folds, similarity_report

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _rewrite_manifest(corpus_dir: Path, change) -> None:
    path = corpus_dir / "documents.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_committed_corpus_passes_all_checks(corpus):
    """The committed corpus has no problems."""
    assert check_corpus(corpus) == []


def test_raw_files_are_the_seeds_byte_for_byte(corpus):
    """corpus/raw holds the seed files unchanged, under their original names (when seeds are present)."""
    for doc in corpus.documents:
        raw = (corpus.root / doc.record.source_file).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == doc.record.sha256
        seed = SEEDS / Path(doc.record.source_file).name
        if seed.exists():
            assert seed.read_bytes() == raw


def test_five_documents_with_known_ids(corpus):
    """The corpus has the five seed documents 000-004."""
    assert [d.id for d in corpus.documents] == ["000", "001", "002", "003", "004"]


def test_changed_raw_byte_is_detected(corpus_copy):
    """Flipping one byte of a raw file makes the check fail on its sha256."""
    path = next((corpus_copy / "raw").glob("002_*.txt"))
    data = bytearray(path.read_bytes())
    data[500] = ord("X") if data[500] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    problems = check_corpus(load_corpus(corpus_copy))
    assert any("'sha256'" in p and "'002'" in p for p in problems)


def test_shifted_range_is_detected(corpus_copy):
    """Moving a document's end by one character is reported."""
    _rewrite_manifest(corpus_copy, lambda rs: rs[0].update(raw_end=rs[0]["raw_end"] - 1))
    problems = check_corpus(load_corpus(corpus_copy))
    assert any("'raw_start'/'raw_end'" in p for p in problems)


def test_moved_zone_is_detected(corpus_copy):
    """A zone that no longer starts on its text (leading whitespace) is reported."""
    def change(rs):
        rs[4]["stories"][1]["zones"][2]["start"] -= 1
    _rewrite_manifest(corpus_copy, change)
    assert any("must be non-empty and trimmed" in p for p in check_corpus(load_corpus(corpus_copy)))


def test_split_breaking_a_group_is_detected(corpus_copy):
    """Putting 002 in test while 001 stays in train violates its group."""
    _rewrite_manifest(corpus_copy, lambda rs: rs[2].update(split="test"))
    problems = check_corpus(load_corpus(corpus_copy))
    assert any("group 'ft-2025-us-air-support' must lie in one split" in p for p in problems)
    assert any("near-duplicates" in p for p in problems)


def test_split_assignment_is_fixed(corpus):
    """The documented split assignment holds."""
    assert {d.id: d.record.split for d in corpus.documents} == {
        "000": "test", "001": "train", "002": "train", "003": "validation", "004": "test"}


def test_every_split_non_empty(corpus):
    """train, validation and test each have documents."""
    assert all(corpus.split(s) for s in SPLITS)


def test_no_near_duplicates_across_splits(corpus):
    """No document pair in different splits exceeds the 5-gram Jaccard threshold."""
    split = {d.id: d.record.split for d in corpus.documents}
    report = similarity_report(corpus)
    for pair in report["pairs"]:
        if split[pair["a"]] != split[pair["b"]]:
            assert pair["jaccard"] <= NEAR_DUPLICATE_JACCARD, pair
    assert report["violations"] == []


def test_threshold_separates_the_known_pair(corpus):
    """001/002 (one FT story) exceed the threshold; every other pair stays below it."""
    above = {(p["a"], p["b"]) for p in similarity_report(corpus)["pairs"]
             if p["jaccard"] > NEAR_DUPLICATE_JACCARD}
    assert above == {("001", "002")}


def test_similarity_file_is_up_to_date(corpus):
    """corpus/similarity.json equals a fresh computation."""
    committed = json.loads((corpus.root / "similarity.json").read_text(encoding="utf-8"))
    assert committed == similarity_report(corpus)


def test_leave_one_group_out_folds(corpus):
    """Four folds; every document is held out exactly once; a group is never split."""
    fs = folds(corpus)
    assert len(fs) == len({d.record.group for d in corpus.documents}) == 4
    held = [i for f in fs for i in f.test_ids]
    assert sorted(held) == [d.id for d in corpus.documents]
    group = {d.id: d.record.group for d in corpus.documents}
    for f in fs:
        assert {group[i] for i in f.test_ids} == {f.held_out_group}
        assert f.held_out_group not in {group[i] for i in f.train_ids}


def test_document_text_is_contiguous_raw_slice(corpus):
    """Each document text is raw[raw_start:raw_end]."""
    for d in corpus.documents:
        assert d.text == d.raw[d.record.raw_start:d.record.raw_end]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_span_offsets_map_back_to_raw(corpus, data):
    """For any span [s, e) of a document, raw[raw_start+s : raw_start+e] == text[s:e]."""
    doc = data.draw(st.sampled_from(corpus.documents))
    s = data.draw(st.integers(0, len(doc.text) - 1))
    e = data.draw(st.integers(s + 1, len(doc.text)))
    assert doc.raw[doc.raw_start + s: doc.raw_start + e] == doc.text[s:e]


def test_stories_cover_inset_stories(corpus):
    """000 and 004 each have a main and an inset story; the others one main story."""
    roles = {d.id: [s.role for s in d.record.stories] for d in corpus.documents}
    assert roles == {"000": ["main", "inset"], "001": ["main"], "002": ["main"],
                     "003": ["main"], "004": ["main", "inset"]}


def test_boilerplate_is_outside_documents(corpus):
    """Copyright and navigation text is boilerplate, never document text."""
    for d in corpus.documents:
        assert "Space Media Network" not in d.text
        assert "Related Links" not in d.text
        assert "Did you find an error" not in d.text


def test_cli_corpus_check_prints_summary(capsys):
    """`sgie corpus check` exits 0 and prints one line per document."""
    assert main(["corpus", "check"]) == 0
    out = capsys.readouterr().out
    assert "5 documents (train=2, validation=1, test=2)" in out
    assert "corpus check: OK" in out


def test_cli_corpus_check_fails_on_changed_byte(corpus_copy, capsys):
    """A changed raw file gives exit 2 and a one-line error naming the corpus."""
    path = next((corpus_copy / "raw").glob("003_*.txt"))
    path.write_bytes(path.read_bytes().replace(b"airline power", b"air power!!!!"))
    assert main(["corpus", "check", "--corpus", str(corpus_copy)]) == 2
    captured = capsys.readouterr()
    assert "raw file changed" in captured.out
    assert captured.err.count("\n") == 1 and captured.err.startswith("sgie: error:")


def test_malformed_manifest_is_one_line_error(corpus_copy, capsys):
    """An unknown manifest field is rejected naming file, line and field."""
    _rewrite_manifest(corpus_copy, lambda rs: rs[1].update(colour="blue"))
    assert main(["corpus", "check", "--corpus", str(corpus_copy)]) == 2
    err = capsys.readouterr().err
    assert "unknown field 'colour'" in err and "documents.jsonl line 2" in err
