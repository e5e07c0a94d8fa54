"""Exports (Excel, printable HTML, chart PNG) and upload templates: opened with the tools a reader uses."""

from __future__ import annotations

import io
import re

import openpyxl
import polars as pl
import pytest

from pipeline.reports.exports import chart_png, neutralise_formula, xlsx_bytes
from pipeline.reports.printable import (
    Facts,
    Image,
    Section,
    Table,
    Text,
    html_report,
)
from pipeline.reports.templates import data_dictionary, example_rows, template_columns, template_xlsx
from schemas import KINDS

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "＝1+1", "沈阳市", "-5", "Dalian"]


def cells(data: bytes, sheet: str | None = None) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet else book.worksheets[-1]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_never_holds_a_formula_from_user_data():
    frame = pl.DataFrame({"name": HOSTILE, "score": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]})
    data = xlsx_bytes({"Ranking": frame}, about=[("Cluster ranking 2022", ""), ("=evil", "@also")])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["About", "Ranking"]
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula"
                if isinstance(c.value, str) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", c.value.strip()):
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "＝")), c.value
    rows = cells(data, "Ranking")
    assert rows[0] == ["name", "score"] and rows[1] == ["'=cmd|' /C calc'!A0", 1.5]
    assert rows[8] == ["-5", 8.0] and rows[2][1] == -2.0  # a plain signed number stays what it is


def test_neutralise_formula_uses_one_rule():
    assert [neutralise_formula(x) for x in ("=1", "+1+1", "@x", "-x", "-5", "+1", "ok", None)] == [
        "'=1", "'+1+1", "'@x", "'-x", "-5", "+1", "ok", None]  # plain signed numbers are numbers, not formulas


def test_html_report_escapes_every_text_and_embeds_charts():
    png = b"\x89PNG\r\n\x1a\nfake"
    page = html_report(title="<script>alert(1)</script> 集群", subtitle="a & b", banner="<x-b>demo", sections=[
        Section("<x-h>", [Facts([("<x-k>", "<x-v>")]),
                          Table(pl.DataFrame({"<x-col>": ["<x-td>"], "n": [1.23456]}), {"n": 3}),
                          Text("<x-p onload=x>"), Image(png, "<x-alt>")])], footer="<x-f>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; 集群" in page
    assert "<x-" not in page and page.count("&lt;x-") == 9  # every user text escaped, only our markup is markup
    assert '<td class="num">1.235</td>' in page and "data:image/png;base64," in page
    assert '<html lang="zh-CN">' in page and "@page { size: A4" in page


def test_chart_png_renders_chinese_labels():
    import altair as alt

    frame = pl.DataFrame({"城市": ["沈阳市", "大连市"], "区位熵": [1.2, 0.8]}).to_pandas()
    chart = alt.Chart(frame).mark_bar().encode(x="区位熵:Q", y="城市:N").properties(title="各城市区位熵")
    png = chart_png(chart.to_dict())
    assert png.startswith(b"\x89PNG") and len(png) > 5000


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_has_the_headers_units_and_an_example(lang):
    data = template_xlsx("regional-industry", lang)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) == 2
    data_sheet, guide = book.worksheets
    headers = [c.value for c in data_sheet[1]]
    assert headers == [c["header"] for c in template_columns("regional-industry", lang)]
    assert ("工业总产值(万元)" if lang == "zh" else "Gross output value (10k yuan)") in headers
    assert data_sheet.max_row == 1  # no invented numbers on the data sheet
    assert data_sheet.cell(1, 1).comment is not None  # the other language's title and the description
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value is not None)
    assert "从业人员" in text and "Employment" in text and "10k yuan" in text and "万元" in text
    example = example_rows("regional-industry", lang)
    assert example.row(0)[:3] == ("210100", "37", "2022")


def test_a_filled_template_uploads_cleanly_with_its_units(dictionaries):
    from pipeline.ingest import check_upload

    for lang in ("zh", "en"):
        example = example_rows("regional-industry", lang)
        checked = check_upload(dictionaries, example.write_csv().encode(), "filled.csv", "regional-industry")
        assert checked.report.ok, checked.report.to_frame()
        record = checked.records().row(0, named=True)
        expected = KINDS["regional-industry"].columns["output_value"].example
        assert record["output_value"] == pytest.approx(expected)  # 万元 / 10k yuan converted back to yuan


def test_every_kind_has_a_template_and_a_dictionary_entry():
    for kind in KINDS:
        assert template_xlsx(kind, "zh").startswith(b"PK")
    dictionary = data_dictionary("en")
    assert set(dictionary["kind"]) == set(KINDS) and dictionary["title_zh"].null_count() == 0


def test_rejected_rows_are_the_users_rows_with_their_problems(dictionaries):
    from pipeline.ingest import check_upload
    from pipeline.reports.exports import rejected_rows

    bad = "地区代码,行业代码,年份,从业人员\n219900,13,2022,5\n210100,37,2022,140\n210100,13,2022,-1\n".encode()
    checked = check_upload(dictionaries, bad, "bad.csv", "regional-industry")
    rows = rejected_rows(checked)
    assert rows["row"].to_list() == [2, 4]
    assert rows.columns[2:] == ["地区代码", "行业代码", "年份", "从业人员"]
    assert rows.row(1)[2:] == ("210100", "13", "2022", "-1") and "negative" in rows["problems"][1]


def test_report_workbook_and_page_from_one_report():
    from ui.exports_ui import Report, report_html, report_xlsx

    report = Report(title="产业集群评价卡", subtitle="LN-EQ-001 · 2022", lang="zh", facts=[("综合评分", "73.61")],
                    provenance=[("计算批次", "b1")], about_sheet="说明", facts_heading="概要",
                    provenance_heading="数据来源")
    report.add("指标明细", pl.DataFrame({"指标": ["=HYPERLINK(\"x\")"], "原始值": [50.0]}))
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["说明", "指标明细"]
    assert workbook["指标明细"]["A2"].value == "'=HYPERLINK(\"x\")"
    page = report_html(report)
    assert "产业集群评价卡" in page and "=HYPERLINK(&quot;x&quot;)" in page and "计算批次" in page


def test_printable_tables_write_figures_by_the_formatting_rules():
    # the faults the issue found in the printable report: years as "2,013", counts as "4,891.00", True/False
    frame = pl.DataFrame({"年份": [2013, 2022], "从业人员（人）": [4891.0, 12000.0], "区位熵": [2.675, 0.5],
                          "专业化": [True, False], "备注": [None, "x"]})
    page = html_report(title="t", lang="zh", sections=[Section("s", [Table(frame)])], status="第2号发布")
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells == ["2013", "4,891", "2.68", "是", "–", "2022", "12,000", "0.50", "否", "x"]
    assert '@top-center { content: "第2号发布"' in page  # the status in the top margin of every printed page


def test_workbooks_store_figures_as_numbers_with_the_status_on_every_sheet():
    frame = pl.DataFrame({"Year": [2013], "Employment (persons)": [4891.0], "Share": [0.12345]})
    data = xlsx_bytes({"Data": frame}, about=[("Score", 71.456, "score"), ("Year", 2022, "year")],
                      kinds={"Share": "share"}, status="Release 2, published 2026-12-06")
    book = openpyxl.load_workbook(io.BytesIO(data))
    about, sheet = book["About"], book["Data"]
    assert about["A1"].value == sheet["A1"].value == "Release 2, published 2026-12-06"
    assert (about["B2"].value, about["B2"].number_format) == (71.5, "0.0")  # half up to the score's decimal
    assert (about["B3"].value, about["B3"].number_format) == (2022, "0")
    assert [c.value for c in sheet[2]] == ["Year", "Employment (persons)", "Share"]
    year, persons, share = sheet[3]
    assert (year.value, year.number_format) == (2013, "0")  # not 2,013
    assert (persons.value, persons.number_format) == (4891, "#,##0")  # a count: no decimals
    assert (share.value, share.number_format) == (pytest.approx(0.123), "0.0%")  # 12.3%, stored as the fraction
    assert "Release 2" in sheet.oddHeader.center.text
