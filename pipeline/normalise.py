"""From a raw text table to a typed frame in canonical columns and units, reporting every bad header and cell.

Steps: match each header to a column of the kind through its aliases (Chinese or English, case, width and spacing
ignored), take the unit from the header or from ``--unit``, parse cells by the column's type, fill declared
defaults, convert measures to canonical units. Whatever cannot be parsed becomes a :class:`Failure` and a null in
the typed frame, so the schema checks still run on everything else and the user gets every problem at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from pipeline.reading import SOURCE_ROW, RawTable
from pipeline.units import CANONICAL, known_units, split_header_unit, unit_factor
from pipeline.validation import Failure
from schemas import Kind


def header_key(text: str) -> str:
    """Normalised header for matching: NFKC, lower case, spaces/hyphens/underscores removed."""
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", text).lower())


@dataclass
class Prepared:
    """A file's records as a typed frame in canonical columns, with what was learnt on the way."""

    frame: pl.DataFrame  # canonical columns (declared types) + SOURCE_ROW
    raw: pl.DataFrame  # the same rows and columns as typed by the user (text) + SOURCE_ROW
    headers: dict[str, str]  # canonical column -> header as written
    units: dict[str, dict[str, object]] = field(default_factory=dict)  # column -> {unit, factor, canonical}
    failures: list[Failure] = field(default_factory=list)
    blank_rows: int = 0


def _alias_index(kind: Kind) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, col in kind.columns.items():
        for alias in (name, col.title, col.title_zh, *col.aliases):
            index.setdefault(header_key(alias), name)
    return index


def map_headers(
    table: RawTable, kind: Kind, units: dict[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, object]], list[Failure]]:
    """Match headers to columns. Returns (positional column -> canonical, canonical -> header, units, failures)."""
    index = _alias_index(kind)
    failures: list[Failure] = []
    mapping: dict[str, str] = {}
    headers: dict[str, str] = {}
    header_units: dict[str, str] = {}
    for i, header in enumerate(table.headers):
        pos = f"c{i}"
        if not header:
            if table.frame.get_column(pos).drop_nulls().len() == 0:
                continue  # an empty, unheaded column (common at the right edge of spreadsheets)
            failures.append(Failure(
                row=1, column=f"(column {i + 1})", value=None, rule="unknown_column",
                fix=f"Column {i + 1} has values but no header: give it one of this kind's headers or delete it.",
            ))
            continue
        name, unit = split_header_unit(header)
        target = index.get(header_key(header)) or index.get(header_key(name))
        if target is None:
            expected = ", ".join(f"{c.title_zh}/{n}" for n, c in kind.columns.items())
            failures.append(Failure(
                row=1, column=header, value=header, rule="unknown_column",
                fix=f"Rename it to one of this kind's columns ({expected}) or delete it.",
            ))
            continue
        if target in headers:
            failures.append(Failure(
                row=1, column=header, value=header, rule="repeated_column", field=target,
                fix=f"Both '{headers[target]}' and '{header}' are read as {target}: keep one of them.",
            ))
            continue
        mapping[pos] = target
        headers[target] = header
        if unit is not None and index.get(header_key(header)) is None:
            header_units[target] = unit

    for name, col in kind.columns.items():
        if col.required and name not in headers:
            failures.append(Failure(
                row=1, column=col.title_zh + "/" + name, value=None, rule="missing_column", field=name,
                fix=f"Add a column headed '{col.title_zh}' or '{name}' ({col.description})",
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
                row=1, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=f"--unit names column '{target}', which is not in the file; use one of: {', '.join(headers)}.",
            ))
            continue
        if col.dimension is None:
            failures.append(Failure(
                row=1, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=f"{target} is not a measure and takes no unit; remove '({unit})' from the header.",
            ))
            continue
        found = unit_factor(unit)
        if found is None:
            failures.append(Failure(
                row=1, column=shown, value=unit, rule="unknown_unit", field=target,
                fix=f"Use a unit of {col.dimension}: {', '.join(known_units(col.dimension))}.",
            ))
            continue
        dimension, factor = found
        if dimension != col.dimension:
            failures.append(Failure(
                row=1, column=shown, value=unit, rule="wrong_unit", field=target,
                fix=(f"'{unit}' measures {dimension} but {target} is in {col.dimension}: use one of "
                     f"{', '.join(known_units(col.dimension))}."),
            ))
            continue
        resolved[target] = {"unit": unit, "factor": factor, "canonical": CANONICAL[dimension]}
    return mapping, headers, resolved, failures


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_YEAR = re.compile(r"^\d{4}(\.0+)?$")


def _parse_float(col: pl.Expr) -> pl.Expr:
    text = col.str.strip_chars()
    text = pl.when(text.str.contains(_THOUSANDS.pattern)).then(text.str.replace_all(",", "")).otherwise(text)
    return pl.when(text.str.contains(_NUMBER.pattern)).then(text.cast(pl.Float64, strict=False))


def _parse_year(col: pl.Expr) -> pl.Expr:
    text = col.str.strip_chars()
    return pl.when(text.str.contains(_YEAR.pattern)).then(text.str.slice(0, 4).cast(pl.Int64, strict=False))


_UNIT_EXAMPLE = {"money": "万元", "persons": "万人", "energy": "万吨标准煤"}


def _unit_hint(title_zh: str, dimension: str | None) -> str:
    unit = _UNIT_EXAMPLE.get(dimension or "")
    if unit is None:
        return ", without text or units in the cell."
    return f"; put a unit in the header, e.g. '{title_zh}({unit})', not in the cell."


def prepare(table: RawTable, kind: Kind, units: dict[str, str] | None = None) -> Prepared:
    """Headers matched, cells parsed, units converted; every problem found on the way is a failure."""
    mapping, headers, resolved, failures = map_headers(table, kind, units)
    raw = table.frame.select(SOURCE_ROW, *[pl.col(pos).alias(name) for pos, name in mapping.items()])
    # Cells that are only spaces count as empty; rows with every cell empty are skipped (not errors).
    raw = raw.with_columns([pl.col(c).str.strip_chars().replace("", None) for c in mapping.values()])
    if mapping:
        blank = pl.all_horizontal([pl.col(c).is_null() for c in mapping.values()])
        blank_rows = raw.filter(blank).height
        raw = raw.filter(~blank)
    else:
        blank_rows = 0

    exprs: list[pl.Expr] = [pl.col(SOURCE_ROW)]
    for name, col in kind.columns.items():
        if name not in raw.columns:
            dtype = {"int": pl.Int64, "float": pl.Float64}.get(col.dtype, pl.String)
            default = col.default if col.default is not None else None
            exprs.append(pl.lit(default, dtype=dtype).alias(name))
            continue
        src = pl.col(name)
        if col.dtype == "float":
            parsed = _parse_float(src)
            factor = float(resolved.get(name, {}).get("factor", 1.0))  # type: ignore[arg-type]
            if factor != 1.0:
                parsed = (parsed * factor).round(6)
        elif col.dtype == "int":
            parsed = _parse_year(src)
        else:
            parsed = src
        if col.default is not None:
            parsed = pl.when(src.is_null()).then(pl.lit(col.default)).otherwise(parsed)
        exprs.append(parsed.alias(name))
    typed = raw.select(exprs)

    for name, col in kind.columns.items():
        if col.dtype == "str" or name not in raw.columns:
            continue
        bad = raw.select(SOURCE_ROW, pl.col(name).alias("raw")).with_columns(typed.get_column(name).alias("typed"))
        bad = bad.filter(pl.col("raw").is_not_null() & pl.col("typed").is_null())
        rule, fix = (
            ("not_a_year", "Write the year as four digits, e.g. 2022.")
            if col.dtype == "int"
            else ("not_a_number", "Write a plain number (e.g. 1234.5)" + _unit_hint(col.title_zh, col.dimension))
        )
        for row, value in bad.select(SOURCE_ROW, "raw").iter_rows():
            failures.append(Failure(row=row, column=headers[name], value=value, rule=rule, fix=fix, field=name))
    return Prepared(frame=typed, raw=raw, headers=headers, units=resolved, failures=failures, blank_rows=blank_rows)
