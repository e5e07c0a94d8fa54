"""Rows under the header that are not records, and rows that do not fit the header.

- blank rows, total rows (合计, 总计, 小计, 全省 ...) and footnotes (注:, 资料来源 ... and their continuation lines):
  set aside with a notice each, not rejected: they are summaries and annotations of the table, not records (the
  warehouse computes its own totals), and each is named so that nothing goes silently;
- ragged rows, with cells to the right of the header (a comma inside a value, a note beside the table): errors;
- a ';'-separated file whose numbers have a decimal comma (European Excel).
"""

from __future__ import annotations

import re

import polars as pl

from pipeline.core.messages import Msg
from pipeline.ingest.headers import HeaderLocation
from pipeline.ingest.raw import RawTable
from pipeline.ingest.report import SOURCE_ROW, Failure
from schemas import Kind

_TOTAL = re.compile(r"^(合计|总计|小计|共计|总合计|全省合计|全市合计|全省|全市|本页合计|累计|合计数|总计数|"
                    r"total|totals|grandtotal|subtotal|sum|alltotal)[:：]?$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(注|备注|说明|附注|注释|资料来源|数据来源|来源|填报说明|note|notes|source|sources)"
                       r"\s*\d*\s*[:：.．、]|^注\d|^[*※①②③④⑤]", re.IGNORECASE)
_CODE_LIKE = re.compile(r"^[\w.\-]{1,32}$")


#: words that can start a total or a footnote: rows containing none of them are records (a fast first pass)
FIRST = "__first_cell__"  # the first filled cell of a row, as a column (no positional column is named so)
_ROLE_WORDS = ["合", "总", "小计", "共计", "全省", "全市", "累计", "本页", "total", "sum", "注", "备注", "说明",
               "来源", "note", "source", "*", "※", "①", "②", "③", "④", "⑤"]


def row_roles(body: pl.DataFrame, key_positions: list[str]) -> pl.DataFrame:
    """Per data row: blank, total, footnote (continuation lines included), and its first cell."""
    positional = [c for c in body.columns if c != SOURCE_ROW]
    stripped = [pl.col(c).str.strip_chars().replace("", None) for c in positional]
    first = pl.coalesce(stripped)

    def suspect(first_cell: pl.Expr) -> pl.Expr:
        return pl.any_horizontal([pl.col(c).str.contains_any(_ROLE_WORDS, ascii_case_insensitive=True)
                                  .fill_null(False) for c in key_positions]
                                 + [first_cell.str.contains_any(_ROLE_WORDS, ascii_case_insensitive=True)
                                    .fill_null(False)])

    # The first filled cell, quickly: the first cell that is not null, stripped. Only where that one is blank
    # (spaces, "") can a later cell be the first filled one: those rows are read again, stripping every cell.
    raw_first = pl.coalesce([pl.col(c) for c in positional])
    quick = raw_first.str.strip_chars().replace("", None)
    base = body.select(SOURCE_ROW, quick.alias("first"), suspect(quick).alias("suspect"),
                       (quick.is_null() & raw_first.is_not_null()).alias("unsure"))
    if base.get_column("unsure").any():
        exact = body.filter(base.get_column("unsure")).select(SOURCE_ROW, first.alias("first"),
                                                               suspect(first).alias("suspect"))
        base = base.drop("unsure").update(exact, on=SOURCE_ROW, include_nulls=True)
    else:
        base = base.drop("unsure")
    blank = base.filter(pl.col("first").is_null()).get_column(SOURCE_ROW)
    # Every test below refers to the row's first filled cell, so it is computed once, as a column: written inline,
    # each of the row's cells would be compared with a coalesce of all of them (memory and time growing with the
    # square of the columns: 1,024 columns passed 6 GB).
    cell = pl.col(FIRST)
    squeezed = [pl.col(c).str.replace_all(r"\s", "") for c in key_positions]  # \s: full-width spaces too
    first_key = cell.str.replace_all(r"\s", "").fill_null("")
    total = pl.any_horizontal([t.fill_null("").str.contains(f"(?i){_TOTAL.pattern}") for t in squeezed]
                              + [first_key.str.contains(f"(?i){_TOTAL.pattern}")])
    filled = pl.sum_horizontal([c.is_not_null().cast(pl.Int32) for c in stripped])
    same = pl.all_horizontal([c.is_null() | (c == cell) for c in stripped])  # one text, merged across
    note = ((filled <= 2) | same) & first_key.str.contains(f"(?i){_FOOTNOTE.pattern}")
    suspects = body.filter(pl.col(SOURCE_ROW).is_in(base.filter(pl.col("suspect")).get_column(SOURCE_ROW)
                                                     .implode())).with_columns(first.alias(FIRST))
    roles = suspects.select(SOURCE_ROW, cell.alias("first"), total.alias("total"), (note & ~total).alias("note"))
    first_note = roles.filter(pl.col("note")).get_column(SOURCE_ROW).min()
    if first_note is not None:  # a footnote's continuation lines: single text cells after the first footnote
        single = same & ~first_key.str.contains(_CODE_LIKE.pattern) & ~first_key.str.contains(r"^[+-]?[\d,.]+%?$")
        tail = body.filter((pl.col(SOURCE_ROW) > first_note) & ~pl.col(SOURCE_ROW).is_in(blank.implode())) \
            .with_columns(first.alias(FIRST)) \
            .select(SOURCE_ROW, cell.alias("first"), pl.lit(False).alias("total"), single.alias("note"))
        tail = tail.filter(pl.col("note") & ~pl.col(SOURCE_ROW).is_in(roles.get_column(SOURCE_ROW).implode()))
        roles = pl.concat([roles, tail])
    roles = roles.filter(pl.col("total") | pl.col("note"))
    blank_roles = pl.DataFrame({SOURCE_ROW: blank, "first": pl.Series([None] * len(blank), dtype=pl.String),
                                "total": False, "note": False})
    return pl.concat([roles.with_columns(pl.lit(False).alias("blank")),
                      blank_roles.with_columns(pl.lit(True).alias("blank"))], how="diagonal").sort(SOURCE_ROW)


def ragged_rows(table: RawTable, loc: HeaderLocation, body: pl.DataFrame) -> list[Failure]:
    """Rows with cells to the right of the header: a comma inside a value, or a note beside the table."""
    last = max((i for i, label in enumerate(loc.labels) if label), default=-1)
    extra = [c for c in body.columns if c != SOURCE_ROW and int(c[1:]) > last]
    if not extra or body.height == 0:
        return []
    cells_ = [pl.col(c).str.strip_chars().replace("", None) for c in extra]
    found = body.select(SOURCE_ROW, pl.concat_str(cells_, separator=" | ", ignore_nulls=True).alias("extra"),
                        pl.any_horizontal([c.is_not_null() for c in cells_]).alias("any"))
    found = found.filter(pl.col("any"))
    if found.height == 0:
        return []
    width = last + 1
    letter = table.letter(last + 1)
    if found.height * 2 > body.height and found.height > 3:  # most rows: a column without a header
        return [Failure(row=loc.rows[-1], column=f"(column {letter})", value=None, rule="unknown_column",
                        fix=Msg("header.columns_right", letter=letter))]
    sep = {"\t": "tab", ";": "semicolon"}.get(table.delimiter or ",", "comma")
    hint = Msg("rows.ragged.csv", separator=Msg(f"rows.ragged.{sep}")) if table.file_format == "csv" \
        else Msg("rows.ragged.sheet")
    return [Failure(row=row, column=f"(column {letter}+)", value=value, rule="ragged_row",
                    fix=Msg("rows.ragged", row=row, width=width, hint=hint))
            for row, value in found.select(SOURCE_ROW, "extra").head(200).iter_rows()]


def decimal_comma(table: RawTable, kind: Kind, raw: pl.DataFrame) -> bool:
    """A ';'-separated file whose numbers have a decimal comma (12,5): European Excel."""
    if table.delimiter != ";":
        return False
    measures = [n for n in raw.columns if n in kind.columns and kind.columns[n].dtype == "float"]
    return any(raw.select(pl.col(n).str.strip_chars().str.contains(r"^[+-]?\d+,\d+$").any()).item()
               for n in measures)
