"""Upload templates and the data dictionary, generated from the schemas (one declaration per column).

    >>> [c["header"] for c in template_columns("firms", "zh")][:3]
    ['企业代码', '年份', '企业名称']

A template is an Excel workbook for one upload kind:

- sheet 1, the data sheet, holds only the header row, in the chosen language with each measure's unit in brackets
  (``工业总产值(万元)``, ``Gross output value (10k yuan)``): exactly the headers the ingest step reads, so a filled
  template uploads as it is; each header cell carries a comment with the column's other-language title, unit and
  meaning;
- sheet 2, the guide, lists every column in Chinese and English: header, unit, required or not, description and
  an example, followed by one example row (as it would be typed in the data sheet, in the template's units).

The example row is kept off the data sheet so that an unchanged template never lands invented numbers.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from schemas import KINDS, Column, get_kind

#: units the templates declare for each dimension: (Chinese, English, factor to the canonical unit)
TEMPLATE_UNITS: dict[str, tuple[str, str, float]] = {
    "money": ("万元", "10k yuan", 1e4),
    "persons": ("人", "persons", 1.0),
    "energy": ("吨标准煤", "tce", 1.0),
    "count": ("个", "count", 1.0),
}

_GUIDE = {
    "zh": {"sheet_data": "数据", "sheet_guide": "填报说明", "column": "字段", "header_zh": "中文表头",
           "header_en": "英文表头", "unit": "单位", "required": "必填", "description": "说明", "example": "示例",
           "yes": "是", "no": "否", "example_row": "示例行（在“数据”表第 2 行起填写，示例仅供参考，不要照抄）",
           "title": "{title}（{kind}）上报模板", "aliases": "可用表头"},
    "en": {"sheet_data": "data", "sheet_guide": "guide", "column": "Field", "header_zh": "Chinese header",
           "header_en": "English header", "unit": "Unit", "required": "Required", "description": "Description",
           "example": "Example", "yes": "yes", "no": "no",
           "example_row": "Example row (fill the data sheet from row 2; the example is for reference only)",
           "title": "Upload template: {title} ({kind})", "aliases": "Accepted headers"},
}


def _unit(col: Column, lang: str) -> tuple[str | None, float]:
    if col.dimension is None:
        return None, 1.0
    zh, en, factor = TEMPLATE_UNITS.get(col.dimension, (None, None, 1.0))
    return (zh if lang == "zh" else en), factor


def template_columns(kind: str, lang: str = "zh") -> list[dict[str, Any]]:
    """Every column of ``kind`` as the template shows it: the header (in ``lang``, unit in brackets), both titles,
    the unit, whether it is required, its description and an example value in the template's unit."""
    spec = get_kind(kind)
    out = []
    for name, col in spec.columns.items():
        unit, factor = _unit(col, lang)
        title = col.title_zh if lang == "zh" else col.title
        header = f"{title}({unit})" if unit and lang == "zh" else f"{title} ({unit})" if unit else title
        example = col.example
        if isinstance(example, (int, float)) and not isinstance(example, bool) and col.dimension:
            example = example / factor
            example = int(example) if float(example).is_integer() else round(example, 4)
        zh_unit, _ = _unit(col, "zh")
        en_unit, _ = _unit(col, "en")
        out.append({"name": name, "header": header, "title_zh": col.title_zh, "title_en": col.title,
                    "unit_zh": zh_unit, "unit_en": en_unit, "required": col.required, "role": col.role,
                    "description": col.description, "example": example, "aliases": list(col.aliases)})
    return out


def template_xlsx(kind: str, lang: str = "zh") -> bytes:
    """The upload template of ``kind`` as an Excel workbook (see the module docstring)."""
    import xlsxwriter

    spec = get_kind(kind)
    words = _GUIDE["zh" if lang == "zh" else "en"]
    cols = template_columns(kind, lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    need = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    title_fmt = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@"})

    data = book.add_worksheet(words["sheet_data"])
    for c, col in enumerate(cols):
        data.write_string(0, c, col["header"], need if col["required"] else head)
        other = col["title_en"] if lang == "zh" else col["title_zh"]
        unit = col["unit_en"] if lang == "zh" else col["unit_zh"]
        note = f"{other}{f' ({unit})' if unit else ''}\n{col['description']}"
        data.write_comment(0, c, note, {"x_scale": 2.2, "y_scale": 1.6})
        is_text = KINDS[kind].columns[col["name"]].dtype == "str"
        data.set_column(c, c, max(12, len(col["header"]) * 2 + 2), text if is_text else None)
    data.freeze_panes(1, 0)

    guide = book.add_worksheet(words["sheet_guide"])
    guide.write_string(0, 0, words["title"].format(title=spec.title_in(lang), kind=kind),
                       title_fmt)
    labels = [words[k] for k in ("column", "header_zh", "header_en", "unit", "required", "description", "example",
                                 "aliases")]
    for c, label in enumerate(labels):
        guide.write_string(2, c, label, head)
    for r, col in enumerate(cols, start=3):
        unit = " / ".join(u for u in (col["unit_zh"], col["unit_en"]) if u)
        row = [col["name"], col["title_zh"], col["title_en"], unit, words["yes" if col["required"] else "no"],
               col["description"], "" if col["example"] is None else str(col["example"]), ", ".join(col["aliases"])]
        for c, value in enumerate(row):
            guide.write_string(r, c, value, wrap if c in (5, 7) else None)
    for c, width in enumerate((18, 18, 24, 16, 8, 60, 22, 40)):
        guide.set_column(c, c, width)
    start = len(cols) + 5
    guide.write_string(start, 0, words["example_row"], title_fmt)
    for c, col in enumerate(cols):
        guide.write_string(start + 1, c, col["header"], need if col["required"] else head)
        value = col["example"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            guide.write_number(start + 2, c, value)
        elif value is not None:
            guide.write_string(start + 2, c, str(value))
    book.close()
    return buffer.getvalue()


def example_rows(kind: str, lang: str = "zh") -> pl.DataFrame:
    """The template's example row as a frame with the template's headers (all text, as typed)."""
    cols = template_columns(kind, lang)
    return pl.DataFrame({c["header"]: ["" if c["example"] is None else str(c["example"])] for c in cols})


def data_dictionary(lang: str = "zh") -> pl.DataFrame:
    """Every column of every upload kind: kind, column, titles in both languages, role, unit, required,
    description, accepted headers and an example (in canonical units)."""
    rows = []
    for kind, spec in KINDS.items():
        for name, col in spec.columns.items():
            rows.append({
                "kind": kind, "kind_title": spec.title_in(lang), "column": name,
                "title_zh": col.title_zh, "title_en": col.title, "role": col.role,
                "dimension": col.dimension, "required": col.required, "description": col.description,
                "aliases": ", ".join(col.aliases),
                "example": None if col.example is None else str(col.example),
            })
    return pl.DataFrame(rows)


__all__ = ["TEMPLATE_UNITS", "data_dictionary", "example_rows", "template_columns", "template_xlsx"]
