"""Each page of the app, run with Streamlit's AppTest on a warehouse built by the real recompute path."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.ops import OpsStore
from warehouse import queries

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")


def _app(settings, monkeypatch, lang: str = "en") -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_the_kpis(built, monkeypatch):
    at = _app(built, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    # two clusters, output 5e9 + 2e9 = 7e9 yuan, employment 10000 + 8000; the two scores mirror each other
    # (73.61 and 26.39, hand calculation in test_scoring_tiny.py), so their median is 50
    assert metrics == {"Clusters": "2", "Emerging clusters": "0", "Cluster output": "7.00 bn yuan",
                       "Cluster employment": "18,000 persons", "Median score": "50.0"}
    build = queries.build_info(built.warehouse_path)
    assert any(build["build_id"] in c.value for c in at.caption)


def test_overview_in_chinese(built, monkeypatch):
    at = _app(built, monkeypatch, lang="zh")
    metrics = {m.label: m.value for m in at.metric}
    # 7e9 yuan = 70 亿元; 18,000 persons = 1.8 万人
    assert metrics["集群总产值"] == "70.0 亿元" and metrics["集群从业人员"] == "1.80 万人"


def test_scorecard_shows_score_rank_and_indicators(built, monkeypatch):
    at = _app(built, monkeypatch)
    at.switch_page("views/scorecard.py").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Shenyang aviation equipment cluster"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rank"] == "1 of 2" and metrics["Size band"] == "1-10 bn yuan"
    # EQ = (scale 100 + agglomeration 66.67 + growth 100 + innovation 75 + efficiency 100 + openness 0) / 6
    # = 73.61 (the six pillars it reports; hand calculation in test_scoring_tiny.py)
    assert float(metrics["Score"]) == pytest.approx(441.6667 / 6, abs=0.05)
    indicators = at.dataframe[0].value
    assert len(indicators) == 19  # every indicator of the default methodology, reported or not
    at.selectbox(key="scorecard_cluster_en").set_value("LN-AG-001").run()
    assert at.header[0].value == "Dalian food processing cluster"
    assert {m.label: m.value for m in at.metric}["Rank"] == "2 of 2"


def test_pages_say_plainly_when_there_is_no_data(settings, monkeypatch):
    at = _app(settings, monkeypatch)
    assert any("There is no data yet" in i.value for i in at.info)
    at.switch_page("views/scorecard.py").run()
    assert any("There is no data yet" in i.value for i in at.info)


def test_upload_page_reports_errors_and_lands_a_valid_file(built, monkeypatch):
    at = _app(built, monkeypatch)
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_kind_en").set_value("regional-industry").run()
    bad = "地区代码,行业代码,年份,从业人员\n219900,13,2022,5\n210100,37,2022,-1\n".encode()
    at.file_uploader(key="upload_file").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("bad.csv: 2 problem(s) in 2 row(s) of 2")
    report = at.dataframe[0].value  # the report comes first, then the counts per rule
    assert list(zip(report["row"], report["column"], report["rule"], strict=True)) == [
        (2, "地区代码", "unknown_code"), (3, "从业人员", "negative_value")]
    assert OpsStore(built.ops_path).uploads("regional-industry")[-1].vintage == 1  # nothing landed

    good = "地区代码,行业代码,年份,从业人员\n210100,13,2022,140\n".encode()
    at.file_uploader(key="upload_file").upload("good.csv", good, "text/csv").run()
    assert any("All 1 rows are valid" in s.value for s in at.success)
    at.button(key="upload_land").click().run()
    assert not at.exception, at.exception
    landed = OpsStore(built.ops_path).uploads("regional-industry")[-1]
    assert (landed.file_name, landed.vintage, landed.who) == ("good.csv", 2, "local user")
    # the rebuild ran: the live build includes the new upload
    assert queries.build_info(built.warehouse_path)["landing_seq"] == landed.seq
    history = at.dataframe[-1].value  # the upload history closes the page
    assert history.iloc[0]["File"] == "good.csv"


def test_a_warehouse_from_another_version_is_said_and_serve_rebuilds_it(built, monkeypatch):
    import duckdb
    from click.testing import CliRunner

    from pipeline import cli as cli_module

    con = duckdb.connect(str(built.warehouse_path))  # simulate a build by other code
    con.sql("update _build set schema_version = 'older'")
    con.close()
    at = _app(built, monkeypatch)
    assert at.error and "built by another version" in at.error[0].value
    assert not at.metric  # the page stopped rather than crash on tables it does not know

    served = []
    monkeypatch.setattr(cli_module.os, "execve", lambda exe, args, env: served.append(args))
    result = CliRunner().invoke(cli_module.cli, ["--data-dir", str(built.data_dir), "serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert "rebuilding it from the landing zone" in result.output
    assert queries.is_current(queries.build_info(built.warehouse_path))
    assert served and served[0][served[0].index("--server.port") + 1] == "8765"
