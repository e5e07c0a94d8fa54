"""Exports for reports: Excel workbooks, printable HTML pages and chart images.

    >>> data = xlsx_bytes({"Ranking": pl.DataFrame({"cluster": ["=cmd|' /C calc'!A0"], "score": [71.5]})})
    >>> data[:2]
    b'PK'

The callers (the web app's pages) pass frames whose column names and texts are already in the reader's language;
nothing here translates. Every text cell that came from user data is neutralised so that a spreadsheet never
calculates it (a cell never starts with ``=``, ``+``, ``-`` or ``@``: OWASP "CSV injection"), and every text put
into HTML is escaped with :func:`html.escape`. Chart images are rendered from Vega-Lite specifications with
vl-convert, with the CJK fonts of the machine registered so that Chinese labels show.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.errors import ClusterstatsError

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
def xlsx_bytes(sheets: dict[str, pl.DataFrame], *, about: Sequence[tuple[str, str]] = (),
               about_sheet: str = "About", number_formats: dict[str, str] | None = None) -> bytes:
    """A workbook with one sheet per frame (header row bold and frozen, widths fitted) and, when ``about`` is
    given, a first sheet of (label, value) lines saying what the workbook holds and where it comes from.

    ``number_formats``: column name -> Excel number format (default: ``#,##0`` for integers, ``#,##0.00`` for
    other numbers). Every text cell is neutralised (:func:`neutralise_formula`) and written as text, never as a
    formula.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False,
                                        "nan_inf_to_errors": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True,
                            "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 13})
    formats: dict[str, Any] = {}

    def fmt(spec: str) -> Any:
        if spec not in formats:
            formats[spec] = book.add_format({"num_format": spec})
        return formats[spec]

    if about:
        ws = book.add_worksheet(_sheet_name(about_sheet, set()))
        for r, (label, value) in enumerate(about):
            ws.write_string(r, 0, _cell(str(label)) or "", title if r == 0 else bold)
            if value is not None:
                ws.write_string(r, 1, _cell(str(value)) or "")
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 90)
    used: set[str] = {about_sheet} if about else set()
    for name, frame in sheets.items():
        ws = book.add_worksheet(_sheet_name(name, used))
        columns = frame.columns
        for c, col in enumerate(columns):
            ws.write_string(0, c, _cell(str(col)) or "", bold)
        for c, col in enumerate(columns):
            dtype = frame.schema[col]
            spec = (number_formats or {}).get(col) or ("#,##0" if dtype.is_integer() else
                                                      "#,##0.00" if dtype.is_numeric() else None)
            cell_fmt = fmt(spec) if spec else None
            width = _width(str(col))
            for r, value in enumerate(frame.get_column(col).to_list(), start=1):
                value = _cell(value)
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, cell_fmt)
                    width = max(width, len(f"{value:,.2f}"))
                elif isinstance(value, (date, datetime)):
                    ws.write_string(r, c, value.isoformat())
                    width = max(width, 16)
                else:
                    ws.write_string(r, c, str(value))
                    width = max(width, _width(str(value)))
            ws.set_column(c, c, min(60, max(8, width + 2)))
        ws.freeze_panes(1, 0)
        if frame.height:
            ws.autofilter(0, 0, frame.height, max(0, len(columns) - 1))
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


def _width(text: str) -> int:
    """Display width: CJK characters take two cells."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


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


def chart_png(spec: dict[str, Any], *, scale: float = 2.0, width: int = 640) -> bytes:
    """A Vega-Lite specification (``altair.Chart.to_dict()``) rendered as PNG (``scale`` 2: sharp in print); a chart
    that fills its container on screen gets ``width`` pixels."""
    try:
        import vl_convert
    except ImportError:
        raise ExportUnavailable() from None
    _register_fonts()
    if "width" not in spec and "vconcat" not in spec and "hconcat" not in spec:
        spec = {**spec, "width": width}
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG (from its IHDR chunk), or None when it is not a PNG."""
    if len(png) < 24 or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# -- printable HTML -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    """Label: value lines (a definition list)."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    """A frame as a table; ``digits`` per column (default 2 for floats)."""

    frame: pl.DataFrame
    digits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Image:
    """A PNG image (a chart) with its alternative text."""

    png: bytes
    alt: str


@dataclass(frozen=True)
class Text:
    """A paragraph (plain text; escaped)."""

    text: str


@dataclass(frozen=True)
class Section:
    heading: str
    parts: Sequence[Facts | Table | Image | Text]


_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif;
       color: #1b2733; font-size: 10.5pt; line-height: 1.45; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2mm; color: #0b3d62; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #0b3d62; padding-bottom: 1mm;
     color: #0b3d62; break-after: avoid; }
.subtitle { color: #4a5a6a; margin: 0 0 4mm; }
.banner { background: #fff4d6; border: 1px solid #e0b84c; padding: 2mm 3mm; margin: 3mm 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0; }
dt { font-weight: 600; color: #334; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; break-inside: auto; font-size: 9.5pt; }
th, td { border: 1px solid #c9d3dd; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
img { max-width: 100%; break-inside: avoid; }
footer { margin-top: 8mm; color: #6a7a8a; font-size: 8.5pt; border-top: 1px solid #c9d3dd; padding-top: 2mm; }
@media print { .noprint { display: none; } }
"""


def html_report(*, title: str, subtitle: str = "", lang: str = "zh", banner: str | None = None,
                sections: Sequence[Section], footer: str = "") -> str:
    """A self-contained printable HTML page (A4; charts embedded as PNG). Every text is escaped."""
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="{e("zh-CN" if lang == "zh" else "en")}"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(title)}</h1>"]
    if subtitle:
        out.append(f'<p class="subtitle">{e(subtitle)}</p>')
    if banner:
        out.append(f'<p class="banner">{e(banner)}</p>')
    for section in sections:
        out.append(f"<section><h2>{e(section.heading)}</h2>")
        out.extend(_part(part) for part in section.parts)
        out.append("</section>")
    if footer:
        out.append(f"<footer>{e(footer)}</footer>")
    out.append("</body></html>")
    return "\n".join(out)


def _part(part: Facts | Table | Image | Text) -> str:
    e = html.escape
    if isinstance(part, Facts):
        rows = "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in part.items)
        return f"<dl>{rows}</dl>"
    if isinstance(part, Text):
        return f"<p>{e(part.text)}</p>"
    if isinstance(part, Image):
        data = base64.b64encode(part.png).decode("ascii")
        size = png_size(part.png)
        width = f' width="{size[0] // 2}"' if size else ""  # rendered at scale 2: half size is sharp in print
        return f'<img src="data:image/png;base64,{data}" alt="{e(part.alt)}"{width}>'
    frame = part.frame
    head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.iter_rows():
        cells = []
        for col, value in zip(frame.columns, row, strict=True):
            if isinstance(value, bool) or value is None:
                cells.append(f"<td>{'' if value is None else e(str(value))}</td>")
            elif isinstance(value, (int, float)):
                cells.append(f'<td class="num">{e(_number(value, part.digits.get(col)))}</td>')
            else:
                cells.append(f"<td>{e(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _number(value: float, digits: int | None) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{2 if digits is None else digits}f}"


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


__all__ = [
    "ExportUnavailable", "Facts", "Image", "Section", "Table", "Text", "chart_png", "html_report",
    "neutralise_formula", "neutralised", "rejected_rows", "xlsx_bytes",
]
