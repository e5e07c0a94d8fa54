"""Reading upload files into raw text grids, keeping the row numbers and column letters the user sees.

Every cell is read as text so that the next steps can report a bad cell by its value as typed. A
:class:`RawTable` holds every row of the file or sheet, the header and any title rows above it included:
``SOURCE_ROW`` is the row number a spreadsheet shows (row 1 = the first row of the file; in a CSV a record with a
line break inside quotes is one row, as Excel shows it). :mod:`pipeline.headers` then finds the header.

- CSV: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with or without BOM), GBK/GB18030 and other
  encodings; undecodable bytes are reported by line. The separator (``,`` ``;`` tab ``|``) is chosen by which one
  splits the first rows most consistently. Files that are not text (PDF, images, archives, programs) and web
  pages saved under a table's name are refused with what they look like.
- Workbooks (XLSX, XLSM, XLS, XLSB, ODS): :mod:`pipeline.workbooks` (which sheet, formulas, merged cells) after
  :mod:`pipeline.sheets` has checked the archive (damage, zip bombs).
- Parquet: values turned into text so they go through the same checks.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import polars as pl

from pipeline.errors import UploadUnreadable
from pipeline.headers import SOURCE_ROW, locate_header, locate_header_any
from pipeline.sheets import MAX_UNPACKED_BYTES, column_letter
from pipeline.validation import Failure
from schemas import Kind

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon ';'", "\t": "tab", "|": "vertical bar '|'"}

# Magic numbers of files that are not tables, so a renamed file is named for what it is.
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"\x7fELF", "a program (ELF)"), (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"BM", "a bitmap image"), (b"RIFF", "a media file"),
    (b"\x00\x00\x01\x00", "an icon"), (b"ID3", "an MP3 file"), (b"{\\rtf", "an RTF document"),
]
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_NOT_WESTERN = {"cp1251", "koi8_r", "koi8_u", "mac_cyrillic", "cp866", "iso8859_5", "big5", "big5hkscs", "cp950",
                "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "iso2022_jp", "utf_16", "utf_32", "cp1253",
                "cp1255", "cp1256", "iso8859_7", "iso8859_8", "tis_620", "cp874"}



@dataclass(frozen=True)
class RawTable:
    """A file's cells as text: every row, with the user's row numbers; and the rows under the header found.

    ``grid`` holds every row (title rows and header included); ``frame`` the rows below the header and
    ``headers`` its labels, found for the kind given to :func:`read_table` (else for the kind that fits best).
    :mod:`pipeline.normalise` looks for the header in ``grid`` again, for the kind being uploaded.
    """

    grid: pl.DataFrame  # positional columns c0, c1, ... (all text) plus SOURCE_ROW: every row
    file_name: str
    file_format: str  # csv, xlsx, parquet
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    first_col: int = 1  # spreadsheet column number of c0 (1 = A)
    notes: list[Failure] = field(default_factory=list)  # what reading found or did (errors, warnings, notices)
    header_rows: tuple[int, ...] = ()  # the header found (source rows), empty when every cell is blank
    headers: list[str] = field(default_factory=list)  # its labels, per positional column

    @property
    def frame(self) -> pl.DataFrame:
        """The rows below the header (positional columns plus SOURCE_ROW)."""
        if not self.header_rows:
            return self.grid
        return self.grid.filter(pl.col(SOURCE_ROW) > self.header_rows[-1])

    def letter(self, position: int) -> str:
        """The spreadsheet column letter of positional column ``position`` (0 = c0)."""
        return column_letter(self.first_col + position)


# -- what the bytes are ---------------------------------------------------------------------------------------------
def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like ('a PDF document'), or None when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or _utf16_without_bom(data):
        return None
    sample = data[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13)) / max(len(sample), 1)
    if control > 0.1:
        return "a binary file"
    if control > 0.01:  # text with a few stray bytes decodes; a binary file does not
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:
                return "a binary file"
    return None


def _line_of(data: bytes, offset: int, newline: bytes = b"\n") -> int:
    return data.count(newline, 0, offset) + 1


def _bytes_at(data: bytes, start: int, end: int) -> str:
    return " ".join(f"{b:02X}" for b in data[start:max(end, start + 1)][:8])


def _gb2312_share(data: bytes) -> float:
    """Share of the double-byte characters that are common GB2312 characters (real Chinese text: most)."""
    pairs = re.findall(rb"[\x81-\xfe][\x40-\xfe]", data[:200_000])
    if not pairs:
        return 0.0
    common = sum(1 for p in pairs if 0xA1 <= p[0] <= 0xF7 and 0xA1 <= p[1] <= 0xFE)
    return common / len(pairs)


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name).

    BOMs first (UTF-8, UTF-16), then UTF-16 without a BOM, strict UTF-8, then GB18030 (a superset of GBK and
    GB2312) when the bytes look like Chinese text, then charset-normalizer's guess. Bytes that decode in none of
    them are reported with their line.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(file_name, data, exc.start + 3, exc.end + 3, "UTF-8 (it starts with a UTF-8 "
                               "byte-order mark)") from None
    utf16 = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise UploadUnreadable(
                f"{file_name}: looks like UTF-16 ('Unicode text') but does not decode as UTF-16 ({exc.reason} at "
                f"byte {exc.start:,}). Save it again as 'CSV UTF-8' and upload that."
            ) from None
        return text.lstrip("\ufeff"), "utf-16"
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ord(ch) > 127) - bad
    if good >= 3 * bad:  # valid UTF-8 but for a few bytes: damaged, or text pasted in from a GBK file
        raise _undecodable(file_name, data, utf8_error.start, utf8_error.end, "UTF-8 (the rest of the file is "
                           f"UTF-8; {bad} place(s) are not)")
    if _gb2312_share(data) >= 0.6:
        try:
            return data.decode("gb18030", errors="strict"), "gb18030"
        except UnicodeDecodeError as exc:
            raise _undecodable(file_name, data, exc.start, exc.end, "GBK/GB18030 (the rest of the file is "
                               "Chinese text in GBK)") from None
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    encoding = None if best is None else best.encoding
    if encoding is None:
        raise UploadUnreadable(
            f"{file_name}: the text encoding could not be recognised (not UTF-8, UTF-16, GBK or GB18030; first "
            f"bad bytes on line {_line_of(data, utf8_error.start)}: {_bytes_at(data, utf8_error.start, utf8_error.end)}"
            "). Open it in Excel or WPS and save it as 'CSV UTF-8', then upload again."
        )
    if encoding.lower().replace("_", "") in _CHINESE:
        encoding = "gb18030"
    elif encoding.lower() not in _NOT_WESTERN:  # a guessed legacy code page: Western European text is most likely
        try:
            return data.decode("cp1252", errors="strict"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(encoding, errors="strict"), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        raise _undecodable(file_name, data, start, getattr(exc, "end", start + 1), encoding) from None


def _undecodable(file_name: str, data: bytes, start: int, end: int, encoding: str) -> UploadUnreadable:
    line = _line_of(data, start)
    line_start = data.rfind(b"\n", 0, start) + 1
    return UploadUnreadable(
        f"{file_name}: line {line}, byte {start - line_start + 1} of the line: the bytes {_bytes_at(data, start, end)} "
        f"are not valid {encoding}. The file was damaged or mixes two encodings. Retype that text (or remove it), "
        "save the file as 'CSV UTF-8' and upload again."
    )


def _not_a_table(file_name: str, text: str) -> None:
    head = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<head", "<body")) or (
        head.startswith("<") and "<table" in head
    ):
        raise UploadUnreadable(
            f"{file_name}: is a web page (HTML), not a table file; web systems often save such pages with an "
            ".xls name. Open it in Excel or WPS and save it as .xlsx (or download it again), then upload that."
        )
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text[:5000]:
        raise UploadUnreadable(
            f"{file_name}: is an Excel 2003 XML spreadsheet. Open it in Excel or WPS and save it as .xlsx."
        )


# -- CSV ----------------------------------------------------------------------------------------------------------
def detect_delimiter(text: str) -> str:
    """The separator that splits the first rows most consistently (more rows with the usual field count, then
    more fields); ``,`` when none splits anything."""
    head = text[:65536]
    best: tuple[int, int, int] = (0, 0, 0)
    chosen = ","
    for rank, delimiter in enumerate(DELIMITERS):
        counts = []
        try:
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter):
                if any(cell.strip() for cell in record):
                    counts.append(len(record))
                if len(counts) >= 50:
                    break
        except csv.Error:
            continue
        split = [n for n in counts if n > 1]
        if not split:
            continue
        mode = max(set(split), key=lambda n: (split.count(n), n))
        score = (split.count(mode), mode, -rank)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def _width_of_head(text: str, delimiter: str, records: int = 200) -> int:
    width = 1
    reader = csv.reader(io.StringIO(text[:1_000_000], newline=""), delimiter=delimiter)
    try:
        for i, record in enumerate(reader):
            width = max(width, len(record))
            if i >= records:
                break
    except csv.Error:
        pass
    return width


def _parse_fast(text: str, delimiter: str) -> pl.DataFrame | None:
    """polars, when every row has at most as many fields as the widest of the first rows."""
    width = _width_of_head(text, delimiter)
    prefix = delimiter.join(f"_{i}" for i in range(width)) + "\n"  # fixes the width; the rows keep their numbers
    try:
        frame = pl.read_csv(
            io.BytesIO((prefix + text).encode("utf-8")), has_header=True, infer_schema=False, separator=delimiter,
            truncate_ragged_lines=False, raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    return frame


def _parse_slow(text: str, delimiter: str, file_name: str) -> pl.DataFrame:
    """Python's csv module: ragged rows of any width, quotes as Excel reads them; an unclosed quote is reported."""
    csv.field_size_limit(min(sys.maxsize, 1 << 30))
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise _unclosed_quote(text, delimiter, file_name) from None
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in records), default=1)
    columns: dict[str, list[str | None]] = {f"_{i}": [] for i in range(width)}
    for record in records:
        for i in range(width):
            value = record[i] if i < len(record) else None
            columns[f"_{i}"].append(value if value != "" else None)
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _unclosed_quote(text: str, delimiter: str, file_name: str) -> UploadUnreadable:
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    row = len(records)
    last = records[-1] if records else []
    column = column_letter(max(len(last), 1))
    return UploadUnreadable(
        f"{file_name}, row {row}, column {column}: a quote (\") opens a cell that is never closed, so everything "
        "after it would be read as one cell. Close the quote, or remove it, then upload again."
    )


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    """Read CSV bytes as text cells; blank lines are kept as empty rows so that row numbers match the file."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UploadUnreadable(f"{file_name}: the file is empty. Upload a file with a header row and data rows.")
    what = binary_kind(data)
    if what is not None:
        raise UploadUnreadable(
            f"{file_name}: is not a text table; it looks like {what}. Upload the table itself: CSV (UTF-8) "
            "or Excel (.xlsx)."
        )
    text, encoding = decode_text(data, file_name)
    _not_a_table(file_name, text)
    if not text.strip():
        raise UploadUnreadable(f"{file_name}: the file is empty. Upload a file with a header row and data rows.")
    if "\r" in text and "\n" not in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    delimiter = detect_delimiter(text)
    frame = _parse_fast(text, delimiter)
    if frame is None:
        frame = _parse_slow(text, delimiter, file_name)
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        shown = {"gb18030": "GB18030 (GBK)", "utf-16": "UTF-16 (Excel's 'Unicode text')",
                 "cp1252": "Windows-1252 (Western European)"}.get(encoding, encoding)
        notes.append(Failure(row=None, column="(file)", value=encoding, rule="encoding",
                             fix=f"Read as {shown} text."))
    if delimiter != ",":
        notes.append(Failure(row=None, column="(file)", value=_DELIMITER_NAMES[delimiter], rule="delimiter",
                             fix=f"Columns are separated by {_DELIMITER_NAMES[delimiter]}."))
    return RawTable(grid=positional(frame, 1), file_name=file_name, file_format="csv", encoding=encoding,
                    delimiter=delimiter, notes=notes)


def positional(frame: pl.DataFrame, first_row: int) -> pl.DataFrame:
    """Name columns c0, c1, ..., cast to text, add the user's row numbers."""
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String))
    return frame.with_row_index(SOURCE_ROW, offset=first_row).with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))


# -- Parquet ---------------------------------------------------------------------------------------------------------
def read_parquet_bytes(data: bytes, file_name: str) -> RawTable:
    """Read a Parquet file; the column names become row 1 and values are turned into text (rows 2, 3, ...)."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
        text = frame.with_columns(pl.all().cast(pl.String))
    except Exception as exc:
        raise UploadUnreadable(f"{file_name}: not a readable Parquet file "
                               f"({str(exc).splitlines()[0][:300]}).") from None
    header = pl.DataFrame([frame.columns], schema=dict.fromkeys(text.columns, pl.String), orient="row")
    return RawTable(grid=positional(pl.concat([header, text]), 1), file_name=file_name, file_format="parquet")


# -- dispatch --------------------------------------------------------------------------------------------------------
def read_table(data: bytes, file_name: str, *, sheet: str | None = None, kind: Kind | None = None,
               max_unpacked: int = MAX_UNPACKED_BYTES) -> RawTable:
    """Read an upload by what its bytes are, checked against what its name claims; find its header for ``kind``
    (else for the kind it fits best)."""
    table = _read(data, file_name, sheet=sheet, kind=kind, max_unpacked=max_unpacked)
    loc = locate_header(table.grid, kind) if kind is not None else locate_header_any(table.grid)
    if loc is None:
        return table
    return dataclasses.replace(table, header_rows=loc.rows, headers=loc.labels)


def _read(data: bytes, file_name: str, *, sheet: str | None, kind: Kind | None, max_unpacked: int) -> RawTable:
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise UploadUnreadable(f"{file_name}: the file is empty (0 bytes). Upload a file with a header row and "
                               "data rows.")
    if data.startswith(ZIP_MAGIC) or data.startswith(_OLE2):
        if suffix in PARQUET_SUFFIXES:
            raise UploadUnreadable(f"{file_name}: is named .parquet but is an Excel workbook or a ZIP archive. "
                                   "Rename it to .xlsx, or upload the Parquet file itself.")
        from pipeline.workbooks import read_excel_bytes

        table = read_excel_bytes(data, file_name, sheet, kind=kind, max_unpacked=max_unpacked)
        if suffix in CSV_SUFFIXES:
            table.notes.append(Failure(row=None, column="(file)", value=suffix, rule="file_type",
                                       fix=f"The file is named {suffix} but is an Excel workbook; read as one."))
        return table
    if data.startswith(b"PAR1"):
        return read_parquet_bytes(data, file_name)
    if suffix in PARQUET_SUFFIXES:
        raise UploadUnreadable(f"{file_name}: is named .parquet but is not a Parquet file. Upload it with its own "
                               "suffix (.csv or .xlsx).")
    if suffix in EXCEL_SUFFIXES:
        what = binary_kind(data)
        if what is not None:
            raise UploadUnreadable(f"{file_name}: is named {suffix} but is not a workbook; it looks like {what}. "
                                   "Open the data in Excel or WPS and save it as .xlsx.")
        if sheet is not None:
            raise UploadUnreadable(f"{file_name}: is named {suffix} but holds plain text (CSV), which has no sheets: "
                                   "leave out --sheet.")
        table = read_csv_bytes(data, file_name)
        table.notes.append(Failure(row=None, column="(file)", value=suffix, rule="file_type",
                                   fix=f"The file is named {suffix} but holds plain text; it was read as CSV."))
        return table
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise UploadUnreadable(f"{file_name}: --sheet applies to Excel workbooks only; this is a CSV file.")
        return read_csv_bytes(data, file_name)
    raise UploadUnreadable(
        f"{file_name}: unsupported file type {suffix!r}. Upload CSV (.csv), Excel (.xlsx) or Parquet (.parquet)."
    )
