"""Reading upload files into raw string tables, keeping the row numbers the user sees.

CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030 detected with charset-normalizer), XLSX/XLS (fastexcel,
first sheet or a named one) and Parquet. Every cell is read as text so that the next step can report a bad cell by
its value as typed; ``source_row`` holds the row number in the user's file (header = row 1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import polars as pl

from pipeline.errors import UploadUnreadable

SOURCE_ROW = "__source_row__"

# Chinese encodings that charset-normalizer may name; GB18030 decodes all of them (it is a superset of GBK/GB2312).
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936"}

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text, with the header as written and the user's row numbers."""

    frame: pl.DataFrame  # positional columns c0, c1, ... (all text) plus SOURCE_ROW
    headers: list[str]  # header cells as written (after trimming), headers[i] heads column f"c{i}"
    file_name: str
    file_format: str  # csv, xlsx, parquet
    encoding: str | None = None
    sheet: str | None = None


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name). BOMs first, then strict UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UploadUnreadable(
                f"{file_name}: starts with a UTF-16 byte-order mark but does not decode as UTF-16 ({exc.reason} "
                f"at byte {exc.start}). Save it again as 'CSV UTF-8' and upload that."
            ) from None
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UploadUnreadable(
            f"{file_name}: the text encoding could not be recognised (not UTF-8, GBK or GB18030). "
            "Open it in Excel or WPS and save it as 'CSV UTF-8', then upload again."
        )
    encoding = "gb18030" if best.encoding.lower().replace("_", "") in _CHINESE else best.encoding
    try:
        return data.decode(encoding, errors="strict"), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise UploadUnreadable(
            f"{file_name}: looks like {encoding} but has bytes that do not decode ({exc}). "
            "Save it again as 'CSV UTF-8' and upload that."
        ) from None


def _clean_headers(raw: list[str], file_name: str) -> list[str]:
    headers = [(h or "").strip() for h in raw]
    if not any(headers):
        raise UploadUnreadable(f"{file_name}: row 1 is empty; the first row must hold the column headers.")
    return headers


def _positional(frame: pl.DataFrame, first_data_row: int) -> pl.DataFrame:
    """Name columns c0, c1, ... (headers may repeat or be blank), cast to text, add the user's row numbers."""
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String))
    return frame.with_row_index(SOURCE_ROW, offset=first_data_row).with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    """Read CSV bytes as text cells. Blank lines are kept as empty rows so row numbers match the file."""
    if not data.strip():
        raise UploadUnreadable(f"{file_name}: the file is empty. Upload a file with a header row and data rows.")
    text, encoding = decode_text(data, file_name)
    first_line = text.splitlines()[0] if text else ""
    separator = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            separator=separator,
            has_header=True,
            truncate_ragged_lines=False,
            raise_if_empty=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise UploadUnreadable(
            f"{file_name}: not a readable CSV table ({str(exc).splitlines()[0]}). Check that every row has the "
            "same number of columns as the header, and that quotes are closed."
        ) from None
    header_line = next(csv.reader(io.StringIO(text.splitlines()[0]), delimiter=separator), [])
    headers = _clean_headers(header_line, file_name)
    if len(headers) != frame.width:  # a header polars could not split the same way; trust polars' count
        headers = _clean_headers(frame.columns, file_name)
    return RawTable(
        frame=_positional(frame, 2), headers=headers, file_name=file_name, file_format="csv", encoding=encoding
    )


def read_excel_bytes(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read one sheet of a workbook (the first, or ``sheet`` by name or 1-based number) as text cells."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types per format problem
        raise UploadUnreadable(
            f"{file_name}: not a readable Excel workbook ({exc}). Open it in Excel or WPS, save as .xlsx, retry."
        ) from None
    names = reader.sheet_names
    if not names:
        raise UploadUnreadable(f"{file_name}: the workbook has no sheets.")
    if sheet is None:
        chosen: str | int = 0
        sheet_name = names[0]
    elif sheet in names:
        chosen, sheet_name = sheet, sheet
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        chosen, sheet_name = int(sheet) - 1, names[int(sheet) - 1]
    else:
        raise UploadUnreadable(
            f"{file_name}: there is no sheet {sheet!r}. The workbook's sheets are: {', '.join(names)}. "
            "Pass one of them with --sheet (or its number, 1 = first)."
        )
    try:
        loaded = reader.load_sheet(chosen, dtypes="string", header_row=0)
        frame = loaded.to_polars()
    except Exception as exc:
        raise UploadUnreadable(f"{file_name}, sheet {sheet_name!r}: could not be read ({exc}).") from None
    if frame.width == 0:
        raise UploadUnreadable(f"{file_name}, sheet {sheet_name!r}: the sheet is empty; row 1 must hold the headers.")
    headers = _clean_headers([_header_text(c) for c in loaded.selected_columns], file_name)
    return RawTable(
        frame=_positional(frame, 2), headers=headers, file_name=file_name, file_format="xlsx", sheet=sheet_name
    )


def read_parquet_bytes(data: bytes, file_name: str) -> RawTable:
    """Read a Parquet file; values are turned into text so they go through the same checks as a CSV."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise UploadUnreadable(f"{file_name}: not a readable Parquet file ({exc}).") from None
    headers = _clean_headers(frame.columns, file_name)
    return RawTable(frame=_positional(frame, 2), headers=headers, file_name=file_name, file_format="parquet")


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> RawTable:
    """Read an upload by its file name's suffix (content sniffed for workbooks without one)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        return read_excel_bytes(data, file_name, sheet)
    if suffix in PARQUET_SUFFIXES or data[:4] == b"PAR1":
        return read_parquet_bytes(data, file_name)
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise UploadUnreadable(f"{file_name}: --sheet applies to Excel workbooks only; this is a CSV file.")
        return read_csv_bytes(data, file_name)
    raise UploadUnreadable(
        f"{file_name}: unsupported file type {suffix!r}. Upload CSV (.csv), Excel (.xlsx) or Parquet (.parquet)."
    )


def _header_text(column: object) -> str:
    """A fastexcel column's header as written; blank when fastexcel had to generate a name."""
    if getattr(column, "column_name_from", "") == "generated":
        return ""
    return str(getattr(column, "name", column))
