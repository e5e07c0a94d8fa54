"""The job queue: recompute requests in ``ops.sqlite`` (``jobs``, ``job_attempts``), and how to read them back.

    >>> enqueue(settings, trigger="manual", who="li.wei")                 # doctest: +SKIP
    Enqueued(job_id=12, coalesced=False)

Requests come from three triggers: ``manual`` ("run now": ``clusterstats jobs run``), ``upload`` (new data landed:
:func:`enqueue_upload`, called after an upload lands) and ``schedule`` (:mod:`pipeline.jobs.schedules`). A request that
arrives while a job is queued is merged into it, so a burst of uploads gives one build; a request that arrives
while a job runs queues a new job, which runs after it (:mod:`pipeline.jobs.worker` runs them).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore, Upload
from pipeline.core.settings import Settings

TERMINAL = ("succeeded", "unchanged", "failed")
STEP_PATTERN = re.compile(r"\bstep (\w+): ")


class JobNotFound(ClusterstatsError):
    """There is no such job; `clusterstats jobs` lists them."""


def iso_utc(value: datetime) -> str:
    """A time as the queue stores it: ISO 8601 in UTC, to the second."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def open_store(settings: Settings) -> OpsStore:
    """The operations store, its migrations applied."""
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


@dataclass(frozen=True)
class Enqueued:
    """Where a request went: a new job, or merged into the job already queued."""

    job_id: int
    coalesced: bool


def enqueue_in(con: sqlite3.Connection, *, trigger: str, who: str, now: datetime,
               detail: dict[str, Any] | None = None, force: bool = False) -> Enqueued:
    """Add a request inside an open transaction (see :func:`enqueue`)."""
    request = {"trigger": trigger, "who": who, "at": iso_utc(now), "detail": detail or {}}
    row = con.execute("select * from jobs where status = 'queued' order by id limit 1").fetchone()
    if row is not None:
        triggers = row["trigger"].split("+")
        merged = "+".join(triggers + ([trigger] if trigger not in triggers else []))
        requests = [*json.loads(row["detail"]), request]
        con.execute(
            "update jobs set trigger = ?, requests = requests + 1, detail = ?, force = max(force, ?), "
            "not_before = null where id = ?",
            (merged, json.dumps(requests, ensure_ascii=False), int(force), row["id"]),
        )
        return Enqueued(row["id"], True)
    cur = con.execute(
        "insert into jobs (trigger, who, requests, detail, force, status, requested_at) "
        "values (?, ?, 1, ?, ?, 'queued', ?)",
        (trigger, who, json.dumps([request], ensure_ascii=False), int(force), iso_utc(now)),
    )
    OpsStore._audit(con, who, "job_queued", {"job_id": cur.lastrowid, "trigger": trigger, **(detail or {})})
    return Enqueued(int(cur.lastrowid or 0), False)


def enqueue(settings: Settings, *, trigger: str, who: str, detail: dict[str, Any] | None = None,
            force: bool = False, now: datetime | None = None) -> Enqueued:
    """Ask for a recompute: ``trigger`` is manual, upload or schedule; ``detail`` says why (kept in the job).

    Merged into the queued job if there is one (one build answers every waiting request), else a new job.
    """
    with open_store(settings).transaction() as con:
        return enqueue_in(con, trigger=trigger, who=who, now=now or datetime.now(UTC), detail=detail, force=force)


def enqueue_upload(settings: Settings, upload: Upload, *, now: datetime | None = None) -> Enqueued:
    """The "new data landed" trigger: call it after an upload lands (ingest, the upload page)."""
    return enqueue(settings, trigger="upload", who=upload.who, now=now, detail={
        "upload_id": upload.upload_id, "kind": upload.kind, "vintage": upload.vintage, "file": upload.file_name,
        "rows": upload.rows,
    })


def job_from_row(row: sqlite3.Row) -> dict[str, Any]:
    """A ``jobs`` row as a dict: its requests parsed, and the failing step as the build recorded it."""
    job = dict(row)
    job["detail"] = json.loads(job["detail"])
    job["force"] = bool(job["force"])
    step = STEP_PATTERN.search(job.get("message") or "") if job["status"] != "succeeded" else None
    job["step"] = step.group(1) if step else None  # the failing step, as the build recorded it
    return job


_JOB_SELECT = ("select j.*, c.summary as change_summary, c.no_change as no_change from jobs j "
               "left join change_reports c on c.build_id = j.build_id and j.status = 'succeeded'")


def job_history(settings: Settings, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest jobs first, each with its change report summary (for ``clusterstats jobs`` and the Jobs page)."""
    if not settings.ops_path.exists():
        return []
    with open_store(settings).connect() as con:
        rows = con.execute(f"{_JOB_SELECT} order by j.id desc limit ?", (limit,)).fetchall()
    return [job_from_row(r) for r in rows]


def get_job(settings: Settings, job_id: int) -> dict[str, Any]:
    with open_store(settings).connect() as con:
        row = con.execute(f"{_JOB_SELECT} where j.id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobNotFound(f"There is no job {job_id}; `clusterstats jobs` lists them.")
        job = job_from_row(row)
        job["attempt_log"] = [dict(r) for r in con.execute(
            "select * from job_attempts where job_id = ? order by attempt", (job_id,)).fetchall()]
    return job


def wait_for_job(settings: Settings, job_id: int, *, timeout: float | None = None, poll: float = 0.5
                 ) -> dict[str, Any]:
    """Poll until the job has finished (another process runs it); returns the job."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while (job := get_job(settings, job_id))["status"] not in TERMINAL:
        if deadline is not None and time.monotonic() > deadline:
            break
        time.sleep(poll)
    return job


__all__ = [
    "TERMINAL", "Enqueued", "JobNotFound", "enqueue", "enqueue_in", "enqueue_upload", "get_job", "iso_utc",
    "job_from_row", "job_history", "open_store", "wait_for_job",
]
