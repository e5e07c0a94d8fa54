"""Step 1 of ingest: an upload's bytes read as a raw table, by what the bytes are, checked against what the name
claims.

- CSV and other text: :mod:`pipeline.ingest.text` (encoding, separator, what a file that is not text looks like);
- workbooks (XLSX, XLSM, XLS, XLSB, ODS): :mod:`pipeline.ingest.workbooks` (which sheet, formulas, merged cells),
  after :mod:`pipeline.ingest.sheets` has checked the archive (damage, zip bombs);
- Parquet: values turned into text so they go through the same checks.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import polars as pl

from pipeline.core.errors import UploadUnreadable
from pipeline.core.messages import Msg
from pipeline.ingest.limits import Limits
from pipeline.ingest.raw import RawTable, positional
from pipeline.ingest.report import Failure
from pipeline.ingest.sheets import OLE2_MAGIC, ZIP_MAGIC
from pipeline.ingest.text import binary_kind, read_csv_bytes
from pipeline.ingest.workbooks import read_excel_bytes
from schemas import Kind

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


# -- Parquet ---------------------------------------------------------------------------------------------------------
def read_parquet_bytes(data: bytes, file_name: str) -> RawTable:
    """Read a Parquet file; the column names become row 1 and values are turned into text (rows 2, 3, ...)."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
        text = frame.with_columns(pl.all().cast(pl.String))
    except Exception as exc:
        raise UploadUnreadable(Msg("read.parquet_bad", file=file_name,
                                   error=str(exc).splitlines()[0][:300])) from None
    header = pl.DataFrame([frame.columns], schema=dict.fromkeys(text.columns, pl.String), orient="row")
    return RawTable(grid=positional(pl.concat([header, text]), 1), file_name=file_name, file_format="parquet")


# -- dispatch --------------------------------------------------------------------------------------------------------
def read_table(data: bytes, file_name: str, *, sheet: str | None = None, kind: Kind | None = None,
               limits: Limits | None = None) -> RawTable:
    """Read an upload by what its bytes are, checked against what its name claims, for ``kind`` (which picks the
    sheet of a workbook and the header; without it, the kind the file fits best). A table wider than the limits
    (``max_columns``; a workbook sheet: also rows and cells) is refused before its cells are read."""
    limits = limits or Limits()
    table = _read(data, file_name, sheet=sheet, kind=kind, limits=limits)
    if table.grid.width - 1 > limits.max_columns:  # Parquet and the workbooks without cell positions (XLS, ODS)
        raise UploadUnreadable(Msg("read.too_wide", file=file_name, n=table.grid.width - 1,
                                   limit=limits.max_columns))
    return dataclasses.replace(table, kind=kind)


def _read(data: bytes, file_name: str, *, sheet: str | None, kind: Kind | None, limits: Limits) -> RawTable:
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise UploadUnreadable(Msg("read.empty_bytes", file=file_name))
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        if suffix in PARQUET_SUFFIXES:
            raise UploadUnreadable(Msg("read.parquet_is_workbook", file=file_name))
        table = read_excel_bytes(data, file_name, sheet, kind=kind, limits=limits)
        if suffix in CSV_SUFFIXES:
            table.notes.append(Failure(row=None, column="(file)", value=suffix, rule="file_type",
                                       fix=Msg("note.named_csv_is_workbook", suffix=suffix)))
        return table
    if data.startswith(b"PAR1"):
        return read_parquet_bytes(data, file_name)
    if suffix in PARQUET_SUFFIXES:
        raise UploadUnreadable(Msg("read.parquet_not", file=file_name))
    if suffix in EXCEL_SUFFIXES:
        what = binary_kind(data)
        if what is not None:
            raise UploadUnreadable(Msg("read.not_workbook", file=file_name, suffix=suffix, what=what))
        if sheet is not None:
            raise UploadUnreadable(Msg("read.text_has_no_sheets", file=file_name, suffix=suffix))
        table = read_csv_bytes(data, file_name, max_columns=limits.max_columns)
        table.notes.append(Failure(row=None, column="(file)", value=suffix, rule="file_type",
                                   fix=Msg("note.named_workbook_is_text", suffix=suffix)))
        return table
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise UploadUnreadable(Msg("read.csv_sheet", file=file_name))
        return read_csv_bytes(data, file_name, max_columns=limits.max_columns)
    raise UploadUnreadable(Msg("read.unsupported", file=file_name, suffix=suffix))
