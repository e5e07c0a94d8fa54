"""The printable HTML report: a self-contained A4 page (charts embedded as PNG), every text escaped with
:func:`html.escape`, every figure written by :mod:`pipeline.core.formatting` (a column's kind given, or inferred
from its header and values: years never grouped, whole numbers without decimals), and the data's status (release,
internal, embargoed, synthetic) printed at the top of every page.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline.core.formatting import figure, is_missing, yes_no
from pipeline.reports.exports import infer_kind, png_size


@dataclass(frozen=True)
class Facts:
    """Label: value lines (a definition list). A value may be a number with its kind: ``(label, 71.52, "score")``."""

    items: Sequence[tuple[str, Any] | tuple[str, Any, str]]


@dataclass(frozen=True)
class Table:
    """A frame as a table; ``kinds``: column -> figure kind (:mod:`pipeline.core.formatting`), the others inferred
    from their header and values; ``digits``: decimals of a column with no kind (default 2)."""

    frame: pl.DataFrame
    digits: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)


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
@page { size: A4; margin: 18mm 14mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif;
       color: #1b2733; font-size: 10.5pt; line-height: 1.45; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2mm; color: #0b3d62; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #0b3d62; padding-bottom: 1mm;
     color: #0b3d62; break-after: avoid; }
.subtitle { color: #4a5a6a; margin: 0 0 4mm; }
.banner { background: #fff4d6; border: 1px solid #e0b84c; padding: 2mm 3mm; margin: 3mm 0; }
.status { color: #b3261e; font-size: 8.5pt; text-align: center; margin: 0 0 3mm; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0; }
dt { font-weight: 600; color: #334; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; break-inside: auto; font-size: 9.5pt; }
th, td { border: 1px solid #c9d3dd; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef4; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; } td.text { min-width: 7em; overflow-wrap: anywhere; }
tr { break-inside: avoid; }
img { max-width: 100%; break-inside: avoid; }
footer { margin-top: 8mm; color: #6a7a8a; font-size: 8.5pt; border-top: 1px solid #c9d3dd; padding-top: 2mm; }
@media print { .noprint { display: none; } .status.paged { display: none; } }
"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes and backslashes escaped, line breaks dropped)."""
    clean = " ".join(text.split())
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def _status_css(status: str) -> str:
    """The status in the top margin of every printed page (a CSS page-margin box: Chromium 131 and later); the
    same line stays at the top of the page on screen."""
    return ("@page { @top-center { content: " + _css_string(status) +
            "; color: #b3261e; font-size: 8.5pt; } }")


def html_report(*, title: str, subtitle: str = "", lang: str = "zh", banner: str | None = None,
                sections: Sequence[Section], footer: str = "", status: str | None = None) -> str:
    """A self-contained printable HTML page (A4; charts embedded as PNG). Every text is escaped; ``status`` (the
    release, or internal / embargoed / synthetic) is printed at the top of every page."""
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="{e("zh-CN" if lang == "zh" else "en")}"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title><style>{_CSS}{_status_css(status) if status else ''}</style></head><body>"]
    if status:
        out.append(f'<div class="status paged">{e(status)}</div>')
    out.append(f"<h1>{e(title)}</h1>")
    if subtitle:
        out.append(f'<p class="subtitle">{e(subtitle)}</p>')
    if banner:
        out.append(f'<p class="banner">{e(banner)}</p>')
    for section in sections:
        out.append(f"<section><h2>{e(section.heading)}</h2>")
        out.extend(_part(part, lang) for part in section.parts)
        out.append("</section>")
    if footer:
        out.append(f"<footer>{e(footer)}</footer>")
    out.append("</body></html>")
    return "\n".join(out)


def fact_text(item: tuple[str, Any] | tuple[str, Any, str], lang: str) -> str:
    """The value of a fact as text: a number with its kind formatted by the rules, text as it is, "–" for none."""
    value = item[1]
    if len(item) > 2:  # the label carries the unit (formatting.header), as the workbook's cover does
        return figure(value, item[2], lang, unit=False)  # type: ignore[misc]
    if value is None or (isinstance(value, float) and is_missing(value)):
        return figure(None, "count", lang)
    return str(value)


def _part(part: Facts | Table | Image | Text, lang: str) -> str:
    e = html.escape
    if isinstance(part, Facts):
        rows = "".join(f"<dt>{e(str(item[0]))}</dt><dd>{e(fact_text(item, lang))}</dd>" for item in part.items)
        return f"<dl>{rows}</dl>"
    if isinstance(part, Text):
        return f"<p>{e(part.text)}</p>"
    if isinstance(part, Image):
        data = base64.b64encode(part.png).decode("ascii")
        size = png_size(part.png)
        width = f' width="{size[0] // 2}"' if size else ""  # rendered at scale 2: half size is sharp in print
        return f'<img src="data:image/png;base64,{data}" alt="{e(part.alt)}"{width}>'
    frame = part.frame
    kinds = {col: part.kinds.get(col) or infer_kind(col, frame.get_column(col)) for col in frame.columns}
    numeric = {col: frame.schema[col].is_numeric() for col in frame.columns}
    head = "".join(f'<th class="{"num" if numeric[c] else "text"}">{e(str(c))}</th>' for c in frame.columns)
    body = []
    for row in frame.iter_rows():
        cells = []
        for col, value in zip(frame.columns, row, strict=True):
            if isinstance(value, bool):
                cells.append(f'<td class="text">{e(yes_no(value, lang))}</td>')
            elif value is None or numeric[col] or isinstance(value, int | float):
                text = _number(value, kinds[col], part.digits.get(col), lang)
                cells.append(f'<td class="num">{e(text)}</td>')
            else:
                cells.append(f'<td class="text">{e(str(value))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _number(value: Any, kind: str | None, digits: int | None, lang: str) -> str:
    if kind is not None:
        return figure(value, kind, lang, unit=False)
    if is_missing(value):
        return figure(None, "count", lang)
    if isinstance(value, int):
        return f"{value:,}"
    if digits is None:  # a number of no declared kind: two decimals, rounded half up like every other figure
        return figure(value, "index", lang, unit=False)
    return f"{value:,.{digits}f}"


__all__ = ["Facts", "Image", "Section", "Table", "Text", "fact_text", "html_report"]
