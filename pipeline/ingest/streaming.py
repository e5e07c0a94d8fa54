"""How the first steps of ingest are fed: the whole file, or a large CSV in blocks of lines.

A census firm file is over a gigabyte. Read whole, its text grid, the cells as typed, the rows under the header
and the typed frame were all in memory at once, many times the file (13.8 GB for a 1.25 GB file). :class:`Blocks`
cuts the bytes into blocks of whole lines (``CLUSTERSTATS_INGEST_BLOCK_MB``, 32 MB unless set; a cut never falls
inside a quoted cell) and feeds the same steps as :class:`WholeFile` does (:mod:`pipeline.ingest.upload`): step 1
reads the first block as any file is read (encoding, separator, title rows), step 2 locates the header there, and
step 3 (blank rows, totals and footnotes set aside, cells read) runs on each block in turn, keeping only its typed
records, flags and report lines. The checks across rows (duplicate keys, references, year-on-year jumps, replaced
keys) then run on the typed records of the whole file, as for any file.

Nothing of the user's text is kept: when a report line or the rejected-rows file needs the cells of a row as the
user typed them, the block holding the row is parsed again from the bytes (:class:`BlockSource`).

The report is the same as reading the file whole (``tests/test_ingest_streaming.py`` compares them line by line,
with blocks of a few hundred bytes). Where a block could change what the whole file says, :class:`NotStreamable`
makes the file fed whole instead: a row wider than the first rows, bytes that are not UTF-8, a footnote before the
last block, cells under a column the first block found empty, a ';'-separated file (decimal commas are judged on
the whole file); dictionaries (their rows refer to each other), workbooks and Parquet are always fed whole.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.core.messages import Msg
from pipeline.core.settings import Settings
from pipeline.ingest.layout import NAME_PREFIX, Layout, raw_columns, unfilled
from pipeline.ingest.raw import RawTable, positional
from pipeline.ingest.reading import CSV_SUFFIXES
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import EXAMPLES, SOURCE_ROW, Failure, example_text, rows_msg_of
from pipeline.ingest.text import binary_kind
from schemas import Kind

#: step 3 (:func:`pipeline.ingest.records.typed_records`), as the feeds call it
TypedRecords = Callable[..., Prepared]

ENV_BLOCK_MB = "CLUSTERSTATS_INGEST_BLOCK_MB"
BOM = b"\xef\xbb\xbf"  # Excel's "CSV UTF-8" starts with it
DEFAULT_BLOCK_MB = 32.0
#: the first block holds at least this many records, so that the separator, the header and the width of the rows
#: are judged on the same rows as when the file is read whole (pipeline.ingest.reading looks at the first 200)
HEAD_RECORDS = 200
HEAD_LINES = HEAD_RECORDS + 50  # title rows and a header above them
WORKERS = max(1, min(2, os.cpu_count() or 1))
#: report lines that count rows across the file: one line per file, merged from the blocks
_COUNTED = {"cells.note", "rows.blank", "cells.all_measures_missing"}
#: report lines listed for the first rows only (pipeline.ingest.cells: 50 per column)
_CAPPED = {"formula_text": 50, "markup_text": 50}


def block_size(settings: Settings) -> int:
    """Bytes per block: ``Settings.extra["ingest_block_mb"]``, else ``CLUSTERSTATS_INGEST_BLOCK_MB``, else 32 MB."""
    mb = settings.extra.get("ingest_block_mb") or os.environ.get(ENV_BLOCK_MB) or DEFAULT_BLOCK_MB
    return max(1, int(float(mb) * 1024 * 1024))


@dataclass(frozen=True)
class Block:
    """A run of whole records: bytes ``start:end`` of the file, the first one at spreadsheet row ``first_row``."""

    start: int
    end: int
    first_row: int = 0
    rows: int = 0


def cut(data: bytes, size: int, *, head_lines: int = 0) -> list[Block]:
    """Blocks of about ``size`` bytes, each ending at a line end outside quotes (an even count of ``"`` since the
    block's start: a doubled quote inside a cell counts twice); the first holds at least ``head_lines`` lines."""
    blocks: list[Block] = []
    start, n = 0, len(data)
    head = 0
    for _ in range(head_lines):
        head = data.find(b"\n", head) + 1
        if head == 0:
            head = n
            break
    while start < n:
        end = min(n, max(start + size, head if start == 0 else 0))
        if end < n:
            newline = data.find(b"\n", end - 1)
            end = n if newline < 0 else newline + 1
            while end < n and data.count(b'"', start, end) % 2:
                newline = data.find(b"\n", end)
                end = n if newline < 0 else newline + 1
        blocks.append(Block(start, end))
        start = end
    return blocks


@dataclass
class BlockSource:
    """A streamed file's bytes and blocks: the user's text of any row, parsed again when a report needs it."""

    data: bytes
    blocks: list[Block]
    delimiter: str
    width: int  # positional columns, as the first block has them
    lay: Layout
    header_row: int = 1
    parsed: int = field(default=0)  # blocks parsed again (for the tests: the text is not kept)
    heights: list[int] = field(default_factory=list)  # records per block (pipeline.ingest.checking validates by block)

    def parse(self, block: Block, first_row: int) -> pl.DataFrame | None:
        """The block's records as text cells c0, c1, ... (+ SOURCE_ROW); None when polars cannot read it as the
        first block was read (a wider row, bytes that are not UTF-8): the file is then read whole."""
        prefix = self.delimiter.join(f"_{i}" for i in range(self.width)) + "\n"
        start = block.start + 3 if block.start == 0 and self.data.startswith(BOM) else block.start
        try:
            frame = pl.read_csv(io.BytesIO(prefix.encode("utf-8") + self.data[start:block.end]),
                                has_header=True, infer_schema=False, separator=self.delimiter,
                                truncate_ragged_lines=False, raise_if_empty=False)
        except pl.exceptions.PolarsError:
            return None
        return positional(frame, first_row)

    def body(self, rows: Iterable[int]) -> pl.DataFrame:
        """The records ``rows`` as typed (positional text columns + SOURCE_ROW), in row order."""
        wanted = sorted(set(rows))
        parts = []
        for block in self.blocks:
            last = block.first_row + block.rows - 1
            inside = [r for r in wanted if block.first_row <= r <= last and r > self.header_row]
            if not inside:
                continue
            grid = self.parse(block, block.first_row)
            self.parsed += 1
            if grid is not None:
                parts.append(grid.filter(pl.col(SOURCE_ROW).is_in(inside)))
        schema = {f"c{i}": pl.String for i in range(self.width)} | {SOURCE_ROW: pl.Int64}
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema)

    def raw(self, rows: Iterable[int]) -> pl.DataFrame:
        """The records ``rows`` as :attr:`Prepared.raw` holds them: canonical and name columns, as typed."""
        return raw_columns(self.body(rows), self.lay)

    @property
    def raw_names(self) -> list[str]:
        return list(raw_columns(pl.DataFrame(schema={f"c{i}": pl.String for i in range(self.width)}
                                             | {SOURCE_ROW: pl.Int64}), self.lay).columns)


class NotStreamable(Exception):
    """The file is fed whole instead (why, for the tests)."""


class WholeFile:
    """The first steps fed the whole file: read at once, its rows typed in one part."""

    def __init__(self, data: bytes) -> None:
        self.head = data  # the bytes step 1 reads

    def map(self, step: TypedRecords, table: RawTable, lay: Layout, kind: Kind) -> Prepared:
        """Step 3 on every row under the header."""
        return step(table, lay, kind)

    def kept(self, table: RawTable) -> RawTable:
        """What is kept of the raw table: all of it."""
        return table


class Blocks:
    """The first steps fed a large UTF-8 CSV in blocks of whole lines: step 1 reads the first block (encoding,
    separator, header, title rows), step 2 locates the header there, and step 3 runs on each block in turn (two
    threads), keeping only its typed records, flags and report lines."""

    def __init__(self, data: bytes, blocks: list[Block]) -> None:
        self.data, self.blocks = data, blocks
        self.head = data[:blocks[0].end]  # the bytes step 1 reads

    @classmethod
    def of(cls, data: bytes, file_name: str, kind: Kind, *, size: int) -> Blocks | None:
        """The file's blocks of ``size`` bytes; None when it is read whole (small, a dictionary, not a CSV)."""
        suffix = Path(file_name).suffix.lower()
        if kind.is_dictionary or len(data) <= size or not (suffix in CSV_SUFFIXES or suffix == ""):
            return None
        if data.startswith((b"PK", b"\xd0\xcf\x11\xe0", b"PAR1")) or binary_kind(data) is not None:
            return None
        blocks = cut(data, size, head_lines=HEAD_LINES)
        return cls(data, blocks) if len(blocks) >= 2 else None

    def map(self, step: TypedRecords, table: RawTable, lay: Layout, kind: Kind) -> Prepared:
        """Step 3 on each block, the parts combined; raises :class:`NotStreamable` when a block could change what
        the whole file says."""
        if table.encoding not in ("utf-8", "utf-8-sig") or table.delimiter in (None, ";") \
                or table.grid.height < HEAD_RECORDS + 1:
            raise NotStreamable("encoding, separator or too few rows in the first block")
        if lay.missing or lay.header_row >= table.grid.height:
            raise NotStreamable("no header, or nothing under it in the first block")
        source = BlockSource(self.data, [], table.delimiter or ",", table.grid.width - 1, lay,
                             header_row=lay.header_row)
        again = source.parse(self.blocks[0], 1)
        if again is None or not again.equals(table.grid):
            raise NotStreamable("the first block is not read by polars as a whole file is")
        parts: list[Prepared] = []
        pending: deque[Future[Prepared]] = deque()
        first_row = 1
        # WORKERS threads read the blocks (polars works outside the GIL), two blocks' text in memory at a time. A
        # block's first row number must be known before it is read: from the line ends of a block without quotes
        # (checked against what polars reads), else by parsing the block here first.
        with ThreadPoolExecutor(max_workers=WORKERS) as workers:
            for i, block in enumerate(self.blocks):
                grid = table.grid if i == 0 else None
                rows = grid.height if grid is not None else _lines(self.data, block)
                if rows is None:
                    grid = source.parse(block, first_row)
                    if grid is None:
                        raise NotStreamable(f"block {i + 1} is not read as the first block is")
                    rows = grid.height
                block = dataclasses.replace(block, first_row=first_row, rows=rows)
                source.blocks.append(block)
                first_row += rows
                pending.append(workers.submit(_read_block, step, source, table, block, grid, kind, i,
                                              i == len(self.blocks) - 1))
                while len(pending) >= WORKERS:
                    parts.append(pending.popleft().result())
            parts += [f.result() for f in pending]
        return _combined(parts, source)

    def kept(self, table: RawTable) -> RawTable:
        """What is kept of the first block's table: how it was read (format, encoding, separator), not its text."""
        return dataclasses.replace(table, grid=table.grid.clear())


def _lines(data: bytes, block: Block) -> int | None:
    """The records of a block without quotes: its line ends (and a last line without one). None with quotes: a
    quoted cell may hold a line end."""
    if data.count(b'"', block.start, block.end):
        return None
    return data.count(b"\n", block.start, block.end) + (block.end == len(data) and not data.endswith(b"\n"))


def _read_block(step: TypedRecords, source: BlockSource, table: RawTable, block: Block, grid: pl.DataFrame | None,
                kind: Kind, i: int, last: bool) -> Prepared:
    """Block ``i`` parsed (unless it is), its records read under the header (step 3, ``step``), its text
    dropped."""
    lay = source.lay
    if grid is None:
        grid = source.parse(block, block.first_row)
        if grid is None or grid.height != block.rows:
            raise NotStreamable(f"block {i + 1} is not read as the first block is")
    body = table.body(lay.header_row) if i == 0 else grid
    if i and not lay.empty <= set(unfilled(body, lay.mapping, lay.name_cols)):
        raise NotStreamable("cells under a column the first block has empty")
    part = step(dataclasses.replace(table, grid=grid), lay, kind, body, head=i == 0)
    rules = {f.rule for f in part.failures}
    if "ragged_row" in rules or any(getattr(f, "msg", None) is not None and f.msg.id == "header.columns_right"
                                    for f in part.failures):
        raise NotStreamable("cells right of the header")
    if "footnote_row" in rules and not last:
        raise NotStreamable("a footnote before the last block")
    names = [part.raw.get_column(c) for c in part.raw.columns if c.startswith(NAME_PREFIX)]
    part.raw = pl.DataFrame([part.frame.get_column(SOURCE_ROW), *names])  # the same rows as the records
    part.body = None
    return part


def _combined(parts: list[Prepared], source: BlockSource) -> Prepared:
    first = parts[0]
    prepared = Prepared(
        frame=pl.concat([p.frame for p in parts], rechunk=False),
        raw=pl.concat([p.raw for p in parts], rechunk=False),
        headers=first.headers, units=first.units,
        failures=merge_lines([f for p in parts for f in p.failures]),
        flags=pl.concat([p.flags for p in parts]),
        reported=set().union(*(p.reported for p in parts)),
        header_rows=first.header_rows, names=first.names, labels=first.labels,
    )
    prepared.blank_rows = sum(p.blank_rows for p in parts)
    source.heights = [p.frame.height for p in parts]
    prepared.source = source
    return prepared


def merge_lines(lines: list[Failure]) -> list[Failure]:
    """The blocks' report lines as reading the file whole gives them: lines that count rows (cells read on the
    user's behalf, blank rows, rows without any measure) summed into one per file, and lines listed for the first
    rows only cut to as many."""
    out: list[Failure] = []
    counted: dict[tuple[str, str | None, str], int] = {}
    capped: dict[tuple[str, str | None], int] = {}
    for f in lines:
        fix = getattr(f, "msg", None)
        if fix is not None and fix.id in _COUNTED:
            key = (f.rule, f.field, fix.id)
            if key in counted:
                out[counted[key]] = _sum(out[counted[key]], f)
                continue
            counted[key] = len(out)
        elif f.rule in _CAPPED:
            key2 = (f.rule, f.field)
            capped[key2] = capped.get(key2, 0) + 1
            if capped[key2] > _CAPPED[f.rule]:
                continue
        out.append(f)
    return out


def _rows_of(msg: Msg) -> tuple[list[str], int]:
    """(the first rows listed, how many rows) of a :func:`pipeline.ingest.report.rows_msg`."""
    shown = list(msg.params["rows"])
    more = msg.params.get("more")
    return shown, more.params["n"] if isinstance(more, Msg) else len(shown)


def _sum(a: Failure, b: Failure) -> Failure:
    fa, fb = a.msg, b.msg  # type: ignore[attr-defined]
    shown_a, n_a = _rows_of(fa.params["rows"])
    shown_b, n_b = _rows_of(fb.params["rows"])
    rows = rows_msg_of([*shown_a, *shown_b][:12], n_a + n_b)
    params = dict(fa.params, rows=rows)
    value = a.value
    if "n" in params:
        params["n"] = fa.params["n"] + fb.params["n"]
    if "examples" in fa.params:
        examples = list(dict.fromkeys([*fa.params["examples"], *fb.params["examples"]]))[:EXAMPLES]
        params["examples"] = examples
        value = example_text(examples)
    return dataclasses.replace(a, value=value, fix=Msg(fa.id, **params), fix_zh="")


__all__ = ["BlockSource", "Blocks", "NotStreamable", "WholeFile", "block_size", "cut", "merge_lines"]
