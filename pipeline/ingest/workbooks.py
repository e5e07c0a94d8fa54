"""Reading one sheet of a workbook (XLSX, XLSM, XLS, XLSB, ODS) through fastexcel, as the user sees it.

- Which sheet: the one named (by name, case-insensitively, or by number: 1 = first), else the visible sheet whose
  header matches the kind best; a hidden sheet is never picked on its own, and a tie between sheets is an error
  that lists them (upload each, or name one with --sheet).
- Formulas give their saved values; a formula whose saved value is an error (``#DIV/0!``) keeps that text, so
  that the report names it.
- Rows and columns are numbered as Excel shows them (the table may start at B3), and merged cells are read as
  their value on every cell they span (:mod:`pipeline.ingest.sheets` reads both from the archive, after checking it for
  damage and zip bombs).
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from pipeline.core.errors import UploadUnreadable
from pipeline.core.messages import Msg, joined
from pipeline.ingest.headers import header_score
from pipeline.ingest.limits import Limits
from pipeline.ingest.raw import RawTable, positional
from pipeline.ingest.report import SOURCE_ROW, Failure
from pipeline.ingest.sheets import ZIP_MAGIC, check_archive, column_letter, sheet_layout
from schemas import Kind

# fastexcel's names for formula error values -> what Excel shows in the cell
EXCEL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?",
                "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA"}


def _load(reader: Any, sheet: str | int, n_rows: int | None = None) -> tuple[pl.DataFrame, list[tuple[int, int, str]]]:
    """A sheet as text (no header row), and its formula errors as (row index, column index, Excel text)."""
    loaded = reader.load_sheet(sheet, header_row=None, dtypes="string", n_rows=n_rows)
    batch, errors = loaded.to_arrow_with_errors()
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    found = []
    for err in getattr(errors, "errors", []) or []:
        m = re.search(r"Error\((\w+)\)", str(getattr(err, "detail", "")))
        text = EXCEL_ERRORS.get(m.group(1), f"#{m.group(1).upper()}") if m else "#ERROR"
        row, col = err.position
        found.append((int(row), int(col), text))
    return frame, found


def _with_errors(frame: pl.DataFrame, errors: list[tuple[int, int, str]]) -> pl.DataFrame:
    """Put each formula error's Excel text (#DIV/0!) where fastexcel left an empty cell."""
    by_col: dict[int, list[tuple[int, str]]] = {}
    for row, col, text in errors:
        if row < frame.height and col < frame.width:
            by_col.setdefault(col, []).append((row, text))
    for col, cells in by_col.items():
        name = frame.columns[col]
        series = frame.get_column(name).scatter([r for r, _ in cells], [t for _, t in cells])
        frame = frame.with_columns(series.alias(name))
    return frame


def _fill_merged(frame: pl.DataFrame, merged: tuple[tuple[int, int, int, int], ...], first_row: int,
                 first_col: int) -> tuple[pl.DataFrame, list[str]]:
    """Every merged range read as its top-left value on each of its cells; returns the ranges filled."""
    filled: list[str] = []
    updates: dict[str, pl.Expr] = {}
    rows = pl.col(SOURCE_ROW)
    for r1, c1, r2, c2 in merged[:2000]:
        i, j = r1 - first_row, c1 - first_col
        if not (0 <= i < frame.height and 0 <= j < frame.width - 1) or (r1 == r2 and c1 == c2):
            continue
        value = frame.get_column(f"c{j}")[i]
        if value is None:
            continue
        for c in range(c1, min(c2, first_col + frame.width - 2) + 1):  # a range may run past the table
            name = f"c{c - first_col}"
            if name not in frame.columns:
                continue
            base = updates.get(name, pl.col(name))
            updates[name] = pl.when(rows.is_between(r1, r2)).then(pl.lit(value)).otherwise(base)
        filled.append(f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}")
    if updates:
        frame = frame.with_columns([expr.alias(name) for name, expr in updates.items()])
    return frame, filled


def _choose_sheet(reader: Any, names: list[str], visible: dict[str, bool], file_name: str, kind: Kind | None
                  ) -> tuple[str, list[Failure]]:
    listing = joined(n if visible[n] else Msg("sheet.hidden", name=n) for n in names)
    candidates = [n for n in names if visible[n]]
    if not candidates:
        raise UploadUnreadable(Msg("book.all_hidden", file=file_name, sheets=listing))
    if len(names) == 1:
        return names[0], []
    scores: dict[str, int] = {}
    if kind is not None:
        for name in names:
            try:
                head, _ = _load(reader, name, n_rows=40)
            except Exception:  # an unreadable sheet simply does not match
                scores[name] = 0
                continue
            scores[name] = header_score([list(r) for r in head.iter_rows()], kind)
    best = max((scores.get(n, 0) for n in candidates), default=0)
    if best == 0:
        hidden_match = [n for n in names if not visible[n] and scores.get(n, 0) > 0]
        if hidden_match:
            raise UploadUnreadable(Msg("book.hidden_match", file=file_name, sheet=hidden_match[0], sheets=listing))
        chosen = candidates[0]
        return chosen, [Failure(row=None, column="(sheet)", value=chosen, rule="sheet_chosen",
                                fix=Msg("note.sheet_no_match", sheet=chosen, sheets=listing))]
    top = [n for n in candidates if scores.get(n, 0) == best]
    if len(top) > 1:
        raise UploadUnreadable(Msg("book.several_sheets", file=file_name, candidates=top, sheets=listing))
    chosen = top[0]
    return chosen, [Failure(row=None, column="(sheet)", value=chosen, rule="sheet_chosen",
                            fix=Msg("note.sheet_matches", sheet=chosen, sheets=listing))]


def _named_sheet(sheet: str, names: list[str], file_name: str) -> str:
    if sheet in names:
        return sheet
    folded = {n.strip().casefold(): n for n in names}
    if sheet.strip().casefold() in folded:
        return folded[sheet.strip().casefold()]
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise UploadUnreadable(Msg("book.no_such_sheet", file=file_name, sheet=sheet, sheets=names))


def read_excel_bytes(data: bytes, file_name: str, sheet: str | None = None, *, kind: Kind | None = None,
                     limits: Limits | None = None) -> RawTable:
    """Read one sheet of a workbook (``sheet`` by name or 1-based number, else the one matching ``kind``)."""
    import fastexcel

    book = check_archive(data, file_name, limits=limits) if data.startswith(ZIP_MAGIC) else None
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises its own error types per format problem
        raise UploadUnreadable(Msg("book.unreadable", file=file_name,
                                   error=(str(exc).splitlines() or [""])[0][:300])) from None
    if not names:
        raise UploadUnreadable(Msg("book.no_sheets", file=file_name))
    visible: dict[str, bool] = {}
    for name in names:
        try:
            sheet_info = reader.load_sheet(name, header_row=None, n_rows=1, dtypes="string")
            visible[name] = str(sheet_info.visible) == "visible"
        except Exception:
            visible[name] = True
    notes: list[Failure] = []
    if sheet is None:
        sheet_name, notes = _choose_sheet(reader, names, visible, file_name, kind)
    else:
        sheet_name = _named_sheet(sheet, names, file_name)
        if not visible[sheet_name]:
            notes.append(Failure(row=None, column="(sheet)", value=sheet_name, rule="hidden_sheet_used",
                                 fix=Msg("note.hidden_sheet_used", sheet=sheet_name)))
    try:
        frame, errors = _load(reader, sheet_name)
    except Exception as exc:
        raise UploadUnreadable(Msg("book.sheet_unreadable", file=file_name, sheet=sheet_name,
                                   error=(str(exc).splitlines() or [""])[0][:300])) from None
    if frame.width == 0 or frame.height == 0:
        raise UploadUnreadable(Msg("book.sheet_empty", file=file_name, sheet=sheet_name))
    frame = _with_errors(frame, errors)
    layout = sheet_layout(data, book.members.get(sheet_name)) if book is not None else None
    first_row, first_col = (layout.first_row, layout.first_col) if layout is not None else (1, 1)
    table = positional(frame, first_row)
    if layout is not None and layout.merged:
        table, filled = _fill_merged(table, layout.merged, first_row, first_col)
        if filled:
            more = f" and {len(filled) - 8} more" if len(filled) > 8 else ""
            notes.append(Failure(row=None, column="(sheet)", value=", ".join(filled[:8]) + more, rule="merged_cells",
                                 fix=Msg("note.merged_cells")))
    if book is not None and book.needs_recalculation:
        notes.append(Failure(row=None, column="(workbook)", value=None, rule="needs_recalculation",
                             fix=Msg("note.needs_recalculation")))
    return RawTable(grid=table, file_name=file_name, file_format="xlsx", sheet=sheet_name, first_col=first_col,
                    notes=notes)
