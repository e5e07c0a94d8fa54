"""Streaming ingest (pipeline.ingest.streaming): a large CSV read block by block gives the report, the records, the
flags and the rejected rows that reading it whole gives, and keeps none of the user's text.

The files here are a few hundred kilobytes, read in blocks of a few kilobytes (``ingest_block_mb``), so that every
kind of problem falls in a later block than the header, and some across blocks (a duplicate key, a year-on-year
jump, notes that count rows in several blocks). Each case is checked twice: read whole (one block larger than the
file) and streamed, and the two must agree line by line.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from pipeline.core.errors import UploadUnreadable
from pipeline.ingest import check_upload, ingest_bytes
from pipeline.ingest.landing import landed_frame
from pipeline.ingest.report import SOURCE_ROW
from pipeline.ingest.streaming import HEAD_LINES, cut

FIRMS = 1000  # firms F0001..F1000, each in 2020, 2021 and 2022: rows 2..3001 before the planted lines
HEADER = "企业代码,年份,地区代码,行业代码,集群代码,从业人员(人),总产值(元),企业名称"


def _line(i: int, year: int) -> str:
    """Firm i's ordinary record: employment 10 + i % 50 persons, output 1000 * employment yuan."""
    region, industry, cluster = ("210100", "37", "LN-EQ-001") if i % 2 else ("210200", "13", "LN-AG-001")
    employment = 10 + i % 50
    return f"F{i:04d},{year},{region},{industry},{cluster},{employment},{employment * 1000},Firm {i}"


def firm_lines(errors: bool = True) -> list[str]:
    """The file's lines (header first). Planted problems, each beyond the first block (``errors=False``: only
    the warnings and notices, so that the checks against landed data run, which an error stops):

    - row 503 (F0502, 2020): employment 'abc' (not_a_number)
    - row 904 (F0903, 2020): output -5 (negative_value)
    - rows 1103, 1503, 2003, 2503: employment '—' (missing_marker, one note over four blocks)
    - rows 1201 and 2701: output '10,000' and '59,000' quoted (number_format, one note over two blocks)
    - a blank line after rows 700 and 2300 (blank_rows: one note)
    - F0300 2022 repeated at the end of the 2021 run (duplicate_key across blocks)
    - F0010: employment 10 * 20 = 200 in 2022 against 20 in 2021 (year_on_year_jump, factor 10 > 5)
    - row 1801: region 219999 (unknown_code); row 1901: year '2021年' (year_format note)
    - row 2201: name '=HYPERLINK("x")' (formula_text warning); row 2401: a name with a line break inside quotes
    - row 2601: both measures '…' (all_measures_missing); a total row '合计' before the footnote; a footnote last
    """
    lines = [HEADER]
    for year in (2020, 2021, 2022):
        for i in range(1, FIRMS + 1):
            lines.append(_line(i, year))
            if year == 2021 and i == FIRMS:  # a duplicate of F0300 2022, which comes later (or a new firm)
                lines.append(_line(300, 2022) if errors else _line(1001, 2022))
    def put(row: int, column: int, value: str) -> None:
        cells = lines[row - 1].split(",")
        cells[column] = value
        lines[row - 1] = ",".join(cells)

    if errors:
        put(503, 5, "abc")
        put(904, 6, "-5")
        put(1801, 2, "219999")
    for row in (1103, 1503, 2003, 2503):
        put(row, 5, "—")
    put(1201, 6, '"10,000"')  # F0200 2021: 10 persons, 10,000 yuan, written with a thousands separator
    put(2701, 6, '"59,000"')  # F0699 2022: 59 persons
    put(1901, 1, "2021年")
    put(2201, 7, '"=HYPERLINK(""x"")"')
    put(2401, 7, '"Firm with\na line break"')
    put(2601, 5, "…")
    put(2601, 6, "…")
    f10_2022 = 2 * FIRMS + 1 + 10 + 1  # header, 2020 run, 2021 run, the duplicate, then F0001.. F0010
    put(f10_2022, 5, "200")
    lines.insert(2300, "")
    lines.insert(700, "")
    lines += ["合计,,,,,99999,99999999,", "注：数据来源：企业联网直报平台。,,,,,,,"]
    return lines


def firms_csv(errors: bool = True) -> bytes:
    return ("\n".join(firm_lines(errors)) + "\n").encode("utf-8")


def _both(settings, data: bytes, kind: str = "firms", name: str = "firms.csv", block_kb: float = 6, **kw):
    whole = check_upload(settings, data, name, kind, this_year=2026, **kw)
    settings.extra["ingest_block_mb"] = str(block_kb / 1024)
    try:
        streamed = check_upload(settings, data, name, kind, this_year=2026, **kw)
    finally:
        settings.extra.pop("ingest_block_mb")
    return whole, streamed


def _report(checked) -> str:
    return json.dumps(checked.report.to_dict(), ensure_ascii=False, sort_keys=True, default=str, indent=1)


@pytest.fixture
def firm_dictionaries(landed):
    return landed


@pytest.mark.parametrize("block_kb", [6, 17, 64])
def test_streamed_report_records_and_flags_equal_reading_whole(firm_dictionaries, block_kb):
    data = firms_csv()
    whole, streamed = _both(firm_dictionaries, data, block_kb=block_kb)
    assert whole.prepared.source is None
    source = streamed.prepared.source
    assert source is not None
    # 3,000 records of about 52 bytes: 150 KB in blocks of 6, 17 or 64 KB (the first holds >= 200 records)
    assert len(source.blocks) == len(cut(data, block_kb * 1024, head_lines=HEAD_LINES))
    assert len(source.blocks) >= {6: 20, 17: 8, 64: 2}[block_kb]
    assert _report(streamed) == _report(whole)
    assert streamed.records().equals(whole.records())
    assert streamed.prepared.flags.sort("source_row", "field").equals(whole.prepared.flags.sort("source_row", "field"))
    assert streamed.rejected_rows().equals(whole.rejected_rows())
    # nothing of the user's text is kept: only the row numbers (and name columns beside codes, none here)
    assert streamed.prepared.raw.columns == [SOURCE_ROW]
    assert streamed.prepared.body is None


@pytest.mark.parametrize(("bom", "line_end"), [(b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\r\n")])
def test_a_file_with_a_byte_order_mark_or_windows_line_ends_streams_too(firm_dictionaries, bom, line_end):
    """Excel saves "CSV UTF-8" with a byte order mark and Windows line ends: the first block is read without the
    mark, as the whole file is, and a block's rows are counted by its line ends either way."""
    whole, streamed = _both(firm_dictionaries, bom + firms_csv().replace(b"\n", line_end))
    encoding = "utf-8-sig" if bom else "utf-8"
    assert streamed.prepared.source is not None and whole.table.encoding == streamed.table.encoding == encoding
    assert _report(streamed) == _report(whole)
    assert streamed.records().equals(whole.records())
    assert streamed.rejected_rows().equals(whole.rejected_rows())


def test_streamed_report_finds_every_planted_problem(firm_dictionaries):
    _, streamed = _both(firm_dictionaries, firms_csv())
    report = streamed.report
    errors = {(f.row, f.rule) for f in report.failures}
    # rows: the header is row 1; put() wrote rows r before the two blank lines went in, which move a row r to
    # r + (r >= 701) + (r >= 2301)
    assert (503, "not_a_number") in errors
    assert (905, "negative_value") in errors
    assert (1802, "unknown_code") in errors  # firm-year row 1801 + 1 blank line above it
    dup = [f for f in report.failures if f.rule == "duplicate_key"]
    # F0300 2022: the duplicate after the 2021 run (row 2002 + 1 = 2003), the original at 2003 + 300 = 2303,
    # plus the second blank line: 2304
    assert sorted(f.row for f in dup) == [2003, 2304]
    assert "2003" in dup[0].fix and "2304" in dup[0].fix
    notes = {f.rule: f for f in report.warnings}
    missing = notes["missing_marker"]
    assert missing.msg.params["n"] == 4
    assert missing.msg.params["rows"].params["rows"] == ["1104", "1504", "2004", "2505"]
    assert {(f.row, f.field) for f in report.warnings if f.rule == "suppressed_marker"} == {
        (2603, "employment"), (2603, "output_value")}
    assert notes["number_format"].msg.params["n"] == 2
    assert notes["number_format"].value == "'10,000', '59,000'"
    blank = notes["blank_rows"]
    assert blank.msg.params["n"] == 2 and blank.msg.params["rows"].params["rows"] == ["701", "2302"]
    assert notes["all_measures_missing"].row == 2603
    assert "year_on_year_jump" not in notes  # errors stop the checks against landed data
    assert notes["formula_text"].row == 2202
    assert notes["total_row"].value == "合计"
    assert notes["footnote_row"].row == 3001 + 2 + 2 + 1


def test_streamed_checks_against_landed_data_equal_reading_whole(firm_dictionaries):
    data = firms_csv(errors=False)
    whole, streamed = _both(firm_dictionaries, data)
    assert streamed.prepared.source is not None and streamed.report.ok
    assert _report(streamed) == _report(whole)
    jump = [f for f in streamed.report.warnings if f.rule == "year_on_year_jump"]
    # F0010 2022 (row 2012, + the blank line after row 700): 200 persons against 20 in 2021 (10 + 10 % 50), x10
    assert [(f.row, f.field, f.value) for f in jump] == [(2013, "employment", "200")]  # the text, read again
    ingest_bytes(firm_dictionaries, data, "firms.csv", "firms", this_year=2026, who="t")
    again = data.replace(b"F0020,2020,210200,13,LN-AG-001,30,30000", b"F0020,2020,210200,13,LN-AG-001,31,31000")
    whole, streamed = _both(firm_dictionaries, again)
    assert _report(streamed) == _report(whole)
    replaced = [f for f in streamed.report.warnings if f.rule == "replaces_landed"]
    # every record landed already: 3,001 less row 2603, whose measures are all '…' and which did not land
    assert len(replaced) == 1 and replaced[0].fix.startswith("3000 row(s)")
    assert replaced[0].msg.params["changed"] == 1


def test_rejected_rows_read_again_from_the_bytes(firm_dictionaries):
    whole, streamed = _both(firm_dictionaries, firms_csv())
    source = streamed.prepared.source
    before = source.parsed
    rows = streamed.rejected_rows()
    assert source.parsed > before  # the blocks holding the rows were parsed again
    assert rows.equals(whole.rejected_rows())
    row = rows.filter(pl.col("row") == 503).row(0, named=True)
    assert row["从业人员(人)"] == "abc" and row["企业代码"] == "F0502"


def test_streamed_accept_valid_rows_lands_what_reading_whole_lands(firm_dictionaries, tmp_path):
    from pipeline.core.settings import Settings
    from tests.conftest import TINY, land_all

    data = firms_csv()
    other = Settings.from_env(tmp_path / "other")
    folder = tmp_path / "tiny-again"
    folder.mkdir()
    for _, name, text in TINY:
        (folder / name).write_text(text, encoding="utf-8")
    land_all(other, [(kind, folder / name) for kind, name, _ in TINY])
    whole = ingest_bytes(other, data, "firms.csv", "firms", this_year=2026, accept_valid_rows=True, who="t")
    firm_dictionaries.extra["ingest_block_mb"] = str(6 / 1024)
    streamed = ingest_bytes(firm_dictionaries, data, "firms.csv", "firms", this_year=2026, accept_valid_rows=True,
                            who="t")
    # rows 503 (not a number), 905 (negative), 1802 (unknown region), 2003 and 2304 (the duplicate key)
    assert streamed.rejected == whole.rejected == 5
    columns = ["source_row", "firm_id", "year", "name", "region_code", "industry_code", "cluster_code",
               "employment", "output_value"]
    mine = pl.col("firm_id").str.len_chars() == 5  # F0001..F1000; the tiny set's firms are F001..F102
    a = landed_frame(firm_dictionaries, "firms").filter(mine).select(columns).sort("source_row")
    b = landed_frame(other, "firms").filter(mine).select(columns).sort("source_row")
    assert a.height == 3001 - 5 - 1  # the records, less the rejected and row 2603 (every measure '…')
    assert a.equals(b)
    assert streamed.rejected_path.read_bytes() == whole.rejected_path.read_bytes()


def _streams(settings, data: bytes, block_kb: float = 6) -> bool:
    settings.extra["ingest_block_mb"] = str(block_kb / 1024)
    try:
        return check_upload(settings, data, "firms.csv", "firms", this_year=2026).prepared.source is not None
    finally:
        settings.extra.pop("ingest_block_mb")


def test_a_block_that_could_change_the_report_makes_the_file_read_whole(firm_dictionaries):
    settings = firm_dictionaries
    lines = firm_lines()
    assert _streams(settings, firms_csv())
    cases = {
        "a row wider than the first rows": lines[:1500] + [lines[1500] + ",extra"] + lines[1501:],
        "a footnote before the last block": lines[:1000] + ["注：单位为元。,,,,,,,"] + lines[1000:],
        "cells under a column the first rows leave empty": [lines[0] + ",附加列"]
        + [line + "," for line in lines[1:1200]] + [line + ",x" for line in lines[1200:1210]]
        + [line + "," for line in lines[1210:]],
    }
    for what, case in cases.items():
        data = ("\n".join(case) + "\n").encode("utf-8")
        assert not _streams(settings, data), what
        whole, streamed = _both(settings, data)
        assert _report(streamed) == _report(whole), what
    semicolons = ("\n".join(line.replace(",", ";") for line in lines) + "\n").encode("utf-8")
    assert not _streams(settings, semicolons)


def test_bytes_that_are_not_utf8_in_a_later_block_are_reported_as_reading_whole_does(firm_dictionaries):
    data = firms_csv()
    at = data.index(b"F0700,2021")
    damaged = data[:at] + b"\xff\xfe" + data[at + 2:]
    errors = []
    for block_kb in (100_000, 6):
        firm_dictionaries.extra["ingest_block_mb"] = str(block_kb / 1024)
        with pytest.raises(UploadUnreadable) as exc:
            check_upload(firm_dictionaries, damaged, "firms.csv", "firms", this_year=2026)
        errors.append(str(exc.value))
    assert errors[0] == errors[1]
    assert "line 1702" in errors[0]  # F0700 2021: row 1002 + 699 = 1701, + the blank line after row 700


def test_cuts_fall_on_line_ends_outside_quotes():
    data = b'a,b\n1,"x\ny"\n2,"say ""hi""\nthere"\n3,z\n'
    blocks = cut(data, 4)  # at least 4 bytes each, then on to a line end outside quotes
    assert b"".join(data[b.start:b.end] for b in blocks) == data
    # every block ends at a line end with an even count of quotes: never inside a quoted cell
    assert [data[b.start:b.end] for b in blocks] == [b'a,b\n', b'1,"x\ny"\n', b'2,"say ""hi""\nthere"\n', b"3,z\n"]
    assert cut(b"no line end at all", 4) == [cut(b"no line end at all", 4)[0]]


def test_repeated_keys_by_block_are_those_pandera_finds_on_the_whole_frame():
    """The unique key is checked on the whole frame by hashes, then keys (pipeline.ingest.checking._cases_by_block):
    the same rows, and the same records, as pandera's own check, nulls in keys included."""
    from pipeline.ingest.checking import _cases, _cases_by_block
    from schemas import get_kind

    schema = get_kind("firms").schema
    frame = pl.DataFrame({
        "firm_id": ["A", "B", "A", None, "C", None, "B", "D"],
        "year": [2020, 2020, 2020, 2021, 2021, 2021, 2021, None],
        "name": [None] * 8, "region_code": ["210100"] * 8, "industry_code": ["37"] * 8, "cluster_code": [None] * 8,
        "employment": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], "output_value": [None] * 8,
    }, schema_overrides={"year": pl.Int64})
    whole = _cases(schema, frame)
    blocks = _cases_by_block(schema, frame, [3, 3, 2])
    assert whole is not None and blocks is not None

    def repeats(cases):
        found = cases.filter(pl.col("check") == "multiple_fields_uniqueness")
        return sorted((i, json.loads(c)["firm_id"], json.loads(c)["year"])
                      for i, c in found.select("index", "failure_case").iter_rows())

    # A 2020 at rows 0 and 2; (None, 2021) at 3 and 5; B is in 2020 and 2021 (no repeat), D's year is empty
    assert repeats(blocks) == repeats(whole) == [(0, "A", 2020), (2, "A", 2020), (3, None, 2021), (5, None, 2021)]
    # the row checks run block by block, at the whole frame's row indexes: D's empty year (index 7)
    row_cases = blocks.filter(pl.col("column") == "year").select("index", "check").rows()
    assert row_cases == whole.filter(pl.col("column") == "year").select(pl.col("index").cast(pl.Int64), "check").rows()
    assert row_cases == [(7, "not_nullable")]


def test_a_row_whose_first_cells_are_spaces_is_judged_by_its_first_filled_cell(dictionaries):
    """Rows are sorted into records, totals, footnotes and blank rows by their first filled cell. It is found
    quickly as the first cell that is not empty; where that cell holds only spaces, the row is read again with
    every cell stripped (pipeline.ingest.rows.row_roles): here row 4's first filled cell is '合计' in column D,
    and row 5 holds nothing but spaces."""
    text = ("地区代码,行业代码,年份,从业人员(人),工业总产值(万元)\n"
            "210100,13,2022,100,50000\n"
            "210200,13,2022,200,150000\n"
            "  ,,,合计,\n"
            " , ,  ,,\n")
    report = check_upload(dictionaries, text.encode("utf-8"), "ri.csv", "regional-industry", this_year=2026).report
    assert report.ok
    lines = {(f.rule, f.row, f.value) for f in report.warnings}
    assert ("total_row", 4, "合计") in lines
    blank = [f for f in report.warnings if f.rule == "blank_rows"]
    assert len(blank) == 1 and blank[0].msg.params["n"] == 1 and blank[0].fix.endswith(": 5.")


def test_checks_against_landed_data_read_a_year_at_a_time_take_the_newest_vintage(landed):
    """Keys already landed and year-on-year jumps compare each year with that year's newest landed records and
    the year before's (pipeline.ingest.plausibility.Landed reads the landed vintages a year at a time)."""
    header = "地区代码,行业代码,年份,从业人员(人),工业总产值(万元)\n"
    # vintage 1 (the tiny set) has 210100/13/2022 at 100 persons; vintage 2 moves it to 120
    ingest_bytes(landed, (header + "210100,13,2022,120,50000\n").encode(), "v2.csv", "regional-industry",
                 this_year=2026, who="t")
    upload = (header
              + "210100,13,2023,1200,50000\n"    # row 2: 1200 / 120 (vintage 2, not vintage 1's 100) = 10.0 times
              + "210200,13,2022,200,150000\n"    # row 3: the key of vintage 1, the same values
              + "210200,13,2023,2100,150000\n")  # row 4: 2100 / 200 (row 3 of this file) = 10.5 times
    report = check_upload(landed, upload.encode(), "v3.csv", "regional-industry", this_year=2026).report
    jumps = sorted((f.row, f.fix.split(";")[0]) for f in report.warnings if f.rule == "year_on_year_jump")
    assert jumps == [
        (2, "1,200 persons is 10.0 times the 2022 value (120 persons, landed vintage 2)"),
        (4, "2,100 persons is 10.5 times the 2022 value (200 persons, row 3)"),
    ]
    replaced = [f for f in report.warnings if f.rule == "replaces_landed"]
    assert len(replaced) == 1 and replaced[0].row == 3 and replaced[0].value == "210200/13/2022"
    assert replaced[0].msg.params["n"] == 1 and replaced[0].msg.params["vintages"] == ["1"]
    assert replaced[0].msg.params["changed"] == 0
