"""A part larger than its whole in one record is a warning on that row (issue 15: cross-column plausibility).

Each rule of pipeline.ingest.consistency.PARTS that the upload kinds can meet is tried with a row that breaks it
and a row exactly at the limit (equal: accepted). Values are compared as they land, in canonical units.
"""

from __future__ import annotations

import pytest
from conftest import land_all

from pipeline.ingest import check_upload
from pipeline.ingest.consistency import PARTS, rule_of

RULES = {rule_of(part, whole) for part, wholes in PARTS for whole in wholes}


@pytest.fixture
def clusters(settings, tiny_files):
    """Regions, industries, clusters and their industries landed (the tiny set's dictionaries)."""
    land_all(settings, tiny_files[:4])
    return settings


def _lines(settings, csv: str, kind: str) -> list[tuple[int, str, str, str | None]]:
    checked = check_upload(settings, csv.encode("utf-8"), "x.csv", kind, this_year=2026)
    assert checked.report.ok, checked.report.format_table()
    return sorted((f.row, f.rule, f.column, f.value) for f in checked.report.warnings if f.rule in RULES)


def test_regional_industry_value_added_and_exports(clusters):
    """Output in 万元, value added and exports in 元 (x 10,000 for output as it lands):
    row 2: value added 5,000,001 元 > output 500 万元 = 5,000,000 元; row 3: value added = output (accepted);
    row 4: exports 6,000,000 元 > output 5,000,000 元; row 5: no output, exports 2,000 > revenue 1,000 元;
    row 6: exports = revenue (accepted)."""
    csv = ("地区代码,行业代码,年份,工业总产值(万元),增加值(元),出口交货值(元),营业收入(元)\n"
           "210100,13,2020,500,5000001,,\n"
           "210100,37,2020,500,5000000,,\n"
           "210200,13,2020,500,,6000000,\n"
           "210200,37,2020,,,2000,1000\n"
           "210100,13,2021,,,1000,1000\n")
    assert _lines(clusters, csv, "regional-industry") == [
        (2, "value_added_over_output_value", "增加值(元)", "5,000,001"),
        (4, "exports_over_output_value", "出口交货值(元)", "6,000,000"),
        (5, "exports_over_revenue", "出口交货值(元)", "2,000"),
    ]


def test_cluster_indicators_parts_of_output_firms_and_employment(clusters):
    """Cluster indicators have no revenue: profit, R&D spending and new-product sales are compared with output
    (1,000 元 here); SME output with output; new firms with firms; R&D staff with employment. Rows 2-7 break one
    rule each, row 8 holds every part equal to its whole."""
    head = "cluster_code,year,output_value,employment,firms,new_firms,rd_staff,profit,rd_spending,new_product_sales," \
           "sme_output,exports\n"
    csv = head + ("LN-EQ-001,2015,1000,10,5,,,1001,,,,\n"
                  "LN-EQ-001,2016,1000,10,5,,,,1001,,,\n"
                  "LN-EQ-001,2017,1000,10,5,,,,,1001,,\n"
                  "LN-EQ-001,2018,1000,10,5,,,,,,1001,\n"
                  "LN-EQ-001,2019,1000,10,5,6,11,,,,,\n"
                  "LN-EQ-001,2020,1000,10,5,,,,,,,1001\n"
                  "LN-AG-001,2020,1000,10,5,5,10,1000,1000,1000,1000,1000\n")
    assert _lines(clusters, csv, "cluster-indicators") == [
        (2, "profit_over_output_value", "profit", "1,001"),
        (3, "rd_spending_over_output_value", "rd_spending", "1,001"),
        (4, "new_product_sales_over_output_value", "new_product_sales", "1,001"),
        (5, "sme_output_over_output_value", "sme_output", "1,001"),
        (6, "new_firms_over_firms", "new_firms", "6"),
        (6, "rd_staff_over_employment", "rd_staff", "11"),
        (7, "exports_over_output_value", "exports", "1,001"),
    ]


def test_the_warning_names_both_columns_and_values_in_both_languages(clusters):
    csv = "地区代码,行业代码,年份,工业总产值(万元),增加值(元)\n210100,13,2020,500,5000001\n"
    checked = check_upload(clusters, csv.encode("utf-8"), "x.csv", "regional-industry", this_year=2026)
    (line,) = [f for f in checked.report.warnings if f.rule in RULES]
    assert line.fix == ("增加值(元) (5,000,001 yuan) is larger than 工业总产值(万元) (5,000,000 yuan) in the same row, "
                        "yet it is part of it: check the unit of each column (万元 or 元?) and that the figures are in "
                        "the right columns.")
    assert line.fix_zh.startswith("同一行中增加值(元)（5,000,001 元）大于工业总产值(万元)（5,000,000 元）")
    assert line.severity == "warning"


def test_a_cluster_is_at_most_its_industries_in_its_own_regions(clusters, tmp_path):
    # Regional records 2022 of division 37 (the tiny set's aviation cluster LN-EQ-001 maps to 37 alone, lead city
    # Shenyang 210100, no member city): Shenyang 300 persons and 12 establishments, Dalian 200 and 8.
    path = tmp_path / "regional.csv"
    path.write_text("region_code,industry_code,year,employment,establishments\n"
                    "210100,37,2022,300,12\n210200,37,2022,200,8\n", encoding="utf-8")
    land_all(clusters, [("regional-industry", path)])
    csv = ("cluster_code,region_code,year,employment,firms\n"
           "LN-EQ-001,,2022,301,12\n"          # the whole cluster: 301 > 300 in its own city (the 500 of both
           "LN-EQ-001,210100,2022,300,13\n")   # cities would hide it); 12 firms = 12 establishments: at the limit
    checked = check_upload(clusters, csv.encode(), "x.csv", "cluster-indicators", this_year=2026)
    assert checked.report.ok, checked.report.format_table()
    lines = sorted((f.row, f.column, f.value) for f in checked.report.warnings if f.rule == "exceeds_industries")
    # row 3: Shenyang, 300 persons = 300 at the limit; 13 firms > 12 establishments
    assert lines == [(2, "employment", "301"), (3, "firms", "13")]
    fixes = {f.row: f.fix for f in checked.report.warnings if f.rule == "exceeds_industries"}
    assert "in its own regions (210100" in fixes[2] and "establishments" in fixes[3]
