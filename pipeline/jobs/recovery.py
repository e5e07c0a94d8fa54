"""Start-up consistency: after a crash, a kill -9 or a full disk, the stores are made consistent without a hand fix.

What can be left behind, and what happens to it (each run of ``ingest``, ``recompute``, ``status`` and ``serve``
checks, and says what it did):

- (:func:`pipeline.ingest.landing.recover_landing`) a temporary file of an interrupted landing
  (``.NAME.parquet.<hex>.tmp``): removed;
- a landed file without a manifest row (killed between the rename and the manifest insert): moved to
  ``data/orphans/`` (never deleted: the landing zone is the source of truth); landing the same upload again
  writes it anew. Nothing is touched while an ingest runs (the landing lock) or when the manifest is missing;
- ``warehouse.next.duckdb`` of a killed build: removed (when no build runs);
- builds recorded as 'running' whose process died: the one that is live (killed after its swap) is recorded as
  succeeded, the others as interrupted;
- a damaged live warehouse (it does not open, or a table does not read): moved to ``data/corrupt/`` and rebuilt
  from the landing zone.

:func:`consistency_problems` lists what is inconsistent without changing anything (tests use it after every kill).
"""

from __future__ import annotations

import contextlib
import os
import time

from pipeline.core.errors import WarehouseLocked
from pipeline.core.ops import OpsStore
from pipeline.core.publication import official_uploads
from pipeline.core.settings import Settings
from pipeline.ingest.landing import landing_temp_files, orphaned_files, recover_landing


def recover_builds(settings: Settings) -> list[str]:
    """When no build runs: remove a killed build's unfinished file and settle the builds it left 'running'."""
    from warehouse.build import verify_warehouse
    from warehouse.lock import BuildLock
    from warehouse.queries import build_info

    if not settings.ops_path.exists():
        return []
    lock = BuildLock(settings.lock_path)
    try:
        lock.acquire()
    except WarehouseLocked:
        return []
    actions: list[str] = []
    try:
        for path in (settings.next_warehouse_path, settings.next_warehouse_path.with_name(
                settings.next_warehouse_path.name + ".wal")):
            if path.exists():
                path.unlink()
                actions.append(f"removed {path.name}, the unfinished file of an interrupted build")
        live = None
        if verify_warehouse(settings.warehouse_path) is None:
            with contextlib.suppress(Exception):
                live = (build_info(settings.warehouse_path) or {}).get("build_id")
        done = OpsStore(settings.ops_path).reconcile_builds(live)
        for build_id in done["succeeded"]:
            actions.append(f"build {build_id} had been made live but not recorded (its process ended): recorded as "
                           "succeeded")
        for build_id in done["failed"]:
            actions.append(f"build {build_id} was interrupted (its process ended): recorded as failed")
    finally:
        lock.release()
    return actions


def repair_warehouse(settings: Settings, *, thorough: bool = False, rebuild: bool = True) -> list[str]:
    """Move a damaged live warehouse aside and rebuild it from the landing zone."""
    from warehouse.build import verify_warehouse
    from warehouse.lock import BuildLock

    problem = verify_warehouse(settings.warehouse_path, thorough=thorough)
    if problem is None:
        return []
    actions: list[str] = []
    with BuildLock(settings.lock_path, wait_seconds=600):
        problem = verify_warehouse(settings.warehouse_path, thorough=thorough)  # a build may have replaced it
        if problem is None:
            return []
        folder = settings.data_dir / "corrupt"
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"warehouse-{time.strftime('%Y%m%dT%H%M%S')}.duckdb"
        os.replace(settings.warehouse_path, kept)
        wal = settings.warehouse_path.with_name(settings.warehouse_path.name + ".wal")
        if wal.exists():
            os.replace(wal, kept.with_name(kept.name + ".wal"))
        actions.append(f"the warehouse file was damaged ({problem}); moved it to {kept.relative_to(settings.data_dir)}")
    if rebuild:
        from pipeline.jobs.build import recompute

        result = recompute(settings, trigger="recover", who="system", wait_seconds=600)
        actions.append(f"rebuilt it from the landing zone: {result.message}")
    return actions


def startup_check(settings: Settings, *, thorough: bool = False, rebuild: bool = True) -> list[str]:
    """Everything above, in order; returns what was done (empty when all was consistent)."""
    if not settings.data_dir.exists():
        return []
    return recover_landing(settings) + recover_builds(settings) + repair_warehouse(
        settings, thorough=thorough, rebuild=rebuild)


def consistency_problems(settings: Settings) -> list[str]:
    """What is inconsistent between the landing zone, the manifest and the live warehouse (changes nothing)."""
    import polars as pl

    from warehouse.build import verify_warehouse
    from warehouse.queries import build_info

    problems: list[str] = []
    store = OpsStore(settings.ops_path)
    uploads = store.uploads()
    official = official_uploads(store) if uploads else []
    for u in uploads:
        path = settings.data_dir / u.path
        if not path.exists():
            problems.append(f"upload {u.upload_id} is in the manifest but its file {u.path} is missing")
            continue
        try:
            rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        except Exception as exc:
            problems.append(f"the landed file {u.path} does not read: {exc}")
            continue
        if rows != u.rows:
            problems.append(f"the landed file {u.path} has {rows} rows, the manifest says {u.rows}")
    problems += [f"landed file {p.relative_to(settings.data_dir)} is not in the manifest"
                 for p in orphaned_files(settings)]
    problems += [f"temporary file {p.relative_to(settings.data_dir)} left behind"
                 for p in landing_temp_files(settings)]
    damage = verify_warehouse(settings.warehouse_path, thorough=True)
    if damage is not None:
        problems.append(f"the live warehouse is damaged: {damage}")
    elif settings.warehouse_path.exists():
        build = build_info(settings.warehouse_path) or {}
        seq = build.get("landing_seq") or 0
        read = [u for u in official if u.seq <= seq]
        if build.get("uploads") != len(read):
            problems.append(f"the live build {build.get('build_id')} read {build.get('uploads')} uploads up to "
                            f"manifest seq {seq}, but the manifest lists {len(read)} official ones up to there")
    return problems
