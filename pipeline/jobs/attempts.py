"""One build attempt, in a child process, and whether a build is needed at all.

Each attempt runs :func:`pipeline.jobs.build.recompute` as ``python -m pipeline.jobs build`` (:func:`child_build`),
under the build lock, so a build that runs past the timeout can be stopped (SIGTERM, then SIGKILL); build-then-swap
keeps the previous warehouse live. The child prints one result line (JSON) that :class:`ChildProcessBuilds` reads
back as an :class:`Attempt`.

A job finds nothing to do when the live build already read every landed upload with the current methodology
(:func:`up_to_date`): the worker then records it as ``unchanged`` without a build.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pipeline
from pipeline.core.ops import OpsStore
from pipeline.core.publication import official_marker
from pipeline.core.settings import ENV_DATA_DIR, Settings
from pipeline.jobs.build import recompute
from pipeline.jobs.kept import load_report
from pipeline.jobs.methodologies import active_methodology
from pipeline.jobs.queue import iso_utc, open_store
from warehouse.queries import build_info, is_current

RESULT_PREFIX = "CLUSTERSTATS-BUILD-RESULT "


class WorkerStopping(KeyboardInterrupt):
    """The worker was asked to stop (SIGTERM, Ctrl+C, or its parent process ended)."""


class BuildStopped(BaseException):
    """The worker stopped the build (it ran past the timeout, or the worker is shutting down). A BaseException,
    like KeyboardInterrupt, so that no ``except Exception`` on the way swallows it."""


@dataclass(frozen=True)
class WorkerConfig:
    """How the worker runs jobs: its polling, and how each attempt is run, retried and stopped. Seconds throughout."""

    poll_seconds: float = 5.0  # how often the queue and the schedules are checked
    retries: int = 2  # further attempts after a failed one
    backoff_seconds: float = 60.0  # wait before retry n: backoff * 2 ** (n - 1)
    timeout_seconds: float = 3600.0  # an attempt running longer is stopped (the previous warehouse stays live)
    lock_wait_seconds: float = 600.0  # how long an attempt waits for a build started elsewhere (CLI recompute)
    stop_grace_seconds: float = 10.0  # after SIGTERM, before SIGKILL


# -- what needs building -----------------------------------------------------------------------------------
def current_methodology_hash(settings: Settings) -> str:
    """The methodology a build would use now: the data directory's active one (recompute's default). (It said the
    built-in default's before, so a job queued after a methodology change found "no change" and did not build.)"""
    return active_methodology(settings).hash


def landing_seq(settings: Settings) -> int:
    """The highest manifest seq of the official uploads (accepted ones): what an official build reads."""
    return official_marker(open_store(settings))[0]


def up_to_date(settings: Settings) -> dict[str, Any] | None:
    """The live build when it already read every official upload (and no other) with the current methodology and
    code, else None. An accepted submission may be older than the newest official upload, so the count of uploads
    read is compared too."""
    try:
        build = build_info(settings.warehouse_path)
    except Exception:  # an unreadable warehouse needs a build
        return None
    if build is None or not is_current(build) or build["code_version"] != pipeline.__version__:
        return None
    read = (build["landing_seq"], build["uploads"])
    if read == official_marker(open_store(settings)) and build["methodology_hash"] == current_methodology_hash(
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
    """Runs each attempt as ``python -m pipeline.jobs build`` and stops it at the timeout (SIGTERM, then SIGKILL).

    ``should_stop`` is checked every second while the build runs; when it says so the build is stopped and
    :class:`WorkerStopping` raised.
    """

    def __init__(self, settings: Settings, config: WorkerConfig) -> None:
        self.settings = settings
        self.config = config
        self.should_stop: Callable[[], bool] = lambda: False
        self.current: tuple[int, str] | None = None  # (pid, start) of the running attempt's child

    def run(self, job: dict[str, Any]) -> Attempt:
        args = [sys.executable, "-m", "pipeline.jobs", "build", "--trigger", job["trigger"], "--who", job["who"],
                "--lock-wait", str(self.config.lock_wait_seconds)]
        env = {**os.environ, ENV_DATA_DIR: str(self.settings.data_dir)}
        since = iso_utc(datetime.now(UTC))  # the build's row in `builds` starts at or after this
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
        build = result.get("build_id") or build_of_pid(self.settings, proc.pid, since)
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


def build_of_pid(settings: Settings, pid: int, since: str) -> str | None:
    """The build a process started at or after ``since`` (pids are reused, so the time matters)."""
    with open_store(settings).connect() as con:
        row = con.execute("select build_id from builds where pid = ? and started_at >= ? order by rowid desc limit 1",
                          (pid, since)).fetchone()
    return row[0] if row else None


def child_build(trigger: str, who: str, lock_wait: float) -> int:
    """The child (``python -m pipeline.jobs build``): one recompute; prints one result line (JSON) for the worker."""

    why: list[str] = []  # set by the handler: the stop may land inside a query, which DuckDB reports its own way

    def stop(_signum: int, _frame: object) -> None:
        why.append("the worker stopped the build")
        raise BuildStopped(why[0])

    signal.signal(signal.SIGTERM, stop)
    settings = Settings.from_env()
    since = iso_utc(datetime.now(UTC))
    try:
        result = recompute(settings, trigger=trigger, who=who, wait_seconds=lock_wait,
                           stopped=lambda: why[0] if why else None)
    except BaseException as exc:
        build_id = build_of_pid(settings, os.getpid(), since)
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


__all__ = [
    "Attempt", "BuildRunner", "BuildStopped", "ChildProcessBuilds", "WorkerConfig", "WorkerStopping",
    "build_of_pid", "child_build", "current_methodology_hash", "landing_seq", "up_to_date",
]
