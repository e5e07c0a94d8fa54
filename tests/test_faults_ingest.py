"""Faults: kill -9 during ingest, during a build and during the swap; a full disk; a damaged warehouse file.

Each test kills a real `clusterstats` process at a named step (the CLUSTERSTATS_PAUSE_AT hook), then checks that
the landing zone, the manifest and the live warehouse are consistent (pipeline.jobs.recovery.consistency_problems, after
the next ordinary command), that nothing half-written was ever visible to readers, and that the next run needs no
hand-made fix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.core.errors import StorageFull
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.ingest import ingest_bytes, ingest_file
from pipeline.ingest.landing import landed_frame
from pipeline.jobs.build import recompute
from pipeline.jobs.recovery import consistency_problems, startup_check
from warehouse import queries

pytestmark = pytest.mark.slow

NEW_RECORDS = "地区代码,行业代码,年份,从业人员(人)\n210100,13,2021,90\n210200,37,2021,190\n"


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    """The tiny set landed and built once; each test gets a copy of the data directory."""
    from conftest import TINY

    s = Settings.from_env(tmp_path_factory.mktemp("built") / "data")
    for kind, name, text in TINY:
        ingest_bytes(s, text.encode(), name, kind, who="tester")
    recompute(s, who="tester")
    return s.data_dir


@pytest.fixture
def built(built_template: Path, settings: Settings) -> Settings:
    shutil.copytree(built_template, settings.data_dir)
    return settings


def _cli(env: dict[str, str], *args: str, pause: str | None = None) -> subprocess.Popen[str]:
    if pause is not None:
        env = {**env, "CLUSTERSTATS_PAUSE_AT": pause, "CLUSTERSTATS_PAUSE_SECONDS": "60"}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def _wait_for(condition, what: str, proc: subprocess.Popen[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the process ended before {what}: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _landed_files(s: Settings) -> list[Path]:
    return sorted(p for p in s.landing_dir.rglob("*") if p.is_file())


def _records_file(tmp_path: Path) -> Path:
    path = tmp_path / "records-2021.csv"
    path.write_text(NEW_RECORDS, encoding="utf-8")
    return path


# -- kill -9 during ingest ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("step", ["landing-write", "landing-manifest"])
def test_kill_9_during_ingest(built, cli_env, tmp_path, step):
    s = built
    path = _records_file(tmp_path)
    manifest_before = [u.upload_id for u in OpsStore(s.ops_path).uploads()]
    files_before = _landed_files(s)
    build_before = queries.build_info(s.warehouse_path)["build_id"]
    proc = _cli(cli_env, "ingest", str(path), "--kind", "regional-industry", pause=step)
    try:
        if step == "landing-write":  # the temporary file is written, not yet renamed
            _wait_for(lambda: any(p.name.endswith(".tmp") for p in _landed_files(s)), "the temporary file", proc)
        else:  # the file is in place, not yet in the manifest
            _wait_for(lambda: len([p for p in _landed_files(s) if p.suffix == ".parquet"]) > len(files_before),
                      "the landed file", proc)
        time.sleep(0.2)
    finally:
        _kill(proc)
    # nothing half-written is visible: the manifest and what readers see are as before
    assert [u.upload_id for u in OpsStore(s.ops_path).uploads()] == manifest_before
    assert landed_frame(s, "regional-industry").height == 4
    assert queries.build_info(s.warehouse_path)["build_id"] == build_before
    leftovers = consistency_problems(s)
    assert len(leftovers) == 1 and ("temporary file" in leftovers[0] or "not in the manifest" in leftovers[0])

    # the next run recovers by itself and lands the file once
    if step == "landing-write":
        again = _run(cli_env, "ingest", str(path), "--kind", "regional-industry")
        assert again.returncode == 0, again.stderr
        assert "Landed 2 regional-industry rows" in again.stdout
    else:
        assert ingest_file(s, path, "regional-industry").status == "landed"
    assert consistency_problems(s) == []
    ups = OpsStore(s.ops_path).uploads("regional-industry")
    assert [u.rows for u in ups] == [4, 2]
    assert len(_landed_files(s)) == len(files_before) + 1
    if step == "landing-manifest":  # the unlisted file was moved aside, not deleted
        assert len(list((s.data_dir / "orphans").rglob("*.parquet"))) == 1
    recompute(s)
    assert consistency_problems(s) == []
    assert landed_frame(s, "regional-industry").height == 6


# -- kill -9 during a build and during the swap --------------------------------------------------------------------
def _running(s: Settings) -> bool:
    return any(b["status"] == "running" for b in OpsStore(s.ops_path).builds())


def test_kill_9_after_the_swap_is_recorded_on_the_next_start(built, cli_env):
    s = built
    before = queries.build_info(s.warehouse_path)["build_id"]
    proc = _cli(cli_env, "recompute", pause="swapped")
    try:
        _wait_for(lambda: _running(s) and queries.build_info(s.warehouse_path)["build_id"] != before,
                  "the swap", proc)
    finally:
        _kill(proc)
    live = queries.build_info(s.warehouse_path)["build_id"]
    assert live != before  # the new build is complete and live: readers see it, whole
    assert queries.cluster_list(s.warehouse_path, 2022).height == 2
    assert OpsStore(s.ops_path).builds()[0]["status"] == "running"  # but not yet recorded
    out = _run(cli_env, "status")
    assert out.returncode == 0, out.stderr
    assert f"build {live} had been made live but not recorded" in out.stdout
    record = OpsStore(s.ops_path).builds()[0]
    assert (record["build_id"], record["status"]) == (live, "succeeded")
    assert record["message"].startswith("recovered:")
    assert consistency_problems(s) == []


def test_kill_9_before_the_swap_leaves_nothing_visible(built, cli_env):
    s = built
    before = queries.build_info(s.warehouse_path)["build_id"]
    proc = _cli(cli_env, "recompute", pause="swap")
    try:
        _wait_for(lambda: _running(s) and s.next_warehouse_path.exists(), "the finished next file", proc)
        time.sleep(0.3)
    finally:
        _kill(proc)
    assert queries.build_info(s.warehouse_path)["build_id"] == before
    done = startup_check(s)  # what `status` and `serve` run first
    assert any("removed warehouse.next.duckdb" in line for line in done)
    assert any("was interrupted" in line for line in done)
    assert not s.next_warehouse_path.exists()
    assert OpsStore(s.ops_path).builds()[0]["status"] == "failed"
    assert consistency_problems(s) == []


# -- disk full --------------------------------------------------------------------------------------------------------
def test_disk_full_while_landing_keeps_the_previous_state(dictionaries, monkeypatch, tmp_path):
    s = dictionaries
    before = ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s))

    def full(self, file, **kwargs):
        Path(file).write_bytes(b"PAR1 partial")  # a part was written before the disk filled up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    with pytest.raises(StorageFull, match="is full: the landed file .* could not be written, and nothing was "
                                          "changed"):
        ingest_bytes(s, NEW_RECORDS.encode(), "r.csv", "regional-industry")
    assert ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s)) == before
    assert consistency_problems(s) == []


def test_disk_full_while_recording_takes_the_file_back(dictionaries, monkeypatch):
    s = dictionaries
    before = ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s))

    def full(self, **fields):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(OpsStore, "record_upload", full)
    with pytest.raises(StorageFull, match="could not be recorded, and nothing was landed"):
        ingest_bytes(s, NEW_RECORDS.encode(), "r.csv", "regional-industry")
    assert ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s)) == before


def test_disk_full_during_a_build_keeps_the_live_warehouse(built, monkeypatch):
    from warehouse.build import Builder

    before = queries.build_info(built.warehouse_path)["build_id"]

    def full(self):
        raise duckdb.IOException("Could not write file: No space left on device")

    monkeypatch.setattr(Builder, "run_staging", full)
    with pytest.raises(StorageFull, match="stopped at step staging and the previous warehouse stays live"):
        recompute(built)
    assert queries.build_info(built.warehouse_path)["build_id"] == before
    assert not built.next_warehouse_path.exists()
    assert consistency_problems(built) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 8 MB file system (tmpfs; needs root), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip()}); the simulated tests cover it")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:  # unbuffered: nothing left to flush into a full disk
        for size in (65536, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * size)
    return filler


def test_a_really_full_disk(tiny_disk, tmp_path):
    from conftest import TINY

    s = Settings.from_env(tiny_disk / "data")
    for kind, name, text in TINY[:2]:
        ingest_bytes(s, text.encode(), name, kind)
    path = _records_file(tmp_path)
    before = ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s))
    filler = _fill(tiny_disk)
    with pytest.raises(StorageFull, match="is full"):  # SQLite cannot even open its shared memory file now
        ingest_file(s, path, "regional-industry")
    filler.unlink()
    assert ([u.upload_id for u in OpsStore(s.ops_path).uploads()], _landed_files(s)) == before
    assert consistency_problems(s) == []
    assert ingest_file(s, path, "regional-industry").status == "landed"  # no hand fix needed
    assert consistency_problems(s) == []


# -- a damaged warehouse file -----------------------------------------------------------------------------------------
def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "header":
        path.write_bytes(b"\x00" * 8192 + bytes(data[8192:]))
    else:  # garbage in every block after the header: checksums fail wherever a reader looks
        for at in range(12288, len(data), 4096):
            data[at + 100: at + 164] = os.urandom(64)
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "header", "blocks"])
def test_a_damaged_warehouse_is_detected_at_start_and_rebuilt(built, cli_env, how):
    s = built
    scores = queries.cluster_list(s.warehouse_path, 2022).get_column("score").to_list()
    _damage(s.warehouse_path, how)
    assert consistency_problems(s)  # detected
    if how == "header":  # as the user meets it: `clusterstats status`
        out = _run(cli_env, "status")
        assert out.returncode == 0, out.stderr
        said = out.stdout
    else:  # what `status`, `serve` (thoroughly) and `recompute` run first
        said = "\n".join(startup_check(s, thorough=True))
    assert "the warehouse file was damaged" in said and "rebuilt it from the landing zone" in said
    assert len(list((s.data_dir / "corrupt").glob("warehouse-*.duckdb"))) == 1  # kept for a look, not deleted
    assert queries.cluster_list(s.warehouse_path, 2022).get_column("score").to_list() == pytest.approx(scores)
    assert consistency_problems(s) == []


def test_recompute_replaces_a_damaged_warehouse(built):
    _damage(built.warehouse_path, "header")
    recompute(built)
    assert queries.build_info(built.warehouse_path) is not None
    assert startup_check(built) == []
