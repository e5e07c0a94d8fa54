"""City submissions reviewed by the province (issue 16): a submitter's upload waits as 'submitted'; a returned one
stays out of official builds and its comment reaches the submitter; an accepted one enters the next official build;
the working build holds what is still under review. Through the CLI (the app's review page: test_ui_releases.py)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import BUREAU_PASSWORDS as PASSWORDS

from pipeline.access.users import User, add_user, audit_log
from pipeline.cli import cli
from pipeline.core.ops import OpsStore
from pipeline.core.publication import official_uploads, submissions, working_uploads
from pipeline.core.settings import Settings
from pipeline.jobs.build import working_path
from pipeline.jobs.queue import job_history
from pipeline.jobs.worker import Worker
from warehouse.db import query, read_only
from warehouse.queries import build_info

# Shenyang's employment in industry 13 (agri-food), 2022: the tiny set says 100 persons; the city corrects it to 120
CORRECTION = "地区代码,行业代码,年份,从业人员(人)\n210100,13,2022,120\n"
SECOND = "地区代码,行业代码,年份,从业人员(人)\n210100,37,2022,330\n"


def run(settings: Settings, *args: str, user: str = "li"):
    env = {"CLUSTERSTATS_USER": user, "CLUSTERSTATS_PASSWORD": PASSWORDS[user]}
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args], env=env)


def submit(settings: Settings, tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run(settings, "ingest", str(path), "--kind", "regional-industry")
    assert result.exit_code == 0, result.output
    assert "Submitted for review as " in result.output
    return result.output.split("Submitted for review as ", 1)[1].split(":", 1)[0]


def employment(path: Path, region: str, industry: str, year: int) -> float:
    with read_only(path) as con:
        return query(con, "select value from fact_regional_industry where region_code = ? and industry_code = ? "
                          "and year = ? and measure = 'employment'", [region, industry, year]).item()


def test_a_returned_submission_stays_out_and_its_comment_reaches_the_submitter(bureau, tmp_path):
    live = build_info(bureau.warehouse_path)
    upload_id = submit(bureau, tmp_path, "shenyang-2022.csv", CORRECTION)
    store = OpsStore(bureau.ops_path)
    (row,) = submissions(store, state="submitted")
    assert (row["upload_id"], row["submitted_by"], row["file_name"]) == (upload_id, "li", "shenyang-2022.csv")
    assert not [j for j in job_history(bureau) if j["status"] == "queued"]  # nothing official changed: no build
    # a submitter cannot review; the reviewer returns it with a comment
    refused = run(bureau, "submissions", "return", upload_id, "--comment", "x")
    assert refused.exit_code != 0 and "reviewer" in refused.output
    no_comment = run(bureau, "submissions", "return", upload_id, user="rita")
    assert no_comment.exit_code == 2 and "--comment" in no_comment.output
    comment = "第2行：从业人员应为年平均人数，请按统计年报口径更正"
    returned = run(bureau, "submissions", "return", upload_id, "--comment", comment, user="rita")
    assert returned.exit_code == 0, returned.output
    # the submitter reads the decision and the comment
    mine = run(bureau, "submissions", "list", user="li")
    assert f"{upload_id}  returned" in mine.output and f"returned by rita: {comment}" in mine.output
    # a decision is final
    again = run(bureau, "submissions", "accept", upload_id, user="rita")
    assert again.exit_code == 1 and "returned already by rita" in again.output
    # out of the official build and the working build alike
    assert upload_id not in {u.upload_id for u in official_uploads(store)}
    assert upload_id not in {u.upload_id for u in working_uploads(store)}
    forced = run(bureau, "recompute", user="ada")
    assert forced.exit_code == 0, forced.output
    assert build_info(bureau.warehouse_path)["uploads"] == live["uploads"] == 7
    assert employment(bureau.warehouse_path, "210100", "13", 2022) == 100.0  # the tiny set's figure stands
    actions = [(e["who"], e["action"]) for e in audit_log(bureau)]
    assert ("li", "submission") in actions and ("rita", "submission_returned") in actions


def test_an_accepted_submission_enters_the_next_official_build(bureau, tmp_path):
    upload_id = submit(bureau, tmp_path, "shenyang-2022.csv", CORRECTION)
    pending = submit(bureau, tmp_path, "shenyang-37.csv", SECOND)
    # the working build holds both submissions; the official one neither
    working = run(bureau, "recompute", "--working", user="ada")
    assert working.exit_code == 0, working.output
    assert employment(working_path(bureau), "210100", "13", 2022) == 120.0
    assert employment(working_path(bureau), "210100", "37", 2022) == 330.0
    assert employment(bureau.warehouse_path, "210100", "13", 2022) == 100.0
    # the submitter cannot accept its own; the reviewer accepts, a build is queued and the worker runs it
    assert run(bureau, "submissions", "accept", upload_id).exit_code != 0
    accepted = run(bureau, "submissions", "accept", upload_id, "--comment", "与统计年报一致", user="rita")
    assert accepted.exit_code == 0, accepted.output
    (job,) = [j for j in job_history(bureau) if j["status"] == "queued"]
    assert job["trigger"] == "review"
    (done,) = Worker(bureau).tick()
    assert done["status"] == "succeeded", done["message"]
    assert employment(bureau.warehouse_path, "210100", "13", 2022) == 120.0  # the correction is official
    assert employment(bureau.warehouse_path, "210100", "37", 2022) == 300.0  # the one under review is not
    assert build_info(bureau.warehouse_path)["uploads"] == 8
    # the official build now reads 8 uploads, the newest official seq below the pending submission's
    assert {u.upload_id for u in working_uploads(OpsStore(bureau.ops_path))} >= {upload_id, pending}


def test_a_reviewer_previews_the_change_a_submission_would_make(bureau, tmp_path):
    upload_id = submit(bureau, tmp_path, "shenyang-2022.csv", CORRECTION)
    result = run(bureau, "submissions", "preview", upload_id, "--json", user="rita")
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.output)
    # the preview read the 7 official uploads and this one, and found the one revised cell:
    # Shenyang x 13 x 2022 employment, 100 -> 120
    assert report["current"]["uploads"] == 8 and report["compared"] is True
    facts = report["data"]["facts"]["fact_regional_industry"]
    assert (facts["added"], facts["removed"], facts["revised"]) == (0, 0, 1)
    assert "mart_location_quotient" in report["tables_changed"]
    # nothing official changed, and the preview is kept with the submission
    assert build_info(bureau.warehouse_path)["uploads"] == 7
    (row,) = submissions(OpsStore(bureau.ops_path), state="submitted")
    assert row["preview_json"] and not list((bureau.data_dir / "previews").glob("*"))


def test_provincial_staff_uploads_are_official_as_they_land(bureau, tmp_path):
    add_user(bureau, "ulla", "uploader", password=PASSWORDS["ulla"], by=User("ada", "admin"))
    path = tmp_path / "province.csv"
    path.write_text(CORRECTION, encoding="utf-8")
    result = run(bureau, "ingest", str(path), "--kind", "regional-industry", user="ulla")
    assert result.exit_code == 0 and "Submitted for review" not in result.output
    store = OpsStore(bureau.ops_path)
    (row,) = [r for r in submissions(store) if r["submitted_by"] == "ulla"]
    assert (row["state"], row["reviewed_by"]) == ("accepted", "ulla")
    assert row["upload_id"] in {u.upload_id for u in official_uploads(store)}
