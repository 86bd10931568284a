"""The string-level entity metric ``entities.surface``: (normalised surface, label) sets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import entities, texts

from sgie.records import Entity
from sgie.scoring.counts import PRF
from sgie.scoring.surface import score_surface, surface_set


def _e(i: int, text: str, label: str) -> Entity:
    return Entity(f"e{i}", 0, len(text), text, label)


def test_each_pair_counts_once_whatever_the_repetitions():
    """Listing 'Kyiv' once or five times is the same; gold repetitions count once too."""
    gold = [_e(0, "Kyiv", "GPE"), _e(1, "Kyiv", "GPE"), _e(2, "Macron", "PERSON")]
    assert score_surface(gold, [_e(9, "Kyiv", "GPE")]) == PRF(1, 0, 1)
    assert score_surface(gold, [_e(i, "Kyiv", "GPE") for i in range(5)]) == PRF(1, 0, 1)


def test_label_must_agree_and_typography_does_not_matter():
    """A wrong label is one false positive and one false negative; quotes, dashes and white
    space are normalised, case is not."""
    gold = [_e(0, "Kyiv\u2019s allies", "ORG"), _e(1, "Russia\u2013Ukraine  war", "EVENT")]
    pred = [_e(0, "Kyiv's allies", "ORG"), _e(1, "Russia-Ukraine war", "GPE"), _e(2, "kyiv's allies", "ORG")]
    assert score_surface(gold, pred) == PRF(1, 2, 1)


def test_ungrounded_entities_count_with_their_string():
    """An entity whose string does not occur in the text is a pair like any other."""
    assert score_surface([_e(0, "Ankara", "GPE")], [], [_e(1, "Ankara", "GPE")]) == PRF(1, 0, 0)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_order_and_repetition_do_not_change_the_counts(data):
    """The counts depend only on the sets: permuting or repeating predictions changes nothing."""
    text = data.draw(texts(min_words=3))
    gold = data.draw(entities(text, 6))
    pred = list(data.draw(entities(text, 6, "q")))
    counts = score_surface(gold, pred)
    assert score_surface(gold, data.draw(st.permutations(pred + pred))) == counts
    assert counts.tp + counts.fn == len(surface_set(gold))
    assert score_surface(gold, gold) == PRF(len(surface_set(gold)), 0, 0)


def test_unique_gold_surface_list_scores_1_on_every_committed_document():
    """The committed gold reduced to its unique (surface, label) pairs, as text-only entities
    listed once each: surface F1 is 1.0, while the mention schemes miss the repetitions."""
    from sgie.annotations.store import gold_documents
    from sgie.corpus.manifest import default_corpus_dir, load_corpus
    from sgie.scoring import evaluate
    from sgie.scoring.predictions import Located, parse_records

    corpus = load_corpus(default_corpus_dir())
    gold = gold_documents(corpus=corpus)
    texts_ = {d.id: d.text for d in corpus.documents}
    records = []
    for doc_id, doc in sorted(gold.items()):
        pairs = dict.fromkeys((e.text, e.label) for e in sorted(doc.entities or (), key=lambda e: e.start))
        ents = [{"id": f"u{i}", "text": t, "label": label} for i, (t, label) in enumerate(pairs)]
        records.append(({"id": doc_id, "entities": ents}, Located(doc_id)))
    predictions = parse_records(records, texts_, "unique gold")
    result = evaluate(gold, predictions.docs, texts_, ungrounded=predictions.ungrounded).to_json()
    surface = result["entities"]["surface"]  # type: ignore[index]
    assert (surface["precision"], surface["recall"], surface["f1"]) == (1.0, 1.0, 1.0)  # type: ignore[index]
    assert result["entities"]["strict"]["recall"] < 1.0  # type: ignore[index]
