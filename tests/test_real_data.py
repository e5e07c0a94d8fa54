"""Real public data through the CLI as a user would run it: write upload files, `clusterstats ingest`, `recompute`.

The conversion and the comparisons live in trials/realdata.py (run it to print the figures of the issue note).
"""

from __future__ import annotations

import csv
import importlib.util

import polars as pl
import pytest
from conftest import REPO, shared_data

from pipeline.indices import location_quotient

pytestmark = pytest.mark.slow


def _trials():
    spec = importlib.util.spec_from_file_location("realdata", REPO / "trials" / "realdata.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def realdata():
    return _trials()


def test_uscmp_cluster_lqs_reproduced_through_ingest_and_recompute(realdata, tmp_path):
    shared = shared_data("uscmp", "uscmp_states_clusters_2016.csv").parents[1]
    files = realdata.uscmp_upload_files(tmp_path, shared)
    realdata.land_and_build(files, tmp_path / "data")
    figures = realdata.uscmp_comparison(tmp_path / "data", shared)
    # USCMP's lq_tf (U.S. Cluster Mapping Project API, 2016; shared/data/uscmp) divides a traded cluster's share of
    # the state's traded employment by its share of U.S. traded employment (local clusters: the local base).
    # Uploading clusters as an industry classification with levels "traded" and "local" makes the warehouse use
    # exactly that base. USCMP's U.S. totals are not quite the 50-state sums (DC, PR and imputation), hence the
    # small remaining error, the same factor for every state of a cluster.
    assert figures["cells"] == 3294 and figures["zero_cells_agreeing"] == 56
    assert figures["median_relative_error"] < 0.01
    assert figures["median_relative_error_traded"] < 0.01


def test_reat_laender_lqs_through_ingest_and_recompute(realdata, tmp_path):
    shared = shared_data("reat", "G_regions_industries.csv").parents[1]
    realdata.land_and_build(realdata.reat_laender_upload_files(tmp_path, shared), tmp_path / "data")
    ours = realdata.warehouse_lq(tmp_path / "data")
    # The same LQs computed by the index library straight from the CSV (the library's LQ is checked against REAT's
    # own functions in test_indices_lq.py): the warehouse path changes nothing.
    rows = list(csv.DictReader((shared / "reat" / "G_regions_industries.csv").open(encoding="utf-8")))
    frame = pl.DataFrame({"region_code": [r["region_code"] for r in rows],
                          "industry_code": [r["ind_code"] for r in rows],
                          "value": [float(r["emp_all"]) for r in rows]})
    direct = location_quotient(frame)
    assert len(ours) == 272 == direct.height
    for region, industry, lq in direct.select("region_code", "industry_code", "lq").iter_rows():
        assert ours[(region, industry)] == pytest.approx(lq, rel=1e-12)
    # hand check of one cell: Brandenburg, mining (B): (e_ri/e_r)/(e_i/e) from the CSV's emp_all column
    bb = [r for r in rows if r["region_code"] == "BB"]
    mining = [r for r in rows if r["ind_code"] == "WZ08-B"]
    e_ri = float(next(r["emp_all"] for r in bb if r["ind_code"] == "WZ08-B"))
    e_r = sum(float(r["emp_all"]) for r in bb)
    e_i = sum(float(r["emp_all"]) for r in mining)
    e = sum(float(r["emp_all"]) for r in rows)
    assert ours[("BB", "WZ08-B")] == pytest.approx((e_ri / e_r) / (e_i / e), rel=1e-12)
    # and REAT 3.0.3's own locq2 numbers for the same data (its five largest LQs and every Berlin LQ; the run is
    # cited in test_indices_lq.py), now through ingest -> landing -> warehouse:
    from test_indices_lq import LOCQ2_BERLIN, LOCQ2_TOP5

    assert {k: ours[k] for k in LOCQ2_TOP5} == pytest.approx(LOCQ2_TOP5, rel=1e-13)
    assert {i: ours[("BE", i)] for i in LOCQ2_BERLIN} == pytest.approx(LOCQ2_BERLIN, rel=1e-13)
