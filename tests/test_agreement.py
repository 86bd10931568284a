"""Agreement measures: alpha against NLTK, kappa edge cases, self-agreement, generated files."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask

from sgie.agreement.alpha import role_labels, token_alpha
from sgie.agreement.measures import compare, kappa
from sgie.agreement.report import agreement_report, dumps_json, render_markdown
from sgie.annotations.store import load_store
from sgie.records import Attribution
from sgie.spans import Span

LABELS = st.sampled_from(["none", "CUE", "SOURCE", "CONTENT"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(LABELS, LABELS), min_size=2, max_size=40))
def test_alpha_equals_nltk(units):
    """Nominal alpha from the krippendorff package equals NLTK's AnnotationTask.alpha."""
    a = [x for x, _ in units]
    b = [y for _, y in units]
    ours = token_alpha([a, b])
    if len(set(a) | set(b)) < 2:
        assert ours is None
        return
    task = AnnotationTask(data=[(c, i, v) for c, labels in (("a", a), ("b", b))
                                for i, v in enumerate(labels)])  # fmt: skip
    assert abs(ours - task.alpha()) < 1e-9


def test_role_precedence_cue_over_content():
    """A nested cue inside a parent's content labels its tokens CUE, not CONTENT."""
    text = "He said they told him so."
    outer = Attribution("a1", (Span(3, 7, "said"),), (Span(0, 2, "He"),),
                        (Span(8, 24, "they told him so"),), "indirect", "pronoun", None)
    inner = Attribution("a2", (Span(13, 17, "told"),), (Span(8, 12, "they"),),
                        (Span(18, 24, "him so"),), "indirect", "pronoun", "a1")
    labels = role_labels([outer, inner], text)
    assert labels == ("SOURCE", "CUE", "SOURCE", "CUE", "CONTENT", "CONTENT", "none")


def test_kappa_undefined_for_a_single_shared_value():
    """Kappa is null with a reason when both annotators only used one identical value."""
    out = kappa(["offer", "offer"], ["offer", "offer"])
    assert out["kappa"] is None and "single" in out["reason"]


def test_kappa_undefined_without_pairs():
    """Kappa is null when no proposals were matched."""
    assert kappa([], [])["kappa"] is None


def test_annotator_agrees_with_itself(corpus):
    """Comparing an annotation with itself gives F1 1.0 in every layer and alpha 1.0."""
    store = load_store(corpus.root.parent / "annotations", corpus)
    name = sorted(store.annotations)[0]
    docs = store.annotations[name]
    out = compare(docs, docs, corpus.texts())
    assert out["entities"]["strict"]["f1"] == 1.0
    assert out["proposals"]["spans"]["exact"]["f1"] == 1.0
    assert out["proposals"]["arguments"]["micro"]["f1"] == 1.0
    assert out["attributions"]["whole"]["exact"]["f1"] == 1.0
    assert out["attributions"]["token_alpha"]["alpha"] == 1.0


def test_committed_agreement_files_are_up_to_date(root, corpus):
    """annotations/agreement.json and AGREEMENT.md equal a fresh `sgie agreement`."""
    store = load_store(root / "annotations", corpus)
    report = agreement_report(store, corpus)
    assert (root / "annotations" / "agreement.json").read_text(encoding="utf-8") == dumps_json(report)
    assert (root / "annotations" / "AGREEMENT.md").read_text(encoding="utf-8") == render_markdown(report)
    assert set(json.loads(dumps_json(report))["pairs"]) == {"a_vs_b", "a_vs_gold", "b_vs_gold"}
