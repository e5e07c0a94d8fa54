"""The index marts of a build, on the tiny data set (conftest.py), against hand calculations.

employment 2022    industry 13   industry 37   region total   zone
Shenyang 210100        100           300           400         Z-CENTRAL
Dalian   210200        200           200           400         Z-COASTAL
industry total         300           500           800
Clusters: LN-EQ-001 = {37}, LN-AG-001 = {13}.
"""

from __future__ import annotations

import polars as pl
import pytest

from warehouse.db import read_only


def _q(settings, sql: str) -> pl.DataFrame:
    with read_only(settings.warehouse_path) as con:
        return con.sql(sql).pl()


def test_region_profile(built):
    rows = _q(built, "select region_code, krugman, specialisation_coefficient, krugman_against, entropy, diversity, "
                     "value_total from mart_region_profile where measure = 'employment' order by 1").rows()
    # Krugman against the total (the default): Shenyang shares (0.25, 0.75) against (0.375, 0.625):
    # |0.25 - 0.375| + |0.75 - 0.625| = 0.25; Dalian (0.5, 0.5): 0.125 + 0.125 = 0.25. Coefficient = K/2.
    # Entropy: Shenyang -(0.25 log2 0.25 + 0.75 log2 0.75) = 0.5 + 0.3112781 = 0.8112781; Dalian 1.
    # Diversity (industries with LQ >= 1): Shenyang 37 (1.2); Dalian 13 (4/3).
    assert rows == [
        ("210100", pytest.approx(0.25), pytest.approx(0.125), "total", pytest.approx(0.8112781245), 1, 400.0),
        ("210200", pytest.approx(0.25), pytest.approx(0.125), "total", pytest.approx(1.0), 1, 400.0),
    ]


def test_industry_concentration(built):
    rows = _q(built, "select industry_code, krugman, ubiquity, cr4 from mart_industry_concentration "
                     "where measure = 'employment' order by 1").rows()
    # Krugman concentration: regions' shares of the industry against their shares of the whole (0.5, 0.5):
    # 13: |1/3 - 1/2| + |2/3 - 1/2| = 1/3; 37: |0.6 - 0.5| + |0.4 - 0.5| = 0.2. Ubiquity: one region each.
    assert rows == [("13", pytest.approx(1 / 3), 1, 1.0), ("37", pytest.approx(0.2), 1, 1.0)]


def test_balance_across_zones(built):
    row = _q(built, "select n_units, gini, theil, between, within, n_groups, partition_note from mart_balance "
                    "where measure = 'employment'").row(0)
    # Both cities have 400 employees: no imbalance at all; each city is alone in its zone.
    assert row == (2, 0.0, pytest.approx(0.0, abs=1e-15), pytest.approx(0.0, abs=1e-15),
                   pytest.approx(0.0, abs=1e-15), 2, None)
    output = _q(built, "select gini, theil from mart_balance where measure = 'output_value'").row(0)
    # Output: Shenyang 4.5e9, Dalian 2.5e9 (shares 9/14, 5/14). Gini of two units (x1 <= x2):
    # (2(1 x1 + 2 x2) - 3(x1 + x2)) / (2 (x1 + x2)) = (x2 - x1) / (2 (x1 + x2)) = 2e9 / 14e9 = 1/7.
    # Theil T = sum s ln(2 s) = 9/14 ln(18/14) + 5/14 ln(10/14)
    from math import log
    assert output == (pytest.approx(1 / 7), pytest.approx(9 / 14 * log(18 / 14) + 5 / 14 * log(10 / 14)))


def test_cluster_strength_and_region_strength(built):
    strong = _q(built, "select region_code, category_code, lq, strong from mart_category_strength order by 1, 2"
                ).rows()
    # USCMP rule with two regions: percentile ranks round(100/2 (i + 0.5)) = 25 and 75; a cluster is strong where
    # its LQ ranks 75 (>= 75th percentile), LQ >= 1, and its employment ranks above 25:
    # LN-EQ-001: Shenyang LQ 1.2, 300 employees -> strong; Dalian 0.8 -> not. LN-AG-001: Dalian 4/3, 200 -> strong.
    assert strong == [
        ("210100", "LN-AG-001", pytest.approx(2 / 3), False), ("210100", "LN-EQ-001", pytest.approx(1.2), True),
        ("210200", "LN-AG-001", pytest.approx(4 / 3), True), ("210200", "LN-EQ-001", pytest.approx(0.8), False),
    ]
    regions = _q(built, "select region_code, cluster_strength, n_strong from mart_region_category_strength "
                        "order by 1").rows()
    # Shenyang: industry 37 of its strong cluster, 300 / 400; Dalian: industry 13, 200 / 400.
    assert regions == [("210100", 0.75, 1), ("210200", 0.5, 1)]


def test_options_are_recorded_with_the_results(built):
    assert _q(built, "select distinct reference, threshold from mart_location_quotient").rows() == [("internal", 1.0)]
    assert _q(built, "select distinct theil_kind, partition from mart_balance").rows() == [
        ("T", "Z-CENTRAL,Z-COASTAL,Z-WEST")]
    assert _q(built, "select distinct lq_percentile_cut, size_percentile_cut from mart_category_strength").rows() == [
        (75.0, 25.0)]


def test_growth_and_shift_share_marts(built):
    from pipeline.ingest import ingest_bytes
    from pipeline.jobs.build import recompute

    # Employment 2021: Shenyang 13: 80, 37: 300; Dalian 13: 200, 37: 150 (total 730; 2022: 800).
    text = ("地区代码,行业代码,年份,从业人员\n"
            "210100,13,2021,80\n210100,37,2021,300\n210200,13,2021,200\n210200,37,2021,150\n")
    ingest_bytes(built, text.encode(), "2021.csv", "regional-industry")
    recompute(built)
    g = _q(built, "select change, growth_rate, cagr from mart_growth where region_code = '210100' "
                  "and industry_code = '13' and measure = 'employment'").row(0)
    assert g == (20.0, pytest.approx(0.25), pytest.approx(0.25))  # 80 -> 100
    row = _q(built, "select national_share, industry_mix, competitive, change from mart_shift_share "
                    "where region_code = '210100' and industry_code = '13' and measure = 'employment'").row(0)
    # Reference = both cities: g = 70/730, g_13 = 20/280 (280 -> 300).
    # national share 80 g; industry mix 80 (g_13 - g); competitive (100 - 80) - 80 g_13; they sum to 20.
    g_all, g_13 = 70 / 730, 20 / 280
    assert row == (pytest.approx(80 * g_all), pytest.approx(80 * (g_13 - g_all)), pytest.approx(20 - 80 * g_13), 20.0)
