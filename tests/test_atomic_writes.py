"""Multi-file outputs are one unit (sgie.atomic.replace_together): a write error while preparing
or part-way through the renames leaves the previous set intact, no temporary file or backup is
left behind, and the command prints one line and exits 1."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from leaderboard_support import SAMPLE_GOLD, sample_submissions

from sgie import atomic
from sgie.atomic import replace_together, write_text_atomic
from sgie.cli import main
from sgie.errors import ServiceError

ROOT = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden temporary files and backups included) -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fail_nth(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, nth: int) -> list[int]:
    """Make ``owner.name`` raise ENOSPC on its ``nth`` call (the others run normally)."""
    real: Callable[..., object] = getattr(owner, name)
    calls = [0]

    def fake(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, fake)
    return calls


@pytest.fixture()
def old_set(tmp_path: Path) -> Path:
    for name in ("a.txt", "sub/b.txt", "c.txt", "gone.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"old {name}\n")
    return tmp_path


def new_set(root: Path) -> dict[Path, bytes]:
    return {root / "a.txt": b"new a\n", root / "sub/b.txt": b"new b\n", root / "c.txt": b"new c\n",
            root / "d/new.txt": b"brand new\n"}  # fmt: skip


def test_all_files_replaced_and_removed_together(old_set: Path) -> None:
    """Success: every target holds its new content, removed files are gone, nothing else left."""
    replace_together(new_set(old_set), [old_set / "gone.txt", old_set / "never-existed.txt"])
    assert snapshot(old_set) == {"a.txt": b"new a\n", "sub/b.txt": b"new b\n", "c.txt": b"new c\n",
                                 "d/new.txt": b"brand new\n"}  # fmt: skip


@pytest.mark.parametrize("nth", [1, 2, 4])
def test_failure_while_preparing_changes_nothing(old_set: Path, monkeypatch: pytest.MonkeyPatch,
                                                 nth: int) -> None:  # fmt: skip
    """A write error on the nth temporary file: every target as before, no temporary file left."""
    before = snapshot(old_set)
    fail_nth(monkeypatch, atomic, "_stage", nth)
    with pytest.raises(ServiceError, match=r"^could not write .*No space left on device.*nothing "
                       r"was changed$") as err:  # fmt: skip
        replace_together(new_set(old_set), [old_set / "gone.txt"])
    assert "\n" not in str(err.value)
    assert snapshot(old_set) == before


@pytest.mark.parametrize("nth", [1, 2, 3, 4, 5])
def test_failure_part_way_through_the_renames_is_rolled_back(
    old_set: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    """os.replace failing on the nth rename (4 writes, then 1 removal): the targets already
    replaced are restored, the new file removed, the removed file back; no backups left."""
    before = snapshot(old_set)
    fail_nth(monkeypatch, os, "replace", nth)
    with pytest.raises(ServiceError, match=r"restored; nothing was changed$"):
        replace_together(new_set(old_set), [old_set / "gone.txt"])
    assert snapshot(old_set) == before


def test_a_failed_rollback_names_the_files_to_restore(old_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If putting a backup back fails too, the one line says which outputs are not restored."""
    real = os.replace
    calls = [0]

    def fake(src: str | Path, dst: str | Path) -> None:
        calls[0] += 1
        if calls[0] in (3, 4):  # the third rename, then the first restore
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fake)
    with pytest.raises(ServiceError, match=r"1 of 5 outputs could not be restored \(.*b\.txt\)"):
        replace_together(new_set(old_set), [old_set / "gone.txt"])


def test_an_interrupt_is_reraised_after_the_same_clean_up(
    old_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during the renames: rolled back, no leftovers, KeyboardInterrupt propagates."""
    before = snapshot(old_set)
    real = os.replace
    calls = [0]

    def fake(src: str | Path, dst: str | Path) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", fake)
    with pytest.raises(KeyboardInterrupt):
        replace_together(new_set(old_set))
    assert snapshot(old_set) == before


def test_single_file_write_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """write_text_atomic is the one-file case: the old file stays, the error is a ServiceError."""
    (tmp_path / "f.txt").write_text("old")
    fail_nth(monkeypatch, os, "replace", 1)
    with pytest.raises(ServiceError, match="f.txt"):
        write_text_atomic(tmp_path / "f.txt", "new")
    assert snapshot(tmp_path) == {"f.txt": b"old"}


# --------------------------------------------------------------------------------------------
# The commands that write several files
# --------------------------------------------------------------------------------------------
def run_failing(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("nth", [2, 5])
def test_leaderboard_write_error_leaves_the_previous_leaderboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], nth: int
) -> None:
    """`sgie leaderboard` failing on the nth rename: LEADERBOARD.md, results/ and the plot are
    all the previous ones (here: of a different seed), exit 1, one line."""
    subs = sample_submissions(tmp_path)
    out = tmp_path / "eval"
    args = ["leaderboard", "--gold", str(SAMPLE_GOLD), "--resamples", "200", "--submissions",
            str(subs), "--output", str(out)]  # fmt: skip
    assert main([*args, "--seed", "1"]) == 0
    (out / "results" / "removed-system.json").write_text("{}")  # stale: deleted in the same unit
    before = snapshot(out)
    capsys.readouterr()
    fail_nth(monkeypatch, os, "replace", nth)
    err = run_failing(capsys, [*args, "--seed", "2"])
    assert "restored; nothing was changed" in err
    assert snapshot(out) == before


def test_build_write_error_leaves_the_previous_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgie build` failing on the 7th rename: every Parquet file, README.md and croissant.json
    are the previous ones, exit 1, one line."""
    out = tmp_path / "out"
    (out / "data" / "documents").mkdir(parents=True)
    for rel in ("data/documents/train.parquet", "data/old/test.parquet", "README.md", "croissant.json"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"previous " + rel.encode())
    before = snapshot(out)
    fail_nth(monkeypatch, os, "replace", 7)
    err = run_failing(capsys, ["build", "--root", str(ROOT), "--out", str(out)])
    assert "No space left on device" in err
    assert snapshot(out) == before


def test_agreement_writes_both_files_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgie agreement` failing on its second rename: agreement.json and AGREEMENT.md unchanged."""
    folder = tmp_path / "annotations"
    folder.mkdir()
    shutil.copy(ROOT / "annotations" / "export.json", folder / "export.json")
    for name in ("agreement.json", "AGREEMENT.md"):
        (folder / name).write_text("previous\n")
    before = snapshot(folder)
    fail_nth(monkeypatch, os, "replace", 2)
    run_failing(capsys, ["agreement", "--annotations", str(folder)])
    assert snapshot(folder) == before


def test_prose_updates_all_stale_files_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgie prose` with two stale files failing on the second rename: both unchanged."""
    (tmp_path / "r.json").write_text('{"n": 7}', encoding="utf-8")
    for name in ("README.md", "DATASHEET.md"):
        (tmp_path / name).write_text("**1**<!-- from r.json: n -->\n", encoding="utf-8")
    before = snapshot(tmp_path)
    fail_nth(monkeypatch, os, "replace", 2)
    run_failing(capsys, ["prose", "--root", str(tmp_path)])
    assert snapshot(tmp_path) == before
