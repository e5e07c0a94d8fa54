"""Crashes and concurrency: a killed build leaves the previous warehouse live; two builds never both write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core.errors import WarehouseLocked
from pipeline.core.ops import OpsStore
from pipeline.jobs.build import recompute
from warehouse import queries
from warehouse.lock import BuildLock

pytestmark = pytest.mark.slow


def _start_paused_build(env: dict[str, str], step: str) -> subprocess.Popen[str]:
    """A `clusterstats recompute` in another process, told to sleep at ``step`` (the fault-test hook)."""
    env = {**env, "CLUSTERSTATS_PAUSE_AT": step, "CLUSTERSTATS_PAUSE_SECONDS": "60"}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "recompute"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _running(store: OpsStore) -> bool:
    return any(b["status"] == "running" for b in store.builds())


@pytest.mark.parametrize("step", ["staging", "marts", "audits", "swap"])
def test_kill_9_mid_build_keeps_the_previous_warehouse(built, cli_env, step):
    before = queries.build_info(built.warehouse_path)
    store = OpsStore(built.ops_path)
    proc = _start_paused_build(cli_env, step)
    try:
        # the paused build has written part of warehouse.next.duckdb
        _wait_for(lambda: built.next_warehouse_path.exists() and _running(store), f"the build to reach {step}")
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the live warehouse is the previous build, complete and readable
    assert queries.build_info(built.warehouse_path)["build_id"] == before["build_id"]
    assert queries.cluster_list(built.warehouse_path, 2022).height == 2
    # the next build takes over the dead process's lock and discards its half-written file
    result = recompute(built)
    assert queries.build_info(built.warehouse_path)["build_id"] == result.build_id
    # the same scores as before the kill (hand calculation in test_scoring_tiny.py: 73.61 and 26.39)
    scores = queries.cluster_list(built.warehouse_path, 2022).get_column("score").to_list()
    assert scores == pytest.approx([441.6667 / 6, 158.3333 / 6], abs=1e-4)
    # and the killed build is on record as interrupted, not left "running"
    killed = store.builds()[1]
    assert killed["status"] == "failed"
    assert killed["message"].startswith(f"interrupted: the build process (pid {proc.pid})")


def test_two_builds_at_once_do_not_both_write(built, cli_env):
    store = OpsStore(built.ops_path)
    first = _start_paused_build(cli_env, "marts")
    try:
        _wait_for(lambda: _running(store), "the first build to start")
        holder = BuildLock(built.lock_path).holder()
        assert holder is not None and holder["pid"] == first.pid
        with pytest.raises(WarehouseLocked, match=f"pid {first.pid}"):
            recompute(built)
        second = subprocess.run([sys.executable, "-m", "pipeline.cli", "recompute"], env=cli_env,
                                capture_output=True, text=True, check=False)
        assert second.returncode == 1
        assert "Another build is running" in second.stderr
    finally:
        first.kill()
        first.wait(timeout=30)
    # only the paused build ever started writing; the refused ones left no trace but their refusal
    assert [b["status"] for b in store.builds()] == ["running", "succeeded"]


def test_a_waiting_build_runs_after_the_running_one(built, cli_env):
    env = {**cli_env, "CLUSTERSTATS_PAUSE_AT": "marts", "CLUSTERSTATS_PAUSE_SECONDS": "2"}
    store = OpsStore(built.ops_path)
    first = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "recompute"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _running(store), "the first build to start")
        result = recompute(built, wait_seconds=60)
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
    statuses = [(b["build_id"], b["status"]) for b in store.builds()]
    assert statuses[0] == (result.build_id, "succeeded") and all(s == "succeeded" for _, s in statuses)
    assert queries.build_info(built.warehouse_path)["build_id"] == result.build_id


def test_lock_file_left_with_a_dead_pid_is_taken_over(built):
    Path(built.lock_path).write_text('{"pid": 999999, "since": "yesterday"}', encoding="utf-8")
    result = recompute(built)
    assert queries.build_info(built.warehouse_path)["build_id"] == result.build_id
