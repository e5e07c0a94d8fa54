"""The bad-upload corpus (tests/data/bad/EXPECTED.toml): each case through the library and through the CLI.

Every case gets a specific report line (row as the user sees it, column, value, fix) or a specific message, and a
case that is not landed leaves the landing zone and the manifest exactly as they were.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from click.testing import CliRunner
from conftest import TINY

from pipeline.cli import cli
from pipeline.core.errors import UploadInvalid, UploadUnreadable
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.ingest import ingest_bytes
from pipeline.ingest.landing import landed_frame
from pipeline.ingest.report import Failure

BAD = Path(__file__).parent / "data" / "bad"
CASES: list[dict[str, Any]] = tomllib.loads((BAD / "EXPECTED.toml").read_text(encoding="utf-8"))["case"]
PLAIN = "地区代码,行业代码,年份,从业人员\n210100,37,2022,300\n210200,13,2022,200\n"


# -- files that cannot be stored as text ---------------------------------------------------------------------------
def _workbook(build) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    build(wb)
    wb.close()
    return buf.getvalue()


def _two_row_header(wb) -> None:
    ws = wb.add_worksheet("2022")
    ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员", "工业总产值"])
    ws.write_row(1, 0, ["", "", "", "万人", "（万元）"])  # units under the names
    ws.write_row(2, 0, [210100, 37, 2022, 1.5, 400000])
    ws.write_row(3, 0, ["210200", "13", 2022, 0.02, 150000])


def _merged_cells(wb) -> None:
    ws = wb.add_worksheet("数据")
    ws.write(0, 0, "2022年分地区分行业数据")
    ws.merge_range(1, 0, 1, 2, "基本信息")  # group labels merged across the columns
    ws.merge_range(1, 3, 1, 4, "主要指标")
    ws.write_row(2, 0, ["地区代码", "行业代码", "年份", "从业人员(人)", "工业总产值(万元)"])
    ws.merge_range(3, 0, 4, 0, "210100")  # one region merged over its two industries
    ws.write_row(3, 1, ["13", 2022, 100, 50000])
    ws.write_row(4, 1, ["37", 2022, 300, 400000])


def _several_sheets(wb) -> None:
    for name in ("2021", "2022"):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员"])
        ws.write_row(1, 0, ["210100", "37", int(name), 300])


def _hidden_sheet(wb) -> None:
    wb.add_worksheet("说明").write(0, 0, "本表数据见隐藏表")
    data = wb.add_worksheet("数据")
    data.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员"])
    data.write_row(1, 0, ["210100", "37", 2022, 300])
    data.hide()


def _note_and_data(wb) -> None:
    wb.add_worksheet("说明").write(0, 0, "本表为测试")
    ws = wb.add_worksheet("2022")
    ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员"])
    ws.write_row(1, 0, [210100, 37, 2022, 300])


def _formulas(wb) -> None:
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员", "工业总产值(万元)"])
    ws.write_row(1, 0, ["210100", "37", 2022, 300])
    ws.write_formula(1, 4, "=D2*1000", None, 300000)  # the saved value is what Excel shows
    ws.write_row(2, 0, ["210200", "13", 2022, 0])
    ws.write_formula(2, 4, "=1/D3", None, "#DIV/0!")


def _dates_as_years(wb) -> None:
    ws = wb.add_worksheet("数据")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员"])
    ws.write_row(1, 0, ["210100", "37"])
    ws.write_number(1, 2, 2021, date)  # 2021 typed into a date cell: Excel shows 1905-07-13
    ws.write(1, 3, 300)
    ws.write_row(2, 0, ["210200", "13"])
    ws.write_datetime(2, 2, datetime.datetime(2022, 12, 31), date)
    ws.write(2, 3, 200)


def _serial_year(wb) -> None:
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, ["地区代码", "行业代码", "年份", "从业人员"])
    ws.write_row(1, 0, ["210100", "37", 44562, 300])  # 44562 = 2022-01-01 as an Excel serial


def _table_at_b3(wb) -> None:
    ws = wb.add_worksheet("数据")
    ws.write(0, 0, "注意：表格从B3开始")
    ws.write_row(2, 1, ["地区代码", "行业代码", "年份", "从业人员"])
    ws.write_row(3, 1, ["210100", "37", 2022, 300])
    ws.write_row(4, 1, ["210200", "13", 2022, -5])


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<x>" + b" " * (3 << 20) + b"</x>")  # 3 MB from a few KB
    return buf.getvalue()


def _damaged_gbk() -> bytes:
    data = ("地区名称说明,行业代码,年份,从业人员\n" * 3 + "沈阳,37,2022,300\n").encode("gbk")
    return data[:40] + b"\x81\x20" + data[40:]


GENERATED = {
    "gbk": lambda: PLAIN.encode("gbk"),
    "gb18030": lambda: "code,name,tier,category,lead_region\nLN-X-1,䶮𠀀集群,emerging,new energy,210100\n"
    .encode("gb18030"),
    "utf8_bom": lambda: b"\xef\xbb\xbf" + PLAIN.encode("utf-8"),
    "utf16_tabs": lambda: PLAIN.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text"
    "utf16_no_bom": lambda: PLAIN.encode("utf-16-le"),
    "latin1": lambda: "code,name,level,classification\nX1,Müller Käse,division,test\n".encode("latin-1"),
    "damaged_utf8": lambda: PLAIN.encode("utf-8").replace(b"210200", b"21\xff200"),
    "damaged_gbk": _damaged_gbk,
    "two_row_header": lambda: _workbook(_two_row_header),
    "merged_cells": lambda: _workbook(_merged_cells),
    "several_sheets": lambda: _workbook(_several_sheets),
    "hidden_sheet": lambda: _workbook(_hidden_sheet),
    "note_and_data": lambda: _workbook(_note_and_data),
    "formulas": lambda: _workbook(_formulas),
    "dates_as_years": lambda: _workbook(_dates_as_years),
    "serial_year": lambda: _workbook(_serial_year),
    "table_at_b3": lambda: _workbook(_table_at_b3),
    "corrupt_xlsx": lambda: _workbook(_note_and_data)[:900],
    "zip_bomb": _zip_bomb,
    "pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)) * 4,
    "png": lambda: b"\x89PNG\r\n\x1a\n" + bytes(200),
    "plain": lambda: PLAIN.encode("utf-8"),
    "long_text": lambda: ("code,name,tier,category,lead_region,description\nLN-X-1,甲,emerging,new energy,210100,"
                          + "很长" * 2600 + "\n").encode("utf-8"),
    "nul_bytes": lambda: b"region_code,industry_code,year,employment\n210100,37,2022,3\x0000\n210200,13,2022,200\n",
}


def case_bytes(case: dict[str, Any]) -> bytes:
    if "generated" in case:
        return GENERATED[case["generated"]]()
    return (BAD / case["file"]).read_bytes()


def test_every_corpus_file_is_a_case():
    used = {c["file"] for c in CASES if "generated" not in c}
    used |= {f for c in CASES for _, f in c.get("setup", [])}
    stored = {str(p.relative_to(BAD)) for p in BAD.rglob("*") if p.is_file() and p.name != "EXPECTED.toml"}
    assert stored == used
    assert all((BAD / f).stat().st_size < 4096 for f in stored)  # a few KB each


# -- setting up a case ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dictionaries_dir(tmp_path_factory) -> Path:
    """A data directory with the tiny dictionaries landed, copied for each case."""
    settings = Settings.from_env(tmp_path_factory.mktemp("template") / "data")
    for kind, name, text in TINY[:4]:
        ingest_bytes(settings, text.encode("utf-8"), name, kind, who="tester")
    return settings.data_dir


def _prepare(case: dict[str, Any], template: Path, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    settings = Settings.from_env(data_dir)
    if case.get("extra"):
        settings = dataclasses.replace(settings, extra=dict(case["extra"]))
    for kind, rel in case.get("setup", []):
        ingest_bytes(settings, (BAD / rel).read_bytes(), Path(rel).name, kind, who="tester")
    return settings


def _state(settings: Settings) -> tuple[list[str], list[str]]:
    """The manifest's upload ids and the landed files."""
    ids = [u.upload_id for u in OpsStore(settings.ops_path).uploads()]
    files = sorted(str(p.relative_to(settings.landing_dir)) for p in settings.landing_dir.rglob("*") if p.is_file())
    return ids, files


def _lines(found: list[Failure], expected: list[dict[str, Any]], what: str) -> None:
    for exp in expected:
        row = None if exp["row"] == -1 else exp["row"]
        match = [f for f in found if f.row == row and f.rule == exp["rule"]
                 and ("column" not in exp or f.column == exp["column"]) and exp.get("fix", "") in f.fix]
        assert match, f"no {what} {exp} among:\n" + "\n".join(map(str, found))


def _check_report(case: dict[str, Any], report) -> None:
    errors = case.get("errors", [])
    assert {f.rule for f in report.failures} == {e["rule"] for e in errors}, report.format_table()
    _lines(report.failures, errors, "error")
    _lines(report.notes("warning"), case.get("warnings", []), "warning")
    _lines(report.notes("notice"), case.get("notices", []), "notice")
    for f in report.failures:  # every error names a fix
        assert f.fix and f.column


def _check_landed(case: dict[str, Any], settings: Settings, upload_id: str) -> None:
    frame = landed_frame(settings, case["kind"])
    assert frame is not None
    mine = frame.filter(pl.col("upload_id") == upload_id).sort("source_row")
    for column, values in case.get("values", {}).items():
        expected = [None if v == "null" else v for v in values]
        assert mine.get_column(column).to_list() == pytest.approx(expected) if all(
            isinstance(v, float) for v in expected) else mine.get_column(column).to_list() == expected, column
    if "flags" in case:
        assert len(OpsStore(settings.ops_path).cell_flags(upload_id)) == case["flags"]


def _ids(case: dict[str, Any]) -> str:
    return case["file"]


# -- the library ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_library(case, dictionaries_dir, tmp_path):
    settings = _prepare(case, dictionaries_dir, tmp_path)
    before = _state(settings)
    name = case.get("upload_name", case["file"])
    call = {"sheet": case.get("sheet"), "max_bytes": case.get("max_bytes"), "who": "officer"}
    if case["outcome"] == "landed":
        result = ingest_bytes(settings, case_bytes(case), name, case["kind"], **call)
        assert result.status == "landed"
        _check_report(case, result.report)
        _check_landed(case, settings, result.upload.upload_id)
        # warnings and notices are kept with the manifest row
        assert len(OpsStore(settings.ops_path).upload_notes(result.upload.upload_id)) == len(result.report.warnings)
        return
    if case["outcome"] == "invalid":
        with pytest.raises(UploadInvalid) as info:
            ingest_bytes(settings, case_bytes(case), name, case["kind"], **call)
        _check_report(case, info.value.report)
        assert "nothing was landed" in str(info.value)
    else:
        with pytest.raises(UploadUnreadable) as info:
            ingest_bytes(settings, case_bytes(case), name, case["kind"], **call)
        for piece in case["message"]:
            assert piece in str(info.value)
        assert str(info.value).startswith(Path(name).name)  # the message names the file
    assert _state(settings) == before  # nothing landed, not even a part


# -- the CLI -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_cli(case, dictionaries_dir, tmp_path, monkeypatch):
    settings = _prepare(case, dictionaries_dir, tmp_path)
    folder = tmp_path / "upload"
    folder.mkdir()
    path = folder / Path(case.get("upload_name", case["file"])).name
    path.write_bytes(case_bytes(case))
    monkeypatch.setattr("pipeline.jobs.enqueue_upload", lambda *_a, **_k: type("J", (), {"job_id": 1})())
    args = ["--data-dir", str(settings.data_dir), "ingest", str(path), "--kind", case["kind"], "--json"]
    if case.get("sheet"):
        args += ["--sheet", case["sheet"]]
    if case.get("max_bytes"):
        args += ["--max-size", f"{case['max_bytes'] / 1024 / 1024:.10f}"]
    if case.get("extra", {}).get("max_unpacked_mb"):
        monkeypatch.setenv("CLUSTERSTATS_MAX_UNPACKED_MB", case["extra"]["max_unpacked_mb"])
    out = CliRunner().invoke(cli, args, catch_exceptions=False)
    if case["outcome"] == "landed":
        assert out.exit_code == 0, out.output
        result = json.loads(out.output)
        assert result["status"] == "landed"
        rules = {w["rule"] for w in result["warnings"]}
        expected = {w["rule"] for w in case.get("warnings", []) + case.get("notices", [])}
        assert rules >= expected - {"file_name_cleaned"}  # a path on disk: the CLI sends the file's own name
    elif case["outcome"] == "invalid":
        assert out.exit_code == 1
        report = json.loads(out.output)
        assert report["valid"] is False
        assert set(report["counts"]) == {e["rule"] for e in case["errors"]}
        for exp in case["errors"]:
            assert any(f["row"] == (None if exp["row"] == -1 else exp["row"]) and f["rule"] == exp["rule"]
                       for f in report["failures"])
    else:
        assert out.exit_code == 1
        for piece in case["message"]:
            assert piece in out.output.replace("\n", " ") or piece in " ".join(out.output.split())


def test_cli_table_for_people(dictionaries_dir, tmp_path, monkeypatch):
    """Without --json: the errors table, then the warnings and notices, in a real process."""
    settings = _prepare({}, dictionaries_dir, tmp_path)
    path = tmp_path / "header-not-first.csv"
    path.write_bytes((BAD / "header-not-first.csv").read_bytes())
    env = {"CLUSTERSTATS_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--kind", "regional-industry"],
                         env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].startswith("header-not-first.csv: 1 problem(s) in 1 row(s) of 2")
    assert any(line.split()[:4] == ["5", "从业人员(人)", "-200", "negative_value"] for line in lines)
    assert "Warnings and notices (they do not stop the upload):" in out.stdout
    assert any("notice: title_rows" in line for line in lines)
