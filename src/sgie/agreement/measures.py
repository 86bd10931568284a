"""Agreement between two annotations of the same documents, with the harness's own matching.

What it does
    ``compare(reference, other, texts)`` treats one annotator as the reference ("gold") and the
    other as the prediction and returns a JSON-ready dict. Everything that is matched is matched
    by the evaluation harness (``sgie.scoring.official`` and ``sgie.scoring.matching``): there is
    one implementation of matching in SGIE. The measures, per layer:

    * entities -- SemEval ``strict`` F1 (same span, same type) and overlap F1 (the SemEval
      ``type`` scheme: overlapping span, same type), micro and per type;
    * attributions -- per role (cue, source, content) exact F1 and token-overlap F1,
      whole-attribution exact and overlap F1, and token-level Krippendorff's alpha over
      cue/source/content/none labels (``sgie.agreement.alpha``; PolNeAR's measure);
    * proposals -- span F1 (exact and overlap), argument F1 by role (exact spans), and Cohen's
      kappa (scikit-learn) on ``type`` and ``status`` over the proposals paired by the harness's
      overlap alignment (``sgie.scoring.proposals.align_proposals``);
    * counts of items per layer and per type for both annotators.

    F1 is symmetric in the two annotators (swapping them swaps precision and recall), so the
    choice of reference only names the columns. Undefined values are ``None`` with a reason.

What it does not do
    No rendering (``sgie.agreement.report``), no file I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sklearn.metrics import cohen_kappa_score

from sgie import schema
from sgie.agreement.alpha import role_labels, token_alpha
from sgie.records import DocAnnotations, JSONObject
from sgie.scoring import evaluate
from sgie.scoring.proposals import align_proposals


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _prf(block: JSONObject) -> JSONObject:
    return {k: (_round(block[k]) if k in ("precision", "recall", "f1") else block[k])  # type: ignore[arg-type]
            for k in ("tp", "fp", "fn", "precision", "recall", "f1")
            if k in block}  # fmt: skip


def _semeval(block: JSONObject) -> JSONObject:
    return {"correct": block["correct"], "possible": block["possible"], "actual": block["actual"],
            "f1": _round(block["f1"])}  # type: ignore[arg-type]  # fmt: skip


def counts(docs: Mapping[str, DocAnnotations]) -> JSONObject:
    """Numbers of items per layer and type (entities by label, proposals by type/status,
    attributions by source type and quote type)."""
    ents = Counter(e.label for d in docs.values() for e in d.entities or ())
    props = [p for d in docs.values() for p in d.proposals or ()]
    atts = [a for d in docs.values() for a in d.attributions or ()]
    return {
        "documents": len(docs),
        "entities": {"total": sum(ents.values()), **{t: ents[t] for t in schema.ENTITY_LABELS}},
        "proposals": {
            "total": len(props),
            "arguments": sum(len(p.arguments) for p in props),
            "type": {v: sum(p.type == v for p in props) for v in schema.PROPOSAL_TYPE.value_names},
            "status": {v: sum(p.status == v for p in props)
                       for v in schema.PROPOSAL_STATUS.value_names},  # fmt: skip
        },
        "attributions": {
            "total": len(atts),
            "nested": sum(a.parent_id is not None for a in atts),
            "source_type": {v: sum(a.source_type == v for a in atts)
                            for v in schema.SOURCE_TYPE.value_names},  # fmt: skip
            "quote_type": {v: sum(a.quote_type == v for a in atts)
                           for v in schema.QUOTE_TYPE.value_names},  # fmt: skip
        },
    }


def kappa(labels_ref: list[str], labels_other: list[str]) -> JSONObject:
    """Cohen's kappa with its support; ``None`` with a reason when undefined."""
    n = len(labels_ref)
    if n == 0:
        return {"kappa": None, "n": 0, "reason": "no matched proposals"}
    if len(set(labels_ref) | set(labels_other)) < 2:
        reason = "both annotators used a single, identical value: chance agreement is 1"
        return {"kappa": None, "n": n, "reason": reason}
    agreement = sum(a == b for a, b in zip(labels_ref, labels_other)) / n
    value = float(cohen_kappa_score(labels_ref, labels_other))
    return {"kappa": _round(value), "n": n, "observed_agreement": _round(agreement)}


def proposal_kappas(
    ref: Mapping[str, DocAnnotations], other: Mapping[str, DocAnnotations]
) -> JSONObject:
    labels: dict[str, tuple[list[str], list[str]]] = {"type": ([], []), "status": ([], [])}
    for doc_id in sorted(ref):
        g = list(ref[doc_id].proposals or ())
        p = list(other.get(doc_id, DocAnnotations(doc_id, (), (), ())).proposals or ())
        for gi, pi in align_proposals(g, p).pairs:
            for name, (a, b) in labels.items():
                a.append(getattr(g[gi], name))
                b.append(getattr(p[pi], name))
    return {name: kappa(a, b) for name, (a, b) in labels.items()}


def attribution_alpha(
    ref: Mapping[str, DocAnnotations], other: Mapping[str, DocAnnotations], texts: Mapping[str, str]
) -> JSONObject:
    coder_a: list[str] = []
    coder_b: list[str] = []
    for doc_id in sorted(ref):
        coder_a += role_labels(ref[doc_id].attributions or (), texts[doc_id])
        other_atts = other[doc_id].attributions if doc_id in other else ()
        coder_b += role_labels(other_atts or (), texts[doc_id])
    value = token_alpha([coder_a, coder_b])
    out: JSONObject = {"alpha": _round(value), "tokens": len(coder_a)}
    if value is None:
        out["reason"] = "only one label used by both annotators"
    return out


def compare(
    reference: Mapping[str, DocAnnotations],
    other: Mapping[str, DocAnnotations],
    texts: Mapping[str, str],
) -> JSONObject:
    """All agreement measures of ``other`` against ``reference`` (documents of the reference)."""
    result = evaluate(reference, other, texts).to_json()
    ents, props, atts = result["entities"], result["proposals"], result["attributions"]
    return {
        "entities": {
            "strict": _semeval(ents["strict"]),  # type: ignore[index]
            "overlap": _semeval(ents["type"]),  # type: ignore[index]
            "per_type": {
                t: {"strict_f1": _round(ents["strict"]["per_type"][t]["f1"]),  # type: ignore[index]
                    "overlap_f1": _round(ents["type"]["per_type"][t]["f1"])}  # type: ignore[index]
                for t in schema.ENTITY_LABELS
            },  # fmt: skip
        },
        "attributions": {
            "roles": {
                role: {"exact": _prf(atts["roles"][role]["exact"]),  # type: ignore[index]
                       "token": _prf(atts["roles"][role]["token"])}  # type: ignore[index]
                for role in ("cue", "source", "content")
            },  # fmt: skip
            "whole": {m: _prf(atts["whole"][m]) for m in ("exact", "overlap")},  # type: ignore[index]
            "token_alpha": attribution_alpha(reference, other, texts),
        },
        "proposals": {
            "spans": {m: _prf(props["spans"][m]) for m in ("exact", "overlap")},  # type: ignore[index]
            "arguments": {
                "micro": _prf(props["arguments"]["exact"]["micro"]),  # type: ignore[index]
                "per_role": {r: _prf(props["arguments"]["exact"]["per_role"][r])  # type: ignore[index]
                             for r in schema.ROLE_NAMES},  # fmt: skip
            },
            "kappa": proposal_kappas(reference, other),
        },
    }
