"""The worker: fires due schedules and runs queued jobs one at a time, each attempt in a child process.

    >>> Worker(settings).run()                                            # doctest: +SKIP

The worker holds ``worker.lock`` (one worker per data directory), fires due schedules (:mod:`pipeline.jobs.schedules`)
and runs the jobs of the queue (:mod:`pipeline.jobs.queue`) that are ready. Each attempt is run by a
:class:`~pipeline.jobs.attempts.BuildRunner` (a child process by default, :mod:`pipeline.jobs.attempts`). A failed
attempt is retried after ``backoff * 2 ** (attempt - 1)`` seconds, up to ``retries`` times. A job finds nothing to
do when the live build already read every landed upload with the current methodology: it is recorded as
``unchanged`` without a build (``force`` builds anyway). Every job, attempt and outcome is kept in ``jobs`` and
``job_attempts``.

Time comes from a clock object (``now()``, ``sleep()``), so tests drive schedules and backoff without waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.publication import publish_due
from pipeline.core.settings import ENV_DATA_DIR, Settings
from pipeline.jobs.attempts import (
    Attempt,
    BuildRunner,
    ChildProcessBuilds,
    WorkerConfig,
    WorkerStopping,
    build_of_pid,
    child_build,
    up_to_date,
)
from pipeline.jobs.kept import load_report
from pipeline.jobs.queue import TERMINAL, enqueue, get_job, iso_utc, job_from_row, open_store, wait_for_job
from pipeline.jobs.schedules import fire_due_schedules, next_due


class WorkerRunning(ClusterstatsError):
    """Another worker is running on this data directory; one is enough (it runs every queued job)."""


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall-clock time (UTC) and real sleeps."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


def run_now(settings: Settings, *, who: str, force: bool = False, wait: bool = False,
            config: WorkerConfig | None = None, say: Callable[[str], None] | None = None) -> dict[str, Any]:
    """"Run now": queue a manual request; with ``wait``, return when its job has finished.

    Waiting, this process runs the queue itself when no worker is running, else lets the worker run it.
    """
    job_id = enqueue(settings, trigger="manual", who=who, force=force).job_id
    if wait:
        def finished() -> bool:
            return get_job(settings, job_id)["status"] in TERMINAL

        try:
            Worker(settings, config=config, say=say).run(until=finished)
        except WorkerRunning:
            (say or (lambda _m: None))(f"a worker is running; waiting for it to run job {job_id}")
            wait_for_job(settings, job_id)
    return get_job(settings, job_id)


# -- the worker -------------------------------------------------------------------------------------------------
def worker_pid(settings: Settings) -> int | None:
    """The pid of the worker running on this data directory (``serve``'s, or ``clusterstats worker``), or None:
    the pid its lock file names, if that process is alive and is a worker (pids are reused)."""
    try:
        pid = int((settings.data_dir / "worker.lock").read_text(encoding="utf-8").strip())
        os.kill(pid, 0)
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"pipeline.jobs" in command or b"worker" in command else None


class Worker:
    """Fires schedules and runs queued jobs, one at a time. ``with worker:`` holds ``worker.lock``."""

    def __init__(self, settings: Settings, *, config: WorkerConfig | None = None, clock: Clock | None = None,
                 runner: BuildRunner | None = None, say: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.config = config or WorkerConfig()
        self.clock = clock or SystemClock()
        self.runner = runner or ChildProcessBuilds(settings, self.config)
        self.say = say or (lambda _msg: None)
        self._lock_fd: int | None = None

    # -- the worker lock
    @property
    def lock_path(self) -> Path:
        return self.settings.data_dir / "worker.lock"

    def __enter__(self) -> Worker:
        self.settings.ensure_dirs()
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = Path(self.lock_path).read_text(encoding="utf-8").strip() or "?"
            os.close(fd)
            raise WorkerRunning(f"Another worker is running on {self.settings.data_dir} (pid {holder}); it runs "
                                "every queued job, so there is nothing to start.") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd
        open_store(self.settings)
        self._recover_interrupted()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        if self._lock_fd is not None:
            yield
        else:
            with self:
                yield

    # -- running
    def tick(self) -> list[dict[str, Any]]:
        """Publish the approved releases whose embargo has ended, fire due schedules, then run every job ready now;
        returns the jobs finished or requeued."""
        done = []
        with self._held():
            for number in publish_due(open_store(self.settings), self.clock.now()):
                self.say(f"release {number} published (its embargo ended)")
            for name, due in fire_due_schedules(self.settings, self.clock.now()):
                self.say(f"schedule {name} due {iso_utc(due)}: job queued")
            while (job := self._claim()) is not None:
                done.append(self._run_job(job))
        return done

    def run(self, *, once: bool = False, until: Callable[[], bool] | None = None,
            parent_pid: int | None = None) -> None:
        """Tick every ``poll_seconds`` until stopped (``until`` true, the parent process gone, or ``once``)."""

        def stopping() -> bool:
            return bool(until and until()) or (parent_pid is not None and os.getppid() != parent_pid)

        self.runner.should_stop = stopping
        with self._held():
            while True:
                self.tick()
                if once or stopping():
                    return
                wake = self._next_wake()
                while (left := (wake - self.clock.now()).total_seconds()) > 0:
                    if stopping():
                        return
                    self.clock.sleep(min(1.0, left))

    def _next_wake(self) -> datetime:
        now = self.clock.now()
        wake = now + timedelta(seconds=self.config.poll_seconds)
        with open_store(self.settings).connect() as con:
            row = con.execute("select min(not_before) from jobs where status = 'queued'").fetchone()
            embargo = con.execute("select min(publish_at) from releases where status = 'approved'").fetchone()
        candidates = [wake, next_due(self.settings) or wake]
        for moment in (row[0], embargo[0]):  # the next queued job, the next embargo to end
            if moment:
                candidates.append(datetime.fromisoformat(moment))
        return max(now, min(candidates))

    def _claim(self) -> dict[str, Any] | None:
        now = iso_utc(self.clock.now())
        with open_store(self.settings).transaction() as con:
            row = con.execute(
                "select * from jobs where status = 'queued' and (not_before is null or not_before <= ?) "
                "order by id limit 1", (now,)).fetchone()
            if row is None:
                return None
            con.execute("update jobs set status = 'running', attempts = attempts + 1, worker_pid = ?, "
                        "started_at = coalesce(started_at, ?), not_before = null where id = ?",
                        (os.getpid(), now, row["id"]))
            return job_from_row(con.execute("select * from jobs where id = ?", (row["id"],)).fetchone())

    def _run_job(self, job: dict[str, Any]) -> dict[str, Any]:
        job_id, attempt_no = job["id"], job["attempts"]
        if not job["force"] and (live := up_to_date(self.settings)) is not None:
            message = (f"No change: no new data (landing seq {live['landing_seq']}) and no methodology change "
                       f"({live['methodology_hash']}) since build {live['build_id']}, which is live; no build was "
                       "run. `clusterstats jobs run --force` builds anyway.")
            self._finish(job_id, "unchanged", message, build_id=live["build_id"],
                         methodology_hash=live["methodology_hash"], landing_seq=live["landing_seq"], rows_read=0)
            return get_job(self.settings, job_id)
        self.say(f"job {job_id} ({job['trigger']}): attempt {attempt_no} building")
        started = self.clock.now()
        try:
            attempt = self.runner.run(job)
        except KeyboardInterrupt:
            pid, since = getattr(self.runner, "current", None) or (None, "")
            build_id = build_of_pid(self.settings, pid, since) if pid else None
            self._record_attempt(job_id, attempt_no, Attempt("interrupted", "the worker stopped during the build",
                                                             0.0, build_id, pid), started)
            self._requeue(job_id, "interrupted: the worker stopped during the build; queued again", None)
            raise
        self._record_attempt(job_id, attempt_no, attempt, started)
        if attempt.status == "succeeded":
            report_summary = ""
            if attempt.build_id:
                report = load_report(self.settings, attempt.build_id)
                report_summary = f" Changes: {report['summary']}" if report else ""
            self._finish(job_id, "succeeded", attempt.message + report_summary, build_id=attempt.build_id,
                         methodology_hash=attempt.methodology_hash, landing_seq=attempt.landing_seq,
                         rows_read=attempt.rows_read)
        elif attempt_no <= self.config.retries:
            wait = self.config.backoff_seconds * 2 ** (attempt_no - 1)
            retry_at = self.clock.now() + timedelta(seconds=wait)
            self._requeue(job_id, f"attempt {attempt_no} failed: {attempt.message} (retry at {iso_utc(retry_at)})",
                          retry_at, build_id=attempt.build_id)
        else:
            self._finish(job_id, "failed", attempt.message, build_id=attempt.build_id)
        job = get_job(self.settings, job_id)
        self.say(f"job {job_id}: {job['status']}: {job['message']}")
        return job

    def _record_attempt(self, job_id: int, attempt_no: int, attempt: Attempt, started: datetime) -> None:
        with open_store(self.settings).transaction() as con:
            con.execute(
                "insert or replace into job_attempts (job_id, attempt, build_id, pid, started_at, finished_at, "
                "seconds, status, message) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, attempt_no, attempt.build_id, attempt.pid, iso_utc(started), iso_utc(self.clock.now()),
                 round(attempt.seconds, 3), attempt.status, attempt.message[:4000]),
            )
            con.execute("update jobs set duration_s = coalesce(duration_s, 0) + ? where id = ?",
                        (round(attempt.seconds, 3), job_id))

    def _requeue(self, job_id: int, message: str, retry_at: datetime | None, build_id: str | None = None) -> None:
        with open_store(self.settings).transaction() as con:
            con.execute("update jobs set status = 'queued', not_before = ?, message = ?, "
                        "build_id = coalesce(?, build_id) where id = ?",
                        (iso_utc(retry_at) if retry_at else None, message[:4000], build_id, job_id))

    def _finish(self, job_id: int, status: str, message: str, **fields: Any) -> None:
        values = {"status": status, "message": message[:4000], "finished_at": iso_utc(self.clock.now()), **fields}
        sets = ", ".join(f"{k} = ?" for k in values)
        with open_store(self.settings).transaction() as con:
            con.execute(f"update jobs set {sets} where id = ?", (*values.values(), job_id))
            OpsStore._audit(con, "system", f"job_{status}", {"job_id": job_id, "build_id": fields.get("build_id"),
                                                              "message": message[:500]})

    def _recover_interrupted(self) -> None:
        """Jobs left 'running' by a worker that died: a failed attempt each, retried as configured."""
        with open_store(self.settings).connect() as con:
            rows = con.execute("select id, attempts, worker_pid from jobs where status = 'running'").fetchall()
        for job_id, attempt_no, pid in rows:
            message = f"interrupted: the worker (pid {pid}) ended during the build"
            self._record_attempt(job_id, attempt_no, Attempt("interrupted", message, 0.0), self.clock.now())
            if attempt_no <= self.config.retries:
                self._requeue(job_id, message + "; queued again", None)
            else:
                self._finish(job_id, "failed", message)


# -- serve: a worker beside the app ----------------------------------------------------------------------------
def start_worker_process(settings: Settings, *, poll_seconds: float = 5.0, log_path: Path | None = None
                         ) -> subprocess.Popen[bytes]:
    """Start ``python -m pipeline.jobs run`` beside the app; it logs to ``data/worker.log``.

    The worker watches this process's pid: it stops (and stops a running build, leaving the previous warehouse
    live) within about a second after this process ends, also after ``os.execve`` into the app server, which
    keeps the pid. To stop it earlier: ``proc.terminate(); proc.wait()``. If a worker already runs on the data
    directory, the new one logs that and exits.
    """
    settings.ensure_dirs()
    log = open(log_path or settings.data_dir / "worker.log", "ab")  # noqa: SIM115 - handed to the child
    env = {**os.environ, ENV_DATA_DIR: str(settings.data_dir)}
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.jobs", "run", "--poll", str(poll_seconds), "--parent",
             str(os.getpid())], env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    finally:
        log.close()


def stop_on_sigterm() -> None:
    def handler(_signum: int, _frame: object) -> None:
        raise WorkerStopping()

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.jobs run [--poll S] [--parent PID]`` | ``build`` (one attempt; the worker's child)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.jobs")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--poll", type=float, default=5.0)
    run.add_argument("--parent", type=int, default=None)
    run.add_argument("--once", action="store_true")
    build = sub.add_parser("build")
    build.add_argument("--trigger", required=True)
    build.add_argument("--who", required=True)
    build.add_argument("--lock-wait", type=float, default=600.0)
    args = parser.parse_args(argv)
    if args.command == "build":
        return child_build(args.trigger, args.who, args.lock_wait)
    stop_on_sigterm()
    settings = Settings.from_env()
    worker = Worker(settings, config=WorkerConfig(poll_seconds=args.poll),
                    say=lambda msg: print(f"{iso_utc(datetime.now(UTC))} {msg}", flush=True))
    try:
        worker.say(f"worker pid {os.getpid()} on {settings.data_dir}")
        worker.run(once=args.once, parent_pid=args.parent)
    except WorkerRunning as exc:
        print(exc, flush=True)
    except KeyboardInterrupt:
        worker.say("worker stopped")
    return 0


__all__ = ["Clock", "SystemClock", "Worker", "WorkerRunning", "main", "run_now", "start_worker_process",
           "stop_on_sigterm"]
