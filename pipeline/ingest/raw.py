"""The raw table: a file's cells as text, every row, with the row numbers and column letters the user sees.

Every cell is kept as text so that the next steps can report a bad cell by its value as typed. ``SOURCE_ROW`` is
the row number a spreadsheet shows (row 1 = the first row of the file or sheet; in a CSV a record with a line break
inside quotes is one row, as Excel shows it) and ``first_col`` the column where the table starts (it may start at
B3). The header is located lazily (:attr:`RawTable.header`), for the kind the file is read for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from pipeline.ingest.headers import HeaderLocation, locate_header, locate_header_any
from pipeline.ingest.report import SOURCE_ROW, Failure
from pipeline.ingest.sheets import column_letter
from schemas import Kind


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text: every row, with the user's row numbers; and, once asked for, its header.

    ``grid`` holds every row (title rows and header included); :attr:`header` is located for ``kind`` (the kind
    the file is read for; else for the kind it fits best), ``frame`` holds the rows below it and ``headers`` its
    labels.
    """

    grid: pl.DataFrame  # positional columns c0, c1, ... (all text) plus SOURCE_ROW: every row
    file_name: str
    file_format: str  # csv, xlsx, parquet
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    first_col: int = 1  # spreadsheet column number of c0 (1 = A)
    notes: list[Failure] = field(default_factory=list)  # what reading found or did (errors, warnings, notices)
    kind: Kind | None = None  # the kind the file is read for

    @cached_property
    def header(self) -> HeaderLocation | None:
        """The header, located once (None when every cell is empty)."""
        return locate_header(self.grid, self.kind) if self.kind is not None else locate_header_any(self.grid)

    @property
    def header_rows(self) -> tuple[int, ...]:
        """The header's source rows (one or two); empty when every cell is blank."""
        return self.header.rows if self.header is not None else ()

    @property
    def headers(self) -> list[str]:
        """The header's labels, per positional column."""
        return self.header.labels if self.header is not None else []

    @property
    def frame(self) -> pl.DataFrame:
        """The rows below the header (positional columns plus SOURCE_ROW)."""
        return self.body(self.header_rows[-1]) if self.header_rows else self.grid

    def body(self, header_row: int) -> pl.DataFrame:
        """The rows below ``header_row``: a slice (no copy) when the grid's rows are in file order, as they are
        read."""
        rows = self.grid.get_column(SOURCE_ROW)
        return self.grid.slice(int(rows.search_sorted(header_row, side="right"))) if rows.is_sorted() \
            else self.grid.filter(pl.col(SOURCE_ROW) > header_row)

    def letter(self, position: int) -> str:
        """The spreadsheet column letter of positional column ``position`` (0 = c0)."""
        return column_letter(self.first_col + position)


def positional(frame: pl.DataFrame, first_row: int) -> pl.DataFrame:
    """Name columns c0, c1, ..., cast to text, add the user's row numbers."""
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String))
    return frame.with_row_index(SOURCE_ROW, offset=first_row).with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))
