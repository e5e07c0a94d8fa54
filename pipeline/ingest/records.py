"""Step 3 of ingest: the rows under the header become typed records in canonical columns and units.

Rows that are not records are set aside (:mod:`pipeline.ingest.rows`), a unit stated above the table or in a
footnote but not in the header is an error, and the cells are read by their column's type (:mod:`pipeline.ingest.
cells`). The result, :class:`Prepared`, holds the typed frame, the text as the user typed it (for report lines and
the rejected-rows file), the flagged cells and every report line so far. Whatever cannot be read is a line and a
null, so the schema checks (:mod:`pipeline.ingest.checking`) still run on everything else and the user gets every
problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline.core.messages import Msg
from pipeline.ingest.cells import is_code_column, read_cells
from pipeline.ingest.headers import HeaderLocation, stated_unit
from pipeline.ingest.layout import Layout, raw_columns
from pipeline.ingest.raw import RawTable
from pipeline.ingest.report import SOURCE_ROW, Failure, rows_msg
from pipeline.ingest.rows import decimal_comma, ragged_rows, row_roles
from pipeline.ingest.units import CANONICAL, unit_factor
from schemas import Kind


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
    source: Any = None  # a streamed file (pipeline.ingest.streaming.BlockSource): its text is read again when needed

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


#: a flagged cell: its row, column, the marker as typed, missing | suppressed, and (a row not landed) its keys as JSON
FLAG_SCHEMA = {"source_row": pl.Int64, "field": pl.String, "value": pl.String, "flag": pl.String, "keys": pl.String}


def _no_flags() -> pl.DataFrame:
    return pl.DataFrame(schema=FLAG_SCHEMA)


def typed_records(table: RawTable, lay: Layout, kind: Kind, body: pl.DataFrame | None = None, *, head: bool = True
                  ) -> Prepared:
    """Step 3 of ingest: the rows ``body`` of ``table`` (default: every row under the header) read under the header
    ``lay``: blank rows, totals and footnotes set aside, cells parsed, units converted. ``head``: the header's own
    lines are part of the result (a streamed file's later blocks leave them to the first)."""
    if lay.missing:
        return _empty(kind, lay.failures, lay.loc)
    body = table.body(lay.header_row) if body is None else body
    loc, mapping, headers, name_cols = lay.loc, lay.mapping, lay.headers, lay.name_cols
    failures: list[Failure] = list(lay.failures) if head else []
    # rows that are not records: blank, totals, footnotes
    key_positions = [p for p, n in mapping.items() if kind.columns[n].role == "key" or is_code_column(kind, n)]
    key_positions += list(name_cols)
    roles = row_roles(body, key_positions)
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

    failures += ragged_rows(table, loc, body)
    raw = raw_columns(body, lay)
    comma = decimal_comma(table, kind, raw)
    if comma:
        failures.append(Failure(row=None, column="(file)", value=";", rule="decimal_comma",
                                fix=Msg("rows.decimal_comma")))
    read = read_cells(kind, raw, headers, lay.units, decimal_comma=comma)
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


def _empty(kind: Kind, failures: list[Failure], loc: HeaderLocation) -> Prepared:
    dtypes = {n: {"int": pl.Int64, "float": pl.Float64}.get(c.dtype, pl.String) for n, c in kind.columns.items()}
    frame = pl.DataFrame(schema={SOURCE_ROW: pl.Int64, **dtypes})
    raw = pl.DataFrame(schema={SOURCE_ROW: pl.Int64})
    return Prepared(frame=frame, raw=raw, headers={}, failures=failures, header_rows=loc.rows, labels=loc.labels)
