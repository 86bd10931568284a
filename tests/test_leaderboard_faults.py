"""`sgie leaderboard` under injected faults: a truncated plot and an emptied or missing
submissions folder are stale for --check (and a plain run repairs or refuses); system names
cannot break LEADERBOARD.md; the folder-id pattern ends at the true end; bad arguments and a
system.json that is a folder or a FIFO are one line, exit 2."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from leaderboard_support import SAMPLE_GOLD, sample_submissions, write_submission

from sgie.cli import main
from sgie.errors import InputError
from sgie.leaderboard.bootstrap import Settings
from sgie.leaderboard.build import analyse
from sgie.leaderboard.render import md_text, render_markdown
from sgie.leaderboard.submissions import load_submission, load_submissions
from sgie.scoring import read_gold

ARGS = ["leaderboard", "--gold", str(SAMPLE_GOLD), "--resamples", "200"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(submissions, output) with a leaderboard built by the command."""
    root = tmp_path_factory.mktemp("faults")
    subs = sample_submissions(root)
    assert main([*ARGS, "--submissions", str(subs), "--output", str(root / "eval")]) == 0
    return subs, root / "eval"


@pytest.fixture()
def copy(board: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    subs, out = board
    shutil.copytree(subs, tmp_path / "submissions")
    shutil.copytree(out, tmp_path / "eval")
    return tmp_path / "submissions", tmp_path / "eval"


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int) -> str:
    capsys.readouterr()
    assert main(argv) == code
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_a_plot_truncated_to_its_header_is_stale_and_repaired(
    copy: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The PNG cut before its image data keeps the data-hash chunk: --check still fails, and a
    plain run writes the complete plot again."""
    subs, out = copy
    png = out / "leaderboard.png"
    good = png.read_bytes()
    png.write_bytes(good[: good.index(b"IDAT") - 4])
    argv = [*ARGS, "--submissions", str(subs), "--output", str(out)]
    capsys.readouterr()
    assert main([*argv, "--check"]) == 1
    assert "leaderboard.png: plots different data or is not a complete PNG" in capsys.readouterr().out
    assert main(argv) == 0
    assert png.read_bytes() == good
    assert main([*argv, "--check"]) == 0


@pytest.mark.parametrize("how", ["emptied", "missing"])
def test_no_submissions_with_a_leaderboard_left_is_stale(
    copy: tuple[Path, Path], capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """Submissions emptied or gone while LEADERBOARD.md lists five systems: --check exits 1
    naming the files; a plain run refuses (exit 2, one line) and deletes nothing."""
    subs, out = copy
    shutil.rmtree(subs)
    if how == "emptied":
        subs.mkdir()
    argv = [*ARGS, "--submissions", str(subs), "--output", str(out)]
    before = snapshot(out)
    capsys.readouterr()
    assert main([*argv, "--check"]) == 1
    printed = capsys.readouterr().out
    assert "LEADERBOARD.md: stale (no submissions)" in printed and "results/half.json: stale" in printed
    assert "stale (no such submission)" in printed
    assert "must hold a submission" in one_line(capsys, argv, 2)
    assert snapshot(out) == before


@pytest.mark.parametrize("argv, message", [
    (["--resamples", "0"], "'--resamples' must be >= 1 (got 0)"),
    (["--seed", "-1"], "'--seed' must be >= 0 (got -1)"),
])  # fmt: skip
def test_bad_numbers_are_one_line(
    board: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
    message: str,
) -> None:
    """--resamples 0 and a negative seed: exit 2, one line, nothing written."""
    subs, _ = board
    err = one_line(capsys, [*ARGS, *argv, "--submissions", str(subs), "--output", str(tmp_path / "o")], 2)
    assert message in err and not (tmp_path / "o").exists()


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_system_json_must_be_a_regular_file(
    board: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """system.json as a folder (a traceback before) or a FIFO (a hang before): exit 2 at once."""
    subs, _ = board
    shutil.copytree(subs, tmp_path / "s")
    target = tmp_path / "s" / "half" / "system.json"
    target.unlink()
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    err = one_line(capsys, [*ARGS, "--submissions", str(tmp_path / "s"), "--validate"], 2)
    assert "system.json as a regular file" in err
    assert ("a folder" if kind == "folder" else "not a regular file") in err


def test_folder_id_pattern_ends_at_the_true_end(tmp_path: Path) -> None:
    """A folder 'zz\\n' is refused ('$' would match before the trailing newline)."""
    gold = read_gold(SAMPLE_GOLD)
    folder = write_submission(tmp_path, "zz\n", gold.docs)
    with pytest.raises(InputError, match="folder name must match"):
        load_submission(folder, gold)


EVIL = "Evil | sys\n# Injected heading\r\n<script>alert(1)</script> [x](http://e) `c` *b* \\ &amp;"


def test_system_names_cannot_break_the_markdown(tmp_path: Path) -> None:
    """A name with a pipe, newlines, a heading, HTML, a link, code and emphasis stays one
    literal table cell: every table row has the header's number of cells, no injected line,
    no raw HTML, and unescaping gives the name back (line breaks as spaces)."""
    gold = read_gold(SAMPLE_GOLD)
    for system_id, name in (("evil", EVIL), ("plain", "Plain")):
        meta = write_submission(tmp_path, system_id, gold.docs) / "system.json"
        meta.write_text(json.dumps({**json.loads(meta.read_text()), "name": name}), encoding="utf-8")
    lb = analyse(gold, load_submissions(tmp_path, gold), Settings(resamples=50))
    md = render_markdown(lb)
    assert "<script>" not in md and "\n# Injected" not in md
    assert not any(line.startswith("#") and "Injected" in line for line in md.splitlines())
    cells = re.compile(r"(?<!\\)\|")
    for block in md.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            assert {len(cells.findall(r)) for r in rows} == {len(cells.findall(rows[0]))}, block
    literal = re.sub(r"\\(.)", r"\1", md_text(EVIL))
    literal = literal.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert literal == re.sub(r"[\r\n]+", " ", EVIL)
    assert json.loads(json.dumps(md_text("Rules"))) == "Rules"
