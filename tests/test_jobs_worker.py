"""The worker: upload triggers, one build at a time, failures, retries with backoff, timeouts, "no change".

Builds run in real child processes (the worker's design: a build past its timeout is stopped); the schedule and the
retry backoff run on a controlled clock, so nothing here waits for them.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.cli.jobs import register
from pipeline.core.errors import WarehouseLocked
from pipeline.core.ops import OpsStore
from pipeline.ingest import ingest_file
from pipeline.jobs.attempts import WorkerConfig
from pipeline.jobs.build import recompute
from pipeline.jobs.queue import Enqueued, enqueue, enqueue_upload, get_job, job_history
from pipeline.jobs.worker import Worker, WorkerRunning
from warehouse import queries

pytestmark = pytest.mark.slow

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)

REVISED_REGIONAL = """region_code,industry_code,year,employment
210100,13,2022,400
"""


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.t = start

    def now(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _land(settings, tmp_path: Path, name: str, text: str, kind: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = ingest_file(settings, path, kind, who="officer")
    assert result.status == "landed"
    return result.upload


def _builds(settings) -> list[dict]:
    return list(reversed(OpsStore(settings.ops_path).builds()))


def test_landed_uploads_trigger_one_build(settings, tiny_files):
    for kind, path in tiny_files:  # what the ingest path does after landing: one trigger per upload
        result = ingest_file(settings, path, kind, who="officer")
        enqueue_upload(settings, result.upload, now=T0)
    (queued,) = job_history(settings)
    assert (queued["status"], queued["trigger"], queued["requests"]) == ("queued", "upload", 7)
    assert [r["detail"]["kind"] for r in queued["detail"]][:2] == ["regions", "industries"]

    (job,) = Worker(settings, clock=FakeClock()).tick()
    assert job["status"] == "succeeded", job["message"]
    live = queries.build_info(settings.warehouse_path)
    assert job["build_id"] == live["build_id"] and [b["build_id"] for b in _builds(settings)] == [live["build_id"]]
    assert job["rows_read"] == 25  # every record of the tiny set
    assert job["landing_seq"] == 7 and job["methodology_hash"] == live["methodology_hash"]
    assert job["started_at"] == job["finished_at"] == T0.isoformat() and job["duration_s"] > 0
    assert [a["status"] for a in get_job(settings, job["id"])["attempt_log"]] == ["succeeded"]
    # nothing left to do
    assert Worker(settings, clock=FakeClock()).tick() == []


def test_a_trigger_during_a_build_queues_and_runs_after_it(built, tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERSTATS_PAUSE_AT", "marts")  # the first build sleeps at its marts step
    monkeypatch.setenv("CLUSTERSTATS_PAUSE_SECONDS", "2.5")
    store = OpsStore(built.ops_path)
    first = enqueue(built, trigger="manual", who="admin", force=True).job_id
    worker = Worker(built, clock=FakeClock())
    done: list[dict] = []
    thread = threading.Thread(target=lambda: done.extend(worker.tick()))
    thread.start()
    try:
        _wait_for(lambda: any(b["status"] == "running" for b in store.builds()), "the first build to start")
        monkeypatch.delenv("CLUSTERSTATS_PAUSE_AT")  # the next build runs at full speed
        upload = _land(built, tmp_path, "revised.csv", REVISED_REGIONAL, "regional-industry")
        second = enqueue_upload(built, upload)
        assert not second.coalesced and second.job_id != first  # not merged into the running job
        # a "run now" meanwhile joins the queued job: one build answers both
        assert enqueue(built, trigger="manual", who="admin", force=True) == Enqueued(second.job_id, True)
        assert get_job(built, first)["status"] == "running" and get_job(built, second.job_id)["status"] == "queued"
        with pytest.raises(WarehouseLocked):  # no second build can start beside it
            recompute(built)
        with pytest.raises(WorkerRunning):  # nor a second worker
            Worker(built).tick()
    finally:
        thread.join(timeout=120)
    assert [(j["id"], j["status"]) for j in done] == [(first, "succeeded"), (second.job_id, "succeeded")]
    assert (done[1]["trigger"], done[1]["requests"]) == ("upload+manual", 2)
    b1, b2 = (next(b for b in _builds(built) if b["build_id"] == j["build_id"]) for j in done)
    assert b2["started_at"] >= b1["finished_at"]  # one after the other, never overlapping
    assert queries.build_info(built.warehouse_path)["build_id"] == done[1]["build_id"]
    assert done[1]["landing_seq"] == 8  # the second build read the upload that arrived during the first


def test_a_failing_build_is_recorded_keeps_the_live_warehouse_and_retries_with_backoff(built, tmp_path):
    live = queries.build_info(built.warehouse_path)["build_id"]
    upload = _land(built, tmp_path, "revised.csv", REVISED_REGIONAL, "regional-industry")
    parquet = built.data_dir / upload.path
    hidden = tmp_path / "hidden.parquet"
    shutil.move(parquet, hidden)  # a landed file gone missing: every build fails at staging
    clock = FakeClock()
    worker = Worker(built, clock=clock, config=WorkerConfig(retries=2, backoff_seconds=60))
    job_id = enqueue_upload(built, upload, now=clock.now()).job_id

    (job,) = worker.tick()
    assert job["status"] == "queued" and job["attempts"] == 1
    assert job["message"].startswith("attempt 1 failed: step staging:")
    assert job["not_before"] == (T0 + timedelta(seconds=60)).isoformat()
    assert queries.build_info(built.warehouse_path)["build_id"] == live  # the previous warehouse stays live
    assert queries.cluster_list(built.warehouse_path, 2022).height == 2
    assert not built.next_warehouse_path.exists()

    assert worker.tick() == []  # not before the backoff
    clock.advance(59)
    assert worker.tick() == []
    clock.advance(1)
    (job,) = worker.tick()
    assert job["status"] == "queued" and job["attempts"] == 2
    assert job["not_before"] == (clock.now() + timedelta(seconds=120)).isoformat()  # doubled
    clock.advance(120)
    (job,) = worker.tick()
    assert job["status"] == "failed" and job["attempts"] == 3  # 1 + 2 retries, then it stops
    assert job["step"] == "staging" and job["message"].startswith("step staging:")
    attempts = get_job(built, job_id)["attempt_log"]
    assert [a["status"] for a in attempts] == ["failed"] * 3 and all(a["build_id"] for a in attempts)
    builds = {b["build_id"]: b for b in _builds(built)}
    assert all(builds[a["build_id"]]["status"] == "failed" for a in attempts)
    assert job["build_id"] == attempts[-1]["build_id"]
    clock.advance(3600)
    assert worker.tick() == []  # given up
    assert queries.build_info(built.warehouse_path)["build_id"] == live

    # fixed: the next trigger builds
    shutil.move(hidden, parquet)
    enqueue(built, trigger="manual", who="admin", now=clock.now())
    (job,) = worker.tick()
    assert job["status"] == "succeeded" and queries.build_info(built.warehouse_path)["build_id"] == job["build_id"]


def test_a_build_past_the_timeout_is_stopped_and_the_previous_warehouse_stays_live(built, monkeypatch):
    live = queries.build_info(built.warehouse_path)["build_id"]
    # the earliest pause (after staging), so that even a slow machine reaches it well inside the timeout
    monkeypatch.setenv("CLUSTERSTATS_PAUSE_AT", "staging")
    monkeypatch.setenv("CLUSTERSTATS_PAUSE_SECONDS", "60")
    worker = Worker(built, clock=FakeClock(), config=WorkerConfig(retries=0, timeout_seconds=3))
    enqueue(built, trigger="manual", who="admin", force=True)
    started = time.monotonic()
    (job,) = worker.tick()
    assert time.monotonic() - started < 30
    assert job["status"] == "failed"
    assert job["message"].startswith("timed out after 3 s and was stopped; "), job["message"]
    assert get_job(built, job["id"])["attempt_log"][0]["status"] == "timed_out"
    if job["build_id"] is not None:  # (on a very slow machine the child may not have started its build yet)
        assert job["step"] == "staging" and "step staging: the worker stopped the build" in job["message"]
        stopped = next(b for b in _builds(built) if b["build_id"] == job["build_id"])
        assert stopped["status"] == "failed"  # the build recorded its own stop, not left 'running'
    assert queries.build_info(built.warehouse_path)["build_id"] == live
    assert not built.next_warehouse_path.exists()


def test_a_stop_inside_a_query_is_recorded_as_the_stop_not_as_duckdbs_interrupt(built, monkeypatch):
    # a SIGTERM that lands while DuckDB runs a query surfaces as duckdb's InterruptException ("Query interrupted");
    # the build record must still say who stopped it
    import duckdb

    import pipeline.jobs.build as build_module

    def interrupted(*_args, **_kwargs):
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(build_module, "build_marts", interrupted)
    live = queries.build_info(built.warehouse_path)["build_id"]
    with pytest.raises(duckdb.InterruptException):
        recompute(built, who="tester", stopped=lambda: "the worker stopped the build")
    failed = _builds(built)[-1]
    assert (failed["status"], failed["message"]) == ("failed", "step marts: the worker stopped the build")
    # without an outside stop, the error itself is recorded
    with pytest.raises(duckdb.InterruptException):
        recompute(built, who="tester")
    failed = _builds(built)[-1]
    assert failed["message"] == "step marts: INTERRUPT Error: Interrupted!"
    assert queries.build_info(built.warehouse_path)["build_id"] == live


def test_no_new_data_means_no_build_and_says_so(built):
    live = queries.build_info(built.warehouse_path)
    enqueue(built, trigger="manual", who="admin")
    (job,) = Worker(built, clock=FakeClock()).tick()
    assert job["status"] == "unchanged" and job["message"].startswith("No change: no new data")
    assert job["build_id"] == live["build_id"] and len(_builds(built)) == 1
    # forced, it builds, and the warehouse it makes is identical
    enqueue(built, trigger="manual", who="admin", force=True)
    (job,) = Worker(built, clock=FakeClock()).tick()
    assert job["status"] == "succeeded" and job["build_id"] != live["build_id"]
    assert job["no_change"] == 1 and job["change_summary"].startswith("No change: every table is identical")
    assert "No change" in job["message"]


def test_jobs_run_wait_runs_the_job_here_when_no_worker_runs(built):
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    register(group)
    runner = CliRunner()
    result = runner.invoke(group, ["--data-dir", str(built.data_dir), "jobs", "run", "--wait", "--force", "--json"])
    assert result.exit_code == 0, result.output
    (job,) = job_history(built)
    assert job["status"] == "succeeded" and json.loads(result.output)["build_id"] == job["build_id"]
    listed = runner.invoke(group, ["--data-dir", str(built.data_dir), "jobs"])
    assert f"   {job['id']}  succeeded manual" in listed.output and job["build_id"] in listed.output
    shown = runner.invoke(group, ["--data-dir", str(built.data_dir), "jobs", "show", str(job["id"])])
    assert "attempt 1 succeeded" in shown.output and "request manual" in shown.output


def test_the_serve_worker_stops_when_its_parent_ends(settings, cli_env):
    # a parent that starts the worker the way serve does, then is killed
    script = ("import sys, time; from pipeline.core.settings import Settings; from pipeline.jobs.worker import "
              "start_worker_process; p = start_worker_process(Settings.from_env(), poll_seconds=0.2); "
              "print(p.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script], env=cli_env, stdout=subprocess.PIPE, text=True)
    try:
        worker_pid = int(parent.stdout.readline())
        _wait_for(lambda: (settings.data_dir / "worker.log").exists()
                  and "worker pid" in (settings.data_dir / "worker.log").read_text(), "the worker to start")
        parent.kill()
        parent.wait(timeout=10)
        _wait_for(lambda: not _alive(worker_pid), "the worker to notice its parent is gone", timeout=15)
    finally:
        parent.kill()
    assert "worker pid" in (settings.data_dir / "worker.log").read_text()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by init) counts as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
