"""Bad uploads: one report naming every problem by row and column, with a fix; nothing lands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.core.errors import UploadInvalid
from pipeline.core.ops import OpsStore
from pipeline.ingest import ingest_bytes

# Row numbers as the officer sees them in a spreadsheet: the header is row 1.
#   row 2: fine
#   row 3: region code 219900 is not a landed region
#   row 4: negative employment
#   row 5: same key as row 2 (210100, 37, 2022)
BAD = """地区代码,行业代码,年份,从业人员,工业总产值(万元)
210100,37,2022,300,400000
219900,13,2022,200,150000
210200,13,2022,-5,100
210100,37,2022,310,410000
"""


def _report(settings, text: str, kind: str = "regional-industry", name: str = "bad.csv"):
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(settings, text.encode("utf-8"), name, kind)
    return info.value.report


def test_one_report_names_all_three_problems(dictionaries):
    report = _report(dictionaries, BAD)
    got = {(f.row, f.column, f.value, f.rule) for f in report.failures}
    assert got == {
        (3, "地区代码", "219900", "unknown_code"),
        (4, "从业人员", "-5", "negative_value"),
        (2, "地区代码 + 行业代码 + 年份", "region_code=210100, industry_code=37, year=2022", "duplicate_key"),
        (5, "地区代码 + 行业代码 + 年份", "region_code=210100, industry_code=37, year=2022", "duplicate_key"),
    }
    assert report.counts() == {"duplicate_key": 2, "unknown_code": 1, "negative_value": 1}
    fixes = {f.rule: f.fix for f in report.failures}
    # the unknown-code fix says which codes are known (the five landed regions), nearest first
    assert "known (5)" in fixes["unknown_code"] and "210100 沈阳市" in fixes["unknown_code"]
    assert "rows 2, 5" in fixes["duplicate_key"]


def test_nothing_lands_and_the_rejection_is_kept(dictionaries):
    _report(dictionaries, BAD)
    assert OpsStore(dictionaries.ops_path).uploads("regional-industry") == []
    assert not (dictionaries.landing_dir / "regional-industry").exists()
    with OpsStore(dictionaries.ops_path).connect() as con:
        rows = con.execute("select file_name, failures, report_json from rejections").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("bad.csv", 4)]
    assert json.loads(rows[0][2])["counts"]["unknown_code"] == 1


def test_records_before_their_dictionary_are_rejected_with_the_order_to_follow(settings):
    report = _report(settings, "region_code,industry_code,year,employment\n210100,13,2022,1\n")
    fixes = [f.fix for f in report.failures if f.rule == "unknown_code"]
    assert len(fixes) == 2 and all("have been landed yet" in f for f in fixes)


def test_header_problems_are_reported_with_the_expected_headers(dictionaries):
    text = "地区代码,年份,从业人员(万元),备注\n210100,2022,5,x\n"
    report = _report(dictionaries, text)
    got = {(f.row, f.column, f.rule) for f in report.failures}
    assert (1, "行业代码/industry_code", "missing_column") in got
    assert (1, "备注", "unknown_column") in got
    assert (1, "从业人员(万元)", "wrong_unit") in got  # 万元 is money, employment counts persons


def test_cells_that_are_not_numbers_or_years(dictionaries):
    text = "region_code,industry_code,year,employment\n210100,13,20x2,1\n210100,37,2022,abc\n210200,13,1900,1\n"
    report = _report(dictionaries, text)
    got = {(f.row, f.column, f.value, f.rule) for f in report.failures}
    assert got == {
        (2, "year", "20x2", "not_a_year"),
        (3, "employment", "abc", "not_a_number"),
        (4, "year", "1900", "year_out_of_range"),
    }


def test_row_without_any_measure_and_empty_key(dictionaries):
    text = "region_code,industry_code,year,employment,output_value\n210100,13,2022,,\n,37,2022,5,\n"
    report = _report(dictionaries, text)
    got = {(f.row, f.rule) for f in report.failures}
    assert got == {(2, "no_measure"), (3, "empty_cell")}


def test_blank_lines_keep_the_row_numbers_of_the_file(dictionaries):
    text = "region_code,industry_code,year,employment\n210100,13,2022,1\n\n,,,\n210100,37,2022,-1\n"
    report = _report(dictionaries, text)
    assert [(f.row, f.rule) for f in report.failures] == [(5, "negative_value")]


def test_future_year_is_rejected(dictionaries):
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(dictionaries, b"region_code,industry_code,year,employment\n210100,13,2030,1\n", "f.csv",
                     "regional-industry", this_year=2026)
    assert [(f.row, f.rule) for f in info.value.report.failures] == [(2, "future_year")]


def test_dictionary_refers_to_itself_and_to_landed_codes(settings):
    text = ("code,name,level,parent_code,groups\n210000,辽宁省,province,,\nZ-WEST,辽西,zone,210000,\n"
            "211400,葫芦岛市,city,210000,Z-WEST;Z-NOWHERE\n211300,朝阳市,town,219999,\n")
    report = _report(settings, text, kind="regions", name="regions.csv")
    got = {(f.row, f.column, f.rule) for f in report.failures}
    assert got == {(4, "groups", "unknown_code"), (5, "level", "not_in_list"), (5, "parent_code", "unknown_code")}


def test_cli_prints_the_table_and_exits_1(dictionaries, tmp_path, cli_env):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    base = [sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--kind", "regional-industry"]
    out = subprocess.run(base, env=cli_env, capture_output=True, text=True, check=False)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].startswith("bad.csv: 4 problem(s) in 4 row(s) of 4")
    assert any(line.split()[:4] == ["3", "地区代码", "219900", "unknown_code"] for line in lines)
    assert any(line.split()[:4] == ["4", "从业人员", "-5", "negative_value"] for line in lines)
    assert "Counts per rule:" in out.stdout

    js = subprocess.run([*base, "--json"], env=cli_env, capture_output=True, text=True, check=False)
    assert js.returncode == 1
    report = json.loads(js.stdout)
    assert report["valid"] is False and report["counts"] == {"duplicate_key": 2, "unknown_code": 1,
                                                             "negative_value": 1}
    assert {(f["row"], f["column"], f["rule"]) for f in report["failures"]} >= {
        (3, "地区代码", "unknown_code"), (4, "从业人员", "negative_value")}


def test_plain_columns_read_in_one_pass_give_what_the_careful_path_gives(dictionaries, monkeypatch):
    """A machine-written column (plain numbers, four-digit years, codes that are no marker) is read in one pass
    (cells._Reader._plain); the careful path must read the same values and report nothing more. A column with
    one odd cell (1,234.5 with a thousands separator, a "-" marker) goes the careful way, as before."""
    from pipeline.ingest import cells, check_upload

    clean = "地区代码,行业代码,年份,从业人员,工业总产值(万元)\n210100,13,2022,100,50000.5\n210200,37,2022,,1e3\n"
    odd = "地区代码,行业代码,年份,从业人员,工业总产值(万元)\n210100,13,2022,\"1,234.5\",-\n210200,37,2022,7,8\n"
    fast = {name: check_upload(dictionaries, text.encode(), f"{name}.csv", "regional-industry")
            for name, text in (("clean", clean), ("odd", odd))}
    monkeypatch.setattr(cells._Reader, "_plain", lambda self, name, text: None)
    careful = {name: check_upload(dictionaries, text.encode(), f"{name}.csv", "regional-industry")
               for name, text in (("clean", clean), ("odd", odd))}
    for name in ("clean", "odd"):
        assert fast[name].prepared.frame.equals(careful[name].prepared.frame)
        every = {k: [(f.row, f.rule) for f in v.report.failures + v.report.warnings] for k, v in (
            ("fast", fast[name]), ("careful", careful[name]))}
        assert every["fast"] == every["careful"]
    # clean: 50000.5 万元 = 500,005,000 yuan, 1e3 万元 = 10,000,000 yuan, the empty cell is null
    assert fast["clean"].prepared.frame.get_column("output_value").to_list() == [500_005_000.0, 10_000_000.0]
    assert fast["clean"].prepared.frame.get_column("employment").to_list() == [100.0, None]
    # odd: the thousands separator is read and noted, the marker flagged as missing
    rules = {f.rule for f in fast["odd"].report.failures + fast["odd"].report.warnings}
    assert {"number_format", "missing_marker"} <= rules
    assert fast["odd"].prepared.frame.get_column("employment").to_list() == [1234.5, 7.0]
