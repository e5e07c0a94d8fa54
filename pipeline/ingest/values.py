"""One cell: numbers, years and codes as officers write them, read by polars expressions over text columns.

Accepted (and counted in a notice, so that nothing changes silently):

- numbers with thousands separators (``1,234,567.8``, ``1 234 567``), full-width digits (``１２３``), a Unicode
  minus, accounting negatives ``(123)``; ``12%`` only in share columns; with ``;``-separated files the European
  decimal comma (``1.234,5``);
- years as ``2019``, ``2019.0``, ``2019年``, ``2019年度``, a date cell (its year), or a year typed into a
  date-formatted cell (Excel then shows 1905-07-11: the serial number is the year);
- codes stored as numbers (``210100.0``), wrapped to keep zeros (``="0101"``, ``'0101``), full-width.

Marked cells are missing, never zero: ``-``, ``—``, ``NA``, ``无`` ... (not reported) and ``…``, ``x``, ``*``,
``(D)`` ... (suppressed or confidential) become empty cells and are flagged. Excel error values (``#DIV/0!``) and
control characters (NUL bytes) are errors of their own.
"""

from __future__ import annotations

import polars as pl

MISSING_MARKERS = frozenset({
    "-", "--", "---", "—", "——", "–", "－", "NA", "N/A", "n/a", "na", "N.A.", "n.a.", "null", "NULL", "None",
    "nan", "NaN", "无", "空", "不详", "缺", "暂无",
})
SUPPRESSED_MARKERS = frozenset({"…", "……", "...", "..", "*", "**", "x", "X", "(D)", "(S)", "(X)", ":", "保密", "涉密"})
EXCEL_ERROR_TEXTS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                               "#GETTING_DATA", "#SPILL!", "#CALC!", "#ERROR"})
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_SPACED = r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$"
_EURO_THOUSANDS = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"
_EURO_DECIMAL = r"^[+-]?\d+,\d+$"
_ACCOUNTING = r"^\(\s*(\d[\d,. ]*)\s*\)$"
_YEAR = r"^\d{4}(\.0+)?$"
_YEAR_CJK = r"^(\d{4})\s*年度?$"
_DATE = r"^(\d{4})-(\d{2})-(\d{2})([ T]00:00:00(\.0+)?)?$"
_SERIAL = r"^\d{5}(\.0+)?$"
_WRAPPED = r'^="(.*)"$'
_APOSTROPHE = r"^'(.+)$"
_FLOAT_CODE = r"^(\d+)\.0+$"
_SCIENTIFIC = r"^\d\.\d+[eE]\+?\d+$"

#: Excel's day 0 (1899-12-30, the 1900 leap-year bug included) and the serials of 1949-01-01 and 2100-12-31.
SERIAL_EPOCH = pl.date(1899, 12, 30)
MIN_YEAR_SERIAL, MAX_YEAR_SERIAL = 17899, 73415


def canonical_text(col: pl.Expr) -> pl.Expr:
    """NFKC (full-width digits, letters and brackets to ASCII), Unicode minus, zero-width characters, spaces."""
    return (
        col.str.normalize("NFKC").str.replace_all("\u2212", "-").str.replace_all("[\u200b\u200c\u200d\ufeff]", "")
        .str.strip_chars()
    )


def number_text(col: pl.Expr, *, decimal_comma: bool) -> pl.Expr:
    """A number's text with separators removed, sign and percent kept (still text)."""
    t = canonical_text(col)
    t = pl.when(t.str.contains(_ACCOUNTING)).then(pl.lit("-") + t.str.extract(_ACCOUNTING, 1)).otherwise(t)
    body = t.str.strip_suffix("%").str.strip_chars()
    if decimal_comma:
        body = (
            pl.when(body.str.contains(_EURO_THOUSANDS)).then(body.str.replace_all(".", "", literal=True)
                                                              .str.replace(",", ".", literal=True))
            .when(body.str.contains(_EURO_DECIMAL)).then(body.str.replace(",", ".", literal=True))
            .otherwise(body)
        )
    else:
        body = pl.when(body.str.contains(_THOUSANDS)).then(body.str.replace_all(",", "")).otherwise(body)
    return pl.when(body.str.contains(_SPACED)).then(body.str.replace_all(" ", "")).otherwise(body)


def parse_number(col: pl.Expr, *, decimal_comma: bool = False, percent: bool = False) -> pl.Expr:
    """The cell as a float, or null when it is not a number (``percent``: ``12%`` -> 0.12 is allowed)."""
    body = number_text(col, decimal_comma=decimal_comma)
    value = pl.when(body.str.contains(NUMBER)).then(body.cast(pl.Float64, strict=False))
    has_percent = canonical_text(col).str.ends_with("%")
    if percent:
        return pl.when(has_percent).then(value / 100).otherwise(value)
    return pl.when(has_percent).then(None).otherwise(value)


def is_percent(col: pl.Expr) -> pl.Expr:
    """Whether the cell is a percentage such as ``12%`` (a number followed by %)."""
    body = canonical_text(col)
    return body.str.ends_with("%") & body.str.strip_suffix("%").str.strip_chars().str.replace_all(",", "")\
        .str.contains(NUMBER)


def number_was_reformatted(col: pl.Expr, *, decimal_comma: bool) -> pl.Expr:
    """Whether reading the number needed more than a plain cast (separators, full width, percent ...)."""
    return number_text(col, decimal_comma=decimal_comma) != col.str.strip_chars()


def parse_year(col: pl.Expr) -> pl.Expr:
    """The cell as a year: 2019, 2019.0, 2019年(度), a date (its year; a year typed into a date cell: the serial)."""
    t = canonical_text(col)
    date = t.str.extract(_DATE, 0).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    serial = (date - SERIAL_EPOCH).dt.total_days()
    from_date = (
        pl.when((date.dt.year() < 1910) & serial.is_between(1949, 2100)).then(serial).otherwise(date.dt.year())
    )
    return (
        pl.when(t.str.contains(_YEAR)).then(t.str.slice(0, 4).cast(pl.Int64, strict=False))
        .when(t.str.contains(_YEAR_CJK)).then(t.str.extract(_YEAR_CJK, 1).cast(pl.Int64, strict=False))
        .when(t.str.contains(_DATE)).then(from_date.cast(pl.Int64))
    )


def year_was_reformatted(col: pl.Expr) -> pl.Expr:
    t = canonical_text(col)
    return t.str.contains(_YEAR_CJK) | t.str.contains(_DATE) | t.str.contains(r"^\d{4}\.0+$")


def is_date_serial(col: pl.Expr) -> pl.Expr:
    """A five-digit number in the range of Excel date serials of the accepted years (43466 = 2019-01-01)."""
    t = canonical_text(col)
    return t.str.contains(_SERIAL) & t.cast(pl.Float64, strict=False).is_between(MIN_YEAR_SERIAL, MAX_YEAR_SERIAL)


def serial_date(col: pl.Expr) -> pl.Expr:
    """The date an Excel serial stands for, as text (for the fix)."""
    days = canonical_text(col).cast(pl.Float64, strict=False).cast(pl.Int64, strict=False)
    return (SERIAL_EPOCH + pl.duration(days=days)).dt.strftime("%Y-%m-%d")


def clean_code(col: pl.Expr) -> pl.Expr:
    """A code as meant: full-width to ASCII, ``="0101"`` and ``'0101`` unwrapped, ``210100.0`` -> ``210100``."""
    t = canonical_text(col)
    t = pl.when(t.str.contains(_WRAPPED)).then(t.str.extract(_WRAPPED, 1).str.strip_chars()).otherwise(t)
    t = pl.when(t.str.contains(_APOSTROPHE)).then(t.str.extract(_APOSTROPHE, 1)).otherwise(t)
    return pl.when(t.str.contains(_FLOAT_CODE)).then(t.str.extract(_FLOAT_CODE, 1)).otherwise(t)


def is_scientific(col: pl.Expr) -> pl.Expr:
    """A code Excel turned into scientific notation (9.12101E+14): its digits may be lost."""
    return canonical_text(col).str.contains(_SCIENTIFIC)


def marker_flag(col: pl.Expr, *, suppressed: bool = True) -> pl.Expr:
    """'missing' or 'suppressed' for a marked cell, else null."""
    t = col.str.strip_chars()
    flag = pl.when(t.is_in(list(MISSING_MARKERS))).then(pl.lit("missing"))
    if suppressed:
        flag = flag.when(t.is_in(list(SUPPRESSED_MARKERS))).then(pl.lit("suppressed"))
    return flag.otherwise(pl.lit(None, dtype=pl.String))
