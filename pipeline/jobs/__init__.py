"""Recompute and the jobs around it: the one writer of the warehouse, the queue of requests and the worker that runs
them, schedules, what each build changed, start-up recovery and the system's status.

- :mod:`~pipeline.jobs.methodologies`: which methodology the data directory uses, and the archive of every version;
- :mod:`~pipeline.jobs.queue`: the job queue in ``ops.sqlite``: enqueue (requests merge), history, one job, wait;
- :mod:`~pipeline.jobs.schedules`: named cron schedules in the bureau's time zone; due ones queue a job;
- :mod:`~pipeline.jobs.kept`: each build's warehouse file under ``data/builds/`` and its stored change report;
- :mod:`~pipeline.jobs.moves`: score moves between two builds and why (pure functions over frames);
- :mod:`~pipeline.jobs.changes`: the change report: two kept builds compared, made after every build;
- :mod:`~pipeline.jobs.build`: :func:`recompute`, build-then-swap under the build lock;
- :mod:`~pipeline.jobs.recovery`: the start-up check that makes the stores consistent after a crash;
- :mod:`~pipeline.jobs.status`: what the system holds now (live build, uploads per kind, table sizes);
- :mod:`~pipeline.jobs.attempts`: one build attempt in a child process, and whether a build is needed at all;
- :mod:`~pipeline.jobs.worker`: the worker loop (lock, schedules, claim, retries), run now, the worker process;
- ``python -m pipeline.jobs run | build``: the worker, or one attempt (the worker's child process).

Each module imports only the modules listed above it.

Enters: landed uploads (manifest, landing zone), the active methodology, requests (manual, upload, schedule).
Leaves: the live warehouse with its ``_build`` row and change report; jobs, attempts, schedules in ``ops.sqlite``.
May import: pipeline.core, schemas, warehouse, pipeline.ingest, pipeline.scoring, pipeline.marts.

Other stages use the names re-exported here; modules inside the stage import their siblings directly.
"""

from pipeline.jobs.attempts import Attempt, WorkerConfig, WorkerStopping, up_to_date
from pipeline.jobs.build import BuildResult, recompute
from pipeline.jobs.changes import change_report
from pipeline.jobs.kept import changes_for_cluster, format_report, latest_report, load_report
from pipeline.jobs.moves import score_change_explanations, score_moves
from pipeline.jobs.queue import (
    TERMINAL,
    Enqueued,
    JobNotFound,
    enqueue,
    enqueue_upload,
    get_job,
    job_history,
    wait_for_job,
)
from pipeline.jobs.recovery import consistency_problems, startup_check
from pipeline.jobs.schedules import (
    Schedule,
    ScheduleInvalid,
    ScheduleNotFound,
    add_schedule,
    describe,
    get_schedule,
    list_schedules,
    next_runs,
    remove_schedule,
    set_paused,
)
from pipeline.jobs.status import system_status
from pipeline.jobs.worker import Worker, WorkerRunning, run_now, start_worker_process, stop_on_sigterm, worker_pid

__all__ = [
    "TERMINAL", "Attempt", "BuildResult", "Enqueued", "JobNotFound", "Schedule", "ScheduleInvalid",
    "ScheduleNotFound", "Worker", "WorkerConfig", "WorkerRunning", "WorkerStopping", "add_schedule", "change_report",
    "changes_for_cluster", "consistency_problems", "describe", "enqueue", "enqueue_upload", "format_report",
    "get_job", "get_schedule", "job_history", "latest_report", "list_schedules", "load_report", "next_runs",
    "recompute", "remove_schedule", "run_now", "score_change_explanations", "score_moves", "set_paused",
    "start_worker_process", "startup_check", "stop_on_sigterm", "system_status", "up_to_date", "wait_for_job",
    "worker_pid",
]
