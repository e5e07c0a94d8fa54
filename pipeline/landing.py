"""The landing zone: every accepted upload as an immutable Parquet file, listed in the manifest.

A file is written to a temporary name, flushed to disk and renamed into place, then recorded in the manifest; a
crash in between leaves either nothing or an unlisted file that the next landing of the same upload reuses. Readers
(recompute, dictionary lookups) only see files the manifest lists.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import polars as pl

from pipeline.ops import OpsStore, Upload
from pipeline.settings import Settings


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_parquet_atomic(frame: pl.DataFrame, target: Path) -> None:
    """Write ``frame`` to ``target`` so that ``target`` is either absent or complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)  # landed files are immutable: read-only for everyone
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


def landing_path(settings: Settings, kind: str, upload_id: str) -> Path:
    return settings.landing_dir / kind / f"{upload_id}.parquet"


def land(
    settings: Settings,
    frame: pl.DataFrame,
    *,
    upload_id: str,
    kind: str,
    **manifest: object,
) -> tuple[Upload, bool]:
    """Write the validated frame and record it: (manifest row, True when this call landed it)."""
    store = OpsStore(settings.ops_path)
    existing = store.find_upload(upload_id)
    if existing is not None:
        return existing, False
    target = landing_path(settings, kind, upload_id)
    write_parquet_atomic(frame, target)
    return store.record_upload(
        upload_id=upload_id,
        kind=kind,
        rows=frame.height,
        path=str(target.relative_to(settings.data_dir)),
        **manifest,
    )


def landed_frame(settings: Settings, kind: str, *, columns: list[str] | None = None) -> pl.DataFrame | None:
    """All landed vintages of ``kind`` stacked (with ``upload_id`` and ``vintage``), or None if none landed."""
    uploads = OpsStore(settings.ops_path).uploads(kind)
    if not uploads:
        return None
    frames = []
    for up in uploads:
        lf = pl.scan_parquet(settings.data_dir / up.path)
        if columns is not None:
            lf = lf.select(columns)
        frames.append(lf.with_columns(pl.lit(up.upload_id).alias("upload_id"), pl.lit(up.vintage).alias("vintage")))
    return pl.concat(frames, how="diagonal_relaxed").collect()


def known_codes(settings: Settings, kind: str) -> dict[str, str]:
    """Codes of a landed dictionary (every vintage) -> name from the newest vintage that has it."""
    frame = landed_frame(settings, kind, columns=["code", "name"])
    if frame is None:
        return {}
    newest = frame.sort("vintage", descending=True).unique("code", keep="first", maintain_order=True)
    return dict(newest.select("code", "name").iter_rows())
