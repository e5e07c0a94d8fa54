"""Money in another currency (issue 15): a dataset in US dollars is kept in dollars and shown in dollars; a build
never adds yuan to dollars.

The data are the tiny set of tests/conftest.py with its money declared in dollars: output in thousand USD in the
regional records (x 1,000 on landing), USD in the cluster indicators and the firms, so the figures are the tiny
set's. (With the firms' output left in yuan, the build stops: that is the last test.)
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import CLUSTER_INDICATORS_CSV, FIRMS_CSV, TINY, land_all
from streamlit.testing.v1 import AppTest

from pipeline.core.errors import AuditFailed
from pipeline.core.settings import Settings
from pipeline.ingest import check_upload
from pipeline.ingest.units import unit_canonical, unit_factor
from pipeline.ingest.upload import ingest_file
from pipeline.jobs.build import recompute
from warehouse.db import read_only

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
# the tiny set's regional records with output in thousand USD: 50,000 (万元 in the tiny set) -> 500,000 k USD, so
# that every value lands as the same number (5e8), now of dollars
REGIONAL_USD = """地区代码,行业代码,年份,从业人员(人),工业总产值(千美元)
210100,13,2022,100,500000
210100,37,2022,300,4000000
210200,13,2022,200,1500000
210200,37,2022,200,1000000
"""
INDICATORS_USD = CLUSTER_INDICATORS_CSV.replace("output_value,", "output_value (USD),").replace(
    "rd_spending,", "rd_spending (USD),").replace("exports,", "exports (USD),")
FIRMS_USD = FIRMS_CSV.replace("output_value", "output_value (USD)")


def _files(tmp_path: Path, regional: str, indicators: str) -> list[tuple[str, Path]]:
    files = []
    for kind, name, text in TINY:
        text = {"regional-industry": regional, "cluster-indicators": indicators, "firms": FIRMS_USD}.get(kind, text)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files.append((kind, path))
    return files


def test_currency_units():
    # a currency unit scales within its currency and names it; yuan units keep the default
    assert unit_factor("千美元") == ("money", 1e3) and unit_canonical("千美元") == "USD"
    assert unit_factor("thousand USD") == ("money", 1e3) and unit_canonical("USD thousands") == "USD"
    assert unit_factor("百万欧元") == ("money", 1e6) and unit_canonical("€") == "EUR"
    assert unit_canonical("万元") == "yuan" and unit_canonical("万人") == "persons"


@pytest.fixture(scope="module")
def usd(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("usd")
    settings = Settings.from_env(root / "data")
    land_all(settings, _files(root, REGIONAL_USD, INDICATORS_USD))
    recompute(settings, who="tester")
    return settings


def test_a_dataset_in_dollars_is_kept_and_shown_in_dollars(usd, monkeypatch):
    with read_only(usd.warehouse_path) as con:
        units = dict(con.sql("select measure, unit from mart_measure_unit").fetchall())
        ((output,),) = con.sql("""select sum(value) from fact_regional_industry
                                  where measure = 'output_value' and region_code = '210100'""").fetchall()
    assert units["output_value"] == units["rd_spending"] == units["exports"] == "USD"
    assert units["employment"] == "persons"
    assert output == 4.5e9  # 500,000 + 4,000,000 thousand USD
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(usd.data_dir))
    reports = []
    import ui.exports_ui

    monkeypatch.setattr(ui.exports_ui, "download_row", lambda report, **_: reports.append(report))
    for lang, expected in (("en", "5.00 bn USD"), ("zh", "50.0亿美元")):  # GB/T 15835: no space before 亿美元
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page("views/scorecard.py").run()
        assert not at.exception
        shown = {m.label: m.value for m in at.metric}
        assert shown["Output" if lang == "en" else "总产值"] == expected  # the EQ cluster's 5e9 dollars
        # and the Excel export of the page says the same
        book = openpyxl.load_workbook(io.BytesIO(ui.exports_ui.report_xlsx(reports[-1])))
        about = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
        # a number, in the unit its label names (5e9 dollars = 5.00 bn = 50.0 亿)
        label, number = ("Output (bn USD)", 5.0) if lang == "en" else ("总产值（亿美元）", 50.0)
        assert about[label] == number
        assert not any("yuan" in str(v) or "亿元" in str(v) for v in [*about.keys(), *about.values()])


def test_a_build_never_adds_yuan_to_dollars(usd, tmp_path):
    # a revision of the regional records in 万元 (yuan) beside the dollars: the build stops, naming both
    path = tmp_path / "yuan.csv"
    path.write_text("地区代码,行业代码,年份,工业总产值(万元)\n210100,13,2021,50000\n", encoding="utf-8")
    ingest_file(usd, path, "regional-industry", who="tester")
    with pytest.raises(AuditFailed) as raised:
        recompute(usd, who="tester")
    message = str(raised.value)
    assert "money in more than one currency" in message and "USD" in message and "yuan" in message
    assert "yuan.csv" in message and "regional.csv" in message
    with read_only(usd.warehouse_path) as con:  # the dollar build stays live
        assert con.sql("select unit from mart_measure_unit where measure = 'output_value'").fetchall() == [("USD",)]


def test_one_file_in_two_currencies_is_refused(settings, tiny_files):
    land_all(settings, tiny_files[:2])
    checked = check_upload(settings, "地区代码,行业代码,年份,工业总产值(千美元),工资总额(万元)\n210100,13,2022,5,6\n"
                           .encode(), "mixed.csv", "regional-industry", this_year=2026)
    (error,) = [f for f in checked.report.failures if f.rule == "mixed_currency"]
    assert (error.row, error.column, error.value) == (1, "工业总产值(千美元)", "千美元")
    assert "工资总额(万元) (yuan)" in error.fix and "(USD)" in error.fix


def test_warnings_speak_of_the_files_currency(settings, tiny_files):
    # exports larger than output in one record: the warning gives both values in the column's currency
    land_all(settings, tiny_files[:2])
    text = "地区代码,行业代码,年份,工业总产值(千美元),出口交货值(千美元)\n210100,13,2022,5,6\n"
    checked = check_upload(settings, text.encode(), "usd.csv", "regional-industry", this_year=2026)
    (warning,) = [f for f in checked.report.warnings if f.rule == "exports_over_output_value"]
    assert "6,000 USD" in warning.fix and "5,000 USD" in warning.fix and "yuan" not in warning.fix
    assert "美元" in warning.fix_zh
