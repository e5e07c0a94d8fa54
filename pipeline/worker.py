"""The job runner: a queue of recompute requests in ``ops.sqlite`` and the worker that runs them one at a time.

    >>> enqueue(settings, trigger="manual", who="li.wei")                 # doctest: +SKIP
    Enqueued(job_id=12, coalesced=False)
    >>> Worker(settings).run()                                            # doctest: +SKIP

Requests come from three triggers: ``manual`` ("run now": ``clusterstats jobs run``), ``upload`` (new data landed:
:func:`enqueue_upload`, called after an upload lands) and ``schedule`` (:mod:`pipeline.schedules`). A request that
arrives while a job is queued is merged into it, so a burst of uploads gives one build; a request that arrives
while a job runs queues a new job, which runs after it.

The worker holds ``worker.lock`` (one worker per data directory), fires due schedules and runs ready jobs. Each
attempt runs :func:`pipeline.jobs.recompute` in a child process, under the build lock, so a build that runs past
the timeout can be stopped; build-then-swap keeps the previous warehouse live. A failed attempt is retried after
``backoff * 2 ** (attempt - 1)`` seconds, up to ``retries`` times. A job finds nothing to do when the live build
already read every landed upload with the current methodology: it is recorded as ``unchanged`` without a build
(``force`` builds anyway). Every job, attempt and outcome is kept in ``jobs`` and ``job_attempts``.

Time comes from a clock object (``now()``, ``sleep()``), so tests drive schedules and backoff without waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pipeline
from pipeline.errors import ClusterstatsError
from pipeline.ops import OpsStore, Upload
from pipeline.settings import ENV_DATA_DIR, Settings

TERMINAL = ("succeeded", "unchanged", "failed")
RESULT_PREFIX = "CLUSTERSTATS-BUILD-RESULT "
STEP_PATTERN = re.compile(r"\bstep (\w+): ")


class WorkerRunning(ClusterstatsError):
    """Another worker is running on this data directory; one is enough (it runs every queued job)."""


class JobNotFound(ClusterstatsError):
    """There is no such job; `clusterstats jobs` lists them."""


class WorkerStopping(KeyboardInterrupt):
    """The worker was asked to stop (SIGTERM, Ctrl+C, or its parent process ended)."""


class BuildStopped(BaseException):
    """The worker stopped the build (it ran past the timeout, or the worker is shutting down). A BaseException,
    like KeyboardInterrupt, so that no ``except Exception`` on the way swallows it."""


@dataclass(frozen=True)
class WorkerConfig:
    """How the worker runs jobs. Seconds throughout."""

    poll_seconds: float = 5.0  # how often the queue and the schedules are checked
    retries: int = 2  # further attempts after a failed one
    backoff_seconds: float = 60.0  # wait before retry n: backoff * 2 ** (n - 1)
    timeout_seconds: float = 3600.0  # an attempt running longer is stopped (the previous warehouse stays live)
    lock_wait_seconds: float = 600.0  # how long an attempt waits for a build started elsewhere (CLI recompute)
    stop_grace_seconds: float = 10.0  # after SIGTERM, before SIGKILL


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall-clock time (UTC) and real sleeps."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


# -- the queue ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Enqueued:
    """Where a request went: a new job, or merged into the job already queued."""

    job_id: int
    coalesced: bool


def enqueue_in(con: sqlite3.Connection, *, trigger: str, who: str, now: datetime,
               detail: dict[str, Any] | None = None, force: bool = False) -> Enqueued:
    """Add a request inside an open transaction (see :func:`enqueue`)."""
    request = {"trigger": trigger, "who": who, "at": _iso(now), "detail": detail or {}}
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
        (trigger, who, json.dumps([request], ensure_ascii=False), int(force), _iso(now)),
    )
    OpsStore._audit(con, who, "job_queued", {"job_id": cur.lastrowid, "trigger": trigger, **(detail or {})})
    return Enqueued(int(cur.lastrowid or 0), False)


def enqueue(settings: Settings, *, trigger: str, who: str, detail: dict[str, Any] | None = None,
            force: bool = False, now: datetime | None = None) -> Enqueued:
    """Ask for a recompute: ``trigger`` is manual, upload or schedule; ``detail`` says why (kept in the job).

    Merged into the queued job if there is one (one build answers every waiting request), else a new job.
    """
    with _store(settings).transaction() as con:
        return enqueue_in(con, trigger=trigger, who=who, now=now or datetime.now(UTC), detail=detail, force=force)


def enqueue_upload(settings: Settings, upload: Upload, *, now: datetime | None = None) -> Enqueued:
    """The "new data landed" trigger: call it after an upload lands (ingest, the upload page)."""
    return enqueue(settings, trigger="upload", who=upload.who, now=now, detail={
        "upload_id": upload.upload_id, "kind": upload.kind, "vintage": upload.vintage, "file": upload.file_name,
        "rows": upload.rows,
    })


def _job_dict(row: sqlite3.Row) -> dict[str, Any]:
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
    with _store(settings).connect() as con:
        rows = con.execute(f"{_JOB_SELECT} order by j.id desc limit ?", (limit,)).fetchall()
    return [_job_dict(r) for r in rows]


def get_job(settings: Settings, job_id: int) -> dict[str, Any]:
    with _store(settings).connect() as con:
        row = con.execute(f"{_JOB_SELECT} where j.id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobNotFound(f"There is no job {job_id}; `clusterstats jobs` lists them.")
        job = _job_dict(row)
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


# -- what needs building -----------------------------------------------------------------------------------
def current_methodology_hash(settings: Settings) -> str:
    """The methodology a build would use now (recompute's default)."""
    from pipeline.scoring import Methodology

    return Methodology.default().hash


def landing_seq(settings: Settings) -> int:
    """The highest manifest seq: every upload landed so far."""
    with _store(settings).connect() as con:
        return int(con.execute("select coalesce(max(seq), 0) from uploads").fetchone()[0])


def up_to_date(settings: Settings) -> dict[str, Any] | None:
    """The live build when it already read every landed upload with the current methodology and code, else None."""
    from warehouse.queries import build_info, is_current

    try:
        build = build_info(settings.warehouse_path)
    except Exception:  # an unreadable warehouse needs a build
        return None
    if build is None or not is_current(build) or build["code_version"] != pipeline.__version__:
        return None
    if build["landing_seq"] == landing_seq(settings) and build["methodology_hash"] == current_methodology_hash(
            settings):
        return build
    return None


# -- one attempt, in a child process ---------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """The outcome of one build attempt."""

    status: str  # succeeded, failed, timed_out
    message: str
    seconds: float
    build_id: str | None = None
    pid: int | None = None
    rows_read: int | None = None
    methodology_hash: str | None = None
    landing_seq: int | None = None


class BuildRunner(Protocol):
    """Runs one attempt of a job (the default is :class:`ChildProcessBuilds`; tests may stand in)."""

    should_stop: Callable[[], bool]

    def run(self, job: dict[str, Any]) -> Attempt: ...


class ChildProcessBuilds:
    """Runs each attempt as ``python -m pipeline.worker build`` and stops it at the timeout (SIGTERM, then SIGKILL).

    ``should_stop`` is checked every second while the build runs; when it says so the build is stopped and
    :class:`WorkerStopping` raised.
    """

    def __init__(self, settings: Settings, config: WorkerConfig) -> None:
        self.settings = settings
        self.config = config
        self.should_stop: Callable[[], bool] = lambda: False
        self.current: tuple[int, str] | None = None  # (pid, start) of the running attempt's child

    def run(self, job: dict[str, Any]) -> Attempt:
        args = [sys.executable, "-m", "pipeline.worker", "build", "--trigger", job["trigger"], "--who", job["who"],
                "--lock-wait", str(self.config.lock_wait_seconds)]
        env = {**os.environ, ENV_DATA_DIR: str(self.settings.data_dir)}
        since = _iso(datetime.now(UTC))  # the build's row in `builds` starts at or after this
        started = time.monotonic()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)  # Ctrl+C in a terminal reaches the worker, not the build
        self.current = (proc.pid, since)
        timed_out = False
        try:
            while True:
                left = self.config.timeout_seconds - (time.monotonic() - started)
                try:
                    out, err = proc.communicate(timeout=max(0.01, min(1.0, left)))
                    break
                except subprocess.TimeoutExpired:
                    if self.should_stop():
                        raise WorkerStopping() from None
                    if time.monotonic() - started >= self.config.timeout_seconds:
                        timed_out = True
                        out, err = self._stop(proc)
                        break
        except BaseException:
            self._stop(proc)
            raise
        return self._attempt(proc, since, out, err, time.monotonic() - started, timed_out)

    def _stop(self, proc: subprocess.Popen[str]) -> tuple[str, str]:
        if proc.poll() is None:
            proc.terminate()  # the build aborts cleanly: records the step, deletes warehouse.next.duckdb
        try:
            return proc.communicate(timeout=self.config.stop_grace_seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.communicate()

    def _attempt(self, proc: subprocess.Popen[str], since: str, out: str, err: str, seconds: float,
                 timed_out: bool) -> Attempt:
        lines = [ln for ln in (out or "").splitlines() if ln.startswith(RESULT_PREFIX)]
        result = json.loads(lines[-1][len(RESULT_PREFIX):]) if lines else {}
        build = result.get("build_id") or _build_of_pid(self.settings, proc.pid, since)
        if result.get("ok") and not timed_out:
            return Attempt("succeeded", result["message"], seconds, build, proc.pid, result.get("rows_read"),
                           result.get("methodology_hash"), result.get("landing_seq"))
        error = result.get("error") or _last_line(err) or f"the build process ended with status {proc.returncode}"
        if timed_out:
            error = f"timed out after {self.config.timeout_seconds:g} s and was stopped; {error}"
        return Attempt("timed_out" if timed_out else "failed", error, seconds, build, proc.pid)


def _last_line(text: str | None) -> str:
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _build_of_pid(settings: Settings, pid: int, since: str) -> str | None:
    """The build a process started at or after ``since`` (pids are reused, so the time matters)."""
    with _store(settings).connect() as con:
        row = con.execute("select build_id from builds where pid = ? and started_at >= ? order by rowid desc limit 1",
                          (pid, since)).fetchone()
    return row[0] if row else None


def _child_build(trigger: str, who: str, lock_wait: float) -> int:
    """The child: one recompute; prints one result line (JSON) for the worker."""
    from pipeline.changes import load_report
    from pipeline.jobs import recompute

    def stop(_signum: int, _frame: object) -> None:
        raise BuildStopped("the worker stopped the build")

    signal.signal(signal.SIGTERM, stop)
    settings = Settings.from_env()
    since = _iso(datetime.now(UTC))
    try:
        result = recompute(settings, trigger=trigger, who=who, wait_seconds=lock_wait)
    except BaseException as exc:
        build_id = _build_of_pid(settings, os.getpid(), since)
        message = f"{type(exc).__name__}: {exc}"
        if build_id:
            row = next((b for b in OpsStore(settings.ops_path).builds(limit=20) if b["build_id"] == build_id), None)
            message = (row or {}).get("message") or message
        print(RESULT_PREFIX + json.dumps({"ok": False, "build_id": build_id, "error": message}), flush=True)
        return 1
    report = load_report(settings, result.build_id)
    out = {"ok": True, "build_id": result.build_id, "message": result.message,
           "rows_read": sum(result.rows.values()), "methodology_hash": result.methodology_hash,
           "landing_seq": (report or {}).get("current", {}).get("landing_seq")}
    print(RESULT_PREFIX + json.dumps(out), flush=True)
    return 0


# -- the worker -------------------------------------------------------------------------------------------------
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
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
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
        _store(self.settings)
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
        """Fire due schedules, then run every job ready now; returns the jobs finished or requeued."""
        from pipeline.schedules import fire_due_schedules

        done = []
        with self._held():
            for name, due in fire_due_schedules(self.settings, self.clock.now()):
                self.say(f"schedule {name} due {_iso(due)}: job queued")
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
        from pipeline.schedules import next_due

        now = self.clock.now()
        wake = now + timedelta(seconds=self.config.poll_seconds)
        with _store(self.settings).connect() as con:
            row = con.execute("select min(not_before) from jobs where status = 'queued'").fetchone()
        candidates = [wake, next_due(self.settings) or wake]
        if row[0]:
            candidates.append(datetime.fromisoformat(row[0]))
        return max(now, min(candidates))

    def _claim(self) -> dict[str, Any] | None:
        now = _iso(self.clock.now())
        with _store(self.settings).transaction() as con:
            row = con.execute(
                "select * from jobs where status = 'queued' and (not_before is null or not_before <= ?) "
                "order by id limit 1", (now,)).fetchone()
            if row is None:
                return None
            con.execute("update jobs set status = 'running', attempts = attempts + 1, worker_pid = ?, "
                        "started_at = coalesce(started_at, ?), not_before = null where id = ?",
                        (os.getpid(), now, row["id"]))
            return _job_dict(con.execute("select * from jobs where id = ?", (row["id"],)).fetchone())

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
            build_id = _build_of_pid(self.settings, pid, since) if pid else None
            self._record_attempt(job_id, attempt_no, Attempt("interrupted", "the worker stopped during the build",
                                                             0.0, build_id, pid), started)
            self._requeue(job_id, "interrupted: the worker stopped during the build; queued again", None)
            raise
        self._record_attempt(job_id, attempt_no, attempt, started)
        if attempt.status == "succeeded":
            report_summary = ""
            if attempt.build_id:
                from pipeline.changes import load_report

                report = load_report(self.settings, attempt.build_id)
                report_summary = f" Changes: {report['summary']}" if report else ""
            self._finish(job_id, "succeeded", attempt.message + report_summary, build_id=attempt.build_id,
                         methodology_hash=attempt.methodology_hash, landing_seq=attempt.landing_seq,
                         rows_read=attempt.rows_read)
        elif attempt_no <= self.config.retries:
            wait = self.config.backoff_seconds * 2 ** (attempt_no - 1)
            retry_at = self.clock.now() + timedelta(seconds=wait)
            self._requeue(job_id, f"attempt {attempt_no} failed: {attempt.message} (retry at {_iso(retry_at)})",
                          retry_at, build_id=attempt.build_id)
        else:
            self._finish(job_id, "failed", attempt.message, build_id=attempt.build_id)
        job = get_job(self.settings, job_id)
        self.say(f"job {job_id}: {job['status']}: {job['message']}")
        return job

    def _record_attempt(self, job_id: int, attempt_no: int, attempt: Attempt, started: datetime) -> None:
        with _store(self.settings).transaction() as con:
            con.execute(
                "insert or replace into job_attempts (job_id, attempt, build_id, pid, started_at, finished_at, "
                "seconds, status, message) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, attempt_no, attempt.build_id, attempt.pid, _iso(started), _iso(self.clock.now()),
                 round(attempt.seconds, 3), attempt.status, attempt.message[:4000]),
            )
            con.execute("update jobs set duration_s = coalesce(duration_s, 0) + ? where id = ?",
                        (round(attempt.seconds, 3), job_id))

    def _requeue(self, job_id: int, message: str, retry_at: datetime | None, build_id: str | None = None) -> None:
        with _store(self.settings).transaction() as con:
            con.execute("update jobs set status = 'queued', not_before = ?, message = ?, "
                        "build_id = coalesce(?, build_id) where id = ?",
                        (_iso(retry_at) if retry_at else None, message[:4000], build_id, job_id))

    def _finish(self, job_id: int, status: str, message: str, **fields: Any) -> None:
        values = {"status": status, "message": message[:4000], "finished_at": _iso(self.clock.now()), **fields}
        sets = ", ".join(f"{k} = ?" for k in values)
        with _store(self.settings).transaction() as con:
            con.execute(f"update jobs set {sets} where id = ?", (*values.values(), job_id))
            OpsStore._audit(con, "system", f"job_{status}", {"job_id": job_id, "build_id": fields.get("build_id"),
                                                              "message": message[:500]})

    def _recover_interrupted(self) -> None:
        """Jobs left 'running' by a worker that died: a failed attempt each, retried as configured."""
        with _store(self.settings).connect() as con:
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
    """Start ``python -m pipeline.worker run`` beside the app; it logs to ``data/worker.log``.

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
            [sys.executable, "-m", "pipeline.worker", "run", "--poll", str(poll_seconds), "--parent",
             str(os.getpid())], env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    finally:
        log.close()


def _stop_on_sigterm() -> None:
    def handler(_signum: int, _frame: object) -> None:
        raise WorkerStopping()

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.worker run [--poll S] [--parent PID]`` | ``build`` (one attempt; the worker's child)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.worker")
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
        return _child_build(args.trigger, args.who, args.lock_wait)
    _stop_on_sigterm()
    settings = Settings.from_env()
    worker = Worker(settings, config=WorkerConfig(poll_seconds=args.poll),
                    say=lambda msg: print(f"{_iso(datetime.now(UTC))} {msg}", flush=True))
    try:
        worker.say(f"worker pid {os.getpid()} on {settings.data_dir}")
        worker.run(once=args.once, parent_pid=args.parent)
    except WorkerRunning as exc:
        print(exc, flush=True)
    except KeyboardInterrupt:
        worker.say("worker stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
