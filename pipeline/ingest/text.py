"""CSV and other text files: what the bytes are, their encoding, their separator, their cells as text.

- UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with or without BOM), GBK/GB18030 and other
  encodings; undecodable bytes are reported by line. The separator (``,`` ``;`` tab ``|``) is chosen by which one
  splits the first rows most consistently. Files that are not text (PDF, images, archives, programs) and web
  pages saved under a table's name are refused with what they look like.
- The cells go into a :class:`~pipeline.ingest.raw.RawTable`: blank lines kept as empty rows, so that row numbers
  match the file.
"""

from __future__ import annotations

import csv
import io
import re
import sys

import charset_normalizer
import polars as pl

from pipeline.core.errors import UploadUnreadable
from pipeline.core.messages import Msg
from pipeline.ingest.limits import Limits
from pipeline.ingest.raw import RawTable, positional
from pipeline.ingest.report import Failure
from pipeline.ingest.sheets import column_letter

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon ';'", "\t": "tab", "|": "vertical bar '|'"}
_DELIMITER_MSG = {",": "sep.comma", ";": "sep.semicolon", "\t": "sep.tab", "|": "sep.bar"}

# Magic numbers of files that are not tables, so a renamed file is named for what it is (pipeline.core.messages ids).
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "what.pdf"), (b"\x89PNG", "what.png"), (b"\xff\xd8\xff", "what.jpeg"),
    (b"GIF8", "what.gif"), (b"\x1f\x8b", "what.gzip"), (b"Rar!", "what.rar"),
    (b"7z\xbc\xaf\x27\x1c", "what.7z"), (b"\x7fELF", "what.elf"), (b"MZ", "what.exe"),
    (b"SQLite format 3\x00", "what.sqlite"), (b"BM", "what.bmp"), (b"RIFF", "what.media"),
    (b"\x00\x00\x01\x00", "what.icon"), (b"ID3", "what.mp3"), (b"{\\rtf", "what.rtf"),
]
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_NOT_WESTERN = {"cp1251", "koi8_r", "koi8_u", "mac_cyrillic", "cp866", "iso8859_5", "big5", "big5hkscs", "cp950",
                "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "iso2022_jp", "utf_16", "utf_32", "cp1253",
                "cp1255", "cp1256", "iso8859_7", "iso8859_8", "tis_620", "cp874"}


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


def _too_wide(file_name: str, width: int, max_columns: int) -> None:
    if width > max_columns:
        raise UploadUnreadable(Msg("read.too_wide", file=file_name, n=width, limit=max_columns))


def _parse_fast(text: str, delimiter: str, utf8: bytes | None = None, *, file_name: str,
                max_columns: int) -> pl.DataFrame | None:
    """polars, when every row has at most as many fields as the widest of the first rows. ``utf8``: the file's
    own bytes when they are the UTF-8 of ``text`` (no BOM), parsed as they are rather than encoded again from the
    text (a census file is over a gigabyte: each copy counts)."""
    width = _width_of_head(text, delimiter)
    _too_wide(file_name, width, max_columns)
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


def _parse_slow(text: str, delimiter: str, file_name: str, *, max_columns: int) -> pl.DataFrame:
    """Python's csv module: ragged rows of any width up to ``max_columns``, quotes as Excel reads them; an unclosed
    quote is reported."""
    csv.field_size_limit(min(sys.maxsize, 1 << 30))
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            _too_wide(file_name, len(record), max_columns)
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


def read_csv_bytes(data: bytes, file_name: str, *, max_columns: int = Limits.max_columns) -> RawTable:
    """Read CSV bytes as text cells; blank lines are kept as empty rows so that row numbers match the file. A row
    wider than ``max_columns`` refuses the file (a wide file's cells are read column by column)."""
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
        frame = _parse_fast(head, delimiter, data[3:] if encoding == "utf-8-sig" else data, file_name=file_name,
                            max_columns=max_columns)
        if frame is None:
            text = (data[3:] if encoding == "utf-8-sig" else data).decode("utf-8")
    else:
        frame = _parse_fast(text, delimiter, file_name=file_name, max_columns=max_columns)
    if frame is None:
        frame = _parse_slow(text, delimiter, file_name, max_columns=max_columns)
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
