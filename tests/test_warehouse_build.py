"""Round trips: files -> landing -> recompute -> warehouse marts give back what went in, computed right."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import polars as pl
import pytest

from pipeline.core.errors import AuditFailed, NoWarehouse
from pipeline.core.ops import OpsStore
from pipeline.ingest import ingest_bytes
from pipeline.jobs.build import recompute
from schemas import KINDS
from warehouse import queries
from warehouse.build import STAGING_TABLES
from warehouse.db import read_only


def _q(settings, sql: str) -> pl.DataFrame:
    with read_only(settings.warehouse_path) as con:
        return con.sql(sql).pl()


def test_location_quotients_match_the_hand_calculation(built):
    lq = _q(built, "select region_code, industry_code, lq, specialised from mart_location_quotient "
                   "where measure = 'employment' and year = 2022 order by all")
    # conftest table: e_r = 400 and 400, e_i = 300 (13) and 500 (37), e = 800.
    # Shenyang 13: (100/400)/(300/800) = 0.25/0.375 = 2/3;  Shenyang 37: (300/400)/(500/800) = 0.75/0.625 = 1.2
    # Dalian 13:   (200/400)/(300/800) = 0.5/0.375 = 4/3;   Dalian 37:   (200/400)/(500/800) = 0.5/0.625 = 0.8
    assert lq.get_column("lq").to_list() == pytest.approx([2 / 3, 1.2, 4 / 3, 0.8])
    assert lq.get_column("specialised").to_list() == [False, True, True, False]


def test_output_lands_in_yuan_and_lq_uses_it(built):
    out = _q(built, "select region_code, industry_code, value, lq from mart_location_quotient "
                    "where measure = 'output_value' order by all")
    # 50000 万元 = 5e8 yuan ... ; e_r = 4.5e9 (Shenyang), 2.5e9 (Dalian); e_13 = 2e9, e_37 = 5e9, e = 7e9.
    # Dalian 13: (1.5e9/2.5e9)/(2e9/7e9) = 0.6/0.285714 = 2.1
    assert out.get_column("value").to_list() == [5e8, 4e9, 1.5e9, 1e9]
    assert out.get_column("lq").to_list() == pytest.approx([(5e8 / 4.5e9) / (2 / 7), (4e9 / 4.5e9) / (5 / 7),
                                                            2.1, (1e9 / 2.5e9) / (5 / 7)])


def test_herfindahl_marts(built):
    geo = _q(built, "select industry_code, hhi, hhi_normalised from mart_industry_concentration "
                    "where measure = 'employment' order by industry_code")
    # industry 13 across the two cities: shares 1/3 and 2/3 -> H = 1/9 + 4/9 = 5/9; H* = (5/9 - 1/2)/(1 - 1/2) = 1/9
    # industry 37: shares 0.6 and 0.4 -> H = 0.36 + 0.16 = 0.52; H* = (0.52 - 0.5)/0.5 = 0.04
    assert geo.rows() == [("13", pytest.approx(5 / 9), pytest.approx(1 / 9)), ("37", pytest.approx(0.52),
                                                                               pytest.approx(0.04))]
    div = _q(built, "select region_code, hhi from mart_region_profile where measure = 'employment' order by 1")
    # Shenyang: 0.25^2 + 0.75^2 = 0.625; Dalian: 0.5^2 + 0.5^2 = 0.5
    assert div.rows() == [("210100", pytest.approx(0.625)), ("210200", pytest.approx(0.5))]
    firms = _q(built, "select cluster_code, hhi, cr4 from mart_cluster_firm_concentration "
                      "where measure = 'employment' order by 1")
    # EQ firms 6000/3000/1000 of 10000: 0.36 + 0.09 + 0.01 = 0.46; AG 4000/4000: 0.5. CR4 = 1 (<= 4 firms).
    assert firms.rows() == [("LN-AG-001", pytest.approx(0.5), 1.0), ("LN-EQ-001", pytest.approx(0.46), 1.0)]


def test_cluster_lq_rolls_industries_up_to_clusters(built):
    lq = _q(built, "select region_code, category_code, value, region_total, lq from mart_category_lq "
                   "where measure = 'employment' order by all")
    # The tiny set is in the layout before categories (a map keyed by cluster, clusters without a category): each
    # cluster is a category of its own, coded like it.
    # LN-EQ-001 = industry 37 (weight 1), LN-AG-001 = industry 13 (weight empty -> 1): the cluster LQs equal
    # the industry LQs above, and region totals are the cities' all-industry employment (400 each).
    assert lq.rows() == [
        ("210100", "LN-AG-001", 100.0, 400.0, pytest.approx(2 / 3)),
        ("210100", "LN-EQ-001", 300.0, 400.0, pytest.approx(1.2)),
        ("210200", "LN-AG-001", 200.0, 400.0, pytest.approx(4 / 3)),
        ("210200", "LN-EQ-001", 200.0, 400.0, pytest.approx(0.8)),
    ]


def test_zone_groupings_and_dimensions(built):
    groups = _q(built, "select * from bridge_region_group order by 1")
    assert groups.rows() == [("210100", "Z-CENTRAL"), ("210200", "Z-COASTAL")]
    assert _q(built, "select count(*) as n from dim_region").item() == 5


def test_newest_vintage_wins_per_measure_and_old_vintages_stay_readable(built):
    # A correction for one record and one measure; the other measure of that record is not repeated.
    ingest_bytes(built, "地区代码,行业代码,年份,从业人员\n210100,13,2022,140\n".encode(), "fix.csv",
                 "regional-industry", who="corrector")
    recompute(built)
    facts = _q(built, "select measure, value, vintage from fact_regional_industry "
                      "where region_code = '210100' and industry_code = '13' order by measure")
    # employment from vintage 2 (the correction); output_value kept from vintage 1 (not erased by the gap)
    assert facts.rows() == [("employment", 140.0, 2), ("output_value", 5e8, 1)]
    history = _q(built, "select employment, vintage from stg_regional_industry "
                        "where region_code = '210100' and industry_code = '13' order by vintage")
    assert history.rows() == [(100.0, 1), (140.0, 2)]
    # and the LQ follows: Shenyang 13 = (140/440)/(340/840)
    lq = _q(built, "select lq from mart_location_quotient where region_code = '210100' and industry_code = '13' "
                   "and measure = 'employment'").item()
    assert lq == pytest.approx((140 / 440) / (340 / 840))


def test_build_records_itself(built):
    info = queries.build_info(built.warehouse_path)
    assert info is not None and info["uploads"] == 7 and info["demo_data"] is False
    assert info["landing_seq"] == 7 and info["who"] == "tester"
    builds = OpsStore(built.ops_path).builds()
    assert [b["status"] for b in builds] == ["succeeded"]


def test_staging_ddl_matches_the_upload_schemas(built):
    """Guard against drift: every kind's columns are the staging table's columns (plus lineage)."""
    lineage = {"source_row", "upload_id", "vintage", "seq"}
    for kind, table in STAGING_TABLES.items():
        cols = _q(built, f"select column_name from duckdb_columns() where table_name = '{table}'")
        assert set(cols.get_column("column_name")) - lineage == set(KINDS[kind].columns), kind


def test_a_failing_audit_stops_the_build_and_keeps_the_previous_warehouse(built, monkeypatch):
    before = queries.build_info(built.warehouse_path)
    from pipeline.marts import scores as marts_scores

    original = marts_scores.scores

    def broken(reported, extra, methodology):  # a bug that would publish a score of 120
        marts = original(reported, extra, methodology)
        marts["mart_cluster_score"] = marts["mart_cluster_score"].with_columns(pl.lit(120.0).alias("score"))
        return marts

    monkeypatch.setattr(marts_scores, "scores", broken)
    with pytest.raises(AuditFailed) as info:
        recompute(built)
    assert "05_scores_in_range.sql" in str(info.value) and "LN-EQ-001" in str(info.value)
    assert queries.build_info(built.warehouse_path)["build_id"] == before["build_id"]
    assert not built.next_warehouse_path.exists()
    last = OpsStore(built.ops_path).builds()[0]
    assert last["status"] == "failed" and last["message"].startswith("step audits:")


@pytest.mark.parametrize("table, key", [("fact_regional_industry", "region_code"), ("fact_firm", "firm_id")])
def test_duplicated_facts_stop_the_build(built, monkeypatch, table, key):
    """The marts trust the facts' keys (keys_checked) because audit 01, run before them, stops a build whose facts
    repeat one."""
    from warehouse.build import Builder

    original = Builder.run_staging

    def duplicating(self):  # a staging bug that would count one record twice
        original(self)
        self.connection.execute(f"insert into {table} select * from {table} order by {key} limit 1")

    monkeypatch.setattr(Builder, "run_staging", duplicating)
    before = queries.build_info(built.warehouse_path)["build_id"]
    with pytest.raises(AuditFailed) as info:
        recompute(built)
    assert "01_fact_keys_unique.sql found 1 bad row" in str(info.value) and table in str(info.value)
    assert queries.build_info(built.warehouse_path)["build_id"] == before
    last = OpsStore(built.ops_path).builds()[0]
    assert last["status"] == "failed" and last["message"].startswith("step staging:")


def test_no_warehouse_yet_is_said_plainly(settings):
    assert queries.build_info(settings.warehouse_path) is None
    with pytest.raises(NoWarehouse, match="recompute"):
        queries.cluster_list(settings.warehouse_path, 2022)


def test_init_is_idempotent_and_an_empty_build_works(settings, cli_env):
    cmd = [sys.executable, "-m", "pipeline.cli", "init"]
    first = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, check=True)
    assert "Warehouse created" in first.stdout
    second = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, check=True)
    assert "exists" in second.stdout and "0 migration(s) applied" in second.stdout
    info = json.loads(subprocess.run([*cmd[:-1], "status", "--json"], env=cli_env, capture_output=True,
                                     text=True, check=True).stdout)
    assert info["build"]["uploads"] == 0 and info["tables"]["mart_cluster_score"] == 0


def test_readers_keep_their_build_while_a_new_one_is_swapped_in(built):
    con = duckdb.connect(str(built.warehouse_path), read_only=True)
    try:
        old = con.sql("select build_id from _build").fetchall()[0][0]
        recompute(built)
        # the open reader still sees its build, complete; a new reader sees the new one
        assert con.sql("select build_id from _build").fetchall()[0][0] == old
        assert con.sql("select count(*) from mart_cluster_score").fetchall()[0][0] == 4
    finally:
        con.close()
    assert queries.build_info(built.warehouse_path)["build_id"] != old


def test_cluster_reported_by_region_parts_is_summed(landed):
    # A cluster reported in two parts (Shenyang and Dalian) and no whole-cluster row for 2020:
    # output 1e9 + 5e8 = 1.5e9, employment 3000 + 1000 = 4000.
    text = ("cluster_code,region_code,year,output_value,employment\n"
            "LN-EQ-001,210100,2020,1000000000,3000\nLN-EQ-001,210200,2020,500000000,1000\n")
    ingest_bytes(landed, text.encode(), "parts.csv", "cluster-indicators")
    recompute(landed)
    row = _q(landed, "select output_value, employment, size_band from mart_cluster_score "
                     "where cluster_code = 'LN-EQ-001' and year = 2020").row(0)
    assert row == (1.5e9, 4000.0, "1-10 billion")
    kpi = queries.overview_kpis(landed.warehouse_path, 2022)
    # 2022 from the whole-cluster rows: employment 10000 + 8000; 2021: 9500 + 8200
    assert (kpi["employment"], kpi["employment_prev"]) == (18000.0, 17700.0)


@pytest.mark.parametrize(
    "kinds",
    [
        ("regions", "industries"),
        ("regions", "industries", "regional-industry"),
        ("regions", "industries", "clusters", "cluster-indicators"),
        ("regions", "industries", "clusters", "firms"),
        ("regions", "industries", "clusters", "cluster-industries", "firms"),
    ],
    ids=["dictionaries", "records-only", "indicators-only", "firms-only", "no-records"],
)
def test_a_build_works_with_any_subset_of_kinds(settings, tiny_files, kinds):
    from conftest import land_all

    land_all(settings, [(k, p) for k, p in tiny_files if k in kinds])
    result = recompute(settings)
    assert queries.build_info(settings.warehouse_path)["build_id"] == result.build_id
    counts = queries.table_counts(settings.warehouse_path)
    assert (counts["mart_location_quotient"] > 0) == ("regional-industry" in kinds)
    assert (counts["mart_cluster_score"] > 0) == ("cluster-indicators" in kinds)
    assert (counts["mart_cluster_firm_concentration"] > 0) == ("firms" in kinds)


def test_the_pages_read_small_summaries_written_by_the_build(built):
    """Coverage, levels, province output and lead-region LQs come from tables the build writes, so that no page
    scans the facts (a census holds tens of millions of rows). Tiny set (tests/conftest.py): Shenyang 210100 and
    Dalian 210200, divisions 13 and 37, 2022, employment and output in every cell."""
    quality = queries.data_quality(built.warehouse_path)
    coverage = quality["regions"].select("region_code", "year", "cells", "industries", "measures").rows()
    # 2 industries x 2 measures = 4 long records per city
    assert coverage == [("210100", 2022, 4, 2, 2), ("210200", 2022, 4, 2, 2)]
    assert queries.levels(built.warehouse_path) == {"region_level": "city", "industry_level": "division"}
    inputs = queries.scoring_inputs(built.warehouse_path)
    # province output 2022: 50,000 + 400,000 + 150,000 + 100,000 万元 = 700,000 万元 = 7.0e9 yuan
    assert inputs["province"].filter(pl.col("year") == 2022).get_column("province_output").item() == 7.0e9
    # every lead-region LQ the preview reads is its category's in mart_category_lq for that cluster's lead region
    with read_only(built.warehouse_path) as con:
        direct = con.sql("""select c.code as cluster_code, l.year, l.measure, l.lq from mart_category_lq l
                            join dim_cluster c on c.category_code = l.category_code
                                              and c.lead_region = l.region_code
                            where l.measure in ('employment', 'output_value') order by all""").pl()
    summary = inputs["cluster_lq"].select("cluster_code", "year", "measure", "lq").sort(pl.all())
    assert summary.height == direct.height > 0 and summary.equals(direct.sort(pl.all()))


def test_the_index_heatmap_keeps_the_largest_industries_and_regions(built):
    # employment 2022: division 13 = 100 + 200 = 300, 37 = 300 + 200 = 500; both cities 400 (tie: by code)
    one = queries.index_matrix(built.warehouse_path, "lq", measure="employment", region_level="city",
                               industry_level="division", year=2022, max_columns=1, max_rows=1)
    assert one.select("region_code", "industry_code", "columns_total", "rows_total").rows() == [
        ("210100", "37", 2, 2)]
    assert one.get_column("lq").item() == pytest.approx(0.75 / (500 / 800))  # s = 300/400, s_i = 500/800
    everything = queries.index_matrix(built.warehouse_path, "lq", measure="employment", region_level="city",
                                      industry_level="division", year=2022)
    assert everything.height == 4
