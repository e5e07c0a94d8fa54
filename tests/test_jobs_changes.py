"""Change reports: every build against the one before it, from the warehouse files kept under data/builds/."""

from __future__ import annotations

import copy
import dataclasses
import json
from importlib import resources

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.cli.jobs import register
from pipeline.core.ops import OpsStore
from pipeline.demo.corrections import demo_correction_files, demo_second_build
from pipeline.ingest import ingest_file
from pipeline.jobs import changes
from pipeline.jobs.build import recompute
from pipeline.jobs.kept import builds_dir, changes_for_cluster, kept_build_path, latest_report, load_report
from pipeline.jobs.moves import score_change_explanations, score_moves
from pipeline.jobs.queue import job_history
from pipeline.scoring import Methodology
from warehouse import queries

# Shenyang's agri-food employment 100 -> 400 (2022). Cities' employment LQs, before -> after (threshold 1):
#   Shenyang 13: (100/400)/(300/800) = 0.667 -> (400/700)/(600/1100) = 1.048  gained
#   Shenyang 37: (300/400)/(500/800) = 1.2   -> (300/700)/(500/1100) = 0.943  lost
#   Dalian 13:   (200/400)/(300/800) = 1.333 -> (200/400)/(600/1100) = 0.917  lost
#   Dalian 37:   (200/400)/(500/800) = 0.8   -> (200/400)/(500/1100) = 1.1    gained
# The clusters map one industry each (LN-AG-001: 13, LN-EQ-001: 37), so their LQs cross the same way.
CORRECTION = "地区代码,行业代码,年份,从业人员(人)\n210100,13,2022,400\n"


def _land_correction(settings, tmp_path):
    path = tmp_path / "correction.csv"
    path.write_text(CORRECTION, encoding="utf-8")
    return ingest_file(settings, path, "regional-industry", who="officer").upload


def _crossings(report: dict, key: str) -> set[tuple]:
    code = "category_code" if key.startswith("mart_category_lq") else "industry_code"
    return {(i["region_code"], i[code], i["change"]) for i in report["thresholds"][key]["items"]
            if i["measure"] == "employment" and i["year"] == 2022}


def test_a_correction_is_reported_with_the_thresholds_it_crossed(built, tmp_path):
    before = queries.build_info(built.warehouse_path)["build_id"]
    upload = _land_correction(built, tmp_path)
    result = recompute(built, who="officer")
    report = load_report(built, result.build_id)
    assert report["previous_build_id"] == before and report["compared"] and not report["no_change"]
    (new,) = report["data"]["new_uploads"]
    assert (new["upload_id"], new["kind"], new["vintage"], new["revision"], new["years"], new["who"]) == (
        upload.upload_id, "regional-industry", 2, True, [2022], "officer")
    assert report["data"]["landing_seq"] == [7, 8]
    assert report["data"]["facts"]["fact_regional_industry"] == {"added": 0, "revised": 1, "removed": 0,
                                                                 "years": [2022]}
    assert not report["methodology"]["changed"]
    assert {"fact_regional_industry", "mart_location_quotient", "mart_category_lq"} <= set(report["tables_changed"])
    assert _crossings(report, "mart_location_quotient.specialised") == {
        ("210100", "13", "gained"), ("210100", "37", "lost"), ("210200", "13", "lost"), ("210200", "37", "gained")}
    # the tiny set's clusters are categories of their own (the layout before categories), coded like them
    assert _crossings(report, "mart_category_lq.specialised") == {
        ("210100", "LN-AG-001", "gained"), ("210100", "LN-EQ-001", "lost"),
        ("210200", "LN-AG-001", "lost"), ("210200", "LN-EQ-001", "gained")}
    item = next(i for i in report["thresholds"]["mart_location_quotient.specialised"]["items"]
                if (i["region_code"], i["industry_code"], i["measure"]) == ("210100", "13", "employment"))
    assert item["region_name"] == "沈阳市" and item["lq_before"] == pytest.approx(2 / 3, abs=1e-4)
    assert item["lq"] == pytest.approx((400 / 700) / (600 / 1100), abs=1e-4)
    assert "regional-industry vintage 2 (revision) for 2022" in report["summary"]
    assert "mart_location_quotient.specialised: " in report["summary"]
    assert latest_report(built)["build_id"] == result.build_id
    # what the cluster's scorecard shows: its category's crossings in its own city (Dalian) only; Shenyang's gain
    # of the same category is not the Dalian cluster's. Dalian 13: LQ 4/3 -> 0.917, so specialisation (LQ >= 1)
    # and strength (which needs LQ >= 1) are both lost.
    mine = changes_for_cluster(report, "LN-AG-001", category_code="LN-AG-001", regions=["210200"])
    assert {(c["region_code"], c["flag"], c["change"]) for c in mine["crossings"]
            if c.get("measure", "employment") == "employment"} == {
        ("210200", "mart_category_lq.specialised", "lost"), ("210200", "mart_category_strength.strong", "lost")}


def test_an_unchanged_rebuild_is_reported_as_no_change(built):
    first = queries.build_info(built.warehouse_path)["build_id"]
    result = recompute(built)
    report = load_report(built, result.build_id)
    assert report["no_change"] and report["tables_changed"] == []
    assert report["summary"].startswith(f"No change: every table is identical to build {first}")


def test_a_methodology_change_is_reported(built):
    text = resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")
    revised = Methodology.from_text(text + "\n# reviewed by the methodology board, no change of substance\n")
    result = recompute(built, methodology=revised)
    report = load_report(built, result.build_id)
    assert report["methodology"] == {"previous": Methodology.default().hash, "current": revised.hash,
                                     "changed": True}
    assert f"methodology {Methodology.default().hash} -> {revised.hash}" in report["summary"]


def test_kept_builds_are_bounded_and_reports_survive_them(built):
    assert changes.KEEP_BUILDS == 3
    settings = dataclasses.replace(built, extra={"keep_builds": "2"})
    ids = [queries.build_info(built.warehouse_path)["build_id"]] + [recompute(settings).build_id for _ in range(2)]
    kept = sorted(p.stem for p in builds_dir(built).glob("*.duckdb"))
    assert kept == sorted(ids[-2:])  # the live one and the one before it
    assert queries.build_info(kept_build_path(built, ids[-1]))["build_id"] == ids[-1]
    assert all(load_report(built, b) is not None for b in ids)  # reports live in ops.sqlite, not in the files


def test_a_failing_report_never_fails_the_build(built, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(changes, "change_report", broken)
    said: list[str] = []
    result = recompute(built, progress=said.append)
    assert queries.build_info(built.warehouse_path)["build_id"] == result.build_id
    assert any("change report could not be made (RuntimeError: disk on fire)" in s for s in said)
    with OpsStore(built.ops_path).connect() as con:
        actions = [r[0] for r in con.execute("select action from audit_log")]
    assert "change_report_failed" in actions


def test_jobs_report_prints_and_exports(built, tmp_path):
    _land_correction(built, tmp_path)
    result = recompute(built)
    group = copy.copy(cli)
    group.commands = dict(cli.commands)
    register(group)
    base = ["--data-dir", str(built.data_dir), "jobs", "report"]
    text = CliRunner().invoke(group, base)
    assert text.exit_code == 0 and f"Build {result.build_id} against" in text.output
    assert "upload  regional-industry" in text.output and "210100 13 employment: gained" in text.output
    # a category's crossing names the region and the category (the tiny set's clusters are categories of their own)
    line = "mart_category_lq.specialised       2022 210100 LN-AG-001 大连食品加工产业集群 employment: gained"
    assert line in text.output
    exported = CliRunner().invoke(group, [*base, result.build_id, "--json"])
    assert json.loads(exported.output)["build_id"] == result.build_id
    missing = CliRunner().invoke(group, [*base, "nope"])
    assert missing.exit_code == 1 and "No change report for nope" in missing.output


def test_score_moves_and_their_explanation():
    before = pl.DataFrame({"cluster_code": ["A", "B", "C"], "year": [2022] * 3, "score": [60.0, 40.0, None],
                           "rank": [1, 2, None], "n_ranked": [2, 2, 2]})
    after = pl.DataFrame({"cluster_code": ["A", "B", "C"], "year": [2022] * 3, "score": [30.0, 40.001, 10.0],
                          "rank": [2, 1, 3], "n_ranked": [3, 3, 3]})
    moved = score_moves(before, after)
    assert moved.select("cluster_code", "score_change", "rank_change").rows() == [
        ("A", -30.0, -1), ("B", pytest.approx(0.001), 1), ("C", None, None)]
    # contributions: normalised * weight / (weights present); A's two indicators, equal weights
    ind = pl.DataFrame({"cluster_code": ["A", "A"], "year": [2022, 2022], "indicator": ["rd", "exp"],
                        "indicator_name": ["R&D intensity", "Exports"], "normalised": [100.0, 20.0],
                        "weight": [1.0, 1.0]})
    later = ind.with_columns(normalised=pl.Series([40.0, 20.0]))
    (row,) = score_change_explanations(ind, later).rows(named=True)
    assert row["explanation"] == "R&D intensity -30.00 points"


def test_the_demo_second_build_lands_corrections_and_reports_them(built):
    files = demo_correction_files(built, built.demo_dir)
    assert [k for k, _ in files] == ["cluster-indicators", "regional-industry"]
    lines = list(demo_second_build(built))
    assert lines[0].startswith("  correction cluster-indicators   landed")
    assert "(upload): succeeded" in lines[2]
    report = latest_report(built)
    assert [u["kind"] for u in report["data"]["new_uploads"]] == ["cluster-indicators", "regional-industry"]
    assert report["data"]["facts"]["fact_regional_industry"]["revised"] == 2  # one cell up, one down
    assert report["data"]["facts"]["fact_cluster_indicator"]["revised"] >= 1
    assert lines[-1].startswith(f"Build {report['build_id']} against")
    # again: the same corrections are already landed, nothing is built
    again = list(demo_second_build(built))
    assert "already_landed" in again[0] and "(manual): unchanged" in again[2]
    assert job_history(built)[0]["status"] == "unchanged"
