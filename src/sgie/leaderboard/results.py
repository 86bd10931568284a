"""One results file per system: ``eval/results/<system>.json`` (generated, never hand-edited).

What it does
    ``system_results(leaderboard, entry)`` builds the object; ``dumps_results`` its exact text
    (two-space indent, sorted keys as built, final newline). Top-level keys:

    * ``system`` (the id) and ``system_json`` (the submission's ``system.json``);
    * ``date`` -- the submission's ``date`` (not the day of generation, so regenerating gives
      the same bytes);
    * ``sgie_version``, ``schema_version``, ``scorer`` (the scoring module) -- what scored it;
    * ``dataset`` -- dataset version, split, documents, ``gold_sha256`` (sha256 of the
      canonical JSON of the scored gold records) and where the gold came from;
    * ``bootstrap`` -- unit, clusters (in all and per document), resamples, seed, confidence,
      alpha, the test methods, and documents not split into paragraphs (normally none);
    * ``scores`` -- per metric (``entities``, ``proposals``, ``attributions``, ``overall``):
      ``metric`` (its name), ``attempted``, ``f1`` (the scorer's value), ``precision`` /
      ``recall`` (layers only), ``ci_low`` / ``ci_high`` (95% percentile interval),
      ``undefined_resamples``, ``rank`` (``null`` if not ranked) and ``tied_with`` (adjacent
      ranked neighbours with paired bootstrap p >= alpha, with that p);
    * ``comparisons`` -- against every other system, per metric: ``delta`` (this minus the
      other), ``p_bootstrap`` (paired bootstrap, two-sided), ``p_randomization`` (approximate
      randomization); ``null`` where one of the two has no value;
    * ``evaluation`` -- the full result object of ``sgie evaluate --json`` for the test split.

    Interval bounds, differences and p-values are rounded to 6 decimals; scores are exact.

What it does not do
    No computation (``sgie.leaderboard.build``).
"""

from __future__ import annotations

import json

import sgie
from sgie import schema
from sgie.leaderboard import bootstrap
from sgie.leaderboard.headline import HEADLINE, METRICS, OVERALL, RESULT_PATH, attempted
from sgie.leaderboard.model import Entry, Leaderboard
from sgie.records import JSONObject
from sgie.scoring.layers import layer

SCORER = "sgie.scoring.official"
METHODS = {
    "interval": "percentile interval of the resampled headline F1 (resamples without gold items of "
    "the layer excluded)",
    "p_bootstrap": "paired bootstrap on the same resamples (Berg-Kirkpatrick et al. 2012), two-sided: "
    "(1 + #{|delta_b - delta| >= |delta|}) / (1 + resamples)",
    "p_randomization": "approximate randomization swapping the two systems' counts per cluster with "
    "probability 1/2: (1 + #{|delta_r| >= |delta|}) / (1 + shuffles)",
    "tied": "adjacent ranked systems with p_bootstrap >= alpha",
}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _score(entry: Entry, metric: str) -> JSONObject:
    i = entry.intervals.get(metric)
    out: JSONObject = {"metric": HEADLINE[metric]}
    out["attempted"] = attempted(entry.submission.attempts, metric)
    if metric != OVERALL:
        out["result_path"] = RESULT_PATH[metric]
        status = entry.result.layers[metric]
        out["scored"] = status.scored
        counts = entry.result.total.layer(metric)
        if counts is not None:
            c = layer(metric).headline_block(counts)
            out["precision"], out["recall"] = c.precision, c.recall
    out["f1"] = None if i is None else i.point
    out["ci_low"] = None if i is None else _r(i.low)
    out["ci_high"] = None if i is None else _r(i.high)
    out["undefined_resamples"] = None if i is None else i.undefined
    out["rank"] = entry.ranks.get(metric)
    out["tied_with"] = [{"system": k, "p_bootstrap": _r(p)} for k, p in entry.ties.get(metric, ())]
    return out


def system_results(lb: Leaderboard, entry: Entry) -> JSONObject:
    comparisons: JSONObject = {}
    for other in lb.entries:
        if other.id == entry.id:
            continue
        pair = lb.comparisons[(entry.id, other.id)]
        comparisons[other.id] = {
            m: None if (c := pair[m]) is None else
            {"delta": _r(c.delta), "p_bootstrap": _r(c.p_bootstrap), "p_randomization": _r(c.p_randomization)}
            for m in METRICS
        }  # fmt: skip
    s = lb.settings
    return {
        "system": entry.id,
        "system_json": entry.submission.info.to_json(),
        "date": entry.submission.info.date,
        "sgie_version": sgie.__version__,
        "schema_version": schema.SCHEMA_VERSION,
        "scorer": SCORER,
        "dataset": lb.dataset.to_json(),
        "bootstrap": {
            "unit": lb.clusters.unit,
            "clusters": len(lb.clusters.documents),
            "clusters_per_document": lb.clusters.sizes(),
            "unsplit_documents": list(lb.clusters.unsplit),
            "resamples": s.resamples,
            "seed": s.seed,
            "rng": "numpy.random.default_rng (PCG64)",
            "confidence": s.confidence,
            "alpha": s.alpha,
            "methods": dict(METHODS),
            "module": bootstrap.__name__,
        },
        "scores": {m: _score(entry, m) for m in METRICS},
        "comparisons": comparisons,
        "evaluation": entry.result.to_json(),
    }


def dumps_results(lb: Leaderboard, entry: Entry) -> str:
    return json.dumps(system_results(lb, entry), indent=2, ensure_ascii=False) + "\n"
