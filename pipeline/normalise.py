"""From a raw text grid to a typed frame in canonical columns and units, reporting every bad header and cell.

Steps: find the header (:mod:`pipeline.headers`: title rows, two-row headers), match each label to a column of the
kind through its aliases, take units from the header, the rows above it or ``--unit``; drop blank rows, total rows
(合计, 总计, 小计 ...) and footnotes (注:, 资料来源 ...) with a notice; read cells by the column's type
(:mod:`pipeline.cells`); fill declared defaults; convert measures to canonical units. Whatever cannot be read
becomes a :class:`Failure` and a null in the typed frame, so the schema checks still run on everything else and the
user gets every problem at once.

Totals and footnotes are dropped, not rejected: they are summaries and annotations of the table, not records (the
warehouse computes its own totals), and each dropped row is named in a notice so that nothing goes silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline.cells import is_code_column, is_share_column, read_cells, rows_msg
from pipeline.errors import UploadUnreadable
from pipeline.headers import (
    HeaderLocation,
    alias_index,
    header_key,
    locate_header,
    match_label,
    name_column_index,
    stated_unit,
)
from pipeline.messages import Msg
from pipeline.reading import SOURCE_ROW, RawTable
from pipeline.units import CANONICAL, known_units, unit_factor
from pipeline.validation import Failure
from schemas import Kind

__all__ = ["Prepared", "header_key", "is_code_column", "is_share_column", "prepare"]

_TOTAL = re.compile(r"^(合计|总计|小计|共计|总合计|全省合计|全市合计|全省|全市|本页合计|累计|合计数|总计数|"
                    r"total|totals|grandtotal|subtotal|sum|alltotal)[:：]?$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(注|备注|说明|附注|注释|资料来源|数据来源|来源|填报说明|note|notes|source|sources)"
                       r"\s*\d*\s*[:：.．、]|^注\d|^[*※①②③④⑤]", re.IGNORECASE)
_CODE_LIKE = re.compile(r"^[\w.\-]{1,32}$")
NAME_PREFIX = "__name__"


@dataclass
class Prepared:
    """A file's records as a typed frame in canonical columns, with what was learnt on the way."""

    frame: pl.DataFrame  # canonical columns (declared types) + SOURCE_ROW
    raw: pl.DataFrame  # the same rows and columns as typed by the user (text) + SOURCE_ROW (+ name columns)
    headers: dict[str, str]  # canonical column -> header as written
    units: dict[str, dict[str, object]] = field(default_factory=dict)  # column -> {unit, factor, canonical}
    failures: list[Failure] = field(default_factory=list)  # errors, warnings and notices
    blank_rows: int = 0
    header_rows: tuple[int, ...] = (1,)
    flags: pl.DataFrame = field(default_factory=lambda: _no_flags())  # source_row, field, value, flag
    names: dict[str, str] = field(default_factory=dict)  # code column -> header of the name column beside it
    reported: set[tuple[int, str]] = field(default_factory=set)  # (row, field) already reported as errors
    body: pl.DataFrame | None = None  # every data row as read (positional), for the rejected-rows file
    labels: list[str] = field(default_factory=list)  # positional column -> header label
    source: Any = None  # a streamed file (pipeline.streaming.BlockSource): its text is read again when needed

    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == "error"]

    @property
    def raw_names(self) -> list[str]:
        """The columns :meth:`raw_rows` gives."""
        return self.source.raw_names if self.source is not None else self.raw.columns

    def raw_rows(self, rows: Iterable[int]) -> pl.DataFrame:
        """The records ``rows`` as the user typed them, under canonical column names (+ SOURCE_ROW): from
        :attr:`raw`, or for a streamed file (which keeps no text) parsed again from its bytes."""
        if self.source is not None:
            return self.source.raw(rows)
        return self.raw.filter(pl.col(SOURCE_ROW).is_in(pl.Series(list(rows), dtype=pl.Int64).implode()))

    def body_rows(self, rows: Iterable[int]) -> pl.DataFrame | None:
        """The rows ``rows`` as read, every column of the file (positional, + SOURCE_ROW); None when not kept."""
        if self.source is not None:
            return self.source.body(rows)
        if self.body is None:
            return None
        return self.body.filter(pl.col(SOURCE_ROW).is_in(pl.Series(list(rows), dtype=pl.Int64).implode()))


def _no_flags() -> pl.DataFrame:
    return pl.DataFrame(schema={"source_row": pl.Int64, "field": pl.String, "value": pl.String, "flag": pl.String})


# -- headers -------------------------------------------------------------------------------------------------------
def _map_headers(
    table: RawTable, loc: HeaderLocation, body: pl.DataFrame, kind: Kind, units: dict[str, str] | None
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, object]], list[Failure]]:
    """(positional -> canonical, canonical -> header, positional -> code column for name columns, units, lines)."""
    index, names_index = alias_index(kind), name_column_index(kind)
    header_row = loc.rows[-1]
    failures: list[Failure] = []
    mapping: dict[str, str] = {}
    headers: dict[str, str] = {}
    name_cols: dict[str, str] = {}
    header_units: dict[str, str] = {}
    positional = [c for c in body.columns if c != SOURCE_ROW]
    filled = {c: body.get_column(c).str.strip_chars().replace("", None).drop_nulls().len() for c in positional}
    last_labelled = max((i for i, label in enumerate(loc.labels) if label), default=-1)
    for i, pos in enumerate(positional):
        label = loc.labels[i] if i < len(loc.labels) else ""
        letter = table.letter(i)
        if not label:
            if filled[pos] == 0 or i > last_labelled:
                continue  # empty, unheaded columns are common at the edges; cells right of the header: ragged rows
            failures.append(Failure(
                row=header_row, column=f"(column {letter})", value=None, rule="unknown_column",
                fix=Msg("header.unlabelled_column", letter=letter),
            ))
            continue
        target, unit = match_label(label, index)
        if target is None:
            code_col = names_index.get(header_key(label))
            if code_col is not None and code_col not in name_cols.values():
                name_cols[pos] = code_col
                continue
            if filled[pos] == 0:
                failures.append(Failure(
                    row=header_row, column=label, value=label, rule="empty_column",
                    fix=Msg("header.empty_column", letter=letter, label=label),
                ))
                continue
            expected = [f"{c.title_zh}/{n}" for n, c in kind.columns.items()]
            failures.append(Failure(
                row=header_row, column=label, value=label, rule="unknown_column",
                fix=Msg("header.unknown_column", letter=letter, expected=expected),
            ))
            continue
        if target in headers:
            failures.append(Failure(
                row=header_row, column=label, value=label, rule="repeated_column", field=target,
                fix=Msg("header.repeated_column", first=headers[target], label=label, letter=letter, field=target),
            ))
            continue
        mapping[pos] = target
        headers[target] = label
        if unit is not None:
            header_units[target] = unit

    for name, col in kind.columns.items():
        if col.required and name not in headers and name not in name_cols.values():
            failures.append(Failure(
                row=header_row, column=col.title_zh + "/" + name, value=None, rule="missing_column", field=name,
                fix=Msg("header.missing_column", title=col.title_zh, field=name, description=col.description),
            ))

    resolved: dict[str, dict[str, object]] = {}
    declared = dict(header_units)
    for column, unit in (units or {}).items():
        target = index.get(header_key(column), column)
        declared[target] = unit
    for target, unit in declared.items():
        col = kind.columns.get(target)
        shown = headers.get(target, target)
        if col is None or target not in headers:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.unit_column_absent", field=target, columns=list(headers)),
            ))
            continue
        if col.dimension is None:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.unit_not_measure", field=target, title=col.title_zh, unit=unit),
            ))
            continue
        found = unit_factor(unit)
        if found is None:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="unknown_unit", field=target,
                fix=Msg("header.unknown_unit", dimension=Msg(f"dim.{col.dimension}"), unit=unit,
                        units=known_units(col.dimension)),
            ))
            continue
        dimension, factor = found
        if dimension != col.dimension:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.wrong_unit", unit=unit, dimension=Msg(f"dim.{dimension}"), field=target,
                        title=col.title_zh, expected=Msg(f"dim.{col.dimension}"), units=known_units(col.dimension)),
            ))
            continue
        resolved[target] = {"unit": unit, "factor": factor, "canonical": CANONICAL[dimension]}
    return mapping, headers, name_cols, resolved, failures


def _looks_like_data(cells_: list[str]) -> bool:
    filled = [c for c in cells_ if c]
    numeric = [c for c in filled if re.fullmatch(r"[+-]?[\d,.]+%?", c)]
    return bool(filled) and len(numeric) * 2 >= len(filled)


# -- rows that are not records ------------------------------------------------------------------------------------
#: words that can start a total or a footnote: rows containing none of them are records (a fast first pass)
_ROLE_WORDS = ["合", "总", "小计", "共计", "全省", "全市", "累计", "本页", "total", "sum", "注", "备注", "说明",
               "来源", "note", "source", "*", "※", "①", "②", "③", "④", "⑤"]


def _row_roles(body: pl.DataFrame, key_positions: list[str]) -> pl.DataFrame:
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
    squeezed = [pl.col(c).str.replace_all(r"\s", "") for c in key_positions]  # \s: full-width spaces too
    first_key = first.str.replace_all(r"\s", "").fill_null("")
    total = pl.any_horizontal([t.fill_null("").str.contains(f"(?i){_TOTAL.pattern}") for t in squeezed]
                              + [first_key.str.contains(f"(?i){_TOTAL.pattern}")])
    filled = pl.sum_horizontal([c.is_not_null().cast(pl.Int32) for c in stripped])
    same = pl.all_horizontal([c.is_null() | (c == first) for c in stripped])  # one text, merged across
    note = ((filled <= 2) | same) & first_key.str.contains(f"(?i){_FOOTNOTE.pattern}")
    suspects = body.filter(pl.col(SOURCE_ROW).is_in(base.filter(pl.col("suspect")).get_column(SOURCE_ROW)
                                                     .implode()))
    roles = suspects.select(SOURCE_ROW, first.alias("first"), total.alias("total"), (note & ~total).alias("note"))
    first_note = roles.filter(pl.col("note")).get_column(SOURCE_ROW).min()
    if first_note is not None:  # a footnote's continuation lines: single text cells after the first footnote
        single = same & ~first_key.str.contains(_CODE_LIKE.pattern) & ~first_key.str.contains(r"^[+-]?[\d,.]+%?$")
        tail = body.filter((pl.col(SOURCE_ROW) > first_note) & ~pl.col(SOURCE_ROW).is_in(blank.implode())).select(
            SOURCE_ROW, first.alias("first"), pl.lit(False).alias("total"), single.alias("note"))
        tail = tail.filter(pl.col("note") & ~pl.col(SOURCE_ROW).is_in(roles.get_column(SOURCE_ROW).implode()))
        roles = pl.concat([roles, tail])
    roles = roles.filter(pl.col("total") | pl.col("note"))
    blank_roles = pl.DataFrame({SOURCE_ROW: blank, "first": pl.Series([None] * len(blank), dtype=pl.String),
                                "total": False, "note": False})
    return pl.concat([roles.with_columns(pl.lit(False).alias("blank")),
                      blank_roles.with_columns(pl.lit(True).alias("blank"))], how="diagonal").sort(SOURCE_ROW)


@dataclass
class Layout:
    """What the header says, for every row under it: found once per file (in a streamed file, on its first
    chunk) and applied to each block of rows."""

    loc: HeaderLocation
    mapping: dict[str, str]  # positional column -> canonical column
    headers: dict[str, str]  # canonical column -> header as written (name columns read as codes included)
    name_cols: dict[str, str]  # positional column -> the code column it names
    units: dict[str, dict[str, object]]
    failures: list[Failure]  # the header's own lines
    empty: set[str]  # positional columns the header does not map that hold no cell (in the rows seen)

    @property
    def header_row(self) -> int:
        return self.loc.rows[-1]

    @property
    def names(self) -> dict[str, str]:
        return {code: self.loc.labels[int(pos[1:])] for pos, code in self.name_cols.items()}


def body_of(table: RawTable, header_row: int) -> pl.DataFrame:
    """The rows below the header: a slice (no copy) when the grid's rows are in file order, as they are read."""
    rows = table.grid.get_column(SOURCE_ROW)
    return table.grid.slice(int(rows.search_sorted(header_row, side="right"))) if rows.is_sorted() \
        else table.grid.filter(pl.col(SOURCE_ROW) > header_row)


def layout(table: RawTable, kind: Kind, units: dict[str, str] | None = None) -> Layout | Prepared:
    """The header of ``table`` found and matched to ``kind``; a :class:`Prepared` without rows when the file has
    no header (its first row is data)."""
    failures: list[Failure] = list(table.notes)
    loc = locate_header(table.grid, kind)
    if loc is None:
        raise UploadUnreadable(Msg("read.all_cells_empty", file=table.file_name))
    body = body_of(table, loc.rows[-1])
    if loc.matched == 0 and _looks_like_data(loc.labels):
        expected = [f"{c.title_zh}/{n}" for n, c in kind.columns.items() if c.required]
        failures.append(Failure(
            row=loc.rows[0], column="(header)", value=" | ".join(loc.labels[:6]), rule="missing_header",
            fix=Msg("header.missing", row=loc.rows[0], required=expected),
        ))
        return _empty(kind, failures, loc)
    if loc.title_rows:
        rows = [r for r, _ in loc.title_rows]
        failures.append(Failure(
            row=rows[0], column="(rows)", value=loc.title_rows[0][1], rule="title_rows",
            fix=Msg("header.title_rows", rows=rows_msg(rows), plural="s" if len(loc.rows) > 1 else "",
                    header="-".join(map(str, loc.rows))),
        ))
    if len(loc.rows) > 1:
        failures.append(Failure(
            row=loc.rows[0], column="(header)", value=" | ".join(label for label in loc.labels if label)[:200],
            rule="two_row_header",
            fix=Msg("header.two_rows", first=loc.rows[0], last=loc.rows[-1]),
        ))
    mapping, headers, name_cols, resolved, header_failures = _map_headers(table, loc, body, kind, units)
    failures += header_failures
    for pos, code in name_cols.items():
        label = loc.labels[int(pos[1:])]
        used = Msg("header.name_column.check" if code in headers else "header.name_column.lookup")
        failures.append(Failure(row=loc.rows[-1], column=label, value=None, rule="extra_column", field=code,
                                fix=Msg("header.name_column", label=label, used=used)))
    name_only = {code: loc.labels[int(pos[1:])] for pos, code in name_cols.items() if code not in headers}
    headers.update(name_only)
    return Layout(loc=loc, mapping=mapping, headers=headers, name_cols=name_cols, units=resolved,
                  failures=failures, empty=set(unfilled(body, mapping, name_cols)))


def unfilled(body: pl.DataFrame, mapping: dict[str, str], name_cols: dict[str, str]) -> list[str]:
    """Positional columns neither mapped nor a name column, without a single filled cell in ``body``."""
    others = [c for c in body.columns if c != SOURCE_ROW and c not in mapping and c not in name_cols]
    if not others:
        return []
    filled = body.select(pl.col(c).str.strip_chars().replace("", None).drop_nulls().len() for c in others).row(0)
    return [c for c, n in zip(others, filled, strict=True) if n == 0]


def raw_columns(body: pl.DataFrame, lay: Layout) -> pl.DataFrame:
    """The positional text ``body`` under canonical names, name columns as ``__name__<code>`` (and as the code
    column itself when the file has names but no codes)."""
    raw = body.select(SOURCE_ROW, *[pl.col(p).alias(n) for p, n in lay.mapping.items()],
                      *[pl.col(p).alias(NAME_PREFIX + c) for p, c in lay.name_cols.items()])
    for code in lay.name_cols.values():
        if code not in lay.mapping.values():
            raw = raw.with_columns(pl.col(NAME_PREFIX + code).alias(code))
    return raw


def prepare(table: RawTable, kind: Kind, units: dict[str, str] | None = None) -> Prepared:
    """Header found and matched, cells parsed, units converted; every problem found on the way is a line."""
    found = layout(table, kind, units)
    if isinstance(found, Prepared):
        return found
    return prepare_rows(table, found, kind, body_of(table, found.header_row))


def prepare_rows(table: RawTable, lay: Layout, kind: Kind, body: pl.DataFrame, *, head: bool = True) -> Prepared:
    """The rows ``body`` of ``table`` read under the header ``lay``: blank rows, totals and footnotes set aside,
    cells parsed, units converted. ``head``: the header's own lines are part of the result (a streamed file's
    later blocks leave them to the first)."""
    loc, mapping, headers, name_cols = lay.loc, lay.mapping, lay.headers, lay.name_cols
    failures: list[Failure] = list(lay.failures) if head else []
    # rows that are not records: blank, totals, footnotes
    key_positions = [p for p, n in mapping.items() if kind.columns[n].role == "key" or is_code_column(kind, n)]
    key_positions += list(name_cols)
    roles = _row_roles(body, key_positions)
    blank_rows = roles.filter(pl.col("blank")).height
    if blank_rows:
        rows = roles.filter(pl.col("blank")).get_column(SOURCE_ROW).to_list()
        failures.append(Failure(row=None, column="(rows)", value=None, rule="blank_rows",
                                fix=Msg("rows.blank", n=blank_rows, rows=rows_msg(rows))))
    for row, text in roles.filter(pl.col("total")).select(SOURCE_ROW, "first").iter_rows():
        failures.append(Failure(row=row, column="(row)", value=text, rule="total_row", fix=Msg("rows.total")))
    notes = roles.filter(pl.col("note") & ~pl.col("total"))
    for row, text in notes.select(SOURCE_ROW, "first").iter_rows():
        failures.append(Failure(row=row, column="(row)", value=text, rule="footnote_row", fix=Msg("rows.footnote")))
    dropped = roles.filter(pl.col("blank") | pl.col("total") | pl.col("note")).get_column(SOURCE_ROW)
    if dropped.len():  # a filter copies every cell: only when there is a row to drop
        body = body.filter(~pl.col(SOURCE_ROW).is_in(dropped.implode()))

    # a unit stated above the table or in a footnote, for measures whose header has none
    statements = ([(r, t) for r, t in loc.title_rows] if head else []) + list(
        notes.select(SOURCE_ROW, "first").iter_rows())
    for row, text in statements:
        unit = stated_unit(text)
        found = unit_factor(unit) if unit else None
        if found is None:
            continue
        for name, label in headers.items():
            col = kind.columns[name]
            if col.dimension == found[0] and name not in lay.units:
                failures.append(Failure(
                    row=row, column=label, value=text, rule="unit_not_in_header", field=name,
                    fix=Msg("header.unit_not_in_header", row=row, unit=unit, label=label, field=name,
                            canonical=Msg(f"unit.{CANONICAL[found[0]]}")),
                ))

    failures += _ragged(table, loc, body)
    raw = raw_columns(body, lay)
    decimal_comma = _decimal_comma(table, kind, raw)
    if decimal_comma:
        failures.append(Failure(row=None, column="(file)", value=";", rule="decimal_comma",
                                fix=Msg("rows.decimal_comma")))
    read = read_cells(kind, raw, headers, lay.units, decimal_comma=decimal_comma)
    failures += read.failures
    kept = raw if read.frame.height == raw.height else raw.filter(
        pl.col(SOURCE_ROW).is_in(read.frame[SOURCE_ROW].implode()))
    prepared = Prepared(frame=read.frame, raw=kept,
                        headers=headers, units=lay.units, failures=failures, flags=read.flags, reported=read.reported)
    prepared.blank_rows = blank_rows
    prepared.header_rows = loc.rows
    prepared.names = lay.names
    prepared.body = body
    prepared.labels = loc.labels
    return prepared


def _decimal_comma(table: RawTable, kind: Kind, raw: pl.DataFrame) -> bool:
    """A ';'-separated file whose numbers have a decimal comma (12,5): European Excel."""
    if table.delimiter != ";":
        return False
    measures = [n for n in raw.columns if n in kind.columns and kind.columns[n].dtype == "float"]
    return any(raw.select(pl.col(n).str.strip_chars().str.contains(r"^[+-]?\d+,\d+$").any()).item()
               for n in measures)


def _empty(kind: Kind, failures: list[Failure], loc: HeaderLocation) -> Prepared:
    dtypes = {n: {"int": pl.Int64, "float": pl.Float64}.get(c.dtype, pl.String) for n, c in kind.columns.items()}
    frame = pl.DataFrame(schema={SOURCE_ROW: pl.Int64, **dtypes})
    raw = pl.DataFrame(schema={SOURCE_ROW: pl.Int64})
    return Prepared(frame=frame, raw=raw, headers={}, failures=failures, header_rows=loc.rows, labels=loc.labels)


def _ragged(table: RawTable, loc: HeaderLocation, body: pl.DataFrame) -> list[Failure]:
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
