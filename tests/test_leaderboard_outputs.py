"""`sgie leaderboard` end to end in temp dirs: the files it writes, not-attempted layers and
ceiling rows, results JSON contents, byte-identical regeneration, and --check."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from leaderboard_support import SAMPLE_GOLD, sample_submissions

from sgie.cli import main
from sgie.leaderboard.bootstrap import Settings
from sgie.leaderboard.build import analyse
from sgie.leaderboard.outputs import check_outputs, render_outputs, write_outputs
from sgie.leaderboard.plot import data_hash, png_data_hash
from sgie.leaderboard.submissions import load_submissions
from sgie.scoring import read_gold

ARGS = ["--gold", str(SAMPLE_GOLD), "--resamples", "2000"]


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """The five synthetic submissions, built once by the command: (submissions, output, printed)."""
    root = tmp_path_factory.mktemp("board")
    subs = sample_submissions(root)
    out = root / "eval"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["leaderboard", *ARGS, "--submissions", str(subs), "--output", str(out)])
    assert code == 0
    return subs, out, stdout.getvalue(), stderr.getvalue()


def run(capsys, subs, out, *extra):
    code = main(["leaderboard", *ARGS, "--submissions", str(subs), "--output", str(out), *extra])
    return code, capsys.readouterr()


def test_writes_every_output_and_prints_the_overall_table(board):
    """LEADERBOARD.md, one results file per system and the plot; the overall table on stdout."""
    subs, out, printed, err = board
    assert sorted(p.name for p in (out / "results").iterdir()) == [
        "annotator-x.json", "empty.json", "ents-only.json", "half.json", "sample.json"]
    assert (out / "leaderboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert printed.splitlines()[0].split()[:4] == ["rank", "system", "overall", "F1"]
    assert "reference  annotator-x" in printed
    assert "wrote 9 files" in err


def _table(md: str, heading: str) -> dict[str, list[str]]:
    section = md.split(f"## {heading}")[1].split("\n## ")[0]
    rows = [r.strip("|").split(" | ") for r in section.splitlines() if r.startswith("| ") and "](" in r]
    return {r[1].split("]")[0].strip("[ "): [c.strip() for c in r] for r in rows}


def test_not_attempted_layers_show_a_dash_never_zero(board):
    """The entities-only system: '—' in the other layers and overall, and no rank there."""
    subs, out, *_ = board
    md = (out / "LEADERBOARD.md").read_text(encoding="utf-8")
    overall = _table(md, "Overall")["ents-only"]
    assert overall[0] == "—" and overall[3:5] == ["—", "—"] and overall[6:8] == ["—", "—"]
    proposals = _table(md, "Proposals")["ents-only"]
    assert proposals[0] == "—" and proposals[3:6] == ["—", "—", "—"]
    assert _table(md, "Entities")["ents-only"][0].isdigit()
    result = json.loads((out / "results" / "ents-only.json").read_text())
    assert result["scores"]["proposals"] == {**result["scores"]["proposals"], "attempted": False,
                                             "f1": None, "rank": None}  # fmt: skip
    assert result["scores"]["overall"]["f1"] is None
    empty = _table(md, "Proposals")["empty"]
    assert empty[5].startswith("0.0 [")  # attempted and found nothing: a real 0


def test_annotator_rows_are_references_and_not_ranked(board):
    """ranked=false rows come first, marked 'reference', with no rank and no ties."""
    subs, out, *_ = board
    md = (out / "LEADERBOARD.md").read_text(encoding="utf-8")
    for heading in ("Overall", "Entities", "Proposals", "Attributions"):
        table = _table(md, heading)
        assert next(iter(table)) == "annotator-x" and table["annotator-x"][0] == "reference"
    scores = json.loads((out / "results" / "annotator-x.json").read_text())["scores"]
    assert all(s["rank"] is None and s["tied_with"] == [] for s in scores.values())
    ranks = [json.loads((out / "results" / f"{k}.json").read_text())["scores"]["entities"]["rank"]
             for k in ("half", "sample", "ents-only", "empty")]  # fmt: skip
    assert sorted(ranks) == [1, 2, 3, 4]


def test_results_json_holds_scores_versions_and_pairwise_p_values(board):
    """Versions, dataset hash, the submission's date, CIs around the scorer's F1, every pair."""
    subs, out, *_ = board
    r = json.loads((out / "results" / "sample.json").read_text())
    assert r["date"] == r["system_json"]["date"] == "2026-01-15"
    assert {"sgie_version", "schema_version", "scorer", "dataset", "bootstrap", "evaluation"} <= set(r)
    assert len(r["dataset"]["gold_sha256"]) == 64 and r["dataset"]["documents"] == ["000", "004"]
    assert r["bootstrap"]["resamples"] == 2000 and r["bootstrap"]["unit"] == "paragraph"
    for metric, s in r["scores"].items():
        assert s["ci_low"] - 1e-6 <= s["f1"] <= s["ci_high"] + 1e-6, metric
    assert r["scores"]["entities"]["f1"] == r["evaluation"]["entities"]["strict"]["f1"]
    assert set(r["comparisons"]) == {"annotator-x", "empty", "ents-only", "half"}
    c = r["comparisons"]["empty"]["entities"]
    assert c["delta"] > 0 and 0 < c["p_bootstrap"] <= 1 and 0 < c["p_randomization"] <= 1
    assert r["comparisons"]["ents-only"]["proposals"] is None


def test_evaluation_block_is_the_evaluate_commands_result(board, capsys):
    """The results file's 'evaluation' equals `sgie evaluate --json --per-document` on the same
    files."""
    subs, out, *_ = board
    r = json.loads((out / "results" / "sample.json").read_text())
    assert main(["evaluate", "--gold", str(SAMPLE_GOLD), "--predictions",
                 str(subs / "sample" / "predictions.jsonl"), "--json", "--per-document"]) == 0  # fmt: skip
    direct = json.loads(capsys.readouterr().out)
    for key in ("gold", "predictions"):
        direct.pop(key), r["evaluation"].pop(key)
    assert direct == r["evaluation"]


def test_regeneration_is_byte_identical_and_check_detects_changes(board, capsys):
    """A second build gives identical bytes (plot included); --check passes, then fails on a hand
    edit or a stale results file; the plot embeds the hash of the data it plots."""
    subs, out, *_ = board
    first = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    gold = read_gold(SAMPLE_GOLD)
    lb = analyse(gold, load_submissions(subs, gold), Settings(resamples=2000))
    outputs = render_outputs(lb)
    assert {out / k: v for k, v in outputs.items()} == first
    assert png_data_hash(outputs["leaderboard.png"]) == data_hash(lb)
    assert run(capsys, subs, out, "--check")[0] == 0
    md = out / "LEADERBOARD.md"
    md.write_text(md.read_text() + "hand edit\n")
    (out / "results" / "gone.json").write_text("{}")
    code, printed = run(capsys, subs, out, "--check")
    assert code == 1 and "LEADERBOARD.md: differs" in printed.out and "gone.json: stale" in printed.out
    write_outputs(out, outputs)
    assert check_outputs(out, outputs) == [] and not (out / "results" / "gone.json").exists()
    # a plot of the same data rasterised differently (another matplotlib build) is left alone
    other_build = _png_with_hash(data_hash(lb))
    (out / "leaderboard.png").write_bytes(other_build)
    write_outputs(out, outputs)
    assert (out / "leaderboard.png").read_bytes() == other_build and check_outputs(out, outputs) == []
    (out / "leaderboard.png").write_bytes(_png_with_hash("0" * 64))
    assert check_outputs(out, outputs) == [
        f"{out / 'leaderboard.png'}: plots different data or is not a complete PNG"]
    write_outputs(out, outputs)
    assert (out / "leaderboard.png").read_bytes() == outputs["leaderboard.png"]
    assert check_outputs(subs.parent / "nothing", outputs)  # all missing
    other = analyse(gold, load_submissions(subs, gold), Settings(resamples=2000, seed=99))
    assert data_hash(other) != data_hash(lb)


def _png_with_hash(digest: str) -> bytes:
    """A complete PNG (another rasterisation) carrying ``digest`` as its data hash."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("sgie-data-sha256", digest)
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def test_validate_mode_and_no_submissions(tmp_path, board, capsys):
    """--validate lists the submissions and writes nothing; an empty folder is not an error."""
    subs, *_ = board
    assert main(["leaderboard", *ARGS, "--submissions", str(subs), "--output", str(tmp_path / "o"),
                 "--validate"]) == 0  # fmt: skip
    assert "5 valid submission(s)" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()
    assert main(["leaderboard", *ARGS, "--submissions", str(tmp_path / "none"), "--output",
                 str(tmp_path / "o")]) == 0  # fmt: skip
    assert "no submissions" in capsys.readouterr().err


def test_validation_scores_are_shown_beside_the_test_scores(board):
    """A system with validation predictions shows its validation headline (here the test
    documents stand in for the validation split, so the two agree); others show 'none'."""
    from dataclasses import replace

    from sgie.leaderboard.render import render_markdown
    from sgie.leaderboard.results import system_results

    subs, *_ = board
    gold = read_gold(SAMPLE_GOLD)
    loaded = {s.id: s for s in load_submissions(subs, gold)}
    half = replace(loaded["half"], other_splits={"validation": loaded["half"].predictions})
    lb = analyse(gold, [half, loaded["sample"]], Settings(resamples=200), validation=gold)
    entry = lb.entry("half")
    for metric in ("entities", "proposals", "attributions", "overall"):
        assert entry.validation_f1(metric) == entry.intervals[metric].point
    assert lb.entry("sample").validation is None
    md = render_markdown(lb)
    row = _table(md, "Entities")["half"]
    assert row[6] == f"{100 * entry.intervals['entities'].point:.1f}"
    assert _table(md, "Entities")["sample"][6] == "none"
    r = system_results(lb, entry)
    assert r["validation"]["f1"]["overall"] == entry.intervals["overall"].point
    assert system_results(lb, lb.entry("sample"))["validation"] is None


def test_validate_reports_every_problem_of_every_submission(tmp_path, capsys):
    """--validate lists all problems (three system.json fields, a bad predictions file, a bad file
    in a second folder), one line each, keeps the valid submissions and exits 2."""
    import shutil

    subs = sample_submissions(tmp_path / "s")
    first, second, *_ = sorted(p for p in subs.iterdir() if p.is_dir())
    info = json.loads((first / "system.json").read_text(encoding="utf-8"))
    info.update(type="magic", date="2026-02-30", url="ftp://x")
    (first / "system.json").write_text(json.dumps(info), encoding="utf-8")
    (first / "predictions.jsonl").write_text('{"id": "nope"}\n', encoding="utf-8")
    shutil.copy(second / "predictions.jsonl", second / "predictions.extra.jsonl")
    code = main(["leaderboard", *ARGS, "--submissions", str(subs), "--validate"])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert code == 2
    assert sum(f"{first.name}/system.json" in line for line in lines) == 3
    assert all(any(f"'{field}'" in line for line in lines) for field in ("type", "url", "date"))
    assert any(f"{first.name}/predictions.jsonl" in line for line in lines)
    assert any("predictions.extra.jsonl" in line for line in lines)
    assert len(lines) == 5 and all(line.startswith("sgie: error: ") for line in lines)
    assert "3 valid submission(s)" in out and "5 problem(s)" in out
