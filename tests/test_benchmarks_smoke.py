"""`make bench` at province scale, as CI runs it: every step runs and reports its figures (times are never
asserted; they are read by people, in the issue notes and the README)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


def test_bench_smoke_run_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run([sys.executable, "-m", "benchmarks.run", "--scale", "province", "--out", str(out)],
                         cwd=REPO, capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ratios (targets" in run.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    steps = ["duckdb_read:regional-industry", "ingest:regional-industry", "duckdb_read:firms", "ingest:firms",
             "recompute", "recompute_again", "index_code", "sql_floor", "pandas_way", "ui_loaders", "protect:gauss",
             "protect:certificates"]
    for step in steps:
        assert results[step]["seconds"] > 0 and results[step]["peak_mib"] > 0, step
        assert step == "ui_loaders" or results[step]["cpu_seconds"] > 0, step  # CPU beside wall time
    # the same synthetic files went through every step: the index code and both baselines saw the same records
    assert results["index_code"]["rows"] == results["sql_floor"]["rows"] == results["pandas_way"]["rows"]
    assert results["ingest:firms"]["rows"] == results["duckdb_read:firms"]["rows"] == 100_000
    # both disclosure methods protected the same table: the same cells, the same primary cells
    assert results["protect:gauss"]["rows"] == results["protect:certificates"]["rows"] > 0
    assert results["protect:gauss"]["primary"] == results["protect:certificates"]["primary"] > 0
    assert (results["protect:gauss"]["method"], results["protect:certificates"]["method"]) == ("gauss", "certificates")
    # every read behind the app's pages is timed, the data page's and the methodology preview's included
    assert {"dictionaries", "overview", "ranking", "scorecard", "region_profile", "data_quality",
            "scoring_inputs (methodology preview)", "index_matrix:lq", "index_matrix:cluster_lq",
            "compare_clusters"} <= set(results["ui_loaders"]["loaders"])
    assert set(results["ratios"]) == {"ingest regional-industry / DuckDB read", "ingest firms / DuckDB read",
                                      "LQ+HHI index code / SQL floor", "pandas / LQ+HHI index code"}
