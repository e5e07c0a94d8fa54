"""The pages that change something, with AppTest on the tiny set built by the real recompute path: Upload
(validation report, rejected rows, landing, the rebuild), Methodology (preview, save a version) and Jobs
(run now, schedules, history with the change report)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.core.ops import OpsStore
from pipeline.jobs.methodologies import methodology_path, methodology_text
from pipeline.jobs.schedules import list_schedules
from pipeline.scoring import Methodology
from warehouse import queries

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")


def app(settings, monkeypatch, page: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, *columns: str):
    """The first table showing all of ``columns``."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_upload_reports_every_problem_then_lands_a_fixed_file_and_rebuilds(built, monkeypatch):
    at = app(built, monkeypatch, "upload")
    assert any(b.label == "Template" for b in at.download_button)
    at.selectbox(key="upload_kind_en").set_value("regional-industry").run()
    bad = "地区代码,行业代码,年份,从业人员\n219900,13,2022,5\n210100,37,2022,-1\n".encode()
    at.file_uploader(key="upload_file").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("bad.csv: 2 problem(s) in 2 row(s) of 2")
    report = frame_with(at, "Row", "Column", "Value", "Rule", "Meaning", "How to fix")
    assert list(zip(report["Row"], report["Column"], report["Rule"], strict=True)) == [
        (2, "地区代码", "unknown_code"), (3, "从业人员", "negative_value")]
    counts = frame_with(at, "Rule", "Count")
    assert dict(zip(counts["Rule"], counts["Count"], strict=True)) == {"unknown_code": 1, "negative_value": 1}
    assert any(b.label == "Rejected rows (2)" for b in at.download_button)
    assert not [b for b in at.button if b.key == "upload_land"]  # nothing to land
    assert OpsStore(built.ops_path).uploads("regional-industry")[-1].vintage == 1

    good = "地区代码,行业代码,年份,从业人员\n210100,13,2022,140\n".encode()
    at.file_uploader(key="upload_file").upload("good.csv", good, "text/csv").run()
    assert any("all 1 rows are valid" in s.value for s in at.success)
    at.button(key="upload_land").click().run()
    assert not at.exception, at.exception
    landed = OpsStore(built.ops_path).uploads("regional-industry")[-1]
    assert (landed.file_name, landed.vintage, landed.who) == ("good.csv", 2, "local user")
    assert any("as Regional industry records (regional-industry) vintage 2" in s.value for s in at.success)
    live = queries.build_info(built.warehouse_path)
    assert live["landing_seq"] == landed.seq  # the rebuild ran and is live
    assert any(f"Build {live['build_id']} is live and includes your upload (vintage 2)" in s.value for s in at.success)
    history = at.dataframe[-1].value  # the upload history closes the page
    assert (history.iloc[0]["File"], history.iloc[0]["Vintage"]) == ("good.csv", 2)


def test_upload_page_in_chinese_translates_the_rules(built, monkeypatch):
    at = app(built, monkeypatch, "upload", lang="zh")
    at.selectbox(key="upload_kind_zh").set_value("regional-industry").run()
    bad = "地区代码,行业代码,年份,从业人员\n219900,13,2022,5\n".encode()
    at.file_uploader(key="upload_file").upload("bad.csv", bad, "text/csv").run()
    report = frame_with(at, "行号")
    assert list(report.columns[:5]) == ["行号", "列", "数值", "规则", "含义"]
    assert report["含义"].iloc[0] == "代码不在已入库的字典中"


def test_methodology_preview_moves_ranks_and_save_makes_a_new_version(built, monkeypatch):
    from ui.components_methodology import with_pillar_weights

    at = app(built, monkeypatch, "methodology")
    indicators = frame_with(at, "Weight in pillar")
    assert len(indicators) == 19
    scale = indicators[indicators["Pillar"] == "Scale"]
    assert list(scale["Weight in pillar"].round(3)) == [0.333] * 3  # equal weights: 1/3 of a pillar, 1/21 of all
    assert scale["Weight in index"].iloc[0] == pytest.approx(1 / 21)
    # openness weighs 10: EQ (openness 0) falls to (100 + 66.7 + 100 + 75 + 100 + 0) / 15 = 29.4 and AG (openness
    # 100) rises to (0 + 33.3 + 0 + 25 + 0 + 1000) / 15 = 70.6: they swap places
    text = with_pillar_weights(methodology_text(built), Methodology.default(), {"openness": 10})
    at.text_area(key="methodology_text").set_value(text).run()
    at.button(key="methodology_preview").click().run()
    assert not at.exception, at.exception
    moves = frame_with(at, "Rank with the edit").set_index("Cluster")
    assert moves.loc["Shenyang aviation equipment cluster", "Rank with the edit"] == 2
    assert moves.loc["Dalian food processing cluster", "Move"] == 1
    assert moves.loc["Shenyang aviation equipment cluster", "Score with the edit"] == pytest.approx(441.67 / 15,
                                                                                                   abs=0.01)
    assert not methodology_path(built).exists()  # a preview writes nothing
    at.text_input(key="methodology_name").set_value("openness x10").run()
    at.button(key="methodology_save").click().run()
    saved = Methodology.from_toml(methodology_path(built))
    assert any(saved.hash in s.value for s in at.success)
    at.run()
    assert any(f"Version {saved.hash} is saved" in w.value for w in at.warning)  # active from the next build
    audit = OpsStore(built.ops_path)
    with audit.connect() as con:
        actions = [r[0] for r in con.execute("select action from audit_log")]
    # single-user mode (no accounts): no second administrator exists, so the change applies at once, and the audit
    # log says it had one pair of eyes (with accounts: tests/test_methodology_proposals.py)
    assert "methodology_proposed" in actions and "methodology_approved" in actions


def test_jobs_run_now_schedules_and_history(built, monkeypatch):
    at = app(built, monkeypatch, "jobs")
    assert any("No job worker is running" in i.value for i in at.info)
    at.button(key="jobs_run_now").click().run()  # nothing changed since the fixture's build
    assert any("unchanged" in s.value for s in at.success)
    at.checkbox(key="jobs_force").check().run()
    at.button(key="jobs_run_now").click().run()
    assert not at.exception, at.exception
    assert any("succeeded" in s.value for s in at.success)
    history = frame_with(at, "Job", "Trigger", "Status")
    assert list(history["Status"])[:2] == ["succeeded", "unchanged (nothing new)"]
    assert history["Changes"].iloc[0] == "no change"  # the forced build read the same data as the one before

    at.text_input(key="jobs_new_name").set_value("nightly")
    at.text_input(key="jobs_new_cron").set_value("30 2 * * *")
    at.button[[b.label for b in at.button].index("Add")].click().run()
    assert [s.name for s in list_schedules(built)] == ["nightly"]
    assert frame_with(at, "State")["State"].iloc[0] == "active"
    at.button(key="jobs_pause").click().run()
    assert list_schedules(built)[0].paused
    at.button(key="jobs_remove").click().run()
    assert list_schedules(built) == []


def test_data_page_marks_suppressed_cells(built, monkeypatch):
    from pipeline.ingest import ingest_bytes

    if not hasattr(OpsStore, "cell_flags"):
        pytest.skip("this ingest path does not record suppressed cells yet")
    data = "地区代码,行业代码,年份,从业人员,工业总产值(万元)\n210100,13,2022,…,120\n".encode()
    ingest_bytes(built, data, "suppressed.csv", "regional-industry", who="tester")
    at = app(built, monkeypatch, "data_status")
    assert any("Cells marked missing or suppressed on upload (1)" in m.value for m in at.markdown)
    flags = frame_with(at, "Flag", "Field")
    assert flags.iloc[0][["File", "Row", "Field", "Value", "Flag"]].tolist() == [
        "suppressed.csv", 2, "Employment", "…", "suppressed (confidential)"]
