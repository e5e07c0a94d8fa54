"""Exports for reports: Excel workbooks and chart images (the printable HTML page: :mod:`pipeline.reports.printable`).

    >>> data = xlsx_bytes({"Ranking": pl.DataFrame({"cluster": ["=cmd|' /C calc'!A0"], "score": [71.5]})})
    >>> data[:2]
    b'PK'

The callers (the web app's pages) pass frames whose column names and texts are already in the reader's language;
nothing here translates. Numbers are stored as numbers, rounded and formatted by the rules of
:mod:`pipeline.core.formatting` (a column's kind given by the caller, or inferred: a "year" column is a year, never
``2,013``; whole numbers are counts, never ``4,891.00``), and a workbook says on every sheet what its data are
(release, internal, embargoed, synthetic). Every text cell that came from user data is neutralised so that a
spreadsheet never calculates it (a cell never starts with ``=``, ``+``, ``-`` or ``@``: OWASP "CSV injection").
Chart images are rendered from Vega-Lite specifications with
vl-convert, with the CJK fonts of the machine registered so that Chinese labels show.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.errors import ClusterstatsError
from pipeline.core.formatting import display_width, excel_format, is_missing, stored

#: first characters that make a spreadsheet calculate a cell (OWASP), including full-width forms
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: folders searched for CJK fonts for chart images (Debian's fonts-noto-cjk first)
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype",
             "/usr/share/fonts")


class ExportUnavailable(ClusterstatsError):
    """This export needs a package that is not installed: install clusterstats with its dependencies
    (`pip install -e .`), which include vl-convert-python for chart images."""


def _own_neutralise(text: str | None) -> str | None:
    if text is None or not text.startswith(FORMULA_PREFIXES):
        return text
    return "'" + text


def neutralise_formula(text: str | None) -> str | None:
    """``text`` safe for a spreadsheet cell: a leading ``'`` when it starts like a formula.

    Uses :func:`pipeline.core.safety.neutralise_formula` (the ingest path's rule) when that module is present, else
    the same rule here; either way the result never starts with ``=``, ``+``, ``-`` or ``@`` unless it is a
    plain number.

    >>> neutralise_formula("=1+1"), neutralise_formula("@SUM(A1)"), neutralise_formula("沈阳市")
    ("'=1+1", "'@SUM(A1)", '沈阳市')
    """
    try:
        from pipeline.core.safety import neutralise_formula as theirs
    except ImportError:  # pragma: no cover - the ingest path provides it
        return _own_neutralise(text)
    return theirs(text)


def _cell(value: Any) -> Any:
    """A value as it goes into a cell: text neutralised, NaN/inf blank, lists joined."""
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


# -- Excel ----------------------------------------------------------------------------------------------------
#: headers that name a year column (in either language, as the app's labels write them)
YEAR_HEADERS = {"year", "年份", "年度", "年", "start year", "end year", "起始年份", "终止年份"}
#: headers that name a rank column
RANK_HEADERS = {"rank", "排名", "位次", "名次", "rank (low)", "rank (high)"}


def infer_kind(name: str, column: pl.Series) -> str | None:
    """The figure kind of a numeric column without a declared one: a year (header says so, values 1900-2100),
    a rank, a count (every value whole); None for other numbers (two decimals) and for text."""
    if not column.dtype.is_numeric() or column.dtype == pl.Boolean:
        return None
    values = [v for v in column.to_list() if not is_missing(v)]
    whole = all(float(v).is_integer() for v in values)
    header = str(name).strip().lower()
    if whole and values and (header in YEAR_HEADERS or header.endswith((" year", "年份", "年度"))) \
            and all(1900 <= v <= 2100 for v in values):
        return "year"
    if whole and (header in RANK_HEADERS or header.startswith(("rank", "排名", "位次"))):
        return "rank"
    return "count" if whole and values else None


def xlsx_bytes(sheets: dict[str, pl.DataFrame], *, about: Sequence[tuple[str, Any] | tuple[str, Any, str]] = (),
               about_sheet: str = "About", number_formats: dict[str, str] | None = None,
               kinds: dict[str, str] | None = None, status: str | None = None) -> bytes:
    """A workbook with one sheet per frame (header row bold and frozen, widths fitted) and, when ``about`` is
    given, a first sheet of (label, value[, kind]) lines saying what the workbook holds and where it comes from
    (a number with its kind is stored as a number).

    Numbers are stored as numbers: ``kinds`` maps a column to its figure kind (:mod:`pipeline.core.formatting`:
    the value as the kind's unit counts it, rounded like the printed figure, with its Excel format); other
    columns get :func:`infer_kind`'s, and ``number_formats`` (column -> Excel format) overrides the format.
    ``status`` (the release, or internal / embargoed / synthetic) is the first row of every sheet and the printed
    header of every page. Every text cell is neutralised (:func:`neutralise_formula`) and written as text.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False,
                                        "nan_inf_to_errors": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True,
                            "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 13})
    alert = book.add_format({"bold": True, "font_color": "#B3261E"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats: dict[str, Any] = {}

    def fmt(spec: str) -> Any:
        if spec not in formats:
            formats[spec] = book.add_format({"num_format": spec, "valign": "top"})
        return formats[spec]

    def status_row(ws: Any) -> int:
        if not status:
            return 0
        ws.write_string(0, 0, _cell(status) or "", alert)
        ws.set_header("&C" + status.replace("&", "&&"))
        return 1

    if about:
        ws = book.add_worksheet(_sheet_name(about_sheet, set()))
        top = status_row(ws)
        for r, item in enumerate(about, start=top):
            label, value = item[0], item[1]
            ws.write_string(r, 0, _cell(str(label)) or "", title if r == top else bold)
            kind = item[2] if len(item) > 2 else None  # type: ignore[misc]
            if kind is not None and isinstance(value, int | float) and not is_missing(value):
                ws.write_number(r, 1, stored(value, kind), fmt(excel_format(kind)))
            elif value is not None:
                ws.write_string(r, 1, _cell(str(value)) or "", wrap)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 90)
    used: set[str] = {about_sheet} if about else set()
    for name, frame in sheets.items():
        ws = book.add_worksheet(_sheet_name(name, used))
        head = status_row(ws)
        columns = frame.columns
        for c, col in enumerate(columns):
            ws.write_string(head, c, _cell(str(col)) or "", bold)
        for c, col in enumerate(columns):
            series = frame.get_column(col)
            kind = (kinds or {}).get(col) or infer_kind(col, series)
            spec = (number_formats or {}).get(col) or (excel_format(kind) if kind else
                                                      "#,##0.00" if series.dtype.is_numeric() else None)
            cell_fmt = fmt(spec) if spec else None
            width = display_width(str(col))
            longest = 0
            for r, value in enumerate(series.to_list(), start=head + 1):
                value = _cell(value)
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    number = stored(value, kind) if kind else value
                    ws.write_number(r, c, number, cell_fmt)
                    width = max(width, len(f"{value:,.2f}"))
                elif isinstance(value, date | datetime):
                    ws.write_string(r, c, value.isoformat())
                    width = max(width, 16)
                else:
                    ws.write_string(r, c, str(value), wrap)
                    longest = max(longest, display_width(str(value)))
            width = max(width, min(longest, 60))
            ws.set_column(c, c, min(60, max(8, width + 2)), wrap if longest > 60 else None)
        ws.freeze_panes(head + 1, 0)
        if frame.height:
            ws.autofilter(head, 0, head + frame.height, max(0, len(columns) - 1))
    book.close()
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    clean = clean[:31]
    base, n = clean, 2
    while clean in used:
        suffix = f" ({n})"
        clean, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(clean)
    return clean


# -- chart images ---------------------------------------------------------------------------------------------
@cache
def _register_fonts() -> None:
    import vl_convert

    for folder in FONT_DIRS:
        if Path(folder).is_dir():
            try:
                vl_convert.register_font_directory(folder)
            except Exception:  # a folder it cannot read: the next one may do
                continue
            return


def chart_png(spec: dict[str, Any], *, scale: float = 2.0, width: int = 640, status: str | None = None) -> bytes:
    """A Vega-Lite specification (``altair.Chart.to_dict()``) rendered as PNG (``scale`` 2: sharp in print); a chart
    that fills its container on screen gets ``width`` pixels. ``status`` (release, internal, synthetic) is written
    under the chart's title, so an image cut out of a page still says what its data are."""
    try:
        import vl_convert
    except ImportError:
        raise ExportUnavailable() from None
    _register_fonts()
    if "width" not in spec and "vconcat" not in spec and "hconcat" not in spec:
        spec = {**spec, "width": width}
    if status:
        old = spec.get("title")
        text = old.get("text", "") if isinstance(old, dict) else (old or "")
        spec = {**spec, "title": {**(old if isinstance(old, dict) else {}), "text": text, "subtitle": status,
                                  "subtitleColor": "#B3261E", "anchor": "start"}}
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG (from its IHDR chunk), or None when it is not a PNG."""
    if len(png) < 24 or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# -- rejected rows of an upload -------------------------------------------------------------------------------
def rejected_rows(checked: Any, *, row_label: str = "row", problems_label: str = "problems") -> pl.DataFrame:
    """The rows of an upload that have errors, as the user typed them (every column of their file, headers as
    written), with their row number and the problems found in each; for the user to fix and upload again.

    ``checked`` is a :class:`pipeline.ingest.upload.CheckedUpload`. Rows are numbered as in the report.
    """
    from pipeline.ingest.report import SOURCE_ROW

    report = checked.report
    problems: dict[int, list[str]] = {}
    for f in report.sorted_failures():
        if f.row is not None:
            problems.setdefault(f.row, []).append(f"{f.column}: {f.message} ({f.rule}). {f.fix}")
    prepared = checked.prepared
    table = getattr(checked, "table", None)
    labels = list(getattr(prepared, "labels", []) or [])
    body = prepared.body_rows(list(problems)) if hasattr(prepared, "body_rows") else getattr(prepared, "body", None)
    if body is None:  # an ingest path that keeps the header on the table
        body, labels = getattr(table, "frame", None), list(getattr(table, "headers", []) or [])
    if body is not None and SOURCE_ROW in body.columns:
        positional = [c for c in body.columns if c != SOURCE_ROW]
        names = _unique([labels[i] if i < len(labels) and labels[i] else f"({i + 1})"
                         for i in range(len(positional))])
        raw = body.select(SOURCE_ROW, *[pl.col(c).alias(n) for c, n in zip(positional, names, strict=True)])
    else:  # the typed columns only
        raw = prepared.raw.rename({k: v for k, v in prepared.headers.items() if k in prepared.raw.columns})
    bad = raw.filter(pl.col(SOURCE_ROW).is_in(list(problems)))
    notes = pl.DataFrame({SOURCE_ROW: list(problems), problems_label: ["; ".join(v) for v in problems.values()]},
                         schema={SOURCE_ROW: raw.schema[SOURCE_ROW], problems_label: pl.String})
    out = bad.join(notes, on=SOURCE_ROW, how="left").sort(SOURCE_ROW).rename({SOURCE_ROW: row_label})
    return out.select(row_label, problems_label, *[c for c in out.columns if c not in (row_label, problems_label)])


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column passed through :func:`neutralise_formula` (for CSV exports, which carry no cell types)."""
    exprs = [pl.col(name).map_elements(neutralise_formula, return_dtype=pl.String).alias(name)
             for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(exprs) if exprs else frame


__all__ = ["ExportUnavailable", "chart_png", "infer_kind", "neutralise_formula", "neutralised", "rejected_rows",
           "xlsx_bytes"]
