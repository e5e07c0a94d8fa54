"""--accept-valid-rows: the valid rows land, the others are set aside with their reasons; the default stays
all-or-nothing. And the limits and helpers the UI needs: size limit, formula neutralising, HTML escaping."""

from __future__ import annotations

import json
import os

import polars as pl
import pytest
from click.testing import CliRunner
from conftest import read_landed

from pipeline.cli import cli
from pipeline.core.errors import UploadInvalid, UploadTooLarge
from pipeline.core.ops import OpsStore
from pipeline.core.safety import clean_file_name, escape_html, looks_like_formula, neutralise_formula, neutralise_frame
from pipeline.ingest import check_upload, ingest_bytes, ingest_file, upload_limits

# row 2: fine; row 3: level 'town' is not a level; row 4: its parent is row 3's code, so it can only land with
# row 3; row 5: fine, and its name starts like a formula (kept as text; the rejected-rows file neutralises it)
REGIONS = """code,name,level,parent_code
211300,朝阳市,city,210000
211400,葫芦岛市,town,210000
211402,连山区,county,211400
211200,=铁岭市,city,210000
"""


def test_default_is_all_or_nothing(dictionaries):
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(dictionaries, REGIONS.encode(), "regions-2.csv", "regions")
    assert [(f.row, f.rule) for f in info.value.report.failures] == [(3, "not_in_list")]
    assert [u.file_name for u in OpsStore(dictionaries.ops_path).uploads("regions")] == ["regions.csv"]


def test_valid_rows_land_and_the_others_are_kept_with_their_reasons(dictionaries):
    result = ingest_bytes(dictionaries, REGIONS.encode(), "regions-2.csv", "regions", accept_valid_rows=True)
    assert result.status == "landed" and result.rejected == 2
    landed = read_landed(dictionaries, "regions").filter(pl.col("upload_id") == result.upload.upload_id)
    # row 4 was valid on its own, but its parent (row 3) does not land: it is set aside too, not left dangling
    assert landed.get_column("source_row").to_list() == [2, 5]
    assert landed.get_column("name").to_list() == ["朝阳市", "=铁岭市"]  # stored as typed, never calculated
    report = result.report
    assert {(f.row, f.rule) for f in report.failures} == {(3, "not_in_list"), (4, "unknown_code")}
    assert any(f.rule == "rows_rejected" for f in report.warnings)
    assert "2 row(s) with errors were set aside" in result.message

    # the rejected rows, downloadable: the user's own columns, the row number and the reasons
    path = result.rejected_path
    assert path is not None and path.parent == dictionaries.data_dir / "rejected"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads the Chinese
    rows = pl.read_csv(raw[3:], infer_schema=False)
    assert rows.columns == ["row", "code", "name", "level", "parent_code", "problems"]
    assert rows.get_column("row").to_list() == ["3", "4"]
    assert "town" in rows.get_column("problems")[0] and "mainstay" not in rows.get_column("problems")[0]
    assert "211400" in rows.get_column("problems")[1]
    # recorded beside the landed upload
    rejection = OpsStore(dictionaries.ops_path).rejections()[0]
    assert rejection["upload_id"] == result.upload.upload_id
    assert rejection["rows_path"] == f"rejected/{result.upload.upload_id}.csv"
    assert json.loads(rejection["report_json"])["counts"] == {"not_in_list": 1, "unknown_code": 1}


def test_a_problem_of_the_whole_file_still_rejects_it_all(dictionaries):
    text = "code,name,parent_code\n211300,朝阳市,210000\n"  # no level column
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(dictionaries, text.encode(), "regions-2.csv", "regions", accept_valid_rows=True)
    assert [f.rule for f in info.value.report.failures] == ["missing_column"]
    assert len(OpsStore(dictionaries.ops_path).uploads("regions")) == 1


def test_rows_with_errors_for_a_download_without_landing_anything(dictionaries):
    checked = check_upload(dictionaries, REGIONS.encode(), "r.csv", "regions")
    assert not checked.landable and checked.accepted is None
    rows = checked.rejected_rows()
    assert rows.get_column("row").to_list() == [3] and "town" in rows.get_column("problems")[0]


def test_rejected_rows_for_the_ui_before_landing(dictionaries):
    checked = check_upload(dictionaries, REGIONS.encode(), "r.csv", "regions", accept_valid_rows=True)
    assert checked.landable and checked.accepted == [2, 5] and checked.rejected == [3, 4]
    assert checked.records().get_column("source_row").to_list() == [2, 5]
    data = checked.rejected_rows_csv()
    assert data.startswith(b"\xef\xbb\xbf") and "葫芦岛市".encode() in data


def test_cli_accept_valid_rows(dictionaries, monkeypatch):
    monkeypatch.setattr("pipeline.jobs.enqueue_upload", lambda *_a, **_k: type("J", (), {"job_id": 7})())
    path = dictionaries.data_dir.parent / "regions-2.csv"
    path.write_text(REGIONS, encoding="utf-8")
    base = ["--data-dir", str(dictionaries.data_dir), "ingest", str(path), "--kind", "regions"]
    assert CliRunner().invoke(cli, base).exit_code == 1  # the default
    out = CliRunner().invoke(cli, [*base, "--accept-valid-rows"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Landed 2 regions rows" in out.output and "2 row(s) with errors were set aside" in out.output
    assert "not_in_list" in out.output  # the table of what was set aside
    again = CliRunner().invoke(cli, [*base, "--accept-valid-rows", "--json"], catch_exceptions=False)
    assert json.loads(again.output)["status"] == "already_landed"


def test_ingest_rows_formula_neutralised_in_the_rejected_file(dictionaries):
    text = "code,name,level\n211300,=HYPERLINK(\"http://x\"),town\n211200,铁岭市,city\n"
    result = ingest_bytes(dictionaries, text.encode(), "r.csv", "regions", accept_valid_rows=True)
    assert b"'=HYPERLINK" in result.rejected_path.read_bytes()


# -- limits ---------------------------------------------------------------------------------------------------------
def test_size_limit_is_checked_before_reading(settings, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:  # sparse: 300 MB on paper, nothing on disk
        fh.truncate(300 * 1024 * 1024)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(UploadTooLarge, match=r"big.csv is 300 MB, over the upload limit of 200 MB"):
        ingest_file(settings, big, "regional-industry")
    monkeypatch.setenv("CLUSTERSTATS_MAX_UPLOAD_MB", "500")
    assert upload_limits(settings).max_bytes == 500 * 1024 * 1024
    with pytest.raises(UploadTooLarge, match="limit of 100 KB"):
        ingest_file(settings, big, "regional-industry", max_bytes=100 * 1024)
    assert not os.path.exists(settings.ops_path) or OpsStore(settings.ops_path).uploads() == []


# -- helpers for the UI and exports -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "safe"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"),
    ("@SUM(1)", "'@SUM(1)"), ("\tx", "'\tx"), ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("沈阳市", "沈阳市"), ("", ""),
    (None, None),
])
def test_neutralise_formula(text, safe):
    assert neutralise_formula(text) == safe
    assert looks_like_formula(text) == (text != safe)


def test_neutralise_frame_leaves_numbers_alone():
    frame = pl.DataFrame({"name": ["=1+1", "ok", "-3"], "n": [1, 2, 3]})
    assert neutralise_frame(frame).rows() == [("'=1+1", 1), ("ok", 2), ("-3", 3)]


def test_escape_html_and_file_names():
    assert escape_html('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert clean_file_name("C:\\Users\\张三\\地区.csv") == ("地区.csv", True)
    assert clean_file_name("../..") == ("upload", True)
    assert clean_file_name("a\x00b.csv") == ("ab.csv", True)
    assert clean_file_name("地区.csv") == ("地区.csv", False)
    name, _ = clean_file_name("x" * 500 + ".csv")
    assert len(name) == 200 and name.endswith(".csv")
