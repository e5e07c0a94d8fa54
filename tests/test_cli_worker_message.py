"""What `clusterstats ingest` says about the rebuild it queues (issue 14, finding 7): before, it printed
"Queued rebuild job ... for a running worker" also when no worker ran, and nothing was built."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.jobs import start_worker_process, worker_pid


def _ingest(settings, tiny_files, kind: str):
    path = next(p for k, p in tiny_files if k == kind)
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "ingest", str(path), "--kind", kind])


def test_without_a_worker_ingest_says_how_to_build(settings, tiny_files):
    out = _ingest(settings, tiny_files, "regions")
    assert out.exit_code == 0 and worker_pid(settings) is None
    assert out.output.splitlines()[-1] == ("Queued rebuild job 1, but no worker runs on this data directory: "
                                           "`clusterstats recompute` builds now, or start one (`clusterstats "
                                           "serve`, `clusterstats worker`).")


@pytest.mark.slow
def test_with_a_worker_ingest_names_it(settings, tiny_files):
    settings.ensure_dirs()
    proc = start_worker_process(settings, poll_seconds=60)
    try:
        deadline = time.monotonic() + 60
        while worker_pid(settings) != proc.pid and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker_pid(settings) == proc.pid
        out = _ingest(settings, tiny_files, "regions")
        assert out.output.splitlines()[-1] == (f"Queued rebuild job 1; the worker (pid {proc.pid}) builds it "
                                               "(`clusterstats jobs` shows it).")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert worker_pid(settings) is None  # its lock file still names it, but the process is gone
