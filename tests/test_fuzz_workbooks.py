"""Workbooks built by hypothesis, part by part (issue 14): sheet dimensions that lie, merged ranges of any size,
shared strings out of range, sparse cells far away, formulas without values. Whatever the structure, an upload
either reads or fails with a message (a :class:`ClusterstatsError`); the reading runs in a child process under
limits (:mod:`pipeline.ingest.sandbox`), so nothing a file holds can take this process down.

The XLSX parts are written here as XML, so that every field is under the test's control (openpyxl would write only
well-formed workbooks).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from pipeline.core.errors import ClusterstatsError
from pipeline.ingest import check_upload
from pipeline.ingest.sheets import column_letter

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                 'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
                 'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                 'sharedStrings+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                 'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                 'Target="sharedStrings.xml"/></Relationships>')
HEADER = ["地区代码", "行业代码", "年份", "从业人员"]

rows = st.integers(1, 1_048_576)
cols = st.integers(1, 16_384)
near_rows, near_cols = st.integers(1, 40), st.integers(1, 8)
values = st.one_of(st.integers(-10**20, 10**20).map(lambda v: ("n", str(v))),
                   st.floats(allow_nan=True, allow_infinity=True).map(lambda v: ("n", repr(v))),
                   st.text(max_size=12).map(lambda v: ("s", v)),
                   st.integers(-3, 40).map(lambda v: ("shared", str(v))),
                   st.sampled_from(["#DIV/0!", "#REF!"]).map(lambda v: ("e", v)),
                   st.just(("f", "SUM(A1:A2)")))
cells = st.lists(st.tuples(st.one_of(near_rows, rows), st.one_of(near_cols, cols), values), max_size=25)
ranges = st.tuples(st.one_of(near_rows, rows), st.one_of(near_cols, cols), st.one_of(near_rows, rows),
                   st.one_of(near_cols, cols))


def _ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def _cell(row: int, col: int, value: tuple[str, str]) -> str:
    kind, text = value
    ref = _ref(row, col)
    if kind == "n":
        return f'<c r="{ref}"><v>{escape(text)}</v></c>'
    if kind == "shared":
        return f'<c r="{ref}" t="s"><v>{text}</v></c>'
    if kind == "e":
        return f'<c r="{ref}" t="e"><v>{text}</v></c>'
    if kind == "f":
        return f'<c r="{ref}"><f>{text}</f></c>'
    safe = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF)
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(safe)}</t></is></c>'


def workbook(cells_: list, merged: list, dimension: tuple[int, int, int, int] | None, shared: list[str]) -> bytes:
    """An XLSX with the kind's header in row 1, then ``cells_`` (row, column, value), sorted as Excel writes
    them; ``merged`` ranges, a ``dimension`` that may lie, ``shared`` strings."""
    by_row: dict[int, dict[int, str]] = {1: {i + 1: _cell(1, i + 1, ("s", h)) for i, h in enumerate(HEADER)}}
    for row, col, value in cells_:
        by_row.setdefault(row, {})[col] = _cell(row, col, value)
    data = "".join(f'<row r="{r}">' + "".join(c for _, c in sorted(by_row[r].items())) + "</row>"
                   for r in sorted(by_row))
    dim = f'<dimension ref="{_ref(*dimension[:2])}:{_ref(*dimension[2:])}"/>' if dimension else ""
    merges = "".join(f'<mergeCell ref="{_ref(r1, c1)}:{_ref(r2, c2)}"/>' for r1, c1, r2, c2 in merged)
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main">{dim}<sheetData>{data}</sheetData>'
             + (f'<mergeCells count="{len(merged)}">{merges}</mergeCells>' if merged else "") + "</worksheet>")
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               f'2006/main" count="{len(shared)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
               + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            z.writestr(name, text)
    return out.getvalue()


def test_the_generator_writes_a_workbook_that_reads(dictionaries):
    """The hand-written parts make a real workbook: a header and one record land as one row."""
    data = workbook([(2, 1, ("s", "210100")), (2, 2, ("s", "13")), (2, 3, ("n", "2022")), (2, 4, ("n", "100"))],
                    [], None, [])
    checked = check_upload(dictionaries, data, "gen.xlsx", "regional-industry", this_year=2026)
    assert checked.report.ok and checked.records().select("region_code", "employment").rows() == [("210100", 100.0)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(cells_=cells, merged=st.lists(ranges, max_size=4), dimension=st.one_of(st.none(), ranges),
       shared=st.lists(st.text(max_size=8), max_size=5))
def test_any_workbook_reads_or_fails_with_a_message(dictionaries, cells_, merged, dimension, shared):
    data = workbook(cells_, merged, dimension, shared)
    try:
        check_upload(dictionaries, data, "fuzz.xlsx", "regional-industry", this_year=2026)
    except ClusterstatsError as exc:
        assert str(exc).strip()  # every failure is a message
