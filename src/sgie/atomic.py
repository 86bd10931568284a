"""Atomic file writes: one file, or a set of files replaced together.

What it does
    ``replace_together(files, remove)`` publishes a set of outputs as one unit, in two phases:

    1. *prepare*: every new content is written to a temporary file next to its target (same
       folder, so the rename is atomic); a failure here (disk full, permission, an exception
       from the caller's data) removes the temporary files and leaves every target as it was;
    2. *commit*: each existing target is first hard-linked (else copied) to a backup next to
       it, then the temporary file is renamed over it (``os.replace``); files in ``remove`` are
       renamed to backups. If a rename fails part-way, the targets already replaced are put
       back from their backups (new files removed), so the previous set is intact again.
       Backups are deleted only once every rename succeeded.

    Any ``OSError`` comes out as one ``sgie.errors.ServiceError`` line (exit status 1) naming
    the file, the cause and what state the outputs are in; other exceptions (``KeyboardInterrupt``,
    a bug) are re-raised after the same clean-up. ``write_bytes_atomic`` / ``write_text_atomic``
    are the one-file case.

What it does not do
    No fsync (a crash of the machine may lose the newest writes, never half-write a file);
    no locking against concurrent writers; no directories as targets.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from sgie.errors import ServiceError


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _stage(target: Path, data: bytes, mode: int) -> Path:
    """``data`` in a new temporary file next to ``target`` (removed again on error)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        os.chmod(tmp, mode)  # mkstemp creates 0600; use the ordinary file mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _backup_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.urandom(6).hex()}.bak")


def _backup(target: Path) -> Path | None:
    """A copy of ``target`` next to it (a hard link where possible), or None if it is absent."""
    if not target.is_file():
        return None
    backup = _backup_name(target)
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _cause(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else 'no details'}"


def _rollback(done: list[tuple[Path, Path | None]]) -> list[Path]:
    """Undo the renames in ``done`` (latest first); the targets that could not be restored."""
    failed = []
    for target, backup in reversed(done):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        except OSError:
            failed.append(target)
    return failed


def replace_together(files: Mapping[Path, bytes], remove: Iterable[Path] = ()) -> None:
    """Write every ``files`` target and delete every ``remove`` path, all or nothing (see the
    module docstring); ``ServiceError`` (one line) when the file system fails."""
    mode = 0o666 & ~_umask()
    removing = tuple(Path(p) for p in remove)
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    done: list[tuple[Path, Path | None]] = []  # (target, its backup; None: it was new)
    current = Path()
    phase = "prepare"
    try:
        for target, data in files.items():
            current = Path(target)
            staged.append((_stage(current, data, mode), current))
        phase = "commit"
        for tmp, target in staged:
            current = target
            backup = _backup(target)
            try:
                os.replace(tmp, target)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((target, backup))
        for current in removing:
            if current.is_file():
                backup = _backup_name(current)
                os.replace(current, backup)
                done.append((current, backup))
    except BaseException as err:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        lost = _rollback(done)
        if not isinstance(err, OSError):
            raise
        total = len(files) + len(removing)
        if phase == "prepare":
            state = "nothing was changed"
        elif lost:
            state = (f"{len(lost)} of {total} outputs could not be restored "
                     f"({', '.join(map(str, lost))}): restore them from version control")  # fmt: skip
        else:
            state = f"the {len(done)} output(s) already replaced were restored; nothing was changed"
        raise ServiceError(f"could not write {current} ({_cause(err)}); {state}") from None
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    replace_together({Path(path): data})


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_texts_together(files: Mapping[Path, str], remove: Iterable[Path] = ()) -> None:
    """``replace_together`` for text files (UTF-8)."""
    replace_together({Path(p): t.encode("utf-8") for p, t in files.items()}, remove)
