"""The split guard and the generated LLM prompts (eval/prompts/, `sgie prompts`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sgie import prompts
from sgie.annotations.guidelines import CORE_RULES, GUIDELINES_FILE, core_rules, replace_region
from sgie.annotations.store import gold_documents
from sgie.cli import main
from sgie.corpus.contamination import shared_sequences, split_ids, split_sequences, word_sequences
from sgie.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = ROOT / prompts.PROMPTS_DIR
GUIDELINES = ROOT / GUIDELINES_FILE


def _shown_files() -> list[Path]:
    """Every file a system under evaluation may be shown."""
    return [GUIDELINES, *sorted(p for p in PROMPTS.rglob("*") if p.is_file())]


def test_the_test_split_comes_from_the_manifest(corpus):
    """The guard's test split is the manifest's, and it is not empty."""
    ids = split_ids(corpus)
    records = [json.loads(line) for line in (ROOT / "corpus/documents.jsonl").read_text().splitlines()]
    assert ids and list(ids) == [r["id"] for r in records if r["split"] == "test"]


@pytest.mark.parametrize("path", _shown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_eight_word_sequence_of_a_test_document(corpus, path):
    """GUIDELINES.md and every prompt file share no eight-word sequence with a test-split page."""
    found = shared_sequences(path.read_text(encoding="utf-8"), split_sequences(corpus))
    assert found == [], f"{path.name} shares {len(found)} sequences, e.g. {found[:3]}"


def test_the_guard_finds_a_copied_test_sentence(corpus):
    """A test-split sentence copied with other case and punctuation is still found."""
    doc = corpus.split("test")[0]
    words = doc.text.split()[40:52]
    copied = "Intro. " + " ".join(words).upper().replace(" ", " -- ", 3) + " end"
    assert shared_sequences(copied, split_sequences(corpus))
    assert word_sequences("a b c d e f g h i") == {"a b c d e f g h", "b c d e f g h i"}


def test_guidelines_are_at_most_60_kb():
    """The reference stays a reference: at most 60 KB."""
    assert GUIDELINES.stat().st_size <= 60_000


def test_committed_prompts_are_generated():
    """`sgie prompts --check` passes: the quick reference and eval/prompts/ are up to date."""
    assert main(["prompts", "--check"]) == 0


def test_check_reports_a_hand_edit(tmp_path, monkeypatch, capsys):
    """A hand-edited prompt file makes `--check` fail and names the file; nothing is written."""
    from sgie.commands import prompts as command

    files = command.generated_files(ROOT)
    moved = {tmp_path / p.relative_to(ROOT): text for p, text in files.items()}
    for p, text in moved.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    edited = tmp_path / prompts.PROMPTS_DIR / "system.md"
    edited.write_text("typed by hand\n", encoding="utf-8")
    assert command.stale_files(moved) == [edited]
    assert edited.read_text(encoding="utf-8") == "typed by hand\n"


def test_rendering_refuses_test_text(corpus):
    """A test-split sentence in the core rules makes rendering fail, naming the file."""
    guidelines = GUIDELINES.read_text(encoding="utf-8")
    leak = " ".join(corpus.split("test")[0].text.split()[30:45])
    bad = replace_region(guidelines, CORE_RULES, core_rules(guidelines) + "\n" + leak)
    with pytest.raises(InputError, match="system.md must share no eight-word sequence"):
        prompts.render_prompts(bad, corpus, gold_documents(corpus=corpus))


def test_rendering_refuses_a_test_document_as_example(corpus, monkeypatch):
    """A few-shot example must be a train document."""
    monkeypatch.setattr(prompts, "FEW_SHOT_DOCS", (split_ids(corpus)[0],))
    with pytest.raises(InputError, match="must be a train-split document"):
        prompts.render_prompts(GUIDELINES.read_text(encoding="utf-8"), corpus, gold_documents(corpus=corpus))


def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "eval/predictions.schema.json").read_text()))


def test_answers_are_prediction_records():
    """Every example answer and the format example, with a record id, validate against
    eval/predictions.schema.json, with text-only spans."""
    answers = [json.loads((PROMPTS / f"examples/{d}.answer.json").read_text()) for d in prompts.FEW_SHOT_DOCS]
    for answer in [*answers, prompts.FORMAT_ANSWER]:
        assert set(answer) == {"entities", "proposals", "attributions"}
        errors = list(_validator().iter_errors({"id": "000", **answer}))
        assert errors == []
        assert "start" not in json.dumps(answer)


def test_example_answers_are_the_gold(corpus):
    """An example answer lists the gold items of its document, in document order."""
    gold = gold_documents(corpus=corpus)
    for doc_id in prompts.FEW_SHOT_DOCS:
        answer = json.loads((PROMPTS / f"examples/{doc_id}.answer.json").read_text())
        doc = gold[doc_id]
        entities = sorted(doc.entities or (), key=lambda e: e.start)
        assert [e["text"] for e in answer["entities"]] == [e.text for e in entities]
        assert len(answer["proposals"]) == len(doc.proposals or ())
        assert len(answer["attributions"]) == len(doc.attributions or ())
        text = corpus.by_id()[doc_id].text
        for p in answer["proposals"]:
            assert p["text"] in text
            for a in p["arguments"]:
                ids = {e["id"]: e["text"] for e in answer["entities"]}
                assert a["entity_id"] is None or ids[a["entity_id"]] == a["text"]


def test_manifest_names_existing_files_and_one_template():
    """Every message file exists; each prompt has exactly one template message, holding the slot."""
    manifest = json.loads((PROMPTS / "manifest.json").read_text())
    assert manifest["placeholder"] == prompts.PLACEHOLDER
    for prompt in manifest["prompts"]:
        templates = [m for m in prompt["messages"] if m.get("template")]
        assert len(templates) == 1
        for m in prompt["messages"]:
            text = (PROMPTS / m["file"]).read_text()
            assert (prompts.PLACEHOLDER in text) == bool(m.get("template"))
    assert prompts.fill("<{document}>", "a {b}") == "<a {b}>"
