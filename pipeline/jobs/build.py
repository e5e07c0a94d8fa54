"""Recompute: the only writer of the warehouse.

``recompute`` takes the build lock, builds ``warehouse.next.duckdb`` from the landing zone (staging -> dimensions
and facts -> marts: indices and scores), runs the audits, records ``_build`` and swaps the file in. Every attempt
is recorded in ``ops.sqlite`` (``builds``), succeeded or failed, with the step that failed. The live file is kept
under ``data/builds/`` (:mod:`pipeline.jobs.kept`) and each build gets a change report against the previous one
(:mod:`pipeline.jobs.changes`).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pipeline
from pipeline.core.errors import StorageFull
from pipeline.core.files import disk_full, pause_at
from pipeline.core.ops import OpsStore, Upload
from pipeline.core.publication import official_uploads, working_uploads
from pipeline.core.settings import Settings, os_user
from pipeline.jobs.changes import after_build
from pipeline.jobs.kept import keep_live_build
from pipeline.jobs.methodologies import active_methodology, archive, archived, methodology_text
from pipeline.jobs.units import measure_units
from pipeline.marts import build_marts
from pipeline.scoring import Methodology  # noqa: TC001 (used at run time in signatures)
from warehouse.build import Builder
from warehouse.db import schema_version
from warehouse.lock import BuildLock

DEMO_PREFIX = "synthetic-demo-"


@dataclass(frozen=True)
class BuildResult:
    """A finished build."""

    build_id: str
    uploads: int
    rows: dict[str, int]
    seconds: float
    methodology_hash: str

    @property
    def message(self) -> str:
        facts = ", ".join(f"{n} {k}" for k, n in self.rows.items() if n)
        return (f"Build {self.build_id} is live: {self.uploads} uploads ({facts or 'no records yet'}), "
                f"methodology {self.methodology_hash}, {self.seconds:.1f} s.")


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def recompute(
    settings: Settings,
    *,
    trigger: str = "manual",
    who: str | None = None,
    methodology: Methodology | None = None,
    wait_seconds: float = 0.0,
    progress: Callable[[str], None] | None = None,
    stopped: Callable[[], str | None] | None = None,
    working: bool = False,
) -> BuildResult:
    """Build the official warehouse (the accepted uploads) from the landing zone and make it live. Raises
    ``WarehouseLocked`` when another build runs, ``AuditFailed`` when an audit finds bad rows (the previous warehouse
    stays live). ``stopped`` says why the build was stopped from outside, if it was: a stop that lands inside a
    DuckDB query surfaces as DuckDB's own "Query interrupted", and the record should say who stopped it, not how the
    query noticed. ``working``: build the staff's working build instead (accepted uploads and those still under
    review, ``data/working.duckdb``); it is never kept, compared or released."""
    settings.ensure_dirs()
    store = OpsStore(settings.ops_path)
    store.migrate()
    who = who or os_user()
    trigger = "working" if working else trigger
    if methodology is None:
        methodology = active_methodology(settings)
        archive(settings, methodology, methodology_text(settings))
    say = progress or (lambda _msg: None)
    started = time.monotonic()
    with BuildLock(settings.lock_path, wait_seconds=wait_seconds):
        # we hold the lock, so any build still 'running' died: before its swap (failed) or just after (succeeded)
        store.reconcile_builds(_live_build_id(settings))
        uploads = working_uploads(store) if working else official_uploads(store)
        target = working_path(settings) if working else settings.warehouse_path
        build_id = new_build_id()
        store.start_build(build_id, trigger=trigger, who=who)
        try:
            rows, previous_build = _build(settings, uploads, methodology, target, build_id=build_id,
                                          trigger=trigger, who=who, say=say, keep_previous=not working)
        except BaseException as exc:
            step = getattr(exc, "clusterstats_step", "create")
            why = (stopped() if stopped else None) or str(exc)
            store.finish_build(build_id, status="failed", message=f"step {step}: {why}"[:4000])
            if disk_full(exc, settings.data_dir):
                raise StorageFull(f"The disk holding {settings.data_dir} is full: the build stopped at step {step} "
                                  "and the previous warehouse stays live. Free some space, then recompute.") from exc
            raise
        store.finish_build(build_id, status="succeeded", uploads=len(uploads))
        if not working:
            after_build(settings, build_id, previous_build, say=say)  # keep the file, change report; never raises
    result = BuildResult(build_id, len(uploads), rows, time.monotonic() - started, methodology.hash)
    say(result.message)
    return result


def working_path(settings: Settings) -> Path:
    """The staff's working build: every accepted upload and every one still under review."""
    return settings.data_dir / "working.duckdb"


def build_file(settings: Settings, uploads: list[Upload], methodology: Methodology, target: Path, *,
               trigger: str, who: str, wait_seconds: float = 0.0, build_meta: dict[str, Any] | None = None) -> str:
    """Build a warehouse file from exactly ``uploads`` under ``methodology`` at ``target`` (a submission's preview, a
    release rebuilt from its recorded vintages); the live warehouse and the build history are not touched. Takes
    the build lock (one build at a time on a machine of two cores). ``build_meta`` overrides fields of ``_build``
    (a rebuilt release keeps the original build's id and time). Returns the build id written in ``_build``."""
    build_id = (build_meta or {}).get("build_id") or new_build_id()
    with BuildLock(settings.lock_path, wait_seconds=wait_seconds):
        _build(settings, uploads, methodology, target, build_id=build_id, trigger=trigger, who=who,
               say=lambda _msg: None, keep_previous=False, build_meta=build_meta)
    return build_id


def _build(settings: Settings, uploads: list[Upload], methodology: Methodology, target: Path, *, build_id: str,
           trigger: str, who: str, say: Callable[[str], None], keep_previous: bool,
           build_meta: dict[str, Any] | None = None) -> tuple[dict[str, int], str | None]:
    """The steps of one build into ``target`` (under the caller's lock): the rows read and, when
    ``keep_previous``, the build id the new file replaced (kept for the change report). On failure the partial
    file is removed and the exception carries the step it failed in (``clusterstats_step``)."""
    builder = Builder(target.with_name(target.stem + ".next.duckdb"), target)
    step = "create"
    previous_build = None
    try:
        builder.create()
        step = "staging"
        say(f"loading {len(uploads)} uploads")
        rows = builder.load_landing(settings.data_dir, uploads)
        builder.run_staging()
        builder.run_audits(facts=True)  # before the marts: they trust the facts' keys
        builder.write("mart_measure_unit", measure_units(builder))  # one currency, or the build stops
        pause_at("staging")
        step = "marts"
        say("computing indices and scores")
        build_marts(builder, methodology, archived(settings))
        pause_at("marts")
        step = "audits"
        say("auditing")
        builder.run_audits(facts=False)
        pause_at("audits")
        step = "swap"
        builder.finish({
            "build_id": build_id,
            "built_at": datetime.now(UTC),
            "code_version": pipeline.__version__,
            "schema_version": schema_version(),
            "methodology_hash": methodology.hash,
            "landing_seq": max((u.seq for u in uploads), default=0),
            "uploads": len(uploads),
            "demo_data": any(u.file_name.startswith(DEMO_PREFIX) for u in uploads),
            "trigger": trigger,
            "who": who,
        } | (build_meta or {}))
        pause_at("swap")
        if keep_previous:
            previous_build = keep_live_build(settings)  # the change report compares with it
        builder.swap()
        pause_at("swapped")
    except BaseException as exc:
        builder.abort()
        with contextlib.suppress(AttributeError, TypeError):  # (a few built-in exceptions take no attributes)
            exc.clusterstats_step = step  # type: ignore[attr-defined]
        raise
    return rows, previous_build


def _live_build_id(settings: Settings) -> str | None:
    from warehouse.build import verify_warehouse
    from warehouse.queries import build_info

    if verify_warehouse(settings.warehouse_path) is not None:
        return None
    try:
        return (build_info(settings.warehouse_path) or {}).get("build_id")
    except Exception:  # unreadable: this build replaces it
        return None



__all__ = ["BuildResult", "build_file", "recompute", "working_path"]
