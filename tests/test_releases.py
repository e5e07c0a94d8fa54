"""Releases (issue 16): frozen from the official build, approved by a second person, published by the worker at the
embargo time (a controlled clock), never changed by later uploads; a revision lists exactly the figures that moved;
a damaged release file is found and rebuilt exactly from its recorded vintages; kill -9 during publication leaves
the release published or still approved, never half. Through the CLI (the app: test_ui_releases.py)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import acknowledge
from test_jobs_worker import FakeClock
from test_submissions import CORRECTION, run

from pipeline.access.users import audit_log
from pipeline.core.ops import OpsStore
from pipeline.core.publication import publish_due, release
from pipeline.jobs.worker import Worker
from pipeline.publishing.releases import release_path, sha256_file
from warehouse.compare import table_hashes
from warehouse.db import query, read_only
from warehouse.disclosure import MASKED

PUBLISH_AT = "2030-06-30 09:30"  # Asia/Shanghai: 01:30 UTC
EMBARGO_ENDS = datetime(2030, 6, 30, 1, 30, tzinfo=UTC)


def create(settings, *extra: str, user: str = "rita", acknowledged: bool = True) -> dict:
    """Create a release through the CLI; ``acknowledged``: and have an administrator acknowledge its tables not fully
    assessed for disclosure (the tiny set's named-cluster indicators), so that it can be approved."""
    result = run(settings, "release", "create", "--title", "2022年度产业集群评价", "--reference-year", "2022",
                 "--publish-at", PUBLISH_AT, "--json", *extra, user=user)
    assert result.exit_code == 0, result.output
    rel = json.loads(result.output)
    if acknowledged:
        acknowledge(settings, rel["number"])
    return rel


def listed(settings, user: str) -> list[dict]:
    result = run(settings, "release", "list", "--json", user=user)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_an_approved_release_is_published_at_its_time_and_not_before(staffed):
    rel = create(staffed)
    assert (rel["number"], rel["status"], rel["publish_at"]) == (1, "draft", "2030-06-30T01:30:00+00:00")
    path = release_path(staffed, rel)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o400"  # read-only (root may still write)
    assert rel["sha256"] == sha256_file(path) and path.name == f"release-1-{rel['sha256'][:12]}.duckdb"
    assert rel["uploads"] == 7 and rel["build_id"] and rel["methodology_hash"] and rel["code_version"]
    # four eyes: its creator cannot approve it
    own = run(staffed, "release", "approve", "1", user="rita")
    assert own.exit_code == 1 and "rita created release 1 and cannot also approve it" in own.output
    assert run(staffed, "release", "approve", "1", user="li").exit_code != 0  # a submitter cannot either
    approved = run(staffed, "release", "approve", "1", user="ming")
    assert approved.exit_code == 0 and "published at 2030-06-30 09:30 (Asia/Shanghai)" in approved.output
    # before its time: staff see it as approved, a viewer sees nothing
    clock = FakeClock(EMBARGO_ENDS - timedelta(minutes=1))
    Worker(staffed, clock=clock).tick()
    assert [r["status"] for r in listed(staffed, "ada")] == ["approved"]
    assert listed(staffed, "vic") == []
    assert run(staffed, "release", "show", "1", user="vic").exit_code == 1
    # at its time the worker publishes it
    clock.t = EMBARGO_ENDS
    Worker(staffed, clock=clock).tick()
    (seen,) = listed(staffed, "vic")
    assert (seen["number"], seen["status"], seen["published_at"]) == (1, "published", "2030-06-30T01:30:00+00:00")
    actions = [(e["who"], e["action"]) for e in audit_log(staffed)]
    assert ("rita", "release_created") in actions and ("ming", "release_approved") in actions
    assert ("worker", "release_published") in actions


def without_disclosure(settings) -> None:
    """Every cell of the tiny set is made by two or three firms (F001-F003, F101-F102), so the default rules
    suppress its whole 2 x 2 table; a test that reads every figure of a release sets the rules off (at least one
    firm, no dominance rule) and rebuilds. Disclosure control itself: test_release_disclosure.py."""
    from pipeline.jobs.build import recompute
    from pipeline.jobs.methodologies import methodology_path, methodology_text

    text = methodology_text(settings).replace("min_contributors = 3", "min_contributors = 1").replace(
        "dominance = [[1, 85], [2, 90]]", "dominance = []")
    assert "min_contributors = 1" in text and "dominance = []" in text
    methodology_path(settings).write_text(text, encoding="utf-8")
    recompute(settings, who="ada")


def test_an_upload_after_publication_changes_no_figure_of_the_release_and_a_revision_lists_what_moved(
        staffed, tmp_path):
    without_disclosure(staffed)
    rel = create(staffed)
    assert run(staffed, "release", "approve", "1", user="ming").exit_code == 0
    publish_due(OpsStore(staffed.ops_path), EMBARGO_ENDS)
    frozen = release_path(staffed, rel)
    before = table_hashes(frozen)
    # the province lands a correction: Shenyang x 13 x 2022 employment 100 -> 120; the official build moves
    path = tmp_path / "correction.csv"
    path.write_text(CORRECTION, encoding="utf-8")
    assert run(staffed, "ingest", str(path), "--kind", "regional-industry", user="ada").exit_code == 0
    assert run(staffed, "recompute", user="ada").exit_code == 0
    live = table_hashes(staffed.warehouse_path)
    assert live["fact_regional_industry"] != before["fact_regional_industry"]
    # not one figure of the published release changed: every table's content hash, and the file's bytes
    assert table_hashes(frozen) == before and sha256_file(frozen) == rel["sha256"]
    assert run(staffed, "release", "verify", user="vic").exit_code == 0
    # the revision: release 2 revises 1, with a note, and lists every figure that moved
    assert run(staffed, "release", "create", "--title", "x", "--publish-at", PUBLISH_AT, "--revises", "1",
               user="rita").exit_code == 1  # a revision needs its note
    rev = create(staffed, "--revises", "1", "--note", "沈阳市农副食品加工业2022年从业人员更正为120人")
    shown = json.loads(run(staffed, "release", "show", "2", user="ada").output)
    figures = shown["changes"]["figures"]["tables"]
    assert rev["revises"] == 1 and shown["revision_note"].startswith("沈阳市")
    # the facts: exactly one figure, the corrected cell
    assert figures["fact_regional_industry"]["items"] == [{
        "key": {"region_code": "210100", "industry_code": "13", "year": 2022, "measure": "employment"},
        "column": "value", "old": 100.0, "new": 120.0}]
    # the location quotients (hand calculation, employment 2022; before: 210100: 13=100, 37=300; 210200: 13=200,
    # 37=200; total 800. After: 210100 x 13 = 120, total 820). The cell's value, its region's total (both rows of
    # 210100), its industry's total (both rows of 13), the total and the LQ of every employment cell move; the output
    # LQs do not. LQ(210100, 13) = (120/420) / (320/820) = 0.7321428571...
    lq = figures["mart_location_quotient"]["items"]
    moved = {(i["key"]["region_code"], i["key"]["industry_code"], i["column"]) for i in lq}
    cells = {("210100", "13"), ("210100", "37"), ("210200", "13"), ("210200", "37")}
    assert {i["key"]["measure"] for i in lq} == {"employment"}
    core = ("value", "region_total", "industry_total", "total", "lq")
    assert {(r, c, col) for r, c, col in moved if col in core} == (
        {("210100", "13", "value")} | {("210100", i, "region_total") for i in ("13", "37")}
        | {(r, "13", "industry_total") for r in ("210100", "210200")} | {(r, i, "total") for r, i in cells}
        | {(r, i, "lq") for r, i in cells})
    (shenyang,) = [i for i in lq if i["key"]["region_code"] == "210100" and i["key"]["industry_code"] == "13"
                   and i["column"] == "lq"]
    assert shenyang["old"] == pytest.approx((100 / 400) / (300 / 800)) and shenyang["new"] == pytest.approx(
        (120 / 420) / (320 / 820), rel=1e-12)
    # every listed figure, checked against the two files by a second route (polars, not SQL): the same set
    old_lq, new_lq = _lq(frozen), _lq(release_path(staffed, rev))
    by_polars = {(k[0], k[1], col) for k, row in new_lq.items() for col, v in row.items()
                 if abs(v - old_lq[k][col]) > 1e-12 * max(1, abs(v))}
    assert {m for m in moved if m[2] in ("value", "region_total", "industry_total", "total", "lq", "lq_additive")} \
        == by_polars
    # the complete list (CSV, computed again from the two frozen files) counts what the record counts
    assert run(staffed, "release", "figures", "2", user="vic").exit_code == 1  # a draft: staff only
    csv = run(staffed, "release", "figures", "2", user="ada")
    assert csv.exit_code == 0, csv.output
    lines = csv.output.splitlines()
    assert lines[0] == "table,key,column,old,new" and len(lines) - 1 == shown["changes"]["figures"]["figures"]
    key = "region_code=210100; industry_code=13; year=2022; measure=employment"
    assert f"fact_regional_industry,{key},value,100.0,120.0" in lines


def _lq(path: Path) -> dict:
    with read_only(path) as con:
        frame = query(con, "select region_code, industry_code, value, region_total, industry_total, total, lq, "
                           "lq_additive from mart_location_quotient where measure = 'employment' and year = 2022")
    return {(r["region_code"], r["industry_code"]): {k: v for k, v in r.items() if k not in ("region_code",
                                                                                           "industry_code")}
            for r in frame.iter_rows(named=True)}


def test_a_damaged_release_is_found_and_rebuilt_exactly_from_its_vintages(staffed):
    rel = create(staffed)
    path = release_path(staffed, rel)
    rebuilt = run(staffed, "release", "rebuild", "1", "--json", user="ada")
    assert rebuilt.exit_code == 0, rebuilt.output
    result = json.loads(rebuilt.output)
    assert result["compared"] and result["identical"] and result["differing"] == [] and result["tables"] > 40
    original = table_hashes(path)
    # damage the frozen file: status and verify say so
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2)
        fh.write(b"\xa5" * 4096)  # (not zeros: a free block may be zeros already)
    verify = run(staffed, "release", "verify", user="vic")
    assert verify.exit_code == 1 and "release 1: its file" in verify.output and "has changed" in verify.output
    status = run(staffed, "status", user="ada")
    assert "Problem: release 1: its file" in status.output
    # restored from its vintages and methodology: every table's content as frozen
    restored = json.loads(run(staffed, "release", "rebuild", "1", "--restore", "--json", user="ada").output)
    assert restored["restored"] is True
    now = release(OpsStore(staffed.ops_path), 1)
    assert run(staffed, "release", "verify", user="vic").exit_code == 0
    assert now["sha256"] == sha256_file(release_path(staffed, now)) and not path.exists()
    # the restored file holds the same content as the original release did, protected from the kept build file
    restored_hashes = table_hashes(release_path(staffed, now))
    assert restored_hashes == original
    kept = table_hashes(staffed.data_dir / "builds" / f"{rel['build_id']}.duckdb")
    assert {t for t in set(kept) | set(restored_hashes) if kept.get(t) != restored_hashes.get(t)} <= {
        *MASKED, "disclosure_cell", "disclosure_firm_group", "disclosure_report", "fact_firm"}
    assert ("ada", "release_restored") in [(e["who"], e["action"]) for e in audit_log(staffed)]


PUBLISHER = """
import sys
from datetime import datetime, UTC
from pipeline.core.ops import OpsStore
from pipeline.core.publication import publish_due
print(publish_due(OpsStore(sys.argv[1]), datetime(2030, 7, 1, tzinfo=UTC)), flush=True)
"""


def test_kill_9_during_publication_leaves_the_release_approved_never_half(staffed):
    create(staffed)
    assert run(staffed, "release", "approve", "1", user="ming").exit_code == 0
    env = {**os.environ, "CLUSTERSTATS_PAUSE_AT": "publish", "CLUSTERSTATS_PAUSE_SECONDS": "60"}
    child = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(staffed.ops_path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_write_locked(staffed.ops_path)  # the child is inside its transaction
        time.sleep(1.0)  # past its update and audit row (microseconds), in the pause before the commit
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    store = OpsStore(staffed.ops_path)
    assert (release(store, 1)["status"], release(store, 1)["published_at"]) == ("approved", None)
    assert "release_published" not in [e["action"] for e in audit_log(staffed)]
    # the next tick publishes it, once
    assert publish_due(store, datetime(2030, 7, 1, tzinfo=UTC)) == [1]
    assert publish_due(store, datetime(2030, 7, 2, tzinfo=UTC)) == []
    assert release(store, 1)["status"] == "published"
    assert [e["action"] for e in audit_log(staffed)].count("release_published") == 1


def _wait_until_write_locked(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        con = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            con.execute("begin immediate")
            con.execute("rollback")
        except sqlite3.OperationalError:  # "database is locked": the child holds the write lock
            return
        finally:
            con.close()
        time.sleep(0.05)
    raise AssertionError("the publisher never started its transaction")
