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
    # USCMP's clusters are loaded as cluster categories (each mapped to its own entry of an industry dictionary of
    # levels "traded" and "local", so that the warehouse uses exactly that base). USCMP's U.S. totals are not quite
    # the 50-state sums (DC, PR and imputation), hence the small remaining error, one factor per cluster.
    assert figures["cells"] == 3294 and figures["zero_cells_agreeing"] == 56
    assert figures["median_relative_error"] < 0.01
    assert figures["median_relative_error_traded"] < 0.01
    # USCMP's strong flags (strong_b, the 51 traded clusters x 50 states): the category strength mart agrees on all
    # but 3 of 2550, the same 3 as the strength rule run on the CSV with its own LQ (test_indices_clusters.py:
    # test_uscmp_with_our_own_traded_lq), where the 50-state percentiles sit on a boundary that DC moves in USCMP
    strong = figures["strong"]
    assert strong["agree"] + len(strong["differ"]) == 2550 and len(strong["differ"]) == 3
    # the region profile of a state (California, 06) lists its cluster categories, the strong ones exactly those
    # USCMP flags (California is not among the 3 that differ), and no named cluster (USCMP's data has none)
    from warehouse import queries

    assert all(state != "06" for state, _ in strong["differ"])
    profile = queries.region_profile(tmp_path / "data" / "warehouse.duckdb", "06", 2016, "employment",
                                     start_year=None, end_year=None, region_level="state", industry_level="traded")
    assert profile["located"].is_empty()
    california = profile["categories"]
    published = {r["cluster_code_t"] for r in csv.DictReader(
        (shared / "uscmp" / "uscmp_states_clusters_2016.csv").open(encoding="utf-8"))
        if r["region_code_t"] == "06" and r["strong_b"] == "TRUE"}
    assert california.height == 51
    assert set(california.filter(california["strong"]).get_column("category_code")) == published


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


@pytest.fixture(scope="module")
def uscmp_built(realdata, tmp_path_factory):
    shared = shared_data("uscmp", "uscmp_states_clusters_2016.csv").parents[1]
    root = tmp_path_factory.mktemp("uscmp")
    realdata.land_and_build(realdata.uscmp_upload_files(root, shared), root / "data")
    return root / "data"


def test_a_dataset_that_is_not_liaoning_speaks_of_regions_and_shows_its_categories(uscmp_built, monkeypatch):
    # The USCMP sample (states x USCMP clusters loaded as categories, no cluster indicators): the pages say
    # "region" and "share of the total" rather than "city" and "province", the overview says why there are no
    # scores and which methodology would give them, and the region profile of a state shows its categories.
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(uscmp_built))
    app = str(REPO / "ui" / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    (info,) = [i.value for i in at.info]
    assert info.startswith("No composite scores: this dataset has no cluster indicators")
    assert "is not applied to anything else" in info
    at.switch_page("views/region.py").run()
    assert not at.exception
    assert at.header[0].value == "Alabama"  # the first state in the dictionary's order (FIPS 01)
    labels = {m.label for m in at.metric}
    assert "Share of the total" in labels and "Share of the province" not in labels
    assert "Region" in [s.label for s in at.selectbox] and "City" not in [s.label for s in at.selectbox]
    titles = [h.value for h in at.subheader]
    assert "Clusters located here (0)" in titles
    strong = next(d.value for d in at.dataframe if "Cluster category" in d.value.columns)
    assert len(strong) >= 1
    at.session_state["lang"] = "zh"
    at.run()
    labels = {m.label for m in at.metric}
    assert "占全部地区比重" in labels and not any("全省" in x for x in labels)
