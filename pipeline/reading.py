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
from pipeline.messages import Msg
from pipeline.sheets import MAX_UNPACKED_BYTES, column_letter
from pipeline.validation import Failure
from schemas import Kind

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon ';'", "\t": "tab", "|": "vertical bar '|'"}
_DELIMITER_MSG = {",": "sep.comma", ";": "sep.semicolon", "\t": "sep.tab", "|": "sep.bar"}

# Magic numbers of files that are not tables, so a renamed file is named for what it is (pipeline.messages ids).
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "what.pdf"), (b"\x89PNG", "what.png"), (b"\xff\xd8\xff", "what.jpeg"),
    (b"GIF8", "what.gif"), (b"\x1f\x8b", "what.gzip"), (b"Rar!", "what.rar"),
    (b"7z\xbc\xaf\x27\x1c", "what.7z"), (b"\x7fELF", "what.elf"), (b"MZ", "what.exe"),
    (b"SQLite format 3\x00", "what.sqlite"), (b"BM", "what.bmp"), (b"RIFF", "what.media"),
    (b"\x00\x00\x01\x00", "what.icon"), (b"ID3", "what.mp3"), (b"{\\rtf", "what.rtf"),
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
    """What a file that is not text looks like ('a PDF document', a :class:`Msg` that knows its Chinese), or None
    when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Msg(what)
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or _utf16_without_bom(data):
        return None
    sample = data[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13)) / max(len(sample), 1)
    if control > 0.1:
        return Msg("what.binary")
    if control > 0.01:  # text with a few stray bytes decodes; a binary file does not
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:
                return Msg("what.binary")
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
            raise _undecodable(file_name, data, exc.start + 3, exc.end + 3, Msg("enc.utf8_bom")) from None
    utf16 = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise UploadUnreadable(Msg("read.utf16_bad", file=file_name, reason=exc.reason, byte=exc.start)) from None
        return text.lstrip("\ufeff"), "utf-16"
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ord(ch) > 127) - bad
    if good >= 3 * bad:  # valid UTF-8 but for a few bytes: damaged, or text pasted in from a GBK file
        raise _undecodable(file_name, data, utf8_error.start, utf8_error.end, Msg("enc.utf8_mostly", bad=bad))
    if _gb2312_share(data) >= 0.6:
        try:
            return data.decode("gb18030", errors="strict"), "gb18030"
        except UnicodeDecodeError as exc:
            raise _undecodable(file_name, data, exc.start, exc.end, Msg("enc.gbk_mostly")) from None
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    encoding = None if best is None else best.encoding
    if encoding is None:
        raise UploadUnreadable(Msg("read.unknown_encoding", file=file_name, line=_line_of(data, utf8_error.start),
                                   bytes=_bytes_at(data, utf8_error.start, utf8_error.end)))
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
    if not isinstance(encoding, Msg):
        encoding = Msg("enc.other", name=encoding)
    line = _line_of(data, start)
    line_start = data.rfind(b"\n", 0, start) + 1
    return UploadUnreadable(Msg("read.undecodable", file=file_name, line=line, byte=start - line_start + 1,
                                bytes=_bytes_at(data, start, end), encoding=encoding))


def _not_a_table(file_name: str, text: str) -> None:
    head = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<head", "<body")) or (
        head.startswith("<") and "<table" in head
    ):
        raise UploadUnreadable(Msg("read.html", file=file_name))
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text[:5000]:
        raise UploadUnreadable(Msg("read.xml2003", file=file_name))


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


def _parse_fast(text: str, delimiter: str, utf8: bytes | None = None) -> pl.DataFrame | None:
    """polars, when every row has at most as many fields as the widest of the first rows. ``utf8``: the file's
    own bytes when they are the UTF-8 of ``text`` (no BOM), parsed as they are rather than encoded again from the
    text (a census file is over a gigabyte: each copy counts)."""
    width = _width_of_head(text, delimiter)
    prefix = delimiter.join(f"_{i}" for i in range(width)) + "\n"  # fixes the width; the rows keep their numbers
    source = prefix.encode("utf-8") + utf8 if utf8 is not None else (prefix + text).encode("utf-8")
    try:
        frame = pl.read_csv(
            io.BytesIO(source), has_header=True, infer_schema=False, separator=delimiter,
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
    return UploadUnreadable(Msg("read.unclosed_quote", file=file_name, row=row, column=column))


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    """Read CSV bytes as text cells; blank lines are kept as empty rows so that row numbers match the file."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UploadUnreadable(Msg("read.empty", file=file_name))
    what = binary_kind(data)
    if what is not None:
        raise UploadUnreadable(Msg("read.not_text", file=file_name, what=what))
    text, encoding = decode_text(data, file_name)
    _not_a_table(file_name, text)
    if not text.strip():
        raise UploadUnreadable(Msg("read.empty", file=file_name))
    if "\r" in text and "\n" not in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    delimiter = detect_delimiter(text)
    frame = None
    if encoding in ("utf-8", "utf-8-sig") and "\n" in text[:65536]:  # the bytes are the text's UTF-8:
        head = text[:1_000_000]  # polars reads them; the decoded copy goes before it does
        del text
        frame = _parse_fast(head, delimiter, data[3:] if encoding == "utf-8-sig" else data)
        if frame is None:
            text = (data[3:] if encoding == "utf-8-sig" else data).decode("utf-8")
    else:
        frame = _parse_fast(text, delimiter)
    if frame is None:
        frame = _parse_slow(text, delimiter, file_name)
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        known = {"gb18030": "enc.gb18030", "utf-16": "enc.utf16", "cp1252": "enc.cp1252"}.get(encoding)
        shown = Msg(known) if known else Msg("enc.other", name=encoding)
        notes.append(Failure(row=None, column="(file)", value=encoding, rule="encoding",
                             fix=Msg("note.encoding", encoding=shown)))
    if delimiter != ",":
        notes.append(Failure(row=None, column="(file)", value=_DELIMITER_NAMES[delimiter], rule="delimiter",
                             fix=Msg("note.delimiter", separator=Msg(_DELIMITER_MSG[delimiter]))))
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
        raise UploadUnreadable(Msg("read.parquet_bad", file=file_name,
                                   error=str(exc).splitlines()[0][:300])) from None
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
        raise UploadUnreadable(Msg("read.empty_bytes", file=file_name))
    if data.startswith(ZIP_MAGIC) or data.startswith(_OLE2):
        if suffix in PARQUET_SUFFIXES:
            raise UploadUnreadable(Msg("read.parquet_is_workbook", file=file_name))
        from pipeline.workbooks import read_excel_bytes

        table = read_excel_bytes(data, file_name, sheet, kind=kind, max_unpacked=max_unpacked)
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
        table = read_csv_bytes(data, file_name)
        table.notes.append(Failure(row=None, column="(file)", value=suffix, rule="file_type",
                                   fix=Msg("note.named_workbook_is_text", suffix=suffix)))
        return table
    if suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise UploadUnreadable(Msg("read.csv_sheet", file=file_name))
        return read_csv_bytes(data, file_name)
    raise UploadUnreadable(Msg("read.unsupported", file=file_name, suffix=suffix))
