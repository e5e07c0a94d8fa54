"""Readers in other processes during repeated builds by the worker: no errors, every read sees one whole build."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.ingest import ingest_file
from pipeline.jobs.queue import enqueue_upload
from pipeline.jobs.worker import Worker
from warehouse import queries
from warehouse.db import query, read_only, sql_text

pytestmark = pytest.mark.slow

#: A reader as the UI reads: the marts' queries on short read-only connections, in a loop until told to stop.
#: Each line it writes is one read: the build id and the rows read on one connection, or the rows of a public
#: query helper (its own connection), or the error.
READER = r"""
import json, sys, time
from pathlib import Path
from warehouse import queries
from warehouse.db import query, read_only, sql_text

path, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), open(sys.argv[3], "w", encoding="utf-8")
LQ = {"code": "LN-AG-001", "year": 2022, "measure": "employment"}
reads = 0
while not stop.exists() or reads < 3:
    try:
        with read_only(path) as con:
            build = query(con, sql_text("queries/build_info.sql")).row(0, named=True)["build_id"]
            lq = query(con, sql_text("queries/cluster_lq_by_region.sql"), LQ).select("region_code", "lq").rows()
            clusters = query(con, sql_text("queries/cluster_list.sql"), {"year": 2022}).select(
                "cluster_code", "score", "rank").rows()
        out.write(json.dumps({"build": build, "lq": lq, "clusters": clusters}) + "\n")
        helper = queries.cluster_lq_by_region(path, **LQ).select("region_code", "lq").rows()
        out.write(json.dumps({"build": None, "lq": helper}) + "\n")
    except Exception as exc:
        out.write(json.dumps({"error": repr(exc)}) + "\n")
    out.flush()
    reads += 1
    time.sleep(0.05)
out.close()
"""


def _expected(path: Path) -> tuple[str, list, list]:
    """The live build's id and its reader-query rows, JSON round-tripped like the readers' lines."""
    with read_only(path) as con:
        build = query(con, sql_text("queries/build_info.sql")).row(0, named=True)["build_id"]
    lq = queries.cluster_lq_by_region(path, "LN-AG-001", 2022, "employment").select("region_code", "lq").rows()
    clusters = queries.cluster_list(path, 2022).select("cluster_code", "score", "rank").rows()
    return build, json.loads(json.dumps(lq)), json.loads(json.dumps(clusters))


def test_readers_see_one_whole_build_while_the_worker_rebuilds(built, cli_env, tmp_path):
    expected = {}
    build, lq, clusters = _expected(built.warehouse_path)
    expected[build] = (lq, clusters)
    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader{i}.jsonl" for i in range(2)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(built.warehouse_path), str(stop), str(out)],
                                env=cli_env) for out in outs]
    try:
        deadline = time.monotonic() + 60
        while not all(o.exists() and o.stat().st_size for o in outs):
            assert time.monotonic() < deadline, "the readers did not start"
            time.sleep(0.05)
        worker = Worker(built)
        for k in range(2):  # two corrections of Shenyang's agri-food employment, each built by the worker
            path = tmp_path / f"correction{k}.csv"
            path.write_text(f"region_code,industry_code,year,employment\n210100,13,2022,{150 + 60 * k}\n",
                            encoding="utf-8")
            upload = ingest_file(built, path, "regional-industry", who="officer").upload
            enqueue_upload(built, upload, now=datetime.now(UTC))
            (job,) = worker.tick()
            assert job["status"] == "succeeded", job["message"]
            build, lq, clusters = _expected(built.warehouse_path)
            assert build == job["build_id"]
            expected[build] = (lq, clusters)
        time.sleep(0.3)
    finally:
        stop.touch()
        for r in readers:
            r.wait(timeout=60)
    assert len({json.dumps(v[0]) for v in expected.values()}) == 3  # every build read differently
    seen_builds = set()
    reads = 0
    for out in outs:
        for line in out.read_text(encoding="utf-8").splitlines():
            read = json.loads(line)
            assert "error" not in read, read
            reads += 1
            if read["build"] is not None:  # one connection: build id and rows of that same build
                assert read["build"] in expected, read["build"]
                assert (read["lq"], read["clusters"]) == expected[read["build"]]
                seen_builds.add(read["build"])
            else:  # a public helper: the rows of exactly one build
                assert sum(read["lq"] == lq for lq, _ in expected.values()) == 1
    print(f"{reads} reads of {len(seen_builds)} builds")
    assert reads > 20 and len(seen_builds) >= 2  # the readers were reading while the builds swapped
