"""Reading uploads: encodings, formats, header aliases and declared units, through the library and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from conftest import read_landed

from pipeline.core.ops import OpsStore
from pipeline.ingest import ingest_bytes, ingest_file
from pipeline.ingest.text import decode_text

# Chinese headers, units in the header: employment in 万人, output in 万元 (full-width brackets on one of them).
GBK_TEXT = """地区代码,行业代码,年份,从业人员（万人）,工业总产值(万元)
210100,37,2022,1.5,12345.6
210200,13,2022,0.08,500
"""


def test_gbk_csv_with_chinese_headers_lands_in_canonical_units(dictionaries, tmp_path):
    settings = dictionaries
    path = tmp_path / "地区行业2022.csv"
    path.write_bytes(GBK_TEXT.encode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8

    result = ingest_file(settings, path, "regional-industry", who="officer-1")

    assert result.status == "landed"
    assert result.upload.encoding == "gb18030"  # GBK detected; decoded with its superset GB18030
    assert result.upload.units == {
        "employment": {"unit": "万人", "factor": 10000.0, "canonical": "persons"},
        "output_value": {"unit": "万元", "factor": 10000.0, "canonical": "yuan"},
    }
    landed = read_landed(settings, "regional-industry").sort("region_code")
    # 1.5 万人 = 15,000 persons; 0.08 万人 = 800 persons; 12345.6 万元 = 123,456,000 yuan; 500 万元 = 5,000,000 yuan
    assert landed.get_column("employment").to_list() == [15000.0, 800.0]
    assert landed.get_column("output_value").to_list() == [123_456_000.0, 5_000_000.0]
    assert landed.get_column("source_row").to_list() == [2, 3]
    assert landed.get_column("region_code").to_list() == ["210100", "210200"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")],
    ids=["utf8", "utf8-bom", "gb18030", "utf16-bom"],
)
def test_csv_encodings_decode_to_the_same_text(encoding, prefix):
    data = prefix + GBK_TEXT.encode(encoding)
    text, _ = decode_text(data, "x.csv")
    assert text.lstrip("\ufeff") == GBK_TEXT


def test_unit_option_declares_a_unit_the_header_lacks(dictionaries, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("region_code,industry_code,year,output_value\n210100,13,2022,2.5\n", encoding="utf-8")
    ingest_file(dictionaries, path, "regional-industry", units={"output_value": "亿元"})
    # 2.5 亿元 = 250,000,000 yuan
    assert read_landed(dictionaries, "regional-industry").get_column("output_value").to_list() == [250_000_000.0]


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()
    return buf.getvalue()


def test_xlsx_sheet_chosen_by_its_header_or_named(dictionaries):
    data = _xlsx({
        "说明": [["本表为测试"]],
        "2022": [["地区代码", "行业代码", "年份", "从业人员"], [210100, 37, 2022, 300], ["210200", "13", 2022, 200]],
    })
    from pipeline.core.errors import UploadInvalid

    # Named, the note sheet is read, and fails on its headers, naming what is missing.
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(dictionaries, data, "book.xlsx", "regional-industry", sheet="说明")
    assert {f.rule for f in info.value.report.failures} >= {"missing_column"}

    # Not named, the sheet whose header matches the kind is read, and the report says so.
    result = ingest_bytes(dictionaries, data, "book.xlsx", "regional-industry")
    assert result.upload.sheet == "2022"
    chosen = [f for f in result.report.warnings if f.rule == "sheet_chosen"]
    assert chosen and "'2022'" in chosen[0].fix and "说明" in chosen[0].fix
    landed = read_landed(dictionaries, "regional-industry").sort("region_code")
    # numeric cells 210100 and 37 read back as the codes "210100" and "37", not "210100.0"
    assert landed.select("region_code", "industry_code", "employment").rows() == [
        ("210100", "37", 300.0), ("210200", "13", 200.0)]


def test_parquet_upload(dictionaries):
    buf = io.BytesIO()
    pl.DataFrame({"region_code": ["210100"], "industry_code": ["13"], "year": [2022], "establishments": [12]}
                 ).write_parquet(buf)
    ingest_bytes(dictionaries, buf.getvalue(), "records.parquet", "regional-industry")
    assert read_landed(dictionaries, "regional-industry").get_column("establishments").to_list() == [12.0]


def test_same_file_twice_is_reported_not_duplicated(dictionaries, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(GBK_TEXT.encode("gbk"))
    first = ingest_file(dictionaries, path, "regional-industry")
    again = ingest_file(dictionaries, path, "regional-industry")
    assert (first.status, again.status) == ("landed", "already_landed")
    assert again.upload.upload_id == first.upload.upload_id
    assert "already landed" in again.message
    ups = OpsStore(dictionaries.ops_path).uploads("regional-industry")
    assert len(ups) == 1
    assert len(list((dictionaries.landing_dir / "regional-industry").glob("*.parquet"))) == 1


def test_a_correction_is_a_new_vintage_and_the_old_stays_readable(dictionaries, tmp_path):
    first = tmp_path / "v1.csv"
    first.write_text("region_code,industry_code,year,employment\n210100,13,2022,100\n", encoding="utf-8")
    second = tmp_path / "v2.csv"
    second.write_text("region_code,industry_code,year,employment\n210100,13,2022,110\n", encoding="utf-8")
    a = ingest_file(dictionaries, first, "regional-industry")
    b = ingest_file(dictionaries, second, "regional-industry")
    assert (a.upload.vintage, b.upload.vintage) == (1, 2)
    both = read_landed(dictionaries, "regional-industry").sort("vintage")
    assert both.select("vintage", "employment").rows() == [(1, 100.0), (2, 110.0)]


def test_cli_ingest_gbk_json(dictionaries, tmp_path, cli_env):
    path = tmp_path / "地区行业.csv"
    path.write_bytes(GBK_TEXT.encode("gbk"))
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--kind", "regional-industry", "--json"]
    out = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["status"], result["rows"], result["vintage"]) == ("landed", 2, 1)
    assert result["units"]["output_value"]["unit"] == "万元"
    again = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, check=False)
    assert json.loads(again.stdout)["status"] == "already_landed"


def test_file_name_path_parts_are_dropped(dictionaries):
    data = b"region_code,industry_code,year,employment\n210100,13,2022,5\n"
    result = ingest_bytes(dictionaries, data, "../../etc/evil.csv", "regional-industry")
    assert result.upload.file_name == "evil.csv"
    assert Path(dictionaries.data_dir / result.upload.path).is_relative_to(dictionaries.landing_dir)
