"""Files written so that they are either absent or complete, and a full disk told apart from other errors.

Every store that keeps files (the landing zone, rejected rows, methodology versions) writes through
:func:`write_atomic`: a temporary name, flushed to disk, renamed into place; a crash in between leaves at most a
temporary file (``.NAME.<hex>.tmp``), which the start-up check removes. A full disk or quota is reported as
:class:`StorageFull`, naming the folder, and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
import uuid
from pathlib import Path
from typing import Any

from pipeline.core.errors import StorageFull
from pipeline.core.messages import Msg

#: Test hook for fault tests: with CLUSTERSTATS_PAUSE_AT=<step> the process sleeps there
#: (CLUSTERSTATS_PAUSE_SECONDS, default 30) so that a test can kill it. Steps: landing-write (the temporary file is
#: written, not yet renamed), landing-manifest (the file is in place, not yet in the manifest), and the build's steps
#: (:mod:`pipeline.jobs.build`: staging, marts, audits, swap, swapped).
PAUSE_ENV = "CLUSTERSTATS_PAUSE_AT"
TMP_SUFFIX = ".tmp"
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
LOW_SPACE = 1 << 20  # below 1 MB free, an I/O error is taken for a full disk


def pause_at(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        time.sleep(float(os.environ.get("CLUSTERSTATS_PAUSE_SECONDS", "30")))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def free_bytes(path: Path) -> int | None:
    """Free space for this user on the file system holding ``path`` (None when unknown)."""
    try:
        st = os.statvfs(path)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def disk_full(exc: BaseException, where: Path | None = None) -> bool:
    """Whether ``exc`` says the disk (or quota) is full, whichever library raised it; with ``where``, also an I/O
    error while that file system has (almost) no free space left (SQLite then says only "disk I/O error")."""
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return True
    text = str(exc).lower()
    if any(s in text for s in ("no space left", "disk is full", "database or disk is full", "quota exceeded")):
        return True
    if where is not None and ("i/o error" in text or isinstance(exc, OSError)):
        free = free_bytes(where)
        return free is not None and free < LOW_SPACE
    return False


#: Files and folders of the data directory are the owner's alone: password hashes, the audit log and the data of
#: every upload are in it. Entry points (the CLI, which starts the app and the worker) set this umask.
PRIVATE_UMASK = 0o077


def loose_files(folder: Path, *, limit: int = 5) -> list[str]:
    """Warnings for ``folder`` and the files and folders in it that other accounts of this machine may read or
    write (any group or other permission), naming the first ``limit`` and counting the rest; empty when tight."""
    if not folder.exists():
        return []
    loose = [(p, p.stat().st_mode & 0o777) for p in [folder, *sorted(folder.rglob("*"))]
             if not p.is_symlink() and p.stat().st_mode & 0o077]
    lines = [f"{p} is open to other accounts of this machine (mode {mode:04o}): chmod {'700' if p.is_dir() else '600'} "
             f"{p}" for p, mode in loose[:limit]]
    if len(loose) > limit:
        lines.append(f"{len(loose) - limit} more file(s) under {folder} are open to other accounts: "
                     f"chmod -R go-rwx {folder}")
    return lines


def temp_path(target: Path) -> Path:
    return target.parent / f".{target.name}.{uuid.uuid4().hex}{TMP_SUFFIX}"


def write_atomic(target: Path, write: Any, *, what: str, pause: str | None = "landing-write") -> None:
    """Call ``write(tmp)`` then flush and rename, so that ``target`` is either absent or complete. ``pause``: the
    fault-injection step between the flush and the rename (tests kill a landing there)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:  # a read-only descriptor: landed files are read-only, and fsync needs no more
            os.fsync(fh.fileno())
        if pause:
            pause_at(pause)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except Exception as exc:
        if disk_full(exc):
            raise StorageFull(Msg("land.disk_full_write", folder=str(target.parent), what=what)) from None
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(target: Path, text: str, *, what: Msg) -> None:
    """Write ``text`` (UTF-8) to ``target`` so that ``target`` is either absent or complete."""
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), what=what, pause=None)
