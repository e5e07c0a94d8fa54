"""The landing zone: every accepted upload as an immutable Parquet file, listed in the manifest.

A file is written to a temporary name, flushed to disk and renamed into place, then recorded in the manifest (with
its warnings, notices and flagged cells, in one transaction); a crash in between leaves either nothing or an
unlisted file. Readers (recompute, dictionary lookups) only see files the manifest lists, and the start-up check
(:mod:`pipeline.recovery`) removes unlisted and temporary files while no ingest runs: landing holds a shared lock
on ``landing.lock``, the clean-up an exclusive one. A full disk is reported as :class:`StorageFull` and leaves
nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.errors import StorageFull
from pipeline.messages import Msg
from pipeline.ops import OpsStore, Upload
from pipeline.settings import Settings

#: Test hook for fault tests, as in :mod:`pipeline.jobs`: with CLUSTERSTATS_PAUSE_AT=<step> the process sleeps
#: there (CLUSTERSTATS_PAUSE_SECONDS, default 30) so that a test can kill it. Steps: landing-write (the temporary
#: file is written, not yet renamed), landing-manifest (the file is in place, not yet in the manifest).
PAUSE_ENV = "CLUSTERSTATS_PAUSE_AT"
LOCK_NAME = "landing.lock"
TMP_SUFFIX = ".tmp"
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
LOW_SPACE = 1 << 20  # below 1 MB free, an I/O error is taken for a full disk


def pause_at(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        time.sleep(float(os.environ.get("CLUSTERSTATS_PAUSE_SECONDS", "30")))


@contextlib.contextmanager
def landing_lock(settings: Settings, *, exclusive: bool = False, blocking: bool = True) -> Iterator[bool]:
    """Shared for landing, exclusive for cleaning up; yields False when ``blocking`` is off and it is busy."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


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


def temp_path(target: Path) -> Path:
    return target.parent / f".{target.name}.{uuid.uuid4().hex}{TMP_SUFFIX}"


def write_atomic(target: Path, write: Any, *, what: str, pause: str | None = "landing-write") -> None:
    """Call ``write(tmp)`` then flush and rename, so that ``target`` is either absent or complete. ``pause``: the
    fault-injection step between the flush and the rename (tests kill a landing there)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
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


def write_parquet_atomic(frame: pl.DataFrame, target: Path) -> None:
    """Write ``frame`` to ``target`` so that ``target`` is either absent or complete; landed files are read-only."""

    def write(tmp: Path) -> None:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        os.chmod(tmp, 0o444)

    write_atomic(target, write, what=Msg("land.landed_file", name=target.name))


def landing_path(settings: Settings, kind: str, upload_id: str) -> Path:
    return settings.landing_dir / kind / f"{upload_id}.parquet"


def land(
    settings: Settings,
    frame: pl.DataFrame,
    *,
    upload_id: str,
    kind: str,
    notes: list[dict[str, Any]] | None = None,
    flags: list[tuple[Any, ...]] | None = None,
    **manifest: object,
) -> tuple[Upload, bool]:
    """Write the validated frame and record it: (manifest row, True when this call landed it)."""
    store = OpsStore(settings.ops_path)
    with landing_lock(settings):
        existing = store.find_upload(upload_id)
        if existing is not None:
            return existing, False
        target = landing_path(settings, kind, upload_id)
        write_parquet_atomic(frame, target)
        pause_at("landing-manifest")
        try:
            return store.record_upload(
                upload_id=upload_id,
                kind=kind,
                rows=frame.height,
                path=str(target.relative_to(settings.data_dir)),
                notes=notes or [],
                flags=flags or [],
                **manifest,
            )
        except BaseException as exc:
            if store.find_upload(upload_id) is None:  # not listed: take the file away again
                target.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error) and disk_full(exc):
                raise StorageFull(Msg("land.disk_full_record", folder=str(settings.ops_path.parent))) from None
            raise


def rejected_dir(settings: Settings) -> Path:
    return settings.data_dir / "rejected"


def write_rejected_rows(settings: Settings, frame: pl.DataFrame, name: str) -> Path:
    """Rows set aside, with their reasons, as ``data/rejected/<name>.csv`` (UTF-8 with BOM, so that Excel reads
    the Chinese; formulas neutralised). Returns the path."""
    from pipeline.safety import neutralise_frame

    target = rejected_dir(settings) / f"{name}.csv"
    safe = neutralise_frame(frame)

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"\xef\xbb\xbf" + safe.write_csv().encode("utf-8"))

    write_atomic(target, write, what=Msg("land.rejected_file", name=target.name))
    return target


def landed_frame(settings: Settings, kind: str, *, columns: list[str] | None = None) -> pl.DataFrame | None:
    """All landed vintages of ``kind`` stacked (with ``upload_id`` and ``vintage``), or None if none landed."""
    lf = landed_lazy(settings, kind, columns=columns)
    return None if lf is None else lf.collect()


def landed_lazy(settings: Settings, kind: str, *, columns: list[str] | None = None) -> pl.LazyFrame | None:
    """:func:`landed_frame` as a scan, so that a filter (a year) reads only what it needs."""
    uploads = OpsStore(settings.ops_path).uploads(kind)
    if not uploads:
        return None
    frames = []
    for up in uploads:
        lf = pl.scan_parquet(settings.data_dir / up.path)
        if columns is not None:
            lf = lf.select(columns)
        frames.append(lf.with_columns(pl.lit(up.upload_id).alias("upload_id"), pl.lit(up.vintage).alias("vintage")))
    return pl.concat(frames, how="diagonal_relaxed")


def known_codes(settings: Settings, kind: str) -> dict[str, str]:
    """Codes of a landed dictionary (every vintage) -> name from the newest vintage that has it."""
    frame = landed_frame(settings, kind, columns=["code", "name"])
    if frame is None:
        return {}
    newest = frame.sort("vintage", descending=True).unique("code", keep="first", maintain_order=True)
    return dict(newest.select("code", "name").iter_rows())
