"""A system's leaderboard numbers do not depend on who else submitted: adding a submission whose
predictions cross paragraphs changes no other system's scores, intervals or results file, apart
from the comparisons with the new system, ranks and ties."""

from __future__ import annotations

import json
import shutil

from leaderboard_support import write_submission
from msgspec.structs import replace

from sgie.annotations.gold import load_gold
from sgie.leaderboard.bootstrap import Settings
from sgie.leaderboard.build import analyse
from sgie.leaderboard.clusters import build_clusters
from sgie.leaderboard.results import system_results
from sgie.leaderboard.submissions import load_submissions
from sgie.records import DocAnnotations
from sgie.spans import Span

FEW = Settings(resamples=1000, seed=3)


def _crossing(doc: DocAnnotations, text: str) -> DocAnnotations:
    """The gold of ``doc`` plus a proposal from its first to its last gold proposal and an
    attribution whose content runs from the first gold content to the next paragraph's end."""
    props, atts = doc.proposals or (), doc.attributions or ()
    first, last = min(props, key=lambda p: p.start), max(props, key=lambda p: p.end)
    wide = replace(first, id="wide", end=last.end, text=text[first.start : last.end], arguments=())
    a = next(x for x in atts if x.parent_id is None)
    start = a.content[0].start
    end = text.index("\n", text.index("\n", start) + 2)
    long = replace(a, id="long", content=(Span(start, end, text[start:end]),), parent_id=None)
    return replace(doc, proposals=(*props, wide), attributions=(*atts, long))


def _stable_part(results: dict, newcomer: str) -> dict:
    out = json.loads(json.dumps(results))
    out["comparisons"].pop(newcomer, None)
    for score in out["scores"].values():
        score.pop("rank"), score.pop("tied_with")
    return out


def test_adding_a_submission_changes_nothing_else(tmp_path, root, corpus):
    """Every other system's scores, intervals and results file are unchanged (bar comparisons
    with the newcomer, ranks and ties); the newcomer's predictions do cross clusters."""
    gold = load_gold("test", corpus.root)
    subs = tmp_path / "submissions"
    shutil.copytree(root / "eval" / "submissions", subs)
    before = analyse(gold, load_submissions(subs, gold), FEW)
    crossing = {d: _crossing(g, gold.texts[d]) for d, g in gold.docs.items()}
    write_submission(subs, "crosser", crossing, type="llm")
    after = analyse(gold, load_submissions(subs, gold), FEW)

    clusters = build_clusters(gold.docs, gold.texts)
    for d, doc in crossing.items():
        part = clusters.partitions[d]
        wide = next(p for p in doc.proposals or () if p.id == "wide")
        assert part.at(wide.start) != part.at(wide.end - 1), "the test needs a crossing prediction"
    assert after.clusters == before.clusters
    for entry in before.entries:
        new = after.entry(entry.id)
        for metric, interval in entry.intervals.items():
            other = new.intervals[metric]
            assert (interval is None) == (other is None)
            if interval is not None and other is not None:
                assert (interval.point, interval.low, interval.high) == (other.point, other.low, other.high)
        old_json = _stable_part(system_results(before, entry), "crosser")
        assert old_json == _stable_part(system_results(after, new), "crosser")
