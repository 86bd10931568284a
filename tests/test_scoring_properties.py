"""Hypothesis properties of the scorer over random corpora: perfect predictions score 1.0,
order does not matter, duplicated predictions never raise true positives, counts add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from strategies import corpora

from sgie.records import JSON, DocAnnotations
from sgie.scoring import evaluate, total
from sgie.scoring.matching import ranges

METRICS = {"precision", "recall", "f1", "accuracy", "macro_f1"}
FAST = settings(max_examples=40, deadline=None)


def metric_values(value: JSON, path: str = "") -> list[tuple[str, float | None]]:
    """Every metric value in a result object, with its path."""
    out: list[tuple[str, float | None]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in METRICS and not isinstance(v, dict):
                out.append((f"{path}.{k}", v))  # type: ignore[arg-type]
            elif k not in ("reason", "per_document"):
                out += metric_values(v, f"{path}.{k}")
    return out


@FAST
@given(case=corpora())
def test_perfect_predictions_score_one_everywhere(case):
    """Predicting the gold scores 1.0 in every scheme and metric that is defined."""
    texts, gold, _ = case
    result = evaluate(gold, gold, texts).to_json()
    values = metric_values(result)
    assert values
    assert all(v == 1.0 for _, v in values if v is not None), [p for p, v in values if v != 1.0]
    has_entities = any(d.entities for d in gold.values())
    assert (result["entities"]["strict"]["f1"] == 1.0) is has_entities


def shuffled(draw: st.DrawFn, doc: DocAnnotations) -> DocAnnotations:
    def perm(items):  # noqa: ANN001, ANN202
        return tuple(draw(st.permutations(items))) if items is not None else None

    return DocAnnotations(
        doc.doc_id,
        perm(doc.entities),
        perm(tuple(replace(p, arguments=perm(p.arguments)) for p in doc.proposals or ())),
        perm(tuple(replace(a, cue=perm(a.cue), source=perm(a.source), content=perm(a.content))
                   for a in doc.attributions or ())),  # fmt: skip
    )


@FAST
@given(case=corpora(), data=st.data())
def test_document_and_span_order_do_not_matter(case, data):
    """Shuffling documents, items, arguments and role spans leaves the result unchanged."""
    texts, gold, pred = case
    order = data.draw(st.permutations(sorted(gold)))
    gold2 = {d: shuffled(data.draw, gold[d]) for d in order}
    pred2 = {d: shuffled(data.draw, pred[d]) for d in order}
    assert evaluate(gold2, pred2, texts).to_json() == evaluate(gold, pred, texts).to_json()


def duplicated(draw: st.DrawFn, doc: DocAnnotations) -> DocAnnotations:
    """``doc`` with some of its items repeated (new ids)."""
    def dup(items, prefix):  # noqa: ANN001, ANN202
        extra = [x for x in items if draw(st.booleans())]
        return tuple(items) + tuple(replace(x, id=f"{prefix}{i}") for i, x in enumerate(extra))

    return DocAnnotations(doc.doc_id, dup(doc.entities, "de"), dup(doc.proposals, "dp"),
                          dup(doc.attributions, "da"))  # fmt: skip


def distinct(keys: list) -> bool:  # noqa: ANN001
    return len(keys) == len(set(keys))


def exact_true_positives(gold: dict[str, DocAnnotations], pred, texts) -> dict[str, int]:  # noqa: ANN001
    """True positives of the exact-match metrics, for those whose gold keys are distinct (a
    duplicated gold item can legitimately be matched by a duplicated prediction)."""
    t = evaluate(gold, pred, texts).total
    g = list(gold.values())
    out = {}
    ents = [(d.doc_id, e.span.start, e.span.end, e.label) for d in g for e in d.entities]
    if distinct(ents):
        out["strict"] = t.entities["strict"].micro.correct
    if distinct([k[:3] for k in ents]):
        out["exact"] = t.entities["exact"].micro.correct
    if distinct([(d.doc_id, p.span.start, p.span.end) for d in g for p in d.proposals]):
        out["proposal spans"] = t.proposals.spans["exact"].tp
    for role in ("cue", "source", "content"):
        regions = [(d.doc_id, ranges(getattr(a, role))) for d in g for a in d.attributions
                   if getattr(a, role)]  # fmt: skip
        if distinct(regions):
            out[role] = t.attributions.roles[role].exact.tp
    whole = [(d.doc_id, ranges(a.cue), ranges(a.source), ranges(a.content)) for d in g
             for a in d.attributions]  # fmt: skip
    if distinct(whole):
        out["whole"] = t.attributions.whole["exact"].tp
    return out


@FAST
@given(case=corpora(), data=st.data())
def test_duplicated_predictions_never_raise_true_positives(case, data):
    """Repeating predictions leaves every exact-match true-positive count unchanged."""
    texts, gold, pred = case
    dup = {d: duplicated(data.draw, p) for d, p in pred.items()}
    before = exact_true_positives(gold, pred, texts)
    after = exact_true_positives(gold, dup, texts)
    assert after == before


@FAST
@given(case=corpora(), data=st.data())
def test_duplicating_a_perfect_prediction_only_adds_false_positives(case, data):
    """Gold plus repeated gold items: every true-positive count stays at the gold count."""
    texts, gold, _ = case
    dup = {d: duplicated(data.draw, g) for d, g in gold.items()}
    perfect = evaluate(gold, gold, texts).total
    noisy = evaluate(gold, dup, texts).total
    assert noisy.entities["strict"].micro.correct == perfect.entities["strict"].micro.correct
    assert noisy.proposals.spans["overlap"].tp == perfect.proposals.spans["overlap"].tp
    assert noisy.attributions.whole["overlap"].tp == perfect.attributions.whole["overlap"].tp
    n_dups = sum(len(dup[d].entities) - len(gold[d].entities) for d in gold)
    assert noisy.entities["strict"].micro.spurious == n_dups


@FAST
@given(case=corpora(max_docs=4))
def test_corpus_counts_are_the_sum_over_documents(case):
    """Counts of a corpus equal the sum of the counts of its documents scored one by one."""
    texts, gold, pred = case
    whole = evaluate(gold, pred, texts)
    alone = [evaluate({d: gold[d]}, {d: pred[d]}, {d: texts[d]}).total for d in gold]
    assert whole.total == total(alone)
    assert whole.total == total(whole.per_document.values())
