"""The landing zone: every accepted upload as an immutable Parquet file, listed in the manifest.

A file is written to a temporary name, flushed to disk and renamed into place, then recorded in the manifest (with
its warnings, notices and flagged cells, in one transaction); a crash in between leaves either nothing or an
unlisted file. Readers (recompute, dictionary lookups) only see files the manifest lists, and
:func:`recover_landing` (run before every ingest and by the start-up check of :mod:`pipeline.jobs.recovery`)
removes temporary files and moves unlisted ones aside while no ingest runs: landing holds a shared lock on
``landing.lock``, the clean-up an exclusive one. Files are written through :mod:`pipeline.core.files`; a full disk
is reported as :class:`StorageFull` and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.errors import StorageFull
from pipeline.core.files import TMP_SUFFIX, disk_full, pause_at, write_atomic
from pipeline.core.messages import Msg
from pipeline.core.ops import OpsStore, Upload
from pipeline.core.safety import neutralise_frame
from pipeline.core.settings import Settings

LOCK_NAME = "landing.lock"


@contextlib.contextmanager
def landing_lock(settings: Settings, *, exclusive: bool = False, blocking: bool = True) -> Iterator[bool]:
    """Shared for landing, exclusive for cleaning up; yields False when ``blocking`` is off and it is busy."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(settings.data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
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


def write_parquet_atomic(frame: pl.DataFrame, target: Path) -> None:
    """Write ``frame`` to ``target`` so that ``target`` is either absent or complete; landed files are read-only."""

    def write(tmp: Path) -> None:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        os.chmod(tmp, 0o400)

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


# -- after a crash ---------------------------------------------------------------------------------------------
def _listed(settings: Settings) -> set[Path]:
    return {(settings.data_dir / u.path).resolve() for u in OpsStore(settings.ops_path).uploads()}


def landing_temp_files(settings: Settings) -> list[Path]:
    found: list[Path] = []
    for root in (settings.landing_dir, rejected_dir(settings)):
        if root.exists():
            found += [p for p in root.rglob(f".*{TMP_SUFFIX}") if p.is_file()]
    return found


def orphaned_files(settings: Settings) -> list[Path]:
    if not settings.landing_dir.exists():
        return []
    listed = _listed(settings)
    return [p for p in settings.landing_dir.glob("*/*.parquet") if p.resolve() not in listed]


def recover_landing(settings: Settings) -> list[str]:
    """Remove temporary files and move unlisted landed files aside, unless an ingest is running."""
    if not settings.landing_dir.exists() or not settings.ops_path.exists():
        return []
    actions: list[str] = []
    with landing_lock(settings, exclusive=True, blocking=False) as free:
        if not free:
            return []
        for tmp in landing_temp_files(settings):
            tmp.unlink(missing_ok=True)
            actions.append(f"removed the temporary file {tmp.relative_to(settings.data_dir)} of an interrupted write")
        orphans = orphaned_files(settings)
        if orphans:
            target = settings.data_dir / "orphans" / time.strftime("%Y%m%dT%H%M%S")
            target.mkdir(parents=True, exist_ok=True)
            for path in orphans:
                os.replace(path, target / f"{path.parent.name}-{path.name}")
                actions.append(f"moved {path.relative_to(settings.data_dir)}, landed but never recorded in the "
                               f"manifest (an interrupted ingest), to {target.relative_to(settings.data_dir)}/")
    return actions
