"""The committed leaderboard (eval/LEADERBOARD.md, eval/results/, eval/leaderboard.png) equals a
regeneration from eval/submissions/ and the committed gold (what `sgie leaderboard --check` does)."""

from __future__ import annotations

import pytest

from sgie.annotations.gold import load_gold
from sgie.leaderboard.build import analyse
from sgie.leaderboard.outputs import check_outputs, render_outputs
from sgie.leaderboard.submissions import load_submissions


def test_committed_leaderboard_equals_a_regeneration(root, corpus):
    """Regenerating with the default settings changes no committed file."""
    submissions_dir = root / "eval" / "submissions"
    if not any(submissions_dir.glob("*/system.json")):
        pytest.skip("no submission committed yet")
    gold = load_gold("test", corpus.root)
    split_texts = {s: {d.id: d.text for d in corpus.split(s)} for s in ("train", "validation")}
    outputs = render_outputs(analyse(gold, load_submissions(submissions_dir, gold, split_texts)))
    assert check_outputs(root / "eval", outputs) == [], "run `sgie leaderboard` and commit the result"
