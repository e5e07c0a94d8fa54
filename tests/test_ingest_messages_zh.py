"""Every message an officer can see from the ingest path exists in Simplified Chinese as well as English.

The fixes of the report (errors, warnings, notices) and the messages of the upload errors are built once from the
templates of :mod:`pipeline.core.messages`: the English stays what it was (the other ingest tests pin it), and the
Chinese is checked here: on every case of the bad-file corpus (tests/data/bad/EXPECTED.toml), on more cases that
reach the rarer messages, word for word for the most common rules, and on the upload page in Chinese.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from conftest import TINY
from streamlit.testing.v1 import AppTest
from test_ingest_corpus import BAD, CASES, case_bytes

from pipeline.core.errors import ClusterstatsError, StorageFull, UploadInvalid, UploadUnreadable
from pipeline.core.messages import MESSAGES, Msg, joined, placeholders
from pipeline.core.settings import Settings
from pipeline.ingest import check_upload, ingest_bytes
from pipeline.ingest.report import Failure

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[!:][^{}]*)?\}")
APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
#: fragments whose Chinese needs no Chinese character
NO_CJK = {"rows", "rows.ragged.semicolon", "plaus.fraction"}


def assert_chinese(text: str | None, where: object) -> None:
    assert text, f"no Chinese text: {where}"
    assert CJK.search(text), f"no Chinese character in {text!r}: {where}"
    assert not PLACEHOLDER.search(text), f"a placeholder left in {text!r}: {where}"


def assert_lines_chinese(report: Any, where: str) -> int:
    lines = report.failures + report.warnings
    for f in lines:
        assert_chinese(f.fix_zh, f"{where}: {f}")
    assert_chinese(report.summary_msg().zh, where)
    return len(lines)


# -- the catalogue ---------------------------------------------------------------------------------------------------
def test_every_template_renders_in_both_languages():
    for msg_id, (en, zh) in MESSAGES.items():
        fields = dict.fromkeys(placeholders(en) | placeholders(zh), 1234)
        english, chinese = en.format(**fields), zh.format(**fields)
        assert not PLACEHOLDER.search(english) and not PLACEHOLDER.search(chinese), msg_id
        assert msg_id in NO_CJK or CJK.search(chinese), f"{msg_id}: the Chinese has no Chinese: {zh!r}"
        assert not chinese.endswith("。"), f"{msg_id}: a one-line hint ends without a full stop: {zh!r}"


def test_a_message_is_its_english_and_carries_its_chinese():
    m = Msg("checking.code_format", example="210100")
    assert m == "Codes are letters and digits without spaces or symbols, e.g. 210100."
    assert type(str(m)) is str and f"{m}" == m and m.zh == "代码只能包含字母和数字，例如 210100"
    assert m.text("zh") == m.zh and m.text("en") == m
    rows = Msg("rows", rows=["2", "4", "5"], more=Msg("rows.more", n=15))
    assert (rows, rows.zh) == ("2, 4, 5 … (15 rows)", "2、4、5 …（共 15 行）")
    listing = joined([Msg("codes.example", value="6", code="06", rows=["2"]), "x"], "; ", "；")
    assert (listing, listing.zh) == ("6 → 06 (rows 2); x", "6 → 06（第 2 行）；x")
    for copied in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert (copied, copied.zh, copied.id) == (m, m.zh, m.id)
    with pytest.raises(KeyError):
        Msg("checking.code_format")  # a field left out is an error, never a "{example}" on the page


def test_failures_keep_the_english_in_fix_and_the_chinese_in_fix_zh():
    f = Failure(row=2, column="从业人员", value="-5", rule="negative_value", fix=Msg("checking.negative_value"))
    assert type(f.fix) is str and f.fix.startswith("Measures cannot be negative")
    assert f.fix_zh == "指标不能为负数：请更正符号；未填报的请留空"
    assert (f.fix_in("zh"), f.fix_in("en")) == (f.fix_zh, f.fix)
    plain = Failure(row=2, column="c", value=None, rule="check_failed", fix="Only English.")
    assert plain.fix_zh == "" and plain.fix_in("zh") == "Only English."  # the English when there is no Chinese


def test_errors_keep_the_english_message_and_carry_the_chinese():
    exc = UploadUnreadable(Msg("read.unclosed_quote", file="a.csv", row=3, column="B"))
    assert str(exc).startswith("a.csv, row 3, column B: a quote") and type(exc.args[0]) is str
    assert exc.message_zh.startswith("a.csv：第 3 行第 B 列的引号没有闭合")
    assert exc.text("zh") == exc.message_zh and exc.text("en") == str(exc)
    again = pickle.loads(pickle.dumps(exc))
    assert (str(again), again.message_zh) == (str(exc), exc.message_zh)
    assert StorageFull().text("zh") == "磁盘已满，未写入任何内容，原有数据不变：请清理磁盘空间后重试"
    assert ClusterstatsError("English only").text("zh") == "English only"


def test_the_encoding_messages_say_what_to_do_in_chinese():
    m = Msg("read.unknown_encoding", file="a.csv", line=2, bytes="FF FE")
    assert m.zh == ("a.csv：文件编码无法识别（不是 UTF-8、UTF-16、GBK 或 GB18030，第 2 行首个无法识别的字节为 FF FE）："
                    "请在 Excel 或 WPS 中另存为“CSV UTF-8”后重新上传")


# -- the corpus ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dictionaries_dir(tmp_path_factory) -> Path:
    settings = Settings.from_env(tmp_path_factory.mktemp("zh-template") / "data")
    for kind, name, text in TINY[:4]:
        ingest_bytes(settings, text.encode("utf-8"), name, kind, who="tester")
    return settings.data_dir


def _settings(template: Path, tmp_path: Path, *, extra: dict | None = None, setup=(), bare: bool = False) -> Settings:
    data_dir = tmp_path / "data"
    if not bare:
        shutil.copytree(template, data_dir)
    settings = Settings.from_env(data_dir)
    if extra:
        settings = dataclasses.replace(settings, extra=dict(extra))
    for kind, rel in setup:
        ingest_bytes(settings, (BAD / rel).read_bytes(), Path(rel).name, kind, who="tester")
    return settings


def _every_line_in_chinese(settings: Settings, data: bytes, name: str, kind: str, **options: Any) -> None:
    """Land (or fail to land) the file: every line of the report, and the error, in Chinese."""
    try:
        result = ingest_bytes(settings, data, name, kind, who="officer", **options)
    except UploadInvalid as exc:
        assert assert_lines_chinese(exc.report, name)
        assert_chinese(exc.message_zh, name)
        rows = check_upload(settings, data, name, kind, **{k: v for k, v in options.items()
                                                             if k in ("sheet", "units", "this_year")}).rejected_rows()
        for text in rows.get_column("problems_zh").drop_nulls():
            assert_chinese(text, f"{name}: rejected rows")
    except UploadUnreadable as exc:
        assert_chinese(exc.message_zh, name)
        assert exc.message_zh.startswith(Path(name).name)  # the Chinese names the file too
    else:
        assert_lines_chinese(result.report, name)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_every_corpus_line_has_chinese(case, dictionaries_dir, tmp_path):
    settings = _settings(dictionaries_dir, tmp_path, extra=case.get("extra"), setup=case.get("setup", []))
    _every_line_in_chinese(settings, case_bytes(case), case.get("upload_name", case["file"]), case["kind"],
                           sheet=case.get("sheet"), max_bytes=case.get("max_bytes"))


# -- rarer messages --------------------------------------------------------------------------------------------------
def _xlsx(*sheets: tuple[str, list[list[Any]], bool]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows, hidden in sheets:
        ws = book.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
        if hidden:
            ws.hide()
    book.close()
    return buf.getvalue()


def _parquet(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


RI = "regional-industry"
HEAD = "地区代码,行业代码,年份,从业人员\n"
ROW = [["地区代码", "行业代码", "年份", "从业人员"], ["210100", "37", 2022, 300]]
MORE: list[tuple[str, str, str, bytes, dict[str, Any]]] = [
    ("wrong unit", RI, "u.csv", "地区代码,行业代码,年份,从业人员(万元)\n210100,13,2022,5\n".encode(), {}),
    ("unknown unit", RI, "u.csv", "地区代码,行业代码,年份,从业人员(斤)\n210100,13,2022,5\n".encode(), {}),
    ("unit on a key", RI, "u.csv", "地区代码(万元),行业代码,年份,从业人员\n210100,13,2022,5\n".encode(), {}),
    ("--unit for no column", RI, "u.csv", (HEAD + "210100,13,2022,5\n").encode(), {"units": {"wages": "万元"}}),
    ("cells", RI, "c.csv", ("地区代码,行业代码,年份,从业人员,工业总产值(万元)\n210100,13,20x2,abc,1\n"
                            "210100,37,1900,12%,2\n210200,13,2030,5,#N/A\n-,37,2022,5,3\n2.1E+05,13,2022,5,4\n"
                            "21 01,13,2022,5,5\n=1+1,13,2022,5,6\n" + "A" * 40 + ",13,2022,5,7\n"
                            "210200,37,2022,\x01,8\n210100,13,2021,,\n").encode(), {"this_year": 2026}),
    ("year formats", RI, "y.csv", (HEAD + "210100,13,2019年,1\n210200,13,2019.0,2\n").encode(), {}),
    ("no dictionaries", RI, "n.csv", (HEAD + "210100,13,2022,1\n").encode(), {"bare": True}),
    ("regions", "regions", "r.csv", ("code,name,level,parent_code,groups\n210000,辽宁省,province,,\n"
                                      "Z-WEST,辽西,zone,210000,\n211400,葫芦岛市,city,210000,Z-WEST;Z-NOWHERE\n"
                                      "211300,朝阳市,town,219999,\n").encode(), {}),
    ("cluster industries", "cluster-industries", "ci.csv", (b"cluster_code,industry_code,weight,valid_from,valid_to\n"
                                                            b"LN-EQ-001,37,1.5,2020,2018\nLN-AG-001,13,abc,,\n"
                                                            ), {}),
    ("clusters", "clusters", "cl.csv", ("code,name,tier,category,lead_region,description\n"
                                        "LN-X-1,<b>甲</b>,emerging,new energy,210100,=SUM(1)\n").encode(), {}),
    ("columns without header", RI, "h.csv", ("地区代码,行业代码,年份,从业人员,,\n" + "210100,13,2022,1,x,y\n" * 4
                                             ).encode(), {}),
    ("unit in a footnote", RI, "f.csv",
     "地区代码,行业代码,年份,工业总产值\n210100,13,2022,5\n注：单位：万元\n".encode(), {}),
    ("ragged workbook", RI, "rx.xlsx", _xlsx(("数据", [ROW[0], ["210100", "37", 2022, 300, "备注"]], False)), {}),
    ("valid rows land", "regions", "acc.csv", "code,name,level\n211300,朝阳市,city\n211400,葫芦岛市,town\n".encode(),
     {"accept_valid_rows": True}),
    ("no measure", RI, "nm.csv", b"region_code,industry_code,year,employment,output_value\n210100,13,2022,,\n",
     {}),
    ("share not a number", "cluster-industries", "sh.csv", b"cluster_code,industry_code,weight\nLN-EQ-001,37,x\n",
     {}),
    ("zero bytes", RI, "z.csv", b"", {}),
    ("only separators", RI, "oc.csv", b",,,\n,,,\n", {}),
    ("excel 2003 xml", RI, "x.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
                                    b'spreadsheet"></Workbook>', {}),
    ("bad utf-16", RI, "u16.csv", b"\xff\xfe" + "地区代码,年份\n".encode("utf-16-le") + b"\x00\xd8", {}),
    ("workbook named parquet", RI, "p.parquet", _xlsx(("说明", [["x"]], False)), {}),
    ("text named parquet", RI, "p.parquet", (HEAD + "210100,13,2022,1\n").encode(), {}),
    ("pdf named xls", RI, "b.xls", b"%PDF-1.4\n" + bytes(range(256)), {}),
    ("text named xls with a sheet", RI, "t.xls", (HEAD + "210100,13,2022,1\n").encode(), {"sheet": "1"}),
    ("csv with a sheet", RI, "t.csv", (HEAD + "210100,13,2022,1\n").encode(), {"sheet": "1"}),
    ("unsupported", RI, "t.doc", (HEAD + "210100,13,2022,1\n").encode(), {}),
    ("bad parquet", RI, "bad.parquet", b"PAR1garbage", {}),
    ("parquet", RI, "ok.parquet", _parquet(pl.DataFrame({"region_code": ["210100"], "industry_code": ["13"],
                                                          "year": [2022], "employment": [1.0]})), {}),
    ("no such sheet", RI, "s.xlsx", _xlsx(("说明", [["x"]], False)), {"sheet": "2099"}),
    ("every sheet hidden", RI, "ah.xlsx", _xlsx(("数据", ROW, True), ("说明", [["x"]], True)), {}),
    ("no sheet matches", RI, "nsm.xlsx", _xlsx(("说明", [["本表为测试"]], False), ("其他", [["其他"]], False)), {}),
    ("empty sheet", RI, "es.xlsx", _xlsx(("数据", [], False)), {}),
    ("damaged gbk", RI, "ue.csv", bytes(range(128, 256)) * 3 + b"\n", {}),
    ("folders in the name", RI, "a/b\\c.csv", (HEAD + "210100,13,2022,1\n").encode(), {}),
    ("damaged zip", RI, "dz.xlsx", b"PK\x03\x04" + b"\x00" * 100, {}),
]


@pytest.mark.parametrize("case", MORE, ids=lambda c: c[0])
def test_rarer_messages_have_chinese(case, dictionaries_dir, tmp_path):
    _, kind, name, data, options = case
    options = dict(options)
    settings = _settings(dictionaries_dir, tmp_path, bare=options.pop("bare", False))
    _every_line_in_chinese(settings, data, name, kind, **options)


# -- word for word, the most common rules ----------------------------------------------------------------------------
COMMON = ("地区代码,行业代码,年份,从业人员,工业总产值(万元)\n"
          "210100,37,2022,300,400000\n219900,13,2022,200,150000\n210200,13,2022,-5,100\n210100,37,2022,310,410000\n"
          ",13,2022,1,1\n21 01,13,2022,1,1\n")


def test_the_most_common_fixes_word_for_word(dictionaries):
    report = check_upload(dictionaries, COMMON.encode(), "bad.csv", "regional-industry").report
    fixes = {(f.row, f.rule): f.fix_zh for f in report.failures}
    assert fixes[(3, "unknown_code")] == (
        "地区字典中没有代码“219900”：请改用已入库的地区代码，或先把它加入地区字典；是否应为 210200？"
        "已入库的代码（5 个）：210200 大连市、210100 沈阳市、210000 辽宁省、Z-CENTRAL 中部城市群、Z-COASTAL 沿海经济带")
    assert fixes[(4, "negative_value")] == "指标不能为负数：请更正符号；未填报的请留空"
    assert fixes[(6, "empty_cell")] == "请填写地区代码（每行必填）"
    assert fixes[(7, "code_format")] == "代码只能包含字母和数字，例如 210100"
    assert fixes[(2, "duplicate_key")] == fixes[(5, "duplicate_key")] == (
        "同一主键（region_code=210100, industry_code=37, year=2022）出现在第 2、5 行：每个主键只保留一行"
        "（合并或删除其余行）")
    assert report.summary_msg().zh.startswith("bad.csv：6 行中有 6 行存在 7 个问题（")


def test_unknown_codes_before_the_dictionary_and_a_file_that_cannot_be_read(settings):
    with pytest.raises(UploadInvalid) as info:
        ingest_bytes(settings, b"region_code,industry_code,year,employment\n210100,13,2022,1\n", "n.csv",
                     "regional-industry")
    fixes = {f.fix_zh for f in info.value.report.failures}
    assert fixes == {"尚未上传地区字典：请先上传地区字典（regions），再上传本文件",
                     "尚未上传行业字典：请先上传行业字典（industries），再上传本文件"}
    with pytest.raises(UploadUnreadable) as info:
        ingest_bytes(settings, (BAD / "unclosed-quote.csv").read_bytes(), "unclosed-quote.csv", "regional-industry")
    assert info.value.message_zh == ("unclosed-quote.csv：第 3 行第 B 列的引号没有闭合，其后的内容会被读成一个单元格："
                                     "请补上或删除该引号后重新上传")


def test_json_excel_and_csv_carry_both_languages(dictionaries):
    checked = check_upload(dictionaries, COMMON.encode(), "bad.csv", "regional-industry")
    report = json.loads(checked.report.to_json())
    line = next(f for f in report["failures"] if f["rule"] == "negative_value")
    assert line["fix"].startswith("Measures cannot be negative") and line["fix_zh"].startswith("指标不能为负数")
    assert checked.report.to_frame().columns[-2:] == ["fix", "fix_zh"]
    rows = checked.rejected_rows()
    assert rows.columns[-2:] == ["problems", "problems_zh"]
    assert rows.filter(pl.col("row") == 4)["problems_zh"].item() == (
        "从业人员 “-5”：指标不能为负数：请更正符号；未填报的请留空")
    assert "指标不能为负数".encode() in checked.rejected_rows_csv()
    assert "Measures cannot be negative" in checked.report.format_table()  # the terminal stays English by default
    assert "各规则问题数：" in checked.report.format_table(lang="zh")


def test_the_file_of_rows_set_aside_on_landing_carries_both_languages(dictionaries):
    text = "code,name,level\n211300,朝阳市,city\n211400,葫芦岛市,town\n"
    result = ingest_bytes(dictionaries, text.encode(), "r.csv", "regions", accept_valid_rows=True)
    rows = pl.read_csv(result.rejected_path.read_bytes()[3:], infer_schema=False)
    assert rows.columns == ["row", "code", "name", "level", "problems"]  # the columns it always had
    english, chinese = rows["problems"][0].split("\n")
    assert english.startswith("level 'town': the value is not one of the allowed values.")
    assert chinese == "level “town”：请填写以下之一：country、province、state、zone、city、county、other"
    notice = next(f for f in result.report.warnings if f.rule == "rows_rejected")
    assert notice.fix_zh == "1 行有效数据入库；1 行有错误，已连同原因单独列出（只入库有效行）"


def test_the_rejected_rows_download_puts_the_readers_language_first(dictionaries, monkeypatch):
    import ui.components_upload as cu
    from ui.labels import LABELS

    checked = check_upload(dictionaries, COMMON.encode(), "bad.csv", "regional-industry")
    for language, first, second in (("zh", "问题", "问题（英文）"), ("en", "Problems", "Problems (in Chinese)")):
        monkeypatch.setattr(cu, "lang", lambda language=language: language)
        monkeypatch.setattr(cu, "t", lambda key, language=language, **f: LABELS[key][language == "zh"].format(**f))
        frame = cu.rejected_frame(checked)
        at = frame.columns.index(first)
        assert frame.columns[at + 1] == second
        texts = dict(zip(frame[frame.columns[0]].to_list(), frame[first].to_list(), strict=True))
        assert CJK.search(texts[4]) if language == "zh" else texts[4].startswith("从业人员: measures cannot")


# -- the upload page in Chinese ----------------------------------------------------------------------------------------
def _upload_page(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("views/upload.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="upload_kind_zh").set_value("regional-industry").run()
    return at


def test_upload_page_shows_the_fixes_warnings_and_errors_in_chinese(dictionaries, monkeypatch):
    at = _upload_page(dictionaries, monkeypatch)
    bad = "2022年各市数据\n地区代码,行业代码,年份,从业人员\n219900,13,2022,5\n210100,37,2022,-1\n".encode()
    at.file_uploader(key="upload_file").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    report = next(d.value for d in at.dataframe if "修改方法" in d.value.columns and "级别" not in d.value.columns)
    fixes = dict(zip(report["规则"], report["修改方法"], strict=True))
    assert fixes["negative_value"] == "指标不能为负数：请更正符号；未填报的请留空"
    assert fixes["unknown_code"].startswith("地区字典中没有代码“219900”：请改用已入库的地区代码")
    notes = next(d.value for d in at.dataframe if "级别" in d.value.columns)
    assert list(notes["修改方法"]) == ["已跳过表头（第 2 行）上方的第 1 行"]
    assert any(b.label == "下载问题行（2 行）" for b in at.download_button)

    at.file_uploader(key="upload_file").upload("pdf.csv", b"%PDF-1.7\n" + bytes(range(256)) * 4, "text/csv").run()
    assert "pdf.csv：不是表格文件，看起来是 PDF 文档：请上传表格本身，即 CSV（UTF-8）或 Excel（.xlsx）" in [
        e.value for e in at.error]


def test_every_message_the_ingest_modules_name_is_in_the_catalogue():
    """A message id that is not in the catalogue would raise KeyError on the rare path that builds it."""
    from pipeline.ingest.units import CANONICAL

    root = Path(__file__).resolve().parents[1] / "pipeline"
    named = set()
    for path in root.rglob("*.py"):
        named |= set(re.findall(r'Msg\(\s*"([a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    named |= {f"dim.{d}" for d in CANONICAL} | {f"unit.{u}" for u in CANONICAL.values()}
    named |= {f"rows.ragged.{s}" for s in ("tab", "semicolon", "comma")} | {"cells.missing_marker",
                                                                           "cells.suppressed_marker"}
    assert len(named) > 150 and not sorted(named - set(MESSAGES))
