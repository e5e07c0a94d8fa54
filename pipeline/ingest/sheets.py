"""Spreadsheet reality: what a workbook holds before any cell is read.

- Zip bombs and damaged archives: an XLSX is a ZIP; every member is unpacked once, counting bytes, and the
  workbook is refused before the reader sees it when it unpacks to more than the limit (or claims less than it
  holds).
- Sheets that spread too far: the reader lays a sheet out as a dense grid from its first cell to its last, so one
  stray value in XFD1048576 makes a 1.6 KB file 17 billion cells (the reader then aborts the whole process). Each
  sheet's cells are located while it is unpacked, and a sheet beyond the limits (columns, rows, cells) is refused,
  named, before the reader sees the workbook. The ``<dimension>`` a file declares is not trusted, and not needed:
  the reader does not lay out by it.
- Where the table starts: the reader skips empty leading rows and columns, so the sheet's own XML tells where the
  first cell is; row numbers and column letters in reports are then those Excel shows.
- Merged cells (``<mergeCell ref="A3:A6"/>``): read as their value on every row and column they span, as the user
  sees them.
- Formulas: the reader takes each formula's saved value. A workbook written by a program and never opened in a
  spreadsheet may carry no calculated values (``fullCalcOnLoad``): that is a warning.

Only XLSX/XLSM (Office Open XML) have this detail; XLS, XLSB and ODS are read without it (row numbers then count
from the first non-empty row, which is row 1 in almost every file).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from pipeline.core.errors import UploadUnreadable
from pipeline.core.messages import Msg
from pipeline.ingest.limits import Limits

#: How a workbook's bytes start: a ZIP archive (XLSX, XLSM, ODS) or an OLE2 compound file (XLS).
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_MEMBERS = 10_000
_CHUNK = 1 << 20

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)\b[^>]*>[^<]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')  # a cell's position
_OVERLAP = 512  # bytes of the previous chunk scanned again, so that no cell tag is cut in two
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str | bytes) -> int:
    """A -> 1, AA -> 27."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's table sits: its first row and column (1-based) and its merged ranges."""

    first_row: int = 1
    first_col: int = 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row1, col1, row2, col2), 1-based, inclusive


@dataclass
class Extent:
    """Where a sheet's cells lie: first and last row and column (1-based; 0 while no cell is seen)."""

    first_row: int = 0
    last_row: int = 0
    first_col: int = 0
    last_col: int = 0

    def add(self, refs: list[tuple[bytes, bytes]]) -> None:
        """Take in cell positions as found in the XML (column letters, row number)."""
        if not refs:
            return
        rows = [int(r) for _, r in refs]
        cols = [column_number(c) for c in {c for c, _ in refs}]
        self.first_row = min(rows) if not self.first_row else min(self.first_row, *rows)
        self.last_row = max(self.last_row, *rows)
        self.first_col = min(cols) if not self.first_col else min(self.first_col, *cols)
        self.last_col = max(self.last_col, *cols)

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row else 0

    @property
    def columns(self) -> int:
        return self.last_col - self.first_col + 1 if self.last_col else 0

    @property
    def cells(self) -> int:
        """The cells of the dense grid a reader makes of the sheet."""
        return self.rows * self.columns

    @property
    def span(self) -> str:
        return f"{column_letter(self.first_col)}{self.first_row}:{column_letter(self.last_col)}{self.last_row}"


@dataclass
class Workbook:
    """What was learnt from an XLSX archive without reading its cells."""

    members: dict[str, str] = field(default_factory=dict)  # sheet name -> archive member of its XML
    extents: dict[str, Extent] = field(default_factory=dict)  # archive member of a sheet -> where its cells lie
    needs_recalculation: bool = False  # formulas present and the workbook asks to be recalculated on opening
    has_formulas: bool = False
    unpacked_bytes: int = 0


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return Msg("size.bytes", n=n) if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def check_archive(data: bytes, file_name: str, *, limits: Limits | None = None) -> Workbook:
    """Refuse damaged archives, zip bombs and sheets that spread beyond the limits; read the workbook's sheet list
    and calculation flag.

    Every member is unpacked once (nothing kept but the small workbook parts), counting the bytes, so an archive
    that claims small sizes but holds more is caught too; a sheet's cell positions are read on the way.
    """
    limits = limits or Limits()
    max_unpacked = limits.max_unpacked
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadUnreadable(Msg("book.damaged_zip", file=file_name, error=exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise UploadUnreadable(Msg("book.too_many_parts", file=file_name, n=len(infos), limit=MAX_MEMBERS))
    declared = sum(i.file_size for i in infos)
    if declared > max_unpacked:
        raise _bomb(file_name, len(data), declared, max_unpacked)
    book = Workbook()
    keep = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    parts: dict[str, bytes] = {}
    total = 0
    try:
        for info in infos:
            if info.is_dir():
                continue
            kept = bytearray() if info.filename in keep else None
            is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            formulas = is_sheet and not book.has_formulas
            extent = book.extents.setdefault(info.filename, Extent()) if is_sheet else None
            tail = b""
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > max_unpacked:
                        raise _bomb(file_name, len(data), total, max_unpacked)
                    if kept is not None:
                        kept += chunk
                    if formulas and _FORMULA.search(tail + chunk):
                        book.has_formulas = True
                        formulas = False
                    if extent is not None:
                        extent.add(_CELL_REF.findall(tail + chunk))
                    tail = chunk[-_OVERLAP:]
            if kept is not None:
                parts[info.filename] = bytes(kept)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        # zlib errors surface as zlib.error (a subclass of Exception); catch broadly below
        raise UploadUnreadable(Msg("book.damaged", file=file_name, error=exc)) from None
    except Exception as exc:  # zlib.error, NotImplementedError (unsupported compression), ...
        if isinstance(exc, UploadUnreadable):
            raise
        raise UploadUnreadable(Msg("book.damaged_or_compression", file=file_name, error=exc)) from None
    book.unpacked_bytes = total
    workbook_xml = parts.get("xl/workbook.xml")
    if workbook_xml is not None:
        recalc = b'fullCalcOnLoad="1"' in workbook_xml or b"fullCalcOnLoad='1'" in workbook_xml
        book.needs_recalculation = recalc and book.has_formulas
        book.members = _sheet_members(workbook_xml, parts.get("xl/_rels/workbook.xml.rels", b""))
    _check_spread(book, file_name, limits)
    return book


def _check_spread(book: Workbook, file_name: str, limits: Limits) -> None:
    """Refuse the workbook when a sheet's cells spread beyond the limits, naming the sheet and its last cell."""
    names = {member: name for name, member in book.members.items()}
    for member, extent in book.extents.items():
        sheet = names.get(member, member.rsplit("/", 1)[-1])
        common = {"file": file_name, "sheet": sheet, "span": extent.span}
        if extent.columns > limits.max_columns:
            raise UploadUnreadable(Msg("book.too_wide", **common, n=extent.columns, limit=limits.max_columns))
        if extent.rows > limits.max_rows:
            raise UploadUnreadable(Msg("book.too_long", **common, n=extent.rows, limit=limits.max_rows))
        if extent.cells > limits.max_cells:
            raise UploadUnreadable(Msg("book.too_many_cells", **common, n=extent.cells, limit=limits.max_cells))


def _bomb(file_name: str, packed: int, unpacked: int, limit: int) -> UploadUnreadable:
    ratio = unpacked / max(packed, 1)
    return UploadUnreadable(Msg("book.zip_bomb", file=file_name, limit=_size(limit), unpacked=_size(unpacked),
                                packed=_size(packed), ratio=ratio))


def _sheet_members(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    try:
        book = ElementTree.fromstring(workbook_xml)
        rels = ElementTree.fromstring(rels_xml) if rels_xml else None
    except ElementTree.ParseError:
        return {}
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            targets[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    out: dict[str, str] = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            name, rid = el.get("name"), el.get(_NS_REL)
            if name and rid in targets:
                out[name] = targets[rid]
    return out


def sheet_layout(data: bytes, member: str | None) -> SheetLayout | None:
    """First row and column of the sheet's valued cells, and its merged ranges; None when unknown."""
    if member is None:
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        stream = archive.open(member)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    first_row = first_col = 0
    merged: list[tuple[int, int, int, int]] = []
    buffer = b""
    with stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer += chunk
            end = 0
            if first_col != 1:
                for m in _CELL.finditer(buffer):
                    end = m.end()
                    content = m.group(3)
                    if not content or not _VALUE.search(content):
                        continue
                    ref = _REF.search(m.group(1))
                    if ref is None:
                        continue
                    col, row = column_number(ref.group(1)), int(ref.group(2))
                    first_row = first_row or row
                    first_col = col if first_col == 0 else min(first_col, col)
                    if first_col == 1:
                        break
            for m in _MERGE.finditer(buffer):
                end = max(end, m.end())
                c1, r1 = column_number(m.group(1)), int(m.group(2))
                c2, r2 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                merged.append((r1, c1, r2, c2))
            if not chunk:
                break
            buffer = buffer[max(end, len(buffer) - 4096):] if end < len(buffer) - 4096 else buffer[end:]
    if first_row == 0:
        return SheetLayout(merged=tuple(merged))
    return SheetLayout(first_row=first_row, first_col=first_col or 1, merged=tuple(merged))
