"""Step 2 of ingest: the header located and matched to the kind's columns, once per file.

The header is found by :mod:`pipeline.ingest.headers` (title rows above it, a header of two rows); each label is
matched to a column of the kind through its aliases (Chinese or English; case, width and spacing ignored); a label
that names a referenced dictionary's rows (地区名称 beside 地区代码) is a name column; units come from the header
(``工业总产值(万元)``) or from ``--unit``. Every label that is unknown, missing, repeated, or declares a unit that
does not fit is a report line. The result, a :class:`Layout`, is applied to every row under the header (in a large
file, to each block of rows: :mod:`pipeline.ingest.streaming`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from pipeline.core.errors import UploadUnreadable
from pipeline.core.messages import Msg
from pipeline.ingest.headers import (
    HeaderLocation,
    alias_index,
    header_key,
    locate_header,
    match_label,
    name_column_index,
)
from pipeline.ingest.raw import RawTable
from pipeline.ingest.report import SOURCE_ROW, Failure, rows_msg
from pipeline.ingest.units import CANONICAL, known_units, unit_canonical, unit_factor
from schemas import Kind

NAME_PREFIX = "__name__"


@dataclass
class Layout:
    """What the header says, for every row under it: found once per file (in a streamed file, on its first
    chunk) and applied to each block of rows."""

    loc: HeaderLocation
    mapping: dict[str, str]  # positional column -> canonical column
    headers: dict[str, str]  # canonical column -> header as written (name columns read as codes included)
    name_cols: dict[str, str]  # positional column -> the code column it names
    units: dict[str, dict[str, object]]
    failures: list[Failure]  # the header's own lines
    empty: set[str]  # positional columns the header does not map that hold no cell (in the rows seen)
    missing: bool = False  # no header: the first row is data, and no cell can be read

    @property
    def header_row(self) -> int:
        return self.loc.rows[-1]

    @property
    def names(self) -> dict[str, str]:
        return {code: self.loc.labels[int(pos[1:])] for pos, code in self.name_cols.items()}


def _map_headers(
    table: RawTable, loc: HeaderLocation, body: pl.DataFrame, kind: Kind, units: dict[str, str] | None
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, object]], list[Failure]]:
    """(positional -> canonical, canonical -> header, positional -> code column for name columns, units, lines)."""
    index, names_index = alias_index(kind), name_column_index(kind)
    header_row = loc.rows[-1]
    failures: list[Failure] = []
    mapping: dict[str, str] = {}
    headers: dict[str, str] = {}
    name_cols: dict[str, str] = {}
    header_units: dict[str, str] = {}
    positional = [c for c in body.columns if c != SOURCE_ROW]
    filled = {c: body.get_column(c).str.strip_chars().replace("", None).drop_nulls().len() for c in positional}
    last_labelled = max((i for i, label in enumerate(loc.labels) if label), default=-1)
    for i, pos in enumerate(positional):
        label = loc.labels[i] if i < len(loc.labels) else ""
        letter = table.letter(i)
        if not label:
            if filled[pos] == 0 or i > last_labelled:
                continue  # empty, unheaded columns are common at the edges; cells right of the header: ragged rows
            failures.append(Failure(
                row=header_row, column=f"(column {letter})", value=None, rule="unknown_column",
                fix=Msg("header.unlabelled_column", letter=letter),
            ))
            continue
        target, unit = match_label(label, index)
        if target is None:
            code_col = names_index.get(header_key(label))
            if code_col is not None and code_col not in name_cols.values():
                name_cols[pos] = code_col
                continue
            if filled[pos] == 0:
                failures.append(Failure(
                    row=header_row, column=label, value=label, rule="empty_column",
                    fix=Msg("header.empty_column", letter=letter, label=label),
                ))
                continue
            expected = [f"{c.title_zh}/{n}" for n, c in kind.columns.items()]
            failures.append(Failure(
                row=header_row, column=label, value=label, rule="unknown_column",
                fix=Msg("header.unknown_column", letter=letter, expected=expected),
            ))
            continue
        if target in headers:
            failures.append(Failure(
                row=header_row, column=label, value=label, rule="repeated_column", field=target,
                fix=Msg("header.repeated_column", first=headers[target], label=label, letter=letter, field=target),
            ))
            continue
        mapping[pos] = target
        headers[target] = label
        if unit is not None:
            header_units[target] = unit

    for name, col in kind.columns.items():
        if col.required and name not in headers and name not in name_cols.values():
            failures.append(Failure(
                row=header_row, column=col.title_zh + "/" + name, value=None, rule="missing_column", field=name,
                fix=Msg("header.missing_column", title=col.title_zh, field=name, description=col.description),
            ))

    resolved: dict[str, dict[str, object]] = {}
    declared = dict(header_units)
    for column, unit in (units or {}).items():
        target = index.get(header_key(column), column)
        declared[target] = unit
    for target, unit in declared.items():
        col = kind.columns.get(target)
        shown = headers.get(target, target)
        if col is None or target not in headers:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.unit_column_absent", field=target, columns=list(headers)),
            ))
            continue
        if col.dimension is None:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.unit_not_measure", field=target, title=col.title_zh, unit=unit),
            ))
            continue
        found = unit_factor(unit)
        if found is None:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="unknown_unit", field=target,
                fix=Msg("header.unknown_unit", dimension=Msg(f"dim.{col.dimension}"), unit=unit,
                        units=known_units(col.dimension)),
            ))
            continue
        dimension, factor = found
        if dimension != col.dimension:
            failures.append(Failure(
                row=header_row, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=Msg("header.wrong_unit", unit=unit, dimension=Msg(f"dim.{dimension}"), field=target,
                        title=col.title_zh, expected=Msg(f"dim.{col.dimension}"), units=known_units(col.dimension)),
            ))
            continue
        resolved[target] = {"unit": unit, "factor": factor, "canonical": unit_canonical(unit) or CANONICAL[dimension]}
    failures += _one_currency(kind, headers, resolved, header_row)
    return mapping, headers, name_cols, resolved, failures


def _one_currency(kind: Kind, headers: dict[str, str], resolved: dict[str, dict[str, object]],
                  header_row: int | None) -> list[Failure]:
    """Money columns of one file in one currency: the columns without a unit are yuan, and an indicator divides one
    money measure by another (exports / output), which two currencies would make meaningless."""
    money = {name: str(resolved.get(name, {}).get("canonical", CANONICAL["money"])) for name in headers
             if kind.columns[name].dimension == "money"}
    if len(set(money.values())) <= 1:
        return []
    listing = [f"{headers[name]} ({unit})" for name, unit in money.items()]
    return [Failure(row=header_row, column=headers[name], value=str(resolved.get(name, {}).get("unit", "")) or None,
                    rule="mixed_currency", field=name, fix=Msg("header.mixed_currency", columns=listing))
            for name in money if money[name] != CANONICAL["money"]][:1]


def _looks_like_data(cells_: list[str]) -> bool:
    filled = [c for c in cells_ if c]
    numeric = [c for c in filled if re.fullmatch(r"[+-]?[\d,.]+%?", c)]
    return bool(filled) and len(numeric) * 2 >= len(filled)


def layout(table: RawTable, kind: Kind, units: dict[str, str] | None = None) -> Layout:
    """Step 2 of ingest: the header of ``table`` located and matched to ``kind`` (columns, name columns, units),
    with every problem of the header a report line. ``missing`` when the file has no header (its first row is
    data): nothing under it can be read."""
    failures: list[Failure] = list(table.notes)
    loc = table.header if table.kind is kind else locate_header(table.grid, kind)
    if loc is None:
        raise UploadUnreadable(Msg("read.all_cells_empty", file=table.file_name))
    body = table.body(loc.rows[-1])
    if loc.matched == 0 and _looks_like_data(loc.labels):
        expected = [f"{c.title_zh}/{n}" for n, c in kind.columns.items() if c.required]
        failures.append(Failure(
            row=loc.rows[0], column="(header)", value=" | ".join(loc.labels[:6]), rule="missing_header",
            fix=Msg("header.missing", row=loc.rows[0], required=expected),
        ))
        return Layout(loc=loc, mapping={}, headers={}, name_cols={}, units={}, failures=failures, empty=set(),
                      missing=True)
    if loc.title_rows:
        rows = [r for r, _ in loc.title_rows]
        failures.append(Failure(
            row=rows[0], column="(rows)", value=loc.title_rows[0][1], rule="title_rows",
            fix=Msg("header.title_rows", rows=rows_msg(rows), plural="s" if len(loc.rows) > 1 else "",
                    header="-".join(map(str, loc.rows))),
        ))
    if len(loc.rows) > 1:
        failures.append(Failure(
            row=loc.rows[0], column="(header)", value=" | ".join(label for label in loc.labels if label)[:200],
            rule="two_row_header",
            fix=Msg("header.two_rows", first=loc.rows[0], last=loc.rows[-1]),
        ))
    mapping, headers, name_cols, resolved, header_failures = _map_headers(table, loc, body, kind, units)
    failures += header_failures
    for pos, code in name_cols.items():
        label = loc.labels[int(pos[1:])]
        used = Msg("header.name_column.check" if code in headers else "header.name_column.lookup")
        failures.append(Failure(row=loc.rows[-1], column=label, value=None, rule="extra_column", field=code,
                                fix=Msg("header.name_column", label=label, used=used)))
    name_only = {code: loc.labels[int(pos[1:])] for pos, code in name_cols.items() if code not in headers}
    headers.update(name_only)
    return Layout(loc=loc, mapping=mapping, headers=headers, name_cols=name_cols, units=resolved,
                  failures=failures, empty=set(unfilled(body, mapping, name_cols)))


def unfilled(body: pl.DataFrame, mapping: dict[str, str], name_cols: dict[str, str]) -> list[str]:
    """Positional columns neither mapped nor a name column, without a single filled cell in ``body``."""
    others = [c for c in body.columns if c != SOURCE_ROW and c not in mapping and c not in name_cols]
    if not others:
        return []
    filled = body.select(pl.col(c).str.strip_chars().replace("", None).drop_nulls().len() for c in others).row(0)
    return [c for c, n in zip(others, filled, strict=True) if n == 0]


def raw_columns(body: pl.DataFrame, lay: Layout) -> pl.DataFrame:
    """The positional text ``body`` under canonical names, name columns as ``__name__<code>`` (and as the code
    column itself when the file has names but no codes)."""
    raw = body.select(SOURCE_ROW, *[pl.col(p).alias(n) for p, n in lay.mapping.items()],
                      *[pl.col(p).alias(NAME_PREFIX + c) for p, c in lay.name_cols.items()])
    for code in lay.name_cols.values():
        if code not in lay.mapping.values():
            raw = raw.with_columns(pl.col(NAME_PREFIX + code).alias(code))
    return raw
